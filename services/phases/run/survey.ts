import { escapeHtml } from '../../../domain/html.ts';
import type { Language } from '../../../domain/program.ts';
import { parseCheckInAnswer, type CheckInAnswer } from '../../../domain/surveys.ts';
import type { PairFlagReason } from '../../participant-records.ts';
import { formPage, typedValue, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import { formUnlessAnswered, formWithErrors, recordAnswer, skillsContext, thanksOrAlready } from '../survey-common.ts';
import type { PhaseSurvey, SurveyDeps, SurveyVisit } from '../survey-types.ts';

/** The run phase's check-ins: did the pair meet? "Need help", or two misses in a row, flags the pair for HR. */

const texts = {
  en: {
    title: 'Check-in',
    checkInQuestion: 'Did you and your partner meet since the last check-in?',
    status: { met: 'We met', 'not-yet': 'Not yet', 'need-help': 'We need help' },
    note: 'Note (optional)',
  },
  'pt-BR': {
    title: 'Acompanhamento',
    checkInQuestion: 'Você e sua dupla se encontraram desde o último acompanhamento?',
    status: { met: 'Nos encontramos', 'not-yet': 'Ainda não', 'need-help': 'Precisamos de ajuda' },
    note: 'Observação (opcional)',
  },
} satisfies Record<Language, unknown>;

export function checkInFormPage(input: FormPageInput): string {
  const c = texts[input.language];
  const labels: FieldLabels = { status: { id: 'status-met', label: c.checkInQuestion }, note: { id: 'note', label: c.note } };
  const fields = [
    `<fieldset><legend>${escapeHtml(c.checkInQuestion)}</legend>${(['met', 'not-yet', 'need-help'] as const)
      .map(
        (s) =>
          `<label class="choice" for="status-${s}"><input type="radio" id="status-${s}" name="status" value="${s}" required${input.values?.status === s ? ' checked' : ''}> ${escapeHtml(c.status[s])}</label>`,
      )
      .join(
        '',
      )}</fieldset><label for="note">${escapeHtml(c.note)}</label><textarea id="note" name="note" maxlength="500">${typedValue(input, 'note')}</textarea>`,
  ];
  return formPage(input, { title: c.title, fields, labels });
}

/** The key of a check-in round's answers (as the run phase's module names it: `run#<round>`). */
const checkInKey = (round: number) => `run#${round}`;

/** Why a check-in puts the pair at risk, if it does: "need help", or "not yet" after a missed or unanswered check-in. */
async function riskOf(deps: SurveyDeps, visit: SurveyVisit, checkIn: CheckInAnswer, round: number): Promise<PairFlagReason['kind'] | undefined> {
  if (checkIn.status === 'need-help') return 'need-help';
  if (checkIn.status !== 'not-yet' || round <= 1) return undefined;
  const previous = await deps.store.getResponse(visit.cycle.cycleId, checkInKey(round - 1), visit.member.participantId);
  return !previous || (previous.answer as CheckInAnswer).status !== 'met' ? 'two-misses' : undefined;
}

export const runSurvey: PhaseSurvey<CheckInAnswer> = {
  context: skillsContext,
  show: (deps, visit) => formUnlessAnswered(deps, visit, runSurvey),
  actions: {},
  parseAnswer: parseCheckInAnswer,
  rejected: (_deps, visit, context, fields, errors) => Promise.resolve(formWithErrors(visit, context, fields, errors, runSurvey)),
  store: recordAnswer,

  /** Flags each of the person's pairs at risk, for HR. */
  async afterAnswer(deps, visit, checkIn) {
    const round = visit.round ?? 0;
    const kind = await riskOf(deps, visit, checkIn, round);
    if (!kind) return;
    const reason = { participantId: visit.member.participantId, kind, round, ...(checkIn.note ? { note: checkIn.note } : {}), at: visit.now };
    await Promise.all(visit.member.partners.map((partner) => deps.store.flagPair(visit.cycle.cycleId, partner.pairId, reason)));
  },

  answered: thanksOrAlready,
  renderForm: checkInFormPage,
};
