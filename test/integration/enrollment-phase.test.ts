import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { enrollmentPersonaForIndex, ParticipantSimulator, type Persona } from '../../cli/demo/participant-simulator.ts';
import { newCycle, type Cycle, type StoredResponse } from '../../domain/cycle.ts';
import type { EnrollmentAnswer } from '../../domain/enrollment.ts';
import type { ProgramInput } from '../../domain/program.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { hiddenFields, mailsFor, post, submit, tick } from '../browser/participant-support.ts';
import { createProgramWithRoster, emailsFor, sfnClient, startTestCycle, uniqueTag, waitForExecution } from '../support/fixtures.ts';

const store = () => container().store;
const JOIN = /join the mentoring program|participe do programa de mentoria/;
const REMINDER = /^(Reminder|Lembrete):/;
/** People of the sample roster who can be paired with one another in reverse mode. */
const PEOPLE = ['p01', 'p02', 'p03', 'p04', 'p13', 'p14', 'p15', 'p16'];
const WINDOWS = { goalSetting: 'PT8S', run: 'PT4S', measure: 'PT8S', feedback: 'PT8S' };

/** A cycle stored directly (no workflow) whose program opens with enrollment: the test opens, ticks and closes the phase. */
async function enrollmentCycle(tag: string, overrides: Partial<ProgramInput> = {}): Promise<Cycle> {
  const program = await createProgramWithRoster(
    tag,
    { phaseWindows: { ...WINDOWS, enrollment: 'PT1H' }, reminders: { beforeDeadline: [] }, ...overrides },
    PEOPLE,
  );
  const cycle = newCycle(program, `${tag}-c1`, Date.now());
  expect(await store().createCycle(cycle)).toBe(true);
  return cycle;
}

/** The join form as the page pre-fills it (the person's skills from the roster), with consent, a slot and a language. */
function joinFieldsFrom(page: string, extra: Array<[string, string]> = []): Array<[string, string]> {
  const selected = [...page.matchAll(/<select\b[^>]*name="((?:teach|learn):[^"]+)"[^>]*>([\s\S]*?)<\/select>/g)].flatMap(([, name, options]) => {
    const value = /<option value="(\d)" selected>/.exec(options ?? '')?.[1];
    return value ? [[name as string, value] as [string, string]] : [];
  });
  const overridden = new Set(extra.map(([name]) => name));
  return [
    ['name', /id="name"[^>]*value="([^"]*)"/.exec(page)?.[1] ?? 'Someone'],
    ['department', 'Operações'],
    ...selected.filter(([name]) => !overridden.has(name)),
    ['language', 'pt'],
    ['timeZone', 'America/Sao_Paulo'],
    ['slot', 'wed-morning'],
    ['consent', 'yes'],
    ...extra,
  ];
}

async function join(link: string, extra: Array<[string, string]> = []) {
  const page = await (await fetch(link)).text();
  return submit(link, 'answer', joinFieldsFrom(page, extra));
}

/** A filled-in join form taken from the page now, to be sent later (after the phase closed, when the page has no form). */
async function joinFormForLater(link: string): Promise<string> {
  const page = await (await fetch(link)).text();
  return new URLSearchParams([...hiddenFields(page, 'answer'), ...joinFieldsFrom(page)]).toString();
}

const answerOf = async (cycleId: string, participantId: string) =>
  (await store().getResponse(cycleId, 'enrollment', participantId)) as StoredResponse<EnrollmentAnswer> | undefined;

