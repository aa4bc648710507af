import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import type { Cycle, Member } from '../../domain/cycle.ts';
import { addSession, announceSession, cancelSession } from '../../services/sessions.ts';
import { emailsFor, uniqueTag } from '../support/fixtures.ts';
import { checkPageHtml, launchChromium, posting, SCREENSHOTS_ON_REQUEST } from './browser-support.ts';
import { participantCycle } from './participant-support.ts';

/**
 * The informational session page in Chromium with JavaScript off, in pt-BR and en: from the
 * announcement email to the page, register (the one seat, then the waiting list), free the seat
 * and see the next in line seated. Every page is checked with axe-core (WCAG 2.2 AA) at 360 px.
 * TANDEM_SCREENSHOTS=1 saves docs/screenshots/session-*.png (360 px and -desktop).
 */
const SESSION = 'cloud-clinic';

let browser: Browser;
let noScript: BrowserContext;
let checker: BrowserContext;
let cycle: Cycle;
let tag: string;

const check = async (page: Page, name: string) => checkPageHtml(checker, await page.content(), name);

/** Opens the person's announcement as they see it and follows its link to the session page. */
async function openAnnouncement(page: Page, member: Member, screenshot?: string, title = 'Cloud tools clinic'): Promise<void> {
  const mail = (await emailsFor(tag)).find(
    (e) => e.destination.to[0] === member.email && /^(Informational session|Sessão informativa):/.test(e.subject) && e.subject.endsWith(title),
  );
  expect(mail, `announcement to ${member.email}`).toBeDefined();
  await page.goto('about:blank');
  await page.setContent(mail?.body.html ?? '');
  if (SCREENSHOTS_ON_REQUEST && screenshot) await page.screenshot({ path: resolve(SCREENSHOTS_ON_REQUEST, `email-${screenshot}.png`), fullPage: true });
  const href = await page.getByRole('link', { name: /\/session\/v1\./ }).getAttribute('href');
  await page.goto(href as string);
}

async function press(page: Page, button: string): Promise<void> {
  await posting(page, () => page.getByRole('button', { name: button }).click());
}

const memberIn = async (language: 'en' | 'pt-BR'): Promise<Member> =>
  (await container().store.listMembers(cycle.cycleId))
    .filter((m) => m.language === language)
    .sort((a, b) => a.participantId.localeCompare(b.participantId))[0] as Member;

beforeAll(async () => {
  browser = await launchChromium();
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  checker = await browser.newContext();
  tag = uniqueTag('session-browser');
  cycle = await participantCycle(tag, { phaseWindows: { goalSetting: 'PT1H', run: 'P30D', measure: 'PT1H', feedback: 'PT1H' } });
  const c = container();
  const deps = { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links: await c.links() };
  await addSession(deps, cycle.cycleId, {
    sessionId: SESSION,
    title: 'Cloud tools clinic',
    description: 'Bring a question about the cloud tools you use every day.',
    skills: ['cloud-tools', 'collaboration-tools'],
    // A week ahead, at 14:00 in São Paulo (-03:00 all year): before the cycle's planned end.
    startsAt: `${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)}T14:00-03:00`,
    timeZone: 'America/Sao_Paulo',
    durationMinutes: 60,
    place: 'Auditório 2',
    videoLink: 'https://meet.example.com/cloud',
    capacity: 1,
    audience: 'everyone',
  });
  await announceSession(deps, cycle.cycleId, SESSION);
});

afterAll(async () => {
  await browser?.close();
});

describe('the informational session page', () => {
  it('takes the one seat for a pt-BR reader, puts an en reader on the waiting list, and seats them when the seat is freed', async () => {
    const [ana, ben] = [await memberIn('pt-BR'), await memberIn('en')];
    const page = await noScript.newPage();

    await openAnnouncement(page, ana, 'session-pt-BR');
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    expect(await page.textContent('main')).toContain('1 de 1 vagas livres.');
    await check(page, 'session-pt-BR');
    await press(page, 'Inscrever-me');
    expect(await page.getByRole('status').textContent()).toBe('Pronto: sua inscrição está confirmada.');
    await check(page, 'session-registered-pt-BR');

    await openAnnouncement(page, ben, 'session-en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('main')).toContain('All seats (1) are taken; you can join the waiting list.');
    await check(page, 'session-en');
    await press(page, 'Join the waiting list');
    expect(await page.textContent('main')).toMatch(/You are on the waiting list \(number 1 in line\)/);
    await check(page, 'session-waitlisted-en');

    await openAnnouncement(page, ana);
    await press(page, 'Liberar minha vaga');
    expect(await page.getByRole('status').textContent()).toBe('Pronto: sua resposta foi registrada.');

    await openAnnouncement(page, ben);
    expect(await page.textContent('main')).toContain('You are registered. See you there!');
    expect(await page.getByRole('button', { name: 'Free my seat' }).count()).toBe(1);
    const promoted = (await emailsFor(tag)).filter((e) => /^A seat is yours:/.test(e.subject));
    expect(promoted.map((e) => e.destination.to[0])).toEqual([ben.email]);
    await page.close();
  });

  it('shows a cancelled session with the reason and no form, and its cancellation email gives the reason and no link', async () => {
    const ben = await memberIn('en');
    const c = container();
    const deps = { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links: await c.links() };
    await cancelSession(deps, cycle.cycleId, SESSION, 'The room is closed for repairs; a new date will be announced.');
    const page = await noScript.newPage();
    await openAnnouncement(page, ben);
    expect(await page.getByRole('alert').innerText()).toBe(
      'This session was cancelled, so it takes no answers. Why:\n\nThe room is closed for repairs; a new date will be announced.',
    );
    expect(await page.locator('form').count()).toBe(0);
    await check(page, 'session-cancelled-en');

    const mail = (await emailsFor(tag)).find((e) => e.destination.to[0] === ben.email && /^Cancelled:/.test(e.subject));
    expect(mail?.body.text).toContain('Why: The room is closed for repairs');
    await page.goto('about:blank');
    await page.setContent(mail?.body.html ?? '');
    // Nothing left to answer: the email carries no link to the session page.
    expect(await page.getByRole('link').count()).toBe(0);
    expect(await page.locator('th', { hasText: 'Why' }).count()).toBe(1);
    await page.close();
  });

  it('shows a session of a cycle that ended with no form, saying plainly that the program cycle has ended', async () => {
    const ben = await memberIn('en');
    const c = container();
    const deps = { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links: await c.links() };
    await addSession(deps, cycle.cycleId, {
      sessionId: 'data-clinic',
      title: 'Data tools clinic',
      description: 'Bring a spreadsheet you struggle with.',
      skills: ['cloud-tools'],
      startsAt: `${new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10)}T14:00-03:00`,
      timeZone: 'America/Sao_Paulo',
      durationMinutes: 60,
      place: 'Auditório 2',
      capacity: 5,
      audience: 'everyone',
    });
    await announceSession(deps, cycle.cycleId, 'data-clinic');
    // The last test: the shared cycle ends here.
    await c.store.markStopped(cycle.cycleId, Date.now());
    const page = await noScript.newPage();
    await openAnnouncement(page, ben, undefined, 'Data tools clinic');
    expect(await page.getByRole('alert').innerText()).toBe('The program cycle this session belongs to has ended, so the session takes no more answers.');
    expect(await page.locator('form').count()).toBe(0);
    await check(page, 'session-cycle-ended-en');
    await page.close();
  });
});
