import { newCycle, type Cycle } from '../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { idSchema, type Program } from '../domain/program.ts';
import { durationToSeconds } from '../domain/duration.ts';

/** A Standard execution lasts at most a year; the phases must fit with room for identify and review. */
const MAX_CYCLE_SECONDS = 360 * 86400;
import { optionalPhasesOf } from './phases/registry.ts';
import type { Clock, CycleStore, ProgramStore, WorkflowEngine } from './ports.ts';

/** A readable, sortable cycle id: the program and the start time. */
export function newCycleId(programId: string, now: number): string {
  return `${programId}-${new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`.slice(0, 80);
}

/**
 * What would stop a cycle of the program from starting, checked before anything is written: no such
 * program, a roster too small to pair, phase windows longer than a year, a cycle of the program still
 * running, a cycle id that is not valid or is taken. Returns the program and the id the cycle will have.
 */
export async function checkCycleStart(
  deps: { store: ProgramStore & CycleStore; clock: Clock },
  request: { programId: string; cycleId?: string },
): Promise<{ program: Program; cycleId: string }> {
  const program = await deps.store.getProgram(request.programId);
  if (!program) throw new NotFoundError(`program ${request.programId} does not exist; create it first (tandem program create)`);
  const roster = await deps.store.listParticipants(program.programId);
  if (roster.filter((p) => p.status === 'active').length < 2) {
    throw new ValidationError(`program ${program.programId} needs at least two active participants; import a roster first`);
  }
  const cycleSeconds = Object.values(program.phaseWindows).reduce((sum, window) => sum + (window ? durationToSeconds(window) : 0), 0);
  if (cycleSeconds > MAX_CYCLE_SECONDS) {
    throw new ValidationError(`program ${program.programId}'s phase windows add up to ${Math.round(cycleSeconds / 86400)} days; a cycle must fit in 360 days`, [
      { where: 'phaseWindows', problem: 'shorten the windows so that they add up to 360 days or less' },
    ]);
  }
  // A cycle takes the whole roster: a second one alongside would invite everyone twice (a double click, two HR people).
  const running = (await deps.store.listCycles(program.programId)).filter((c) => c.status === 'running');
  if (running.length > 0) {
    const ids = running.map((c) => c.cycleId).join(', ');
    throw new ConflictError(
      `program ${program.programId} has a cycle running (${ids}): a second one would invite its people again; wait for it to end, or stop it first (tandem cycle stop ${running[0]?.cycleId} --reason …)`,
    );
  }
  const cycleId = request.cycleId ?? newCycleId(program.programId, deps.clock.now());
  const parsedId = idSchema.safeParse(cycleId);
  if (!parsedId.success) {
    throw new ValidationError(`invalid cycle id ${JSON.stringify(cycleId)}`, [{ where: 'cycleId', problem: parsedId.error.issues[0]?.message ?? 'invalid' }]);
  }
  if (await deps.store.getCycle(cycleId)) throw new ConflictError(`cycle ${cycleId} exists already`);
  return { program, cycleId };
}

/**
 * Starts a program cycle (checked first: `checkCycleStart`): stores it, then starts its workflow
 * execution (named after the cycle, so it cannot run twice). Refused while another cycle of the program runs.
 */
export async function startCycle(
  deps: { store: ProgramStore & CycleStore; workflow: WorkflowEngine; clock: Clock },
  request: { programId: string; cycleId?: string },
): Promise<Cycle> {
  const { program, cycleId } = await checkCycleStart(deps, request);
  const cycle: Cycle = newCycle(program, cycleId, deps.clock.now());
  // Conditional: a start racing this one with the same id loses here.
  if (!(await deps.store.createCycle(cycle))) throw new ConflictError(`cycle ${cycleId} exists already`);
  try {
    const executionArn = await deps.workflow.startCycle(cycleId, { cycleId, programId: program.programId, optionalPhases: optionalPhasesOf(program) });
    await deps.store.setExecution(cycleId, executionArn);
    return { ...cycle, executionArn };
  } catch (error) {
    await deps.store.markFailed(cycleId, { error: 'StartExecutionFailed', cause: error instanceof Error ? error.message : String(error) }, deps.clock.now());
    throw error;
  }
}
