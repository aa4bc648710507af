import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCycle, type Member, type Pair } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import type { AnsweredPhase, Program } from '../../domain/program.ts';
import type { Participant } from '../../domain/participant.ts';
import { formBinding } from '../../services/form-binding.ts';
import { membersOf } from '../../services/phases/identify/index.ts';
import { importRoster } from '../../services/roster-import.ts';
import { importRosterFile } from '../../services/roster-files.ts';
import { describeImport } from '../../cli/commands/roster.ts';
import { showSurvey, submitSurvey, type SurveyDeps } from '../../services/surveys.ts';
import { escapeHtml } from '../../domain/html.ts';
import { matchedSampleCohort, SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

/*
 * The participant's side end to end over the in-memory store: links, pages and what each POST
 * records, phase by phase. The cohort is the sample roster paired by the real matcher.
 */

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
const ACTION = './v1.token';

const signer = new LinkSigner('k'.repeat(32));
const matcher = new OptimalMatcher({ deadlineMs: 2_000 });
const program: Program = sampleProgram('survey-test');

let roster: Participant[];
let pairs: Pair[];

beforeAll(async () => {
  ({ roster, pairs } = await matchedSampleCohort(program));
});

let cycleCount = 0;

/** A running cycle with the sample cohort and these phases open; every request moves the clock on a second. */
async function cycleWith(phases: AnsweredPhase[]) {
  const store = new InMemoryStore();
  let time = START;
  const clock = { now: () => (time += 1000) };
  // A cycle id of its own: the forum's suggestion cache is per container and keyed by cycle.
  const cycleId = `c${++cycleCount}-${Date.now()}`;
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  expect(await store.createCycle(newCycle(program, cycleId, START))).toBe(true);
  const members = membersOf(roster, pairs, program);
  await store.putCohort(cycleId, members, pairs);
  for (const phase of phases) await store.openPhase(cycleId, phase, { openedAt: START, deadline: START + 14 * DAY, expected: members.length });
  const deps: SurveyDeps = { store, clock, signer, matcher };
  const token = (participantId: string, phaseKey: string) =>
    signer.sign({ cycleId, participantId, phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) });
  const member = (participantId: string) => members.find((m) => m.participantId === participantId) as Member;
  return {
    store,
    deps,
    cycleId,
    member,
    show: (participantId: string, phaseKey: string, preselect?: string) => showSurvey(deps, token(participantId, phaseKey), ACTION, preselect),
    /** POSTs a form bound to the person's link, as their browser would. */
    post: (participantId: string, phaseKey: string, action: string, fields: Array<[string, string]> = []) => {
      const t = token(participantId, phaseKey);
      const body = new URLSearchParams([['_action', action], ['_bind', formBinding(signer, t)], ...fields]).toString();
      return submitSurvey(deps, t, body, ACTION);
    },
  };
}

type Cycle = Awaited<ReturnType<typeof cycleWith>>;

/** A goal-setting answer rating every skill the person teaches and learns. */
const goalFields = (member: Member, goals: string[]): Array<[string, string]> => [
  ...goals.map((g): [string, string] => ['goal', g]),
  ...[...member.teaches, ...member.learns].map((s): [string, string] => [`baseline:${s}`, '3']),
];

const feedbackFields = (text: string): Array<[string, string]> => [
  ['worked', `${text} worked`],
  ['keep', ''],
  ['more', ''],
  ['explore', ''],
  ['missingSkills', ''],
  ['improve', `${text} improve`],
  ['satisfaction', '8'],
];

/** A pair whose two people read English. */
const englishPair = () => pairs.find((p) => p.mentorId === 'p18' && p.menteeId === 'p03') as Pair;

describe('goal-setting: the invitation, accepting and setting goals', () => {
  it('never leaves a person both declined and with stored goals when both are sent at the same moment', async () => {
    const c = await cycleWith(['goal-setting']);
    const people = pairs.slice(0, 4).map((p) => p.mentorId);
    for (const [i, participantId] of people.entries()) {
      const decline = () => c.post(participantId, 'goal-setting', 'decline', [['reason', 'no time']]);
      const answer = () => c.post(participantId, 'goal-setting', 'answer', goalFields(c.member(participantId), ['Aprender IA']));
      await Promise.all(i % 2 ? [decline(), answer()] : [answer(), decline()]);
      const decision = (await c.store.getInvitationDecision(c.cycleId, participantId))?.decision;
      const goals = await c.store.getResponse(c.cycleId, 'goal-setting', participantId);
      expect(decision === 'declined' ? goals : decision).toBe(decision === 'declined' ? undefined : 'accepted');
    }
    const cycle = await c.store.getCycle(c.cycleId);
    const goalSetting = cycle?.phases['goal-setting'];
    expect(cycle?.responses['goal-setting'] ?? 0).toBeLessThanOrEqual(goalSetting?.expected ?? 0);
  });

  it('names a missing or malformed rating in the reader’s language, and records nothing', async () => {
    const c = await cycleWith(['goal-setting']);
    const reader = [...pairs.flatMap((p) => [p.mentorId, p.menteeId])]
      .map((id) => c.member(id))
      .find((m) => m.language === 'pt-BR' && m.teaches.length + m.learns.length >= 2) as Member;
    const [first, second] = [...reader.teaches, ...reader.learns];
    const page = await c.post(reader.participantId, 'goal-setting', 'answer', [
      ['goal', 'Aprender a negociar'],
      [`baseline:${first}`, '1e0'],
      [`baseline:${second}`, ''],
    ]);
    expect(page.status).toBe(400);
    expect(page.html).toContain('é obrigatório');
    expect(page.html).toContain('deve ser um número');
    expect(page.html).not.toMatch(/Invalid input|is required|must be a number/);
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', reader.participantId)).toBeUndefined();
  });

  it('shows the invitation first; accepting shows the goal form, and the goals are recorded with the acceptance once', async () => {
    const c = await cycleWith(['goal-setting']);
    const { menteeId } = englishPair();

    const invitation = await c.show(menteeId, 'goal-setting');
    expect(invitation.status).toBe(200);
    expect(invitation.html).toContain('<h1>Your mentoring pair</h1>');
    expect(invitation.html).toContain('name="_action" value="decline"');

    const accepted = await c.post(menteeId, 'goal-setting', 'accept');
    expect(accepted.status).toBe(200);
    expect(accepted.html).toContain('<h1>Set your goals</h1>');
    expect(accepted.html).not.toContain('value="decline"');
    expect((await c.store.getInvitationDecision(c.cycleId, menteeId))?.decision).toBe('accepted');
    expect((await c.show(menteeId, 'goal-setting')).html).toContain('<h1>Set your goals</h1>');

    const fields = goalFields(c.member(menteeId), ['Use AI assistants weekly', 'Post on social media']);
    const answered = await c.post(menteeId, 'goal-setting', 'answer', fields);
    expect(answered).toMatchObject({ status: 200 });
    expect(answered.html).toContain('Thank you: you accepted the pairing and your goals are recorded.');
    // The partner has not accepted: the page says what happens next instead of "you can close this page".
    expect(answered.html).toContain('Your partner has not accepted yet');
    expect(answered.html).not.toContain('You can close this page');
    const stored = await c.store.getResponse(c.cycleId, 'goal-setting', menteeId);
    expect(stored?.answer).toMatchObject({ goals: ['Use AI assistants weekly', 'Post on social media'] });

    const replay = await c.post(menteeId, 'goal-setting', 'answer', fields);
    expect(replay.status).toBe(200);
    expect(replay.html).toContain('You have answered this already, so nothing was changed.');
    expect((await c.store.getCycle(c.cycleId))?.responses['goal-setting']).toBe(1);
    expect(await c.store.listInvitationDecisions(c.cycleId)).toHaveLength(1);
    expect((await c.show(menteeId, 'goal-setting')).html).toContain('Already answered');
  });

  it('takes goals sent from the invitation as accepting the pairing (one request)', async () => {
    const c = await cycleWith(['goal-setting']);
    const { mentorId } = englishPair();
    const answered = await c.post(mentorId, 'goal-setting', 'answer', goalFields(c.member(mentorId), ['Teach prompt writing']));
    expect(answered.status).toBe(200);
    expect(await c.store.getInvitationDecision(c.cycleId, mentorId)).toMatchObject({ decision: 'accepted', partnerIds: ['p03'] });
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', mentorId)).toBeDefined();
  });

  it('shows the invitation again, with the errors and what was typed, when goals sent from it do not validate', async () => {
    const c = await cycleWith(['goal-setting']);
    const { menteeId } = englishPair();
    const rejected = await c.post(menteeId, 'goal-setting', 'answer', [
      ['goal', ''],
      ['goal', 'Second goal'],
    ]);
    expect(rejected.status).toBe(400);
    expect(rejected.html).toContain('<h1>Your mentoring pair</h1>');
    expect(rejected.html).toContain('role="alert"');
    expect(rejected.html).toContain('value="Second goal"');
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', menteeId)).toBeUndefined();
    expect(await c.store.getInvitationDecision(c.cycleId, menteeId)).toBeUndefined();
  });
});

