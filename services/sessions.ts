import type { Cycle, Member } from '../domain/cycle.ts';
import { plannedCycleEnd } from '../domain/cycle-end.ts';
import { ConfigurationError, ConflictError, NotFoundError, TandemError, TransientError, ValidationError } from '../domain/errors.ts';
import { sessionCalendar } from '../domain/session-calendar.ts';
import type { SessionStanding } from '../domain/session-emails.ts';
import {
  parseCancelReason,
  parseSessionInput,
  parseSessionMove,
  placingOf,
  resolveAttendees,
  samePlacing,
  sessionAudience,
  waitingLine,
  type InfoSession,
  type SessionRegistration,
} from '../domain/sessions.ts';
import type { SendOutcome } from './send-once.ts';
import { notActive, sendSessionEmail, type SessionDeps, type SessionMailDeps } from './session-mail.ts';

export { sessionLink, type SessionDeps, type SessionLinks, type SessionMailDeps } from './session-mail.ts';

/**
 * Informational sessions (docs/cli.md, "Informational sessions"): HR schedules one in a running cycle,
 * announces it to its audience, and records who attended; participants register or decline on
 * the session page (services/session-pages.ts).
 */

async function existingCycle(deps: SessionDeps, cycleId: string): Promise<Cycle> {
  const cycle = await deps.store.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  return cycle;
}

export async function loadSession(deps: SessionDeps, cycleId: string, sessionId: string): Promise<InfoSession> {
  const session = await deps.store.getSession(cycleId, sessionId);
  if (!session) throw new NotFoundError(`cycle ${cycleId} has no session ${sessionId}`);
  return session;
}

/**
 * A start after the cycle's planned end (domain/cycle-end.ts) is refused: the session page takes no
 * answers once the cycle ended, and the session's figures would be in no report.
 */
function startWithinCycle(cycle: Cycle, startsAt: number, what: string): void {
  const end = plannedCycleEnd(cycle);
  if (startsAt > end) {
    const at = new Date(end).toISOString().slice(0, 16).replace('T', ' ');
    throw new ValidationError(`the ${what} is not valid`, [
      { where: 'startsAt', problem: `must be before the end of cycle ${cycle.cycleId}, planned for ${at}Z (its last phase's deadline as known now)` },
    ]);
  }
}

/** Schedules a session in a running cycle, starting before the cycle's planned end; its skills must be in the cycle's catalog. */
export async function addSession(deps: SessionDeps, cycleId: string, input: unknown): Promise<InfoSession> {
  const cycle = await existingCycle(deps, cycleId);
  if (cycle.status !== 'running') throw new ConflictError(`cycle ${cycleId} is ${cycle.status}: sessions are scheduled in a running cycle`);
  const parsed = parseSessionInput(input, cycle.program.skillsCatalog, cycleId, deps.clock.now());
  startWithinCycle(cycle, parsed.startsAt, 'session');
  const session = { ...parsed, calendar: sessionCalendar(parsed, { organizer: { name: cycle.program.name, email: cycle.program.sender } }) };
  if (!(await deps.store.createSession(session))) throw new ConflictError(`cycle ${cycleId} has a session ${session.sessionId} already`);
  return session;
}

/** How the emails of one HR command went, one count per person. */
export interface SendTally {
  sent: number;
  alreadySent: number;
  /** Claimed by another run that has not finished sending them (or died doing so: a run after five minutes sends them). */
  inFlight: number;
  rejected: number;
}

const emptyTally = (): SendTally => ({ sent: 0, alreadySent: 0, inFlight: 0, rejected: 0 });

function count(tally: SendTally, outcome: SendOutcome): void {
  if (outcome === 'sent') tally.sent++;
  else if (outcome === 'rejected') tally.rejected++;
  else if (outcome === 'in-flight') tally.inFlight++;
  else tally.alreadySent++;
}

export interface AnnouncementOutcome extends SendTally {
  audience: number;
}

