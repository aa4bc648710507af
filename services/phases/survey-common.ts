import type { Member, StoredResponse } from '../../domain/cycle.ts';
import type { ValidationIssue } from '../../domain/errors.ts';
import type { FormFields, SurveyContext } from '../../domain/surveys.ts';
import { skillLabel } from '../../domain/skills.ts';
import { noticePage, type FormPageInput, type NoticeKind } from '../survey-pages.ts';
import type { PageResult, PhaseSurvey, SurveyDeps, SurveyVisit } from './survey-types.ts';

/** What the phases' surveys share: the pages most phases show, and how a visit becomes a form. */

export const pageResult = (status: number, html: string): PageResult => ({ status, html });

export const noticeResult = (visit: SurveyVisit, kind: NoticeKind, status = 200): PageResult => pageResult(status, noticePage(visit.language, kind));

/** The skills a person rates: those they teach, then those they learn. */
export function skillsToRate(member: Member): string[] {
  return [...member.teaches, ...member.learns.filter((s) => !member.teaches.includes(s))];
}

/** The survey context of a phase that asks about skills only. */
export function skillsContext(_deps: SurveyDeps, visit: SurveyVisit): Promise<SurveyContext> {
  return Promise.resolve({ skills: skillsToRate(visit.member), goals: [] });
}

/** The label of each skill of the program's catalog in the reader's language (a skill no longer in it shows its id). */
export function skillName(visit: SurveyVisit): (skillId: string) => string {
  const names = new Map(visit.cycle.program.skillsCatalog.map((s) => [s.id, skillLabel(s, visit.language)]));
  return (id) => names.get(id) ?? id;
}

/** The form page input for this visit: the person's pairing and skills, plus what they typed on a rejected answer. */
export function formInputOf(
  visit: SurveyVisit,
  context: SurveyContext,
  typed: { values?: Record<string, string>; errors?: ValidationIssue[] } = {},
): FormPageInput {
  const name = skillName(visit);
  return {
    language: visit.language,
    action: visit.link.action,
    binding: visit.link.binding,
    programName: visit.cycle.program.name,
    partners: visit.member.partners.map((p) => p.name),
    skills: context.skills.map((id) => ({ id, name: name(id), role: visit.member.teaches.includes(id) ? ('teach' as const) : ('learn' as const) })),
    goals: context.goals,
    ...typed,
  };
}

/** What a rejected form shows again: the first value of each field, cut to a safe length. */
export function typedValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v[0] ?? '').slice(0, 2000)]));
}

/** The person's stored answer to this visit's phase, if any. */
export function storedAnswer(deps: SurveyDeps, visit: SurveyVisit): Promise<StoredResponse | undefined> {
  return deps.store.getResponse(visit.cycle.cycleId, visit.phaseKey, visit.member.participantId);
}

/**
 * The person's answer under a phase key as the request found it when it began: from
 * `visit.prefetched` when the phase named the key in `answersRead`, else read now. For pages that
 * only read; a write that depends on an answer reads it again (storedAnswer).
 */
export function answerAtVisit(deps: SurveyDeps, visit: SurveyVisit, phaseKey: string): Promise<StoredResponse | undefined> {
  if (visit.prefetched?.phaseKeys.includes(phaseKey)) return Promise.resolve(visit.prefetched.answers.get(phaseKey));
  return deps.store.getResponse(visit.cycle.cycleId, phaseKey, visit.member.participantId);
}

type FormOfSurvey = Pick<PhaseSurvey, 'context' | 'renderForm'>;

/** GET of a phase with one form: the form, or "already answered". */
export async function formUnlessAnswered(
  deps: SurveyDeps,
  visit: SurveyVisit,
  survey: FormOfSurvey,
  /** The page once answered: "already answered", unless the phase says more. */
  already: () => PageResult = () => noticeResult(visit, 'already'),
): Promise<PageResult> {
  const [answered, context] = await Promise.all([answerAtVisit(deps, visit, visit.phaseKey), survey.context(deps, visit)]);
  if (answered) return already();
  return pageResult(200, survey.renderForm(formInputOf(visit, context)));
}

/** A rejected answer: the form again, with the errors and what the person typed. */
export function formWithErrors(visit: SurveyVisit, context: SurveyContext, fields: FormFields, errors: ValidationIssue[], survey: FormOfSurvey): PageResult {
  return pageResult(400, survey.renderForm(formInputOf(visit, context, { values: typedValues(fields), errors })));
}

/** Stores an answer on its own. */
export function recordAnswer(deps: SurveyDeps, _visit: SurveyVisit, response: StoredResponse): Promise<'recorded' | 'already-answered' | 'phase-closed'> {
  return deps.store.recordResponse(response);
}

/** "Thank you", or "already answered" for a repeat. */
export function thanksOrAlready(_deps: SurveyDeps, visit: SurveyVisit, outcome: 'recorded' | 'already-answered'): Promise<PageResult> {
  return Promise.resolve(noticeResult(visit, outcome === 'recorded' ? 'thanks' : 'already'));
}

export const nothingAfterAnswer = (): Promise<void> => Promise.resolve();
