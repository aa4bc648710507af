import type { Cycle, Member } from '../domain/cycle.ts';
import { ValidationError } from '../domain/errors.ts';
import { PHASE_LINK_GRACE_SECONDS, type LinkScope } from '../domain/links.ts';
import type { Participant } from '../domain/participant.ts';
import type { AnsweredPhase, Language } from '../domain/program.ts';
import { formFields, type Answer } from '../domain/surveys.ts';
import { bindingMatches, formBinding } from './form-binding.ts';
import { afterLeaving } from './leave-program.ts';
import { leftTheProgram, rosterEntry, rosterVisitor } from './phases/members.ts';
import { parsePhaseKey } from './phases/registry.ts';
import { noticeResult, pageResult } from './phases/survey-common.ts';
import { phaseSurvey } from './phases/survey-registry.ts';
import type { PageResult, PhaseSurvey, SurveyDeps, SurveyLink, SurveyRequest, SurveyVisit } from './phases/survey-types.ts';
import { logMeeting, PAIR_PAGE_KEY, showPairPage, type PairVisit } from './pair-page.ts';
import { noticePage, optOutPage, type NoticeKind } from './survey-pages.ts';

export type { PageResult, SurveyDeps } from './phases/survey-types.ts';

/** The phase key of the "leave the program" link. */
export const OPT_OUT_KEY = 'opt-out';

/** What a link points to: an open phase, the opt-out page, or a page saying why neither. */
type Resolved =
  | { kind: 'refused'; page: PageResult }
  | { kind: 'opt-out'; cycle: Cycle; member: Member; language: Language; link: SurveyLink }
  | { kind: 'pair'; visit: PairVisit }
  | { kind: 'phase'; visit: SurveyVisit };

const refused = (language: Language | 'both', kind: NoticeKind, status: number): Resolved => ({
  kind: 'refused',
  page: pageResult(status, noticePage(language, kind)),
});

/** Checks a link and finds what it points to; anything wrong becomes a clear page and changes nothing. */
async function resolve(deps: SurveyDeps, token: string, action: string, request: SurveyRequest): Promise<Resolved> {
  const now = deps.clock.now();
  const verified = deps.signer.verify(token, now);
  if (!verified.ok && verified.reason !== 'expired') return refused('both', 'invalid', 403);
  if (!verified.ok && !(await validUntilMovedDeadline(deps, verified.scope, now))) return refused('both', 'expired', 410);
  const { cycleId, participantId, phaseKey } = verified.scope;
  const phase = parsePhaseKey(phaseKey);
  if (!phase && phaseKey !== OPT_OUT_KEY && phaseKey !== PAIR_PAGE_KEY) return refused('both', 'invalid', 403);
  const answersRead = phase ? (phaseSurvey(phase.phase).answersRead?.(phaseKey, request) ?? []) : [];
  const { cycle, member: cycleMember, answers } = await deps.store.getParticipantView(cycleId, participantId, answersRead);
  if (!cycle) return refused('both', 'missing', 404);
  // Read once for the request: whether they left, the visitor a non-member is, their time zone on meeting forms.
  // (A member's own opt-out link needs none of it.)
  const entry = phaseKey === OPT_OUT_KEY && cycleMember ? undefined : await rosterEntry(deps.store, cycle, participantId);
  // Someone who left the program is told so on every page of theirs (not "not found"), and nothing changes.
  if (phaseKey !== OPT_OUT_KEY && leftTheProgram(entry))
    return refused(cycleMember?.language ?? entry?.preferredLanguage ?? cycle.program.language, 'opted-out', 200);
  const member = cycleMember ?? (await visitorOf(deps, cycle, participantId, phase?.phase, entry));
  // A person the roster knows reads the refusal in their language; only a stranger gets the program's.
  if (!member) return refused(entry?.preferredLanguage ?? cycle.program.language, 'missing', 404);
  const link = { token, action, binding: formBinding(deps.signer, token) };
  if (phaseKey === PAIR_PAGE_KEY) {
    if (member.declined) return refused(member.language, 'declined', 200);
    // The page's "leave the program" link: the same link for the opt-out key, valid as long as this one.
    const optOut = deps.signer.sign({ cycleId, participantId, phaseKey: OPT_OUT_KEY, expiresAt: verified.scope.expiresAt });
    return { kind: 'pair', visit: { cycle, member, language: member.language, link, optOutLink: `./${optOut}`, now, rosterEntry: entry } };
  }
  if (!phase) return { kind: 'opt-out', cycle, member, language: member.language, link };
  const state = cycle.phases[phase.phase];
  if (member.declined) {
    // Only a POST (the decline sent again after its request failed): a GET never changes anything, and mail scanners open links.
    if (request === 'post' && cycle.status === 'running' && state && state.closedAt === undefined)
      await phaseSurvey(phase.phase).declinedAgain?.(deps, cycle, member);
    return refused(member.language, 'declined', 200);
  }
  // A cycle HR stopped is said to be stopped, not a phase that closed as planned.
  if (cycle.status === 'stopped') return refused(member.language, 'stopped', 410);
  if (cycle.status !== 'running' || !state || state.closedAt !== undefined) return refused(member.language, 'closed', 410);
  const prefetched = { phaseKeys: answersRead, answers };
  const visit = { cycle, member, phase: phase.phase, phaseKey, language: member.language, link, now, prefetched, rosterEntry: entry };
  return { kind: 'phase', visit: phase.round === undefined ? visit : { ...visit, round: phase.round } };
}

