import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCycle, type Pair } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import type { Participant } from '../../domain/participant.ts';
import type { AnsweredPhase, Program } from '../../domain/program.ts';
import { formBinding } from '../../services/form-binding.ts';
import { PAIR_PAGE_KEY } from '../../services/pair-page-key.ts';
import { invitees } from '../../services/phases/enrollment/index.ts';
import { membersOf } from '../../services/phases/identify/index.ts';
import { importRoster } from '../../services/roster-import.ts';
import { noticePage, type NoticeKind } from '../../services/survey-pages.ts';
import { submitSurvey, type PageResult, type SurveyDeps } from '../../services/surveys.ts';
import { sessionLinkKey } from '../../domain/sessions.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { submitSessionPage } from '../../services/session-pages.ts';
import { addSession } from '../../services/sessions.ts';
import { matchedSampleCohort, SAMPLE_ROSTER_CSV, sampleProgram, sessionInput } from '../support/cohort-fixtures.ts';
import { expectNoInternals, FUZZ_TIMEOUT, hostileText, rawFormFragment, runs, snapshot } from '../support/fuzz.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

/*
 * Hostile input at every participant form (issue #15): fast-check posts forms bound to a real link
 * (so they reach the phase's parser) whose field names and values are hostile, plus raw bodies with
 * broken percent-escapes. Properties: never a 5xx or a throw; a refusal names the problem and shows
 * no internals, and leaves the store exactly as it was; an accepted answer is stored whole.
 */

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
const ACTION = './v1.token';
const signer = new LinkSigner('k'.repeat(32));
const matcher = new OptimalMatcher({ deadlineMs: 2_000 });
const program: Program = sampleProgram('fuzz-forms');
const enrollingProgram: Program = sampleProgram('fuzz-enrollment', { enrollment: 'P14D' });
const SKILLS = program.skillsCatalog.map((s) => s.id);

let roster: Participant[];
let pairs: Pair[];

beforeAll(async () => {
  ({ roster, pairs } = await matchedSampleCohort(program));
});

/** Every notice's title in both languages: a refusal page must carry one of them, or the error summary naming its fields. */
const NOTICE_KINDS: NoticeKind[] = ['already', 'declined', 'closed', 'expired', 'invalid', 'wrong-form', 'missing', 'too-large', 'error'];
const noticeTitles = NOTICE_KINDS.flatMap((kind) =>
  (['en', 'pt-BR', 'both'] as const).map((lang) => /<h1>([^<]+)<\/h1>/.exec(noticePage(lang, kind))?.[1] ?? '?'),
);

let cycleCount = 0;

