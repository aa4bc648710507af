import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, type ExecutionStatusChange, type TaskInvoker } from '../../local/stepfunctions/engine.ts';
import { ExecutionJournal, type ExecutionSnapshot } from '../../local/stepfunctions/journal.ts';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const engines: LocalStepFunctions[] = [];
const freshDirectory = () => mkdtempSync(join(tmpdir(), 'tandem-journal-'));

function engineOn(directory: string, invokeTask: TaskInvoker, onStatusChange?: (change: ExecutionStatusChange) => void): LocalStepFunctions {
  const engine = new LocalStepFunctions({ invokeTask, journalDirectory: directory, ...(onStatusChange ? { onStatusChange } : {}) });
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

const snapshot = (status: ExecutionSnapshot['status'], extra: Partial<ExecutionSnapshot> = {}): ExecutionSnapshot => ({
  arn: 'arn:aws:states:us-east-1:000000000000:execution:m:e1',
  name: 'e1',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
  input: '{}',
  startDate: 1_000,
  sequence: 1,
  status,
  redriveCount: 0,
  ...extra,
});

const twoSteps = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: fn('first'), ResultPath: '$.first', Next: 'Second' },
    Second: { Type: 'Task', Resource: fn('second'), ResultPath: '$.second', End: true },
  },
};

