import type { ProgramStore, SeatEligibility, SessionDeclineOutcome, SessionRegisterOutcome, SessionStore } from './ports.ts';

/**
 * Seats and the waiting list, shared by the session page (services/session-pages.ts) and a person
 * leaving the program (services/leave-program.ts). A free seat goes to the first person in line who
 * is still active on the program's roster: people who left the program or whose address bounced
 * (`opted-out`, `unreachable`) keep their place as it is, and are passed over while they are not
 * active (an unreachable person whose address HR corrects is back in their place). A registration
 * never passes anyone in line: finding a free seat while people wait, it joins the line, and the
 * free seat goes to the first of it.
 */

type SeatStore = Pick<SessionStore, 'promoteFromWaitingList'> & Pick<ProgramStore, 'getParticipant'>;

/**
 * Whether a person may take a freed seat: not while their roster entry says they left the program or
 * their address bounced (people with no roster entry are not known to have left, as for the
 * sessions' emails: services/session-mail.ts, `notActive`). Each person is read once, and only when
 * the line reaches them.
 */
export function activeOnRoster(store: Pick<ProgramStore, 'getParticipant'>, programId: string): SeatEligibility {
  const known = new Map<string, Promise<boolean>>();
  return (participantId) => {
    let active = known.get(participantId);
    if (!active) {
      active = store.getParticipant(programId, participantId).then((entry) => entry === undefined || entry.status === 'active');
      known.set(participantId, active);
    }
    return active;
  };
}

/** Gives each free seat of a session to the first active person in line, in turn; returns who got one, in that order. */
export async function fillFreeSeats(store: SeatStore, programId: string, cycleId: string, sessionId: string, at: number): Promise<string[]> {
  const mayTakeSeat = activeOnRoster(store, programId);
  const promoted: string[] = [];
  // Each turn seats one more person (or ends): bounded by the capacity.
  for (;;) {
    const next = await store.promoteFromWaitingList(cycleId, sessionId, at, mayTakeSeat);
    if (!next) return promoted;
    promoted.push(next);
  }
}

/**
 * Registers a person: a seat, or a place in line (services/ports.ts, `registerForSession`); then a
 * seat free while people wait goes to the first active person in line. That may be this person
 * (everyone before them passed over, or the seat freed as they joined): their registration then ends
 * with the seat. `promoted` is everyone else seated, to be told.
 */
export async function registerInTurn(
  store: SeatStore & Pick<SessionStore, 'registerForSession'>,
  programId: string,
  cycleId: string,
  sessionId: string,
  participantId: string,
  at: number,
): Promise<{ outcome: SessionRegisterOutcome; promoted: string[] }> {
  const outcome = await store.registerForSession(cycleId, sessionId, participantId, at);
  // A person already waiting asks again: a seat freed since (a decline that stopped before promoting) is given now.
  if (outcome !== 'waitlisted' && outcome !== 'already-waitlisted') return { outcome, promoted: [] };
  const promoted = await fillFreeSeats(store, programId, cycleId, sessionId, at);
  const others = promoted.filter((id) => id !== participantId);
  return { outcome: others.length < promoted.length ? 'registered' : outcome, promoted: others };
}

/**
 * Takes a person's place in a session back (their seat, or their place in line), then gives free
 * seats to the first active people waiting: the session page's decline and a person leaving the
 * program share it. Asking for a promotion even when this decline freed nothing lets a retry after a
 * crash between the two writes still move the line (the store promotes only into a free seat).
 */
export async function declineAndPromote(
  store: SeatStore & Pick<SessionStore, 'declineSession'>,
  programId: string,
  cycleId: string,
  sessionId: string,
  participantId: string,
  at: number,
): Promise<{ outcome: SessionDeclineOutcome; promoted: string[] }> {
  const { outcome } = await store.declineSession(cycleId, sessionId, participantId, at);
  if (outcome === 'no-session') return { outcome, promoted: [] };
  return { outcome, promoted: await fillFreeSeats(store, programId, cycleId, sessionId, at) };
}
