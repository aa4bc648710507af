import type { Cycle, Member } from '../domain/cycle.ts';
import { parsePhaseKey } from '../domain/cycle.ts';
import { ValidationError } from '../domain/errors.ts';
import type { LinkSigner } from '../domain/links.ts';
import type { Language } from '../domain/program.ts';
import { formFields, parseAnswer, type GoalSettingAnswer, type SurveyContext } from '../domain/surveys.ts';
import type { Clock, CycleStore } from './ports.ts';
import { formPage, noticePage, type NoticeKind } from './survey-pages.ts';

export interface SurveyDeps {
  store: CycleStore;
  clock: Clock;
  signer: LinkSigner;
}

export interface PageResult {
  status: number;
  html: string;
}

type Resolved =
  | { ok: false; page: PageResult }
  | { ok: true; cycle: Cycle; member: Member; phaseKey: string; phase: ReturnType<typeof parsePhaseKey> & object; language: Language };

const notice = (language: Language, kind: NoticeKind, status: number): { ok: false; page: PageResult } => ({
  ok: false,
  page: { status, html: noticePage(language, kind) },
});

/** Checks a link and finds what it points to; anything wrong becomes a clear page and changes nothing. */
async function resolve(deps: SurveyDeps, token: string): Promise<Resolved> {
  const verified = deps.signer.verify(token, deps.clock.now());
  if (!verified.ok) return verified.reason === 'expired' ? notice('en', 'expired', 410) : notice('en', 'invalid', 403);
  const { cycleId, participantId, phaseKey } = verified.scope;
  const phase = parsePhaseKey(phaseKey);
  if (!phase) return notice('en', 'invalid', 403);
  const cycle = await deps.store.getCycle(cycleId);
  if (!cycle) return notice('en', 'missing', 404);
  const member = await deps.store.getMember(cycleId, participantId);
  if (!member) return notice(cycle.program.language, 'missing', 404);
  const state = cycle.phases[phase.phase];
  if (cycle.status !== 'running' || !state || state.closedAt !== undefined) return notice(member.language, 'closed', 410);
  return { ok: true, cycle, member, phaseKey, phase, language: member.language };
}

async function surveyContext(deps: SurveyDeps, cycle: Cycle, member: Member): Promise<SurveyContext> {
  const skills = [...member.teaches, ...member.learns.filter((s) => !member.teaches.includes(s))];
  const goalSetting = await deps.store.getResponse(cycle.cycleId, 'goal-setting', member.participantId);
  return { skills, goals: (goalSetting?.answer as GoalSettingAnswer | undefined)?.goals ?? [] };
}

function form(cycle: Cycle, member: Member, resolved: Extract<Resolved, { ok: true }>, context: SurveyContext, action: string, extra?: { values: Record<string, string>; errors: ValidationError['issues'] }) {
  const names = new Map(cycle.program.skillsCatalog.map((s) => [s.id, s.name]));
  return formPage({
    language: resolved.language,
    phase: resolved.phase.phase,
    action,
    partners: member.partners.map((p) => p.name),
    skills: context.skills.map((id) => ({ id, name: names.get(id) ?? id })),
    goals: context.goals,
    ...(extra ?? {}),
  });
}

/** GET: renders the page behind a link. Never changes anything (mail scanners open links too). */
export async function showSurvey(deps: SurveyDeps, token: string, action: string): Promise<PageResult> {
  const resolved = await resolve(deps, token);
  if (!resolved.ok) return resolved.page;
  const { cycle, member, phaseKey } = resolved;
  if (await deps.store.getResponse(cycle.cycleId, phaseKey, member.participantId)) return { status: 200, html: noticePage(resolved.language, 'already') };
  return { status: 200, html: form(cycle, member, resolved, await surveyContext(deps, cycle, member), action) };
}

/** POST: validates and records an answer, once per person and phase. */
export async function submitSurvey(deps: SurveyDeps, token: string, body: string, action: string): Promise<PageResult> {
  const resolved = await resolve(deps, token);
  if (!resolved.ok) return resolved.page;
  const { cycle, member, phaseKey } = resolved;
  const context = await surveyContext(deps, cycle, member);
  let answer;
  try {
    answer = parseAnswer(resolved.phase.phase, body, context);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields = formFields(body);
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v[0] ?? '').slice(0, 2000)]));
    (fields.goal ?? []).forEach((g, i) => (values[`goal${i + 1}`] = g.slice(0, 280)));
    return { status: 400, html: form(cycle, member, resolved, context, action, { values, errors: error.issues }) };
  }
  const outcome = await deps.store.recordResponse({
    cycleId: cycle.cycleId,
    phaseKey,
    participantId: member.participantId,
    answer,
    recordedAt: deps.clock.now(),
  });
  const kind: Record<typeof outcome, [NoticeKind, number]> = { recorded: ['thanks', 200], 'already-answered': ['already', 200], 'phase-closed': ['closed', 410] };
  const [page, status] = kind[outcome];
  return { status, html: noticePage(resolved.language, page) };
}
