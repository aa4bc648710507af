import { answeredOnce } from '../schedule.ts';
import type { AnsweredPhaseModule } from '../types.ts';

const base = answeredOnce('feedback', 'Feedback', 'feedback', { template: 'feedback', goalsInInvitation: false });

/** Feedback: what worked and what to improve, a 0–10 recommendation score, and the suggestions forum. */
export const feedback: AnsweredPhaseModule = { ...base, opsLines: (cycle) => base.answerLines(cycle) };
