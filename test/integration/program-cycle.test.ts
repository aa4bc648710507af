import { existsSync, readFileSync } from 'node:fs';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { ParticipantSimulator, personaForIndex, type Persona } from '../../cli/demo/participant-simulator.ts';
import { StepFunctionsExecutionHistory } from '../../adapters/stepfunctions/sfn-executions.ts';
import { injectFaults } from '../../local/fault-injection.ts';
import { ExecutionsQuery } from '../../services/executions.ts';
import {
  createProgramWithRoster,
  emailsFor,
  readUntil,
  sfnClient,
  startTestCycle,
  testProgram,
  uniqueTag,
  waitForCycleStatus,
  waitForExecution,
} from '../support/fixtures.ts';
import { importRoster } from '../../services/roster-import.ts';

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfnClient().send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function personasFor(programId: string): Promise<Map<string, Persona>> {
  const roster = await container().store.listParticipants(programId);
  return new Map(roster.sort((a, b) => a.participantId.localeCompare(b.participantId)).map((p, i) => [p.email, personaForIndex(i)]));
}

describe('a program cycle on the local stack', () => {
  it('runs every phase from the roster to the review report, reminding only those who have not answered', async () => {
    const tag = uniqueTag('cycle');
    // Longer windows than the other tests': the check that prompt people are never reminded needs them to answer
    // before the reminder also when other test files run beside this one (measured: 4 s was not always enough).
    const program = await createProgramWithRoster(tag, {
      phaseWindows: { goalSetting: 'PT16S', run: 'PT4S', measure: 'PT16S', feedback: 'PT16S' },
      reminders: { beforeDeadline: ['PT6S'] },
    });
    const personas = await personasFor(program.programId);
    const simulator = new ParticipantSimulator(inject('localStack').endpoints.ses, (email) => personas.get(email) ?? 'silent');
    simulator.start(200);
    try {
      const cycle = await startTestCycle(program.programId);
      const execution = await waitForExecution(cycle.executionArn as string);
      expect(execution.status).toBe('SUCCEEDED');

      const stored = await container().store.getCycle(cycle.cycleId);
      expect(stored?.status).toBe('succeeded');
      const members = await container().store.listMembers(cycle.cycleId);
      expect(stored?.participants).toBe(members.length);
      expect(stored?.pairs).toBeGreaterThanOrEqual(10);
      const answering = members.filter((m) => personas.get(m.email) !== 'silent').length;
      expect(stored?.responses['goal-setting']).toBe(answering);
      expect(stored?.responses.measure).toBe(answering);
      expect(stored?.responses.feedback).toBe(answering);
      expect(stored?.responses['run#1']).toBeGreaterThan(0);

      const report = readFileSync(stored?.reportPath as string, 'utf8');
      expect(report).toContain(program.name);
      expect(report).toContain('Skill gains');

      const emails = await emailsFor(tag);
      const invitations = emails.filter((e) => /conheça sua dupla|meet your partner/.test(e.subject) && !/^(Reminder|Lembrete)/.test(e.subject));
      expect(new Set(invitations.map((e) => e.destination.to[0])).size).toBe(members.length);
      expect(invitations).toHaveLength(members.length);
      const reminded = emails.filter((e) => /^(Reminder|Lembrete)/.test(e.subject)).map((e) => e.destination.to[0] as string);
      expect(reminded.length).toBeGreaterThan(0);
      for (const email of reminded) expect(personas.get(email)).not.toBe('prompt');
      const sentTwice = emails.map((e) => `${e.destination.to[0]}|${e.subject}`).filter((key, i, all) => all.indexOf(key) !== i);
      expect(sentTwice).toEqual([]);
      expect(emails.filter((e) => e.destination.to[0] === `hr@${tag}.example.com`)).toHaveLength(1);
      expect(stored?.emailsSent).toBe(emails.length);

      // Every pair whose two members accepted was introduced, each member once, with the first meeting's .ics; pairs logged meetings on their pair page.
      const introductions = emails.filter((e) => /your mentoring partner|sua dupla de mentoria/.test(e.subject));
      expect(introductions.length).toBeGreaterThan(0);
      for (const intro of introductions) expect(intro.attachments.map((a) => a.filename)).toEqual(['first-meeting.ics']);
      expect((await container().store.listMeetings(cycle.cycleId)).length).toBeGreaterThan(0);
      expect(simulator.stats.meetingsLogged).toBeGreaterThan(0);
      // Every form the simulated people sent was taken (a meeting dated by UTC was refused as tomorrow in São Paulo after 21:00 there).
      expect(simulator.stats.rejected).toBe(0);

      const events = await history(cycle.executionArn as string);
      const entered = events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
      const phases = ['Identify', 'GoalSetting', 'Run', 'Measure', 'Feedback', 'Review'].map((p) => entered.indexOf(p));
      expect(phases.every((index, i) => index >= 0 && (i === 0 || index > (phases[i - 1] as number)))).toBe(true);
      const largestPayload = Math.max(...events.map((e) => (e.stateEnteredEventDetails?.input ?? e.stateExitedEventDetails?.output ?? '').length));
      expect(largestPayload).toBeLessThan(2048);
    } finally {
      await simulator.stop();
    }
  });

  it('recovers when SES throttles: the step backs off and retries, sending every invitation exactly once without failing', async () => {
    const tag = uniqueTag('throttle');
    const program = await createProgramWithRoster(tag, { reminders: { beforeDeadline: [] } }, ['p01', 'p02', 'p03', 'p04', 'p13', 'p14', 'p15', 'p16']);
    const { endpoints } = inject('localStack');
    await injectFaults(endpoints.sesApi, { match: `${tag}.example.com`, failures: 3, status: 429, errorType: 'TooManyRequestsException' });
    const cycle = await startTestCycle(program.programId);
    const execution = await waitForExecution(cycle.executionArn as string);
    expect(execution.status).toBe('SUCCEEDED');

    const faults = (await (await fetch(`${endpoints.sesApi}/__tandem/faults`)).json()) as { faults: Array<{ match: string; injected: number }> };
    expect(faults.faults.find((f) => f.match === `${tag}.example.com`)?.injected).toBe(3);
    const events = await history(cycle.executionArn as string);
    // A throttled send is retried inside the step (services/phases/pacing.ts), so no step fails and the workflow's
    // Retry is left for outages; a Task whose Resource is a function ARN would report one as LambdaFunctionFailed.
    expect(events.filter((e) => e.type === 'LambdaFunctionFailed')).toEqual([]);
    const members = await container().store.listMembers(cycle.cycleId);
    const invitations = (await emailsFor(tag)).filter((e) => /conheça sua dupla|meet your partner/.test(e.subject));
    expect(invitations.map((e) => e.destination.to[0]).sort()).toEqual(members.map((m) => m.email).sort());
  });

  it('marks the cycle failed with its cause and emails ops when a step fails for good', async () => {
    const tag = uniqueTag('failing');
    const { store } = container();
    const program = testProgram(tag);
    await store.putProgram(program);
    // Two people in one reporting line: no pair is allowed, so identify cannot go on.
    const csv = [
      'id,name,email,department,birth_year,seniority,skills_offered,skills_wanted,manager_id,languages',
      `boss,Carla Boss,boss@${tag}.example.com,Sales,1965,9,negotiation:5,social-media:5,,pt`,
      `junior,João Junior,junior@${tag}.example.com,Sales,2000,1,social-media:5,negotiation:5,boss,pt`,
    ].join('\n');
    await importRoster(store, { programId: program.programId, text: csv, format: 'csv' });
    const cycle = await startTestCycle(program.programId);
    const execution = await waitForExecution(cycle.executionArn as string);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('NoPairsError');
    const stored = await waitForCycleStatus(cycle.cycleId, 'failed');
    expect(stored?.failure?.error).toBe('NoPairsError');
    expect(stored?.failure?.cause).toMatch(/no pair can be formed/);
    const opsMail = await readUntil(
      async () => (await emailsFor(tag)).filter((e) => e.destination.to[0] === `ops@${tag}.example.com`),
      (mail) => mail.length > 0,
    );
    expect(opsMail).toHaveLength(1);
    expect(opsMail[0]?.subject).toContain('failed');
    expect(opsMail[0]?.body.text).toContain('NoPairsError');
    expect(existsSync(`${inject('localStack').reportDir}/${cycle.cycleId}`)).toBe(false);
  });

  it('resumes a cycle whose step failed for good where it failed: redriven, it completes with every invitation sent once', async () => {
    const tag = uniqueTag('redrive');
    const program = await createProgramWithRoster(tag, { reminders: { beforeDeadline: [] } }, ['p01', 'p02', 'p03', 'p04', 'p13', 'p14', 'p15', 'p16']);
    const { endpoints } = inject('localStack');
    // A missing template is a ConfigurationError: not retried, the goal-setting step fails the execution.
    await injectFaults(endpoints.sesApi, { match: `${tag}.example.com`, failures: 1, status: 404, errorType: 'NotFoundException' });
    const cycle = await startTestCycle(program.programId);
    const failed = await waitForExecution(cycle.executionArn as string);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'ConfigurationError', redriveStatus: 'REDRIVABLE' });
    expect((await waitForCycleStatus(cycle.cycleId, 'failed')).failure?.error).toBe('ConfigurationError');

    const redrive = await new ExecutionsQuery(new StepFunctionsExecutionHistory(inject('localStack').stateMachineArn, sfnClient())).redrive(cycle.cycleId);
    expect(redrive.executionArn).toBe(cycle.executionArn);
    const resumed = await waitForCycleStatus(cycle.cycleId, 'running');
    expect(resumed.failure).toBeUndefined();

    const execution = await waitForExecution(cycle.executionArn as string);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect((await container().store.getCycle(cycle.cycleId))?.status).toBe('succeeded');
    const events = await history(cycle.executionArn as string);
    expect(events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    // Identify ran once: the redrive went on from the failed step, not from the start.
    expect(events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Identify')).toHaveLength(1);
    const members = await container().store.listMembers(cycle.cycleId);
    const invitations = (await emailsFor(tag)).filter((e) => /conheça sua dupla|meet your partner/.test(e.subject));
    expect(invitations.map((e) => e.destination.to[0]).sort()).toEqual(members.map((m) => m.email).sort());
    const opsMail = (await emailsFor(tag)).filter((e) => e.destination.to[0] === `ops@${tag}.example.com`);
    expect(opsMail).toHaveLength(1);
  });
});
