import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCycle, type Member, type Pair } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import type { AnsweredPhase } from '../../domain/program.ts';
import { formBinding } from '../../services/form-binding.ts';
import { membersOf } from '../../services/phases/identify/index.ts';
import { importRoster } from '../../services/roster-import.ts';
import { showSurvey, submitSurvey, type SurveyDeps } from '../../services/surveys.ts';
import { matchedSampleCohort, SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { launchChromium, scrollWidth } from './browser-support.ts';

/*
 * Long unbroken text (a goal typed without spaces, a pasted URL) in the pages other people read:
 * at 360 px they must still fit, with no horizontal scrolling (docs/participants.md). The pages are
 * drawn by the survey service over the in-memory store and laid out by Chromium at 360 px.
 */

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
const ACTION = './v1.token';
const signer = new LinkSigner('k'.repeat(32));
const program = sampleProgram('long-text');

let browser: Browser;
let page: Page;
let pairs: Pair[];
let members: Member[];

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } })).newPage();
  const cohort = await matchedSampleCohort(program);
  pairs = cohort.pairs;
  members = membersOf(cohort.roster, cohort.pairs, program);
});

afterAll(async () => {
  await browser?.close();
});

async function cycleWith(phases: AnsweredPhase[]) {
  const store = new InMemoryStore();
  let time = START;
  const deps: SurveyDeps = { store, clock: { now: () => (time += 1000) }, signer, matcher: new OptimalMatcher({ deadlineMs: 2_000 }) };
  const cycleId = `long-${phases.join('-')}-${Date.now()}`;
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle(newCycle(program, cycleId, START));
  await store.putCohort(cycleId, members, pairs);
  for (const phase of phases) await store.openPhase(cycleId, phase, { openedAt: START, deadline: START + 14 * DAY, expected: members.length });
  const token = (participantId: string, phaseKey: string) =>
    signer.sign({ cycleId, participantId, phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) });
  return {
    show: async (participantId: string, phaseKey: string) => (await showSurvey(deps, token(participantId, phaseKey), ACTION)).html,
    post: async (participantId: string, phaseKey: string, action: string, fields: Array<[string, string]>) => {
      const t = token(participantId, phaseKey);
      const body = new URLSearchParams([['_action', action], ['_bind', formBinding(signer, t)], ...fields]).toString();
      return submitSurvey(deps, t, body, ACTION);
    },
  };
}

/** The page's width at 360 px once Chromium laid it out. */
async function widthOf(html: string): Promise<number> {
  await page.setContent(html, { waitUntil: 'load' });
  return scrollWidth(page);
}

const member = (id: string) => members.find((m) => m.participantId === id) as Member;

describe('long unbroken text at 360 px', () => {
  it('fits a 280-character goal without spaces on the partner’s pair page', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const { mentorId, menteeId } = pairs.find((p) => p.mentorId === 'p18' && p.menteeId === 'p03') as Pair;
    const goal = 'a'.repeat(280);
    const mentee = member(menteeId);
    const fields: Array<[string, string]> = [['goal', goal], ...[...mentee.teaches, ...mentee.learns].map((s): [string, string] => [`baseline:${s}`, '3'])];
    expect((await c.post(menteeId, 'goal-setting', 'answer', fields)).status).toBe(200);
    const html = await c.show(mentorId, 'pair');
    expect(html).toContain(goal);
    expect(await widthOf(html)).toBeLessThanOrEqual(360);
  });

  it('fits a 1,900-character URL in a forum suggestion on everyone else’s feedback page', async () => {
    const c = await cycleWith(['feedback']);
    const url = `https://example.com/${'x'.repeat(1880)}`;
    const answer = (worked: string): Array<[string, string]> => [
      ['worked', worked],
      ['keep', ''],
      ['more', ''],
      ['explore', ''],
      ['missingSkills', ''],
      ['improve', ''],
      ['satisfaction', '8'],
    ];
    const people = ['p03', 'p06', 'p09', 'p15', 'p18'];
    for (const [i, id] of people.entries()) expect((await c.post(id, 'feedback', 'answer', answer(i === 0 ? url : `${id} worked`))).status).toBe(200);
    const html = await c.show('p01', 'feedback');
    expect(html).toContain(url);
    expect(await widthOf(html)).toBeLessThanOrEqual(360);
  });
});
