import type { HistoryEvent, HistoryEventExecutionDataDetails, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions';
import type { LambdaTask } from './tasks.ts';

/** One entry of the local engine's own event log (the package does not export the type). */
export type EngineEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** AWS fails an execution whose history reaches 25,000 events; the local engine does too. */
export const DEFAULT_MAX_HISTORY_EVENTS = 25_000;
/** AWS's limit for one state's input or output; larger payloads are stored truncated, as AWS marks them. */
export const MAX_RECORDED_PAYLOAD_BYTES = 256 * 1024;

type HistoryEventDetails = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp' | 'type'>;
type TerminalEventType = 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut';
const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set<TerminalEventType>([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

/**
 * The history of one execution in AWS's shape, built from two sources: the engine's event log
 * (states entering and leaving, Map iterations) and the task handlers (Lambda scheduled,
 * started, succeeded, failed), which see what the engine's log does not.
 */
export class ExecutionHistory {
  private readonly events: HistoryEvent[] = [];
  private readonly openStates = new Map<string, EngineStateData>();
  private readonly failedStates = new Set<string>();
  private closed = false;
  private full = false;

  constructor(
    private readonly options: {
      readonly tasks: ReadonlyMap<string, LambdaTask>;
      readonly region: string;
      readonly maxEvents: number;
      /** Called once when no room is left but for the closing event. */
      readonly onFull: () => void;
      /** Events recorded before a restart; the history goes on from them. */
      readonly savedEvents?: readonly HistoryEvent[];
      /** Called with every event as it is recorded (the engine's journal). */
      readonly onEvent?: (event: HistoryEvent) => void;
    },
  ) {
    this.events.push(...(options.savedEvents ?? []));
    const last = this.events.at(-1)?.type;
    this.closed = last !== undefined && TERMINAL_EVENT_TYPES.has(last);
  }

  get all(): readonly HistoryEvent[] {
    return this.events;
  }

  /** A redrive reopens a closed history and says so, as AWS does (ExecutionRedriven). */
  executionRedriven(redriveCount: number): void {
    this.closed = false;
    this.full = false;
    this.openStates.clear();
    this.failedStates.clear();
    this.append('ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount } });
  }

  executionStarted(input: string, roleArn: string): void {
    this.append('ExecutionStarted', { executionStartedEventDetails: { ...payload('input', input), roleArn } });
  }

  recordEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'StateEntered':
        return this.stateEntered(event.state, scopeKey(event));
      case 'StateExited':
        return this.stateExited(event.state, scopeKey(event));
      case 'StateFailed':
        return this.stateFailed(event.state, scopeKey(event), event.Error, event.Cause);
      case 'MapIterationStarted':
        return this.append('MapIterationStarted', { mapIterationStartedEventDetails: iteration(event) });
      case 'MapIterationSucceeded':
        return this.append('MapIterationSucceeded', { mapIterationSucceededEventDetails: iteration(event) });
      case 'MapIterationFailed':
        return this.append('MapIterationFailed', { mapIterationFailedEventDetails: iteration(event) });
      // Execution start and end are recorded by the engine wrapper; retries, catches and
      // Parallel branches have no event of their own in AWS's history. Named, not `default`:
      // a new engine event type has to be placed here or there on purpose.
      case 'ExecutionStarted':
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionAborted':
      case 'ExecutionTimeout':
      case 'StateRetried':
      case 'StateCaught':
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return;
    }
  }

  taskScheduled(task: LambdaTask, input: unknown): void {
    if (task.integration === 'lambda-invoke') {
      this.append('TaskScheduled', {
        taskScheduledEventDetails: {
          ...taskResource(task),
          region: this.options.region,
          parameters: JSON.stringify(input),
          timeoutInSeconds: task.timeoutSeconds,
        },
      });
    } else {
      this.append('LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource: task.resource,
          ...payload('input', JSON.stringify(input)),
          timeoutInSeconds: task.timeoutSeconds,
        },
      });
    }
  }

  taskStarted(task: LambdaTask): void {
    if (task.integration === 'lambda-invoke') {
      this.append('TaskStarted', { taskStartedEventDetails: taskResource(task) });
    } else {
      this.append('LambdaFunctionStarted', {});
    }
  }

  taskSucceeded(task: LambdaTask, output: unknown): void {
    const recorded = payload('output', JSON.stringify(output));
    if (task.integration === 'lambda-invoke') {
      this.append('TaskSucceeded', { taskSucceededEventDetails: { ...taskResource(task), ...recorded } });
    } else {
      this.append('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: recorded });
    }
  }

  taskFailed(task: LambdaTask, error: string, cause: string): void {
    if (task.integration === 'lambda-invoke') {
      this.append('TaskFailed', { taskFailedEventDetails: { ...taskResource(task), error, cause } });
    } else {
      this.append('LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error, cause } });
    }
  }

  /** Records the closing event; nothing is recorded after it. */
  finish(type: TerminalEventType, details: HistoryEventDetails): void {
    if (this.closed) return;
    if (type === 'ExecutionAborted') this.abortOpenStates();
    this.closed = true;
    this.push(type, details);
  }

  private stateEntered(state: EngineStateData, key: string): void {
    this.openStates.set(key, state);
    this.append(`${state.type}StateEntered`, {
      stateEnteredEventDetails: { name: state.name, ...payload('input', JSON.stringify(state.input)) },
    });
    if (state.type === 'Map') this.append('MapStateStarted', {});
    if (state.type === 'Parallel') this.append('ParallelStateStarted', {});
  }

  private stateExited(state: EngineStateData, key: string): void {
    this.openStates.delete(key);
    if (state.type === 'Fail') return;
    const failed = this.failedStates.delete(key);
    if (state.type === 'Map' && !failed) this.append('MapStateSucceeded', {});
    if (state.type === 'Parallel' && !failed) this.append('ParallelStateSucceeded', {});
    this.append(`${state.type}StateExited`, {
      stateExitedEventDetails: { name: state.name, ...payload('output', JSON.stringify(state.output ?? null)) },
    });
  }

  private stateFailed(state: EngineStateData, key: string, error: string, cause: unknown): void {
    const task = this.options.tasks.get(state.name);
    if (state.type === 'Task' && task && error === 'States.Timeout') {
      // The engine gives up on the handler; the handler itself never learns of it.
      const details = { error, cause: causeText(cause) };
      if (task.integration === 'lambda-invoke') {
        this.append('TaskTimedOut', { taskTimedOutEventDetails: { ...taskResource(task), ...details } });
      } else {
        this.append('LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: details });
      }
    }
    if (state.type === 'Map' || state.type === 'Parallel') {
      this.failedStates.add(key);
      this.append(`${state.type}StateFailed`, {});
    }
  }

  private abortOpenStates(): void {
    for (const state of this.openStates.values()) {
      if (state.type === 'Task' || state.type === 'Wait' || state.type === 'Map' || state.type === 'Parallel') {
        this.push(`${state.type}StateAborted`, {});
      }
    }
  }

  private append(type: HistoryEventType, details: HistoryEventDetails): void {
    if (this.closed || this.full) return;
    if (this.events.length >= this.options.maxEvents - 1) {
      this.full = true;
      this.options.onFull();
      return;
    }
    this.push(type, details);
  }

  private push(type: HistoryEventType, details: HistoryEventDetails): void {
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(), type, id, previousEventId: id - 1, ...details };
    this.events.push(event);
    this.options.onEvent?.(event);
  }
}

type EngineStateData = Extract<EngineEvent, { type: 'StateEntered' }>['state'];

/** Copies an event without state inputs and outputs, for `includeExecutionData: false`. */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const [key, value] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const { input: _input, inputDetails: _inputDetails, output: _output, outputDetails: _outputDetails, ...rest } = value as Record<string, unknown>;
    copy[key] = rest;
  }
  return copy as unknown as HistoryEvent;
}

