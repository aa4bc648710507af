import type { CycleStore, ReviewStore, StoredReview } from '../../services/ports.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** Reviews, one per cycle (`CYCLE#<id> / REVIEW`). */
export class ReviewRecords implements ReviewStore {
  constructor(
    private readonly table: TableClient,
    private readonly cycles: Pick<CycleStore, 'listCycles'>,
  ) {}

  async putReview(review: StoredReview): Promise<void> {
    const { appliedTo: _applied, ...rest } = review;
    // A retried review step writes the same figures again but never forgets that HR applied them.
    const existing = await this.getReview(review.cycleId);
    await this.table.put('PutReview', {
      Item: { ...keys.review(review.cycleId), entity: 'review', ...rest, ...(existing?.appliedTo ? { appliedTo: existing.appliedTo } : {}) },
    });
  }

  async getReview(cycleId: string): Promise<StoredReview | undefined> {
    return this.table.get<StoredReview>('GetReview', keys.review(cycleId), { consistent: true });
  }

  async listReviews(programId: string): Promise<StoredReview[]> {
    const cycles = (await this.cycles.listCycles(programId)).sort((a, b) => a.startedAt - b.startedAt || a.cycleId.localeCompare(b.cycleId));
    const reviews = await Promise.all(cycles.filter((c) => c.status === 'succeeded').map((c) => this.getReview(c.cycleId)));
    return reviews.filter((r): r is StoredReview => r !== undefined);
  }

  async markReviewApplied(cycleId: string, nextCycleId: string, appliedAt: number): Promise<boolean> {
    return this.table.updateIf('MarkReviewApplied', {
      Key: keys.review(cycleId),
      UpdateExpression: 'SET appliedTo = :applied',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(appliedTo)',
      ExpressionAttributeValues: { ':applied': { cycleId: nextCycleId, appliedAt } },
    });
  }
}
