import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { newCycle, type Cycle } from '../../domain/cycle.ts';
import { ConfigurationError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { sendOnce } from '../../services/send-once.ts';
import { createProgramWithRoster, emailsFor, uniqueTag } from '../support/fixtures.ts';

const LINK = /https?:\/\/[^\s]+\/s\/[A-Za-z0-9._-]+/;
/** Every form carries a MAC of its own link: a POST must come from the page it answers. */
const bindingOf = (html: string) => /name="_bind" value="([^"]+)"/.exec(html)?.[1] as string;

/** A cycle stored directly (no workflow), so each handler can be called on its own, twice. */
async function freshCycle(
  tag: string,
  windows = { goalSetting: 'PT1H', run: 'PT1H', measure: 'PT1H', feedback: 'PT1H' },
  reminders = ['PT30M'],
): Promise<Cycle> {
  const program = await createProgramWithRoster(tag, { phaseWindows: windows, reminders: { beforeDeadline: reminders } });
  const cycle: Cycle = newCycle(program, `${tag}-c1`, Date.now());
  expect(await container().store.createCycle(cycle)).toBe(true);
  return cycle;
}

const tick = (cycleId: string, phase: string) =>
  invokeFunction('phase-tick', { cycleId, phase }) as Promise<{
    complete: boolean;
    waitSeconds: number;
    emailsSent: number;
    answered: number;
    expected: number;
  }>;

