import type { Cycle, Member, Pair, PhaseState, StoredResponse } from '../../domain/cycle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { AnsweredPhase, Phase } from '../../domain/program.ts';
import type { CycleStore, ParticipantView } from '../../services/ports.ts';
import { recordOf, type TableClient, type TableItem, type UpdateInput } from './table-client.ts';
import { keys } from './table-design.ts';

export const memberItem = (cycleId: string, member: Member): TableItem => ({ ...keys.member(cycleId, member.participantId), entity: 'member', ...member });
export const pairItem = (cycleId: string, pair: Pair): TableItem => ({ ...keys.pair(cycleId, pair.pairId), entity: 'pair', ...pair });

/** The part of the cycle store over cycle items (`CYCLE#<id> / CYCLE`) and the cohort: members and pairs. */
export type CycleRecordsPort = Omit<CycleStore, 'recordResponse' | 'getResponse' | 'listResponses'>;

/** Cycles (`CYCLE#<id> / CYCLE`, listed per program through GSI1) and their cohort (`MEMBER#`, `PAIR#`). */
export class CycleRecords implements CycleRecordsPort {
  constructor(private readonly table: TableClient) {}

  async createCycle(cycle: Cycle): Promise<boolean> {
    return this.table.putIf('CreateCycle', {
      Item: { ...keys.cycle(cycle.cycleId), ...keys.cycleOfProgram(cycle.programId, cycle.cycleId, cycle.startedAt), entity: 'cycle', ...cycle },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  }

  async getCycle(cycleId: string): Promise<Cycle | undefined> {
    return this.table.get<Cycle>('GetCycle', keys.cycle(cycleId), { consistent: true });
  }

  async listCycles(programId: string): Promise<Cycle[]> {
    const items = await this.table.queryAll('ListCycles', {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.cyclesOfProgram(programId).GSI1PK },
    });
    return items.map((item) => recordOf<Cycle>(item));
  }

  async setExecution(cycleId: string, executionArn: string): Promise<void> {
    await this.updateExisting('SetExecution', cycleId, { UpdateExpression: 'SET executionArn = :arn', ExpressionAttributeValues: { ':arn': executionArn } });
  }

  /** Members and pairs have keys derived from their ids, so a retried identify writes the same items again. */
  async putCohort(cycleId: string, members: readonly Member[], pairs: readonly Pair[]): Promise<void> {
    await this.table.batchPut('PutCohort', [...members.map((m) => memberItem(cycleId, m)), ...pairs.map((p) => pairItem(cycleId, p))]);
    await this.updateExisting('PutCohortCounts', cycleId, {
      UpdateExpression: 'SET participants = :members, pairs = :pairs',
      ExpressionAttributeValues: { ':members': members.length, ':pairs': pairs.length },
    });
  }

  async listMembers(cycleId: string): Promise<Member[]> {
    return this.table.queryPrefix<Member>('ListMembers', keys.membersOf(cycleId));
  }

  async getMember(cycleId: string, participantId: string): Promise<Member | undefined> {
    return this.table.get<Member>('GetMember', keys.member(cycleId, participantId));
  }

  /**
   * One BatchGetItem for the cycle, the member and their answers: the items share the cycle's
   * partition and their keys are known from the link. Strongly consistent like getCycle (a batch
   * has one consistency), so a phase closed a moment ago is seen closed.
   */
  async getParticipantView(cycleId: string, participantId: string, phaseKeys: readonly string[]): Promise<ParticipantView> {
    const cycleKey = keys.cycle(cycleId);
    const memberKey = keys.member(cycleId, participantId);
    const answerKeys = new Map([...new Set(phaseKeys)].map((phaseKey) => [keys.response(cycleId, phaseKey, participantId).SK, phaseKey]));
    const items = await this.table.batchGet('GetParticipantView', [cycleKey, memberKey, ...[...answerKeys.keys()].map((SK) => ({ PK: cycleKey.PK, SK }))], {
      consistent: true,
    });
    const bySortKey = new Map(items.map((item) => [item.SK as string, item]));
    const answers = new Map<string, StoredResponse>();
    for (const [sortKey, phaseKey] of answerKeys) {
      const item = bySortKey.get(sortKey);
      if (item) answers.set(phaseKey, recordOf<StoredResponse>(item));
    }
    const cycle = recordOf<Cycle>(bySortKey.get(cycleKey.SK));
    const member = recordOf<Member>(bySortKey.get(memberKey.SK));
    return { ...(cycle ? { cycle } : {}), ...(member ? { member } : {}), answers };
  }

  async listPairs(cycleId: string): Promise<Pair[]> {
    return this.table.queryPrefix<Pair>('ListPairs', keys.pairsOf(cycleId));
  }

  async getPair(cycleId: string, pairId: string): Promise<Pair | undefined> {
    return this.table.get<Pair>('GetPair', keys.pair(cycleId, pairId));
  }

  async openPhase(cycleId: string, phase: AnsweredPhase, state: PhaseState): Promise<PhaseState> {
    const opened = await this.table.updateIf('OpenPhase', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET phases.#phase = :state, currentPhase = :phase',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(phases.#phase)',
      ExpressionAttributeNames: { '#phase': phase },
      ExpressionAttributeValues: { ':state': state, ':phase': phase },
    });
    if (opened) return state;
    // Opened already by an earlier attempt of the same step: its state stands.
    const existing = (await this.getCycle(cycleId))?.phases[phase];
    if (!existing) throw new NotFoundError(`cycle ${cycleId} does not exist`);
    return existing;
  }

