import { cycleExpiresAt } from '../domain/retention.ts';
import type { CycleStore, PersonalDataStore, WorkBudget } from './ports.ts';

export type RetentionStore = Pick<CycleStore, 'getCycle'> & Pick<PersonalDataStore, 'setCycleExpiry'>;

/**
 * A cycle that ended (succeeded, failed or stopped) expires `retentionDays` after its end, as the
 * program stood when the cycle started: every item of the cycle gets the table's TTL attribute
 * (docs/privacy.md). Setting it at the end, not at each write, keeps a long cycle whole while it
 * runs and lets the end date, known only then, count. With a budget it may stop before every item
 * has it (`complete: false`); calling it again goes on from there.
 */
export async function expireEndedCycle(
  store: RetentionStore,
  cycleId: string,
  budget?: WorkBudget,
): Promise<{ expiresAt: number | undefined; complete: boolean }> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle || cycle.status === 'running' || cycle.endedAt === undefined) return { expiresAt: undefined, complete: true };
  const expiresAt = cycleExpiresAt(cycle.endedAt, cycle.program.retentionDays);
  const { complete } = await store.setCycleExpiry(cycleId, expiresAt, budget);
  return { expiresAt, complete };
}

/** A failed cycle that runs again (redriven) must not expire while it runs; like the above, a budget may stop it early. */
export async function keepResumedCycle(store: RetentionStore, cycleId: string, budget?: WorkBudget): Promise<{ complete: boolean }> {
  const cycle = await store.getCycle(cycleId);
  if (cycle?.status !== 'running') return { complete: true };
  return store.setCycleExpiry(cycleId, undefined, budget);
}
