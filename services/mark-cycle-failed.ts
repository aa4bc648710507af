import { summaryEmail } from '../domain/summary-email.ts';
import { loadCycle } from './phases/members.ts';
import type { PhaseDeps } from './phases/types.ts';
import { sendOnce } from './send-once.ts';
import { expireEndedCycle, keepResumedCycle, type RetentionStore } from './retention.ts';

/**
 * Marks a cycle failed with its cause (keeping the first cause) and tells ops, once per run of the
 * execution: `redriveCount` tells a failure after a redrive from the one before it.
 */
export async function markCycleFailed(
  deps: PhaseDeps & { store: RetentionStore },
  cycleId: string,
  failure: { error: string; cause: string },
  redriveCount = 0,
) {
  const now = deps.clock.now();
  const cycle = await loadCycle(deps.store, cycleId);
  await deps.store.markFailed(cycleId, failure, now);
  // A cycle that already ended another way (stopped, succeeded) is not reported as failed.
  const marked = await loadCycle(deps.store, cycleId);
  if (marked.status !== 'failed') return { cycleId, status: marked.status };
  await expireEndedCycle(deps.store, cycleId);
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
  return { cycleId, status: marked.status };
}

/** A failed cycle whose execution was redriven runs again: it is marked running, its failure cleared. */
export async function markCycleResumed(deps: { store: PhaseDeps['store'] & RetentionStore }, cycleId: string) {
  await deps.store.markResumed(cycleId);
  await keepResumedCycle(deps.store, cycleId);
  const cycle = await loadCycle(deps.store, cycleId);
  return { cycleId, status: cycle.status };
}

/**
 * An execution someone stopped (StopExecution: `tandem cycle stop`, the console, AWS's own tools)
 * ends its cycle as stopped, not failed; a cycle already ended keeps its outcome.
 */
export async function markCycleStopped(deps: Pick<PhaseDeps, 'clock'> & { store: PhaseDeps['store'] & RetentionStore }, cycleId: string) {
  await deps.store.markStopped(cycleId, deps.clock.now());
  await expireEndedCycle(deps.store, cycleId);
  const cycle = await loadCycle(deps.store, cycleId);
  return { cycleId, status: cycle.status };
}