describe('skills on the pages', () => {
  it("names every skill by its label in the reader's language, never by its id", async () => {
    const c = await cycleWith(['goal-setting']);
    const english = englishPair().menteeId;
    const portuguese = pairs.map((p) => p.menteeId).find((id) => c.member(id).language === 'pt-BR') as string;
    for (const participantId of [english, portuguese]) {
      const member = c.member(participantId);
      const page = (await c.post(participantId, 'goal-setting', 'accept')).html;
      for (const id of [...member.teaches, ...member.learns]) {
        const skill = program.skillsCatalog.find((s) => s.id === id);
        expect(page).toContain(escapeHtml(skill?.labels[member.language] ?? 'a label'));
        expect(page).not.toMatch(new RegExp(`<label[^>]*>[^<]*\\b${id}\\b`));
      }
    }
  });
});

describe('goal-setting: declining', () => {
  it('records the decline with its reason, frees the partner and pairs them again, once', async () => {
    const c = await cycleWith(['goal-setting']);
    const declined = await c.post('p13', 'goal-setting', 'decline', [['reason', '  On leave this quarter  ']]);
    expect(declined.status).toBe(200);
    expect(declined.html).toContain('Você recusou esta dupla');
    expect(await c.store.getInvitationDecision(c.cycleId, 'p13')).toMatchObject({ decision: 'declined', reason: 'On leave this quarter', partnerIds: ['p01'] });

    const [rematch] = await c.store.listRematches(c.cycleId);
    // p21 is on the roster but was left unmatched at identify: the matcher pairs them with p01.
    expect(rematch).toMatchObject({
      declinedBy: 'p13',
      freedParticipantId: 'p01',
      previousPairId: 'p13~p01',
      newPairId: 'p21~p01',
      newPartnerId: 'p21',
      notify: ['p01', 'p21'],
    });
    const freed = await c.store.getMember(c.cycleId, 'p01');
    expect(freed?.partners.map((p) => p.participantId)).toEqual(['p21']);
    expect((await c.store.getMember(c.cycleId, 'p21'))?.partners.map((p) => p.participantId)).toEqual(['p01']);
    expect((await c.store.listPairs(c.cycleId)).find((p) => p.pairId === 'p13~p01')).toMatchObject({ status: 'declined', declinedBy: 'p13' });

    // The decliner's link now only says so; a replayed decline changes nothing.
    expect((await c.show('p13', 'goal-setting')).html).toContain('Você recusou esta dupla');
    expect((await c.post('p13', 'goal-setting', 'decline', [['reason', 'again']])).status).toBe(200);
    expect(await c.store.listRematches(c.cycleId)).toHaveLength(1);
    expect((await c.store.getInvitationDecision(c.cycleId, 'p13'))?.reason).toBe('On leave this quarter');
  });

  it('refuses a reason over 500 characters, keeping the invitation and recording nothing', async () => {
    const c = await cycleWith(['goal-setting']);
    const refused = await c.post('p13', 'goal-setting', 'decline', [['reason', 'x'.repeat(501)]]);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('name="_action" value="decline"');
    expect(refused.html).toContain('<a href="#reason">');
    expect(await c.store.getInvitationDecision(c.cycleId, 'p13')).toBeUndefined();
    expect(await c.store.listRematches(c.cycleId)).toEqual([]);
  });
});

describe('any phase', () => {
  it('answers 410 on a closed phase, for the page and for a POST, and records nothing', async () => {
    const c = await cycleWith(['goal-setting', 'measure']);
    await c.store.closePhase(c.cycleId, 'measure', START + DAY);
    const { menteeId } = englishPair();
    const page = await c.show(menteeId, 'measure');
    expect(page.status).toBe(410);
    expect(page.html).toContain('This phase has closed');
    const posted = await c.post(menteeId, 'measure', 'answer', [['rating:ai-tools', '4']]);
    expect(posted.status).toBe(410);
    expect(await c.store.getResponse(c.cycleId, 'measure', menteeId)).toBeUndefined();
  });

  it('refuses a form bound to another link, and actions the phase does not have', async () => {
    const c = await cycleWith(['goal-setting', 'run', 'feedback']);
    const { mentorId, menteeId } = englishPair();
    const otherToken = signer.sign({ cycleId: c.cycleId, participantId: menteeId, phaseKey: 'run#1', expiresAt: Math.floor((START + 30 * DAY) / 1000) });
    const body = new URLSearchParams([
      ['_action', 'answer'],
      ['_bind', formBinding(signer, otherToken)],
      ['status', 'met'],
    ]).toString();
    const mentorToken = signer.sign({ cycleId: c.cycleId, participantId: mentorId, phaseKey: 'run#1', expiresAt: Math.floor((START + 30 * DAY) / 1000) });
    expect((await submitSurvey(c.deps, mentorToken, body, ACTION)).status).toBe(403);

    for (const [phaseKey, action] of [
      ['run#1', 'accept'],
      ['run#1', 'vote'],
      ['goal-setting', 'vote'],
      ['feedback', 'decline'],
      ['feedback', 'constructor'],
      ['goal-setting', 'opt-out'],
    ] as const) {
      const refused = await c.post(menteeId, phaseKey, action, [
        ['suggestion', 'abc'],
        ['reason', 'r'],
      ]);
      expect(refused.status, `${action} at ${phaseKey}`).toBe(400);
      expect(refused.html).toContain('This form does not belong to this link');
    }
    expect(await c.store.listInvitationDecisions(c.cycleId)).toEqual([]);
  });
});

