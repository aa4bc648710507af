import type { Cycle, Member } from '../domain/cycle.ts';
import { parsePhaseKey } from './phases/registry.ts';
import { ValidationError, issuesFromZod } from '../domain/errors.ts';
import type { LinkSigner } from '../domain/links.ts';
import type { Matcher } from '../domain/matching/matcher.ts';
import type { Language } from '../domain/program.ts';
import { formFields, parseAnswer, type CheckInAnswer, type FeedbackAnswer, type GoalSettingAnswer, type SurveyContext } from '../domain/surveys.ts';
import * as z from '../domain/validation.ts';
import { bindingMatches, formBinding, keyedId } from './form-binding.ts';
import { FORUM_CATEGORIES, type ForumSuggestion } from './participant-records.ts';
import type { Clock, CycleStore, ParticipantActionStore, ProgramStore } from './ports.ts';
import { rematchAfterDecline } from './rematch.ts';
import { formPage, invitationPage, noticePage, noticeWithForum, optOutPage, type ForumView, type NoticeKind } from './survey-pages.ts';

export interface SurveyDeps {
  store: CycleStore & ProgramStore & ParticipantActionStore;
  clock: Clock;
  signer: LinkSigner;
  /** Used to pair a partner again after a decline. */
  matcher: Matcher;
}

export interface PageResult {
  status: number;
  html: string;
}

/** The phase key of the "leave the program" link. */
export const OPT_OUT_KEY = 'opt-out';
/** Suggestions show in the forum once this many people have answered the feedback phase. */
export const FORUM_THRESHOLD = 5;
const FORUM_PER_CATEGORY = 20;

type Link = { token: string; action: string; binding: string };
type Resolved =
  | { ok: false; page: PageResult }
  | { ok: true; cycle: Cycle; member: Member; phaseKey: string; phase: NonNullable<ReturnType<typeof parsePhaseKey>>; language: Language; optOut: false }
  | { ok: true; cycle: Cycle; member: Member; phaseKey: string; language: Language; optOut: true };

const page = (status: number, html: string): PageResult => ({ status, html });
const notice = (language: Language | 'both', kind: NoticeKind, status: number): { ok: false; page: PageResult } => ({
  ok: false,
  page: page(status, noticePage(language, kind)),
});

/** Checks a link and finds what it points to; anything wrong becomes a clear page and changes nothing. */
async function resolve(deps: SurveyDeps, token: string): Promise<Resolved> {
  const verified = deps.signer.verify(token, deps.clock.now());
  if (!verified.ok) return verified.reason === 'expired' ? notice('both', 'expired', 410) : notice('both', 'invalid', 403);
  const { cycleId, participantId, phaseKey } = verified.scope;
  const phase = parsePhaseKey(phaseKey);
  if (!phase && phaseKey !== OPT_OUT_KEY) return notice('both', 'invalid', 403);
  const [cycle, member] = await Promise.all([deps.store.getCycle(cycleId), deps.store.getMember(cycleId, participantId)]);
  if (!cycle) return notice('both', 'missing', 404);
  if (!member) return notice(cycle.program.language, 'missing', 404);
  if (!phase) return { ok: true, cycle, member, phaseKey, language: member.language, optOut: true };
  if (member.declined) return notice(member.language, 'declined', 200);
  const state = cycle.phases[phase.phase];
  if (cycle.status !== 'running' || !state || state.closedAt !== undefined) return notice(member.language, 'closed', 410);
  return { ok: true, cycle, member, phaseKey, phase, language: member.language, optOut: false };
}

async function surveyContext(deps: SurveyDeps, cycle: Cycle, member: Member, needGoals: boolean): Promise<SurveyContext> {
  const skills = [...member.teaches, ...member.learns.filter((s) => !member.teaches.includes(s))];
  if (!needGoals) return { skills, goals: [] };
  const goalSetting = await deps.store.getResponse(cycle.cycleId, 'goal-setting', member.participantId);
  return { skills, goals: (goalSetting?.answer as GoalSettingAnswer | undefined)?.goals ?? [] };
}

type Ok = Extract<Resolved, { ok: true; optOut: false }>;

function form(
  r: Ok,
  link: Link,
  context: SurveyContext,
  extra: { values?: Record<string, string>; errors?: ValidationError['issues']; forum?: ForumView } = {},
): string {
  const names = new Map(r.cycle.program.skillsCatalog.map((s) => [s.id, s.name]));
  return formPage({
    language: r.language,
    phase: r.phase.phase,
    action: link.action,
    binding: link.binding,
    programName: r.cycle.program.name,
    partners: r.member.partners.map((p) => p.name),
    skills: context.skills.map((id) => ({ id, name: names.get(id) ?? id, role: r.member.teaches.includes(id) ? ('teach' as const) : ('learn' as const) })),
    goals: context.goals,
    ...extra,
  });
}

