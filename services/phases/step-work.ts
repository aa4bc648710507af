import type { AnsweredPhase } from '../../domain/program.ts';
import { sendIntroductions } from './goal-setting/introductions.ts';
import type { StepWork } from './types.ts';

/**
 * What a phase does on each of its steps besides sending its batches: goal-setting introduces the
 * pairs whose members both accepted. Kept out of the phase modules like the survey pages
 * (survey-registry.ts): every function imports the registry (the store adapter does), and the
 * introductions' calendar writer would weigh on all of them; only the phase-tick function needs it.
 */
const stepWork: { readonly [P in AnsweredPhase]?: StepWork } = {
  'goal-setting': sendIntroductions,
};

export function phaseStepWork(phase: AnsweredPhase): StepWork | undefined {
  return stepWork[phase];
}
