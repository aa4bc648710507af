import type { Cycle, CycleStatus } from '../domain/cycle.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { AnsweredPhase, Phase } from '../domain/program.ts';
import { ANSWERED_PHASE_MODULES } from './phases/registry.ts';
import type { Clock, CycleStore, ParticipantActionStore, ProgramStore, WorkflowEngine } from './ports.ts';

/** What HR and ops want to know about one cycle: where it is, its deadlines, answers, emails and bounces. Counts only. */
export interface CycleStatusReport {
  cycleId: string;
  programId: string;
  status: CycleStatus;
  currentPhase: Phase;
  startedAt: string;
  endedAt?: string;
  executionArn?: string;
  /** The execution's own status from Step Functions, when it could be read. */
  executionStatus?: string;
  participants: number;
  pairs: number;
  emailsSent: number;
  /** Members of the cycle whose roster status is now 'unreachable' (hard bounce or complaint). */
  bounces: number;
  /** HR's approval of the pairs, for a program that asks for it (once identify proposed them). */
  approval?: { status: 'pending' | 'approved' | 'stopped'; deadline: string; decidedBy?: string };
  phases: Array<{
    phase: AnsweredPhase;
    openedAt?: string;
    deadline?: string;
    closedAt?: string;
    expected?: number;
    /** Answers recorded (for run: the sum over check-in rounds). */
    responses: number;
    /** A phase with rounds (the run's check-ins) only: answers per round. */
    rounds?: Record<string, number>;
    /** What else the phase counts (enrollment: invited, joined, declined, noAnswer). */
    detail?: Record<string, number>;
  }>;
  /** Meetings the pairs logged, where the store keeps them: how many, and how many pairs met at least once. */
  meetings?: { logged: number; pairsMet: number };
  failure?: { error: string; cause: string };
  /**
   * The execution's own error and cause (Step Functions), when it ended with one: the cycle's
   * `failure` is set only once the workflow has marked it, a moment after the execution ended.
   */
  executionFailure?: { error: string; cause: string };
  reportPath?: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function phaseProgress(cycle: Cycle): CycleStatusReport['phases'] {
  return ANSWERED_PHASE_MODULES.filter((module) => module.runsIn?.(cycle.program) ?? true).map((module) => {
    const state = cycle.phases[module.name];
    const { responses, rounds } = module.countAnswers(cycle.responses);
    const detail = module.statusDetail?.(cycle);
    return {
      phase: module.name,
      ...(state
        ? {
            openedAt: iso(state.openedAt),
            deadline: iso(state.deadline),
            ...(state.closedAt !== undefined ? { closedAt: iso(state.closedAt) } : {}),
            // A phase that ends at its deadline only (the run) expects no number of answers: none is shown, not 0.
            ...(module.completion === 'everyone-or-deadline' ? { expected: state.expected } : {}),
          }
        : {}),
      responses,
      ...(rounds && Object.keys(rounds).length ? { rounds } : {}),
      ...(detail ? { detail } : {}),
    };
  });
}

export async function getCycleOrFail(store: CycleStore, cycleId: string): Promise<Cycle> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist (tandem cycle list --program <id> lists a program's cycles)`);
  return cycle;
}

/** Members of the cycle whose roster entry is unreachable now. */
export async function countBounces(store: ProgramStore & CycleStore, cycle: Cycle): Promise<number> {
  if (cycle.participants === 0) return 0;
  const [members, roster] = await Promise.all([store.listMembers(cycle.cycleId), store.listParticipants(cycle.programId)]);
  const unreachable = new Set(roster.filter((p) => p.status === 'unreachable').map((p) => p.participantId));
  return members.filter((m) => m.unreachable || unreachable.has(m.participantId)).length;
}

/** Meetings logged in a cycle and the pairs among them that met at least once. */
export async function meetingProgress(store: Pick<ParticipantActionStore, 'listMeetings'>, cycleId: string): Promise<{ logged: number; pairsMet: number }> {
  const meetings = await store.listMeetings(cycleId);
  return { logged: meetings.length, pairsMet: new Set(meetings.map((m) => m.pairId)).size };
}

export async function cycleStatus(
  deps: { store: ProgramStore & CycleStore & Partial<Pick<ParticipantActionStore, 'listMeetings'>>; workflow?: WorkflowEngine },
  cycleId: string,
): Promise<CycleStatusReport> {
  const cycle = await getCycleOrFail(deps.store, cycleId);
  const meetings = deps.store.listMeetings ? await meetingProgress({ listMeetings: deps.store.listMeetings.bind(deps.store) }, cycle.cycleId) : undefined;
  let execution: { status: string; error?: string; cause?: string } | undefined;
  if (cycle.executionArn && deps.workflow) {
    execution = await deps.workflow.describe(cycle.executionArn).then(
      (d) => d,
      () => undefined,
    );
  }
  const executionStatus = execution?.status;
  return {
    cycleId: cycle.cycleId,
    programId: cycle.programId,
    status: cycle.status,
    currentPhase: cycle.currentPhase,
    startedAt: iso(cycle.startedAt) as string,
    ...(cycle.endedAt !== undefined ? { endedAt: iso(cycle.endedAt) } : {}),
    ...(cycle.executionArn ? { executionArn: cycle.executionArn } : {}),
    ...(executionStatus ? { executionStatus } : {}),
    participants: cycle.participants,
    pairs: cycle.pairs,
    emailsSent: cycle.emailsSent,
    bounces: await countBounces(deps.store, cycle),
    ...(cycle.approval
      ? {
          approval: {
            status: cycle.approval.status,
            deadline: iso(cycle.approval.deadline) as string,
            ...(cycle.approval.decidedBy ? { decidedBy: cycle.approval.decidedBy } : {}),
          },
        }
      : {}),
    phases: phaseProgress(cycle),
    ...(meetings ? { meetings } : {}),
    ...(cycle.failure ? { failure: cycle.failure } : {}),
    ...(execution && execution.status !== 'RUNNING' && (execution.error || execution.cause)
      ? { executionFailure: { error: execution.error ?? '', cause: execution.cause ?? '' } }
      : {}),
    ...(cycle.reportPath ? { reportPath: cycle.reportPath } : {}),
  };
}

export interface CycleListItem {
  cycleId: string;
  status: CycleStatus;
  currentPhase: Phase;
  startedAt: string;
  endedAt?: string;
  participants: number;
  pairs: number;
  executionArn?: string;
}

/** A program's cycles, newest first. */
export async function listProgramCycles(store: ProgramStore & CycleStore, programId: string): Promise<CycleListItem[]> {
  if (!(await store.getProgram(programId))) throw new NotFoundError(`program ${programId} does not exist`);
  const cycles = await store.listCycles(programId);
  return cycles
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((c) => ({
      cycleId: c.cycleId,
      status: c.status,
      currentPhase: c.currentPhase,
      startedAt: iso(c.startedAt) as string,
      ...(c.endedAt !== undefined ? { endedAt: iso(c.endedAt) } : {}),
      participants: c.participants,
      pairs: c.pairs,
      ...(c.executionArn ? { executionArn: c.executionArn } : {}),
    }));
}

/**
 * Stops a running cycle: StopExecution, then the cycle is marked stopped. A cycle whose
 * execution is no longer running is refused with a ConflictError that says how it ended.
 */
export async function stopCycle(
  deps: { store: CycleStore; workflow: WorkflowEngine; clock: Clock },
  request: { cycleId: string; reason?: string },
): Promise<{ cycleId: string; programId: string; executionArn: string; status: 'stopped' }> {
  const cycle = await getCycleOrFail(deps.store, request.cycleId);
  if (!cycle.executionArn) throw new ConflictError(`cycle ${cycle.cycleId} has no workflow execution (its start failed: ${cycle.failure?.cause ?? 'unknown'})`);
  const execution = await deps.workflow.describe(cycle.executionArn);
  if (execution.status !== 'RUNNING') {
    throw new ConflictError(`cycle ${cycle.cycleId} is not running: its execution is ${execution.status} (the cycle is ${cycle.status}); nothing was stopped`);
  }
  await deps.workflow.stop(cycle.executionArn, request.reason ?? 'stopped by an operator with tandem cycle stop');
  // Only a running cycle is marked: one that ended meanwhile keeps its outcome.
  await deps.store.markStopped(cycle.cycleId, deps.clock.now());
  return { cycleId: cycle.cycleId, programId: cycle.programId, executionArn: cycle.executionArn, status: 'stopped' };
}
