import { describe, expect, inject, it } from 'vitest';
import { injectFaults, listFaults } from '../../local/fault-injection.ts';
import { runFaultCycle } from '../support/fault-cycle.ts';

/** Faults injected by the SES proxy (`endpoints.sesApi`) that mention the tag, the test's own email domain. */
async function sesFaultsInjected(tag: string): Promise<number> {
  const faults = await listFaults(inject('localStack').endpoints.sesApi);
  return faults.filter((f) => JSON.stringify(f.match ?? '').includes(tag)).reduce((sum, f) => sum + f.injected, 0);
}

describe('a whole cycle while SES fails', () => {
  it('completes when SES throttles a burst of sends: each email goes once, every answer is stored', async () => {
    const { figures } = await runFaultCycle(
      'SES throttling burst',
      '8 SendEmail calls in a row: 429 TooManyRequestsException',
      (tag) =>
        injectFaults(inject('localStack').endpoints.sesApi, { match: `@${tag}.example.com`, failures: 8, status: 429, errorType: 'TooManyRequestsException' }),
      sesFaultsInjected,
    );
    expect(figures.faultsInjected).toBe(8);
  });

  it('completes when SES answers a burst of 5xx and then every third send with one: each email goes once, every answer is stored', async () => {
    const { figures } = await runFaultCycle(
      'SES 5xx burst',
      '4 SendEmail calls in a row: 503 ServiceUnavailable; then every 3rd templated send (up to 10): 500 InternalFailure',
      async (tag) => {
        const { sesApi } = inject('localStack').endpoints;
        await injectFaults(sesApi, { match: `@${tag}.example.com`, failures: 4, status: 503, errorType: 'ServiceUnavailable' });
        await injectFaults(sesApi, { match: [`@${tag}.example.com`, 'Template'], failures: 10, every: 3, status: 500, errorType: 'InternalFailure' });
      },
      sesFaultsInjected,
    );
    expect(figures.faultsInjected).toBeGreaterThanOrEqual(4);
  });
});
