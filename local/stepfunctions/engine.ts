import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { ExecutionError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  RedriveExecutionOutput,
  StartExecutionOutput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import {
  assertStateMachineArn,
  assertValidName,
  executionArn as buildExecutionArn,
  stateMachineArn as buildStateMachineArn,
  stateMachineArnOfExecution,
  type AwsScope,
} from './arns.ts';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidDefinition,
  InvalidExecutionInput,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from './errors.ts';
import { causeText, DEFAULT_MAX_HISTORY_EVENTS, ExecutionHistory, withoutExecutionData, type EngineEvent } from './history.ts';
import { paginate, type PageRequest } from './pagination.ts';
import { statesOf, type AslState } from './asl.ts';
import { buildTaskHandlers, findLambdaTasks, type LambdaTask, type TaskInvoker } from './tasks.ts';
import { ExecutionJournal, type ResumePoint } from './journal.ts';
import { capTimeoutsToNodeTimers, LONGEST_TIMER_SECONDS, overlongWaitSeconds, waitSeconds } from './timer-limits.ts';

export type { TaskInvoker, TaskInvocationMeta } from './tasks.ts';

export interface LocalStepFunctionsOptions {
  readonly region?: string;
  readonly accountId?: string;
  readonly invokeTask: TaskInvoker;
  /** Events kept per execution; an execution that would exceed it fails, as on AWS (25,000). */
  readonly maxHistoryEvents?: number;
  /** Finished executions kept for Describe/List/GetExecutionHistory; the oldest are forgotten first. */
  readonly maxClosedExecutions?: number;
  /**
   * Where executions are saved at every state transition, to be resumed by
   * `resumeSavedExecutions()` after a restart. Without it executions live in memory only.
   */
  readonly journalDirectory?: string;
  /** Told of every status change, as EventBridge is by Step Functions ("Step Functions Execution Status Change"). */
  readonly onStatusChange?: (change: ExecutionStatusChange) => void;
}

/** The `detail` of AWS's "Step Functions Execution Status Change" event, with the fields Tandem reads. */
export interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate: number | null;
  readonly input: string;
  readonly error: string | null;
  readonly cause: string | null;
  readonly redriveCount: number;
}

export interface LocalStateMachineSpec {
  readonly name: string;
  /** Amazon States Language, with resource ARNs already substituted. */
  readonly definition: object;
  readonly roleArn?: string;
}

export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  readonly name?: string | undefined;
  /** JSON text; `{}` when absent. */
  readonly input?: string | undefined;
}

export interface ExecutionRequest {
  readonly executionArn: string;
}

export interface StateMachineRequest {
  readonly stateMachineArn: string;
}

export interface ListExecutionsRequest extends PageRequest {
  readonly stateMachineArn: string;
  readonly statusFilter?: ExecutionStatus | undefined;
}

export interface GetExecutionHistoryRequest extends PageRequest {
  readonly executionArn: string;
  readonly reverseOrder?: boolean | undefined;
  readonly includeExecutionData?: boolean | undefined;
}

export interface RedriveExecutionRequest {
  readonly executionArn: string;
}

export interface StopExecutionRequest {
  readonly executionArn: string;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

/** AWS's limit on execution input. */
const MAX_INPUT_BYTES = 256 * 1024;
const DEFAULT_MAX_CLOSED_EXECUTIONS = 1_000;

interface RegisteredStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly definitionText: string;
  readonly roleArn: string;
  readonly creationDate: Date;
  readonly machine: StateMachine;
  /** The definition as the engine runs it; a resumed run starts a copy of it at another state. */
  readonly definition: StateMachineDefinition;
  readonly topLevelStates: ReadonlySet<string>;
  readonly tasks: ReadonlyMap<string, LambdaTask>;
  readonly waits: ReadonlyMap<string, AslState>;
}

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: RegisteredStateMachine;
  readonly input: string;
  readonly startDate: Date;
  /** Start order, used to list newest first and as the pagination position. */
  readonly sequence: number;
  readonly history: ExecutionHistory;
  status: ExecutionStatus;
  redriveCount: number;
  redriveDate?: Date;
  /** The top-level state last entered; a restart or a redrive goes on from there. */
  resumePoint?: ResumePoint;
  /** The point a resumed run started from, until its state is entered again (a resumed Wait keeps its end time). */
  resumingFrom?: ResumePoint | undefined;
  /** Set by close() on a saved engine: the run stops, and the execution stays RUNNING on disk for the next start. */
  suspended: boolean;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Set by StopExecution; recorded if the engine does abort the run. */
  stopRequest?: { error?: string | undefined; cause?: string | undefined };
  /** Set when the engine cannot go on (full history, overlong Wait): the run is aborted and the execution fails with it. */
  failure?: { error: string; cause: string };
  engineAborted: boolean;
  abort: () => void;
  /** Settles once status, output and history are final. */
  closed: Promise<void>;
}

