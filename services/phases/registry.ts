import type { AnsweredPhase, Phase, Program } from '../../domain/program.ts';
import { approval } from './approval/index.ts';
import { enrollment } from './enrollment/index.ts';
import { feedback } from './feedback/index.ts';
import { goalSetting } from './goal-setting/index.ts';
import { identify } from './identify/index.ts';
import { measure } from './measure/index.ts';
import { review } from './review/index.ts';
import { run } from './run/index.ts';
import { isAnswered, type AnsweredPhaseModule, type PhaseModule } from './types.ts';

/**
 * The one registry of a cycle's phases, in the order the workflow runs them
 * (workflows/program-cycle.asl.json). Adding a phase: its module, its entry here, its states in
 * the workflow definition (docs/workflow.md, "Adding a phase").
 */
export const PHASE_MODULES: readonly PhaseModule[] = [enrollment, identify, approval, goalSetting, run, measure, feedback, review];

/** The phases in which participants answer, in order. */
export const ANSWERED_PHASE_MODULES: readonly AnsweredPhaseModule[] = PHASE_MODULES.filter(isAnswered);

/** The phases' names, in order. */
export const PHASE_NAMES: readonly Phase[] = PHASE_MODULES.map((m) => m.name);
export const ANSWERED_PHASE_NAMES: readonly AnsweredPhase[] = ANSWERED_PHASE_MODULES.map((m) => m.name);

const byName = new Map<string, PhaseModule>(PHASE_MODULES.map((m) => [m.name, m]));
const answeredByName = new Map<string, AnsweredPhaseModule>(ANSWERED_PHASE_MODULES.map((m) => [m.name, m]));
const byStatePrefix = new Map<string, PhaseModule>(PHASE_MODULES.flatMap((m) => m.statePrefixes.map((prefix) => [prefix, m] as const)));

/** The module of a phase, or undefined for a name that is no phase. */
export function phaseModule(name: string): PhaseModule | undefined {
  return byName.get(name);
}

/** The module of an answered phase; a name that is none is a programming error. */
export function answeredPhaseModule(name: AnsweredPhase): AnsweredPhaseModule {
  const module = answeredByName.get(name);
  if (!module) throw new RangeError(`${name} is not an answered phase (services/phases/registry.ts)`);
  return module;
}

export function isAnsweredPhaseName(name: string): name is AnsweredPhase {
  return answeredByName.has(name);
}

/** The phase a state of workflows/program-cycle.asl.json belongs to ("GoalSetting: wait" → goal-setting), by its prefix. */
export function phaseOfStateName(state: string): PhaseModule | undefined {
  return byStatePrefix.get(state.split(':')[0]?.trim() ?? state);
}

/** Which optional phases a program's cycles run (`{ enrollment: true }`): the execution input's `optionalPhases`. */
export function optionalPhasesOf(program: Program): Record<string, boolean> {
  return Object.fromEntries(ANSWERED_PHASE_MODULES.flatMap((m) => (m.runsIn ? [[m.name, m.runsIn(program)] as const] : [])));
}

/** The phase key of an answer ("goal-setting", "run#2"). */
export function phaseKey(phase: AnsweredPhase, round?: number): string {
  return answeredPhaseModule(phase).phaseKey(round);
}

/** The answered phase (and round) a phase key names, or undefined when it names none. */
export function parsePhaseKey(key: string): { phase: AnsweredPhase; round?: number } | undefined {
  for (const module of ANSWERED_PHASE_MODULES) {
    const parsed = module.parsePhaseKey(key);
    if (parsed) return { phase: module.name, ...parsed };
  }
  return undefined;
}
