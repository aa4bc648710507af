import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test tiers: unit (pure code, no services), integration (against one local stack shared by the
 * whole run, started in globalSetup), infra (CDK assertions and cdk-nag), browser (Chromium
 * driven by playwright-core against the local stack) and faults (whole cycles through injected
 * faults, `npm run test:faults`).
 */
export default defineConfig({
  test: {
    // Vitest's default (one worker fewer than the cores) runs every file one after another on a
    // 2-core CI machine, where the integration files mostly wait on the local stack's timers: three
    // workers there cut `npm test` by minutes (README, "Running the tests").
    maxWorkers: Math.max(3, availableParallelism() - 1),
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'packages/*/test/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/support/local-stack.global-setup.ts'],
          setupFiles: ['test/support/local-stack.env.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Whole cycles through injected faults (docs/reliability.md, "Fault suite"): one scenario at a time, on the same kind of local stack.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['test/support/local-stack.global-setup.ts'],
          setupFiles: ['test/support/local-stack.env.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 } },
    ],
  },
});
