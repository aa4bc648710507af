import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Phase } from '../domain/program.ts';
import type { AuditLog, CycleStore, ExecutionDescription, ExecutionHistory, ExecutionHistoryEvent, ExecutionRecord } from './ports.ts';
import { phaseOfStateName } from './phases/registry.ts';

/**
 * Ops' view of the program-cycle executions, read through the ExecutionHistory port (the Step
 * Functions API on AWS or the local endpoint) — never from a copy. Used by `tandem executions`
 * and by the ops page.
 */

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

export interface ExecutionSummary {
  executionArn: string;
  /** The execution is named after the cycle. */
  name: string;
  status: string;
  startDate: string;
  stopDate?: string;
  durationMs?: number;
}

/** One execution as ops read it: its summary, and what Step Functions says beyond it (input, output, error, redrive). */
export type ExecutionDetails = ExecutionSummary & Omit<ExecutionDescription, keyof ExecutionRecord | 'redriveDate'> & { redriveDate?: string };

export interface ExecutionFilters {
  status?: string;
  /** Only the executions of this program's cycles (the cycle ids come from the store). */
  cycleIds?: ReadonlySet<string>;
  /** ISO time or epoch ms: started at or after. */
  since?: number;
  until?: number;
  /** At most this many (newest first). Default 100. */
  limit?: number;
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : undefined);

export function summarise(item: { executionArn?: string; name?: string; status?: string; startDate?: Date; stopDate?: Date }): ExecutionSummary {
  const start = item.startDate;
  const stop = item.stopDate;
  return {
    executionArn: item.executionArn ?? '',
    name: item.name ?? '',
    status: item.status ?? 'UNKNOWN',
    startDate: iso(start) ?? '',
    ...(stop ? { stopDate: iso(stop) } : {}),
    ...(start && stop ? { durationMs: stop.getTime() - start.getTime() } : {}),
  };
}

/** Reads a time filter: an ISO date/time, or a duration back from now such as 2h, 3d, 30m. */
export function parseTimeFilter(value: string, now = Date.now()): number {
  const relative = /^(\d+)\s*(m|h|d|w)$/.exec(value.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as 'm' | 'h' | 'd' | 'w'];
    return now - Number(relative[1]) * unit;
  }
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new ValidationError(`"${value}" is not a time: give an ISO date or time (2027-03-01, 2027-03-01T12:00Z) or a span back from now (30m, 2h, 7d)`);
  return time;
}

export class ExecutionsQuery {
  constructor(private readonly executions: ExecutionHistory) {}

  get stateMachineArn(): string {
    return this.executions.stateMachineArn;
  }

  /** Newest first, with the filters applied while paging so that `limit` counts matching executions. */
  async list(filters: ExecutionFilters = {}): Promise<ExecutionSummary[]> {
    const status = filters.status?.toUpperCase();
    if (status && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw new ValidationError(`--status "${filters.status}" is not an execution status; use one of ${EXECUTION_STATUSES.join(', ')}`);
    }
    const limit = filters.limit ?? 100;
    const found: ExecutionSummary[] = [];
    for await (const item of this.executions.listExecutions(status)) {
      const started = item.startDate?.getTime() ?? 0;
      if (filters.until !== undefined && started > filters.until) continue;
      // Newest first: once past `since`, nothing older can match.
      if (filters.since !== undefined && started < filters.since) break;
      if (filters.cycleIds && !filters.cycleIds.has(item.name)) continue;
      found.push(summarise(item));
      if (found.length >= limit) break;
    }
    return found;
  }

  /** An execution ARN from an ARN or from a cycle id (the execution's name). */
  arnOf(executionOrCycle: string): string {
    if (executionOrCycle.startsWith('arn:')) return executionOrCycle;
    const parts = this.stateMachineArn.split(':');
    // arn:aws:states:<region>:<account>:stateMachine:<name> → arn:aws:states:<region>:<account>:execution:<name>:<execution>
    return [...parts.slice(0, 5), 'execution', parts[6] ?? '', executionOrCycle].join(':');
  }

  async describe(executionOrCycle: string): Promise<ExecutionDetails> {
    try {
      const description = await this.executions.describeExecution(this.arnOf(executionOrCycle));
      // The record's fields become the summary (times as ISO); the rest of the port's description passes through as it is.
      const { executionArn: _arn, name: _name, status: _status, startDate: _start, stopDate: _stop, redriveDate, ...details } = description;
      return { ...summarise(description), ...details, ...(redriveDate ? { redriveDate: redriveDate.toISOString() } : {}) };
    } catch (error) {
      throw inTermsOf(error, executionOrCycle);
    }
  }

  async history(executionOrCycle: string, includeData = true): Promise<ExecutionHistoryEvent[]> {
    try {
      return await this.executions.executionHistory(this.arnOf(executionOrCycle), includeData);
    } catch (error) {
      throw inTermsOf(error, executionOrCycle);
    }
  }

