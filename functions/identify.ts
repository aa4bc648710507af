import { container } from '../adapters/container.ts';
import { GreedyMatcher } from '../domain/matching/greedy-matcher.ts';
import { identify } from '../services/cycle-phases.ts';
import { cycleEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

const matcher = new GreedyMatcher();

export const handler = workflowTask(cycleEvent, async ({ cycleId }) => {
  const { store, mailer, clock } = container();
  return identify({ store, emailLog: store, mailer, clock, matcher }, cycleId);
});