/** Announces a session to its audience; a repeat (or a retry after a failure) sends only what was not sent. */
export async function announceSession(deps: SessionMailDeps, cycleId: string, sessionId: string): Promise<AnnouncementOutcome> {
  const cycle = await existingCycle(deps, cycleId);
  if (cycle.status !== 'running') throw new ConflictError(`cycle ${cycleId} is ${cycle.status}: its sessions can no longer be announced`);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.cancelledAt !== undefined) throw new ConflictError(`session ${sessionId} was cancelled: it can no longer be announced`);
  if (session.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be announced`);
  const [members, left] = await Promise.all([deps.store.listMembers(cycleId), notActive(deps, cycle)]);
  const audience = sessionAudience(session, members, left);
  const outcome: AnnouncementOutcome = { audience: audience.length, ...emptyTally() };
  for (const member of audience) {
    count(outcome, await sendSessionEmail(deps, cycle, session, member, 'announcement', announcementKey(sessionId, member.participantId)));
  }
  return outcome;
}

export interface CancellationOutcome extends SendTally {
  /** False when the session had been cancelled before (this call only told whoever had not been told). */
  cancelledNow: boolean;
  session: InfoSession;
  /** Everyone a move would tell (`toldOfChange`): registered, waiting, and invited by its announcement without answering yet. */
  told: number;
}

/** What `cancelSession` would do, changing nothing: the session and how many people would be told (the same people the cancel tells). */
export async function previewCancellation(deps: ToldDeps, cycleId: string, sessionId: string): Promise<{ session: InfoSession; wouldTell: number }> {
  await existingCycle(deps, cycleId);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be cancelled`);
  return { session, wouldTell: (await toldOfChange(deps, session)).length };
}

/**
 * Cancels a session that has not started, then tells everyone a move would tell (`toldOfChange`:
 * registered, waiting, and invited by its announcement without an answer, whose calendar holds the
 * event its file added), each with a calendar file that cancels the event for them. Safe to repeat until the session's
 * start: a session cancelled before keeps its first reason, and only those not told yet are sent
 * the email (after a failure, say). Allowed whatever the cycle's status: telling people is right.
 */
export async function cancelSession(
  deps: SessionMailDeps,
  cycleId: string,
  sessionId: string,
  reason: unknown,
  hooks: ChangeHooks<[session: InfoSession]> = {},
): Promise<CancellationOutcome> {
  const why = parseCancelReason(reason);
  const cycle = await existingCycle(deps, cycleId);
  const before = await loadSession(deps, cycleId, sessionId);
  // After the start there is nothing left to call off, nor to tell (a rerun then would announce a past event's cancel).
  if (before.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be cancelled`);
  const outcome = await deps.store.cancelSession(cycleId, sessionId, why, deps.clock.now());
  if (outcome === 'no-session') throw new NotFoundError(`cycle ${cycleId} has no session ${sessionId}`);
  const session = await loadSession(deps, cycleId, sessionId);
  if (outcome === 'cancelled') await hooks.stored?.(session);
  const organizer = { name: cycle.program.name, email: cycle.program.sender };
  const result: CancellationOutcome = { cancelledNow: outcome === 'cancelled', session, told: 0, ...emptyTally() };
  // Read after the cancel committed (strongly consistent): no seat can be taken after it, so this is everyone.
  // Someone who left the program, or declined, receives no more of its emails, this one included.
  const recipients = await toldOfChange(deps, session);
  await tellOfStoredChange(`session ${sessionId} is cancelled`, result, recipients.length, hooks, async () => {
    for (const { member, standing } of recipients) {
      result.told++;
      const calendar = sessionCalendar(session, { organizer, cancelled: true, attendee: { name: member.name, email: member.email } });
      const key = `session#${sessionId}#cancelled#${member.participantId}`;
      count(result, await sendSessionEmail(deps, cycle, session, member, 'cancelled', key, { calendar, standing }));
    }
  });
  return result;
}

/**
 * What HR's command does around a change (a cancel, a move): `stored` once it is stored, before
 * anyone is told (its audit entry must not wait for the emails); `told` after a run that sent any
 * email, also when SES or a newer change stopped it.
 */
export interface ChangeHooks<Stored extends unknown[]> {
  stored?: (...args: Stored) => Promise<void>;
  told?: (tally: SendTally) => Promise<void>;
}

