import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  type DescribeExecutionOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { LocalStepFunctions } from '../../local/stepfunctions/engine.ts';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../local/stepfunctions/server.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

/** Counts up to `limit`, pausing `waitSeconds` between steps: Task → Wait (SecondsPath) → Choice loop → Succeed. */
const countingLoop = {
  StartAt: 'Count',
  States: {
    Count: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('tandem-count'), 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Enough?' },
    'Enough?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.count', NumericGreaterThanEqualsPath: '$.limit', Next: 'Counted' }],
      Default: 'Count',
    },
    Counted: { Type: 'Succeed' },
  },
};

/** A flaky Lambda retried on its named error, then a Lambda whose named error is caught into a Fail state. */
const reviewWithRetryAndCatch = {
  StartAt: 'Propose',
  States: {
    Propose: {
      Type: 'Task',
      Resource: fn('tandem-propose'),
      Retry: [{ ErrorEquals: ['PartnerBusy'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
      Next: 'Review',
    },
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'tandem-review', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Catch: [{ ErrorEquals: ['MatchRejected'], ResultPath: '$.failure', Next: 'Rejected' }],
      End: true,
    },
    Rejected: { Type: 'Fail', Error: 'Tandem.MatchRejected', CausePath: '$.failure.Cause' },
  },
};

class PartnerBusy extends Error {
  override name = 'PartnerBusy';
}
class MatchRejected extends Error {
  override name = 'MatchRejected';
}

const invocations: { functionArn: string; input: unknown; stateName: string; executionArn: string }[] = [];
const proposeAttempts = new Map<string, number>();

async function invokeTask(functionArn: string, input: unknown, meta: { stateName: string; executionArn: string }): Promise<unknown> {
  invocations.push({ functionArn, input, ...meta });
  const event = input as { count: number; reject?: boolean };
  switch (functionArn) {
    case fn('tandem-count'):
      return { ...event, count: event.count + 1 };
    case fn('tandem-propose'): {
      const attempt = (proposeAttempts.get(meta.executionArn) ?? 0) + 1;
      proposeAttempts.set(meta.executionArn, attempt);
      if (attempt === 1) throw new PartnerBusy('the partner is busy, try again');
      return { ...event, proposed: true, attempt };
    }
    case fn('tandem-review'):
      if (event.reject) throw new MatchRejected('mentor and mentee share a manager');
      return { ...event, reviewed: true };
    default:
      throw new Error(`no local function ${functionArn}`);
  }
}

let engine: LocalStepFunctions;
let server: StepFunctionsServer;
let sfn: SFNClient;
let loopArn: string;
let reviewArn: string;
let listingArn: string;

beforeAll(async () => {
  engine = new LocalStepFunctions({ region: REGION, accountId: ACCOUNT, invokeTask });
  loopArn = engine.register({ name: 'counting-loop', definition: countingLoop });
  reviewArn = engine.register({ name: 'review', definition: reviewWithRetryAndCatch });
  listingArn = engine.register({ name: 'listing', definition: countingLoop });
  server = await startStepFunctionsServer(engine, { port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await engine?.close();
  await server?.close();
});

async function start(stateMachineArn: string, input: object, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }));
  return executionArn!;
}

async function finished(executionArn: string): Promise<DescribeExecutionOutput> {
  for (;;) {
    const description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (description.status !== 'RUNNING') return description;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

async function untilHistoryHas(executionArn: string, type: string): Promise<void> {
  while (!(await history(executionArn)).some((event) => event.type === type)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function errorOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('local Step Functions endpoint, driven by the AWS SDK', () => {
  it('runs a Task, Wait and Choice loop to SUCCEEDED and reports the output', async () => {
    const executionArn = await start(loopArn, { count: 0, limit: 3, waitSeconds: 0 }, 'loop-to-three');

    const description = await finished(executionArn);

    expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:counting-loop:loop-to-three`);
    expect(description).toMatchObject({
      executionArn,
      stateMachineArn: loopArn,
      name: 'loop-to-three',
      status: 'SUCCEEDED',
      input: JSON.stringify({ count: 0, limit: 3, waitSeconds: 0 }),
    });
    expect(JSON.parse(description.output!)).toEqual({ count: 3, limit: 3, waitSeconds: 0 });
    expect(description.startDate).toBeInstanceOf(Date);
    expect(description.stopDate!.getTime()).toBeGreaterThanOrEqual(description.startDate!.getTime());
    const calls = invocations.filter((call) => call.executionArn === executionArn);
    expect(calls.map((call) => [call.functionArn, call.stateName])).toEqual(Array(3).fill([fn('tandem-count'), 'Count']));
  });

  it('waits for the number of seconds the Wait state reads from its input', async () => {
    const executionArn = await start(loopArn, { count: 0, limit: 1, waitSeconds: 1 });

    const description = await finished(executionArn);

    expect(description.status).toBe('SUCCEEDED');
    expect(description.stopDate!.getTime() - description.startDate!.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it('retries a task that throws the error named in its Retry, then succeeds', async () => {
    const executionArn = await start(reviewArn, { count: 0, reject: false });

    const description = await finished(executionArn);

    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output!)).toEqual({ count: 0, reject: false, proposed: true, attempt: 2, reviewed: true });
    const lambdaEvents = (await history(executionArn)).filter((event) => event.type!.startsWith('LambdaFunction'));
    expect(lambdaEvents.map((event) => event.type)).toEqual([
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
    ]);
    expect(lambdaEvents[2]!.lambdaFunctionFailedEventDetails).toEqual({
      error: 'PartnerBusy',
      cause: JSON.stringify({ errorType: 'PartnerBusy', errorMessage: 'the partner is busy, try again' }),
    });
  });

  it('fails the execution with the Fail state error and the cause of the caught task error', async () => {
    const executionArn = await start(reviewArn, { count: 0, reject: true });

    const description = await finished(executionArn);

    expect(description.status).toBe('FAILED');
    expect(description.error).toBe('Tandem.MatchRejected');
    expect(JSON.parse(description.cause!)).toEqual({ errorType: 'MatchRejected', errorMessage: 'mentor and mentee share a manager' });
    expect(description.output).toBeUndefined();
    const events = await history(executionArn);
    expect(events.map((event) => event.type).slice(-5)).toEqual(['TaskStarted', 'TaskFailed', 'TaskStateExited', 'FailStateEntered', 'ExecutionFailed']);
    expect(events.find((event) => event.type === 'TaskFailed')!.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'MatchRejected',
    });
    expect(events.at(-1)!.executionFailedEventDetails).toEqual({ error: description.error, cause: description.cause });
  });

  it('stops a running execution: ABORTED, with the error and cause given to StopExecution', async () => {
    const executionArn = await start(loopArn, { count: 0, limit: 2, waitSeconds: 3600 });
    await untilHistoryHas(executionArn, 'WaitStateEntered');

    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Tandem.Cancelled', cause: 'HR cancelled the cycle' }));

    const description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(description).toMatchObject({ status: 'ABORTED', error: 'Tandem.Cancelled', cause: 'HR cancelled the cycle', stopDate });
    const events = await history(executionArn);
    expect(events.map((event) => event.type).slice(-3)).toEqual(['WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted']);
    expect(events.at(-1)!.executionAbortedEventDetails).toEqual({ error: 'Tandem.Cancelled', cause: 'HR cancelled the cycle' });
  });

  it('lists executions newest first, filtered by status, one page at a time', async () => {
    const succeeded = [];
    for (let i = 0; i < 3; i++) {
      const executionArn = await start(listingArn, { count: 0, limit: 1, waitSeconds: 0 }, `done-${i}`);
      await finished(executionArn);
      succeeded.push(executionArn);
    }
    const running = [
      await start(listingArn, { count: 0, limit: 1, waitSeconds: 3600 }, 'waiting-0'),
      await start(listingArn, { count: 0, limit: 1, waitSeconds: 3600 }, 'waiting-1'),
    ];

    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: listingArn, maxResults: 2, nextToken }));
      pages.push(page.executions!.map((execution) => execution.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    const onlySucceeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn: listingArn, statusFilter: 'SUCCEEDED' }));
    const onlyRunning = await sfn.send(new ListExecutionsCommand({ stateMachineArn: listingArn, statusFilter: 'RUNNING' }));
    const badToken = await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: listingArn, nextToken: 'not-a-token' })));
    await Promise.all(running.map((executionArn) => sfn.send(new StopExecutionCommand({ executionArn }))));

    expect(pages).toEqual([[running[1], running[0]], [succeeded[2], succeeded[1]], [succeeded[0]]]);
    expect(onlySucceeded.executions!.map((execution) => execution.executionArn)).toEqual([...succeeded].reverse());
    expect(onlySucceeded.executions![0]).toMatchObject({ stateMachineArn: listingArn, name: 'done-2', status: 'SUCCEEDED' });
    expect(onlySucceeded.executions![0]!.stopDate).toBeInstanceOf(Date);
    expect(onlyRunning.executions!.map((execution) => execution.executionArn)).toEqual([...running].reverse());
    expect(onlyRunning.executions![0]!.stopDate).toBeUndefined();
    expect(badToken.name).toBe('InvalidToken');
  });

  it("returns the execution history with AWS's event types, ids and details", async () => {
    const input = { count: 0, limit: 1, waitSeconds: 0 };
    const executionArn = await start(loopArn, input);
    await finished(executionArn);

    const events = await history(executionArn);
    const reversed = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }))).events!;
    const firstPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    const secondPage = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken: firstPage.nextToken }));
    const withoutData = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }))).events!;

    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(events.map((_, index) => [index + 1, index]));
    const times = events.map((event) => event.timestamp!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events[0]!.executionStartedEventDetails).toMatchObject({ input: JSON.stringify(input), inputDetails: { truncated: false } });
    expect(events[1]!.stateEnteredEventDetails).toEqual({ name: 'Count', input: JSON.stringify(input), inputDetails: { truncated: false } });
    expect(JSON.parse(events[2]!.taskScheduledEventDetails!.parameters!)).toEqual({ FunctionName: fn('tandem-count'), Payload: input });
    expect(events[2]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: REGION, timeoutInSeconds: 60 });
    expect(JSON.parse(events[4]!.taskSucceededEventDetails!.output!)).toMatchObject({ Payload: { ...input, count: 1 }, StatusCode: 200 });
    expect(events[5]!.stateExitedEventDetails).toEqual({ name: 'Count', output: JSON.stringify({ ...input, count: 1 }), outputDetails: { truncated: false } });
    expect(JSON.parse(events.at(-1)!.executionSucceededEventDetails!.output!)).toEqual({ ...input, count: 1 });
    expect(reversed.map((event) => event.id)).toEqual(events.map((event) => event.id).reverse());
    expect([...firstPage.events!, ...secondPage.events!].map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(secondPage.nextToken).toBeDefined();
    expect(withoutData[1]!.stateEnteredEventDetails).toEqual({ name: 'Count' });
    expect(withoutData[0]!.executionStartedEventDetails!.input).toBeUndefined();
  });

  it('starting a running execution again with the same name and input returns it; any other reuse of the name is refused', async () => {
    const input = { count: 0, limit: 1, waitSeconds: 3600 };
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, name: 'cycle-2025-q1', input: JSON.stringify(input) }));

    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, name: 'cycle-2025-q1', input: JSON.stringify(input) }));
    const otherInput = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, name: 'cycle-2025-q1', input: '{}' })));
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const afterClose = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, name: 'cycle-2025-q1', input: JSON.stringify(input) })));

    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(otherInput.name).toBe('ExecutionAlreadyExists');
    expect(afterClose.name).toBe('ExecutionAlreadyExists');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: loopArn }));
    expect(listed.executions!.filter((execution) => execution.name === 'cycle-2025-q1')).toHaveLength(1);
  });

  it("answers bad requests and unknown resources with AWS's error names and status 400", async () => {
    const unknownExecution = `arn:aws:states:${REGION}:${ACCOUNT}:execution:counting-loop:never-started`;
    const unknownStateMachine = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:never-registered`;

    const errors = {
      describeUnknown: await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: unknownExecution }))),
      historyOfUnknown: await errorOf(sfn.send(new GetExecutionHistoryCommand({ executionArn: unknownExecution }))),
      stopUnknown: await errorOf(sfn.send(new StopExecutionCommand({ executionArn: unknownExecution }))),
      startOnUnknown: await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: unknownStateMachine }))),
      listUnknown: await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: unknownStateMachine }))),
      describeMachineUnknown: await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: unknownStateMachine }))),
      malformedArn: await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))),
      tooManyResults: await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: loopArn, maxResults: 5000 }))),
      notJsonInput: await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, input: '{not json' }))),
      badName: await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: loopArn, name: 'has a space' }))),
    };

    expect(Object.fromEntries(Object.entries(errors).map(([call, error]) => [call, error.name]))).toEqual({
      describeUnknown: 'ExecutionDoesNotExist',
      historyOfUnknown: 'ExecutionDoesNotExist',
      stopUnknown: 'ExecutionDoesNotExist',
      startOnUnknown: 'StateMachineDoesNotExist',
      listUnknown: 'StateMachineDoesNotExist',
      describeMachineUnknown: 'StateMachineDoesNotExist',
      malformedArn: 'InvalidArn',
      tooManyResults: 'ValidationException',
      notJsonInput: 'InvalidExecutionInput',
      badName: 'InvalidName',
    });
    expect(errors.describeUnknown.message).toContain(unknownExecution);
    expect(errors.tooManyResults.message).toContain("'maxResults'");
    expect(Object.values(errors).map((error) => error.$metadata?.httpStatusCode)).toEqual(Object.values(errors).map(() => 400));
  });

  it('names the missing field, refuses unknown actions and unparsable bodies, without leaking stack traces', async () => {
    const post = async (target: string, body: string) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
        body,
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as { __type: string; message: string },
      };
    };

    const missingField = await post('AWSStepFunctions.DescribeExecution', '{}');
    const unknownAction = await post('AWSStepFunctions.DeleteEverything', '{}');
    const noTarget = await post('', '{}');
    const notJson = await post('AWSStepFunctions.ListExecutions', '{"stateMachineArn":');

    expect(missingField).toMatchObject({ status: 400, contentType: 'application/x-amz-json-1.0', body: { __type: 'ValidationException' } });
    expect(missingField.body.message).toContain("'executionArn'");
    expect(unknownAction).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    expect(noTarget).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    expect(notJson).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    for (const { body } of [missingField, unknownAction, noTarget, notJson]) {
      expect(Object.keys(body).sort()).toEqual(['__type', 'message']);
      expect(body.message).not.toMatch(/\n\s+at /);
    }
  });

  it('describes and lists the registered state machines', async () => {
    const description = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: reviewArn }));
    const listed = await sfn.send(new ListStateMachinesCommand({}));

    expect(description).toMatchObject({ stateMachineArn: reviewArn, name: 'review', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(description.definition!)).toEqual(reviewWithRetryAndCatch);
    expect(description.creationDate).toBeInstanceOf(Date);
    expect(listed.stateMachines!.map((stateMachine) => stateMachine.name)).toEqual(['counting-loop', 'review', 'listing']);
  });

  const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  const awsCliAvailable = awsCli.error === undefined && awsCli.status === 0;

  it('the AWS CLI lists the same executions as the SDK', async (context) => {
    context.skip(!awsCliAvailable, 'the AWS CLI (`aws`) is not on PATH; install it with `apt-get install -y awscli` to run this test');
    await finished(await start(loopArn, { count: 0, limit: 1, waitSeconds: 0 }, 'seen-by-the-cli'));

    // Asynchronously: the server answering the CLI runs in this very process.
    const cli = await promisify(execFile)(
      'aws',
      ['stepfunctions', 'list-executions', '--state-machine-arn', loopArn, '--endpoint-url', server.url, '--region', REGION, '--output', 'json'],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...environmentWithoutAwsSettings(),
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
      },
    );
    const sdk = await sfn.send(new ListExecutionsCommand({ stateMachineArn: loopArn }));

    expect(cli.stderr).toBe('');
    const fromCli = (JSON.parse(cli.stdout) as { executions: { executionArn: string; name: string; status: string; startDate: string | number }[] }).executions;
    const summary = (executions: { executionArn?: string; name?: string; status?: string; startDate?: Date | string | number }[]) =>
      executions.map(({ executionArn, name, status, startDate }) => ({ executionArn, name, status, startDate: toMillis(startDate) }));
    expect(summary(fromCli)).toEqual(summary(sdk.executions!));
    expect(fromCli.map((execution) => execution.name)).toContain('seen-by-the-cli');
  });
});

/** This shell's environment minus any AWS profile, credentials or endpoint that would steer the CLI elsewhere. */
function environmentWithoutAwsSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
}

/** The CLI prints timestamps as ISO text (v2, v1) or epoch seconds, depending on its configuration. */
function toMillis(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Math.round(value * 1000);
  return new Date(value).getTime();
}
