import type { Cycle } from '../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { sessionCalendar } from '../domain/session-calendar.ts';
import { parseCancelReason, parseSessionInput, resolveAttendees, sessionAudience, type InfoSession, type SessionRegistration } from '../domain/sessions.ts';
import { sendSessionEmail, type SessionDeps, type SessionMailDeps } from './session-mail.ts';

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

/** Schedules a session in a running cycle; its skills must be in the cycle's catalog. */
export async function addSession(deps: SessionDeps, cycleId: string, input: unknown): Promise<InfoSession> {
  const cycle = await existingCycle(deps, cycleId);
  if (cycle.status !== 'running') throw new ConflictError(`cycle ${cycleId} is ${cycle.status}: sessions are scheduled in a running cycle`);
  const parsed = parseSessionInput(input, cycle.program.skillsCatalog, cycleId, deps.clock.now());
  const session = { ...parsed, calendar: sessionCalendar(parsed, { organizer: { name: cycle.program.name, email: cycle.program.sender } }) };
  if (!(await deps.store.createSession(session))) throw new ConflictError(`cycle ${cycleId} has a session ${session.sessionId} already`);
  return session;
}

export interface AnnouncementOutcome {
  audience: number;
  sent: number;
  alreadySent: number;
  rejected: number;
}

/** Announces a session to its audience; a repeat (or a retry after a failure) sends only what was not sent. */
export async function announceSession(deps: SessionMailDeps, cycleId: string, sessionId: string): Promise<AnnouncementOutcome> {
  const cycle = await existingCycle(deps, cycleId);
  if (cycle.status !== 'running') throw new ConflictError(`cycle ${cycleId} is ${cycle.status}: its sessions can no longer be announced`);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.cancelledAt !== undefined) throw new ConflictError(`session ${sessionId} was cancelled: it can no longer be announced`);
  if (session.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be announced`);
  const audience = sessionAudience(session, await deps.store.listMembers(cycleId));
  const outcome: AnnouncementOutcome = { audience: audience.length, sent: 0, alreadySent: 0, rejected: 0 };
  for (const member of audience) {
    const sent = await sendSessionEmail(deps, cycle, session, member, 'announcement', `session#${sessionId}#announcement#${member.participantId}`);
    if (sent === 'sent') outcome.sent++;
    else if (sent === 'rejected') outcome.rejected++;
    else outcome.alreadySent++;
  }
  return outcome;
}

export interface CancellationOutcome {
  /** False when the session had been cancelled before (this call only told whoever had not been told). */
  cancelledNow: boolean;
  session: InfoSession;
  /** Those registered or waiting, who are told; those who declined or never answered are not. */
  told: number;
  sent: number;
  alreadySent: number;
  rejected: number;
}

/** Those registered or on the waiting list of a session, by registration order of the store. */
async function holdingAPlace(deps: SessionDeps, cycleId: string, sessionId: string): Promise<SessionRegistration[]> {
  return (await deps.store.listSessionRegistrations(cycleId, sessionId)).filter((r) => r.status === 'registered' || r.status === 'waitlisted');
}

/** What `cancelSession` would do, changing nothing: the session and how many people would be told. */
export async function previewCancellation(deps: SessionDeps, cycleId: string, sessionId: string): Promise<{ session: InfoSession; wouldTell: number }> {
  await existingCycle(deps, cycleId);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be cancelled`);
  return { session, wouldTell: (await holdingAPlace(deps, cycleId, sessionId)).length };
}

/**
 * Cancels a session that has not started, then tells everyone registered or on its waiting list,
 * each with a calendar file that cancels the event for them. Safe to repeat until the session's
 * start: a session cancelled before keeps its first reason, and only those not told yet are sent
 * the email (after a failure, say). Allowed whatever the cycle's status: telling people is right.
 */
export async function cancelSession(deps: SessionMailDeps, cycleId: string, sessionId: string, reason: unknown): Promise<CancellationOutcome> {
  const why = parseCancelReason(reason);
  const cycle = await existingCycle(deps, cycleId);
  const before = await loadSession(deps, cycleId, sessionId);
  // After the start there is nothing left to call off, nor to tell (a rerun then would announce a past event's cancel).
  if (before.startsAt <= deps.clock.now()) throw new ConflictError(`session ${sessionId} has started already: it can no longer be cancelled`);
  const outcome = await deps.store.cancelSession(cycleId, sessionId, why, deps.clock.now());
  if (outcome === 'no-session') throw new NotFoundError(`cycle ${cycleId} has no session ${sessionId}`);
  const session = await loadSession(deps, cycleId, sessionId);
  const organizer = { name: cycle.program.name, email: cycle.program.sender };
  const result: CancellationOutcome = { cancelledNow: outcome === 'cancelled', session, told: 0, sent: 0, alreadySent: 0, rejected: 0 };
  // Read after the cancel committed (strongly consistent): no seat can be taken after it, so this is everyone.
  const [holding, members] = await Promise.all([holdingAPlace(deps, cycleId, sessionId), deps.store.listMembers(cycleId)]);
  const memberById = new Map(members.map((m) => [m.participantId, m]));
  for (const registration of holding) {
    const member = memberById.get(registration.participantId);
    if (!member) continue;
    result.told++;
    const calendar = sessionCalendar(session, { organizer, cancelled: true, attendee: { name: member.name, email: member.email } });
    const sent = await sendSessionEmail(deps, cycle, session, member, 'cancelled', `session#${sessionId}#cancelled#${member.participantId}`, calendar);
    if (sent === 'sent') result.sent++;
    else if (sent === 'rejected') result.rejected++;
    else result.alreadySent++;
  }
  return result;
}

/** Records who attended (addresses or participant ids of the cycle's members); unknown names are refused and nothing is written. */
export async function recordAttendance(deps: SessionDeps, cycleId: string, sessionId: string, entries: readonly string[]): Promise<InfoSession> {
  if (entries.length === 0) throw new ValidationError('attendance is empty', [{ where: 'attended', problem: 'name at least one address or participant id' }]);
  const session = await loadSession(deps, cycleId, sessionId);
  if (session.cancelledAt !== undefined) throw new ConflictError(`session ${sessionId} was cancelled: nobody attended it`);
  const attendees = resolveAttendees(entries, await deps.store.listMembers(cycleId));
  await deps.store.recordSessionAttendance(cycleId, sessionId, attendees, deps.clock.now());
  return { ...session, attended: attendees, attendanceRecordedAt: deps.clock.now() };
}

export interface SessionOverview {
  session: InfoSession;
  registrations: Array<SessionRegistration & { name: string; email: string }>;
}

/** A session with its registrations and the names behind them, for HR. */
export async function sessionOverview(deps: SessionDeps, cycleId: string, sessionId: string): Promise<SessionOverview> {
  const [session, registrations, members] = await Promise.all([
    loadSession(deps, cycleId, sessionId),
    deps.store.listSessionRegistrations(cycleId, sessionId),
    deps.store.listMembers(cycleId),
  ]);
  const byId = new Map(members.map((m) => [m.participantId, m]));
  return {
    session,
    registrations: registrations.map((r) => ({ ...r, name: byId.get(r.participantId)?.name ?? '?', email: byId.get(r.participantId)?.email ?? '?' })),
  };
}
