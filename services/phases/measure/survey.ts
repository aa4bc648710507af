import { escapeHtml } from '../../../domain/html.ts';
import type { Language } from '../../../domain/program.ts';
import { parseMeasureAnswer, type MeasureAnswer } from '../../../domain/surveys.ts';
import { formPage, ratingSelects, typedValue, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import { GOAL_SETTING_KEY, goalsSetBy } from '../goal-setting/survey.ts';
import { formUnlessAnswered, formWithErrors, nothingAfterAnswer, recordAnswer, skillsToRate, thanksOrAlready } from '../survey-common.ts';
import type { PhaseSurvey } from '../survey-types.ts';

/** Measure asks each person to rate their skills again and how far they reached each goal they set. */

const texts = {
  en: {
    title: 'How far did you get?',
    ratingHeading: 'Rate your skills now (1 = beginner, 5 = expert)',
    attainmentHeading: 'How far did you reach each goal? (0-100%)',
  },
  'pt-BR': {
    title: 'Até onde você chegou?',
    ratingHeading: 'Avalie suas habilidades agora (1 = iniciante, 5 = especialista)',
    attainmentHeading: 'Até onde você chegou em cada meta? (0-100%)',
  },
} satisfies Record<Language, unknown>;

export function measureFormPage(input: FormPageInput): string {
  const c = texts[input.language];
  const labels: FieldLabels = {};
  const fields: string[] = [];
  if (input.skills.length)
    fields.push(`<fieldset><legend>${escapeHtml(c.ratingHeading)}</legend>${ratingSelects(input, labels, 'rating', 'ratings')}</fieldset>`);
  if (input.goals.length) {
    fields.push(
      `<fieldset><legend>${escapeHtml(c.attainmentHeading)}</legend>${input.goals
        .map((g, i) => {
          labels[`goalAttainment.${i}`] = { id: `attainment${i}`, label: g };
          return `<label for="attainment${i}">${escapeHtml(g)}</label><input id="attainment${i}" name="attainment:${i}" type="number" inputmode="numeric" min="0" max="100" step="5" required value="${typedValue(input, `attainment:${i}`)}">`;
        })
        .join('')}</fieldset>`,
    );
  }
  return formPage(input, { title: c.title, fields, labels });
}

export const measureSurvey: PhaseSurvey<MeasureAnswer> = {
  /** The person's skills and the goals they set at goal-setting. */
  async context(deps, visit) {
    return { skills: skillsToRate(visit.member), goals: await goalsSetBy(deps, visit) };
  },
  /** The goals, and for the page its own answer (already answered?); a post's answer is stored once by the store's condition. */
  answersRead: (phaseKey, request) => (request === 'page' ? [phaseKey, GOAL_SETTING_KEY] : [GOAL_SETTING_KEY]),
  show: (deps, visit) => formUnlessAnswered(deps, visit, measureSurvey),
  actions: {},
  parseAnswer: parseMeasureAnswer,
  rejected: (_deps, visit, context, fields, errors) => Promise.resolve(formWithErrors(visit, context, fields, errors, measureSurvey)),
  store: recordAnswer,
  afterAnswer: nothingAfterAnswer,
  answered: thanksOrAlready,
  renderForm: measureFormPage,
};