/**
 * Step Functions Standard workflows, run in this process by aws-local-stepfunctions.
 * State machines are registered in code; executions and their histories live in memory.
 */
export class LocalStepFunctions {
  readonly scope: AwsScope;
  private readonly invokeTask: TaskInvoker;
  private readonly maxHistoryEvents: number;
  private readonly maxClosedExecutions: number;
  private readonly stateMachines = new Map<string, RegisteredStateMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly journal: ExecutionJournal | undefined;
  private readonly onStatusChange: (change: ExecutionStatusChange) => void;
  private nextSequence = 1;

  constructor(options: LocalStepFunctionsOptions) {
    this.scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
    this.invokeTask = options.invokeTask;
    this.maxHistoryEvents = options.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    this.maxClosedExecutions = options.maxClosedExecutions ?? DEFAULT_MAX_CLOSED_EXECUTIONS;
    this.journal = options.journalDirectory === undefined ? undefined : new ExecutionJournal(options.journalDirectory);
    this.onStatusChange = options.onStatusChange ?? (() => {});
  }

  /** Registers a state machine and returns its ARN. Registering the same definition again is a no-op. */
  register(spec: LocalStateMachineSpec): string {
    assertValidName(spec.name, 'state machine');
    const arn = buildStateMachineArn(this.scope, spec.name);
    const definitionText = JSON.stringify(spec.definition);
    const existing = this.stateMachines.get(arn);
    if (existing) {
      if (existing.definitionText === definitionText) return arn;
      throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
    }
    const definition = JSON.parse(definitionText) as StateMachineDefinition;
    capTimeoutsToNodeTimers(definition);
    let machine: StateMachine;
    try {
      machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
    } catch (error) {
      throw new InvalidDefinition(`Invalid State Machine Definition: ${(error as Error).message}`);
    }
    this.stateMachines.set(arn, {
      arn,
      name: spec.name,
      definitionText,
      roleArn: spec.roleArn ?? `arn:aws:iam::${this.scope.accountId}:role/local-stepfunctions`,
      creationDate: new Date(),
      machine,
      definition,
      topLevelStates: new Set(Object.keys(definition.States)),
      tasks: findLambdaTasks(definition),
      waits: new Map([...statesOf(definition)].filter(([, state]) => state.Type === 'Wait')),
    });
    return arn;
  }

  describeStateMachine({ stateMachineArn }: StateMachineRequest): DescribeStateMachineOutput {
    const stateMachine = this.stateMachine(stateMachineArn);
    return {
      stateMachineArn: stateMachine.arn,
      name: stateMachine.name,
      status: 'ACTIVE',
      definition: stateMachine.definitionText,
      roleArn: stateMachine.roleArn,
      type: 'STANDARD',
      creationDate: stateMachine.creationDate,
    };
  }

  listStateMachines(request: PageRequest = {}): ListStateMachinesOutput {
    const all = [...this.stateMachines.values()].map((stateMachine, index) => ({ stateMachine, index }));
    const page = paginate(all, (entry) => entry.index, 'ascending', 'ListStateMachines', request);
    return {
      stateMachines: page.items.map(({ stateMachine }) => ({
        stateMachineArn: stateMachine.arn,
        name: stateMachine.name,
        type: 'STANDARD',
        creationDate: stateMachine.creationDate,
      })),
      nextToken: page.nextToken,
    };
  }

