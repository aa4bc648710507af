import { container } from '../adapters/container.ts';
import { markCycleFailed, markCycleResumed, markCycleStopped } from '../services/mark-cycle-failed.ts';
import { executionStatusChangeEvent } from './events.ts';
import { workflowTask } from './middleware/workflow-task.ts';

/**
 * The workflow's failures are the execution's own (no Catch ends it "successfully"), so that
 * RedriveExecution can resume it: this handler, invoked by EventBridge on a status change, marks
 * the cycle failed and tells ops, or marks it running again when the execution is redriven.
 */
export const handler = workflowTask(executionStatusChangeEvent, async ({ detail }) => {
  const { store, mailer, clock } = container();
  const deps = { store, emailLog: store, mailer, clock };
  if (detail.status === 'RUNNING') return markCycleResumed(deps, detail.name);
  if (detail.status === 'SUCCEEDED' || detail.status === 'PENDING_REDRIVE') return { cycleId: detail.name, status: 'unchanged' };
  if (detail.status === 'ABORTED') return markCycleStopped(deps, detail.name);
  return markCycleFailed(deps, detail.name, { error: detail.error ?? detail.status, cause: detail.cause ?? '' }, detail.redriveCount ?? 0);
});
