import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { newCycle, type Cycle } from '../../domain/cycle.ts';
import { skillLabel } from '../../domain/skills.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { createProgramWithRoster, uniqueTag } from '../support/fixtures.ts';
import { checkPageHtml, launchChromium, posting, SCREENSHOTS_ON_REQUEST } from './browser-support.ts';
import { mailsFor, submit, tick, type ParticipantMail } from './participant-support.ts';

/**
 * Enrollment's join page in Chromium (Debian's, driven by playwright-core), in pt-BR and en:
 * open the invitation from the local SES inbox, follow its link, join with the mouse and the
 * keyboard with JavaScript off; the skill filter with JavaScript on. Every page is checked with
 * axe-core (WCAG 2.2 AA) at 360 px. TANDEM_SCREENSHOTS=1 saves docs/screenshots/join-*.png.
 */
const PEOPLE = ['p01', 'p02', 'p03', 'p04', 'p13', 'p14', 'p15', 'p16'];
const store = () => container().store;

let browser: Browser;
let noScript: BrowserContext;
let withScript: BrowserContext;
let checker: BrowserContext;
let cycle: Cycle;
let tag: string;

const check = (html: string, name: string) => checkPageHtml(checker, html, name);

const COPY = {
  en: {
    cta: /Join or decline/,
    join: 'Join the program',
    joined: 'Thank you for joining',
    filter: 'Find a skill',
    consent: /I agree that the program uses my data/,
  },
  'pt-BR': {
    cta: /Participar ou recusar/,
    join: 'Quero participar',
    joined: 'Obrigado por participar',
    filter: 'Buscar uma habilidade',
    consent: /Concordo que o programa use meus dados/,
  },
} as const;

beforeAll(async () => {
  browser = await launchChromium();
  noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  withScript = await browser.newContext({ viewport: { width: 360, height: 740 } });
  checker = await browser.newContext();
  tag = uniqueTag('join');
  const program = await createProgramWithRoster(
    tag,
    { phaseWindows: { enrollment: 'PT1H', goalSetting: 'PT1H', run: 'PT3S', measure: 'PT1H', feedback: 'PT1H' }, reminders: { beforeDeadline: [] } },
    PEOPLE,
  );
  cycle = newCycle(program, `${tag}-c1`, Date.now());
  expect(await store().createCycle(cycle)).toBe(true);
  await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'enrollment' });
  await tick(cycle.cycleId, 'enrollment');
});

afterAll(async () => {
  await browser?.close();
});

/** The invitation of the first invitee who reads this language, and who they are on the roster. */
async function invitation(language: 'en' | 'pt-BR', index = 0): Promise<{ mail: ParticipantMail; participantId: string }> {
  const roster = (await store().listParticipants(cycle.programId)).filter((p) => p.preferredLanguage === language);
  const person = roster.sort((a, b) => a.participantId.localeCompare(b.participantId))[index];
  const mail = (await mailsFor(tag, /join the mentoring program|participe do programa de mentoria/)).find((m) => m.to === person?.email) as ParticipantMail;
  return { mail, participantId: person?.participantId as string };
}

describe.each(['pt-BR', 'en'] as const)('the join page in %s', (language) => {
  const c = COPY[language];

  it('opens from the invitation, works without JavaScript, and joins with the mouse', async () => {
    const { mail, participantId } = await invitation(language);
    const page = await noScript.newPage();
    try {
      await page.setContent(mail.html);
      if (SCREENSHOTS_ON_REQUEST) await page.screenshot({ path: resolve(SCREENSHOTS_ON_REQUEST, `email-enrollment-${language}.png`), fullPage: true });
      const href = await page.getByRole('link', { name: c.cta }).getAttribute('href');
      expect(href).toMatch(/\/s\/v1\./);
      await page.goto(href as string);
      await check(await page.content(), `join-${language}`);
      // Without JavaScript the filter box stays hidden and every skill is listed.
      expect(await page.getByLabel(c.filter).isVisible()).toBe(false);
      // A skill the roster does not already list for this person, picked to learn.
      let toLearn: string | undefined;
      for (const skill of cycle.program.skillsCatalog) {
        const [teach, learn] = await Promise.all(['teach', 'learn'].map((role) => page.locator(`select[name="${role}:${skill.id}"]`).inputValue()));
        if (!teach && !learn) {
          toLearn = skill.id;
          break;
        }
      }
      await page.locator(`select[name="learn:${toLearn}"]`).selectOption('3');
      await page.getByLabel(language === 'en' ? 'Wednesday morning' : 'Quarta manhã').check();
      await page.getByLabel(c.consent).check();
      await posting(page, () => page.getByRole('button', { name: c.join }).click());
      expect(await page.textContent('main')).toContain(c.joined);
      await check(await page.content(), `joined-${language}`);
      const stored = await store().getResponse(cycle.cycleId, 'enrollment', participantId);
      expect(stored?.answer).toMatchObject({ decision: 'joined', consent: true, learns: expect.arrayContaining([{ skill: toLearn, priority: 3 }]) });
    } finally {
      await page.close();
    }
  });

  it('shows every problem of a refused join at the top, linked to its field, with what was typed kept', async () => {
    const { mail } = await invitation(language, 1);
    const refused = await submit(mail.link, 'answer', [
      ['name', 'Maria Eduarda'],
      ['department', ''],
      ['teach:negotiation', '4'],
      ['learn:negotiation', '2'],
      ['timeZone', 'Mars/Olympus'],
    ]);
    expect(refused.status).toBe(400);
    await check(refused.html, `join-errors-${language}`);
    expect(refused.html).toContain('value="Maria Eduarda"');
    for (const field of ['department', 'timeZone', 'consent', 'slot-0', 'language-0']) expect(refused.html).toContain(`href="#${field}"`);
  });

  it('filters the skills as the person types when JavaScript is on, by any of their names', async () => {
    const { mail } = await invitation(language, 1);
    const page = await withScript.newPage();
    try {
      await page.goto(mail.link);
      const filter = page.getByLabel(c.filter);
      expect(await filter.isVisible()).toBe(true);
      // Typed in English on a page in either language: the filter knows every label and alias of a skill.
      await filter.fill('negoti');
      const visible = await page.locator('fieldset.skill:visible').count();
      expect(visible).toBe(1);
      const negotiation = cycle.program.skillsCatalog.find((s) => s.id === 'negotiation');
      expect(await page.locator('fieldset.skill:visible legend').textContent()).toBe(negotiation && skillLabel(negotiation, language));
      await filter.fill('');
      expect(await page.locator('fieldset.skill:visible').count()).toBe(cycle.program.skillsCatalog.length);
    } finally {
      await page.close();
    }
  });
});
