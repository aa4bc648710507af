import { describe, expect, inject, it } from 'vitest';
import { keys } from '../../adapters/dynamodb/table-design.ts';
import { runFaultCycle } from '../support/fault-cycle.ts';

interface Crash {
  function: string;
  requestsBeforeCrash: number;
  heldAtCrash: number;
}

async function crashes(): Promise<Crash[]> {
  const response = await fetch(`${inject('localStack').endpoints.sesApi}/__tandem/crashes`);
  return ((await response.json()) as { crashes: Crash[] }).crashes;
}

describe('a whole cycle whose handler crashes in the middle of a fan-out', () => {
  it('completes after the workflow retries the crashed step: each invitation goes once, every answer is stored', async () => {
    const before = (await crashes()).length;
    const { figures, failedSteps } = await runFaultCycle(
      'Handler crash mid fan-out',
      'phase-tick dies (Runtime.ExitError) at its 6th goal-setting invitation claim, once',
      async (tag) => {
        const armed = await fetch(`${inject('localStack').endpoints.sesApi}/__tandem/crashes`, {
          method: 'POST',
          body: JSON.stringify({
            function: 'phase-tick',
            operation: 'PutItem',
            match: [keys.email('', 'goal-setting#invitation').SK, `@${tag}.example.com`],
            afterRequests: 5,
          }),
        });
        expect(armed.status).toBe(201);
      },
      async () => (await crashes()).length - before,
    );
    expect(figures.faultsInjected).toBe(1);
    // The crash failed the step once, and the workflow's Retry ran it again.
    expect(failedSteps).toEqual({ 'Runtime.ExitError': 1 });
    const [crash] = (await crashes()).slice(before);
    expect(crash).toMatchObject({ function: 'phase-tick', requestsBeforeCrash: 5 });
    expect(crash?.heldAtCrash).toBeGreaterThan(0);
  });

  it('refuses a malformed crash request with 400 and keeps serving', async () => {
    const { sesApi } = inject('localStack').endpoints;
    const bad = await fetch(`${sesApi}/__tandem/crashes`, {
      method: 'POST',
      body: JSON.stringify({ function: 'no-such-function', match: [], afterRequests: -1 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/function/);
    expect((await fetch(`${sesApi}/__tandem/crashes`)).status).toBe(200);
  });
});