  /**
   * Starts an execution, named with a UUID unless a name is given. As on AWS, starting a
   * running execution's name again with the same input returns that execution; any other
   * reuse of a name is ExecutionAlreadyExists.
   */
  startExecution(request: StartExecutionRequest): StartExecutionOutput {
    const stateMachine = this.stateMachine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    assertValidName(name, 'execution');
    const input = request.input ?? '{}';
    const arn = buildExecutionArn(this.scope, stateMachine.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: existing.startDate };
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    const parsedInput = parseExecutionInput(input);
    const execution = this.createExecution(stateMachine, { arn, name, input, startDate: new Date(), sequence: this.nextSequence++ });
    this.executions.set(arn, execution);
    execution.history.executionStarted(input, stateMachine.roleArn);
    this.save(execution);
    this.notify(execution);
    this.run(execution, undefined, parsedInput);
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  /**
   * Runs a failed, timed-out or aborted execution again from the top-level state it was in when it
   * ended, with that state's input: the same ARN, its history going on, `redriveCount` one more.
   * AWS redrives from the failed state itself; this engine's unit of resumption is the top-level
   * state, so a failure inside a Map or Parallel state runs the whole Map or Parallel again.
   */
  redriveExecution({ executionArn }: RedriveExecutionRequest): RedriveExecutionOutput {
    const execution = this.execution(executionArn);
    if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED' || execution.status === 'PENDING_REDRIVE') {
      throw new ExecutionNotRedrivable(`Execution is ${execution.status}: only FAILED, TIMED_OUT or ABORTED executions can be redriven: '${executionArn}'`);
    }
    if (!execution.resumePoint) {
      throw new ExecutionNotRedrivable(`Execution ended before it entered a state, so there is nothing to redrive: '${executionArn}'`);
    }
    execution.status = 'RUNNING';
    execution.redriveCount += 1;
    execution.redriveDate = new Date();
    execution.failure = undefined;
    execution.stopRequest = undefined;
    execution.engineAborted = false;
    execution.stopDate = undefined;
    execution.output = execution.error = execution.cause = undefined;
    execution.history.executionRedriven(execution.redriveCount);
    this.save(execution);
    this.notify(execution);
    this.run(execution, execution.resumePoint, undefined);
    return { redriveDate: execution.redriveDate };
  }

  /**
   * Loads the executions saved in the journal directory whose state machine is registered, and
   * runs on those that were RUNNING from the top-level state each was in. Call after register().
   * Returns the ARNs of the executions resumed.
   */
  resumeSavedExecutions(onUnreadable?: (folder: string, reason: string) => void): string[] {
    if (!this.journal) return [];
    const resumed: string[] = [];
    const saved = this.journal.loadAll(onUnreadable).sort((a, b) => a.snapshot.sequence - b.snapshot.sequence);
    for (const { snapshot, events } of saved) {
      const stateMachine = this.stateMachines.get(snapshot.stateMachineArn);
      if (!stateMachine || this.executions.has(snapshot.arn)) continue;
      this.nextSequence = Math.max(this.nextSequence, snapshot.sequence + 1);
      const execution = this.createExecution(
        stateMachine,
        { arn: snapshot.arn, name: snapshot.name, input: snapshot.input, startDate: new Date(snapshot.startDate), sequence: snapshot.sequence },
        events,
      );
      Object.assign(execution, {
        status: snapshot.status,
        redriveCount: snapshot.redriveCount,
        ...(snapshot.redriveDate === undefined ? {} : { redriveDate: new Date(snapshot.redriveDate) }),
        ...(snapshot.stopDate === undefined ? {} : { stopDate: new Date(snapshot.stopDate) }),
        output: snapshot.output,
        error: snapshot.error,
        cause: snapshot.cause,
        resumePoint: snapshot.resumePoint,
      });
      this.executions.set(snapshot.arn, execution);
      if (snapshot.status !== 'RUNNING') continue;
      this.run(execution, snapshot.resumePoint, snapshot.resumePoint ? undefined : parseExecutionInput(snapshot.input));
      resumed.push(snapshot.arn);
    }
    this.forgetOldExecutions();
    return resumed;
  }

