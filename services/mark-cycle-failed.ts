import { summaryEmail } from '../domain/summary-email.ts';
import { loadCycle } from './phases/members.ts';
import type { WorkBudget } from './ports.ts';
import type { PhaseDeps } from './phases/types.ts';
import { sendOnce } from './send-once.ts';
import { expireEndedCycle, keepResumedCycle, type RetentionStore } from './retention.ts';

/**
 * What each status change did. `retentionComplete: false` means the budget ran out before every item
 * of the cycle had its expiry set (or cleared): the caller delivers the change again, and the call
 * goes on from there (everything else it does is done once).
 */
export interface CycleStatusOutcome {
  cycleId: string;
  status: string;
  retentionComplete: boolean;
}

/**
 * Marks a cycle failed with its cause (keeping the first cause), tells ops, once per run of the
 * execution (`redriveCount` tells a failure after a redrive from the one before it), and then sets
 * the cycle to expire: ops hear of the failure first, however long the expiry of a large cycle takes.
 */
export async function markCycleFailed(
  deps: PhaseDeps & { store: RetentionStore },
  cycleId: string,
  failure: { error: string; cause: string },
  redriveCount = 0,
  budget?: WorkBudget,
): Promise<CycleStatusOutcome> {
  const now = deps.clock.now();
  const cycle = await loadCycle(deps.store, cycleId);
  await deps.store.markFailed(cycleId, failure, now);
  // A cycle that already ended another way (stopped, succeeded) is not reported as failed.
  const marked = await loadCycle(deps.store, cycleId);
  if (marked.status !== 'failed') return { cycleId, status: marked.status, retentionComplete: true };
  const email = summaryEmail(
    `[Tandem] cycle ${cycleId} of ${cycle.program.name} failed`,
    `The program-cycle workflow for ${cycleId} stopped with an error. Participants already invited keep their answers; look at the execution for details (tandem executions show ${cycleId}) and, once the cause is fixed, resume it where it failed: tandem executions redrive ${cycleId}.`,
    [
      { label: 'Cycle', value: cycleId },
      { label: 'Phase', value: cycle.currentPhase },
      { label: 'Error', value: marked.failure?.error ?? failure.error },
      { label: 'Cause', value: (marked.failure?.cause ?? failure.cause).slice(0, 2000) },
      { label: 'Execution', value: cycle.executionArn ?? 'unknown' },
    ],
  );
  for (const to of cycle.program.opsContacts) {
    await sendOnce(deps, cycleId, redriveCount === 0 ? `failure#ops#${to}` : `failure#${redriveCount}#ops#${to}`, {
      from: cycle.program.sender,
      to,
      ...email,
      tags: { cycle: cycleId, kind: 'failure' },
    });
  }
  const { complete } = await expireEndedCycle(deps.store, cycleId, budget);
  return { cycleId, status: marked.status, retentionComplete: complete };
}

/** A failed cycle whose execution was redriven runs again: it is marked running, its failure cleared. */
export async function markCycleResumed(
  deps: { store: PhaseDeps['store'] & RetentionStore },
  cycleId: string,
  budget?: WorkBudget,
): Promise<CycleStatusOutcome> {
  await deps.store.markResumed(cycleId);
  const { complete } = await keepResumedCycle(deps.store, cycleId, budget);
  const cycle = await loadCycle(deps.store, cycleId);
  return { cycleId, status: cycle.status, retentionComplete: complete };
}

/**
 * An execution someone stopped (StopExecution: `tandem cycle stop`, the console, AWS's own tools)
 * ends its cycle as stopped, not failed; a cycle already ended keeps its outcome.
 */
export async function markCycleStopped(
  deps: Pick<PhaseDeps, 'clock'> & { store: PhaseDeps['store'] & RetentionStore },
  cycleId: string,
  budget?: WorkBudget,
): Promise<CycleStatusOutcome> {
  await deps.store.markStopped(cycleId, deps.clock.now());
  const { complete } = await expireEndedCycle(deps.store, cycleId, budget);
  const cycle = await loadCycle(deps.store, cycleId);
  return { cycleId, status: cycle.status, retentionComplete: complete };
}