function invitation(
  r: Ok,
  link: Link,
  context: SurveyContext,
  extra: { errors?: ValidationError['issues']; reason?: string; values?: Record<string, string> } = {},
): string {
  const names = new Map(r.cycle.program.skillsCatalog.map((s) => [s.id, s.name]));
  return invitationPage({
    language: r.language,
    action: link.action,
    binding: link.binding,
    programName: r.cycle.program.name,
    goalsAndExpectations: r.cycle.program.goalsAndExpectations,
    partners: r.member.partners.map((p) => p.name),
    teaches: r.member.teaches.map((s) => names.get(s) ?? s),
    learns: r.member.learns.map((s) => names.get(s) ?? s),
    skills: context.skills.map((id) => ({ id, name: names.get(id) ?? id, role: r.member.teaches.includes(id) ? ('teach' as const) : ('learn' as const) })),
    ...extra,
  });
}

/**
 * The forum's suggestions, kept per container for a few seconds: a page shows at most 20 per
 * category, but ranking them reads them all, which would cost every forum page a long query in a
 * large cohort. A person's own votes are always read fresh.
 */
const FORUM_CACHE_MS = 15_000;
const forumCache = new Map<string, { at: number; suggestions: Promise<ForumSuggestion[]> }>();

function cachedSuggestions(deps: SurveyDeps, cycleId: string): Promise<ForumSuggestion[]> {
  const now = deps.clock.now();
  const hit = forumCache.get(cycleId);
  if (hit && now - hit.at < FORUM_CACHE_MS) return hit.suggestions;
  if (forumCache.size > 50) forumCache.clear();
  const suggestions = deps.store.listSuggestions(cycleId);
  forumCache.set(cycleId, { at: now, suggestions });
  suggestions.catch(() => forumCache.delete(cycleId));
  return suggestions;
}

/** Counts a vote just added in this container's cached copy, so the voter sees it at once. */
async function countInCache(cycleId: string, suggestionId: string, votedAt: number): Promise<void> {
  const hit = forumCache.get(cycleId);
  if (!hit || hit.at >= votedAt) return;
  const suggestion = (await hit.suggestions).find((s) => s.suggestionId === suggestionId);
  if (suggestion) suggestion.votes = (suggestion.votes ?? 0) + 1;
}

async function forumView(deps: SurveyDeps, r: Ok, canVote: boolean): Promise<ForumView> {
  const answered = r.cycle.responses.feedback ?? 0;
  if (answered < FORUM_THRESHOLD) return { visible: false, answered, suggestions: [], canVote };
  const [suggestions, votes] = await Promise.all([cachedSuggestions(deps, r.cycle.cycleId), deps.store.listVotesOf(r.cycle.cycleId, r.member.participantId)]);
  const own = new Set(FORUM_CATEGORIES.map((category) => suggestionId(deps, r, category)));
  const voted = new Set(votes);
  const counts = new Map<string, number>();
  const shown = suggestions
    .filter((s) => !own.has(s.suggestionId))
    .sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || a.createdAt - b.createdAt || a.suggestionId.localeCompare(b.suggestionId))
    .filter((s) => {
      const n = (counts.get(s.category) ?? 0) + 1;
      counts.set(s.category, n);
      return n <= FORUM_PER_CATEGORY;
    })
    .map((s) => ({ id: s.suggestionId, category: s.category, text: s.text, votes: s.votes ?? 0, voted: voted.has(s.suggestionId) }));
  return { visible: true, answered, suggestions: shown, canVote };
}

const suggestionId = (deps: SurveyDeps, r: Ok, category: string) => keyedId(deps.signer, r.cycle.cycleId, r.member.participantId, category);

function linkOf(deps: SurveyDeps, token: string, action: string): Link {
  return { token, action, binding: formBinding(deps.signer, token) };
}