/** A JSON payload as AWS records it: the text, and whether it was cut to the size limit. */
export function payload<K extends 'input' | 'output'>(key: K, text: string): Record<K, string> & Record<`${K}Details`, HistoryEventExecutionDataDetails> {
  const bytes = Buffer.from(text, 'utf8');
  const truncated = bytes.length > MAX_RECORDED_PAYLOAD_BYTES;
  const recorded = truncated ? bytes.subarray(0, MAX_RECORDED_PAYLOAD_BYTES).toString('utf8') : text;
  return { [key]: recorded, [`${key}Details`]: { truncated } } as Record<K, string> & Record<`${K}Details`, HistoryEventExecutionDataDetails>;
}

export function causeText(cause: unknown): string {
  return typeof cause === 'string' ? cause : JSON.stringify(cause ?? null);
}

function scopeKey(event: { state: { name: string }; index?: number }): string {
  return `${event.index ?? ''}/${event.state.name}`;
}

function iteration(event: { parentState: { name: string }; index: number }): { name: string; index: number } {
  return { name: event.parentState.name, index: event.index };
}

/** `arn:aws:states:::lambda:invoke` is resource type `lambda`, resource `invoke`. */
function taskResource(task: LambdaTask): { resourceType: string; resource: string } {
  const [resourceType = '', resource = ''] = (task.resource.split(':::')[1] ?? '').split(':');
  return { resourceType, resource };
}