describe('run: check-ins', () => {
  it('flags the pair when a person needs help, once however often the answer is sent', async () => {
    const c = await cycleWith(['run']);
    const { mentorId, pairId } = englishPair();
    const fields: Array<[string, string]> = [
      ['status', 'need-help'],
      ['note', 'We cannot find a time'],
    ];
    expect((await c.post(mentorId, 'run#1', 'answer', fields)).status).toBe(200);
    expect((await c.post(mentorId, 'run#1', 'answer', fields)).html).toContain('You have answered this already');
    const flags = await c.store.listPairFlags(c.cycleId);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ pairId, reasons: [{ participantId: mentorId, kind: 'need-help', round: 1, note: 'We cannot find a time' }] });
  });

  it('flags two misses in a row, and not a first miss or a miss after a meeting', async () => {
    const c = await cycleWith(['run']);
    const { mentorId, menteeId, pairId } = englishPair();
    await c.post(mentorId, 'run#1', 'answer', [['status', 'not-yet']]);
    await c.post(menteeId, 'run#1', 'answer', [['status', 'met']]);
    await c.post(menteeId, 'run#2', 'answer', [['status', 'not-yet']]);
    expect(await c.store.listPairFlags(c.cycleId)).toEqual([]);
    await c.post(mentorId, 'run#2', 'answer', [['status', 'not-yet']]);
    expect(await c.store.listPairFlags(c.cycleId)).toMatchObject([{ pairId, reasons: [{ participantId: mentorId, kind: 'two-misses', round: 2 }] }]);
  });

  it('asks on GET for the meeting with the date set to today, and records nothing', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    const page = await c.show(menteeId, 'run#1');
    expect(page.html).toContain(`name="pair" value="${pairId}"`);
    expect(page.html).toMatch(/name="date" value="2027-03-01"/);
    expect(page.html).toContain(`name="skill" value="${pairId}|`);
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
    expect(await c.store.listResponses(c.cycleId, 'run#1')).toEqual([]);
  });

  it('pre-selects "we met" from the email’s link but records nothing until the form is sent', async () => {
    const c = await cycleWith(['run']);
    const { menteeId } = englishPair();
    const page = await c.show(menteeId, 'run#1', 'met');
    expect(page.html).toContain('value="met" required checked');
    expect(page.html).toContain('method="post"');
    expect(await c.store.listResponses(c.cycleId, 'run#1')).toEqual([]);
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
    expect((await c.show(menteeId, 'run#1', 'bogus')).html).not.toContain('checked');
  });

  it('logs the meeting of a "we met" answer once, with its length and the skills each way', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    const pair = englishPair();
    const [taughtByMentor] = pair.skillsTaught.byMentor;
    const fields: Array<[string, string]> = [
      ['status', 'met'],
      ['pair', pairId],
      ['date', '2027-03-01'],
      ['minutes', '30'],
      ['skill', `${pairId}|${taughtByMentor}`],
    ];
    expect((await c.post(menteeId, 'run#1', 'answer', fields)).status).toBe(200);
    await c.post(menteeId, 'run#1', 'answer', fields);
    expect(await c.store.listMeetings(c.cycleId)).toEqual([
      expect.objectContaining({
        pairId,
        loggedBy: menteeId,
        source: 'check-in',
        date: '2027-03-01',
        minutes: 30,
        skills: [{ skill: taughtByMentor, direction: 'by-mentor' }],
      }),
    ]);
  });

  it('logs a bare "we met" as a meeting today with the only partner', async () => {
    const c = await cycleWith(['run']);
    const { mentorId, pairId } = englishPair();
    await c.post(mentorId, 'run#1', 'answer', [['status', 'met']]);
    expect(await c.store.listMeetings(c.cycleId)).toMatchObject([{ pairId, loggedBy: mentorId, date: '2027-03-01', skills: [] }]);
  });

  it('refuses a "we met" with a bad meeting and stores neither the answer nor the meeting', async () => {
    const c = await cycleWith(['run']);
    const { menteeId } = englishPair();
    const rejected = await c.post(menteeId, 'run#1', 'answer', [
      ['status', 'met'],
      ['date', '2999-01-01'],
      ['minutes', '3'],
    ]);
    expect(rejected.status).toBe(400);
    expect(rejected.html).toContain('must not be in the future');
    expect(rejected.html).toContain('must be at least 5');
    expect(rejected.html).toContain('value="2999-01-01"');
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
    expect(await c.store.listResponses(c.cycleId, 'run#1')).toEqual([]);
  });

  it('logs no meeting when "we met" follows an answer already given, and keeps that answer', async () => {
    const c = await cycleWith(['run']);
    const { menteeId } = englishPair();
    for (const first of ['not-yet', 'need-help']) {
      const round = first === 'not-yet' ? 'run#1' : 'run#2';
      expect((await c.post(menteeId, round, 'answer', [['status', first]])).status).toBe(200);
      const again = await c.post(menteeId, round, 'answer', [
        ['status', 'met'],
        ['date', '2027-03-01'],
        ['minutes', '90'],
      ]);
      expect(again.html).toContain('You have answered this already, so nothing was changed');
      expect((await c.store.getResponse(c.cycleId, round, menteeId))?.answer).toMatchObject({ status: first });
    }
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
    expect((await c.store.getCycle(c.cycleId))?.responses).toMatchObject({ 'run#1': 1, 'run#2': 1 });
  });

  it('points an already answered check-in to the person’s pair page, by a signed link that opens it', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    expect((await c.post(menteeId, 'run#1', 'answer', [['status', 'not-yet']])).status).toBe(200);
    const pages = [await c.show(menteeId, 'run#1'), await c.post(menteeId, 'run#1', 'answer', [['status', 'met']])];
    for (const page of pages) {
      expect(page.html).toContain('You have answered this already');
      const href = /<a href="\.\/([^"]+)">Log a meeting, or see your partner and your meetings, on your pair page<\/a>/.exec(page.html)?.[1];
      expect(href).toBeDefined();
      const pairPage = await showSurvey(c.deps, (href as string).replace(/&amp;/g, '&'), ACTION);
      expect(pairPage.status).toBe(200);
      expect(pairPage.html).toContain(`value="${pairId}"`);
    }
  });

  it('logs no meeting for "not yet"', async () => {
    const c = await cycleWith(['run']);
    await c.post(englishPair().menteeId, 'run#1', 'answer', [
      ['status', 'not-yet'],
      ['date', '2027-03-01'],
    ]);
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
  });

  it('shows the check-in with the errors when no status is chosen', async () => {
    const c = await cycleWith(['run']);
    const rejected = await c.post(englishPair().menteeId, 'run#1', 'answer', [['note', 'kept']]);
    expect(rejected.status).toBe(400);
    expect(rejected.html).toContain('<h1>Check-in</h1>');
    expect(rejected.html).toContain('>kept</textarea>');
  });
});

