import type { PersonalDataStore, WorkBudget } from '../../services/ports.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** Writes in flight at once while rewriting a cycle: enough to be quick, few enough not to throttle an on-demand table. */
const PARALLEL_WRITES = 10;

/** The TTL attribute of a cycle's items (docs/privacy.md): set when the cycle ends, removed when a failed cycle runs again. */
export class RetentionRecords implements Pick<PersonalDataStore, 'setCycleExpiry' | 'getCycleExpiry'> {
  constructor(private readonly table: TableClient) {}

  async setCycleExpiry(cycleId: string, expiresAt: number | undefined, budget?: WorkBudget): Promise<{ complete: boolean }> {
    const items = await this.table.queryAll('ListCycleItems', {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.cyclePartition(cycleId).PK },
      ProjectionExpression: 'PK, SK, expiresAt',
    });
    // A cycle of 10,000 people has over 100,000 items: a call that ran out of time is called again and skips what it did.
    const pending = items.filter((item) => item.expiresAt !== expiresAt);
    for (let i = 0; i < pending.length; i += PARALLEL_WRITES) {
      if (budget && budget.remainingMs() <= 0) return { complete: false };
      await Promise.all(
        pending.slice(i, i + PARALLEL_WRITES).map((item) =>
          this.table.update('SetCycleExpiry', {
            Key: { PK: item.PK, SK: item.SK },
            ...(expiresAt === undefined
              ? { UpdateExpression: 'REMOVE expiresAt' }
              : { UpdateExpression: 'SET expiresAt = :at', ExpressionAttributeValues: { ':at': expiresAt } }),
          }),
        ),
      );
    }
    return { complete: true };
  }

  async getCycleExpiry(cycleId: string): Promise<number | undefined> {
    const item = await this.table.getItem('GetCycleItem', keys.cycle(cycleId));
    return typeof item?.expiresAt === 'number' ? item.expiresAt : undefined;
  }
}

export async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL_WRITES) await Promise.all(items.slice(i, i + PARALLEL_WRITES).map(work));
}
