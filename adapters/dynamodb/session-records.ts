import { everyoneMay, firstInLine, firstWhoMay, waitingLine } from '../../domain/session-waiting-list.ts';
import type { InfoSession, SessionRegistration } from '../../domain/sessions.ts';
import type {
  SessionCancelOutcome,
  SessionDeclineOutcome,
  SessionMove,
  SessionMoveOutcome,
  SessionRegisterOutcome,
  SessionStore,
  SeatEligibility,
} from '../../services/ports.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** A transaction DynamoDB cancelled because another one touched the same items at that moment: worth re-reading and trying again. */
function lostToConcurrentTransaction(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string } | undefined> })?.CancellationReasons ?? [];
  const cause = (error as { cause?: unknown })?.cause;
  return reasons.some((r) => r?.Code === 'TransactionConflict') || (cause !== undefined && cause !== error && lostToConcurrentTransaction(cause));
}

/** How often a write that lost a race (the same person on two tabs, two declines at once) is tried again after re-reading. */
const RACE_ATTEMPTS = 5;

/**
 * Informational sessions (`SESSION#<id>`) and their registrations (`SESSIONREG#<session>#<participant>`)
 * in their cycle's partition. The session item counts its taken seats; every change of a seat is
 * one transaction of that counter (conditioned on the capacity) and the person's registration
 * (conditioned on its status), so a seat is never given twice.
 */
export class SessionRecords implements SessionStore {
  constructor(private readonly table: TableClient) {}

  createSession(session: InfoSession): Promise<boolean> {
    return this.table.putIf('CreateSession', {
      Item: { ...keys.session(session.cycleId, session.sessionId), entity: 'session', ...session },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  }

  getSession(cycleId: string, sessionId: string): Promise<InfoSession | undefined> {
    return this.table.get<InfoSession>('GetSession', keys.session(cycleId, sessionId), { consistent: true });
  }

  listSessions(cycleId: string): Promise<InfoSession[]> {
    return this.table.queryPrefix<InfoSession>('ListSessions', keys.sessionsOf(cycleId));
  }

  getSessionRegistration(cycleId: string, sessionId: string, participantId: string): Promise<SessionRegistration | undefined> {
    return this.table.get<SessionRegistration>('GetSessionRegistration', keys.sessionRegistration(cycleId, sessionId, participantId), { consistent: true });
  }

  /**
   * Strongly consistent: the waiting list's order decides who is promoted, and a cancel must tell
   * everyone whose seat was taken a moment before it (an eventually consistent query could miss them).
   */
  listSessionRegistrations(cycleId: string, sessionId?: string): Promise<SessionRegistration[]> {
    return this.table.queryPrefix<SessionRegistration>('ListSessionRegistrations', keys.sessionRegistrationsOf(cycleId, sessionId), { consistent: true });
  }

  async registerForSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<SessionRegisterOutcome> {
    for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
      const [existing, session] = await Promise.all([this.getSessionRegistration(cycleId, sessionId, participantId), this.getSession(cycleId, sessionId)]);
      if (existing?.status === 'registered') return 'already-registered';
      if (existing?.status === 'waitlisted') return 'already-waitlisted';
      if (!session) return 'no-session';
      if (session.cancelledAt !== undefined) return 'cancelled';
      const registration: SessionRegistration = { cycleId, sessionId, participantId, status: 'registered', updatedAt: at };
      // A free seat is taken only while nobody waits for one: else the registration joins the line, whose first is then seated (services/session-seats.ts).
      const seatFree = session.seatsTaken < session.capacity;
      if (seatFree && !firstInLine(await this.listSessionRegistrations(cycleId, sessionId))) {
        // Nobody may have joined the line since it was read (a seat freed and a person waiting, both after the read): `lineJoins` says.
        const lineUnchanged = session.lineJoins === undefined ? 'attribute_not_exists(lineJoins)' : 'lineJoins = :joins';
        const seat = await this.racing<'taken' | 'changed' | 'raced'>(
          () =>
            this.table.transact<'taken' | 'changed' | 'raced'>(
              'RegisterForSession',
              [
                {
                  Update: {
                    Key: keys.session(cycleId, sessionId),
                    UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
                    ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(cancelledAt) AND seatsTaken < #capacity AND ${lineUnchanged}`,
                    ExpressionAttributeNames: { '#capacity': 'capacity' },
                    ExpressionAttributeValues: { ':one': 1, ...(session.lineJoins === undefined ? {} : { ':joins': session.lineJoins }) },
                  },
                },
                this.putRegistration(registration, existing),
              ],
              'taken',
              ['changed', 'raced'],
            ),
          'raced',
        );
        if (seat === 'taken') return 'registered';
        // The seats, the line or the person's answer changed since they were read: read them again.
        continue;
      }
      const waiting: SessionRegistration = { ...registration, status: 'waitlisted', waitlistedAt: at };
      // The place in line is written only while the session stands: a cancel committed since the session
      // was read must not leave someone waiting on a cancelled session, untold. Joining counts in `lineJoins`.
      const placed = await this.racing<'placed' | 'not-open' | 'raced'>(
        () =>
          this.table.transact<'placed' | 'not-open' | 'raced'>(
            'WaitlistForSession',
            [
              {
                Update: {
                  Key: keys.session(cycleId, sessionId),
                  UpdateExpression: 'SET lineJoins = if_not_exists(lineJoins, :zero) + :one',
                  ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancelledAt)',
                  ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
                },
              },
              this.putRegistration(waiting, existing),
            ],
            'placed',
            ['not-open', 'raced'],
          ),
        'raced',
      );
      if (placed === 'placed') return 'waitlisted';
      if (placed === 'not-open') return (await this.getSession(cycleId, sessionId)) ? 'cancelled' : 'no-session';
    }
    throw new Error(`registration of ${participantId} for session ${sessionId} kept racing other writes`);
  }

