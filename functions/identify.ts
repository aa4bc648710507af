import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import { identifyCohort } from '../services/phases/identify/index.ts';
import { cycleEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

/** What the step keeps after matching: storing the cohort and its pairs (10,000 people: a few hundred batch writes). */
export const TIME_KEPT_AFTER_MATCHING_MS = 60_000;

export const handler = workflowTask(cycleEvent, async ({ cycleId }, context) => {
  const { store, mailer, clock } = container();
  // Exact maximum-weight matching over the whole cohort (docs/matching.md). Past its deadline, set
  // by the time this invocation has left, it returns its best pairing with a proven gap.
  const matcher = new OptimalMatcher({ deadlineMs: Math.max(1_000, context.getRemainingTimeInMillis() - TIME_KEPT_AFTER_MATCHING_MS) });
  return identifyCohort({ store, emailLog: store, mailer, clock, matcher }, cycleId);
});
