import { container } from '../adapters/container.ts';
import { configuredReportStore } from '../adapters/reports/report-stores.ts';
import { reviewCycle } from '../services/review.ts';
import { cycleEvent } from './events.ts';
import { workBudget, workflowTask } from './middleware/workflow-task.ts';

export const handler = workflowTask(cycleEvent, async ({ cycleId }, context) => {
  const { env, store, mailer, clock } = container();
  return reviewCycle({ store, emailLog: store, mailer, clock, reports: configuredReportStore(env) }, cycleId, workBudget(context));
});