/** A fresh running cycle of the sample cohort with `phases` open (or enrollment), so every run starts from the same store. */
async function freshCycle(phases: AnsweredPhase[], enrolling = false) {
  const p = enrolling ? enrollingProgram : program;
  const store = new InMemoryStore();
  let time = START + 2 * DAY;
  const clock = { now: () => (time += 1000) };
  const cycleId = `fuzz${++cycleCount}`;
  await store.putProgram(p);
  await importRoster(store, { programId: p.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle(newCycle(p, cycleId, START));
  if (enrolling) {
    const cycle = await store.getCycle(cycleId);
    const invited = await invitees(store, cycle as NonNullable<typeof cycle>);
    await store.openPhase(cycleId, 'enrollment', { openedAt: START, deadline: START + 14 * DAY, expected: invited.length });
  } else {
    const members = membersOf(roster, pairs, p);
    await store.putCohort(cycleId, members, pairs);
    for (const phase of phases) await store.openPhase(cycleId, phase, { openedAt: START, deadline: START + 14 * DAY, expected: members.length });
  }
  const deps: SurveyDeps = { store, clock, signer, matcher };
  return { store, deps, cycleId };
}

interface FormTarget {
  /** What the test calls it. */
  name: string;
  phaseKey: string;
  phases: AnsweredPhase[];
  enrolling?: boolean;
  /** The `_action` values the page's forms send. */
  actions: string[];
  /** The page's field names (a generated form mixes them with hostile names). */
  fields: string[];
  /** Values a real form sends, so that some generated forms get past the first check. */
  plausible: (participantId: string) => string[];
}

/** A pair of the sample cohort who read English (p18 mentors p03); p07 reads Portuguese. */
const person = { participantId: 'p18', partnerId: 'p03' };
const today = new Date(START + 2 * DAY).toISOString().slice(0, 10);
const pairOf = (participantId: string) => pairs.find((p) => p.mentorId === participantId || p.menteeId === participantId)?.pairId ?? '';

const TARGETS: FormTarget[] = [
  {
    name: 'goal-setting (accept, decline, goals)',
    phaseKey: 'goal-setting',
    phases: ['goal-setting'],
    actions: ['answer', 'accept', 'decline'],
    fields: ['goal', 'reason', ...SKILLS.map((s) => `baseline:${s}`)],
    plausible: () => ['3', '5', 'Learn prompt writing', 'no time'],
  },
  {
    name: 'check-in (run, with its meeting fields)',
    phaseKey: 'run#1',
    phases: ['run'],
    actions: ['answer'],
    fields: ['status', 'note', 'pair', 'date', 'minutes', 'skill'],
    plausible: (id) => ['met', 'not-yet', 'need-help', today, '30', pairOf(id), `${pairOf(id)}|${SKILLS[0]}`],
  },
  {
    name: 'measure',
    phaseKey: 'measure',
    phases: ['measure'],
    actions: ['answer'],
    fields: [...SKILLS.map((s) => `rating:${s}`), 'attainment:0', 'attainment:1'],
    plausible: () => ['1', '4', '80'],
  },
  {
    name: 'feedback (answer, vote)',
    phaseKey: 'feedback',
    phases: ['feedback'],
    actions: ['answer', 'vote'],
    fields: ['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve', 'satisfaction', 'suggestion'],
    plausible: () => ['8', '10', 'more meetings', ''],
  },
  {
    name: 'join page (enrollment: join, decline)',
    phaseKey: 'enrollment',
    phases: [],
    enrolling: true,
    actions: ['answer', 'decline'],
    fields: ['name', 'department', 'proposed', 'language', 'timeZone', 'slot', 'consent', 'reason', ...SKILLS.flatMap((s) => [`teach:${s}`, `learn:${s}`])],
    plausible: () => ['Ana', 'pt', 'en', 'America/Sao_Paulo', 'tue-morning', 'yes', '4'],
  },
  {
    name: 'opt-out',
    phaseKey: 'opt-out',
    phases: ['goal-setting'],
    actions: ['opt-out'],
    fields: [],
    plausible: () => [],
  },
  {
    name: 'pair page meeting log',
    phaseKey: PAIR_PAGE_KEY,
    phases: ['run'],
    actions: ['log-meeting'],
    fields: ['meeting', 'pair', 'date', 'minutes', 'skill'],
    plausible: (id) => [randomUUID(), pairOf(id), today, '30', '45', `${pairOf(id)}|${SKILLS[0]}`],
  },
];

/** A form as a generated browser would post it: the page's own action (or a hostile one), its binding, hostile fields, a raw tail. */
const formArbitrary = (target: FormTarget, participantId: string) =>
  fc.record({
    action: fc.oneof({ arbitrary: fc.constantFrom(...target.actions), weight: 4 }, { arbitrary: hostileText, weight: 1 }),
    bound: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
    fields: fc.array(
      fc.tuple(
        fc.oneof(
          { arbitrary: fc.constantFrom(...target.fields, '_action', '_bind', '__proto__', 'constructor'), weight: 4 },
          { arbitrary: hostileText, weight: 1 },
        ),
        fc.oneof(
          { arbitrary: fc.constantFrom(...target.plausible(participantId), ...(target.plausible(participantId).length ? [] : ['x'])), weight: 2 },
          { arbitrary: hostileText, weight: 3 },
        ),
      ),
      { maxLength: 25 },
    ),
    tail: fc.option(rawFormFragment, { nil: undefined }),
  });

function bodyOf(token: string, form: { action: string; bound: boolean; fields: Array<[string, string]>; tail: string | undefined }): string {
  const params = new URLSearchParams([
    ['_action', form.action],
    ...(form.bound ? [['_bind', formBinding(signer, token)] as [string, string]] : []),
    ...form.fields,
  ]);
  return `${params.toString()}${form.tail === undefined ? '' : `&${form.tail}`}`;
}

/** The properties every answer to a hostile post must have. */
async function checkAnswer(page: PageResult, before: string, after: string, where: string): Promise<void> {
  expect(page.status, where).toBeGreaterThanOrEqual(200);
  expect(page.status, where).toBeLessThan(500);
  expectNoInternals(page.html, where);
  if (page.status >= 400) {
    expect(after, `${where}: a refused post changed the store`).toBe(before);
    const titled = noticeTitles.some((title) => page.html.includes(`<h1>${title}</h1>`));
    const summary = /class="errors" role="alert"[^>]*>.*?<li>.+?: .+?<\/li>/s.test(page.html);
    expect(titled || summary, `${where}: a ${page.status} page names no problem`).toBe(true);
  }
}

describe('hostile posts to the participant forms', () => {
  for (const target of TARGETS) {
    it(`never answers a hostile ${target.name} post with a 5xx, internals or a half-written store`, { timeout: FUZZ_TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(person.participantId, person.partnerId, 'p07')
            .chain((participantId) => formArbitrary(target, participantId).map((form) => ({ participantId, form }))),
          async ({ participantId, form }) => {
            const c = await freshCycle(target.phases, target.enrolling);
            const token = signer.sign({ cycleId: c.cycleId, participantId, phaseKey: target.phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) });
            const before = snapshot(c.store);
            const page = await submitSurvey(c.deps, token, bodyOf(token, form), ACTION);
            const after = snapshot(c.store);
            await checkAnswer(page, before, after, `${target.name} ${page.status}`);
            if (page.status === 200 && form.action === 'answer' && after !== before && !target.enrolling) {
              // Accepted and written: the answer is there whole, read back as it was stored.
              expect(await c.store.getResponse(c.cycleId, target.phaseKey, participantId)).toMatchObject({ participantId, phaseKey: target.phaseKey });
            }
          },
        ),
        { numRuns: runs(60) },
      );
    });
  }

  it('never answers a raw body (any bytes, any escapes) with a 5xx or a changed store, bound or not', { timeout: FUZZ_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TARGETS),
        fc.oneof(rawFormFragment, fc.string({ unit: 'binary', maxLength: 400 }), fc.json()),
        fc.boolean(),
        async (target, raw, bound) => {
          const c = await freshCycle(target.phases, target.enrolling);
          const token = signer.sign({ cycleId: c.cycleId, participantId: 'p18', phaseKey: target.phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) });
          const body = bound ? `_bind=${formBinding(signer, token)}&_action=${target.actions[0]}&${raw}` : raw;
          const before = snapshot(c.store);
          const page = await submitSurvey(c.deps, token, body, ACTION);
          await checkAnswer(page, before, snapshot(c.store), `raw ${target.name} ${page.status}`);
        },
      ),
      { numRuns: runs(80) },
    );
  });

  it('refuses a hostile link token with a 4xx page and changes nothing', { timeout: FUZZ_TIMEOUT }, async () => {
    const c = await freshCycle(['goal-setting']);
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileText, fc.string({ unit: fc.constantFrom('A', 'z', '0', '.', '_', '-'), maxLength: 300 })), async (token) => {
        const before = snapshot(c.store);
        const page = await submitSurvey(c.deps, token, `_action=answer&_bind=x&goal=a`, ACTION);
        expect(page.status).toBeGreaterThanOrEqual(400);
        await checkAnswer(page, before, snapshot(c.store), `token ${page.status}`);
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('numbers typed into the meeting forms', () => {
  /** The one rule for a number typed into a form (domain/surveys.ts): plain decimal digits, blank is "not given". */
  const plainDecimal = /^-?\d{1,6}(\.\d{1,6})?$/;
  const minutesTyped = fc.oneof(
    fc.constantFrom('0x1E', '3e1', '30e0', '0b11110', '0o36', '+30', '30_0', '３０', '٣٠', 'Infinity', '[30]', '30,0', '1e3', '45.0', '30', ' 60 ', '5', '600'),
    fc.integer({ min: -10, max: 700 }).map(String),
    hostileText,
  );

  for (const [where, phaseKey, fields] of [
    [
      'the pair page',
      PAIR_PAGE_KEY,
      (pairId: string): Array<[string, string]> => [
        ['_action', 'log-meeting'],
        ['meeting', randomUUID()],
        ['pair', pairId],
        ['date', today],
      ],
    ],
    [
      'the check-in',
      'run#1',
      (pairId: string): Array<[string, string]> => [
        ['_action', 'answer'],
        ['status', 'met'],
        ['pair', pairId],
        ['date', today],
      ],
    ],
  ] as const) {
    it(`records minutes on ${where} only when they are plain decimal digits from 5 to 600`, { timeout: FUZZ_TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(minutesTyped, async (minutes) => {
          const c = await freshCycle(['run']);
          const token = signer.sign({ cycleId: c.cycleId, participantId: person.participantId, phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) });
          const body = new URLSearchParams([['_bind', formBinding(signer, token)], ...fields(pairOf(person.participantId)), ['minutes', minutes]]).toString();
          const page = await submitSurvey(c.deps, token, body, ACTION);
          const typed = minutes.trim();
          const valid = typed === '' || (plainDecimal.test(typed) && Number.isInteger(Number(typed)) && Number(typed) >= 5 && Number(typed) <= 600);
          expect(page.status, `minutes ${JSON.stringify(minutes)}`).toBe(valid ? 200 : 400);
          const meetings = await c.store.listMeetings(c.cycleId);
          expect(meetings.map((m) => m.minutes)).toEqual(valid ? [typed === '' ? undefined : Number(typed)] : []);
        }),
        { numRuns: runs(60) },
      );
    });
  }
});

