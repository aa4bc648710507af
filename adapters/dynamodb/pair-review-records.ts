import type { ApprovalState, Member, Pair } from '../../domain/cycle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { PairReviewStore } from '../../services/ports.ts';
import { memberItem, pairItem } from './cycle-records.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** HR's review of the pairs: the `approval` map of the cycle item, and the re-solved cohort (`MEMBER#`, `PAIR#`). */
export class PairReviewRecords implements PairReviewStore {
  constructor(private readonly table: TableClient) {}

  async openApproval(cycleId: string, state: ApprovalState): Promise<ApprovalState> {
    const opened = await this.table.updateIf('OpenApproval', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET approval = :state, currentPhase = :phase',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(approval)',
      ExpressionAttributeValues: { ':state': state, ':phase': 'approval' },
    });
    if (opened) return state;
    // Opened already by an earlier attempt of the same step: its state stands.
    const existing = (await this.table.get<{ approval?: ApprovalState }>('GetApproval', keys.cycle(cycleId), { consistent: true }))?.approval;
    if (!existing) throw new NotFoundError(`cycle ${cycleId} does not exist`);
    return existing;
  }

  async updateApproval(cycleId: string, expected: number, next: ApprovalState): Promise<boolean> {
    return this.table.updateIf('UpdateApproval', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET approval = :next',
      // The cycle's own status too: a cycle stopped while a command ran keeps its review as it was.
      ConditionExpression: 'approval.revision = :expected AND approval.#status = :pending AND #status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':next': next, ':expected': expected, ':pending': 'pending', ':running': 'running' },
    });
  }

  /**
   * A cohort can hold far more items than one transaction (100), so the replacement is fenced
   * instead: the review is first marked stale at the new revision (approval is refused from
   * then on), the items are rewritten, and only then does the review take `next`. An attempt
   * cut short leaves the review stale, never approvable with a mixed cohort; a later re-solve
   * (deterministic from the same locks, bans and roster) rewrites the whole cohort.
   */
  async replaceCohort(
    cycleId: string,
    expected: number,
    cohort: { members: readonly Member[]; pairs: readonly Pair[] },
    next: ApprovalState,
  ): Promise<boolean> {
    const current = await this.table.get<{ approval?: ApprovalState }>('GetApproval', keys.cycle(cycleId), { consistent: true });
    if (!current?.approval) return false;
    if (!(await this.updateApproval(cycleId, expected, { ...current.approval, revision: next.revision, stale: true }))) return false;

    const [oldMembers, oldPairs] = await Promise.all([
      this.table.queryPrefix<Member>('ListMembers', keys.membersOf(cycleId)),
      this.table.queryPrefix<Pair>('ListPairs', keys.pairsOf(cycleId)),
    ]);
    const keptMembers = new Set(cohort.members.map((m) => m.participantId));
    const keptPairs = new Set(cohort.pairs.map((p) => p.pairId));
    await this.table.batchDelete('ReplaceCohortDelete', [
      ...oldMembers.filter((m) => !keptMembers.has(m.participantId)).map((m) => keys.member(cycleId, m.participantId)),
      ...oldPairs.filter((p) => !keptPairs.has(p.pairId)).map((p) => keys.pair(cycleId, p.pairId)),
    ]);
    await this.table.batchPut('ReplaceCohortPut', [...cohort.members.map((m) => memberItem(cycleId, m)), ...cohort.pairs.map((p) => pairItem(cycleId, p))]);
    return this.table.updateIf('ReplaceCohortCommit', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET approval = :next, participants = :members, pairs = :pairs',
      ConditionExpression: 'approval.revision = :fence AND approval.#status = :pending AND #status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':next': next,
        ':fence': next.revision,
        ':pending': 'pending',
        ':running': 'running',
        ':members': cohort.members.length,
        ':pairs': cohort.pairs.length,
      },
    });
  }
}
