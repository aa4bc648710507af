import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, type LocalStepFunctionsOptions, type TaskInvoker } from '../../local/stepfunctions/engine.ts';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const engines: LocalStepFunctions[] = [];

function engineWith(invokeTask: TaskInvoker, options: Partial<LocalStepFunctionsOptions> = {}): LocalStepFunctions {
  const engine = new LocalStepFunctions({ invokeTask, ...options });
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

async function runToEnd(engine: LocalStepFunctions, stateMachineArn: string, input: unknown = {}) {
  const { executionArn } = engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const description = await engine.waitForExecution(executionArn!);
  const events = engine.getExecutionHistory({ executionArn: executionArn!, maxResults: 1000 }).events!;
  return { executionArn: executionArn!, description, events, types: events.map((event) => event.type) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalStepFunctions, used in-process', () => {
  it('installs Promise.withResolvers, which the engine needs on Node 20', () => {
    expect(typeof (Promise as unknown as { withResolvers: unknown }).withResolvers).toBe('function');
  });

  it('calls the task handler of Task states inside Map iterations and Parallel branches', async () => {
    const calls: string[] = [];
    const engine = engineWith(async (functionArn, input, { stateName }) => {
      calls.push(`${stateName} ${functionArn}`);
      return { doubled: (input as { value: number }).value * 2 };
    });
    const arn = engine.register({
      name: 'nested',
      definition: {
        StartAt: 'EachPair',
        States: {
          EachPair: {
            Type: 'Map',
            ItemsPath: '$.pairs',
            ItemProcessor: { StartAt: 'Score', States: { Score: { Type: 'Task', Resource: fn('score'), End: true } } },
            ResultPath: '$.scores',
            Next: 'BothSides',
          },
          BothSides: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Mentor',
                States: {
                  Mentor: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke',
                    Parameters: { FunctionName: 'mentor', Payload: { value: 10 } },
                    OutputPath: '$.Payload',
                    End: true,
                  },
                },
              },
              { StartAt: 'Mentee', States: { Mentee: { Type: 'Task', Resource: fn('mentee'), Parameters: { value: 20 }, End: true } } },
            ],
            ResultPath: '$.sides',
            End: true,
          },
        },
      },
    });

    const { description, types, events } = await runToEnd(engine, arn, { pairs: [{ value: 1 }, { value: 2 }] });

    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output!)).toEqual({
      pairs: [{ value: 1 }, { value: 2 }],
      scores: [{ doubled: 2 }, { doubled: 4 }],
      sides: [{ doubled: 20 }, { doubled: 40 }],
    });
    expect(calls.sort()).toEqual([`Mentee ${fn('mentee')}`, `Mentor ${fn('mentor')}`, `Score ${fn('score')}`, `Score ${fn('score')}`]);
    expect(types.slice(0, 4)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted']);
    expect(events.filter((event) => event.type === 'MapIterationSucceeded').map((event) => event.mapIterationSucceededEventDetails)).toEqual(
      expect.arrayContaining([
        { name: 'EachPair', index: 0 },
        { name: 'EachPair', index: 1 },
      ]),
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'MapStateSucceeded',
        'MapStateExited',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
      ]),
    );
    expect(types.filter((type) => type === 'LambdaFunctionSucceeded')).toHaveLength(3);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(1);
  });

  it('gives tasks the context object: execution and state machine ids and names', async () => {
    const engine = engineWith(async (_functionArn, input) => input);
    const stateMachineArn = engine.register({
      name: 'context',
      definition: {
        StartAt: 'Echo',
        States: {
          Echo: {
            Type: 'Task',
            Resource: fn('echo'),
            Parameters: { 'executionId.$': '$$.Execution.Id', 'executionName.$': '$$.Execution.Name', 'stateMachine.$': '$$.StateMachine.Name' },
            End: true,
          },
        },
      },
    });
    const { executionArn } = engine.startExecution({ stateMachineArn, name: 'with-context' });

    const description = await engine.waitForExecution(executionArn!);

    expect(JSON.parse(description.output!)).toEqual({ executionId: executionArn, executionName: 'with-context', stateMachine: 'context' });
  });

  it('hands lambda:invoke tasks a full function ARN, also for a function name taken from the input', async () => {
    const arns: string[] = [];
    const engine = engineWith(async (functionArn) => {
      arns.push(functionArn);
      return 'ok';
    });
    const arn = engine.register({
      name: 'dynamic',
      definition: {
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.target' }, End: true } },
      },
    });

    const { description } = await runToEnd(engine, arn, { target: 'tandem-review' });

    expect(arns).toEqual([fn('tandem-review')]);
    expect(JSON.parse(description.output!)).toMatchObject({ Payload: 'ok', StatusCode: 200 });
  });

  it('does not retry an error its Retry does not name, and States.TaskFailed catches any task error', async () => {
    let calls = 0;
    const engine = engineWith(async () => {
      calls++;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the engine must cope with a task that throws a non-Error
      throw 'a thrown string';
    });
    const arn = engine.register({
      name: 'unretried',
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: fn('broken'),
            Retry: [{ ErrorEquals: ['PartnerBusy'], IntervalSeconds: 1 }],
            Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
    });

    const { description } = await runToEnd(engine, arn);

    expect(calls).toBe(1);
    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output!)).toEqual({ Error: 'Error', Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'a thrown string' }) });
  });

  it('fails a task with States.Timeout after its TimeoutSeconds and ignores the late result', async () => {
    const engine = engineWith(() => sleep(1300).then(() => 'too late'));
    const arn = engine.register({
      name: 'slow-task',
      definition: { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 1, End: true } } },
    });

    const { executionArn, description } = await runToEnd(engine, arn);
    await sleep(400);

    expect(description).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const types = engine.getExecutionHistory({ executionArn }).events!.map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionTimedOut',
      'ExecutionFailed',
    ]);
  });

  it("times out an execution that runs past the definition's TimeoutSeconds", async () => {
    const engine = engineWith(async () => null);
    const arn = engine.register({
      name: 'too-long',
      definition: { TimeoutSeconds: 1, StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 30, End: true } } },
    });

    const { description, events } = await runToEnd(engine, arn);

    expect(description).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
  });

  it('fails an execution whose history reaches the event limit, keeping exactly that many events', async () => {
    const engine = engineWith(async (_functionArn, input) => input, { maxHistoryEvents: 20 });
    const arn = engine.register({
      name: 'forever',
      definition: {
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: fn('work'), Next: 'Again' },
          Again: { Type: 'Choice', Choices: [{ Variable: '$.stop', BooleanEquals: true, Next: 'Done' }], Default: 'Work' },
          Done: { Type: 'Succeed' },
        },
      },
    });

    const { description, events } = await runToEnd(engine, arn, { stop: false });

    expect(description).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(description.cause).toContain('20');
    expect(events).toHaveLength(20);
    expect(events.at(-1)!.type).toBe('ExecutionFailed');
  });

  it('close() aborts every running execution', async () => {
    const engine = engineWith(async () => null);
    const arn = engine.register({ name: 'waiting', definition: { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } } } });
    const { executionArn } = engine.startExecution({ stateMachineArn: arn });

    await engine.close();

    expect(engine.describeExecution({ executionArn: executionArn! }).status).toBe('ABORTED');
  });

  it('forgets the oldest finished executions beyond maxClosedExecutions', async () => {
    const engine = engineWith(async () => null, { maxClosedExecutions: 2 });
    const arn = engine.register({ name: 'quick', definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } });
    const finished: string[] = [];
    for (let i = 0; i < 3; i++) finished.push((await runToEnd(engine, arn)).executionArn);

    expect(() => engine.describeExecution({ executionArn: finished[0]! })).toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist' }));
    expect(engine.listExecutions({ stateMachineArn: arn }).executions!.map((execution) => execution.executionArn)).toEqual([finished[2], finished[1]]);
  });

  it('refuses a pagination token issued for a different listing', async () => {
    const engine = engineWith(async () => null);
    const arn = engine.register({ name: 'paged', definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } });
    for (let i = 0; i < 3; i++) await runToEnd(engine, arn);
    const { nextToken } = engine.listExecutions({ stateMachineArn: arn, maxResults: 1 });

    expect(() => engine.listExecutions({ stateMachineArn: arn, statusFilter: 'FAILED', nextToken })).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
    expect(engine.listExecutions({ stateMachineArn: arn, maxResults: 1, nextToken }).executions).toHaveLength(1);
  });
});

