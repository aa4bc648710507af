import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import type { Cycle, Member } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { uniqueTag } from '../support/fixtures.ts';
import { checkPageHtml, launchChromium, posting, SCREENSHOTS_ON_REQUEST, tabTo } from './browser-support.ts';
import { mailsFor, openAndSend, participantCycle, submit, tick, type ParticipantMail } from './participant-support.ts';

/**
 * A participant's whole journey in Chromium (Debian's, driven by playwright-core), in pt-BR and
 * in en: open each email from the local SES inbox, follow its link, fill the page with the
 * keyboard or the mouse, submit. Pages are used with JavaScript off (they must work without it);
 * each page is also checked with axe-core (WCAG 2.2 AA) and at 360 px wide.
 * TANDEM_SCREENSHOTS=1 saves docs/screenshots/<page>-<language>.png (360 px) and -desktop.png.
 */
const store = () => container().store;

let browser: Browser;
let noScript: BrowserContext;
let checker: BrowserContext;
let cycle: Cycle;
let tag: string;
const checked: string[] = [];

/** checkPageHtml, named `<page>-<language>`, and noted so the last test can tell that every kind of page was checked. */
async function check(page: Page, name: string, language: string): Promise<void> {
  await checkPageHtml(checker, await page.content(), `${name}-${language}`);
  checked.push(`${name}-${language}`);
}

/** Opens the email as the participant sees it and clicks its call to action. */
async function openEmail(page: Page, mail: ParticipantMail, action: RegExp, screenshot?: string): Promise<void> {
  await page.goto('about:blank');
  await page.setContent(mail.html);
  if (SCREENSHOTS_ON_REQUEST && screenshot) await page.screenshot({ path: resolve(SCREENSHOTS_ON_REQUEST, `email-${screenshot}.png`), fullPage: true });
  // The email's button opens a new tab (target=_blank); follow it in this one.
  const href = await page.getByRole('link', { name: action }).getAttribute('href');
  expect(href).toMatch(/\/s\/v1\./);
  await page.goto(href as string);
}

const memberOf = async (language: 'en' | 'pt-BR'): Promise<Member> =>
  (await store().listMembers(cycle.cycleId))
    .filter((m) => m.language === language && m.partners.length === 1)
    .sort((a, b) => a.participantId.localeCompare(b.participantId))[0] as Member;
const mailOf = async (subject: RegExp, member: Member) => (await mailsFor(tag, subject)).find((m) => m.to === member.email) as ParticipantMail;

beforeAll(async () => {
  browser = await launchChromium();
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  checker = await browser.newContext();
  tag = uniqueTag('browser');
  cycle = await participantCycle(tag);
  await openAndSend(cycle.cycleId, 'goal-setting');
  await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'run' });
  await openAndSend(cycle.cycleId, 'measure');
  await openAndSend(cycle.cycleId, 'feedback');
  await new Promise((r) => setTimeout(r, 1100));
  await tick(cycle.cycleId, 'run');
});

afterAll(async () => {
  await browser?.close();
});

const COPY = {
  en: {
    accept: 'Accept and set my goals',
    goals: /Set my goals|Accept and set my goals/,
    checkIn: /^Check in$/,
    measure: /Rate my progress/,
    feedback: /Give feedback/,
    thanks: 'Thank you, your answer is recorded',
    accepted: 'you accepted the pairing and your goals are recorded',
    pairTitle: 'Your mentoring pair',
    logMeeting: 'Log this meeting',
    meetingLogged: 'Thank you, the meeting is logged.',
    next: 'What happens next',
    submit: 'Send',
    notYet: 'Not yet',
    vote: 'Add my vote',
    voted: 'Thank you, your vote is counted',
  },
  'pt-BR': {
    accept: 'Aceitar e definir minhas metas',
    goals: /Aceitar e definir minhas metas/,
    checkIn: /^Responder$/,
    measure: /Avaliar meu progresso/,
    feedback: /Dar feedback/,
    thanks: 'Obrigado, sua resposta foi registrada',
    accepted: 'você aceitou a dupla e suas metas foram registradas',
    pairTitle: 'Sua dupla de mentoria',
    logMeeting: 'Registrar este encontro',
    meetingLogged: 'Obrigado, o encontro foi registrado.',
    next: 'O que acontece agora',
    submit: 'Enviar',
    notYet: 'Ainda não',
    vote: 'Adicionar meu voto',
    voted: 'Obrigado, seu voto foi contado',
  },
} as const;