  async updatePhase(cycleId: string, phase: AnsweredPhase, patch: Partial<PhaseState>): Promise<void> {
    const entries = Object.entries(patch);
    if (entries.length === 0) return;
    const names: Record<string, string> = { '#phase': phase };
    const values: Record<string, unknown> = {};
    const sets = entries.map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `phases.#phase.#f${i} = :v${i}`;
    });
    await this.updateExisting('UpdatePhase', cycleId, {
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async closePhase(cycleId: string, phase: AnsweredPhase, closedAt: number): Promise<void> {
    // Closed already by an earlier attempt of the same step: nothing to do.
    await this.table.updateIf('ClosePhase', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET phases.#phase.closedAt = :closedAt',
      ConditionExpression: 'attribute_exists(phases.#phase) AND attribute_not_exists(phases.#phase.closedAt)',
      ExpressionAttributeNames: { '#phase': phase },
      ExpressionAttributeValues: { ':closedAt': closedAt },
    });
  }

  async setCurrentPhase(cycleId: string, phase: Phase): Promise<void> {
    await this.updateExisting('SetCurrentPhase', cycleId, { UpdateExpression: 'SET currentPhase = :phase', ExpressionAttributeValues: { ':phase': phase } });
  }

  async markSucceeded(cycleId: string, reportPath: string, endedAt: number): Promise<void> {
    await this.endIfRunning('MarkSucceeded', cycleId, {
      UpdateExpression: 'SET #status = :succeeded, reportPath = :report, endedAt = :endedAt, currentPhase = :review',
      ExpressionAttributeValues: { ':succeeded': 'succeeded', ':report': reportPath, ':endedAt': endedAt, ':review': 'review' },
    });
  }

  async markFailed(cycleId: string, failure: { error: string; cause: string }, endedAt: number): Promise<boolean> {
    return this.endIfRunning('MarkFailed', cycleId, {
      UpdateExpression: 'SET #status = :failed, failure = :failure, endedAt = :endedAt',
      ExpressionAttributeValues: { ':failed': 'failed', ':failure': failure, ':endedAt': endedAt },
    });
  }

  async markStopped(cycleId: string, endedAt: number): Promise<void> {
    await this.endIfRunning('MarkStopped', cycleId, {
      UpdateExpression: 'SET #status = :stopped, endedAt = :endedAt',
      ExpressionAttributeValues: { ':stopped': 'stopped', ':endedAt': endedAt },
    });
  }

  async markResumed(cycleId: string): Promise<boolean> {
    return this.table.updateIf('MarkResumed', {
      Key: keys.cycle(cycleId),
      UpdateExpression: 'SET #status = :running REMOVE failure, endedAt',
      ConditionExpression: 'attribute_exists(PK) AND #status = :failed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':failed': 'failed' },
    });
  }

  /** Updates the cycle item; NotFoundError when there is none. */
  private async updateExisting(action: string, cycleId: string, update: Omit<UpdateInput, 'Key' | 'ConditionExpression'>): Promise<void> {
    const updated = await this.table.updateIf(action, { ...update, Key: keys.cycle(cycleId), ConditionExpression: 'attribute_exists(PK)' });
    if (!updated) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  }

  /** Ends a running cycle: the first outcome wins (false when the cycle had ended already, or does not exist). */
  private async endIfRunning(
    action: string,
    cycleId: string,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<boolean> {
    return this.table.updateIf(action, {
      Key: keys.cycle(cycleId),
      UpdateExpression: update.UpdateExpression,
      ConditionExpression: 'attribute_exists(PK) AND #status = :running',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':running': 'running' },
    });
  }
}
