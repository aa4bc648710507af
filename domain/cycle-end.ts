import type { Cycle } from './cycle.ts';
import { durationToSeconds } from './duration.ts';
import type { AnsweredPhase, Program } from './program.ts';

/**
 * The answered phases in the order the workflow runs them, each with its window in the program.
 * services/phases/registry.ts is the one registry of the phases; this copy keeps the domain free of
 * the phase modules, and a test holds the two to the same order and windows.
 */
export const PHASES_WITH_WINDOWS: ReadonlyArray<readonly [AnsweredPhase, keyof Program['phaseWindows']]> = [
  ['enrollment', 'enrollment'],
  ['goal-setting', 'goalSetting'],
  ['run', 'run'],
  ['measure', 'measure'],
  ['feedback', 'feedback'],
];

/**
 * When a running cycle is planned to end, as known now: the latest deadline fixed so far (of the
 * phases opened, of the pairs' approval), or the cycle's start when none is, plus the windows of the
 * phases still to open after it (the approval's too, when the program asks for it and it has not
 * opened). A cycle's end is not known in advance: a phase ends early when everyone answered, and a
 * deadline moves later when invitations went out late (services/phases/engine.ts). This is the end
 * as planned at the moment it is asked, the feedback phase's deadline once feedback opened.
 */
export function plannedCycleEnd(cycle: Pick<Cycle, 'program' | 'phases' | 'approval' | 'startedAt'>): number {
  const windowMs = (duration: string | undefined) => (duration ? durationToSeconds(duration) * 1000 : 0);
  const opened = PHASES_WITH_WINDOWS.map(([phase]) => cycle.phases[phase] !== undefined).lastIndexOf(true);
  const fixed = Math.max(cycle.startedAt, ...Object.values(cycle.phases).map((state) => state.deadline), ...(cycle.approval ? [cycle.approval.deadline] : []));
  const approval = cycle.program.approval;
  // The approval comes between identify and goal-setting.
  const approvalToCome = approval?.required === true && cycle.approval === undefined && cycle.phases['goal-setting'] === undefined;
  const toCome = PHASES_WITH_WINDOWS.slice(opened + 1).reduce((sum, [, window]) => sum + windowMs(cycle.program.phaseWindows[window]), 0);
  return fixed + (approvalToCome ? windowMs(approval.deadline) : 0) + toCome;
}