  describeExecution({ executionArn }: ExecutionRequest): DescribeExecutionOutput {
    const execution = this.execution(executionArn);
    return {
      ...listItem(execution),
      redriveCount: execution.redriveCount,
      ...(execution.redriveDate === undefined ? {} : { redriveDate: execution.redriveDate }),
      ...redriveStatus(execution),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    };
  }

  /** Newest first. */
  listExecutions(request: ListExecutionsRequest): ListExecutionsOutput {
    const stateMachine = this.stateMachine(request.stateMachineArn);
    const matching = [...this.executions.values()]
      .filter((execution) => execution.stateMachine === stateMachine)
      .filter((execution) => request.statusFilter === undefined || execution.status === request.statusFilter)
      .sort((a, b) => b.sequence - a.sequence);
    const listing = `ListExecutions ${stateMachine.arn} ${request.statusFilter ?? ''}`;
    const page = paginate(matching, (execution) => execution.sequence, 'descending', listing, request);
    return { executions: page.items.map(listItem), nextToken: page.nextToken };
  }

  getExecutionHistory(request: GetExecutionHistoryRequest): GetExecutionHistoryOutput {
    const execution = this.execution(request.executionArn);
    const events = request.reverseOrder ? [...execution.history.all].reverse() : [...execution.history.all];
    const listing = `GetExecutionHistory ${execution.arn} ${request.reverseOrder ? 'reverse' : 'forward'}`;
    const page = paginate(events, (event) => event.id ?? 0, request.reverseOrder ? 'descending' : 'ascending', listing, request);
    const includeData = request.includeExecutionData ?? true;
    return { events: includeData ? page.items : page.items.map(withoutExecutionData), nextToken: page.nextToken };
  }

  /** Aborts a running execution; stopping a finished one changes nothing. */
  async stopExecution(request: StopExecutionRequest): Promise<StopExecutionOutput> {
    const execution = this.execution(request.executionArn);
    if (execution.status === 'RUNNING') {
      execution.stopRequest = { error: request.error, cause: request.cause };
      execution.abort();
      await execution.closed;
    }
    return { stopDate: execution.stopDate };
  }

