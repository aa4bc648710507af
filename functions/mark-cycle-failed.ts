import { container } from '../adapters/container.ts';
import { markCycleFailed } from '../services/mark-cycle-failed.ts';
import { failureEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

export const handler = workflowTask(failureEvent, async ({ cycleId, failure }) => {
  const { store, mailer, clock } = container();
  return markCycleFailed({ store, emailLog: store, mailer, clock }, cycleId, { error: failure.Error, cause: failure.Cause });
});
