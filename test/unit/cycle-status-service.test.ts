import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { programSchema, type ProgramInput } from '../../domain/program.ts';
import { markCycleFailed, markCycleResumed, markCycleStopped } from '../../services/mark-cycle-failed.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const T0 = Date.UTC(2027, 2, 1, 9);
const FAILED_AT = T0 + 10 * 86_400_000;
const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
const program = programSchema.parse({ ...sample, retentionDays: 30, opsContacts: ['ops@example.com'] });
const EXPIRES_AT = FAILED_AT / 1000 + 30 * 86_400;
const spent = { remainingMs: () => 0 };
const ample = { remainingMs: () => 60_000 };
const failure = { error: 'States.TaskFailed', cause: 'phase-tick failed' };

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

async function runningCycle() {
  const store = new InMemoryStore();
  const mailer = new RecordingMailer();
  await store.createCycle(newCycle(program, 'c1', T0));
  return { store, mailer, deps: { store, emailLog: store, mailer, clock: { now: () => FAILED_AT } } };
}

describe('a cycle whose execution ended badly or was redriven', () => {
  it('tells ops of a failure before setting the cycle to expire, and, delivered again after its budget ran out, only goes on with the expiry', async () => {
    const { store, mailer, deps } = await runningCycle();

    expect(await markCycleFailed(deps, 'c1', failure, 0, spent)).toEqual({ cycleId: 'c1', status: 'failed', retentionComplete: false });
    expect(mailer.sent.map((e) => e.to)).toEqual(['ops@example.com']);
    expect(await store.getCycleExpiry('c1')).toBeUndefined();

    expect(await markCycleFailed(deps, 'c1', failure, 0, ample)).toEqual({ cycleId: 'c1', status: 'failed', retentionComplete: true });
    expect(mailer.sent).toHaveLength(1);
    expect(await store.getCycleExpiry('c1')).toBe(EXPIRES_AT);
  });

  it('keeps a redriven cycle from expiring, going on when delivered again', async () => {
    const { store, deps } = await runningCycle();
    await markCycleFailed(deps, 'c1', failure, 0, ample);

    expect(await markCycleResumed(deps, 'c1', spent)).toEqual({ cycleId: 'c1', status: 'running', retentionComplete: false });
    expect(await store.getCycleExpiry('c1')).toBe(EXPIRES_AT);
    expect(await markCycleResumed(deps, 'c1', ample)).toEqual({ cycleId: 'c1', status: 'running', retentionComplete: true });
    expect(await store.getCycleExpiry('c1')).toBeUndefined();
  });

  it('sets a stopped cycle to expire within the budget it is given, going on when delivered again', async () => {
    const { store, deps } = await runningCycle();

    expect(await markCycleStopped(deps, 'c1', spent)).toEqual({ cycleId: 'c1', status: 'stopped', retentionComplete: false });
    expect(await markCycleStopped(deps, 'c1', ample)).toEqual({ cycleId: 'c1', status: 'stopped', retentionComplete: true });
    expect(await store.getCycleExpiry('c1')).toBe(EXPIRES_AT);
  });
});
