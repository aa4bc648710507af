import type { Member, StoredResponse } from '../../domain/cycle.ts';
import type { EnrollmentAnswer, EnrollmentDeclaration, EnrollmentDecision } from '../../domain/enrollment.ts';
import { MAX_PAIR_MEETINGS_PER_DAY, MAX_PAIR_MINUTES_PER_DAY, type DayTally } from '../../domain/meetings.ts';
import { parsePhaseKey } from '../../services/phases/registry.ts';
import type {
  ForumSuggestion,
  InvitationDecision,
  MeetingRecord,
  PairFlag,
  PairFlagReason,
  RematchChanges,
  RematchOutcome,
  RematchRecord,
} from '../../services/participant-records.ts';
import type { CycleStore, ParticipantActionStore, RecordResponseOutcome } from '../../services/ports.ts';
import { memberItem, pairItem } from './cycle-records.ts';
import type { TableClient, TransactionItem } from './table-client.ts';
import { keys } from './table-design.ts';

/**
 * What participants leave in a cycle's partition: answers (`RESPONSE#`), invitation decisions,
 * rematches, at-risk flags, forum suggestions and votes. Item fields are in docs/participants.md.
 */
export class AnswerRecords implements Pick<CycleStore, 'recordResponse' | 'getResponse' | 'listResponses'>, ParticipantActionStore {
  constructor(private readonly table: TableClient) {}

  // ---- answers ----------------------------------------------------------------

  async recordResponse(response: StoredResponse): Promise<RecordResponseOutcome> {
    return this.recordResponseAlong('RecordResponse', response, []);
  }

  /** recordResponse for a feedback answer, with its forum suggestions in the same transaction: they exist exactly when the answer does. */
  async recordResponseWithSuggestions(response: StoredResponse, suggestions: readonly ForumSuggestion[]): Promise<RecordResponseOutcome> {
    const suggestionItems = suggestions.map((suggestion) => ({
      Put: { Item: { ...keys.suggestion(suggestion.cycleId, suggestion.suggestionId), entity: 'suggestion', ...suggestion } },
    }));
    return this.recordResponseAlong('RecordResponseWithSuggestions', response, suggestionItems);
  }

