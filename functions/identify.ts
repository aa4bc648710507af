import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import { identify } from '../services/cycle-phases.ts';
import { cycleEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

// Exact maximum-weight matching over the whole cohort (docs/matching.md).
const matcher = new OptimalMatcher();

export const handler = workflowTask(cycleEvent, async ({ cycleId }) => {
  const { store, mailer, clock } = container();
  return identify({ store, emailLog: store, mailer, clock, matcher }, cycleId);
});