/**
 * A phase link signed before the phase's deadline moved (its invitations went out late: services/phases/engine.ts)
 * expires with the old deadline; it stays valid as long as a link signed for the new one would. One read, for
 * expired links only.
 */
async function validUntilMovedDeadline(deps: SurveyDeps, scope: LinkScope, now: number): Promise<boolean> {
  const phase = parsePhaseKey(scope.phaseKey);
  if (!phase) return false;
  const state = (await deps.store.getCycle(scope.cycleId))?.phases[phase.phase];
  return state?.windowStartedAt !== undefined && now / 1000 <= Math.ceil(state.deadline / 1000) + PHASE_LINK_GRACE_SECONDS;
}

/**
 * Someone who is not a member of the cycle: the phase's own visitor (enrollment's invitees);
 * for the opt-out link, whoever the roster holds (an invitee may leave before identify).
 */
async function visitorOf(
  deps: SurveyDeps,
  cycle: Cycle,
  participantId: string,
  phase: AnsweredPhase | undefined,
  entry: Participant | undefined,
): Promise<Member | undefined> {
  if (phase) return phaseSurvey(phase).visitor?.(deps, cycle, participantId, entry);
  return entry && rosterVisitor(entry, cycle);
}

/** GET: renders the page behind a link. Never changes anything (mail scanners open links too). */
export async function showSurvey(deps: SurveyDeps, token: string, action: string, preselect?: string): Promise<PageResult> {
  const r = await resolve(deps, token, action, 'page');
  if (r.kind === 'refused') return r.page;
  if (r.kind === 'opt-out') {
    // Someone who left already is told so, not asked again (the POST stays safe to send again: it finishes what leaving sets off).
    if (leftTheProgram(await rosterEntry(deps.store, r.cycle, r.member.participantId))) return pageResult(200, noticePage(r.language, 'opted-out'));
    return pageResult(200, optOutPage(r.language, r.link.action, r.link.binding, r.cycle.program.name));
  }
  if (r.kind === 'pair') return showPairPage(deps, r.visit);
  return phaseSurvey(r.visit.phase).show(deps, preselect ? { ...r.visit, preselect } : r.visit);
}

/** POST: checks the form belongs to this link, then lets the phase act on it (answer, accept, decline, vote) — each once. */
export async function submitSurvey(deps: SurveyDeps, token: string, body: string, action: string): Promise<PageResult> {
  const r = await resolve(deps, token, action, 'post');
  if (r.kind === 'refused') return r.page;
  const language = r.kind === 'opt-out' ? r.language : r.visit.language;
  const fields = formFields(body);
  if (!bindingMatches(deps.signer, token, fields._bind?.[0])) return pageResult(403, noticePage(language, 'wrong-form'));
  // A feedback vote button sends the answer form along (what was typed is kept): `_vote` makes it a vote.
  const act = fields._vote !== undefined ? 'vote' : (fields._action?.[0] ?? 'answer');

  if (r.kind === 'pair') return act === 'log-meeting' ? logMeeting(deps, r.visit, fields) : pageResult(400, noticePage(language, 'wrong-form'));
  if (r.kind === 'opt-out') {
    if (act !== 'opt-out') return pageResult(400, noticePage(language, 'wrong-form'));
    // Recorded as their own opt-out: a later roster import's `active` does not undo it (services/roster-files.ts).
    await deps.store.setParticipantStatus(r.cycle.programId, r.member.participantId, 'opted-out', deps.clock.now());
    await afterLeaving(deps, r.cycle, r.member);
    // A link from an earlier cycle's email leaves the program too: the cycles running now see to their seats and partners.
    for (const running of (await deps.store.listCycles(r.cycle.programId)).filter((c) => c.status === 'running' && c.cycleId !== r.cycle.cycleId)) {
      const member = await deps.store.getMember(running.cycleId, r.member.participantId);
      if (member && !member.declined) await afterLeaving(deps, running, member);
    }
    return pageResult(200, noticePage(language, 'opted-out'));
  }
  const { visit } = r;
  const survey = phaseSurvey(visit.phase);
  if (act === 'answer') return answer(deps, survey, visit, body);
  const other = Object.hasOwn(survey.actions, act) ? survey.actions[act] : undefined;
  if (!other) return noticeResult(visit, 'wrong-form', 400);
  return other(deps, visit, fields);
}

/** An answer: validated against the phase's questions, stored once, then what it sets off. */
async function answer(deps: SurveyDeps, survey: PhaseSurvey, visit: SurveyVisit, body: string): Promise<PageResult> {
  const context = await survey.context(deps, visit);
  let parsed: Answer;
  try {
    parsed = survey.parseAnswer(body, context);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return survey.rejected(deps, visit, context, formFields(body), error.issues);
  }
  const response = { cycleId: visit.cycle.cycleId, phaseKey: visit.phaseKey, participantId: visit.member.participantId, answer: parsed, recordedAt: visit.now };
  const outcome = await survey.store(deps, visit, response, formFields(body));
  if (typeof outcome === 'object') return outcome.refused;
  if (outcome === 'phase-closed') return noticeResult(visit, 'closed', 410);
  if (outcome === 'recorded') await survey.afterAnswer(deps, visit, parsed);
  return survey.answered(deps, visit, outcome);
}