describe('durations longer than Node timers allow (about 24.8 days)', () => {
  const thirtyDays = 30 * 24 * 3600;

  it('keeps running an execution whose TimeoutSeconds is longer, instead of timing it out at once', async () => {
    const engine = engineWith(async () => null);
    const arn = engine.register({
      name: 'year-long',
      definition: { TimeoutSeconds: 400 * 24 * 3600, StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, End: true } } },
    });

    const { description } = await runToEnd(engine, arn);

    expect(description.status).toBe('SUCCEEDED');
  });

  it('caps a longer task TimeoutSeconds at the longest timer', async () => {
    const engine = engineWith(() => sleep(50).then(() => 'done'));
    const arn = engine.register({
      name: 'patient-task',
      definition: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: thirtyDays, End: true } } },
    });

    const { description, events } = await runToEnd(engine, arn);

    expect(description.status).toBe('SUCCEEDED');
    expect(events.find((event) => event.type === 'LambdaFunctionScheduled')!.lambdaFunctionScheduledEventDetails!.timeoutInSeconds).toBe(2_147_483);
  });

  it('fails an execution whose Wait is longer, rather than letting the engine skip the wait', async () => {
    const calls: string[] = [];
    const engine = engineWith(async (_functionArn, _input, { stateName }) => {
      calls.push(stateName);
      return null;
    });
    const arn = engine.register({
      name: 'long-wait',
      definition: {
        StartAt: 'Pause',
        States: {
          Pause: { Type: 'Wait', InputPath: '$.phase', SecondsPath: '$.waitSeconds', Next: 'Tick' },
          Tick: { Type: 'Task', Resource: fn('tick'), End: true },
        },
      },
    });

    const { description } = await runToEnd(engine, arn, { phase: { waitSeconds: thirtyDays } });

    expect(description).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(description.cause).toContain(`Wait state 'Pause' would wait ${thirtyDays} seconds`);
    expect(calls).toEqual([]);
  });

  it('lets a Wait up to the limit start normally', async () => {
    const engine = engineWith(async () => null);
    const arn = engine.register({
      name: 'three-weeks',
      definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', TimestampPath: '$.until', End: true } } },
    });
    const until = new Date(Date.now() + 21 * 24 * 3600 * 1000).toISOString();
    const { executionArn } = engine.startExecution({ stateMachineArn: arn, input: JSON.stringify({ until }) });
    await sleep(50);

    expect(engine.describeExecution({ executionArn: executionArn! }).status).toBe('RUNNING');
  });
});

