import { cycleExpiresAt } from '../domain/retention.ts';
import type { CycleStore, PersonalDataStore } from './ports.ts';

export type RetentionStore = Pick<CycleStore, 'getCycle'> & Pick<PersonalDataStore, 'setCycleExpiry'>;

/**
 * A cycle that ended (succeeded, failed or stopped) expires `retentionDays` after its end, as the
 * program stood when the cycle started: every item of the cycle gets the table's TTL attribute
 * (docs/privacy.md). Setting it at the end, not at each write, keeps a long cycle whole while it
 * runs and lets the end date, known only then, count.
 */
export async function expireEndedCycle(store: RetentionStore, cycleId: string): Promise<number | undefined> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle || cycle.status === 'running' || cycle.endedAt === undefined) return undefined;
  const expiresAt = cycleExpiresAt(cycle.endedAt, cycle.program.retentionDays);
  await store.setCycleExpiry(cycleId, expiresAt);
  return expiresAt;
}

/** A failed cycle that runs again (redriven) must not expire while it runs. */
export async function keepResumedCycle(store: RetentionStore, cycleId: string): Promise<void> {
  const cycle = await store.getCycle(cycleId);
  if (cycle?.status === 'running') await store.setCycleExpiry(cycleId, undefined);
}