/**
 * Runs the emails of a change already stored (a cancel, a move): when SES stops them, the error
 * says the change is done and how far telling got, so that HR reruns the command rather than doubt it.
 */
async function tellOfStoredChange(done: string, tally: SendTally, recipients: number, hooks: ChangeHooks<never[]>, tell: () => Promise<void>): Promise<void> {
  try {
    await tell();
  } catch (error) {
    // What was sent before the stop is reported too; a failure of that report must not hide why telling stopped.
    if (tally.sent) await hooks.told?.(tally).catch(() => undefined);
    const untold = `${done}, but telling people stopped after ${tally.sent + tally.alreadySent + tally.inFlight + tally.rejected} of ${recipients}`;
    if (error instanceof TransientError)
      throw new TransientError(`${untold} (${error.message}): run the same command again to tell the rest`, { cause: error });
    if (error instanceof ConfigurationError) throw new ConfigurationError(`${untold}: ${error.message}`, { cause: error });
    // Our own errors say why telling stopped (a newer change, say); anything else (the store or the network) must still say what is stored.
    if (error instanceof TandemError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new TandemError(`${untold} (${why}): run the same command again to tell the rest`, { cause: error });
  }
  if (tally.sent) await hooks.told?.(tally);
}

export interface MoveOutcome extends SendTally {
  /** False when the session was at this placing already (a rerun: only whoever was not told yet is told). */
  movedNow: boolean;
  /** The session as it was, and as it is now. */
  before: InfoSession;
  session: InfoSession;
  /** Everyone told: registered, waiting, and invited by its announcement without answering yet. */
  told: number;
}

/** What `moveSession` would do, changing nothing: the session, its new placing and how many people would be told. */
export async function previewMove(
  deps: ToldDeps,
  cycleId: string,
  sessionId: string,
  input: unknown,
): Promise<{ session: InfoSession; moved: InfoSession; changes: boolean; wouldTell: number }> {
  const { session, moved, changes } = await plannedMove(deps, cycleId, sessionId, input);
  return { session, moved, changes, wouldTell: (await toldOfChange(deps, session)).length };
}

/** The session and its placing after HR's move, checked: its cycle running, neither cancelled nor started, and a valid move (domain/sessions.ts). */
async function plannedMove(deps: SessionDeps, cycleId: string, sessionId: string, input: unknown) {
  const cycle = await existingCycle(deps, cycleId);
  // Outside a running cycle the page takes no answers: a move's "register or decline" could not be followed.
  if (cycle.status !== 'running') throw new ConflictError(`cycle ${cycleId} is ${cycle.status}: its sessions can no longer be moved`);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.cancelledAt !== undefined) throw new ConflictError(`session ${sessionId} was cancelled: it can no longer be moved`);
  const now = deps.clock.now();
  if (session.startsAt <= now) throw new ConflictError(`session ${sessionId} has started already: it can no longer be moved`);
  const placing = parseSessionMove(input, session, now);
  // A new start must fall within the cycle too (a session's room can change whatever its start).
  if (placing.startsAt !== session.startsAt) startWithinCycle(cycle, placing.startsAt, 'move');
  // The same placing again is a rerun of the last move (after a failure while telling people, say): it tells whoever was not told.
  const changes = !samePlacing(placing, session);
  const { place: _place, videoLink: _videoLink, ...rest } = session;
  return { cycle, session, changes, moved: { ...rest, ...placing } };
}

/**
 * What finding who is told of a change reads: the store, and the email log (who was sent the
 * announcement). No mailer and no links: a dry run sends nothing, so it needs no link-signing key.
 */
export type ToldDeps = SessionDeps & { emailLog: Pick<SessionMailDeps['emailLog'], 'sentKeys'> };

/**
 * Who a move or a cancel is told to, with where each stands: everyone registered or waiting, and
 * everyone its announcement reached who has not answered (their calendar may hold the event: the
 * announcement's file added it) and is still in the cycle; never someone who declined it or is not
 * active on the roster (left the program, unreachable).
 */
