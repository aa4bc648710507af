import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { ExecutionError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryOutput,
  ListExecutionsOutput,
  ListStateMachinesOutput,
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
  InvalidDefinition,
  InvalidExecutionInput,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from './errors.ts';
import { causeText, DEFAULT_MAX_HISTORY_EVENTS, ExecutionHistory, withoutExecutionData, type EngineEvent } from './history.ts';
import { paginate, type PageRequest } from './pagination.ts';
import { statesOf, type AslState } from './asl.ts';
import { buildTaskHandlers, findLambdaTasks, type LambdaTask, type TaskInvoker } from './tasks.ts';
import { capTimeoutsToNodeTimers, LONGEST_TIMER_SECONDS, overlongWaitSeconds } from './timer-limits.ts';

export type { TaskInvoker, TaskInvocationMeta } from './tasks.ts';

export interface LocalStepFunctionsOptions {
  readonly region?: string;
  readonly accountId?: string;
  readonly invokeTask: TaskInvoker;
  /** Events kept per execution; an execution that would exceed it fails, as on AWS (25,000). */
  readonly maxHistoryEvents?: number;
  /** Finished executions kept for Describe/List/GetExecutionHistory; the oldest are forgotten first. */
  readonly maxClosedExecutions?: number;
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
  private nextSequence = 1;

  constructor(options: LocalStepFunctionsOptions) {
    this.scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '000000000000' };
    this.invokeTask = options.invokeTask;
    this.maxHistoryEvents = options.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    this.maxClosedExecutions = options.maxClosedExecutions ?? DEFAULT_MAX_CLOSED_EXECUTIONS;
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
    const execution = this.run(stateMachine, arn, name, input, parsedInput);
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  describeExecution({ executionArn }: ExecutionRequest): DescribeExecutionOutput {
    const execution = this.execution(executionArn);
    return {
      ...listItem(execution),
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

  /** Aborts every running execution and waits until each has finished. */
  async close(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.abort();
    await Promise.all(running.map((execution) => execution.closed));
  }

  private run(stateMachine: RegisteredStateMachine, arn: string, name: string, input: string, parsedInput: ParsedInput): Execution {
    const execution: Execution = {
      arn,
      name,
      stateMachine,
      input,
      startDate: new Date(),
      sequence: this.nextSequence++,
      history: new ExecutionHistory({
        tasks: stateMachine.tasks,
        region: this.scope.region,
        maxEvents: this.maxHistoryEvents,
        onFull: () => this.fail(execution, 'States.Runtime', `The execution reached the limit of ${this.maxHistoryEvents} history events.`),
      }),
      status: 'RUNNING',
      engineAborted: false,
      abort: () => {},
      closed: Promise.resolve(),
    };
    this.executions.set(arn, execution);
    execution.history.executionStarted(input, stateMachine.roleArn);

    const run = stateMachine.machine.run(parsedInput, {
      overrides: {
        taskResourceLocalHandlers: buildTaskHandlers(stateMachine.tasks, {
          scope: this.scope,
          executionArn: arn,
          invokeTask: this.invokeTask,
          history: execution.history,
        }),
      },
      // The engine fills in Execution.Input and Execution.StartTime itself.
      context: {
        Execution: { Id: arn, Name: name, RoleArn: stateMachine.roleArn },
        StateMachine: { Id: stateMachine.arn, Name: stateMachine.name },
      },
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    const recorded = this.recordEngineEvents(execution, run.eventLogs);
    execution.closed = Promise.allSettled([run.result, recorded]).then(([outcome]) => {
      this.finish(execution, outcome);
      this.forgetOldExecutions();
    });
    return execution;
  }

  private async recordEngineEvents(execution: Execution, events: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const event of events) {
      if (event.type === 'ExecutionAborted') execution.engineAborted = true;
      if (event.type === 'StateEntered' && event.state.type === 'Wait') this.refuseOverlongWait(execution, event.state.name, event.state.input);
      execution.history.recordEngineEvent(event);
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