  /**
   * Redrives a failed execution from the state that failed (Step Functions RedriveExecution, on AWS
   * and the local endpoint). An endpoint without it: a NotSupportedError.
   */
  async redrive(executionOrCycle: string): Promise<{ executionArn: string; redriveDate?: string }> {
    const executionArn = this.arnOf(executionOrCycle);
    const current = await this.describe(executionArn);
    if (current.status === 'RUNNING' || current.status === 'SUCCEEDED') {
      throw new ConflictError(`execution ${current.name} cannot be redriven: it is ${current.status}; only FAILED, ABORTED or TIMED_OUT executions can be`);
    }
    // A stopped cycle's execution: stopping was a decision, and the workflow's steps resume only a failed cycle (redriveCycle says by whom, when it can read the cycle).
    if (current.status === 'ABORTED') {
      throw new ConflictError(
        `execution ${current.name} cannot be redriven: it was stopped (ABORTED), and a stopped cycle is not resumed; start a new cycle (tandem cycle start --program <id>)`,
      );
    }
    if (current.redriveStatus === 'NOT_REDRIVABLE') {
      throw new ConflictError(`execution ${current.name} cannot be redriven: ${current.redriveStatusReason ?? 'Step Functions says it is not redrivable'}`);
    }
    try {
      const result = await this.executions.redriveExecution(executionArn);
      return { executionArn, ...(result.redriveDate ? { redriveDate: result.redriveDate.toISOString() } : {}) };
    } catch (error) {
      if (error instanceof ConflictError) throw new ConflictError(`execution ${executionOrCycle} cannot be redriven: ${error.message}`, { cause: error });
      throw inTermsOf(error, executionOrCycle);
    }
  }
}

/** The cycle an execution ARN or a cycle id names: an execution is named after its cycle. */
export function cycleIdOf(executionOrCycle: string): string {
  return executionOrCycle.startsWith('arn:') ? (executionOrCycle.split(':').pop() ?? '') : executionOrCycle;
}

/**
 * Redrives a cycle's execution (`tandem executions redrive`). A cycle that was stopped (`tandem cycle
 * stop`, the console, StopExecution, or the approval deadline with `onDeadline: stop`) is refused with
 * a ConflictError saying when, by whom and why: stopping was a decision, its data is set to expire
 * when it ends, and the workflow's steps resume only a cycle marked failed, so a redriven stopped
 * cycle would run while marked stopped, never ending as anything else. A new cycle is the way on.
 */
export async function redriveCycle(
  /** Without the store (ops, whose role reads no table), a stopped cycle is known by its ABORTED execution, with no who or why. */
  deps: { store?: CycleStore & Pick<AuditLog, 'listAudit'>; executions: ExecutionsQuery },
  executionOrCycle: string,
): Promise<{ executionArn: string; redriveDate?: string }> {
  if (!deps.store) return deps.executions.redrive(executionOrCycle);
  const cycle = await deps.store.getCycle(cycleIdOf(executionOrCycle));
  if (cycle?.status === 'stopped') {
    const entry = (await deps.store.listAudit({ programId: cycle.programId, ...(cycle.endedAt ? { since: cycle.endedAt - 60_000 } : {}) })).find(
      (e) => e.cycleId === cycle.cycleId && (e.action === 'cycle.stopped' || e.action === 'pairs.stopped-at-deadline'),
    );
    const when = cycle.endedAt ? ` on ${new Date(cycle.endedAt).toISOString()}` : '';
    const who = entry ? ` by ${entry.actor}${entry.action === 'pairs.stopped-at-deadline' ? ' (no approval by the deadline)' : ''}` : '';
    const why = entry && typeof entry.details.reason === 'string' && entry.details.reason ? `: "${entry.details.reason}"` : '';
    throw new ConflictError(
      `cycle ${cycle.cycleId} cannot be redriven: it was stopped${when}${who}${why}, and a stopped cycle is not resumed; start a new cycle (tandem cycle start --program ${cycle.programId})`,
    );
  }
  return deps.executions.redrive(executionOrCycle);
}

/** The port's errors, said in terms of what the person asked for (an ARN or a cycle id). */
function inTermsOf(error: unknown, what: string): unknown {
  if (error instanceof NotFoundError) return new NotFoundError(`execution ${what} does not exist`, { cause: error });
  if (error instanceof ValidationError) return new ValidationError(`"${what}" is not an execution ARN or a cycle id: ${error.message}`, [], { cause: error });
  return error;
}

// ---------------------------------------------------------------------------------------------
// Timeline: the history as phases and states, with durations, inputs and errors with causes.

export type TimelinePhase = Phase | 'failure';

/** The phase a state of workflows/program-cycle.asl.json belongs to ("GoalSetting: wait" → goal-setting). */
export function phaseOfState(state: string): TimelinePhase {
  return phaseOfStateName(state)?.name ?? 'failure';
}

export interface TimelineFailure {
  state?: string;
  error: string;
  cause: string;
  at: string;
}

