import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { expect, inject } from 'vitest';
import { container } from '../../adapters/container.ts';
import { ParticipantSimulator } from '../../cli/demo/participant-simulator.ts';
import type { CapturedEmail } from '../../local/ses-local.ts';
import { FAULTS_REPORT_PATH, faultsReportSchema, type FaultFigures } from './faults-report-file.ts';
import { createProgramWithRoster, emailsFor, sfnClient, startTestCycle, uniqueTag, waitForCycleStatus, waitForExecution } from './fixtures.ts';

/**
 * The fault suite's whole cycles (test/faults): a small cycle of the sample roster, everyone
 * answering through the participant simulator, with a fault armed before it starts; then what
 * every scenario must show, and the figures docs/reliability.md ("Fault suite") tabulates.
 */

/** Twelve people, six born before 1970 and six after 1990, so six pairs can form. */
export const FAULT_ROSTER = ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p13', 'p14', 'p15', 'p16', 'p17', 'p18'] as const;

/** The kinds of email a member gets in one phase of a cycle, by subject (both languages). */
const PHASE_INVITATIONS = {
  'goal-setting': /meet your partner and set your goals|conheça sua dupla e defina suas metas/,
  measure: /how far did you get\?|até onde você chegou\?/,
  feedback: /tell us what worked|conte o que funcionou/,
} as const;

/** Counts per member and phase invitation, and the emails sent more than once (same recipient, same subject). */
export function emailCountsByKind(emails: readonly CapturedEmail[], members: readonly string[]) {
  const byKey = new Map<string, number>();
  for (const email of emails) {
    const key = `${email.destination.to[0]}|${email.subject}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const duplicates = [...byKey.values()].reduce((sum, n) => sum + n - 1, 0);
  const invitations = Object.fromEntries(
    Object.entries(PHASE_INVITATIONS).map(([phase, subject]) => [
      phase,
      members.map(
        (member) => emails.filter((e) => e.destination.to[0] === member && subject.test(e.subject) && !/^(Reminder|Lembrete)/.test(e.subject)).length,
      ),
    ]),
  ) as Record<keyof typeof PHASE_INVITATIONS, number[]>;
  const membersWithoutExactlyOneInvitation = Object.values(invitations)
    .flat()
    .filter((n) => n !== 1).length;
  return { duplicates, invitations, membersWithoutExactlyOneInvitation };
}

/** The errors of the execution's failed steps (a Task whose Resource is a function ARN reports LambdaFunctionFailed), counted by name. */
export async function failedSteps(executionArn: string, sfn = sfnClient()): Promise<Record<string, number>> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const counts: Record<string, number> = {};
  for (const event of events) {
    const error = event.lambdaFunctionFailedEventDetails?.error ?? event.taskFailedEventDetails?.error;
    if (error) counts[error] = (counts[error] ?? 0) + 1;
  }
  return counts;
}

export const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, n]) => `${n} × ${name}`)
    .join(', ') || 'none';

/** Adds (or replaces) a scenario's figures in the suite's report. */
export function recordFaultFigures(figures: Omit<FaultFigures, 'recordedAt' | 'loadAverage'>): void {
  // A report from an older version of the suite is started afresh.
  const previous = existsSync(FAULTS_REPORT_PATH) ? faultsReportSchema.safeParse(JSON.parse(readFileSync(FAULTS_REPORT_PATH, 'utf8'))) : undefined;
  const report: Record<string, FaultFigures> = previous?.success ? previous.data : {};
  report[figures.scenario] = {
    ...figures,
    recordedAt: new Date().toISOString(),
    loadAverage: loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
  };
  mkdirSync(dirname(FAULTS_REPORT_PATH), { recursive: true });
  writeFileSync(FAULTS_REPORT_PATH, `${JSON.stringify(report, null, 2)}\n`);
}

export interface FaultCycle {
  tag: string;
  cycleId: string;
  executionArn: string;
  figures: FaultFigures;
  failedSteps: Record<string, number>;
}

/**
 * Runs one cycle of FAULT_ROSTER with `arm` called first (given the test's tag, which every
 * email address, and the cycle id, carries: a fault matching it touches this cycle only), then
 * checks what every scenario must show: the cycle succeeded, every member got each phase's
 * invitation exactly once, no email went twice and the cycle counted each once, every answer
 * the simulator was thanked for is stored. `injected` reads how many faults were injected.
 */
export async function runFaultCycle(
  scenario: string,
  fault: string,
  arm: (tag: string) => Promise<void>,
  injected: (tag: string) => Promise<number>,
): Promise<FaultCycle> {
  const startedAt = Date.now();
  const tag = uniqueTag(
    scenario
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 20),
  );
  const program = await createProgramWithRoster(tag, { reminders: { beforeDeadline: [] } }, FAULT_ROSTER);
  const simulator = new ParticipantSimulator(inject('localStack').endpoints.ses, (email) => (email.endsWith(`@${tag}.example.com`) ? 'prompt' : 'silent'));
  await arm(tag);
  simulator.start(200);
  let cycle: Awaited<ReturnType<typeof startTestCycle>>;
  let status: string | undefined;
  try {
    cycle = await startTestCycle(program.programId);
    status = (await waitForExecution(cycle.executionArn as string, 240_000)).status;
  } finally {
    await simulator.stop();
  }
  const { store } = container();
  const stored = status === 'SUCCEEDED' ? await waitForCycleStatus(cycle.cycleId, 'succeeded') : await store.getCycle(cycle.cycleId);
  const members = (await store.listMembers(cycle.cycleId)).map((m) => m.email);
  const emails = await emailsFor(tag);
  const counts = emailCountsByKind(
    emails.filter((e) => members.includes(e.destination.to[0] as string)),
    members,
  );
  const answersStored = (await store.listResponses(cycle.cycleId, '')).length;
  const failed = await failedSteps(cycle.executionArn as string);
  const figures: FaultFigures = {
    scenario,
    fault,
    participants: members.length,
    outcome: `${status} / ${stored?.status}`,
    faultsInjected: await injected(tag),
    stepsRetried: describeCounts(failed),
    emailsAccepted: emails.length,
    emailsCountedSent: stored?.emailsSent ?? 0,
    duplicates: counts.duplicates,
    membersWithoutExactlyOneInvitation: counts.membersWithoutExactlyOneInvitation,
    answersPosted: simulator.stats.answersRecorded,
    answersStored,
    answersRefused: simulator.stats.rejected,
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    recordedAt: '',
    loadAverage: '',
  };
  recordFaultFigures(figures);

  expect(figures.outcome).toBe('SUCCEEDED / succeeded');
  expect(members).toHaveLength(FAULT_ROSTER.length);
  expect(counts.invitations).toEqual({
    'goal-setting': members.map(() => 1),
    measure: members.map(() => 1),
    feedback: members.map(() => 1),
  });
  expect(counts.duplicates).toBe(0);
  expect(figures.emailsCountedSent).toBe(emails.length);
  // 0 lost: every answer the simulator was thanked for is stored. More can be stored: an answer recorded whose
  // request then failed (what it sets off, or the page after it, met the fault) showed the person an error page.
  expect(answersStored).toBeGreaterThanOrEqual(figures.answersPosted);
  expect(answersStored).toBeLessThanOrEqual(figures.answersPosted + figures.answersRefused);
  expect(figures.answersPosted).toBeGreaterThan(0);
  return { tag, cycleId: cycle.cycleId, executionArn: cycle.executionArn as string, figures, failedSteps: failed };
}
