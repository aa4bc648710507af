import { defineConfig } from 'vitest/config';

/**
 * Test tiers: unit (pure code, no services), integration (against one local stack shared by the
 * whole run, started in globalSetup), infra (CDK assertions and cdk-nag) and browser (Chromium
 * driven by playwright-core against the local stack).
 */
export default defineConfig({
  test: {
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
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 } },
    ],
  },
});
