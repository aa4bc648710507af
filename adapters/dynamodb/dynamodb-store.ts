import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Cycle, Member, Pair, PhaseState, StoredResponse } from '../../domain/cycle.ts';
import { parsePhaseKey } from '../../services/phases/registry.ts';
import type { Participant, ParticipantStatus } from '../../domain/participant.ts';
import type { AnsweredPhase, Phase, Program } from '../../domain/program.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type {
  CycleStore,
  EmailClaim,
  EmailLog,
  ParticipantActionStore,
  ParticipantDirectory,
  ProgramStore,
  RecordResponseOutcome,
  ReviewStore,
  StoredReview,
} from '../../services/ports.ts';
import type { ForumSuggestion, InvitationDecision, PairFlag, PairFlagReason, RematchRecord } from '../../services/participant-records.ts';
import { isConditionFailure, rethrowDynamo } from './errors.ts';
import { keys } from './table-design.ts';

/** An email claimed this long ago and never marked sent is taken to have failed before reaching SES. */
const STALE_CLAIM_MS = 5 * 60 * 1000;
const BATCH_SIZE = 25;
const WRITE_CONCURRENCY = 16;

export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
}

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, fingerprint: _f, ...rest } = item;
  return rest as T;
};

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** Every store port over Tandem's single table. */
export class DynamoDbStore implements ProgramStore, ParticipantDirectory, CycleStore, ParticipantActionStore, EmailLog, ReviewStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- programs and rosters -------------------------------------------------

  async putProgram(program: Program): Promise<void> {
    await this.send('PutProgram', () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.program(program.programId), entity: 'program', ...program } })),
    );
  }

  async getProgram(programId: string): Promise<Program | undefined> {
    const { Item } = await this.send('GetProgram', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.program(programId) })));
    return strip<Program>(Item);
  }

  async putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }> {
    let written = 0;
    let unchanged = 0;
    await inParallel(participants, WRITE_CONCURRENCY, async (participant) => {
      const fingerprint = createHash('sha256').update(JSON.stringify(participant)).digest('base64url');
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...keys.participant(programId, participant.participantId),
              GSI1PK: keys.participantByEmail(participant.email).GSI1PK,
              GSI1SK: `PROGRAM#${programId}`,
              entity: 'participant',
              fingerprint,
              programId,
              ...participant,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR fingerprint <> :fingerprint',
            ExpressionAttributeValues: { ':fingerprint': fingerprint },
          }),
        );
        written++;
      } catch (error) {
        if (isConditionFailure(error)) unchanged++;
        else rethrowDynamo(error, 'PutParticipant');
      }
    });
    return { written, unchanged };
  }

  async listParticipants(programId: string): Promise<Participant[]> {
    const k = keys.participantsOf(programId);
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': k.PK, ':sk': k.SKPrefix },
    });
    return items.map((item) => {
      const { programId: _p, ...participant } = strip<Participant & { programId: string }>(item) as Participant & { programId: string };
      return participant;
    });
  }

  async setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus): Promise<void> {
    const updated = await this.writeIf('SetParticipantStatus', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.participant(programId, participantId),
          UpdateExpression: 'SET #status = :status REMOVE fingerprint',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      ),
    );
    if (!updated) throw new NotFoundError(`participant ${participantId} is not in program ${programId}`);
  }

  /** Every program whose roster holds this email address (GSI1: `EMAIL#<email>` → `PROGRAM#<programId>`). */
  async findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>> {
    const items = await this.queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :sk)',
      ExpressionAttributeValues: { ':pk': keys.participantByEmail(email.trim().toLowerCase()).GSI1PK, ':sk': 'PROGRAM#' },
      ProjectionExpression: 'programId, participantId',
    });
    return items.flatMap((item) =>
      typeof item.programId === 'string' && typeof item.participantId === 'string' ? [{ programId: item.programId, participantId: item.participantId }] : [],
    );
  }

  // ---- cycles -----------------------------------------------------------------

  async createCycle(cycle: Cycle): Promise<boolean> {
    return this.writeIf('CreateCycle', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.cycle(cycle.cycleId),
            ...keys.cyclesOfProgram(cycle.programId),
            GSI1SK: `${new Date(cycle.startedAt).toISOString()}#${cycle.cycleId}`,
            entity: 'cycle',
            ...cycle,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async getCycle(cycleId: string): Promise<Cycle | undefined> {
    const { Item } = await this.send('GetCycle', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.cycle(cycleId), ConsistentRead: true })),
    );
    return strip<Cycle>(Item);
  }

  async listCycles(programId: string): Promise<Cycle[]> {
    const items = await this.queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.cyclesOfProgram(programId).GSI1PK },
    });
    return items.map((item) => strip<Cycle>(item) as Cycle);
  }

  async setExecution(cycleId: string, executionArn: string): Promise<void> {
    await this.update('SetExecution', cycleId, 'SET executionArn = :arn', { ':arn': executionArn });
  }

  async putCohort(cycleId: string, members: readonly Member[], pairs: readonly Pair[]): Promise<void> {
    const items = [
      ...members.map((m) => ({ ...keys.member(cycleId, m.participantId), entity: 'member', ...m })),
      ...pairs.map((p) => ({ ...keys.pair(cycleId, p.pairId), entity: 'pair', ...p })),
    ];
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      let requests = items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const { UnprocessedItems } = await this.send('PutCohort', () => this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length && attempt >= 8) rethrowDynamo({ name: 'ThrottlingException' }, 'PutCohort');
        if (requests.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
    await this.update('PutCohortCounts', cycleId, 'SET participants = :members, pairs = :pairs', {
      ':members': members.length,
      ':pairs': pairs.length,
    });
  }

  async listMembers(cycleId: string): Promise<Member[]> {
    return (await this.queryPrefix(cycleId, 'MEMBER#')) as Member[];
  }

  async getMember(cycleId: string, participantId: string): Promise<Member | undefined> {
    const { Item } = await this.send('GetMember', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.member(cycleId, participantId) })));
    return strip<Member>(Item);
  }

  async listPairs(cycleId: string): Promise<Pair[]> {
    return (await this.queryPrefix(cycleId, 'PAIR#')) as Pair[];
  }

  async openPhase(cycleId: string, phase: AnsweredPhase, state: PhaseState): Promise<PhaseState> {
    const opened = await this.writeIf('OpenPhase', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cycle(cycleId),
          UpdateExpression: 'SET phases.#phase = :state, currentPhase = :phase',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(phases.#phase)',
          ExpressionAttributeNames: { '#phase': phase },
          ExpressionAttributeValues: { ':state': state, ':phase': phase },
        }),
      ),
    );
    if (opened) return state;
    // Opened already by an earlier attempt of the same step: its state stands.
    const cycle = await this.getCycle(cycleId);
    const existing = cycle?.phases[phase];
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
    await this.update('UpdatePhase', cycleId, `SET ${sets.join(', ')}`, values, names);
  }

  async closePhase(cycleId: string, phase: AnsweredPhase, closedAt: number): Promise<void> {
    // Closed already by an earlier attempt of the same step: nothing to do.
    await this.writeIf('ClosePhase', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cycle(cycleId),
          UpdateExpression: 'SET phases.#phase.closedAt = :closedAt',
          ConditionExpression: 'attribute_exists(phases.#phase) AND attribute_not_exists(phases.#phase.closedAt)',
          ExpressionAttributeNames: { '#phase': phase },
          ExpressionAttributeValues: { ':closedAt': closedAt },
        }),
      ),
    );
  }

  async setCurrentPhase(cycleId: string, phase: Phase): Promise<void> {
    await this.update('SetCurrentPhase', cycleId, 'SET currentPhase = :phase', { ':phase': phase });
  }

  async recordResponse(response: StoredResponse): Promise<RecordResponseOutcome> {
    return this.recordResponseAlong(response, [], 'RecordResponse');
  }

  async getResponse(cycleId: string, phaseKey: string, participantId: string): Promise<StoredResponse | undefined> {
    const { Item } = await this.send('GetResponse', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.response(cycleId, phaseKey, participantId) })),
    );
    return strip<StoredResponse>(Item);
  }

  async listResponses(cycleId: string, phaseKeyPrefix: string): Promise<StoredResponse[]> {
    return (await this.queryPrefix(cycleId, `RESPONSE#${phaseKeyPrefix}`)) as StoredResponse[];
  }

  async markSucceeded(cycleId: string, reportPath: string, endedAt: number): Promise<void> {
    await this.update(
      'MarkSucceeded',
      cycleId,
      'SET #status = :succeeded, reportPath = :report, endedAt = :endedAt, currentPhase = :review',
      { ':succeeded': 'succeeded', ':report': reportPath, ':endedAt': endedAt, ':review': 'review', ':running': 'running' },
      { '#status': 'status' },
      '#status = :running',
      true,
    );
  }

  async markFailed(cycleId: string, failure: { error: string; cause: string }, endedAt: number): Promise<boolean> {
    return this.writeIf('MarkFailed', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cycle(cycleId),
          UpdateExpression: 'SET #status = :failed, failure = :failure, endedAt = :endedAt',
          ConditionExpression: 'attribute_exists(PK) AND #status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':failure': failure, ':endedAt': endedAt, ':running': 'running' },
        }),
      ),
    );
  }

  async markStopped(cycleId: string, endedAt: number): Promise<void> {
    await this.update(
      'MarkStopped',
      cycleId,
      'SET #status = :stopped, endedAt = :endedAt',
      { ':stopped': 'stopped', ':endedAt': endedAt, ':running': 'running' },
      { '#status': 'status' },
      '#status = :running',
      true,
    );
  }

  // ---- reviews (item CYCLE#<cycleId> / REVIEW) ----------------------------------

  async putReview(review: StoredReview): Promise<void> {
    const { appliedTo: _applied, ...rest } = review;
    // A retried review step writes the same figures again but never forgets that HR applied them.
    const existing = await this.getReview(review.cycleId);
    await this.send('PutReview', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `CYCLE#${review.cycleId}`, SK: 'REVIEW', entity: 'review', ...rest, ...(existing?.appliedTo ? { appliedTo: existing.appliedTo } : {}) },
        }),
      ),
    );
  }

  async getReview(cycleId: string): Promise<StoredReview | undefined> {
    const { Item } = await this.send('GetReview', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: `CYCLE#${cycleId}`, SK: 'REVIEW' }, ConsistentRead: true })),
    );
    return strip<StoredReview>(Item);
  }

  async listReviews(programId: string): Promise<StoredReview[]> {
    const cycles = (await this.listCycles(programId)).sort((a, b) => a.startedAt - b.startedAt || a.cycleId.localeCompare(b.cycleId));
    const reviews = await Promise.all(cycles.filter((c) => c.status === 'succeeded').map((c) => this.getReview(c.cycleId)));
    return reviews.filter((r): r is StoredReview => r !== undefined);
  }

  async markReviewApplied(cycleId: string, nextCycleId: string, appliedAt: number): Promise<boolean> {
    return this.writeIf('MarkReviewApplied', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `CYCLE#${cycleId}`, SK: 'REVIEW' },
          UpdateExpression: 'SET appliedTo = :applied',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(appliedTo)',
          ExpressionAttributeValues: { ':applied': { cycleId: nextCycleId, appliedAt } },
        }),
      ),
    );
  }

  // ---- email log --------------------------------------------------------------

  async claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim> {
    const claimed = await this.writeIf('ClaimEmail', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.email(cycleId, key), entity: 'email', idempotencyKey: key, to, status: 'sending', claimedAt: now },
          ConditionExpression: 'attribute_not_exists(PK) OR #status = :failed OR (#status = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':stale': now - STALE_CLAIM_MS },
        }),
      ),
    );
    if (claimed) return 'claimed';
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.email(cycleId, key), ConsistentRead: true }));
    return Item?.status === 'sent' ? 'already-sent' : 'in-flight';
  }

  async markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void> {
    return this.transact(
      'MarkEmailSent',
      [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.email(cycleId, key),
            UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :now',
            ConditionExpression: '#status = :sending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':messageId': messageId, ':now': now },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.cycle(cycleId),
            UpdateExpression: 'ADD emailsSent :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
      undefined,
      [undefined],
    );
  }

  async release(cycleId: string, key: string, reason: string): Promise<void> {
    await this.send('ReleaseEmail', () =>
      this.doc
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.email(cycleId, key),
            UpdateExpression: 'SET #status = :failed, failureReason = :reason',
            ConditionExpression: '#status = :sending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':reason': reason.slice(0, 500) },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        }),
    );
  }

  // ---- participant actions: invitation decisions, rematches, pair flags, forum --------------
  // Item keys are documented in docs/participants.md.

  /**
   * Records a person's answer to their pairing, once. A decline also marks their member item
   * `declined` and lowers the goal-setting phase's expected answers by one, in one transaction,
   * only while the cycle runs and goal-setting is open.
   */
  async recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'> {
    const cyclePk = `CYCLE#${decision.cycleId}`;
    const declined = decision.decision === 'declined';
    return this.transact(
      'RecordInvitationDecision',
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { PK: cyclePk, SK: `INVITATION#${decision.participantId}`, entity: 'invitation', ...decision },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.cycle(decision.cycleId),
            UpdateExpression: declined ? 'SET phases.#gs.expected = phases.#gs.expected - :one ADD #counter :one' : 'ADD #counter :one',
            ConditionExpression: '#status = :running AND attribute_exists(phases.#gs) AND attribute_not_exists(phases.#gs.closedAt)',
            ExpressionAttributeNames: { '#counter': declined ? 'invitationsDeclined' : 'invitationsAccepted', '#gs': 'goal-setting', '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':running': 'running' },
          },
        },
        ...(declined
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key: keys.member(decision.cycleId, decision.participantId),
                  UpdateExpression: 'SET declined = :true',
                  ConditionExpression: 'attribute_exists(PK)',
                  ExpressionAttributeValues: { ':true': true },
                },
              },
            ]
          : []),
      ],
      'recorded',
      ['already-decided', 'phase-closed'],
    );
  }

  async getInvitationDecision(cycleId: string, participantId: string): Promise<InvitationDecision | undefined> {
    const { Item } = await this.send('GetInvitationDecision', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: `CYCLE#${cycleId}`, SK: `INVITATION#${participantId}` }, ConsistentRead: true })),
    );
    return strip<InvitationDecision>(Item);
  }

  async listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]> {
    return (await this.queryPrefix(cycleId, 'INVITATION#')) as InvitationDecision[];
  }

  /** Stores the outcome of a rematch: the new pair (if any), updated member items, the old pair marked declined, and the REMATCH# record. */
  async putRematch(rematch: RematchRecord, changes: { newPair?: Pair; members: Member[]; newMembers: number }): Promise<void> {
    const cyclePk = `CYCLE#${rematch.cycleId}`;
    await this.send('PutRematch', () =>
      this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { PK: cyclePk, SK: `REMATCH#${rematch.rematchId}`, entity: 'rematch', ...rematch } } },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.pair(rematch.cycleId, rematch.previousPairId),
                UpdateExpression: 'SET #status = :declined, declinedBy = :by',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':declined': 'declined', ':by': rematch.declinedBy },
              },
            },
            ...(changes.newPair
              ? [{ Put: { TableName: this.tableName, Item: { ...keys.pair(rematch.cycleId, changes.newPair.pairId), entity: 'pair', ...changes.newPair } } }]
              : []),
            ...changes.members.map((m) => ({
              Put: { TableName: this.tableName, Item: { ...keys.member(rematch.cycleId, m.participantId), entity: 'member', ...m } },
            })),
            {
              Update: {
                TableName: this.tableName,
                Key: keys.cycle(rematch.cycleId),
                UpdateExpression: changes.newMembers
                  ? 'SET participants = participants + :n, phases.#gs.expected = phases.#gs.expected + :n ADD rematches :one'
                  : 'ADD rematches :one',
                ...(changes.newMembers ? { ExpressionAttributeNames: { '#gs': 'goal-setting' } } : {}),
                ExpressionAttributeValues: { ':one': 1, ...(changes.newMembers ? { ':n': changes.newMembers } : {}) },
              },
            },
          ],
        }),
      ),
    );
  }

  async listRematches(cycleId: string): Promise<RematchRecord[]> {
    return (await this.queryPrefix(cycleId, 'REMATCH#')) as RematchRecord[];
  }

  /** Adds a reason to a pair's at-risk flag (`FLAG#<pairId>`), creating the flag on first use. */
  async flagPair(cycleId: string, pairId: string, reason: PairFlagReason): Promise<void> {
    await this.send('FlagPair', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `CYCLE#${cycleId}`, SK: `FLAG#${pairId}` },
          UpdateExpression:
            'SET entity = :entity, pairId = :pairId, cycleId = :cycleId, firstFlaggedAt = if_not_exists(firstFlaggedAt, :at), reasons = list_append(if_not_exists(reasons, :empty), :reason)',
          ExpressionAttributeValues: { ':entity': 'flag', ':pairId': pairId, ':cycleId': cycleId, ':at': reason.at, ':empty': [], ':reason': [reason] },
        }),
      ),
    );
  }

  async listPairFlags(cycleId: string): Promise<PairFlag[]> {
    return (await this.queryPrefix(cycleId, 'FLAG#')) as PairFlag[];
  }

  /**
   * recordResponse for a feedback answer, with its forum suggestions written in the same
   * transaction: the suggestions exist exactly when the answer was recorded.
   */
  async recordResponseWithSuggestions(response: StoredResponse, suggestions: readonly ForumSuggestion[]): Promise<RecordResponseOutcome> {
    const suggestionItems = suggestions.map((suggestion) => ({
      Put: {
        TableName: this.tableName,
        Item: { PK: `CYCLE#${suggestion.cycleId}`, SK: `SUGGESTION#${suggestion.suggestionId}`, entity: 'suggestion', ...suggestion },
      },
    }));
    return this.recordResponseAlong(response, suggestionItems, 'RecordResponseWithSuggestions');
  }

  /**
   * One transaction: the answer (refused if the person answered already), the cycle's answer
   * counter (refused unless the cycle runs and the phase is open), and any items that must exist
   * exactly when the answer does.
   */
  private async recordResponseAlong(
    response: StoredResponse,
    alongside: Array<{ Put: { TableName: string; Item: Record<string, unknown> } }>,
    operation: string,
  ): Promise<RecordResponseOutcome> {
    const parsed = parsePhaseKey(response.phaseKey);
    if (!parsed) throw new RangeError(`unknown phase key ${response.phaseKey}`);
    return this.transact(
      operation,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.response(response.cycleId, response.phaseKey, response.participantId), entity: 'response', ...response },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.cycle(response.cycleId),
            UpdateExpression: 'SET responses.#key = if_not_exists(responses.#key, :zero) + :one',
            ConditionExpression: '#status = :running AND attribute_exists(phases.#phase) AND attribute_not_exists(phases.#phase.closedAt)',
            ExpressionAttributeNames: { '#key': response.phaseKey, '#phase': parsed.phase, '#status': 'status' },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':running': 'running' },
          },
        },
        ...alongside,
      ],
      'recorded',
      ['already-answered', 'phase-closed'],
    );
  }

  async listSuggestions(cycleId: string): Promise<ForumSuggestion[]> {
    return (await this.queryPrefix(cycleId, 'SUGGESTION#')) as ForumSuggestion[];
  }

  /** One vote per person and suggestion: the vote item and the suggestion's counter in one transaction. */
  async addVote(cycleId: string, suggestionId: string, voterId: string, at: number): Promise<'voted' | 'already-voted' | 'no-suggestion'> {
    return this.transact(
      'AddVote',
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { PK: `CYCLE#${cycleId}`, SK: `VOTE#${voterId}#${suggestionId}`, entity: 'vote', cycleId, suggestionId, voterId, at },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: { PK: `CYCLE#${cycleId}`, SK: `SUGGESTION#${suggestionId}` },
            UpdateExpression: 'ADD votes :one',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
      'voted',
      ['already-voted', 'no-suggestion'],
    );
  }

  /** The suggestions one person voted for. */
  async listVotesOf(cycleId: string, voterId: string): Promise<string[]> {
    const votes = (await this.queryPrefix(cycleId, `VOTE#${voterId}#`)) as Array<{ suggestionId: string }>;
    return votes.map((v) => v.suggestionId);
  }

  // ---- helpers ----------------------------------------------------------------

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      rethrowDynamo(error, action);
    }
  }

  /** A conditional write: true when it was applied, false when its condition did not hold; any other failure is rethrown. */
  private async writeIf(action: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      rethrowDynamo(error, action);
    }
  }

  /**
   * A transaction whose first items carry conditions: `applied` when it went through, else the
   * outcome named for the first item whose condition did not hold (`whenConditionFails[i]` for
   * item i). A failed condition without an outcome, and any other failure, is rethrown.
   */
  private async transact<R>(
    action: string,
    items: NonNullable<TransactWriteCommandInput['TransactItems']>,
    applied: R,
    whenConditionFails: readonly R[],
  ): Promise<R> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return applied;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string } | undefined> }).CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason?.Code === 'ConditionalCheckFailed');
      if (failed >= 0 && failed < whenConditionFails.length) return whenConditionFails[failed] as R;
      rethrowDynamo(error, action);
    }
  }

  private async update(
    action: string,
    cycleId: string,
    expression: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
    condition = 'attribute_exists(PK)',
    ignoreConditionFailure = false,
  ): Promise<void> {
    const updated = await this.writeIf(action, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.cycle(cycleId),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      ),
    );
    if (!updated && !ignoreConditionFailure) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  }

  private async queryPrefix(cycleId: string, prefix: string): Promise<unknown[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': `CYCLE#${cycleId}`, ':sk': prefix },
    });
    return items.map((item) => strip(item));
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('Query', () => this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey })));
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