describe('registering state machines', () => {
  const succeed = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };

  it('returns the same ARN for the same definition and refuses a different one under that name', () => {
    const engine = engineWith(async () => null, { region: 'eu-west-1', accountId: '123456789012' });

    const arn = engine.register({ name: 'cycle', definition: succeed });

    expect(arn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:cycle');
    expect(engine.register({ name: 'cycle', definition: succeed })).toBe(arn);
    expect(() => engine.register({ name: 'cycle', definition: { StartAt: 'Other', States: { Other: { Type: 'Succeed' } } } })).toThrow(
      expect.objectContaining({ name: 'StateMachineAlreadyExists' }),
    );
  });

  it.each([
    ['a non-Lambda service integration', 'arn:aws:states:::dynamodb:putItem'],
    ['a callback task', 'arn:aws:states:::lambda:invoke.waitForTaskToken'],
    ['an activity', 'arn:aws:states:us-east-1:000000000000:activity:approve'],
  ])('refuses %s, which the local engine would otherwise send to AWS', (_what, resource) => {
    const engine = engineWith(async () => null);

    expect(() =>
      engine.register({
        name: 'unsupported',
        definition: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, Parameters: { FunctionName: 'x' }, End: true } } },
      }),
    ).toThrow(expect.objectContaining({ name: 'InvalidDefinition', message: expect.stringContaining(resource) }));
  });

  it('refuses invalid Amazon States Language and invalid names', () => {
    const engine = engineWith(async () => null);

    expect(() => engine.register({ name: 'broken', definition: { StartAt: 'Missing', States: {} } })).toThrow(
      expect.objectContaining({ name: 'InvalidDefinition' }),
    );
    expect(() => engine.register({ name: 'no spaces allowed', definition: succeed })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
  });
});