/** GET: renders the page behind a link. Never changes anything (mail scanners open links too). */
export async function showSurvey(deps: SurveyDeps, token: string, action: string): Promise<PageResult> {
  const r = await resolve(deps, token);
  if (!r.ok) return r.page;
  const link = linkOf(deps, token, action);
  if (r.optOut) return page(200, optOutPage(r.language, link.action, link.binding, r.cycle.program.name));
  const { cycle, member, phaseKey } = r;
  const [answered, decision, context] = await Promise.all([
    deps.store.getResponse(cycle.cycleId, phaseKey, member.participantId),
    r.phase.phase === 'goal-setting' ? deps.store.getInvitationDecision(cycle.cycleId, member.participantId) : Promise.resolve(undefined),
    surveyContext(deps, cycle, member, r.phase.phase === 'measure'),
  ]);
  if (r.phase.phase === 'feedback') {
    if (answered) return page(200, noticeWithForum(r.language, 'already', link.action, link.binding, await forumView(deps, r, true)));
    return page(200, form(r, link, context, { forum: await forumView(deps, r, true) }));
  }
  if (answered) return page(200, noticePage(r.language, 'already'));
  if (r.phase.phase === 'goal-setting' && !decision) return page(200, invitation(r, link, context));
  return page(200, form(r, link, context));
}

const reasonSchema = z.string().check(z.trim(), z.maxLength(500, 'must be at most 500 characters'));
const suggestionSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, 'is not a suggestion'));

/** POST: checks the form belongs to this link, then accepts or declines, records an answer, or adds a vote — each once. */
export async function submitSurvey(deps: SurveyDeps, token: string, body: string, action: string): Promise<PageResult> {
  const r = await resolve(deps, token);
  if (!r.ok) return r.page;
  const link = linkOf(deps, token, action);
  const fields = formFields(body);
  const one = (name: string) => fields[name]?.[0];
  if (!bindingMatches(deps.signer, token, one('_bind'))) return page(403, noticePage(r.language, 'wrong-form'));
  const act = one('_action') ?? 'answer';

  if (r.optOut) {
    if (act !== 'opt-out') return page(400, noticePage(r.language, 'wrong-form'));
    await deps.store.setParticipantStatus(r.cycle.programId, r.member.participantId, 'opted-out');
    return page(200, noticePage(r.language, 'opted-out'));
  }
  const { cycle, member, phaseKey } = r;
  const now = deps.clock.now();

  if (act === 'accept' || act === 'decline') {
    if (r.phase.phase !== 'goal-setting') return page(400, noticePage(r.language, 'wrong-form'));
    if (await deps.store.getResponse(cycle.cycleId, phaseKey, member.participantId)) return page(200, noticePage(r.language, 'already'));
    const reason = reasonSchema.safeParse(one('reason') ?? '');
    if (act === 'decline' && !reason.success)
      return page(
        400,
        invitation(r, link, await surveyContext(deps, cycle, member, false), {
          errors: issuesFromZod(reason.error, 'reason'),
          reason: (one('reason') ?? '').slice(0, 500),
        }),
      );
    const decision = act === 'accept' ? 'accepted' : 'declined';
    const outcome = await deps.store.recordInvitationDecision({
      cycleId: cycle.cycleId,
      participantId: member.participantId,
      decision,
      ...(decision === 'declined' && reason.success && reason.data ? { reason: reason.data } : {}),
      partnerIds: member.partners.map((p) => p.participantId),
      decidedAt: now,
    });
    if (outcome === 'phase-closed') return page(410, noticePage(r.language, 'closed'));
    const current = outcome === 'recorded' ? decision : (await deps.store.getInvitationDecision(cycle.cycleId, member.participantId))?.decision;
    if (current === 'declined') {
      if (outcome === 'recorded') await rematchAfterDecline(deps, cycle, member);
      return page(200, noticePage(r.language, 'declined'));
    }
    return page(200, form(r, link, await surveyContext(deps, cycle, member, false)));
  }

  if (act === 'vote') {
    if (r.phase.phase !== 'feedback') return page(400, noticePage(r.language, 'wrong-form'));
    const id = suggestionSchema.safeParse(one('suggestion') ?? '');
    const visible = (cycle.responses.feedback ?? 0) >= FORUM_THRESHOLD;
    if (!id.success || !visible || FORUM_CATEGORIES.some((c) => suggestionId(deps, r, c) === id.data)) return page(400, noticePage(r.language, 'wrong-form'));
    const [outcome, answered] = await Promise.all([
      deps.store.addVote(cycle.cycleId, id.data, member.participantId, now),
      deps.store.getResponse(cycle.cycleId, phaseKey, member.participantId),
    ]);
    if (outcome === 'no-suggestion') return page(400, noticePage(r.language, 'wrong-form'));
    if (outcome === 'voted') await countInCache(cycle.cycleId, id.data, now);
    const after = await forumView(deps, r, true);
    return page(
      200,
      answered
        ? noticeWithForum(r.language, 'voted', link.action, link.binding, after)
        : form(r, link, await surveyContext(deps, cycle, member, false), { forum: after }),
    );
  }

  if (act !== 'answer') return page(400, noticePage(r.language, 'wrong-form'));
  const context = await surveyContext(deps, cycle, member, r.phase.phase === 'measure');
  let answer;
  try {
    answer = parseAnswer(r.phase.phase, body, context);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v[0] ?? '').slice(0, 2000)]));
    (fields.goal ?? []).forEach((g, i) => (values[`goal${i + 1}`] = g.slice(0, 280)));
    if (r.phase.phase === 'goal-setting' && !(await deps.store.getInvitationDecision(cycle.cycleId, member.participantId))) {
      return page(400, invitation(r, link, context, { values, errors: error.issues }));
    }
    const forum = r.phase.phase === 'feedback' ? { forum: await forumView(deps, r, true) } : {};
    return page(400, form(r, link, context, { values, errors: error.issues, ...forum }));
  }
  const response = { cycleId: cycle.cycleId, phaseKey, participantId: member.participantId, answer, recordedAt: now };
  let outcome;
  if (r.phase.phase === 'goal-setting') {
    // Setting goals is accepting the pairing (both written at once); a person who declined cannot answer.
    const decision = (await deps.store.getInvitationDecision(cycle.cycleId, member.participantId))?.decision;
    if (decision === 'declined') return page(200, noticePage(r.language, 'declined'));
    const accept = {
      cycleId: cycle.cycleId,
      participantId: member.participantId,
      decision: 'accepted' as const,
      partnerIds: member.partners.map((p) => p.participantId),
      decidedAt: now,
    };
    [, outcome] = await Promise.all([decision ? undefined : deps.store.recordInvitationDecision(accept), deps.store.recordResponse(response)]);
  } else {
    outcome =
      r.phase.phase === 'feedback'
        ? await deps.store.recordResponseWithSuggestions(response, suggestionsOf(deps, r, answer as FeedbackAnswer, now))
        : await deps.store.recordResponse(response);
  }
  if (outcome === 'phase-closed') return page(410, noticePage(r.language, 'closed'));
  if (outcome === 'recorded') await afterAnswer(deps, r, answer, now);
  if (r.phase.phase === 'feedback') {
    const counted = outcome === 'recorded' ? 1 : 0;
    const fresh = { ...r, cycle: { ...cycle, responses: { ...cycle.responses, feedback: (cycle.responses.feedback ?? 0) + counted } } };
    return page(200, noticeWithForum(r.language, outcome === 'recorded' ? 'thanks' : 'already', link.action, link.binding, await forumView(deps, fresh, true)));
  }
  return page(200, noticePage(r.language, outcome === 'recorded' ? 'thanks' : 'already'));
}

