import { container } from '../adapters/container.ts';
import { approvalStep } from '../services/phases/approval/step.ts';
import { cycleEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

export const handler = workflowTask(cycleEvent, async ({ cycleId }) => {
  const { store, mailer, clock } = container();
  return approvalStep({ store, emailLog: store, mailer, clock }, cycleId);
});
