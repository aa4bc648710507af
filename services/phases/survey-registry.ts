import type { AnsweredPhase } from '../../domain/program.ts';
import { enrollmentSurvey } from './enrollment/survey.ts';
import { feedbackSurvey } from './feedback/survey.ts';
import { goalSettingSurvey } from './goal-setting/survey.ts';
import { measureSurvey } from './measure/survey.ts';
import { runSurvey } from './run/survey.ts';
import type { PhaseSurvey } from './survey-types.ts';

/**
 * Each answered phase's participant page. Temporary: at merge each survey joins its phase's
 * module (services/phases/<phase>/index.ts) and this lookup folds into services/phases/registry.ts.
 */
const surveys: { readonly [P in AnsweredPhase]: PhaseSurvey } = {
  enrollment: enrollmentSurvey,
  'goal-setting': goalSettingSurvey,
  run: runSurvey,
  measure: measureSurvey,
  feedback: feedbackSurvey,
};

export function phaseSurvey(phase: AnsweredPhase): PhaseSurvey {
  return surveys[phase];
}