/** What a check-in answer sets off: at-risk flags. */
async function afterAnswer(deps: SurveyDeps, r: Ok, answer: unknown, now: number): Promise<void> {
  const { cycle, member } = r;
  if (r.phase.phase === 'run') {
    const checkIn = answer as CheckInAnswer;
    const round = r.phase.round ?? 0;
    let kind: 'need-help' | 'two-misses' | undefined;
    if (checkIn.status === 'need-help') kind = 'need-help';
    else if (checkIn.status === 'not-yet' && round > 1) {
      const previous = await deps.store.getResponse(cycle.cycleId, `run#${round - 1}`, member.participantId);
      if (!previous || (previous.answer as CheckInAnswer).status !== 'met') kind = 'two-misses';
    }
    if (kind) {
      const reason = { participantId: member.participantId, kind, round, ...(checkIn.note ? { note: checkIn.note } : {}), at: now };
      await Promise.all(member.partners.map((partner) => deps.store.flagPair(cycle.cycleId, partner.pairId, reason)));
    }
  }
}

/** The forum suggestions of a feedback answer: one per answered question, without the author. */
function suggestionsOf(deps: SurveyDeps, r: Ok, feedback: FeedbackAnswer, now: number): ForumSuggestion[] {
  return FORUM_CATEGORIES.flatMap((category) => {
    const value = feedback[category];
    const text = Array.isArray(value) ? value.join(', ') : value;
    return text ? [{ cycleId: r.cycle.cycleId, suggestionId: suggestionId(deps, r, category), category, text, votes: 0, createdAt: now }] : [];
  });
}