export interface TimelineState {
  name: string;
  /** How many times the state was entered (the phase loops enter the same states many times). */
  visits: number;
  enteredAt: string;
  exitedAt?: string;
  /** Time spent in the state over all visits. */
  durationMs: number;
  /** The input and output of the last visit (ids and counts only). */
  lastInput?: unknown;
  lastOutput?: unknown;
  /** Failed Lambda attempts (retried or not). */
  attemptsFailed: number;
}

export interface TimelinePhaseEntry {
  phase: TimelinePhase;
  startedAt: string;
  endedAt?: string;
  durationMs: number;
  states: TimelineState[];
  failures: TimelineFailure[];
}

export interface Timeline {
  phases: TimelinePhaseEntry[];
  failures: TimelineFailure[];
  /** The state the execution is in (running) or ended in. */
  currentState?: string;
  events: number;
}

const parseJson = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/** Builds the timeline from a history in AWS's shape (works the same for AWS and the local endpoint). */
export function buildTimeline(events: readonly ExecutionHistoryEvent[], now = Date.now()): Timeline {
  const phases: TimelinePhaseEntry[] = [];
  const failures: TimelineFailure[] = [];
  const open = new Map<string, number>();
  let currentState: string | undefined;
  let lastTime = 0;
  const stateEntry = (name: string, at: Date): TimelineState => {
    const phase = phaseOfState(name);
    let entry = phases.at(-1);
    if (!entry || entry.phase !== phase) {
      entry = { phase, startedAt: at.toISOString(), durationMs: 0, states: [], failures: [] };
      phases.push(entry);
    }
    let state = entry.states.find((s) => s.name === name);
    if (!state) {
      state = { name, visits: 0, enteredAt: at.toISOString(), durationMs: 0, attemptsFailed: 0 };
      entry.states.push(state);
    }
    return state;
  };
  const addFailure = (failure: TimelineFailure) => {
    failures.push(failure);
    const entry = failure.state ? [...phases].reverse().find((p) => p.states.some((s) => s.name === failure.state)) : phases.at(-1);
    entry?.failures.push(failure);
  };
  for (const event of events) {
    const at = event.timestamp ?? new Date(lastTime);
    lastTime = at.getTime();
    const type = event.type ?? '';
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
      const name = event.stateEnteredEventDetails.name;
      const state = stateEntry(name, at);
      state.visits++;
      state.lastInput = parseJson(event.stateEnteredEventDetails.input);
      open.set(name, at.getTime());
      currentState = name;
    } else if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
      const name = event.stateExitedEventDetails.name;
      const state = [...phases]
        .reverse()
        .flatMap((p) => p.states)
        .find((s) => s.name === name);
      const enteredAt = open.get(name);
      if (state) {
        if (enteredAt !== undefined) state.durationMs += at.getTime() - enteredAt;
        state.exitedAt = at.toISOString();
        state.lastOutput = parseJson(event.stateExitedEventDetails.output);
      }
      open.delete(name);
    } else if (type === 'LambdaFunctionFailed' || type === 'TaskFailed' || type === 'LambdaFunctionTimedOut' || type === 'TaskTimedOut') {
      const details =
        event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails ?? event.lambdaFunctionTimedOutEventDetails ?? event.taskTimedOutEventDetails;
      const state = currentState
        ? [...phases]
            .reverse()
            .flatMap((p) => p.states)
            .find((s) => s.name === currentState)
        : undefined;
      if (state) state.attemptsFailed++;
      addFailure({ ...(currentState ? { state: currentState } : {}), error: details?.error ?? type, cause: details?.cause ?? '', at: at.toISOString() });
    } else if (type === 'ExecutionFailed' || type === 'ExecutionAborted' || type === 'ExecutionTimedOut') {
      const details = event.executionFailedEventDetails ?? event.executionAbortedEventDetails ?? event.executionTimedOutEventDetails;
      failures.push({ error: details?.error ?? type.replace('Execution', ''), cause: details?.cause ?? '', at: at.toISOString() });
    }
  }
  // States still open (a running execution, or the wait it was stopped in) count until now / the end.
  const end = events.at(-1)?.type?.startsWith('Execution') && events.length > 1 ? (events.at(-1)?.timestamp?.getTime() ?? now) : now;
  for (const [name, enteredAt] of open) {
    const state = [...phases]
      .reverse()
      .flatMap((p) => p.states)
      .find((s) => s.name === name);
    if (state) state.durationMs += Math.max(0, end - enteredAt);
  }
  const finished = events.some((e) => /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(e.type ?? ''));
  for (const [i, entry] of phases.entries()) {
    const next = phases[i + 1];
    if (next) entry.endedAt = next.startedAt;
    else if (finished) entry.endedAt = new Date(end).toISOString();
    entry.durationMs = (entry.endedAt ? Date.parse(entry.endedAt) : now) - Date.parse(entry.startedAt);
  }
  return { phases, failures, ...(currentState ? { currentState } : {}), events: events.length };
}

/** Replaces email addresses in free text (error causes may quote one) so that pages never show personal data. */
export function redactEmails(text: string): string {
  return text.replace(/[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g, '[email]');
}