async function toldOfChange(deps: ToldDeps, session: InfoSession): Promise<Array<{ member: Member; standing: SessionStanding }>> {
  const [registrations, members, announced, cycle] = await Promise.all([
    deps.store.listSessionRegistrations(session.cycleId, session.sessionId),
    deps.store.listMembers(session.cycleId),
    deps.emailLog.sentKeys(session.cycleId, announcementKey(session.sessionId, '')),
    existingCycle(deps, session.cycleId),
  ]);
  const left = await notActive(deps, cycle);
  const answered = new Map(registrations.map((r) => [r.participantId, r.status]));
  const told: Array<{ member: Member; standing: SessionStanding }> = [];
  for (const member of members) {
    if (left.has(member.participantId)) continue;
    const status = answered.get(member.participantId);
    if (status === 'registered' || status === 'waitlisted') told.push({ member, standing: status });
    else if (status === undefined && announced.has(announcementKey(session.sessionId, member.participantId)) && !member.declined && !member.unreachable)
      told.push({ member, standing: 'invited' });
  }
  return told;
}

/**
 * Moves a session that has not started (a new start, length, place or video link: what is not
 * given stays) and tells everyone registered, waiting or invited without an answer, each in their
 * language with the new placing, the original one, a fresh link and a calendar file that moves
 * the event (its next version). Seats, the waiting list and answers are kept. Running the same
 * move again tells only whoever was not told; each later move is told again. Telling stops when
 * the session is cancelled or moved again meanwhile (a ConflictError saying how many were told):
 * that newer news is what people must get last.
 */
export async function moveSession(
  deps: SessionMailDeps,
  cycleId: string,
  sessionId: string,
  input: unknown,
  hooks: ChangeHooks<[before: InfoSession, after: InfoSession]> = {},
): Promise<MoveOutcome> {
  const { cycle, session: before, moved, changes } = await plannedMove(deps, cycleId, sessionId, input);
  let session = moved;
  if (changes) {
    const sequence = (before.sequence ?? 0) + 1;
    const calendar = sessionCalendar({ ...moved, sequence }, { organizer: { name: cycle.program.name, email: cycle.program.sender } });
    // The placing people were first told of is the one before the first move after an announcement (kept once: if_not_exists).
    const announced = before.originalPlacing === undefined && (await deps.emailLog.sentKeys(cycleId, announcementKey(sessionId, ''))).size > 0;
    const move = { ...placingOf(moved), calendar, sequence, ...(announced ? { originalPlacing: placingOf(before) } : {}) };
    const outcome = await deps.store.moveSession(cycleId, sessionId, move, before.sequence ?? 0, deps.clock.now());
    if (outcome === 'no-session') throw new NotFoundError(`cycle ${cycleId} has no session ${sessionId}`);
    if (outcome === 'cancelled') throw new ConflictError(`session ${sessionId} was cancelled: it can no longer be moved`);
    if (outcome === 'started') throw new ConflictError(`session ${sessionId} has started already: it can no longer be moved`);
    if (outcome === 'changed-meanwhile')
      throw new ConflictError(`session ${sessionId} was changed by someone else meanwhile: look at it again (tandem session show) and rerun`);
    session = await loadSession(deps, cycleId, sessionId);
    await hooks.stored?.(before, session);
  }
  const sequence = session.sequence ?? 0;
  const result: MoveOutcome = { movedNow: changes, before, session, told: 0, ...emptyTally() };
  const recipients = await toldOfChange(deps, session);
  await tellOfStoredChange(`session ${sessionId} is moved`, result, recipients.length, hooks, async () => {
    for (const { member, standing } of recipients) {
      // Read again before each email: after a cancel or a later move, this move's news would be stale.
      const now = await loadSession(deps, cycleId, sessionId);
      if (now.cancelledAt !== undefined || (now.sequence ?? 0) !== sequence) {
        const what = now.cancelledAt !== undefined ? 'cancelled' : 'moved again';
        throw new ConflictError(
          `session ${sessionId} was ${what} while this move was being told (${result.sent} told now, ${result.alreadySent} before): nothing more is sent for this move`,
        );
      }
      result.told++;
      const sent = await sendSessionEmail(deps, cycle, session, member, 'moved', `session#${sessionId}#moved#${sequence}#${member.participantId}`, {
        moved: { standing, ...(session.originalPlacing ? { original: session.originalPlacing } : {}) },
      });
      count(result, sent);
    }
  });
  return result;
}

