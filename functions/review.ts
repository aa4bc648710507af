import { container } from '../adapters/container.ts';
import { reviewCycle } from '../services/review.ts';
import { cycleEvent } from './events.ts';
import { workBudget, workflowTask } from './middleware/workflow-task.ts';

export const handler = workflowTask(cycleEvent, async ({ cycleId }, context) => {
  const { store, mailer, clock, reports } = container();
  return reviewCycle({ store, emailLog: store, mailer, clock, reports: reports() }, cycleId, workBudget(context));
});