  /** Resolves with the execution's description once it has finished. */
  async waitForExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    await this.execution(executionArn).closed;
    return this.describeExecution({ executionArn });
  }

  /**
   * Aborts every running execution and waits until each has finished. With a journal the running
   * executions are suspended instead: nothing more is recorded, and the next engine started on
   * the same directory resumes them.
   */
  async close(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      execution.suspended = this.journal !== undefined;
      execution.abort();
    }
    await Promise.all(running.map((execution) => execution.closed));
    this.journal?.close();
  }

  private createExecution(
    stateMachine: RegisteredStateMachine,
    identity: { arn: string; name: string; input: string; startDate: Date; sequence: number },
    savedEvents: readonly HistoryEvent[] = [],
  ): Execution {
    const journal = this.journal;
    const execution: Execution = {
      ...identity,
      stateMachine,
      history: new ExecutionHistory({
        tasks: stateMachine.tasks,
        region: this.scope.region,
        maxEvents: this.maxHistoryEvents,
        onFull: () => this.fail(execution, 'States.Runtime', `The execution reached the limit of ${this.maxHistoryEvents} history events.`),
        savedEvents,
        ...(journal ? { onEvent: (event: HistoryEvent) => journal.appendEvent(identity.arn, event) } : {}),
      }),
      status: 'RUNNING',
      redriveCount: 0,
      suspended: false,
      engineAborted: false,
      abort: () => {},
      closed: Promise.resolve(),
    };
    return execution;
  }

  /**
   * Runs the execution from the start (with `input`), or from a resume point: a copy of the
   * definition that starts at that state, entered with the input it was entered with. A Wait
   * state resumed waits only what was left of it.
   */
  private run(execution: Execution, from: ResumePoint | undefined, input: ParsedInput | undefined): void {
    const { stateMachine, arn } = execution;
    const machine = from ? this.machineStartingAt(stateMachine, from.stateName) : stateMachine.machine;
    const waitTimeOverrides = from?.waitUntil === undefined ? {} : { [from.stateName]: Math.max(0, from.waitUntil - Date.now()) };
    const run = machine.run((from ? from.input : input) as ParsedInput, {
      overrides: {
        taskResourceLocalHandlers: buildTaskHandlers(stateMachine.tasks, {
          scope: this.scope,
          executionArn: arn,
          invokeTask: this.invokeTask,
          history: execution.history,
        }),
        waitTimeOverrides,
      },
      // The engine fills in Execution.Input and Execution.StartTime itself.
      context: {
        Execution: { Id: arn, Name: execution.name, RoleArn: stateMachine.roleArn },
        StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
      },
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    execution.resumingFrom = from;
    const recorded = this.recordEngineEvents(execution, run.eventLogs);
    execution.closed = Promise.allSettled([run.result, recorded]).then(([outcome]) => {
      if (execution.suspended) return;
      this.finish(execution, outcome);
      this.save(execution);
      this.journal?.closeHistory(arn);
      this.notify(execution);
      this.forgetOldExecutions();
    });
  }

  private machineStartingAt(stateMachine: RegisteredStateMachine, stateName: string): StateMachine {
    if (stateName === stateMachine.definition.StartAt) return stateMachine.machine;
    if (!stateMachine.topLevelStates.has(stateName)) throw new Error(`cannot resume at '${stateName}': ${stateMachine.arn} has no such top-level state`);
    // The definition was validated when registered; the copy differs only in StartAt, which names one of its
    // top-level states. Validation would refuse it for the states now unreachable, which change nothing in a run.
    return new StateMachine({ ...stateMachine.definition, StartAt: stateName }, { validationOptions: { noValidate: true } });
  }

  /** Records where a run would go on from: a top-level state being entered, with its input. */
  private checkpoint(execution: Execution, stateName: string, input: unknown): void {
    const resumed = execution.resumingFrom;
    execution.resumingFrom = undefined;
    if (resumed?.stateName === stateName) {
      execution.resumePoint = resumed;
      return this.save(execution);
    }
    const state = execution.stateMachine.waits.get(stateName);
    const seconds = state === undefined ? undefined : waitSeconds(state, input);
    const enteredAt = Date.now();
    execution.resumePoint = { stateName, input, enteredAt, ...(seconds === undefined ? {} : { waitUntil: enteredAt + seconds * 1000 }) };
    this.save(execution);
  }

  private save(execution: Execution): void {
    if (!this.journal || execution.suspended) return;
    this.journal.saveSnapshot({
      arn: execution.arn,
      name: execution.name,
      stateMachineArn: execution.stateMachine.arn,
      input: execution.input,
      startDate: execution.startDate.getTime(),
      sequence: execution.sequence,
      status: execution.status,
      stopDate: execution.stopDate?.getTime(),
      output: execution.output,
      error: execution.error,
      cause: execution.cause,
      redriveCount: execution.redriveCount,
      redriveDate: execution.redriveDate?.getTime(),
      resumePoint: execution.resumePoint,
    });
  }

  private notify(execution: Execution): void {
    this.onStatusChange({
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachine.arn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate?.getTime() ?? null,
      input: execution.input,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      redriveCount: execution.redriveCount,
    });
  }

  private async recordEngineEvents(execution: Execution, events: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const event of events) {
      if (event.type === 'ExecutionAborted') execution.engineAborted = true;
      if (event.type === 'StateEntered' && event.state.type === 'Wait') this.refuseOverlongWait(execution, event.state.name, event.state.input);
      execution.history.recordEngineEvent(event);
      if (event.type === 'StateEntered' && event.index === undefined && execution.stateMachine.topLevelStates.has(event.state.name)) {
        this.checkpoint(execution, event.state.name, event.state.input);
      }
    }
  }

  /**
   * The engine's timer would fire at once and skip the wait. This runs before it does: the
   * engine's log is read in microtasks, the timer only fires in a later turn of the event loop.
   */
  private refuseOverlongWait(execution: Execution, stateName: string, input: unknown): void {
    const state = execution.stateMachine.waits.get(stateName);
    const seconds = state && overlongWaitSeconds(state, input);
    if (seconds === undefined) return;
    this.fail(
      execution,
      'States.Runtime',
      `Wait state '${stateName}' would wait ${Math.round(seconds)} seconds; the local engine cannot wait longer than ${LONGEST_TIMER_SECONDS} seconds (about 24.8 days).`,
    );
  }

  private fail(execution: Execution, error: string, cause: string): void {
    execution.failure ??= { error, cause };
    execution.abort();
  }

  private finish(execution: Execution, outcome: PromiseSettledResult<unknown>): void {
    execution.stopDate = new Date();
    const { history } = execution;
    if (execution.failure) {
      execution.status = 'FAILED';
      execution.error = execution.failure.error;
      execution.cause = execution.failure.cause;
      history.finish('ExecutionFailed', { executionFailedEventDetails: { error: execution.error, cause: execution.cause } });
    } else if (execution.engineAborted) {
      execution.status = 'ABORTED';
      execution.error = execution.stopRequest?.error;
      execution.cause = execution.stopRequest?.cause;
      history.finish('ExecutionAborted', { executionAbortedEventDetails: { error: execution.error, cause: execution.cause } });
    } else if (outcome.status === 'fulfilled') {
      execution.status = 'SUCCEEDED';
      execution.output = JSON.stringify(outcome.value);
      history.finish('ExecutionSucceeded', {
        executionSucceededEventDetails: { output: execution.output, outputDetails: { truncated: false } },
      });
    } else if (outcome.reason instanceof ExecutionTimeoutError) {
      execution.status = 'TIMED_OUT';
      execution.error = 'States.Timeout';
      history.finish('ExecutionTimedOut', { executionTimedOutEventDetails: { error: execution.error } });
    } else {
      const failure: unknown = outcome.reason instanceof ExecutionError && outcome.reason.cause instanceof Error ? outcome.reason.cause : outcome.reason;
      execution.status = 'FAILED';
      execution.error = failure instanceof Error ? failure.name : 'States.Runtime';
      execution.cause = failure instanceof Error ? failure.message : causeText(failure);
      history.finish('ExecutionFailed', { executionFailedEventDetails: { error: execution.error, cause: execution.cause } });
    }
  }

  private forgetOldExecutions(): void {
    const closed = [...this.executions.values()].filter((execution) => execution.status !== 'RUNNING');
    for (const execution of closed.slice(0, Math.max(0, closed.length - this.maxClosedExecutions))) {
      this.executions.delete(execution.arn);
    }
  }

  private stateMachine(arn: string): RegisteredStateMachine {
    assertStateMachineArn(arn);
    const stateMachine = this.stateMachines.get(arn);
    if (!stateMachine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return stateMachine;
  }

  private execution(arn: string): Execution {
    stateMachineArnOfExecution(arn);
    const execution = this.executions.get(arn);
    if (!execution) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    return execution;
  }
}

type ParsedInput = Parameters<StateMachine['run']>[0];

function parseExecutionInput(input: string): ParsedInput {
  if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) {
    throw new InvalidExecutionInput(`Invalid State Machine Execution Input: the input is larger than ${MAX_INPUT_BYTES} bytes`);
  }
  try {
    return JSON.parse(input) as ParsedInput;
  } catch (error) {
    throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${(error as Error).message}'`);
  }
}

function listItem(execution: Execution): ExecutionListItem {
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachine.arn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate }),
  };
}

/** AWS says whether a closed execution can be redriven; a succeeded one cannot. */
function redriveStatus(execution: Execution): Pick<DescribeExecutionOutput, 'redriveStatus' | 'redriveStatusReason'> {
  if (execution.status === 'RUNNING') return {};
  if (execution.status === 'SUCCEEDED') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' };
  if (!execution.resumePoint) return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution ended before it entered a state' };
  return { redriveStatus: 'REDRIVABLE' };
}