/** Keeps what would go to SES (the session page emails the person promoted from the waiting list). */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

describe('hostile posts to the session page', () => {
  it('never answers a hostile register or decline post with a 5xx, internals, a changed store or an email', { timeout: FUZZ_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(person.participantId, person.partnerId, 'p07'),
        fc.record({
          action: fc.oneof(fc.constantFrom('register', 'decline'), hostileText),
          bound: fc.boolean(),
          fields: fc.array(fc.tuple(fc.oneof(fc.constantFrom('_action', '_bind'), hostileText), hostileText), { maxLength: 10 }),
          tail: fc.option(rawFormFragment, { nil: undefined }),
        }),
        async (participantId, form) => {
          const c = await freshCycle(['run']);
          const mailer = new RecordingMailer();
          const deps = { store: c.store, emailLog: c.store, mailer, clock: c.deps.clock, links: { signer, baseUrl: 'https://links.example.com' } };
          await addSession(deps, c.cycleId, sessionInput({ skills: [SKILLS[0] as string], capacity: 1 }));
          const token = signer.sign({
            cycleId: c.cycleId,
            participantId,
            phaseKey: sessionLinkKey('ai-101'),
            expiresAt: Math.floor((START + 30 * DAY) / 1000),
          });
          const before = snapshot(c.store);
          const sentBefore = mailer.sent.length;
          const page = await submitSessionPage(deps, token, bodyOf(token, form), ACTION);
          await checkAnswer(page, before, snapshot(c.store), `session page ${page.status}`);
          if (page.status >= 400) expect(mailer.sent.length).toBe(sentBefore);
        },
      ),
      { numRuns: runs(60) },
    );
  });
});
