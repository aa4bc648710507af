import { container } from '../adapters/container.ts';
import { RetentionIncompleteError } from '../domain/errors.ts';
import { markCycleFailed, markCycleResumed, markCycleStopped, type CycleStatusOutcome } from '../services/mark-cycle-failed.ts';
import { executionStatusChangeEvent } from './events.ts';
import { workBudget, workflowTask } from './middleware/workflow-task.ts';

/**
 * The workflow's failures are the execution's own (no Catch ends it "successfully"), so that
 * RedriveExecution can resume it: this handler, invoked by EventBridge on a status change, marks
 * the cycle failed and tells ops, or marks it running again when the execution is redriven.
 */
export const handler = workflowTask(executionStatusChangeEvent, async ({ detail }, context) => {
  const { store, mailer, clock } = container();
  const deps = { store, emailLog: store, mailer, clock };
  const budget = workBudget(context);
  let outcome: CycleStatusOutcome;
  if (detail.status === 'RUNNING') outcome = await markCycleResumed(deps, detail.name, budget);
  else if (detail.status === 'SUCCEEDED' || detail.status === 'PENDING_REDRIVE')
    outcome = { cycleId: detail.name, status: 'unchanged', retentionComplete: true };
  else if (detail.status === 'ABORTED') outcome = await markCycleStopped(deps, detail.name, budget);
  else
    outcome = await markCycleFailed(deps, detail.name, { error: detail.error ?? detail.status, cause: detail.cause ?? '' }, detail.redriveCount ?? 0, budget);
  // Failing the invocation makes EventBridge (locally, the stack) deliver the change again: the next call goes on with the expiry.
  if (!outcome.retentionComplete) throw new RetentionIncompleteError(`cycle ${detail.name}: not every item has its expiry yet; delivered again, it goes on`);
  return outcome;
});
