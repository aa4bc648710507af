import type { Cycle, Member } from '../domain/cycle.ts';
import { isAnsweredPhaseName } from './phases/registry.ts';
import { phaseSurvey } from './phases/survey-registry.ts';
import type { SurveyDeps } from './phases/survey-types.ts';
import { declineAndPromote } from './session-seats.ts';

/**
 * What leaving the program (the opt-out link, once the roster says so) sets off in the cycle of the
 * link: the person's places in sessions still to come go to the people waiting, and their partners
 * are not left alone with no one noticing. The phase open now says what its partners get (a phase
 * that still forms pairs pairs them again, `memberLeft` of its survey); otherwise the pair is
 * flagged for HR, who tells the partner, as the opt-out page promises. Safe to run again: a
 * person's second opt-out (a retried request) finds nothing left to do.
 */
export async function afterLeaving(deps: SurveyDeps, cycle: Cycle, leaver: Member): Promise<void> {
  await giveSeatsBack(deps, cycle, leaver.participantId);
  await seeToPartners(deps, cycle, leaver);
}

async function giveSeatsBack(deps: SurveyDeps, cycle: Cycle, participantId: string): Promise<void> {
  const now = deps.clock.now();
  const [sessions, registrations] = await Promise.all([deps.store.listSessions(cycle.cycleId), deps.store.listSessionRegistrations(cycle.cycleId)]);
  const upcoming = new Set(sessions.filter((s) => s.cancelledAt === undefined && s.startsAt > now).map((s) => s.sessionId));
  const held = registrations.filter((r) => r.participantId === participantId && upcoming.has(r.sessionId) && r.status !== 'declined');
  // The seat goes to the first active person waiting (people who left or bounced are passed over, as on the session page);
  // those promoted find their seat on their session page: this function sends no email (docs/participants.md).
  for (const registration of held) await declineAndPromote(deps.store, cycle.programId, cycle.cycleId, registration.sessionId, participantId, now);
}

async function seeToPartners(deps: SurveyDeps, cycle: Cycle, leaver: Member): Promise<void> {
  const pairs = await Promise.all(leaver.partners.map((p) => deps.store.getPair(cycle.cycleId, p.pairId)));
  // A pair already declined (a decline, or this leave seen to before) was seen to then.
  const live = new Set(pairs.flatMap((p) => (p && p.status !== 'declined' ? [p.pairId] : [])));
  const stillPaired = { ...leaver, partners: leaver.partners.filter((p) => live.has(p.pairId)) };
  if (!stillPaired.partners.length || cycle.status !== 'running') return;
  const phase = cycle.currentPhase;
  const open = isAnsweredPhaseName(phase) && cycle.phases[phase] !== undefined && cycle.phases[phase]?.closedAt === undefined;
  if (open && (await phaseSurvey(phase).memberLeft?.(deps, cycle, stillPaired))) return;
  const flagged = await deps.store.listPairFlags(cycle.cycleId);
  const alreadyFlagged = (pairId: string) =>
    flagged.some((f) => f.pairId === pairId && f.reasons.some((r) => r.kind === 'left-program' && r.participantId === leaver.participantId));
  const at = deps.clock.now();
  for (const { pairId } of stillPaired.partners)
    if (!alreadyFlagged(pairId)) await deps.store.flagPair(cycle.cycleId, pairId, { participantId: leaver.participantId, kind: 'left-program', at });
}
