import { answeredOnce } from '../schedule.ts';
import type { AnsweredPhaseModule } from '../types.ts';

const base = answeredOnce('measure', 'Measure', 'measure', { template: 'measure', goalsInInvitation: false });

/** Measure: the same self-assessment as at goal-setting again, and how far each goal was reached. */
export const measure: AnsweredPhaseModule = { ...base, opsLines: (cycle) => base.answerLines(cycle) };
