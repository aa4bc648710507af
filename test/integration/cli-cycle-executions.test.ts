import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { importRoster } from '../../services/roster-import.ts';
import { createProgramWithRoster, sfnClient, testProgram, uniqueTag, waitForCycleStatus, waitForExecution } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

const AWS_CLI = '/usr/bin/aws';
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-cycle-'));

interface Started {
  cycleId: string;
  executionArn: string;
}

/** A program whose identify phase fails for good: two people in one reporting line cannot be paired. */
async function failingProgram(tag: string): Promise<void> {
  const { store } = container();
  await store.putProgram(testProgram(tag));
  const csv = [
    'id,name,email,department,birth_year,seniority,skills_offered,skills_wanted,manager_id,languages',
    `boss,Carla Boss,boss@${tag}.example.com,Sales,1965,9,negotiation:5,social-media:5,,pt`,
    `junior,João Junior,junior@${tag}.example.com,Sales,2000,1,social-media:5,negotiation:5,boss,pt`,
  ].join('\n');
  await importRoster(store, { programId: tag, text: csv, format: 'csv' });
}

describe('tandem cycle and tandem executions on the local stack', () => {
  it("starts a cycle, shows its status and the program's cycles, lists and stops its execution; a stopped one cannot be stopped again", async () => {
    const tag = uniqueTag('cli-cycle');
    // Long windows: the cycle stays in goal-setting while the test looks at it.
    await createProgramWithRoster(tag, {
      phaseWindows: { goalSetting: 'PT10M', run: 'PT10M', measure: 'PT10M', feedback: 'PT10M' },
      reminders: { beforeDeadline: [] },
      progressCheckInterval: 'PT5S',
    });
    const start = await tandem(['cycle', 'start', '--program', tag, '--json']);
    expect(start.code, start.stderr).toBe(0);
    const started = start.json<Started>();
    expect(started.executionArn).toBe(`${inject('localStack').stateMachineArn.replace(':stateMachine:', ':execution:')}:${started.cycleId}`);

    // Wait until identify has run.
    for (let i = 0; i < 60 && !(await container().store.getCycle(started.cycleId))?.phases['goal-setting']; i++) await new Promise((r) => setTimeout(r, 250));
    const status = await tandem(['cycle', 'status', started.cycleId, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const report = status.json<{
      status: string;
      executionStatus: string;
      currentPhase: string;
      participants: number;
      bounces: number;
      phases: Array<{ phase: string; deadline?: string; expected?: number; responses: number }>;
    }>();
    expect(report).toMatchObject({ status: 'running', executionStatus: 'RUNNING', currentPhase: 'goal-setting', bounces: 0 });
    expect(report.participants).toBeGreaterThanOrEqual(20);
    expect(report.phases[0]).toMatchObject({ phase: 'goal-setting', expected: report.participants, responses: 0 });
    expect(Date.parse(report.phases[0]?.deadline as string)).toBeGreaterThan(Date.now());

    const human = await tandem(['cycle', 'status', started.cycleId]);
    expect(human.stdout).toMatch(/Participants \d+, pairs \d+, emails sent \d+, bounces 0/);
    expect(human.stdout).toMatch(/goal-setting\s+\d{4}-\d\d-\d\d/);

    const listed = await tandem(['cycle', 'list', '--program', tag, '--json']);
    expect(listed.json<Array<{ cycleId: string }>>().map((c) => c.cycleId)).toEqual([started.cycleId]);

    const executions = await tandem(['executions', 'list', '--program', tag, '--json']);
    expect(executions.json<Array<{ executionArn: string; status: string }>>()).toEqual([
      expect.objectContaining({ executionArn: started.executionArn, status: 'RUNNING' }),
    ]);

    const redriveRunning = await tandem(['executions', 'redrive', started.cycleId]);
    expect(redriveRunning.code).toBe(6);
    expect(redriveRunning.stderr).toMatch(/cannot be redriven: it is RUNNING/);

    const stop = await tandem(['cycle', 'stop', started.cycleId, '--reason', 'test stop', '--json']);
    expect(stop.code, stop.stderr).toBe(0);
    expect((await container().store.getCycle(started.cycleId))?.status).toBe('stopped');
    const described = await sfnClient().send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described.status).toBe('ABORTED');
    expect(described.cause).toBe('test stop');

    const again = await tandem(['cycle', 'stop', started.cycleId]);
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/is not running: its execution is ABORTED/);

    // A stopped cycle is not redriven: it would run on while marked stopped.
    const redriveStopped = await tandem(['executions', 'redrive', started.cycleId]);
    expect(redriveStopped.code).toBe(6);
    expect(redriveStopped.stderr).toMatch(/cannot be redriven: it was stopped on .* by .*: "test stop", and a stopped cycle is not resumed; start a new cycle/);
    expect((await sfnClient().send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('ABORTED');

    const aborted = await tandem(['executions', 'list', '--status', 'ABORTED', '--json']);
    expect(aborted.json<Array<{ name: string }>>().map((e) => e.name)).toContain(started.cycleId);
    const running = await tandem(['executions', 'list', '--status', 'running', '--program', tag, '--json']);
    expect(running.json()).toEqual([]);
  });

  it('shows a failed execution as a timeline with the error and its cause, and redrives it locally from the step that failed', async () => {
    const tag = uniqueTag('cli-fail');
    await failingProgram(tag);
    const start = await tandem(['cycle', 'start', '--program', tag, '--json']);
    expect(start.code, start.stderr).toBe(0);
    const { cycleId, executionArn } = start.json<Started>();
    expect((await waitForExecution(executionArn)).status).toBe('FAILED');

    const shown = await tandem(['executions', 'show', cycleId, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const execution = shown.json<{
      status: string;
      error: string;
      cause: string;
      timeline: {
        phases: Array<{ phase: string; states: Array<{ name: string; durationMs: number }>; failures: Array<{ state: string; error: string; cause: string }> }>;
      };
    }>();
    expect(execution).toMatchObject({ status: 'FAILED', error: 'NoPairsError' });
    expect(execution.cause).toMatch(/no pair can be formed/);
    // The program has no enrollment: its Choice is passed on the way to Identify. The failure is the execution's own:
    // no failure path runs after it, so it can be redriven from Identify.
    expect(execution.timeline.phases.map((p) => p.phase)).toEqual(['enrollment', 'identify']);
    expect(execution.timeline.phases[0]?.states.map((s) => s.name)).toEqual(['Enrollment: wanted?']);
    expect(execution.timeline.phases[1]?.failures[0]).toMatchObject({ state: 'Identify', error: 'NoPairsError' });

    const human = await tandem(['executions', 'show', executionArn]);
    expect(human.stdout).toContain(`Execution ${cycleId}: FAILED`);
    expect(human.stdout).toMatch(/! Identify NoPairsError: .*no pair can be formed/);

    await waitForCycleStatus(cycleId, 'failed');
    const status = await tandem(['cycle', 'status', cycleId, '--json']);
    expect(status.json()).toMatchObject({ status: 'failed', executionStatus: 'FAILED', failure: { error: 'NoPairsError' } });

    // Nothing was fixed, so the redriven execution fails again at the same step.
    const redrive = await tandem(['executions', 'redrive', cycleId, '--json']);
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(redrive.json()).toMatchObject({ redriven: true, executionArn });
    const again = await waitForExecution(executionArn);
    expect(again).toMatchObject({ status: 'FAILED', error: 'NoPairsError', redriveCount: 1 });

    const failed = await tandem(['executions', 'list', '--status', 'FAILED', '--since', '10m', '--json']);
    expect(failed.json<Array<{ name: string }>>().map((e) => e.name)).toContain(cycleId);
    const future = await tandem(['executions', 'list', '--since', new Date(Date.now() + 3_600_000).toISOString(), '--json']);
    expect(future.json()).toEqual([]);
  });

  it("follows a failing cycle with --wait until it is marked failed, and gives the execution's error and cause", async () => {
    const tag = uniqueTag('cli-wait-fail');
    await failingProgram(tag);
    const json = await tandem(['cycle', 'start', '--program', tag, '--wait', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const { final } = json.json<{ final: { status: string; executionStatus: string; executionFailure: { error: string; cause: string } } }>();
    expect(final).toMatchObject({ status: 'failed', executionStatus: 'FAILED', executionFailure: { error: 'NoPairsError' } });
    expect(final.executionFailure.cause).toMatch(/no pair can be formed/);

    const human = await tandem(['cycle', 'start', '--program', tag, '--wait']);
    expect(human.code, human.stderr).toBe(1);
    expect(human.stdout).toMatch(/: failed \(execution FAILED\), phase identify/);
    expect(human.stdout).toMatch(/NoPairsError: .*no pair can be formed/);
  });

  it('says in executions show that an execution was redriven, how many times and when last', async () => {
    const tag = uniqueTag('cli-redriven');
    await failingProgram(tag);
    const start = await tandem(['cycle', 'start', '--program', tag, '--json']);
    const { cycleId, executionArn } = start.json<Started>();
    expect((await waitForExecution(executionArn)).status).toBe('FAILED');
    const before = await tandem(['executions', 'show', cycleId]);
    expect(before.stdout).not.toMatch(/^\s+redriven/m);

    await waitForCycleStatus(cycleId, 'failed');
    const redrive = await tandem(['executions', 'redrive', cycleId]);
    expect(redrive.code, redrive.stderr).toBe(0);
    expect((await waitForExecution(executionArn)).redriveCount).toBe(1);

    const shown = await tandem(['executions', 'show', cycleId, '--json']);
    const { redriveCount, redriveDate } = shown.json<{ redriveCount: number; redriveDate: string }>();
    expect(redriveCount).toBe(1);
    const human = await tandem(['executions', 'show', cycleId]);
    expect(human.stdout).toContain(`  redriven 1× (last at ${redriveDate.replace('T', ' ').replace(/\.\d+Z$/, 'Z')})`);
  });

  it('shows, lists and redrives executions with the state machine alone, as ops do, and asks for the table to list a program’s', async () => {
    const tag = uniqueTag('cli-sfn-only');
    await failingProgram(tag);
    const start = await tandem(['cycle', 'start', '--program', tag, '--json']);
    expect(start.code, start.stderr).toBe(0);
    const { cycleId, executionArn } = start.json<Started>();
    expect((await waitForExecution(executionArn)).status).toBe('FAILED');

    const sfnOnly = stackEnv({ TANDEM_LOCAL_ENV_FILE: join(dir, 'absent.json') });
    delete sfnOnly.TANDEM_TABLE_NAME;
    const shown = await tandem(['executions', 'show', cycleId, '--json'], { env: sfnOnly, cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json()).toMatchObject({ name: cycleId, status: 'FAILED' });
    const listed = await tandem(['executions', 'list', '--status', 'FAILED', '--since', '10m', '--json'], { env: sfnOnly, cwd: dir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json<Array<{ name: string }>>().map((e) => e.name)).toContain(cycleId);

    const ofProgram = await tandem(['executions', 'list', '--program', tag], { env: sfnOnly, cwd: dir });
    expect(ofProgram.code).toBe(3);
    expect(ofProgram.stderr).toMatch(/TANDEM_TABLE_NAME is not set/);

    // Ops' role reads no table: a redrive needs the state machine alone (a stopped cycle is known by its ABORTED execution).
    const redrive = await tandem(['executions', 'redrive', cycleId], { env: sfnOnly, cwd: dir });
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(redrive.stdout).toMatch(/redriven/);
  });

  it('agrees with the AWS CLI on the executions of the state machine', async () => {
    // A missing CLI fails this test (never a silent skip): npm test installs it with apt when run as root.
    expect(existsSync(AWS_CLI), `${AWS_CLI} is missing: install the AWS CLI v2 (sudo apt-get install -y awscli)`).toBe(true);
    const { endpoints, stateMachineArn } = inject('localStack');
    const [aws, ours] = await Promise.all([
      new Promise<string>((resolve, reject) =>
        execFile(
          AWS_CLI,
          [
            'stepfunctions',
            'list-executions',
            '--endpoint-url',
            endpoints.stepfunctions,
            '--state-machine-arn',
            stateMachineArn,
            '--region',
            'us-east-1',
            '--output',
            'json',
            '--no-cli-pager',
          ],
          { env: { PATH: process.env.PATH, HOME: dir, AWS_ACCESS_KEY_ID: 'dummy', AWS_SECRET_ACCESS_KEY: 'dummy', AWS_PAGER: '' } },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        ),
      ),
      tandem(['executions', 'list', '--limit', '10000', '--json']),
    ]);
    const awsArns = (JSON.parse(aws) as { executions: Array<{ executionArn: string; status: string }> }).executions;
    const ourArns = ours.json<Array<{ executionArn: string; status: string }>>();
    expect(ourArns.length).toBeGreaterThan(0);
    // Executions started between the two calls may appear in one list only: compare what both saw.
    const ours_ = new Map(ourArns.map((e) => [e.executionArn, e.status]));
    const common = awsArns.filter((e) => ours_.has(e.executionArn));
    expect(common.length).toBeGreaterThanOrEqual(Math.min(awsArns.length, ourArns.length) - 2);
    expect(awsArns.map((e) => e.executionArn).filter((arn) => ours_.has(arn))).toEqual(
      ourArns.map((e) => e.executionArn).filter((arn) => awsArns.some((a) => a.executionArn === arn)),
    );
  });

  it('names unknown programs, cycles and executions, and what to set when unconfigured; uses the local env file', async () => {
    const tag = uniqueTag('cli-unknown');
    const [program, cycle, execution, report] = await Promise.all([
      tandem(['cycle', 'start', '--program', tag]),
      tandem(['cycle', 'status', `${tag}-cycle`, '--json']),
      tandem(['executions', 'show', `${tag}-execution`]),
      tandem(['report', 'save', `${tag}-cycle`]),
    ]);
    expect([program.code, cycle.code, execution.code, report.code]).toEqual([5, 5, 5, 5]);
    expect(program.stderr).toMatch(new RegExp(`program ${tag} does not exist`));
    expect(cycle.json()).toMatchObject({ error: { kind: 'not-found' } });
    expect(execution.stderr).toMatch(/does not exist/);

    const bare = stackEnv();
    for (const key of Object.keys(bare)) if (key.startsWith('TANDEM_') || key.startsWith('AWS_ENDPOINT')) delete bare[key];
    const unconfigured = await tandem(['cycle', 'list', '--program', tag], { env: { ...bare, TANDEM_LOCAL_ENV_FILE: join(dir, 'absent.json') }, cwd: dir });
    expect(unconfigured.code).toBe(3);
    expect(unconfigured.stderr).toMatch(/TANDEM_TABLE_NAME is not set.*tandem local up/);

    const envFile = join(dir, 'env.json');
    writeFileSync(envFile, JSON.stringify(inject('localStack').env));
    await container().store.putProgram(testProgram(tag));
    const viaFile = await tandem(['cycle', 'list', '--program', tag, '--json'], { env: { ...bare, TANDEM_LOCAL_ENV_FILE: envFile }, cwd: dir });
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(viaFile.json()).toEqual([]);
    // --local prefers the file even over variables that point elsewhere.
    const forced = await tandem(['--local', 'cycle', 'list', '--program', tag, '--json'], {
      env: { ...bare, TANDEM_TABLE_NAME: 'some-aws-table', TANDEM_LOCAL_ENV_FILE: envFile },
      cwd: dir,
    });
    expect(forced.code, forced.stderr).toBe(0);
    const missingFile = await tandem(['cycle', 'list', '--program', tag, '--local'], {
      env: { ...bare, TANDEM_LOCAL_ENV_FILE: join(dir, 'absent.json') },
      cwd: dir,
    });
    expect(missingFile.code).toBe(3);
    expect(missingFile.stderr).toMatch(/--local needs the local stack: start it with `tandem local up`/);
  });

  it("saves a cycle's review report, and says when there is none yet", async () => {
    const tag = uniqueTag('cli-report');
    const { store } = container();
    const program = testProgram(tag);
    await store.putProgram(program);
    const cycleId = `${tag}-c1`;
    await store.createCycle({
      cycleId,
      programId: tag,
      program,
      status: 'running',
      currentPhase: 'review',
      phases: {},
      responses: {},
      emailsSent: 0,
      participants: 0,
      pairs: 0,
      startedAt: Date.now(),
    });
    const none = await tandem(['report', 'save', cycleId]);
    expect(none.code).toBe(6);
    expect(none.stderr).toMatch(/has no review report yet/);

    const source = join(dir, `${tag}-report.html`);
    writeFileSync(source, `<html><body>${tag} report</body></html>`);
    await store.markSucceeded(cycleId, source, Date.now());
    const out = join(dir, `${tag}-saved.html`);
    const saved = await tandem(['report', 'save', cycleId, '--out', out, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`${tag} report`);
    const opened = await tandem(['report', 'open', cycleId, '--json']);
    expect(opened.json()).toMatchObject({ path: source, opened: false });
  });
});
