import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { ParticipantSimulator } from '../../cli/demo/participant-simulator.ts';
import { freePort, isPortFree } from '../../local/ports.ts';
import { capturedEmails, startSesLocal, type SesLocal } from '../../local/ses-local.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { systemClock } from '../../services/ports.ts';
import { describeCounts, emailCountsByKind, failedSteps, recordFaultFigures } from '../support/fault-cycle.ts';
import { testProgram, testRosterCsv, uniqueTag } from '../support/fixtures.ts';
import { eventually, HoldingSesProxy, sfnOf, startStack, storeOf } from '../support/local-stack-process.ts';

/** The fan-out is killed when this SendEmail call arrives: the calls before it went through, it and the later ones never reach SES. */
const KILL_AT_SEND = 7;

const workDir = mkdtempSync(join(tmpdir(), 'tandem-restart-'));
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the local stack killed in the middle of a fan-out', () => {
  it('resumes the cycle after a restart on the same state dir: it completes, every email sent once, no answer lost', async () => {
    const startedAt = Date.now();
    const ses: SesLocal = await startSesLocal({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => ses.stop());
    const proxy = new HoldingSesProxy(ses.endpoint);
    const sesEndpoint = await proxy.start();
    cleanups.push(() => proxy.stop());
    const ports = { dynamodb: await freePort(), stepfunctions: await freePort(), survey: await freePort(), oidc: await freePort() };
    const stateDir = join(workDir, 'state');

    const first = await startStack(workDir, stateDir, ports, sesEndpoint);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    const tag = uniqueTag('restart');
    // A long goal-setting window: the invitations held at the kill are sent by a later tick of the same phase.
    const program = testProgram(tag, {
      phaseWindows: { goalSetting: 'PT45S', run: 'PT4S', measure: 'PT6S', feedback: 'PT6S' },
      reminders: { beforeDeadline: [] },
      progressCheckInterval: 'PT2S',
    });
    const firstStore = storeOf(first);
    await firstStore.putProgram(program);
    await importRoster(firstStore, { programId: program.programId, text: testRosterCsv(tag), format: 'csv' });
    const held = proxy.holdFromSend(KILL_AT_SEND);
    const simulator = new ParticipantSimulator(ses.endpoint, () => 'prompt');
    simulator.start(200);
    cleanups.push(() => simulator.stop());
    const cycle = await startCycle(
      { store: firstStore, clock: systemClock, workflow: new StepFunctionsWorkflow(first.env.TANDEM_STATE_MACHINE_ARN as string, sfnOf(first)) },
      { programId: program.programId },
    );
    // Identify writes the members, then their count on the cycle.
    await eventually(async () => ((await firstStore.getCycle(cycle.cycleId))?.participants ?? 0) > 0, 'identify storing the members', 60_000);
    const members = await firstStore.listMembers(cycle.cycleId);
    expect(members.length).toBeGreaterThan(KILL_AT_SEND);

    // The fan-out waits on SES mid-way; the people invited so far answer, then the stack is killed.
    await held;
    await eventually(async () => simulator.stats.answersRecorded >= KILL_AT_SEND - 1, 'the invited people answering', 60_000);
    await simulator.stop();
    const answersPosted = simulator.stats.answersRecorded;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const droppedAtKill = proxy.release();
    const killedAt = Date.now();
    // DynamoDB Local watches its parent and exits with it; the restart needs its port.
    await eventually(async () => isPortFree(ports.dynamodb), 'DynamoDB Local exiting with its parent', 30_000);

    const second = await startStack(workDir, stateDir, ports, sesEndpoint);
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await new Promise((r) => (second.child.exitCode === null ? second.child.once('exit', r) : r(null)));
    });
    const restartedAt = Date.now();
    expect(second.resumedExecutions).toEqual([cycle.executionArn]);
    const sfn = sfnOf(second);
    let status = 'RUNNING';
    await eventually(
      async () => {
        status = (await sfn.send(new DescribeExecutionCommand({ executionArn: cycle.executionArn }))).status ?? 'UNKNOWN';
        return status !== 'RUNNING';
      },
      'the resumed execution ending',
      170_000,
    );
    const endedAt = Date.now();

    expect(status).toBe('SUCCEEDED');
    const store = storeOf(second);
    const stored = await store.getCycle(cycle.cycleId);
    expect(stored?.status).toBe('succeeded');
    const emails = (await capturedEmails(ses.endpoint)).filter((e) => e.destination.to.some((to) => to.endsWith(`@${tag}.example.com`)));
    const invitations = emails.filter((e) => /conheça sua dupla|meet your partner/.test(e.subject)).map((e) => e.destination.to[0]);
    expect(invitations.sort()).toEqual(members.map((m) => m.email).sort());
    // Every message SES accepted was counted once as sent: none went out twice.
    expect(emails).toHaveLength(stored?.emailsSent ?? -1);
    const answers = await store.listResponses(cycle.cycleId, 'goal-setting#');
    expect(answers).toHaveLength(answersPosted);
    const counts = emailCountsByKind(
      emails,
      members.map((m) => m.email),
    );
    expect(counts.duplicates).toBe(0);
    expect(counts.membersWithoutExactlyOneInvitation, `invitations per member, by phase: ${JSON.stringify(counts.invitations)}`).toBe(0);
    recordFaultFigures({
      scenario: 'SIGKILL and restart',
      fault: `the stack's process killed (SIGKILL) with the goal-setting fan-out held at send ${KILL_AT_SEND}; restarted on the same state dir`,
      participants: members.length,
      outcome: `${status} / ${stored?.status}`,
      faultsInjected: 1,
      stepsRetried: describeCounts(await failedSteps(cycle.executionArn as string, sfn)),
      emailsAccepted: emails.length,
      emailsCountedSent: stored?.emailsSent ?? 0,
      duplicates: counts.duplicates,
      membersWithoutExactlyOneInvitation: counts.membersWithoutExactlyOneInvitation,
      answersPosted,
      answersStored: answers.length,
      answersRefused: simulator.stats.rejected,
      seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    });

    console.info(
      JSON.stringify({
        measured: 'SIGKILL in the goal-setting fan-out, restart on the same state dir',
        participants: members.length,
        sendsBeforeKill: KILL_AT_SEND - 1,
        sendsHeldAndDroppedAtKill: droppedAtKill,
        answersPostedBeforeKill: answersPosted,
        answersStoredAtEnd: answers.length,
        emailsAccepted: emails.length,
        emailsSentCounter: stored?.emailsSent,
        mostInvitationsToOneMember: Math.max(...members.map((m) => invitations.filter((to) => to === m.email).length)),
        restartSeconds: (restartedAt - killedAt) / 1000,
        resumeToEndSeconds: (endedAt - restartedAt) / 1000,
      }),
    );
  });
});