/** Resolves once `predicate` holds, checking at each turn of the event loop. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the local Step Functions journal', () => {
  it('replaces a snapshot whole and leaves no temporary file behind', () => {
    const journal = new ExecutionJournal(freshDirectory());
    journal.saveSnapshot(snapshot('RUNNING'));
    journal.saveSnapshot(snapshot('SUCCEEDED', { output: '{"done":true}' }));

    const folder = dirname(journal.filesOf(snapshot('RUNNING').arn).snapshot);
    expect(readdirSync(folder)).toEqual(['execution.json']);
    expect(journal.loadAll().map((saved) => saved.snapshot)).toEqual([snapshot('SUCCEEDED', { output: '{"done":true}' })]);
  });

  it('keeps the last complete snapshot when a process died before renaming the next one into place', () => {
    const journal = new ExecutionJournal(freshDirectory());
    journal.saveSnapshot(snapshot('RUNNING', { resumePoint: { stateName: 'Second', input: { a: 1 }, enteredAt: 2_000 } }));
    const { snapshot: path } = journal.filesOf(snapshot('RUNNING').arn);
    writeFileSync(`${path}.99999.tmp`, '{"arn": "half wri');

    expect(journal.loadAll().map((saved) => saved.snapshot.resumePoint)).toEqual([{ stateName: 'Second', input: { a: 1 }, enteredAt: 2_000 }]);
  });

  it('drops a history line cut short by a crash, and appends the next event after the last complete one', () => {
    const directory = freshDirectory();
    const arn = snapshot('RUNNING').arn;
    const first = new ExecutionJournal(directory);
    first.saveSnapshot(snapshot('RUNNING'));
    first.appendEvent(arn, { id: 1, type: 'ExecutionStarted', timestamp: new Date(1_000) });
    first.close();
    appendFileSync(first.filesOf(arn).history, '{"id":2,"type":"TaskStateEnt');

    const second = new ExecutionJournal(directory);
    expect(second.loadAll()[0]?.events).toEqual([{ id: 1, type: 'ExecutionStarted', timestamp: new Date(1_000) }]);
    second.appendEvent(arn, { id: 2, type: 'TaskStateEntered', timestamp: new Date(2_000) });
    second.close();

    expect(readFileSync(second.filesOf(arn).history, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(new ExecutionJournal(directory).loadAll()[0]?.events.map((event) => event.type)).toEqual(['ExecutionStarted', 'TaskStateEntered']);
  });

  it('reports a snapshot it cannot read and loads the others', () => {
    const journal = new ExecutionJournal(freshDirectory());
    journal.saveSnapshot(snapshot('RUNNING'));
    journal.saveSnapshot(snapshot('FAILED', { arn: 'arn:aws:states:us-east-1:000000000000:execution:m:e2', name: 'e2' }));
    writeFileSync(journal.filesOf(snapshot('RUNNING').arn).snapshot, '{"arn": 3}');
    const unreadable: string[] = [];

    const loaded = journal.loadAll((_folder, reason) => unreadable.push(reason));

    expect(loaded.map((saved) => saved.snapshot.name)).toEqual(['e2']);
    expect(unreadable).toEqual([expect.stringContaining('arn')]);
  });
});

// Building a state machine validates its definition, which takes seconds on a loaded machine.
describe('the local Step Functions engine with a journal', { timeout: 60_000 }, () => {
  it('resumes a running execution at the state it was in when its process died, keeping the history', async () => {
    const directory = freshDirectory();
    const calls: string[] = [];
    const dying = engineOn(directory, (functionArn) => {
      calls.push(`dying ${functionArn.split(':').at(-1)}`);
      // The process "dies" while the second step runs: it never answers.
      return functionArn.endsWith('second') ? new Promise(() => {}) : Promise.resolve('one');
    });
    const arn = dying.register({ name: 'steps', definition: twoSteps });
    const { executionArn } = dying.startExecution({ stateMachineArn: arn, name: 'cycle-1', input: '{"cycleId":"c1"}' });
    await until(() => calls.length === 2);

    const restarted = engineOn(directory, async (functionArn, input) => {
      calls.push(`restarted ${functionArn.split(':').at(-1)}`);
      return { sawFirst: (input as { first?: unknown }).first };
    });
    restarted.register({ name: 'steps', definition: twoSteps });

    expect(restarted.resumeSavedExecutions()).toEqual([executionArn]);
    const described = await restarted.waitForExecution(executionArn!);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'cycle-1', input: '{"cycleId":"c1"}' });
    expect(JSON.parse(described.output!)).toEqual({ cycleId: 'c1', first: 'one', second: { sawFirst: 'one' } });
    expect(calls).toEqual(['dying first', 'dying second', 'restarted second']);
    const events = restarted.getExecutionHistory({ executionArn: executionArn! }).events!;
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.type === 'ExecutionStarted')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'TaskStateEntered').map((event) => event.stateEnteredEventDetails?.name)).toEqual([
      'First',
      'Second',
      'Second',
    ]);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('resumes a Wait with what was left of it, not the whole wait again', async () => {
    const directory = freshDirectory();
    const napping = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } } };
    const first = engineOn(directory, async () => null);
    const arn = first.register({ name: 'napping', definition: napping });
    const { executionArn } = first.startExecution({ stateMachineArn: arn, name: 'nap' });
    await until(() => first.getExecutionHistory({ executionArn: executionArn! }).events!.some((event) => event.type === 'WaitStateEntered'));
    await first.close();
    const journal = new ExecutionJournal(directory);
    const [saved] = journal.loadAll();
    expect(saved?.snapshot).toMatchObject({ status: 'RUNNING', resumePoint: { stateName: 'Nap' } });
    expect(saved!.snapshot.resumePoint!.waitUntil! - saved!.snapshot.resumePoint!.enteredAt).toBe(3_600_000);
    // The hour has passed while the stack was down.
    journal.saveSnapshot({ ...saved!.snapshot, resumePoint: { ...saved!.snapshot.resumePoint!, waitUntil: Date.now() - 1 } });

    const second = engineOn(directory, async () => null);
    second.register({ name: 'napping', definition: napping });
    second.resumeSavedExecutions();

    expect(await second.waitForExecution(executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('leaves running executions RUNNING on disk when it is closed, and finished ones as they ended', async () => {
    const directory = freshDirectory();
    const engine = engineOn(directory, async () => new Promise(() => {}));
    const arn = engine.register({ name: 'steps', definition: twoSteps });
    engine.startExecution({ stateMachineArn: arn, name: 'open' });
    const done = engine.register({ name: 'done', definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } });
    const { executionArn } = engine.startExecution({ stateMachineArn: done, name: 'finished' });
    await engine.waitForExecution(executionArn!);

    await engine.close();

    const statuses = new ExecutionJournal(directory).loadAll().map((saved) => [saved.snapshot.name, saved.snapshot.status]);
    expect(statuses.sort()).toEqual([
      ['finished', 'SUCCEEDED'],
      ['open', 'RUNNING'],
    ]);
  });

  it('redrives a failed execution from the state that failed, under the same ARN, and says so to its listener', async () => {
    let secondAttempts = 0;
    const changes: string[] = [];
    const engine = engineOn(
      freshDirectory(),
      async (functionArn) => {
        if (functionArn.endsWith('first')) return 'one';
        secondAttempts++;
        if (secondAttempts === 1) throw Object.assign(new Error('the mail server is down'), { name: 'MailServerDown' });
        return 'two';
      },
      (change) => changes.push(`${change.status} ${change.redriveCount}${change.error ? ` ${change.error}` : ''}`),
    );
    const arn = engine.register({ name: 'steps', definition: twoSteps });
    const { executionArn } = engine.startExecution({ stateMachineArn: arn, name: 'redriven' });
    expect(await engine.waitForExecution(executionArn!)).toMatchObject({ status: 'FAILED', error: 'MailServerDown', redriveStatus: 'REDRIVABLE' });

    const { redriveDate } = engine.redriveExecution({ executionArn: executionArn! });

    const described = await engine.waitForExecution(executionArn!);
    expect(described).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate, executionArn });
    expect(JSON.parse(described.output!)).toEqual({ first: 'one', second: 'two' });
    expect(secondAttempts).toBe(2);
    expect(changes).toEqual(['RUNNING 0', 'FAILED 0 MailServerDown', 'RUNNING 1', 'SUCCEEDED 1']);
    const types = engine.getExecutionHistory({ executionArn: executionArn! }).events!.map((event) => event.type);
    expect(types.filter((type) => type === 'ExecutionRedriven' || type?.startsWith('Execution'))).toEqual([
      'ExecutionStarted',
      'ExecutionFailed',
      'ExecutionRedriven',
      'ExecutionSucceeded',
    ]);
  });

  it('refuses to redrive an execution that succeeded or is still running', async () => {
    const engine = engineOn(freshDirectory(), async (functionArn) => (functionArn.endsWith('second') ? new Promise(() => {}) : 'one'));
    const done = engine.register({ name: 'done', definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } } });
    const succeeded = engine.startExecution({ stateMachineArn: done, name: 'ok' }).executionArn!;
    await engine.waitForExecution(succeeded);
    const running = engine.startExecution({ stateMachineArn: engine.register({ name: 'steps', definition: twoSteps }), name: 'busy' }).executionArn!;

    expect(() => engine.redriveExecution({ executionArn: succeeded })).toThrow(expect.objectContaining({ name: 'ExecutionNotRedrivable' }));
    expect(() => engine.redriveExecution({ executionArn: running })).toThrow(expect.objectContaining({ name: 'ExecutionNotRedrivable' }));
    expect(engine.describeExecution({ executionArn: succeeded })).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE' });
  });
});
