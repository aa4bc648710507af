import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import { identify } from '../services/cycle-phases.ts';
import { cycleEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

// Exact maximum-weight matching over the whole cohort (docs/matching.md).
const matcher = new OptimalMatcher({ deadlineMs: 180_000 }); // the Lambda times out at 300 s; past the deadline it returns its best pairing with a proven gap

export const handler = workflowTask(cycleEvent, async ({ cycleId }) => {
  const { store, mailer, clock } = container();
  return identify({ store, emailLog: store, mailer, clock, matcher }, cycleId);
});
