import type { RunOptions } from 'aws-local-stepfunctions';
import { lambdaFunctionArn, type AwsScope } from './arns.ts';
import { statesOf, type AslState } from './asl.ts';
import { InvalidDefinition } from './errors.ts';
import type { ExecutionHistory } from './history.ts';

/** Runs the Lambda function a Task state names. Throw an Error whose `name` is the error type. */
export type TaskInvoker = (functionArn: string, input: unknown, meta: TaskInvocationMeta) => Promise<unknown>;

export interface TaskInvocationMeta {
  readonly stateName: string;
  readonly executionArn: string;
}

/** A Task state that calls Lambda, as found in a definition. */
export interface LambdaTask {
  readonly stateName: string;
  /** `function-arn`: `Resource` is the function's ARN; `lambda-invoke`: the optimised `arn:aws:states:::lambda:invoke`. */
  readonly integration: 'function-arn' | 'lambda-invoke';
  readonly resource: string;
  /** What the local engine enforces: `TimeoutSeconds`, else its 60 s default; unknown with `TimeoutSecondsPath`. */
  readonly timeoutSeconds: number | undefined;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<TaskHandlers[string]>[0];

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const ENGINE_DEFAULT_TASK_TIMEOUT_SECONDS = 60;

/**
 * Every Task state of a definition, including those inside Map and Parallel states. Anything
 * but a Lambda call is refused: a Task without a local handler would make the engine call
 * the real AWS Lambda.
 */
export function findLambdaTasks(definition: object): Map<string, LambdaTask> {
  const tasks = new Map<string, LambdaTask>();
  const definitions = new Map<string, string>();
  for (const [stateName, state] of statesOf(definition)) {
    if (state.Type !== 'Task') continue;
    // The engine looks task handlers up by state name alone.
    const text = JSON.stringify(state);
    if (definitions.has(stateName) && definitions.get(stateName) !== text) {
      throw new InvalidDefinition(`Invalid State Machine Definition: two Task states are named '${stateName}'`);
    }
    definitions.set(stateName, text);
    tasks.set(stateName, lambdaTask(stateName, state));
  }
  return tasks;
}

function lambdaTask(stateName: string, state: AslState): LambdaTask {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const timeoutSeconds =
    typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : state.TimeoutSecondsPath === undefined ? ENGINE_DEFAULT_TASK_TIMEOUT_SECONDS : undefined;
  if (LAMBDA_FUNCTION_ARN.test(resource)) return { stateName, integration: 'function-arn', resource, timeoutSeconds };
  if (LAMBDA_INVOKE.test(resource)) {
    const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
    if (!('FunctionName' in parameters) && !('FunctionName.$' in parameters)) {
      throw new InvalidDefinition(`Invalid State Machine Definition: Task state '${stateName}' calls lambda:invoke without Parameters.FunctionName`);
    }
    return { stateName, integration: 'lambda-invoke', resource, timeoutSeconds };
  }
  throw new InvalidDefinition(
    `Invalid State Machine Definition: Task state '${stateName}' uses resource '${resource}'; the local engine runs only Lambda functions (a function ARN or arn:aws:states:::lambda:invoke, without .sync or .waitForTaskToken)`,
  );
}

/**
 * A failed Lambda as Step Functions sees it: the error is the function's error type and the
 * cause is the JSON document Lambda returns. Retry and Catch match on `name`.
 */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
  }

  static from(thrown: unknown): LambdaFunctionError {
    if (thrown instanceof Error) return new LambdaFunctionError(thrown.name || 'Error', thrown.message);
    return new LambdaFunctionError('Error', String(thrown));
  }
}

interface TaskHandlerContext {
  readonly scope: AwsScope;
  readonly executionArn: string;
  readonly invokeTask: TaskInvoker;
  readonly history: ExecutionHistory;
}

/** The engine's `taskResourceLocalHandlers` for one execution. */
export function buildTaskHandlers(tasks: ReadonlyMap<string, LambdaTask>, context: TaskHandlerContext): TaskHandlers {
  const handlers: TaskHandlers = {};
  for (const task of tasks.values()) {
    handlers[task.stateName] = (input) => runTask(task, input, context);
  }
  return handlers;
}

async function runTask(task: LambdaTask, input: JsonValue, { scope, executionArn, invokeTask, history }: TaskHandlerContext): Promise<JsonValue> {
  // The engine logged this state's entry a moment ago; its log is read asynchronously, so let
  // the reader catch up before recording the task's own events after it.
  await new Promise((resolve) => setImmediate(resolve));
  const { functionArn, payload } = lambdaCall(task, input, scope);
  history.taskScheduled(task, input);
  history.taskStarted(task);
  const startedAt = Date.now();
  // Past its timeout the engine has already failed the state with States.Timeout.
  const stillAwaited = () => task.timeoutSeconds === undefined || Date.now() - startedAt < task.timeoutSeconds * 1000;
  try {
    // Lambda serialises what it returns; so does this, so dates and undefined behave the same.
    const result = toJson(await invokeTask(functionArn, payload, { stateName: task.stateName, executionArn }));
    const output: JsonValue = task.integration === 'lambda-invoke' ? { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 } : result;
    if (stillAwaited()) history.taskSucceeded(task, output);
    return output;
  } catch (thrown) {
    const error = LambdaFunctionError.from(thrown);
    if (stillAwaited()) history.taskFailed(task, error.name, error.message);
    throw error;
  }
}

function lambdaCall(task: LambdaTask, input: JsonValue, scope: AwsScope): { functionArn: string; payload: JsonValue } {
  if (task.integration === 'function-arn') return { functionArn: task.resource, payload: input };
  const parameters = (input ?? {}) as { FunctionName?: unknown; Payload?: JsonValue };
  if (typeof parameters.FunctionName !== 'string') {
    throw new LambdaFunctionError('States.Runtime', `Task state '${task.stateName}': FunctionName did not resolve to a string`);
  }
  return { functionArn: lambdaFunctionArn(scope, parameters.FunctionName), payload: parameters.Payload ?? {} };
}

function toJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