/** The idempotency key of a session's announcement to one member (with an empty id, the prefix of them all). */
const announcementKey = (sessionId: string, participantId: string) => `session#${sessionId}#announcement#${participantId}`;

export interface AttendanceOutcome {
  session: InfoSession;
  /**
   * Those recorded as attending who held no seat (had not registered, were waiting, or had declined):
   * members of the cycle may come anyway. They are recorded, and the review report counts them apart
   * from the registered who came (domain/session-figures.ts).
   */
  walkIns: string[];
}

/**
 * Records who attended a session that has started (addresses, in any letter case, or participant ids
 * as they are written, as every command takes them; any member of the cycle, walk-ins included);
 * unknown names are refused, every one named, and nothing is written. Recording again replaces it.
 */
export async function recordAttendance(deps: SessionDeps, cycleId: string, sessionId: string, entries: readonly string[]): Promise<AttendanceOutcome> {
  if (entries.length === 0) throw new ValidationError('attendance is empty', [{ where: 'attended', problem: 'name at least one address or participant id' }]);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.cancelledAt !== undefined) throw new ConflictError(`session ${sessionId} was cancelled: nobody attended it`);
  const now = deps.clock.now();
  if (session.startsAt > now)
    throw new ConflictError(
      `session ${sessionId} has not started yet (it starts ${new Date(session.startsAt).toISOString().slice(0, 16).replace('T', ' ')}Z): record who attended once it has`,
    );
  const [members, registrations] = await Promise.all([deps.store.listMembers(cycleId), deps.store.listSessionRegistrations(cycleId, sessionId)]);
  const attendees = resolveAttendees(entries, members);
  const seated = new Set(registrations.filter((r) => r.status === 'registered').map((r) => r.participantId));
  await deps.store.recordSessionAttendance(cycleId, sessionId, attendees, now);
  return { session: { ...session, attended: attendees, attendanceRecordedAt: now }, walkIns: attendees.filter((id) => !seated.has(id)) };
}

export interface SessionOverview {
  session: InfoSession;
  /**
   * Everyone who answered: those registered (by when they got their seat), then those waiting in the
   * line's order, then those who declined. Each person waiting has their `position` in line (1 =
   * next) counting only people a freed seat would go to; someone passed over (not active on the
   * roster: services/session-seats.ts) has none, and `passedOver` says their roster status.
   */
  registrations: Array<SessionRegistration & { name: string; email: string; position?: number; passedOver?: string }>;
}

/** A session with its registrations and the names behind them, for HR: the waiting list in its order. */
export async function sessionOverview(deps: SessionDeps, cycleId: string, sessionId: string): Promise<SessionOverview> {
  const cycle = await existingCycle(deps, cycleId);
  const [session, registrations, members, roster] = await Promise.all([
    loadSession(deps, cycleId, sessionId),
    deps.store.listSessionRegistrations(cycleId, sessionId),
    deps.store.listMembers(cycleId),
    deps.store.listParticipants(cycle.programId),
  ]);
  const byId = new Map(members.map((m) => [m.participantId, m]));
  const inactive = new Map(roster.filter((p) => p.status !== 'active').map((p) => [p.participantId, p.status]));
  const named = (r: SessionRegistration) => ({ ...r, name: byId.get(r.participantId)?.name ?? '?', email: byId.get(r.participantId)?.email ?? '?' });
  const byTime = (status: SessionRegistration['status']) =>
    registrations.filter((r) => r.status === status).sort((a, b) => a.updatedAt - b.updatedAt || a.participantId.localeCompare(b.participantId));
  let position = 0;
  const waiting = waitingLine(registrations).map((r) => {
    const passedOver = inactive.get(r.participantId);
    return passedOver === undefined ? { ...named(r), position: ++position } : { ...named(r), passedOver };
  });
  return { session, registrations: [...byTime('registered').map(named), ...waiting, ...byTime('declined').map(named)] };
}