describe('the enrollment phase on the local stack', () => {
  it('invites everyone on the roster in their language, takes joins, declines and changed answers, and ends early once all answered', async () => {
    const tag = uniqueTag('enroll');
    const cycle = await enrollmentCycle(tag);
    await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'enrollment' });
    const sent = await tick(cycle.cycleId, 'enrollment');
    expect(sent.emailsSent).toBe(PEOPLE.length);
    expect(sent.complete).toBe(false);

    const roster = await store().listParticipants(cycle.programId);
    const mails = await mailsFor(tag, JOIN);
    expect(mails.map((m) => m.to).sort()).toEqual(roster.map((p) => p.email).sort());
    for (const person of roster) {
      const mail = mails.find((m) => m.to === person.email);
      expect(mail?.subject).toMatch(person.preferredLanguage === 'en' ? /join the mentoring program/ : /participe do programa/);
      expect(mail?.text).toContain(cycle.program.goalsAndExpectations.split('\n')[0]);
    }
    const linkOf = (id: string) => mails.find((m) => m.to === roster.find((p) => p.participantId === id)?.email)?.link as string;

    // GET renders the join page and changes nothing.
    const page = await fetch(linkOf('p01'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[^']+'/);
    expect(await page.text()).toContain('name="consent"');
    expect(await answerOf(cycle.cycleId, 'p01')).toBeUndefined();

    // A join without consent is refused, nothing stored.
    const refused = await submit(
      linkOf('p01'),
      'answer',
      joinFieldsFrom(await (await fetch(linkOf('p01'))).text()).filter(([n]) => n !== 'consent'),
    );
    expect(refused.status).toBe(400);
    expect(await answerOf(cycle.cycleId, 'p01')).toBeUndefined();

    // p01 joins, then changes the level of a skill; p02 declines, then joins after all.
    expect((await join(linkOf('p01'))).status).toBe(200);
    const before = (await answerOf(cycle.cycleId, 'p01'))?.answer;
    const taught = before?.decision === 'joined' ? before.teaches[0]?.skill : undefined;
    expect(taught).toBeDefined();
    expect((await join(linkOf('p01'), [[`teach:${taught}`, '1']])).status).toBe(200);
    const after = (await answerOf(cycle.cycleId, 'p01'))?.answer;
    expect(after?.decision === 'joined' && after.teaches.find((t) => t.skill === taught)?.level).toBe(1);
    expect((await store().getDeclaration(cycle.programId, 'p01'))?.skillsOffered.find((s) => s.skill === taught)?.level).toBe(1);

    expect((await submit(linkOf('p02'), 'decline', [['reason', 'Férias']])).status).toBe(200);
    expect((await store().getCycle(cycle.cycleId))?.enrollmentDeclined).toBe(1);
    expect((await join(linkOf('p02'))).status).toBe(200);

    let state = await store().getCycle(cycle.cycleId);
    expect(state).toMatchObject({ enrollmentJoined: 2, enrollmentDeclined: 0, responses: { enrollment: 2 } });
    expect((await tick(cycle.cycleId, 'enrollment')).complete).toBe(false);

    // Everyone else answers: the phase completes before its deadline.
    const late = await joinFormForLater(linkOf('p03'));
    for (const id of PEOPLE.slice(2, -1)) expect((await join(linkOf(id))).status).toBe(200);
    expect((await submit(linkOf(PEOPLE.at(-1) as string), 'decline')).status).toBe(200);
    const done = await tick(cycle.cycleId, 'enrollment');
    expect(done.complete).toBe(true);
    await invokeFunction('close-phase', { cycleId: cycle.cycleId, phase: 'enrollment' });
    state = await store().getCycle(cycle.cycleId);
    expect(state?.phases.enrollment?.closedAt).toBeLessThan(state?.phases.enrollment?.deadline as number);
    expect(state).toMatchObject({ enrollmentJoined: PEOPLE.length - 1, enrollmentDeclined: 1 });

    // Once closed, the link refuses answers and shows no form; identify pairs only those who joined.
    expect((await post(linkOf('p03'), late)).status).toBe(410);
    expect((await fetch(linkOf('p03'))).status).toBe(410);
    await invokeFunction('identify', { cycleId: cycle.cycleId });
    const members = await store().listMembers(cycle.cycleId);
    expect(members.length).toBeGreaterThan(0);
    expect(members.map((m) => m.participantId)).not.toContain(PEOPLE.at(-1));
    // Members are who they declared themselves to be at enrollment.
    for (const member of members) expect(member.department).toBe('Operações');
  });

  it('reminds only those who have not answered, and closes at the deadline with whoever joined', async () => {
    const tag = uniqueTag('enroll-deadline');
    // The reminder 4 s after the phase opens: room for the first step and the answers below also when
    // other test files run beside this one (with 1 s, a loaded run reached the reminder first).
    const cycle = await enrollmentCycle(tag, {
      phaseWindows: { ...WINDOWS, enrollment: 'PT10S' },
      reminders: { beforeDeadline: ['PT6S'] },
    });
    await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'enrollment' });
    expect((await tick(cycle.cycleId, 'enrollment')).emailsSent).toBe(PEOPLE.length);
    const roster = await store().listParticipants(cycle.programId);
    const mails = await mailsFor(tag, JOIN);
    const linkOf = (id: string) => mails.find((m) => m.to === roster.find((p) => p.participantId === id)?.email)?.link as string;
    expect((await join(linkOf('p01'))).status).toBe(200);
    expect((await submit(linkOf('p02'), 'decline')).status).toBe(200);

    const late = await joinFormForLater(linkOf('p03'));
    const opened = (await store().getCycle(cycle.cycleId))?.phases.enrollment;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (opened?.deadline as number) - 6000 - Date.now()) + 200));
    const reminderStep = await tick(cycle.cycleId, 'enrollment');
    expect(reminderStep.emailsSent).toBe(PEOPLE.length - 2);
    const reminded = (await emailsFor(tag)).filter((e) => REMINDER.test(e.subject)).map((e) => e.destination.to[0]);
    const answered = roster.filter((p) => ['p01', 'p02'].includes(p.participantId)).map((p) => p.email);
    expect(reminded).toHaveLength(PEOPLE.length - 2);
    for (const email of answered) expect(reminded).not.toContain(email);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (opened?.deadline as number) - Date.now()) + 200));
    expect((await tick(cycle.cycleId, 'enrollment')).complete).toBe(true);
    await invokeFunction('close-phase', { cycleId: cycle.cycleId, phase: 'enrollment' });
    expect((await post(linkOf('p03'), late)).status).toBe(410);
    expect(await store().getCycle(cycle.cycleId)).toMatchObject({ enrollmentJoined: 1, enrollmentDeclined: 1, responses: { enrollment: 2 } });
  });

  it('runs a whole cycle that opens with enrollment: Enrollment before Identify, and only those who joined are paired', async () => {
    const tag = uniqueTag('enroll-cycle');
    const program = await createProgramWithRoster(tag, { phaseWindows: { ...WINDOWS, enrollment: 'PT12S' }, reminders: { beforeDeadline: ['PT4S'] } });
    const roster = (await store().listParticipants(program.programId)).sort((a, b) => a.participantId.localeCompare(b.participantId));
    const personas = new Map<string, Persona>(roster.map((p, i) => [p.email, enrollmentPersonaForIndex(i)]));
    const simulator = new ParticipantSimulator(inject('localStack').endpoints.ses, (email) => personas.get(email) ?? 'silent');
    simulator.start(200);
    try {
      const cycle = await startTestCycle(program.programId);
      const execution = await waitForExecution(cycle.executionArn as string, 240_000);
      expect(execution.status).toBe('SUCCEEDED');
      const stored = await store().getCycle(cycle.cycleId);
      expect(stored?.phases.enrollment?.expected).toBe(roster.length);
      expect(stored?.enrollmentJoined).toBeGreaterThan(0);
      const joined = new Set(
        ((await store().listResponses(cycle.cycleId, 'enrollment#')) as Array<StoredResponse<EnrollmentAnswer>>)
          .filter((r) => r.answer.decision === 'joined')
          .map((r) => r.participantId),
      );
      const members = await store().listMembers(cycle.cycleId);
      expect(members.length).toBeGreaterThan(0);
      for (const m of members) expect(joined.has(m.participantId)).toBe(true);
      for (const p of roster.filter((r) => personas.get(r.email) === 'silent')) expect(joined.has(p.participantId)).toBe(false);

      const events = (await sfnClient().send(new GetExecutionHistoryCommand({ executionArn: cycle.executionArn, maxResults: 1000 }))).events ?? [];
      const entered = events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
      expect(entered.indexOf('Enrollment')).toBeGreaterThan(entered.indexOf('Enrollment: wanted?'));
      expect(entered.indexOf('Identify')).toBeGreaterThan(entered.indexOf('Enrollment: close'));
    } finally {
      await simulator.stop();
    }
  });
});
