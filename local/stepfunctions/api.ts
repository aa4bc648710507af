import { z } from 'zod';
import type { LocalStepFunctions } from './engine.ts';
import { UnknownOperationException, ValidationException } from './errors.ts';

// Request shapes and constraints as in the AWS Step Functions API reference. Unknown members
// are ignored, as AWS does.
const arn = z.string().min(1).max(256);
const maxResults = z.number().int().min(0).max(1000).optional();
const nextToken = z.string().min(1).max(3096).optional();
const executionStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

const requests = {
  StartExecution: z.object({
    stateMachineArn: arn,
    name: z.string().min(1).max(80).optional(),
    input: z.string().optional(),
    traceHeader: z.string().max(256).optional(),
  }),
  DescribeExecution: z.object({ executionArn: arn }),
  ListExecutions: z.object({ stateMachineArn: arn, statusFilter: executionStatus.optional(), maxResults, nextToken }),
  GetExecutionHistory: z.object({
    executionArn: arn,
    maxResults,
    reverseOrder: z.boolean().optional(),
    nextToken,
    includeExecutionData: z.boolean().optional(),
  }),
  StopExecution: z.object({ executionArn: arn, error: z.string().max(256).optional(), cause: z.string().max(32768).optional() }),
  RedriveExecution: z.object({ executionArn: arn, clientToken: z.string().min(1).max(64).optional() }),
  DescribeStateMachine: z.object({ stateMachineArn: arn }),
  ListStateMachines: z.object({ maxResults, nextToken }),
};

type Action = keyof typeof requests;
type Handlers = { [A in Action]: (engine: LocalStepFunctions, request: z.infer<(typeof requests)[A]>) => unknown };

const handlers: Handlers = {
  StartExecution: (engine, request) => engine.startExecution(request),
  DescribeExecution: (engine, request) => engine.describeExecution(request),
  ListExecutions: (engine, request) => engine.listExecutions(request),
  GetExecutionHistory: (engine, request) => engine.getExecutionHistory(request),
  StopExecution: (engine, request) => engine.stopExecution(request),
  RedriveExecution: (engine, request) => engine.redriveExecution(request),
  DescribeStateMachine: (engine, request) => engine.describeStateMachine(request),
  ListStateMachines: (engine, request) => engine.listStateMachines(request),
};

/** Runs one API action (`StartExecution`, ...) with an already decoded JSON body. */
export async function handleAction(engine: LocalStepFunctions, action: string, body: unknown): Promise<unknown> {
  if (!Object.hasOwn(requests, action)) throw new UnknownOperationException(`Unknown operation: ${action}`);
  return run(engine, action as Action, body);
}

function run<A extends Action>(engine: LocalStepFunctions, action: A, body: unknown): Promise<unknown> {
  const parsed = requests[action].safeParse(body);
  if (!parsed.success) throw new ValidationException(describeIssues(parsed.error.issues, body));
  return Promise.resolve(handlers[action](engine, parsed.data as z.infer<(typeof requests)[A]>));
}

/** AWS's wording: "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: ..." */
function describeIssues(issues: readonly z.core.$ZodIssue[], body: unknown): string {
  const details = issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'request';
    const missing = issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], body) === undefined;
    return issue.code === 'invalid_type' && missing
      ? `Value null at '${field}' failed to satisfy constraint: Member must not be null`
      : `Value at '${field}' failed to satisfy constraint: ${issue.message}`;
  });
  return `${details.length} validation error${details.length === 1 ? '' : 's'} detected: ${details.join('; ')}`;
}