  /**
   * The answer, its counter and the acceptance in one transaction (one update of the cycle item
   * carries both counters: a transaction may touch an item once). A decision already stored,
   * a decline that raced this answer among them, refuses the whole write.
   */
  async recordResponseWithAcceptance(response: StoredResponse, acceptance: InvitationDecision): Promise<RecordResponseOutcome | 'already-decided'> {
    const acceptanceItem = {
      Put: {
        Item: { ...keys.invitation(acceptance.cycleId, acceptance.participantId), entity: 'invitation', ...acceptance },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    return this.recordResponseAlong('RecordResponseWithAcceptance', response, [acceptanceItem], {
      counter: 'invitationsAccepted',
      refused: ['already-decided'],
    });
  }

  /**
   * recordResponse for a check-in's "we met", with its meeting and the pair's tally of the day in
   * the same transaction: the meeting exists exactly when the answer does, and counts in the tally.
   */
  async recordResponseWithMeeting(
    response: StoredResponse,
    meeting: MeetingRecord,
    dayBefore: DayTally,
  ): Promise<RecordResponseOutcome | 'over-day-limit' | 'meeting-logged-already'> {
    const meetingItem = {
      Put: {
        Item: { ...keys.meeting(meeting.cycleId, meeting.pairId, meeting.meetingId), entity: 'meeting', ...meeting },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    return this.recordResponseAlong('RecordResponseWithMeeting', response, [dayTallyItem(meeting, dayBefore), meetingItem], {
      refused: ['over-day-limit', 'meeting-logged-already'],
    });
  }

  async getResponse(cycleId: string, phaseKey: string, participantId: string): Promise<StoredResponse | undefined> {
    return this.table.get<StoredResponse>('GetResponse', keys.response(cycleId, phaseKey, participantId));
  }

  async listResponses(cycleId: string, phaseKeyPrefix: string): Promise<StoredResponse[]> {
    return this.table.queryPrefix<StoredResponse>('ListResponses', keys.responsesOf(cycleId, phaseKeyPrefix));
  }

  /**
   * One transaction: the answer (refused if the person answered already), the cycle's answer
   * counter (refused unless the cycle runs and the phase is open), and any items that must exist
   * exactly when the answer does.
   */
  private async recordResponseAlong<R extends string = never>(
    action: string,
    response: StoredResponse,
    alongside: readonly TransactionItem[],
    /**
     * Conditional items alongside: the outcome when each one's condition fails (the first items of
     * `alongside`, in order), and the cycle counter the answer adds to (a transaction may touch the cycle item once).
     */
    guarded?: { counter?: string; refused: readonly R[] },
  ): Promise<RecordResponseOutcome | R> {
    const parsed = parsePhaseKey(response.phaseKey);
    if (!parsed) throw new RangeError(`unknown phase key ${response.phaseKey}`);
    return this.table.transact<RecordResponseOutcome | R>(
      action,
      [
        {
          Put: {
            Item: { ...keys.response(response.cycleId, response.phaseKey, response.participantId), entity: 'response', ...response },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            Key: keys.cycle(response.cycleId),
            UpdateExpression: `SET responses.#key = if_not_exists(responses.#key, :zero) + :one${guarded?.counter ? ' ADD #counter :one' : ''}`,
            ConditionExpression: '#status = :running AND attribute_exists(phases.#phase) AND attribute_not_exists(phases.#phase.closedAt)',
            ExpressionAttributeNames: {
              '#key': response.phaseKey,
              '#phase': parsed.phase,
              '#status': 'status',
              ...(guarded?.counter ? { '#counter': guarded.counter } : {}),
            },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':running': 'running' },
          },
        },
        ...alongside,
      ],
      'recorded',
      ['already-answered', 'phase-closed', ...(guarded?.refused ?? [])],
    );
  }

  // ---- enrollment ----------------------------------------------------------------

  /**
   * One transaction: the answer (new, or replacing the one whose decision was `previous`), the
   * cycle's counters (answered once per person; joined/declined moved) while enrollment is open,
   * and for a join the declaration the roster keeps. A transaction may touch the cycle item once,
   * so every counter moves in its one update.
   */
  async recordEnrollmentAnswer(
    response: StoredResponse<EnrollmentAnswer>,
    change: { previous?: EnrollmentDecision; declaration?: EnrollmentDeclaration },
  ): Promise<'recorded' | 'phase-closed' | 'changed-meanwhile'> {
    const parsed = parsePhaseKey(response.phaseKey);
    if (!parsed) throw new RangeError(`unknown phase key ${response.phaseKey}`);
    const counter = (decision: EnrollmentDecision) => (decision === 'joined' ? 'enrollmentJoined' : 'enrollmentDeclined');
    const moved = change.previous !== response.answer.decision;
    const adds = moved ? [`#to :one`, ...(change.previous ? ['#from :minusOne'] : [])] : [];
    return this.table.transact<'recorded' | 'phase-closed' | 'changed-meanwhile'>(
      'RecordEnrollmentAnswer',
      [
        {
          Put: {
            Item: { ...keys.response(response.cycleId, response.phaseKey, response.participantId), entity: 'response', ...response },
            ...(change.previous
              ? {
                  ConditionExpression: '#answer.#decision = :previous',
                  ExpressionAttributeNames: { '#answer': 'answer', '#decision': 'decision' },
                  ExpressionAttributeValues: { ':previous': change.previous },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        {
          Update: {
            Key: keys.cycle(response.cycleId),
            UpdateExpression: `SET responses.#key = if_not_exists(responses.#key, :zero) + :first${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
            ConditionExpression: '#status = :running AND attribute_exists(phases.#phase) AND attribute_not_exists(phases.#phase.closedAt)',
            ExpressionAttributeNames: {
              '#key': response.phaseKey,
              '#phase': parsed.phase,
              '#status': 'status',
              ...(moved ? { '#to': counter(response.answer.decision) } : {}),
              ...(moved && change.previous ? { '#from': counter(change.previous) } : {}),
            },
            ExpressionAttributeValues: {
              ':zero': 0,
              ':first': change.previous ? 0 : 1,
              ':running': 'running',
              ...(moved ? { ':one': 1 } : {}),
              ...(moved && change.previous ? { ':minusOne': -1 } : {}),
            },
          },
        },
        ...(change.declaration
          ? [
              {
                Put: {
                  Item: { ...keys.declaration(change.declaration.programId, change.declaration.participantId), entity: 'declaration', ...change.declaration },
                },
              },
            ]
          : []),
      ],
      'recorded',
      ['changed-meanwhile', 'phase-closed'],
    );
  }

  // ---- invitation decisions and rematches ---------------------------------------

  /**
   * Records a person's answer to their pairing, once. A decline also marks their member item
   * `declined` and lowers the goal-setting phase's expected answers by one, in one transaction,
   * only while the cycle runs and goal-setting is open.
   */
  async recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'> {
    const declined = decision.decision === 'declined';
    return this.table.transact(
      'RecordInvitationDecision',
      [
        {
          Put: {
            Item: { ...keys.invitation(decision.cycleId, decision.participantId), entity: 'invitation', ...decision },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
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
    return this.table.get<InvitationDecision>('GetInvitationDecision', keys.invitation(cycleId, participantId), { consistent: true });
  }

  async listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]> {
    return this.table.queryPrefix<InvitationDecision>('ListInvitationDecisions', keys.invitationsOf(cycleId));
  }

  /**
   * Stores the outcome of a rematch in one transaction: the record, the old pair marked declined,
   * the new pair (if any), updated members, the freed person's acceptance (and answer) set aside
   * when they must accept the new partner, and the cycle's counters (one update of the cycle item).
   */
  async putRematch(rematch: RematchRecord, changes: RematchChanges): Promise<RematchOutcome> {
    const { cycleId } = rematch;
    const aside = changes.setAside ?? [];
    const answered = aside.filter((a) => a.answered).length;
    const sets = [
      ...(changes.newMembers ? ['participants = participants + :n', 'phases.#gs.expected = phases.#gs.expected + :n'] : []),
      ...(answered ? ['responses.#gs = responses.#gs - :answered'] : []),
    ];
    const adds = ['rematches :one', ...(aside.length ? ['invitationsAccepted :setAside'] : [])];
    const names = changes.newMembers || answered ? { ExpressionAttributeNames: { '#gs': 'goal-setting' } } : {};
    const read = changes.partnersRead ?? {};
    const memberPut = (m: Member): TransactionItem => {
      const partners = read[m.participantId];
      const condition =
        partners === undefined
          ? {}
          : partners === null
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'size(partners) = :read', ExpressionAttributeValues: { ':read': partners } };
      return { Put: { Item: memberItem(cycleId, m), ...condition } };
    };
    const conditional: TransactionItem[] = [
      // Each acceptance set aside must still be the acceptance read (a retried rematch finds it gone and fails as a whole).
      ...aside.map((a) => ({
        Delete: {
          Key: keys.invitation(cycleId, a.participantId),
          ConditionExpression: 'decision = :accepted',
          ExpressionAttributeValues: { ':accepted': 'accepted' },
        },
      })),
      ...aside
        .filter((a) => a.answered)
        .map((a) => ({ Delete: { Key: keys.response(cycleId, 'goal-setting', a.participantId), ConditionExpression: 'attribute_exists(PK)' } })),
      // One rematch per declined pair: a second decline (a double click) of the same pair writes nothing.
      { Put: { Item: { ...keys.rematch(cycleId, rematch.rematchId), entity: 'rematch', ...rematch }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ...changes.members.map(memberPut),
    ];
    return this.table.transact<RematchOutcome>(
      'PutRematch',
      [
        ...conditional,
        {
          Update: {
            Key: keys.pair(cycleId, rematch.previousPairId),
            UpdateExpression: 'SET #status = :declined, declinedBy = :by',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':declined': 'declined', ':by': rematch.declinedBy },
          },
        },
        ...(changes.newPair ? [{ Put: { Item: pairItem(cycleId, changes.newPair) } }] : []),
        {
          Update: {
            Key: keys.cycle(cycleId),
            UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}ADD ${adds.join(', ')}`,
            ...names,
            ExpressionAttributeValues: {
              ':one': 1,
              ...(changes.newMembers ? { ':n': changes.newMembers } : {}),
              ...(answered ? { ':answered': answered } : {}),
              ...(aside.length ? { ':setAside': -aside.length } : {}),
            },
          },
        },
      ],
      'stored',
      conditional.map(() => 'changed-meanwhile' as const),
    );
  }

  async listRematches(cycleId: string): Promise<RematchRecord[]> {
    return this.table.queryPrefix<RematchRecord>('ListRematches', keys.rematchesOf(cycleId));
  }

  // ---- at-risk flags --------------------------------------------------------------

  /** Adds a reason to a pair's at-risk flag, creating the flag on first use. */
  async flagPair(cycleId: string, pairId: string, reason: PairFlagReason): Promise<void> {
    await this.table.update('FlagPair', {
      Key: keys.flag(cycleId, pairId),
      UpdateExpression:
        'SET entity = :entity, pairId = :pairId, cycleId = :cycleId, firstFlaggedAt = if_not_exists(firstFlaggedAt, :at), reasons = list_append(if_not_exists(reasons, :empty), :reason)',
      ExpressionAttributeValues: { ':entity': 'flag', ':pairId': pairId, ':cycleId': cycleId, ':at': reason.at, ':empty': [], ':reason': [reason] },
    });
  }

  async listPairFlags(cycleId: string): Promise<PairFlag[]> {
    return this.table.queryPrefix<PairFlag>('ListPairFlags', keys.flagsOf(cycleId));
  }

  // ---- forum ------------------------------------------------------------------------

  async listSuggestions(cycleId: string): Promise<ForumSuggestion[]> {
    return this.table.queryPrefix<ForumSuggestion>('ListSuggestions', keys.suggestionsOf(cycleId));
  }

  /** One vote per person and suggestion: the vote item and the suggestion's counter in one transaction. */
  async addVote(cycleId: string, suggestionId: string, voterId: string, at: number): Promise<'voted' | 'already-voted' | 'no-suggestion'> {
    return this.table.transact(
      'AddVote',
      [
        {
          Put: {
            Item: { ...keys.vote(cycleId, voterId, suggestionId), entity: 'vote', cycleId, suggestionId, voterId, at },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            Key: keys.suggestion(cycleId, suggestionId),
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
    const votes = await this.table.queryPrefix<{ suggestionId: string }>('ListVotesOf', keys.votesOf(cycleId, voterId));
    return votes.map((v) => v.suggestionId);
  }

  // ---- meetings ---------------------------------------------------------------------

  /** The meeting (if absent: a replay finds it and is not counted again) and the day's tally, in one transaction. */
  async recordMeeting(meeting: MeetingRecord, dayBefore: DayTally): Promise<'recorded' | 'already-recorded' | 'over-day-limit'> {
    return this.table.transact<'recorded' | 'already-recorded' | 'over-day-limit'>(
      'RecordMeeting',
      [
        {
          Put: {
            Item: { ...keys.meeting(meeting.cycleId, meeting.pairId, meeting.meetingId), entity: 'meeting', ...meeting },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        dayTallyItem(meeting, dayBefore),
      ],
      'recorded',
      ['already-recorded', 'over-day-limit'],
    );
  }

  async listMeetings(cycleId: string): Promise<MeetingRecord[]> {
    return this.table.queryPrefix<MeetingRecord>('ListMeetings', keys.meetingsOf(cycleId));
  }

  async listMeetingsOfPair(cycleId: string, pairId: string): Promise<MeetingRecord[]> {
    return this.table.queryPrefix<MeetingRecord>('ListMeetingsOfPair', keys.meetingsOfPair(cycleId, pairId));
  }
}

/**
 * The update that adds a meeting to its pair's tally of the day, refused past the day's limits. A
 * day with no tally yet starts from `dayBefore` (the meetings read before the write: meetings logged
 * before tallies were kept count too); once it exists, the stored tally is the only count.
 */
function dayTallyItem(meeting: MeetingRecord, dayBefore: DayTally): TransactionItem {
  const minutes = meeting.minutes ?? 0;
  // Short placeholders: every function that carries the store carries this text, and phase-tick is at its size budget.
  return {
    Update: {
      Key: keys.meetingDay(meeting.cycleId, meeting.pairId, meeting.date),
      UpdateExpression: 'SET #e = :e, #c = if_not_exists(#c, :c0) + :c1, #m = if_not_exists(#m, :m0) + :m1',
      ConditionExpression: 'attribute_not_exists(#c) OR (#c < :cMax AND #m <= :mMax)',
      ExpressionAttributeNames: { '#e': 'entity', '#c': 'meetings', '#m': 'minutes' },
      ExpressionAttributeValues: {
        ':e': 'meeting-day',
        ':c0': dayBefore.meetings,
        ':c1': 1,
        ':cMax': MAX_PAIR_MEETINGS_PER_DAY,
        ':m0': dayBefore.minutes,
        ':m1': minutes,
        ':mMax': MAX_PAIR_MINUTES_PER_DAY - minutes,
      },
    },
  };
}