describe('the phase handlers', () => {
  const tag = uniqueTag('handlers');
  let cycle: Cycle;
  beforeAll(async () => {
    cycle = await freshCycle(tag);
  });

  it('identify stores the same pairs when a retry runs it twice', async () => {
    const first = (await invokeFunction('identify', { cycleId: cycle.cycleId })) as { pairs: number; participants: number };
    const pairsAfterFirst = await container().store.listPairs(cycle.cycleId);
    const second = (await invokeFunction('identify', { cycleId: cycle.cycleId })) as { pairs: number };
    const pairsAfterSecond = await container().store.listPairs(cycle.cycleId);
    expect(first.pairs).toBeGreaterThan(0);
    expect(second.pairs).toBe(first.pairs);
    expect(pairsAfterSecond.map((p) => p.pairId).sort()).toEqual(pairsAfterFirst.map((p) => p.pairId).sort());
    expect((await container().store.getCycle(cycle.cycleId))?.pairs).toBe(first.pairs);
  });

  it('open-phase fixes the deadline once, whatever the number of attempts', async () => {
    const first = (await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' })) as { deadline: string; expected: number };
    await new Promise((r) => setTimeout(r, 20));
    const again = (await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' })) as { deadline: string };
    expect(again.deadline).toBe(first.deadline);
    expect(first.expected).toBe((await container().store.listMembers(cycle.cycleId)).length);
  });

  it('phase-tick invites every member once and a repeated tick sends nothing more', async () => {
    const first = await tick(cycle.cycleId, 'goal-setting');
    const members = await container().store.listMembers(cycle.cycleId);
    expect(first.emailsSent).toBe(members.length);
    expect(first.complete).toBe(false);
    expect(first.waitSeconds).toBeGreaterThan(0);
    const second = await tick(cycle.cycleId, 'goal-setting');
    expect(second.emailsSent).toBe(0);
    const mail = await emailsFor(tag);
    expect(mail).toHaveLength(members.length);
    expect((await container().store.getCycle(cycle.cycleId))?.emailsSent).toBe(members.length);
  });

  it('the survey link renders on GET without recording, records on POST once, and refuses forged and expired links', async () => {
    const survey = inject('localStack').endpoints.survey;
    const email = (await emailsFor(tag))[0];
    const link = LINK.exec(email?.body.text ?? '')?.[0] as string;
    expect(link.startsWith(survey)).toBe(true);
    const participant = (await container().store.listMembers(cycle.cycleId)).find((m) => m.email === email?.destination.to[0]);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="goal"');
    expect((await container().store.getCycle(cycle.cycleId))?.responses['goal-setting'] ?? 0).toBe(0);

    const skills = [...html.matchAll(/name="(baseline:[^"]+)"/g)].map((m) => m[1] as string);
    expect(skills.length).toBeGreaterThan(0);
    const body = new URLSearchParams([['_bind', bindingOf(html)], ['goal', 'Learn to present data'], ...skills.map((s) => [s, '2'] as [string, string])]);
    const posted = await fetch(link, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(200);
    const repeat = await fetch(link, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await repeat.text()).toMatch(/already|já respondeu/i);
    expect((await container().store.getCycle(cycle.cycleId))?.responses['goal-setting']).toBe(1);
    const stored = await container().store.getResponse(cycle.cycleId, 'goal-setting', participant?.participantId as string);
    expect((stored?.answer as { goals: string[] }).goals).toEqual(['Learn to present data']);

    const token = link.split('/s/')[1] as string;
    const [version, scope, mac] = token.split('.') as [string, string, string];
    const forgedScope = Buffer.from(JSON.stringify([cycle.cycleId, 'someone-else', 'goal-setting', 4102444800])).toString('base64url');
    for (const forged of [`${version}.${forgedScope}.${mac}`, `${version}.${scope}.${mac.slice(0, -2)}xx`, 'nonsense']) {
      const refused = await fetch(`${survey}/s/${forged}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/not valid/);
    }
    const signer = new LinkSigner(inject('localStack').env.TANDEM_LINK_SIGNING_KEY as string);
    const expired = signer.sign({ cycleId: cycle.cycleId, participantId: 'p02', phaseKey: 'goal-setting', expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const expiredPage = await fetch(`${survey}/s/${expired}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.text()).toMatch(/expired/);
    expect((await container().store.getCycle(cycle.cycleId))?.responses['goal-setting']).toBe(1);
  });

  it('a bad answer re-renders the form naming the problem and stores nothing', async () => {
    const email = (await emailsFor(tag))[1];
    const link = LINK.exec(email?.body.text ?? '')?.[0] as string;
    const bind = bindingOf(await (await fetch(link)).text());
    const response = await fetch(link, {
      method: 'POST',
      body: `_bind=${encodeURIComponent(bind)}&goal=&baseline%3Anegotiation=9`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect((await container().store.getCycle(cycle.cycleId))?.responses['goal-setting']).toBe(1);
  });

  it('an email whose claim is in flight is not sent again by a concurrent retry', async () => {
    const { store, mailer, clock } = container();
    const key = `test#in-flight#${tag}`;
    expect(await store.claim(cycle.cycleId, key, `x@${tag}.example.com`, clock.now())).toBe('claimed');
    const outcome = await sendOnce({ emailLog: store, mailer, clock }, cycle.cycleId, key, {
      from: 'a@example.com',
      to: `x@${tag}.example.com`,
      subject: 's',
      html: 'h',
      text: 't',
    });
    expect(outcome).toBe('in-flight');
    expect((await emailsFor(tag)).filter((e) => e.destination.to[0] === `x@${tag}.example.com`)).toHaveLength(0);
  });

  it('an email naming a template the SES does not have fails with a ConfigurationError, and its claim is released for the retry', async () => {
    const { store, mailer, clock } = container();
    const key = `test#missing-template#${tag}`;
    const email = { from: 'a@example.com', to: `y@${tag}.example.com`, template: { name: 'tandem-run-en-0000000000', data: {} } };
    const error = await sendOnce({ emailLog: store, mailer, clock }, cycle.cycleId, key, email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('tandem-run-en-0000000000');
    expect(await store.claim(cycle.cycleId, key, email.to, clock.now())).toBe('claimed');
  });

  it('close-phase closes answers: a late POST gets the closed page and nothing is stored', async () => {
    await invokeFunction('close-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' });
    await invokeFunction('close-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' });
    const email = (await emailsFor(tag))[2];
    const link = LINK.exec(email?.body.text ?? '')?.[0] as string;
    const page = await fetch(link);
    expect(page.status).toBe(410);
    const members = await container().store.listMembers(cycle.cycleId);
    const late = await container().store.recordResponse({
      cycleId: cycle.cycleId,
      phaseKey: 'goal-setting',
      participantId: members[2]?.participantId as string,
      answer: {},
      recordedAt: Date.now(),
    });
    expect(late).toBe('phase-closed');
    expect((await container().store.getCycle(cycle.cycleId))?.responses['goal-setting']).toBe(1);
  });

  it('review stores the report, marks the cycle succeeded and emails HR once even when retried', async () => {
    const first = (await invokeFunction('review', { cycleId: cycle.cycleId })) as { reportPath: string };
    await invokeFunction('review', { cycleId: cycle.cycleId });
    expect(existsSync(first.reportPath)).toBe(true);
    const stored = await container().store.getCycle(cycle.cycleId);
    expect(stored?.status).toBe('succeeded');
    expect(stored?.reportPath).toBe(first.reportPath);
    expect((await emailsFor(tag)).filter((e) => e.destination.to[0] === `hr@${tag}.example.com`)).toHaveLength(1);
  });

  it('mark-cycle-failed leaves a cycle that already succeeded as it is, when told of a failure or a redrive, and emails nobody', async () => {
    const statusChange = (status: string) => ({
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { name: cycle.cycleId, status, error: 'Boom', cause: 'late failure', redriveCount: status === 'RUNNING' ? 1 : 0 },
    });
    for (const status of ['FAILED', 'RUNNING']) {
      const result = (await invokeFunction('mark-cycle-failed', statusChange(status))) as { status: string };
      expect(result.status, status).toBe('succeeded');
    }
    expect((await emailsFor(tag)).filter((e) => e.destination.to[0] === `ops@${tag}.example.com`)).toHaveLength(0);
  });

  it('a handler given a malformed event fails with a ValidationError that names the field', async () => {
    await expect(invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'lunch' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('phase'),
    });
    await expect(invokeFunction('identify', { cycleId: 'no such cycle' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(invokeFunction('identify', { cycleId: 'missing-cycle' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('reminders in the answered phases', () => {
  it('go only to members who have not answered, once per reminder offset', async () => {
    const tag = uniqueTag('remind');
    // A 20 s window with a reminder 15 s before the deadline: slack for a loaded machine.
    const cycle = await freshCycle(tag, { goalSetting: 'PT20S', run: 'PT1H', measure: 'PT1H', feedback: 'PT1H' }, ['PT15S']);
    await invokeFunction('identify', { cycleId: cycle.cycleId });
    const opened = (await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' })) as { deadline: string };
    const reminderDue = Date.parse(opened.deadline) - 15_000;
    const beforeReminder = await tick(cycle.cycleId, 'goal-setting');
    expect(beforeReminder.waitSeconds).toBeLessThanOrEqual(Math.ceil((reminderDue - Date.now()) / 1000) + 1);
    const members = await container().store.listMembers(cycle.cycleId);
    const answered = members[0];
    await container().store.recordResponse({
      cycleId: cycle.cycleId,
      phaseKey: 'goal-setting',
      participantId: answered?.participantId as string,
      answer: { goals: ['x'], baseline: {} },
      recordedAt: Date.now(),
    });
    await new Promise((r) => setTimeout(r, Math.max(0, reminderDue - Date.now()) + 300));
    const afterReminder = await tick(cycle.cycleId, 'goal-setting');
    await tick(cycle.cycleId, 'goal-setting');
    const reminders = (await emailsFor(tag)).filter((e) => /^(Reminder|Lembrete)/.test(e.subject));
    expect(afterReminder.emailsSent).toBe(members.length - 1);
    expect(reminders).toHaveLength(members.length - 1);
    expect(reminders.map((e) => e.destination.to[0])).not.toContain(answered?.email);
    expect(reminders[0]?.body.text).toMatch(/second|segundo/);
  });
});
