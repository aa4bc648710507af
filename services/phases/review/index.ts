import type { PhaseModule } from '../types.ts';

/**
 * Review: metrics, the HTML report, the cycle marked succeeded, a summary email to HR. Its use
 * case is reviewCycle in services/review.ts, run by functions/review.ts; it is not imported
 * here so that the phase functions do not bundle the report renderer.
 */
export const review: PhaseModule = {
  name: 'review',
  statePrefixes: ['Review', 'CycleSucceeded'],
  opsLines: (cycle) => [{ label: 'Report', text: cycle.reportPath ? 'written' : 'not written yet' }],
};