  async declineSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<{ outcome: SessionDeclineOutcome; freedSeat: boolean }> {
    for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
      const existing = await this.getSessionRegistration(cycleId, sessionId, participantId);
      if (existing?.status === 'declined') return { outcome: 'already-declined', freedSeat: false };
      if (!existing && !(await this.getSession(cycleId, sessionId))) return { outcome: 'no-session', freedSeat: false };
      const declined: SessionRegistration = { cycleId, sessionId, participantId, status: 'declined', updatedAt: at };
      if (existing?.status === 'registered') {
        const freed = await this.racing<boolean>(
          () =>
            this.table.transact<boolean>(
              'DeclineSessionSeat',
              [
                this.putRegistration(declined, existing),
                {
                  Update: {
                    Key: keys.session(cycleId, sessionId),
                    UpdateExpression: 'SET seatsTaken = seatsTaken - :one',
                    ConditionExpression: 'seatsTaken > :zero',
                    ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
                  },
                },
              ],
              true,
              [false],
            ),
          false,
        );
        if (freed) return { outcome: 'declined', freedSeat: true };
        continue;
      }
      if (await this.table.putIf('DeclineSession', this.putRegistration(declined, existing).Put)) return { outcome: 'declined', freedSeat: false };
    }
    throw new Error(`decline of ${participantId} for session ${sessionId} kept racing other writes`);
  }

  async promoteFromWaitingList(cycleId: string, sessionId: string, at: number, mayTakeSeat: SeatEligibility = everyoneMay): Promise<string | undefined> {
    for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
      const session = await this.getSession(cycleId, sessionId);
      if (!session || session.cancelledAt !== undefined || session.seatsTaken >= session.capacity) return undefined;
      const next = await firstWhoMay(waitingLine(await this.listSessionRegistrations(cycleId, sessionId)), mayTakeSeat);
      if (!next) return undefined;
      const outcome = await this.racing<'promoted' | 'full' | 'raced'>(
        () =>
          this.table.transact<'promoted' | 'full' | 'raced'>(
            'PromoteFromWaitingList',
            [
              {
                Update: {
                  Key: keys.session(cycleId, sessionId),
                  UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
                  ConditionExpression: 'attribute_not_exists(cancelledAt) AND seatsTaken < #capacity',
                  ExpressionAttributeNames: { '#capacity': 'capacity' },
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
              {
                Update: {
                  Key: keys.sessionRegistration(cycleId, sessionId, next.participantId),
                  UpdateExpression: 'SET #status = :registered, updatedAt = :at',
                  ConditionExpression: '#status = :waitlisted',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':registered': 'registered', ':waitlisted': 'waitlisted', ':at': at },
                },
              },
            ],
            'promoted',
            ['full', 'raced'],
          ),
        'raced',
      );
      if (outcome === 'promoted') return next.participantId;
      if (outcome === 'full') return undefined;
    }
    return undefined;
  }

  async cancelSession(cycleId: string, sessionId: string, reason: string, at: number): Promise<SessionCancelOutcome> {
    const cancelled = await this.table.updateIf('CancelSession', {
      Key: keys.session(cycleId, sessionId),
      UpdateExpression: 'SET cancelledAt = :at, cancelReason = :reason',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(cancelledAt)',
      ExpressionAttributeValues: { ':at': at, ':reason': reason },
    });
    if (cancelled) return 'cancelled';
    return (await this.getSession(cycleId, sessionId)) ? 'already-cancelled' : 'no-session';
  }

  async moveSession(cycleId: string, sessionId: string, move: SessionMove, expectedSequence: number, at: number): Promise<SessionMoveOutcome> {
    const values: Record<string, unknown> = {
      ':startsAt': move.startsAt,
      ':duration': move.durationMinutes,
      ':calendar': move.calendar,
      ':sequence': move.sequence,
      ':expected': expectedSequence,
      ':at': at,
    };
    const set = ['startsAt = :startsAt', 'durationMinutes = :duration', 'calendar = :calendar', '#sequence = :sequence', 'movedAt = :at'];
    if (move.originalPlacing) {
      set.push('originalPlacing = if_not_exists(originalPlacing, :original)');
      values[':original'] = move.originalPlacing;
    }
    const remove: string[] = [];
    for (const field of ['place', 'videoLink'] as const) {
      if (move[field] === undefined) remove.push(field);
      else {
        set.push(`${field} = :${field}`);
        values[`:${field}`] = move[field];
      }
    }
    // A session added before moves existed has no sequence: it is version 0.
    const version = expectedSequence === 0 ? '(attribute_not_exists(#sequence) OR #sequence = :expected)' : '#sequence = :expected';
    const moved = await this.table.updateIf('MoveSession', {
      Key: keys.session(cycleId, sessionId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(PK) AND attribute_not_exists(cancelledAt) AND startsAt > :at AND ${version}`,
      ExpressionAttributeNames: { '#sequence': 'sequence' },
      ExpressionAttributeValues: values,
    });
    if (moved) return 'moved';
    const session = await this.getSession(cycleId, sessionId);
    if (!session) return 'no-session';
    if (session.cancelledAt !== undefined) return 'cancelled';
    if (session.startsAt <= at) return 'started';
    return 'changed-meanwhile';
  }

  recordSessionAttendance(cycleId: string, sessionId: string, participantIds: readonly string[], at: number): Promise<boolean> {
    return this.table.updateIf('RecordSessionAttendance', {
      Key: keys.session(cycleId, sessionId),
      UpdateExpression: 'SET attended = :ids, attendanceRecordedAt = :at',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':ids': [...participantIds], ':at': at },
    });
  }

  /** A seat transaction, or `raced` when DynamoDB cancelled it for a concurrent one (the caller re-reads and tries again). */
  private async racing<R>(write: () => Promise<R>, raced: R): Promise<R> {
    try {
      return await write();
    } catch (error) {
      if (lostToConcurrentTransaction(error)) return raced;
      throw error;
    }
  }

  /** The registration's new state, written only over the state it was read in (none, or the same status). */
  private putRegistration(registration: SessionRegistration, readAs: SessionRegistration | undefined) {
    return {
      Put: {
        Item: {
          ...keys.sessionRegistration(registration.cycleId, registration.sessionId, registration.participantId),
          entity: 'session-registration',
          ...registration,
        },
        ...(readAs
          ? { ConditionExpression: '#status = :was', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':was': readAs.status } }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    };
  }
}