describe('the pair page: logging meetings', () => {
  const meeting = (pairId: string, date: string, minutes?: string): Array<[string, string]> => [
    ['meeting', randomUUID()],
    ['pair', pairId],
    ['date', date],
    ...(minutes ? [['minutes', minutes] as [string, string]] : []),
  ];

  it('logs no meeting before the run phase opens, and says so instead of showing the form', async () => {
    const c = await cycleWith(['goal-setting']);
    const { menteeId, pairId } = englishPair();
    const page = await c.show(menteeId, 'pair');
    expect(page.html).not.toContain('value="log-meeting"');
    expect(page.html).toContain('Meetings can be logged once the run phase begins');
    const refused = await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '600'));
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Meetings can be logged once the run phase begins, after goal-setting; nothing was logged.');
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
  });

  it('logs at most 24 hours and four meetings of a pair a day, naming the rule, and a replayed form still finds its meeting', async () => {
    const c = await cycleWith(['run']);
    const { mentorId, menteeId, pairId } = englishPair();
    const first = meeting(pairId, '2027-03-01', '600');
    expect((await c.post(menteeId, 'pair', 'log-meeting', first)).status).toBe(200);
    expect((await c.post(mentorId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '600'))).status).toBe(200);
    const tooLong = await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '300'));
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('this pair&#39;s meetings on 2027-03-01 would total more than 24 hours (1200 minutes logged already)');
    expect((await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '240'))).status).toBe(200);
    expect((await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01'))).status).toBe(200);
    const fifth = await c.post(mentorId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01'));
    expect(fifth.status).toBe(400);
    expect(fifth.html).toContain('this pair has 4 meetings logged on 2027-03-01 already, the most one day can hold');
    expect((await c.post(menteeId, 'pair', 'log-meeting', first)).html).toContain('This meeting was logged already, so nothing was changed.');
    const logged = await c.store.listMeetings(c.cycleId);
    expect(logged.map((m) => m.minutes ?? 0).reduce((a, b) => a + b, 0)).toBe(1440);
    expect(logged).toHaveLength(4);
  });

  it('reads the person’s roster entry and declaration once for a meeting logged and the page shown after it', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    const reads: string[] = [];
    const store = c.deps.store;
    c.deps.store = new Proxy(store, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'getParticipant' || name === 'getDeclaration') reads.push(`${String(name)} ${String(args[1])}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    expect((await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '60'))).status).toBe(200);
    expect(reads.filter((r) => r.endsWith(` ${menteeId}`)).sort()).toEqual([`getDeclaration ${menteeId}`, `getParticipant ${menteeId}`]);
  });

  it('refuses a meeting longer than the form allows, or dated before the run began or after it ended', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    const long = await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '605'));
    expect(long.html).toContain('must be at most 600');
    expect(long.html).toContain('max="600"');
    const early = await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-02-28'));
    expect(early.html).toContain('must be on or after the day the run began (2027-03-01)');
    await c.store.closePhase(c.cycleId, 'run', START + 2 * DAY);
    c.deps.clock = { now: () => START + 5 * DAY };
    const late = await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-04'));
    expect(late.status).toBe(400);
    expect(late.html).toContain('must be on or before the day the run ended (2027-03-03)');
    expect(await c.store.listMeetings(c.cycleId)).toEqual([]);
    expect((await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-03', '60'))).status).toBe(200);
  });

  it('records a check-in’s "we met" about a day whose meetings reached the limits, adding no meeting, since it names one logged already', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    for (let i = 0; i < 4; i++) expect((await c.post(menteeId, 'pair', 'log-meeting', meeting(pairId, '2027-03-01', '30'))).status).toBe(200);
    const met = await c.post(menteeId, 'run#1', 'answer', [
      ['status', 'met'],
      ['date', '2027-03-01'],
    ]);
    expect(met.status).toBe(200);
    expect((await c.store.listResponses(c.cycleId, 'run#1')).map((r) => r.participantId)).toEqual([menteeId]);
    expect(await c.store.listMeetings(c.cycleId)).toHaveLength(4);
  });
});

describe('meeting dates in the person’s own time zone', () => {
  /** Moves a person to a time zone on the roster (as HR's import or their join would). */
  async function livesIn(c: Cycle, participantId: string, timeZone: string) {
    const entry = await c.store.getParticipant(program.programId, participantId);
    await c.store.putParticipants(program.programId, [{ ...(entry as Participant), timeZone }]);
  }

  it('takes a meeting logged early in the morning in Tokyo as today’s, though UTC is still on the day before', async () => {
    const c = await cycleWith(['run']);
    const { menteeId, pairId } = englishPair();
    await livesIn(c, menteeId, 'Asia/Tokyo');
    // 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo.
    c.deps.clock = { now: () => Date.UTC(2027, 2, 1, 23, 30) };
    expect((await c.show(menteeId, 'pair')).html).toContain('name="date" required value="2027-03-02" max="2027-03-02"');
    // "We met" alone means today, where the person is; then a second meeting that day, on the pair page.
    const met = await c.post(menteeId, 'run#1', 'answer', [['status', 'met']]);
    expect(met.status).toBe(200);
    const logged = await c.post(menteeId, 'pair', 'log-meeting', [
      ['meeting', randomUUID()],
      ['pair', pairId],
      ['date', '2027-03-02'],
    ]);
    expect(logged.status).toBe(200);
    expect((await c.store.listMeetings(c.cycleId)).map((m) => [m.source, m.date]).sort()).toEqual([
      ['check-in', '2027-03-02'],
      ['pair-page', '2027-03-02'],
    ]);
  });

  it('offers an evening in São Paulo its own date, not tomorrow’s in UTC, and refuses tomorrow as the future', async () => {
    const c = await cycleWith(['run']);
    const { mentorId, pairId } = englishPair();
    await livesIn(c, mentorId, 'America/Sao_Paulo');
    // 01:30 UTC on 2 March is 22:30 on 1 March in São Paulo.
    c.deps.clock = { now: () => Date.UTC(2027, 2, 2, 1, 30) };
    expect((await c.show(mentorId, 'run#1')).html).toContain('name="date" value="2027-03-01" max="2027-03-01"');
    expect((await c.show(mentorId, 'pair')).html).toContain('value="2027-03-01" max="2027-03-01"');
    const tomorrow = await c.post(mentorId, 'pair', 'log-meeting', [
      ['meeting', randomUUID()],
      ['pair', pairId],
      ['date', '2027-03-02'],
    ]);
    expect(tomorrow.status).toBe(400);
    expect(tomorrow.html).toContain('must not be in the future');
    await c.post(mentorId, 'run#1', 'answer', [['status', 'met']]);
    expect((await c.store.listMeetings(c.cycleId)).map((m) => m.date)).toEqual(['2027-03-01']);
  });
});

describe('meeting forms in the reader’s language', () => {
  /** The problems a page lists in its error summary, as the reader sees them (without the field's label). */
  const problemsIn = (html: string): string[] =>
    [...(/<div class="errors"[\s\S]*?<\/ul><\/div>/.exec(html)?.[0] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
      (m[1] ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
        .replace(/^[^:]*:\s*/, ''),
    );
  // English words as whole words (the Portuguese "até" is not "at").
  const ENGLISH =
    /(?<!\p{L})(must|be|is|the|at|least|most|one|of|your|this|pair|meetings?|logged|would|hours|minutes|reload|page|future|real|date|number|whole|run|began|ended|choose|not|yet|help)(?!\p{L})/iu;

  /** Every problem the pair page and the check-in can name about a meeting, posted by `person` of `pairId`. */
  async function everyMeetingProblem(person: string, pairId: string): Promise<string[]> {
    const c = await cycleWith(['run']);
    const problems: string[] = [];
    const logMeeting = async (fields: Array<[string, string]>) => {
      const page = await c.post(person, 'pair', 'log-meeting', [...fields, ['meeting', randomUUID()], ['pair', pairId]]);
      problems.push(...problemsIn(page.html));
      return page;
    };
    const checkIn = async (fields: Array<[string, string]>) => {
      const page = await c.post(person, 'run#1', 'answer', [...fields, ['status', 'met'], ['pair', pairId]]);
      problems.push(...problemsIn(page.html));
    };
    const bad: Array<Array<[string, string]>> = [
      [
        ['date', '2099-01-01'],
        ['minutes', '3'],
      ],
      [
        ['date', '2027-02-01'],
        ['minutes', '605'],
      ],
      [
        ['date', 'yesterday'],
        ['minutes', 'half an hour'],
      ],
      [
        ['date', '2027-02-30'],
        ['minutes', '7.5'],
      ],
      [
        ['pair', 'someone-else'],
        ['date', '2027-03-01'],
      ],
    ];
    for (const fields of bad) {
      await logMeeting(fields);
      await checkIn(fields);
    }
    await logMeeting([
      ['meeting', ''],
      ['date', '2027-03-01'],
    ]);
    problems.push(...problemsIn((await c.post(person, 'run#1', 'answer', [['status', 'perhaps']])).html));
    // The day's limits, and the run's last day once it has closed.
    for (const minutes of ['600', '600', '300'])
      await logMeeting([
        ['date', '2027-03-01'],
        ['minutes', minutes],
      ]);
    for (let i = 0; i < 2; i++) await logMeeting([['date', '2027-03-01']]);
    await checkIn([['date', '2027-03-01']]);
    await c.store.closePhase(c.cycleId, 'run', START + 2 * DAY);
    c.deps.clock = { now: () => START + 5 * DAY };
    await logMeeting([['date', '2027-03-04']]);
    return problems;
  }

  it('names every problem of the pair page’s and the check-in’s meeting forms in Portuguese, never in English', async () => {
    const portuguese = pairs.find((p) =>
      [p.mentorId, p.menteeId].every((id) => membersOf(roster, pairs, program).find((m) => m.participantId === id)?.language === 'pt-BR'),
    ) as Pair;
    const english = englishPair();
    const inEnglish = [...new Set(await everyMeetingProblem(english.menteeId, english.pairId))];
    const inPortuguese = [...new Set(await everyMeetingProblem(portuguese.menteeId, portuguese.pairId))];
    // Each form's every rule was met: the day's limits (the pair page's: a check-in's "we met" about a day with a
    // meeting logged adds none, so never exceeds them), the run's days, length, date, partner, meeting id and answer.
    expect(inEnglish.length).toBeGreaterThanOrEqual(13);
    expect(inPortuguese).toHaveLength(inEnglish.length);
    expect(inEnglish.filter((p) => !ENGLISH.test(p))).toEqual([]);
    expect(inPortuguese.filter((p) => ENGLISH.test(p))).toEqual([]);
  });
});

describe('measure', () => {
  async function withGoals(c: Cycle, participantId: string, goals: string[]) {
    expect((await c.post(participantId, 'goal-setting', 'answer', goalFields(c.member(participantId), goals))).status).toBe(200);
  }

  it('asks how far each goal set at goal-setting was reached, and records the answer', async () => {
    const c = await cycleWith(['goal-setting', 'measure']);
    const { menteeId } = englishPair();
    await withGoals(c, menteeId, ['Use AI assistants weekly', 'Post <b>weekly</b>']);
    const page = await c.show(menteeId, 'measure');
    expect(page.html).toContain('<label for="attainment0">Use AI assistants weekly</label>');
    expect(page.html).toContain('<label for="attainment1">Post &lt;b&gt;weekly&lt;/b&gt;</label>');

    const member = c.member(menteeId);
    const ratings = [...member.teaches, ...member.learns].map((s): [string, string] => [`rating:${s}`, '4']);
    const missing = await c.post(menteeId, 'measure', 'answer', [...ratings, ['attainment:0', '80']]);
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('<a href="#attainment1">Post &lt;b&gt;weekly&lt;/b&gt;</a>');

    const answered = await c.post(menteeId, 'measure', 'answer', [...ratings, ['attainment:0', '80'], ['attainment:1', '30']]);
    expect(answered.status).toBe(200);
    expect((await c.store.getResponse(c.cycleId, 'measure', menteeId))?.answer).toMatchObject({ goalAttainment: [80, 30] });
  });

  it('reads what a page view or an answer needs in one store call and the roster entry, and shows the form no more once answered', async () => {
    const c = await cycleWith(['goal-setting', 'measure']);
    const { menteeId } = englishPair();
    await withGoals(c, menteeId, ['Use AI assistants weekly']);
    const reads: string[] = [];
    const store = c.deps.store;
    c.deps.store = new Proxy(store, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (String(name).startsWith('get') || String(name).startsWith('list')) reads.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });

    const page = await c.show(menteeId, 'measure');
    expect(page.html).toContain('<label for="attainment0">Use AI assistants weekly</label>');
    expect(reads.splice(0)).toEqual(['getParticipantView', 'getParticipant']);

    const ratings = [...c.member(menteeId).teaches, ...c.member(menteeId).learns].map((s): [string, string] => [`rating:${s}`, '4']);
    expect((await c.post(menteeId, 'measure', 'answer', [...ratings, ['attainment:0', '80']])).status).toBe(200);
    expect(reads.splice(0)).toEqual(['getParticipantView', 'getParticipant']);

    const again = await c.show(menteeId, 'measure');
    expect(again.status).toBe(200);
    expect(again.html).not.toContain('name="attainment:');
    expect(reads).toEqual(['getParticipantView', 'getParticipant']);
  });

  it('asks no attainment of a person who set no goals', async () => {
    const c = await cycleWith(['goal-setting', 'measure']);
    const page = await c.show(englishPair().mentorId, 'measure');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('name="attainment:');
    expect(page.html).toContain('name="rating:');
  });
});

describe('feedback: the forum', () => {
  it('hides suggestions until five people answered, then shows the others’ with their votes, one vote each', async () => {
    const c = await cycleWith(['feedback']);
    // Five people who read English.
    const [first, second, third, fourth, fifth] = ['p03', 'p06', 'p09', 'p15', 'p18'] as const;
    for (const id of [first, second, third, fourth]) expect((await c.post(id, 'feedback', 'answer', feedbackFields(id))).status).toBe(200);

    const hidden = await c.show(fifth, 'feedback');
    expect(hidden.html).toContain('once at least five people have answered (4 so far)');
    expect(hidden.html).not.toContain('name="suggestion"');
    const suggestions = await c.store.listSuggestions(c.cycleId);
    expect(suggestions).toHaveLength(8);
    const early = await c.post(fifth, 'feedback', 'vote', [['suggestion', suggestions[0]?.suggestionId as string]]);
    expect(early.status).toBe(400);

    const thanks = await c.post(fifth, 'feedback', 'answer', feedbackFields(fifth));
    expect(thanks.status).toBe(200);
    expect(thanks.html).toContain('Thank you, your answer is recorded.');
    expect(thanks.html).toContain(`${first} worked`);
    expect(thanks.html).not.toContain(`${fifth} worked`);
    expect(thanks.html).not.toContain(`${fifth} improve`);

    const own = (await c.store.listSuggestions(c.cycleId)).filter((s) => !suggestions.some((t) => t.suggestionId === s.suggestionId));
    expect(own).toHaveLength(2);
    expect((await c.post(fifth, 'feedback', 'vote', [['suggestion', own[0]?.suggestionId as string]])).status).toBe(400);

    const target = suggestions.find((s) => s.text === `${first} worked`)?.suggestionId as string;
    const voted = await c.post(fifth, 'feedback', 'vote', [['suggestion', target]]);
    expect(voted.status).toBe(200);
    expect(voted.html).toContain('Thank you, your vote is counted.');
    expect(voted.html).toContain('You voted');
    expect((await c.post(fifth, 'feedback', 'vote', [['suggestion', target]])).status).toBe(200);
    expect(await c.store.listVotesOf(c.cycleId, fifth)).toEqual([target]);
    expect((await c.store.listSuggestions(c.cycleId)).find((s) => s.suggestionId === target)?.votes).toBe(1);
  });

  it('shows suggestions with the cycle’s people’s names redacted, as the report quotes them', async () => {
    const c = await cycleWith(['feedback']);
    const named = c.member('p02').name;
    const other = c.member('p13').name;
    expect([named, other]).toEqual(['Carlos Menezes', 'Beatriz Santos']);
    const [author, ...others] = ['p03', 'p06', 'p09', 'p15', 'p18'] as const;
    const fields = feedbackFields(author).map(([k, v]): [string, string] =>
      k === 'worked' ? [k, `${named} never showed up and ${other.split(' ')[0]} was rude`] : [k, v],
    );
    await c.post(author, 'feedback', 'answer', fields);
    for (const id of others) await c.post(id, 'feedback', 'answer', feedbackFields(id));
    const page = await c.show('p02', 'feedback');
    expect(page.html).toContain('[name] never showed up and [name] was rude');
    expect(page.html).not.toContain('Carlos');
    expect(page.html).not.toContain('Beatriz');
  });
});

describe('people whose email bounced', () => {
  it('lets an unreachable person act through a link they already have, and leaves them unreachable', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.store.setParticipantStatus(program.programId, 'p03', 'unreachable');
    const p03 = c.member('p03');
    expect((await c.post('p03', 'goal-setting', 'answer', goalFields(p03, ['Learn to delegate']))).status).toBe(200);
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', 'p03')).toBeDefined();
    expect((await c.store.listParticipants(program.programId)).find((p) => p.participantId === 'p03')?.status).toBe('unreachable');
  });
});

describe('the opt-out link', () => {
  it('confirms on GET and takes the person off the roster only on POST', async () => {
    const c = await cycleWith([]);
    const page = await c.show('p03', 'opt-out');
    expect(page.html).toContain('name="_action" value="opt-out"');
    expect((await c.store.listParticipants(program.programId)).find((p) => p.participantId === 'p03')?.status).toBe('active');
    expect((await c.post('p03', 'opt-out', 'opt-out')).status).toBe(200);
    expect((await c.store.listParticipants(program.programId)).find((p) => p.participantId === 'p03')?.status).toBe('opted-out');
  });

  it('leaves the person’s own pages saying they left the program, each changing nothing', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    expect((await c.post('p03', 'opt-out', 'opt-out')).status).toBe(200);
    for (const key of ['pair', 'goal-setting', 'run#1']) {
      const page = await c.show('p03', key);
      expect(page.html, key).toContain('You have left the program');
      expect(page.html, key).not.toContain('<form');
    }
    const p03 = c.member('p03');
    expect((await c.post('p03', 'goal-setting', 'answer', goalFields(p03, ['Learn to delegate']))).html).toContain('You have left the program');
    expect(
      (
        await c.post('p03', 'pair', 'log-meeting', [
          ['pair', englishPair().pairId],
          ['date', '2027-03-01'],
          ['meeting', crypto.randomUUID()],
        ])
      ).html,
    ).toContain('You have left the program');
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', 'p03')).toBeUndefined();
    expect(await c.store.listMeetingsOfPair(c.cycleId, englishPair().pairId)).toEqual([]);
  });

  it('gives the seat of a person who leaves to the first person waiting, and takes them off the line of a full session', async () => {
    const c = await cycleWith(['run']);
    const session = (sessionId: string) => ({
      cycleId: c.cycleId,
      sessionId,
      title: 'AI basics',
      description: 'An hour on prompts',
      skills: [],
      startsAt: START + 7 * DAY,
      timeZone: 'UTC',
      durationMinutes: 60,
      capacity: 1,
      audience: 'everyone' as const,
      createdAt: START,
      seatsTaken: 0,
    });
    await c.store.createSession(session('seated'));
    await c.store.createSession(session('waiting'));
    expect(await c.store.registerForSession(c.cycleId, 'seated', 'p03', START)).toBe('registered');
    expect(await c.store.registerForSession(c.cycleId, 'seated', 'p18', START + 1)).toBe('waitlisted');
    expect(await c.store.registerForSession(c.cycleId, 'waiting', 'p18', START)).toBe('registered');
    expect(await c.store.registerForSession(c.cycleId, 'waiting', 'p03', START + 1)).toBe('waitlisted');
    expect(await c.store.registerForSession(c.cycleId, 'waiting', 'p13', START + 2)).toBe('waitlisted');

    await c.post('p03', 'opt-out', 'opt-out');
    await c.post('p03', 'opt-out', 'opt-out');
    const statusOf = async (sessionId: string, participantId: string) => (await c.store.getSessionRegistration(c.cycleId, sessionId, participantId))?.status;
    expect(await statusOf('seated', 'p03')).toBe('declined');
    expect(await statusOf('seated', 'p18')).toBe('registered');
    expect((await c.store.getSession(c.cycleId, 'seated'))?.seatsTaken).toBe(1);
    expect(await statusOf('waiting', 'p03')).toBe('declined');
    expect(await statusOf('waiting', 'p13')).toBe('waitlisted');
  });

  it('gives the seat of a person who leaves to the first active person waiting, passing over one whose address bounced', async () => {
    const c = await cycleWith(['run']);
    await c.store.createSession({
      cycleId: c.cycleId,
      sessionId: 'seated',
      title: 'AI basics',
      description: 'An hour on prompts',
      skills: [],
      startsAt: START + 7 * DAY,
      timeZone: 'UTC',
      durationMinutes: 60,
      capacity: 1,
      audience: 'everyone',
      createdAt: START,
      seatsTaken: 0,
    });
    expect(await c.store.registerForSession(c.cycleId, 'seated', 'p03', START)).toBe('registered');
    expect(await c.store.registerForSession(c.cycleId, 'seated', 'p13', START + 1)).toBe('waitlisted');
    expect(await c.store.registerForSession(c.cycleId, 'seated', 'p18', START + 2)).toBe('waitlisted');
    await c.store.setParticipantStatus(program.programId, 'p13', 'unreachable');

    await c.post('p03', 'opt-out', 'opt-out');
    const statusOf = async (participantId: string) => (await c.store.getSessionRegistration(c.cycleId, 'seated', participantId))?.status;
    expect([await statusOf('p03'), await statusOf('p13'), await statusOf('p18')]).toEqual(['declined', 'waitlisted', 'registered']);
    expect((await c.store.getSession(c.cycleId, 'seated'))?.seatsTaken).toBe(1);
  });

  it('pairs the partner of a person who leaves during goal-setting again, as after a decline, once', async () => {
    const c = await cycleWith(['goal-setting']);
    expect((await c.post('p13', 'opt-out', 'opt-out')).status).toBe(200);
    expect((await c.post('p13', 'opt-out', 'opt-out')).status).toBe(200);
    const rematches = await c.store.listRematches(c.cycleId);
    expect(rematches).toHaveLength(1);
    expect(rematches[0]).toMatchObject({
      declinedBy: 'p13',
      freedParticipantId: 'p01',
      previousPairId: 'p13~p01',
      newPartnerId: 'p21',
      notify: ['p01', 'p21'],
    });
    expect((await c.store.getMember(c.cycleId, 'p01'))?.partners.map((p) => p.participantId)).toEqual(['p21']);
    expect(await c.store.listPairFlags(c.cycleId)).toEqual([]);
  });

  it('flags for HR, once, the pair of a person who leaves once the pairs no longer change', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    await c.post('p03', 'opt-out', 'opt-out');
    await c.post('p03', 'opt-out', 'opt-out');
    expect(await c.store.listRematches(c.cycleId)).toEqual([]);
    const flags = await c.store.listPairFlags(c.cycleId);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ pairId: englishPair().pairId, reasons: [{ participantId: 'p03', kind: 'left-program' }] });
  });

  it('sees to the seats and partners of the cycle running now when the link comes from an earlier cycle’s email', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const earlier = `earlier-${c.cycleId}`;
    await c.store.createCycle(newCycle(program, earlier, START - 90 * DAY));
    await c.store.putCohort(earlier, membersOf(roster, pairs, program), pairs);
    await c.store.markSucceeded(earlier, 'report.html', START - 30 * DAY);
    const token = signer.sign({ cycleId: earlier, participantId: 'p03', phaseKey: 'opt-out', expiresAt: Math.floor((START + 90 * DAY) / 1000) });
    const body = new URLSearchParams([
      ['_action', 'opt-out'],
      ['_bind', formBinding(signer, token)],
    ]).toString();
    expect((await submitSurvey(c.deps, token, body, ACTION)).status).toBe(200);
    expect((await c.store.getParticipant(program.programId, 'p03'))?.status).toBe('opted-out');
    const flags = await c.store.listPairFlags(c.cycleId);
    expect(flags).toMatchObject([{ pairId: englishPair().pairId, reasons: [{ participantId: 'p03', kind: 'left-program' }] }]);
    expect(await c.store.listPairFlags(earlier)).toEqual([]);
  });

  it('shows the partner of someone who left the pair’s history, without their contact, and logs no meeting with them', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const pairId = englishPair().pairId;
    const meeting = (date: string): Array<[string, string]> => [
      ['pair', pairId],
      ['date', date],
      ['meeting', crypto.randomUUID()],
    ];
    expect((await c.post('p18', 'pair', 'log-meeting', meeting('2027-03-01'))).status).toBe(200);
    await c.post('p03', 'opt-out', 'opt-out');
    const page = await c.show('p18', 'pair');
    expect(page.html).toContain('has left the program');
    expect(page.html).not.toContain(`mailto:${c.member('p03').email}`);
    expect(page.html).toContain('2027-03-01');
    expect(page.html).not.toContain('name="_action" value="log-meeting"');
    const refused = await c.post('p18', 'pair', 'log-meeting', meeting('2027-03-02'));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('has left the program: meetings with them can no longer be logged');
    expect(await c.store.listMeetingsOfPair(c.cycleId, pairId)).toHaveLength(1);
  });
});

describe('a roster import after a person left through their own opt-out link', () => {
  const lineOf = (participantId: string) => `line ${SAMPLE_ROSTER_CSV.split('\n').findIndex((l) => l.startsWith(`${participantId},`)) + 1}`;
  const importSample = (c: Cycle, options: { reactivateOptedOut?: boolean; text?: string } = {}) =>
    importRoster(c.store, { programId: program.programId, text: options.text ?? SAMPLE_ROSTER_CSV, format: 'csv', ...options });

  it('keeps them opted out when HR’s usual file still says active, and says so for their row', async () => {
    const c = await cycleWith(['goal-setting']);
    expect((await c.post('p13', 'opt-out', 'opt-out')).status).toBe(200);
    const result = await importSample(c);
    expect(result.keptOptedOut).toEqual([{ where: lineOf('p13'), participantId: 'p13', reason: expect.stringContaining('own opt-out link') as string }]);
    expect((await c.store.getParticipant(program.programId, 'p13'))?.status).toBe('opted-out');
    const page = await c.show('p13', 'goal-setting');
    expect(page.html).toContain('Você saiu do programa');
    expect(page.html).not.toContain('<form');
    // The same file again finds nothing to write, and still keeps them out.
    expect(await importSample(c)).toMatchObject({ written: 0, keptOptedOut: [{ participantId: 'p13' }] });
  });

  it('keeps them opted out through the CLI’s and console’s import too, listed in a dry run and brought back only on request', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.post('p13', 'opt-out', 'opt-out');
    const request = { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' as const };
    const preview = await importRosterFile(c.store, { ...request, dryRun: true });
    expect(preview.keptOptedOut).toMatchObject([{ where: lineOf('p13'), participantId: 'p13' }]);
    expect(describeImport(preview, 'roster.csv')).toContain('Kept opted-out: 1 person(s)');
    expect((await importRosterFile(c.store, request)).keptOptedOut).toHaveLength(1);
    expect((await c.store.getParticipant(program.programId, 'p13'))?.status).toBe('opted-out');
    expect((await importRosterFile(c.store, { ...request, reactivateOptedOut: true })).keptOptedOut).toEqual([]);
    expect((await c.store.getParticipant(program.programId, 'p13'))?.status).toBe('active');
  });

  it('brings them back only when HR says so explicitly, as the file says', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.post('p13', 'opt-out', 'opt-out');
    expect((await importSample(c, { reactivateOptedOut: true })).keptOptedOut).toEqual([]);
    const entry = await c.store.getParticipant(program.programId, 'p13');
    expect(entry?.status).toBe('active');
    expect(entry?.ownOptOutAt).toBeUndefined();
  });

  it('lets HR’s own opted-out be undone by HR’s next file, as before', async () => {
    const c = await cycleWith(['goal-setting']);
    const optedOutByHr = SAMPLE_ROSTER_CSV.split('\n')
      .map((line) => (line.startsWith('p13,') ? line.replace(/,active\s*$/, ',opted-out') : line))
      .join('\n');
    await importSample(c, { text: optedOutByHr });
    expect((await c.store.getParticipant(program.programId, 'p13'))?.status).toBe('opted-out');
    expect((await importSample(c)).keptOptedOut).toEqual([]);
    expect((await c.store.getParticipant(program.programId, 'p13'))?.status).toBe('active');
  });

  it('never takes the mark of an own opt-out from a file', async () => {
    const c = await cycleWith([]);
    const json = JSON.stringify([{ ...roster.find((p) => p.participantId === 'p13'), status: 'opted-out', ownOptOutAt: START }]);
    await importRoster(c.store, { programId: program.programId, text: json, format: 'json' });
    expect((await c.store.getParticipant(program.programId, 'p13'))?.ownOptOutAt).toBeUndefined();
  });

  it('never shows a person let back in the pair their leaving dissolved, nor records an acceptance of it', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.post('p13', 'opt-out', 'opt-out');
    await importSample(c, { reactivateOptedOut: true });
    const formerPartner = c.member('p01').name;
    const page = await c.show('p13', 'goal-setting');
    expect(page.html).not.toContain(escapeHtml(formerPartner));
    await c.post('p13', 'goal-setting', 'accept');
    expect((await c.store.getInvitationDecision(c.cycleId, 'p13'))?.partnerIds ?? []).not.toContain('p01');
  });
});

describe('goal-setting: a form drawn for a pairing that changed since', () => {
  const drawnFor = (html: string) => /name="_partners" value="([^"]*)"/.exec(html)?.[1];

  async function rematchedAfterOpening() {
    const c = await cycleWith(['goal-setting']);
    const { mentorId, menteeId } = englishPair();
    const opened = await c.show(menteeId, 'goal-setting');
    const oldPartners = drawnFor(opened.html);
    expect(oldPartners).toBe(mentorId);
    expect((await c.post(mentorId, 'goal-setting', 'decline', [['reason', 'no time']])).status).toBe(200);
    const now = (await c.store.getMember(c.cycleId, menteeId))?.partners ?? [];
    expect(now.map((p) => p.participantId)).not.toContain(mentorId);
    expect(now).toHaveLength(1);
    return { c, menteeId, mentorId, oldPartners: oldPartners as string, now };
  }

  it('records no decline of a partner the person never saw, and shows the pairing now', async () => {
    const { c, menteeId, oldPartners, now } = await rematchedAfterOpening();
    const page = await c.post(menteeId, 'goal-setting', 'decline', [
      ['_partners', oldPartners],
      ['reason', 'I do not get along with my partner'],
    ]);
    expect(page.status).toBe(409);
    expect(page.html).toContain('Your pairing changed after this page was opened');
    for (const partner of now) expect(page.html).toContain(escapeHtml(partner.name));
    expect(await c.store.getInvitationDecision(c.cycleId, menteeId)).toBeUndefined();
    expect((await c.store.getMember(c.cycleId, menteeId))?.declined).toBeUndefined();
    expect(await c.store.listRematches(c.cycleId)).toHaveLength(1);
  });

  it('records no acceptance, nor goals, of a partner the person never saw', async () => {
    const { c, menteeId, oldPartners } = await rematchedAfterOpening();
    const member = (await c.store.getMember(c.cycleId, menteeId)) as Member;
    for (const [action, fields] of [
      ['accept', []],
      ['answer', goalFields(member, ['Learn to delegate'])],
    ] as const) {
      const page = await c.post(menteeId, 'goal-setting', action, [['_partners', oldPartners], ...fields]);
      expect(page.status, action).toBe(409);
      expect(await c.store.getInvitationDecision(c.cycleId, menteeId), action).toBeUndefined();
    }
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', menteeId)).toBeUndefined();
  });

  it('records a decision posted from a page drawn for the pairing now', async () => {
    const { c, menteeId } = await rematchedAfterOpening();
    const current = drawnFor((await c.show(menteeId, 'goal-setting')).html) as string;
    expect((await c.post(menteeId, 'goal-setting', 'accept', [['_partners', current]])).status).toBe(200);
    expect((await c.store.getInvitationDecision(c.cycleId, menteeId))?.partnerIds.join(',')).toBe(current);
  });
});

describe('goal-setting: a person left with no partner', () => {
  /** The English pair's mentor declines when no one is free: the mentee is left alone. */
  async function leftAlone() {
    const c = await cycleWith(['goal-setting']);
    const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
    for (const person of roster.filter((p) => !paired.has(p.participantId)))
      await c.store.setParticipantStatus(program.programId, person.participantId, 'opted-out');
    const { mentorId, menteeId } = englishPair();
    await c.post(mentorId, 'goal-setting', 'decline');
    expect((await c.store.getMember(c.cycleId, menteeId))?.partners).toEqual([]);
    return { c, menteeId };
  }

  it('is told no partner could be found yet and what happens next, with nothing to accept or decline', async () => {
    const { c, menteeId } = await leftAlone();
    const page = await c.show(menteeId, 'goal-setting');
    expect(page.status).toBe(200);
    expect(page.html).toContain('No partner yet');
    expect(page.html).toContain('you will be paired with them and receive a new invitation');
    expect(page.html).not.toContain('<form');
    expect(page.html).not.toContain('Your mentoring pair');
  });

  it('tells a Portuguese reader the same in Portuguese', async () => {
    const c = await cycleWith(['goal-setting']);
    const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
    for (const person of roster.filter((p) => !paired.has(p.participantId)))
      await c.store.setParticipantStatus(program.programId, person.participantId, 'opted-out');
    const pair = pairs.find((p) => c.member(p.menteeId).language === 'pt-BR') as Pair;
    await c.post(pair.mentorId, 'goal-setting', 'decline');
    const page = await c.show(pair.menteeId, 'goal-setting');
    expect(page.html).toContain('Ainda sem dupla');
    expect(page.html).toContain('receberá um novo convite');
    expect(page.html).not.toContain('<form');
  });

  it('records no acceptance, goals or decline of a pairing that does not exist', async () => {
    const { c, menteeId } = await leftAlone();
    const member = (await c.store.getMember(c.cycleId, menteeId)) as Member;
    const posts: Array<[string, Array<[string, string]>]> = [
      ['accept', []],
      ['answer', goalFields(member, ['Learn to delegate'])],
      ['decline', [['reason', 'nobody to decline']]],
    ];
    for (const [action, fields] of posts) {
      const page = await c.post(menteeId, 'goal-setting', action, fields);
      expect(page.status, action).toBe(409);
      expect(page.html, action).toContain('No partner yet');
    }
    expect(await c.store.getInvitationDecision(c.cycleId, menteeId)).toBeUndefined();
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', menteeId)).toBeUndefined();
  });
});

describe('run: a check-in when the partner has left the program', () => {
  /** Every `href="#id"` of the page's error summary names an element of the page. */
  const brokenLinks = (html: string) => [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] as string).filter((id) => !html.includes(`id="${id}"`));

  it('says the partner left and HR was told, and offers no meeting with them', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const { mentorId, menteeId } = englishPair();
    await c.post(menteeId, 'opt-out', 'opt-out');
    const page = await c.show(mentorId, 'run#1');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`${escapeHtml(c.member(menteeId).name)} has left the program, so no meeting with them can be logged. HR has been told`);
    expect(page.html).not.toContain('name="pair"');
    expect(page.html).not.toContain('name="date"');
    expect(page.html).not.toContain('value="met"');
    expect(page.html).toContain('value="need-help"');
  });

  it('refuses a "we met" from a page opened before they left, with error links that all lead somewhere', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const { mentorId, menteeId, pairId } = englishPair();
    await c.post(menteeId, 'opt-out', 'opt-out');
    const page = await c.post(mentorId, 'run#1', 'answer', [
      ['status', 'met'],
      ['pair', pairId],
      ['date', '2027-03-01'],
    ]);
    expect(page.status).toBe(400);
    expect(page.html).toContain('has left the program');
    expect(page.html).toMatch(/href="#[^"]+"/);
    expect(brokenLinks(page.html)).toEqual([]);
    expect(await c.store.getResponse(c.cycleId, 'run#1', mentorId)).toBeUndefined();
  });

  it('links an error about the only partner to their name on the page', async () => {
    const c = await cycleWith(['goal-setting', 'run']);
    const { mentorId } = englishPair();
    const page = await c.post(mentorId, 'run#1', 'answer', [
      ['status', 'met'],
      ['pair', 'someone~else'],
      ['date', '2027-03-01'],
    ]);
    expect(page.status).toBe(400);
    expect(page.html).toContain('href="#meeting-pair"');
    expect(brokenLinks(page.html)).toEqual([]);
  });
});

describe('feedback: the skills the organization lacks', () => {
  const withSkills = (skills: string): Array<[string, string]> =>
    feedbackFields('x').map(([k, v]): [string, string] => [k, k === 'missingSkills' ? skills : v]);
  /** Someone in the cycle who reads Portuguese. */
  const portugueseReader = (c: Cycle) => pairs.flatMap((p) => [p.mentorId, p.menteeId]).find((id) => c.member(id).language === 'pt-BR') as string;

  it('refuses more than ten in the reader’s language, naming the limit, and keeps what was typed', async () => {
    const c = await cycleWith(['feedback']);
    const reader = portugueseReader(c);
    const eleven = Array.from({ length: 11 }, (_, i) => `Habilidade ${i + 1}`).join(', ');
    const page = await c.post(reader, 'feedback', 'answer', withSkills(eleven));
    expect(page.status).toBe(400);
    expect(page.html).toContain('indique no máximo 10 habilidades');
    expect(page.html).not.toContain('Too big');
    expect(page.html).toContain('Habilidade 11');
    expect(await c.store.getResponse(c.cycleId, 'feedback', reader)).toBeUndefined();
  });

  it('refuses a skill over 80 characters in the reader’s language', async () => {
    const c = await cycleWith(['feedback']);
    const page = await c.post(portugueseReader(c), 'feedback', 'answer', withSkills(`Gestão, ${'a'.repeat(81)}`));
    expect(page.status).toBe(400);
    expect(page.html).toContain('cada habilidade deve ter no máximo 80 caracteres');
  });

  it('states both limits next to the question, in each language', async () => {
    const c = await cycleWith(['feedback']);
    const en = await c.show('p03', 'feedback');
    expect(en.html).toContain('Up to 10 skills, each at most 80 characters.');
    expect(en.html).toContain('aria-describedby="missingSkills-hint"');
    expect((await c.show(portugueseReader(c), 'feedback')).html).toContain('Até 10 habilidades, cada uma com no máximo 80 caracteres.');
  });
});

describe('links of people whose address bounced', () => {
  /** A cycle of the sample program with enrollment open and no members yet: the join page's visitors come from the roster. */
  async function enrollmentOpen() {
    const store = new InMemoryStore();
    const enrolling = sampleProgram('survey-enrollment', { enrollment: 'P14D' });
    const cycleId = `enrol${++cycleCount}-${Date.now()}`;
    await store.putProgram(enrolling);
    await importRoster(store, { programId: enrolling.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
    await store.createCycle(newCycle(enrolling, cycleId, START));
    await store.openPhase(cycleId, 'enrollment', { openedAt: START, deadline: START + 14 * DAY, expected: 24 });
    let time = START;
    const deps: SurveyDeps = { store, clock: { now: () => (time += 1000) }, signer, matcher };
    const show = (participantId: string, phaseKey: string) =>
      showSurvey(deps, signer.sign({ cycleId, participantId, phaseKey, expiresAt: Math.floor((START + 30 * DAY) / 1000) }), ACTION);
    return { store, programId: enrolling.programId, show };
  }

  it('keeps the join page working for someone marked unreachable, as the docs promise', async () => {
    const c = await enrollmentOpen();
    await c.store.setParticipantStatus(c.programId, 'p03', 'unreachable');
    const page = await c.show('p03', 'enrollment');
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="_action" value="answer"');
    expect(page.html).toContain('<html lang="en">');
  });

  it('refuses a link the phase has no page for in the language of the person the roster knows', async () => {
    const c = await enrollmentOpen();
    const page = await c.show('p03', 'goal-setting');
    expect(page.status).toBe(404);
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('We could not find this cycle');
  });
});

describe('feedback: voting before answering', () => {
  it('sends what was typed with the vote and shows it back, recording the vote and no answer', async () => {
    const c = await cycleWith(['feedback']);
    for (const id of ['p03', 'p06', 'p09', 'p15', 'p18']) expect((await c.post(id, 'feedback', 'answer', feedbackFields(id))).status).toBe(200);
    const voter = 'p01';
    const page = await c.show(voter, 'feedback');
    const target = (await c.store.listSuggestions(c.cycleId)).find((s) => s.text === 'p03 worked')?.suggestionId as string;
    // The vote button belongs to the answer form: the browser sends the form's fields with it, without JavaScript.
    expect(page.html).toContain(`form="answer-form" name="_vote" value="${target}" formnovalidate`);
    expect(page.html).toContain('<form method="post" action="./v1.token" id="answer-form">');
    const typed: Array<[string, string]> = [
      ['worked', 'The monthly lunches, half written'],
      ['improve', 'More time for <meetings>'],
      ['satisfaction', ''],
      ['_vote', target],
    ];
    const voted = await c.post(voter, 'feedback', 'answer', typed);
    expect(voted.status).toBe(200);
    expect(await c.store.listVotesOf(c.cycleId, voter)).toEqual([target]);
    expect(voted.html).toContain('>The monthly lunches, half written</textarea>');
    expect(voted.html).toContain(`>${escapeHtml('More time for <meetings>')}</textarea>`);
    expect(await c.store.getResponse(c.cycleId, 'feedback', voter)).toBeUndefined();
  });
});

describe('what a page says after the fact', () => {
  it('tells someone who left, on the opt-out link again, that they left instead of asking again', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.post('p03', 'opt-out', 'opt-out');
    const page = await c.show('p03', 'opt-out');
    expect(page.html).toContain('You have left the program');
    expect(page.html).not.toContain('Do you want to leave');
    expect(page.html).not.toContain('<form');
  });

  it('says a decline after a bare accept was not recorded, how to withdraw, and keeps the reason typed', async () => {
    const c = await cycleWith(['goal-setting']);
    const { mentorId, menteeId } = englishPair();
    expect((await c.post(menteeId, 'goal-setting', 'accept')).status).toBe(200);
    const page = await c.post(menteeId, 'goal-setting', 'decline', [['reason', 'My manager moved me to <night> shifts']]);
    expect(page.status).toBe(409);
    expect(page.html).toContain('You accepted this pairing already, so the decline was not recorded. To withdraw now, write to your HR team');
    expect(page.html).toContain(escapeHtml('My manager moved me to <night> shifts'));
    expect((await c.store.getInvitationDecision(c.cycleId, menteeId))?.decision).toBe('accepted');
    expect((await c.store.getMember(c.cycleId, mentorId))?.partners.map((p) => p.participantId)).toEqual([menteeId]);
  });

  it('says a cycle HR stopped was stopped, not that a phase closed', async () => {
    const c = await cycleWith(['goal-setting']);
    await c.store.markStopped(c.cycleId, START + DAY);
    const page = await c.show('p03', 'goal-setting');
    expect(page.status).toBe(410);
    expect(page.html).toContain('HR stopped this cycle of the program');
    expect(page.html).not.toContain('This phase has closed');
    const portuguese = await c.show(pairs.flatMap((p) => [p.mentorId, p.menteeId]).find((id) => c.member(id).language === 'pt-BR') as string, 'goal-setting');
    expect(portuguese.html).toContain('O RH interrompeu este ciclo do programa');
  });
});