describe.each(['pt-BR', 'en'] as const)('a participant in %s, in Chromium without JavaScript', (language) => {
  const c = COPY[language];
  let member: Member;
  let page: Page;
  beforeAll(async () => {
    member = await memberOf(language);
    page = await noScript.newPage();
  });
  afterAll(async () => page?.close());

  it('opens the goal-setting email, accepts the pairing, sets goals and a baseline', async () => {
    const mail = await mailOf(/meet your partner|conheça sua dupla/, member);
    expect(mail.subject).toMatch(language === 'en' ? /meet your partner/ : /conheça sua dupla/);
    await openEmail(page, mail, c.goals, `goal-setting-${language}`);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.content()).toContain(member.partners[0]?.name as string);
    await check(page, 'invitation', language);
    await page.locator('#goal1').fill(language === 'en' ? 'Run a data review on my own' : 'Conduzir uma revisão de dados sozinho');
    await page.locator('#goal2').fill(language === 'en' ? 'Post weekly on the intranet' : 'Publicar toda semana na intranet');
    for (const select of await page.locator('select').all()) await select.selectOption('2');
    await posting(page, () => page.getByRole('button', { name: c.accept }).click());
    expect(await page.locator('main').innerText()).toContain(c.accepted);
    expect(await page.locator('h2').innerText()).toBe(c.next);
    await check(page, 'thanks', language);
    const stored = await store().getResponse(cycle.cycleId, 'goal-setting', member.participantId);
    expect((stored?.answer as { goals: string[] }).goals).toHaveLength(2);
    expect(await store().getInvitationDecision(cycle.cycleId, member.participantId)).toMatchObject({ decision: 'accepted' });
  });

  it('checks in with the keyboard, the answer and a note, and sends it', async () => {
    const mail = await mailOf(/check-in 1 |acompanhamento 1 /, member);
    await openEmail(page, mail, c.checkIn, `check-in-${language}`);
    await check(page, 'check-in', language);
    await tabTo(page, 'input[name=status]');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name=status]:checked').getAttribute('value')).toBe('not-yet');
    // The meeting's fields come next: the date field takes one Tab per part (day, month, year, its picker), as in any
    // browser. Typing there would not reach the note, and Space would open the date picker.
    await tabTo(page, '#note');
    await page.keyboard.type(language === 'en' ? 'Travelling this week' : 'Viajando esta semana');
    // Back to the date and forth again without losing the note, then Tab to the button and send with Enter.
    await tabTo(page, '#meeting-date', { backwards: true });
    await tabTo(page, '#note');
    await tabTo(page, 'main form button[type=submit]', { maxPresses: 1 });
    await posting(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('main').innerText()).toContain(c.thanks);
    expect((await store().getResponse(cycle.cycleId, 'run#1', member.participantId))?.answer).toMatchObject({
      status: 'not-yet',
      note: language === 'en' ? 'Travelling this week' : 'Viajando esta semana',
    });
  });

  it('measures progress against the goals set at the start', async () => {
    const mail = await mailOf(/how far did you get|até onde você chegou/, member);
    await openEmail(page, mail, c.measure, `measure-${language}`);
    expect(await page.content()).toContain(language === 'en' ? 'Run a data review on my own' : 'Conduzir uma revisão de dados sozinho');
    await check(page, 'measure', language);
    for (const select of await page.locator('select').all()) await select.selectOption('4');
    for (const input of await page.locator('input[type=number]').all()) await input.fill('70');
    await posting(page, () => page.getByRole('button', { name: c.submit }).click());
    expect(await page.locator('main').innerText()).toContain(c.thanks);
    expect((await store().getResponse(cycle.cycleId, 'measure', member.participantId))?.answer).toMatchObject({ goalAttainment: [70, 70] });
  });

  it('gives feedback, then sees the forum and adds a vote', async () => {
    // Five others answer first, so the forum shows.
    const players = [(await memberOf('en')).email, (await memberOf('pt-BR')).email];
    const others = (await mailsFor(tag, /tell us what worked|conte o que funcionou/)).filter((m) => !players.includes(m.to));
    const members = await store().listMembers(cycle.cycleId);
    let answered = (await store().getCycle(cycle.cycleId))?.responses.feedback ?? 0;
    const ideas = [
      'Meeting every week',
      'Pairs across departments',
      'Learning the new CRM together',
      'Short demos at the team meeting',
      'Honest talk about careers',
      'Coffee chats',
    ];
    for (const [i, other] of others.entries()) {
      if (answered >= 5) break;
      const id = members.find((m) => m.email === other.to)?.participantId as string;
      if (await store().getResponse(cycle.cycleId, 'feedback', id)) continue;
      await submit(other.link, 'answer', [
        ['worked', ideas[i % ideas.length] as string],
        ['improve', i % 2 ? 'Shorter check-ins' : 'A kickoff session for all pairs'],
        ['satisfaction', '9'],
      ]);
      answered++;
    }
    const mail = await mailOf(/tell us what worked|conte o que funcionou/, member);
    await openEmail(page, mail, c.feedback, `feedback-${language}`);
    await check(page, 'feedback', language);
    await page.locator('#worked').fill(language === 'en' ? 'The cross-department pairs' : 'As duplas entre departamentos');
    await page.locator('#missingSkills').fill('SQL, design');
    await page.locator('#satisfaction').fill('9');
    await posting(page, () =>
      page
        .locator('form')
        .filter({ has: page.locator('#worked') })
        .getByRole('button', { name: c.submit })
        .click(),
    );
    expect(await page.locator('main').innerText()).toContain(c.thanks);
    await posting(page, () =>
      page
        .getByRole('button', { name: new RegExp(c.vote) })
        .first()
        .click(),
    );
    expect(await page.locator('main').innerText()).toContain(c.voted);
    await check(page, 'forum', language);
    const votes = (await store().listSuggestions(cycle.cycleId)).reduce((n, s) => n + (s.votes ?? 0), 0);
    expect(votes).toBeGreaterThan(0);
  });

  it('opens the pair page and logs a meeting with the mouse and keyboard', async () => {
    const survey = inject('localStack').endpoints.survey;
    const signer = new LinkSigner(inject('localStack').env.TANDEM_LINK_SIGNING_KEY as string);
    const token = signer.sign({
      cycleId: cycle.cycleId,
      participantId: member.participantId,
      phaseKey: 'pair',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    await page.goto(`${survey}/s/${token}`);
    expect(await page.locator('h1').innerText()).toBe(c.pairTitle);
    expect(await page.content()).toContain(member.partners[0]?.name as string);
    await check(page, 'pair', language);
    // The date is today where the person is, already filled in.
    expect(await page.locator('#meeting-date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.locator('#meeting-minutes').fill('45');
    const firstSkill = page.locator('input[name="skill"]').first();
    if (await firstSkill.count()) await firstSkill.check();
    await posting(page, () => page.getByRole('button', { name: c.logMeeting }).click());
    expect(await page.locator('main').innerText()).toContain(c.meetingLogged);
    await check(page, 'pair-logged', language);
    const meetings = (await store().listMeetings(cycle.cycleId)).filter((m) => m.loggedBy === member.participantId);
    expect(meetings).toHaveLength(1);
  });

  it('finds a way to leave the program in every email, behind a confirm page', async () => {
    const mail = await mailOf(/tell us what worked|conte o que funcionou/, member);
    await page.goto(mail.optOut);
    await check(page, 'opt-out', language);
    expect((await store().listParticipants(cycle.programId)).find((p) => p.participantId === member.participantId)?.status).toBe('active');
  });
});

describe('links that cannot be used', () => {
  it('a closed phase, an answered link, a forged and an expired link each get a clear page and change nothing', async () => {
    const page = await noScript.newPage();
    const survey = inject('localStack').endpoints.survey;
    const member = await memberOf('pt-BR');
    const mail = await mailOf(/check-in 1 |acompanhamento 1 /, member);
    let response = await page.goto(mail.link);
    expect(response?.status()).toBe(200);
    expect(await page.locator('main').innerText()).toMatch(/já respondeu/);
    await check(page, 'already', 'pt-BR');

    const token = mail.link.split('/s/')[1] as string;
    const [version, scope, mac] = token.split('.') as [string, string, string];
    response = await page.goto(`${survey}/s/${version}.${scope}.${mac.slice(0, -3)}abc`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').innerText()).toMatch(/não é válido[\s\S]*not valid/);
    await check(page, 'invalid', 'both');

    const signer = new LinkSigner(inject('localStack').env.TANDEM_LINK_SIGNING_KEY as string);
    const expired = signer.sign({
      cycleId: cycle.cycleId,
      participantId: member.participantId,
      phaseKey: 'measure',
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    response = await page.goto(`${survey}/s/${expired}`);
    expect(response?.status()).toBe(410);
    expect(await page.locator('main').innerText()).toMatch(/expirou[\s\S]*expired/);
    await check(page, 'expired', 'both');

    await invokeFunction('close-phase', { cycleId: cycle.cycleId, phase: 'goal-setting' });
    for (const language of ['en', 'pt-BR'] as const) {
      const someone = (await store().listMembers(cycle.cycleId)).find(
        (m) => m.language === language && m.participantId !== (language === 'pt-BR' ? member.participantId : ''),
      );
      const goalMail = await mailOf(/meet your partner|conheça sua dupla/, someone as Member);
      const before = (await store().getCycle(cycle.cycleId))?.responses['goal-setting'];
      response = await page.goto(goalMail.link);
      expect(response?.status()).toBe(410);
      await check(page, 'closed', language);
      expect((await store().getCycle(cycle.cycleId))?.responses['goal-setting']).toBe(before);
    }
    await page.close();
  });

  it('checked every kind of page with axe-core in both languages', () => {
    for (const name of ['invitation', 'thanks', 'check-in', 'measure', 'feedback', 'forum', 'opt-out', 'pair', 'pair-logged']) {
      expect(checked).toContain(`${name}-en`);
      expect(checked).toContain(`${name}-pt-BR`);
    }
  });
});
