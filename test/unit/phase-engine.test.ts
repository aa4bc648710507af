import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import type { EmailTemplateData } from '../../domain/email-templates.ts';
import { TransientError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { programSchema, type ProgramInput } from '../../domain/program.ts';
import { advancePhase, closePhase, openPhase, type SendingDeps } from '../../services/phases/engine.ts';
import { SendingPace } from '../../services/phases/pacing.ts';
import { phaseStepWork } from '../../services/phases/step-work.ts';
import { showSurvey } from '../../services/surveys.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { cohortIds, consecutivePairs, memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2027, 2, 1, 9);
const CYCLE = 'c1';
const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
const program = programSchema.parse({
  ...sample,
  phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' },
  checkInCadence: 'P7D',
  reminders: { beforeDeadline: ['P3D', 'P1D'] },
  progressCheckInterval: 'PT2H',
});

/** Records what would go to SES; `failOnce` makes the first send to an address fail as SES throttling does. */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  readonly failOnce = new Set<string>();
  async send(email: OutgoingEmail) {
    if (this.failOnce.delete(email.to)) throw new TransientError('SES is throttling');
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
  to(kind: string): string[] {
    return this.sent.filter((e) => e.tags?.kind === kind).map((e) => e.to);
  }
  data(index: number): EmailTemplateData {
    const email = this.sent[index];
    if (!email || !('template' in email)) throw new Error(`no templated email #${index}`);
    return email.template.data as EmailTemplateData;
  }
}

const ids = cohortIds(4);
const emailOf = (id: string) => `${id}@example.com`;
const plenty = { remainingMs: () => 60_000 };

let store: InMemoryStore;
let mailer: RecordingMailer;
let now: number;
let deps: SendingDeps;

beforeEach(async () => {
  store = new InMemoryStore();
  mailer = new RecordingMailer();
  now = T0;
  deps = {
    store,
    emailLog: store,
    mailer,
    clock: { now: () => now },
    links: { signer: new LinkSigner('a link-signing key of at least 32 bytes'), baseUrl: 'https://tandem.example.com' },
    pace: new SendingPace(1000),
  };
  await store.createCycle(newCycle(program, CYCLE, T0));
  const pairs = consecutivePairs(ids);
  const members = ids.map((id) => memberOf(id));
  for (const pair of pairs) {
    const mentor = members.find((m) => m.participantId === pair.mentorId)!;
    const mentee = members.find((m) => m.participantId === pair.menteeId)!;
    mentor.partners.push({ participantId: mentee.participantId, name: mentee.name, pairId: pair.pairId, role: 'mentee' });
    mentee.partners.push({ participantId: mentor.participantId, name: mentor.name, pairId: pair.pairId, role: 'mentor' });
  }
  await store.putCohort(CYCLE, members, pairs);
});

const answer = (phaseKey: string, participantId: string, value: unknown = {}) =>
  store.recordResponse({ cycleId: CYCLE, phaseKey, participantId, answer: value, recordedAt: now });

describe('an answered phase (goal-setting, measure, feedback)', () => {
  it('opens once with its deadline from the program and one expected answer per reachable member', async () => {
    const opened = await openPhase(deps, CYCLE, 'measure');
    expect(opened).toEqual({
      phase: 'measure',
      complete: false,
      waitSeconds: 0,
      expected: 4,
      answered: 0,
      deadline: new Date(T0 + 10 * DAY).toISOString(),
      emailsSent: 0,
    });
    now += DAY;
    expect(await openPhase(deps, CYCLE, 'measure')).toEqual(opened);
  });

  it('invites every member once, with the goals at goal-setting, and a repeated step sends nothing more', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    const first = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(first).toMatchObject({ emailsSent: 4, complete: false, answered: 0, expected: 4 });
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
    expect(mailer.data(0).goals).toBe(program.goalsAndExpectations);
    for (const id of ids) expect(await store.claim(CYCLE, `goal-setting#invitation#${id}`, emailOf(id), now)).toBe('already-sent');

    const again = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(again.emailsSent).toBe(0);
    expect(mailer.sent).toHaveLength(4);
  });

  it('leaves the goals out of other phases’ invitations', async () => {
    await openPhase(deps, CYCLE, 'feedback');
    await advancePhase(deps, CYCLE, 'feedback', plenty);
    expect(mailer.to('invitation')).toHaveLength(4);
    expect(mailer.data(0).goals).toBe('');
  });

  it('reminds only those who have not answered, each reminder once, with the time left', async () => {
    await openPhase(deps, CYCLE, 'measure');
    await advancePhase(deps, CYCLE, 'measure', plenty);
    await answer('measure', 'p01');
    now = T0 + 7 * DAY;
    const step = await advancePhase(deps, CYCLE, 'measure', plenty);
    expect(step.emailsSent).toBe(3);
    expect(mailer.to('reminder').sort()).toEqual(['p02', 'p03', 'p04'].map(emailOf));
    expect(mailer.data(4)).toMatchObject({ reminder: true, timeLeft: '3 days' });
    expect(await store.claim(CYCLE, 'measure#reminder-0#p02', emailOf('p02'), now)).toBe('already-sent');

    expect((await advancePhase(deps, CYCLE, 'measure', plenty)).emailsSent).toBe(0);
    await answer('measure', 'p02');
    now = T0 + 9 * DAY;
    await advancePhase(deps, CYCLE, 'measure', plenty);
    expect(mailer.to('reminder').slice(3).sort()).toEqual(['p03', 'p04'].map(emailOf));
  });

  it('waits for the next progress check, then the next reminder, never past the deadline', async () => {
    await openPhase(deps, CYCLE, 'measure');
    expect((await advancePhase(deps, CYCLE, 'measure', plenty)).waitSeconds).toBe(2 * 3600);
    const eager = programSchema.parse({ ...program, progressCheckInterval: 'PT1M' });
    await store.createCycle(newCycle(eager, 'c2', T0));
    await store.putCohort('c2', [memberOf('p01')], []);
    await openPhase(deps, 'c2', 'measure');
    // At most 240 polls per phase: a 10-day window is polled hourly however often the program asks.
    expect((await advancePhase(deps, 'c2', 'measure', plenty)).waitSeconds).toBe(3600);
    now = T0 + 6 * DAY + 23 * 3600_000;
    expect((await advancePhase(deps, 'c2', 'measure', plenty)).waitSeconds).toBe(3600);
    now = T0 + 6 * DAY + 23.5 * 3600_000;
    // The reminder 3 days before the deadline comes before the next poll.
    expect((await advancePhase(deps, 'c2', 'measure', plenty)).waitSeconds).toBe(1800);
    now = T0 + 9 * DAY + 23 * 3600_000 + 1800_000;
    await store.updatePhase('c2', 'measure', { remindersSent: [0, 1] });
    expect((await advancePhase(deps, 'c2', 'measure', plenty)).waitSeconds).toBe(1800);
  });

  it('completes as soon as everyone answered, and at the deadline otherwise', async () => {
    await openPhase(deps, CYCLE, 'measure');
    await advancePhase(deps, CYCLE, 'measure', plenty);
    for (const id of ids.slice(0, 3)) await answer('measure', id);
    expect(await advancePhase(deps, CYCLE, 'measure', plenty)).toMatchObject({ complete: false, answered: 3 });
    await answer('measure', 'p04');
    expect(await advancePhase(deps, CYCLE, 'measure', plenty)).toMatchObject({ complete: true, waitSeconds: 0, answered: 4 });

    await openPhase(deps, CYCLE, 'feedback');
    await advancePhase(deps, CYCLE, 'feedback', plenty);
    now = T0 + 10 * DAY;
    expect(await advancePhase(deps, CYCLE, 'feedback', plenty)).toMatchObject({ complete: true, waitSeconds: 0, answered: 0 });
    expect(await closePhase(deps, CYCLE, 'feedback')).toMatchObject({ phase: 'feedback', complete: true, answered: 0, expected: 4 });
    expect((await store.getCycle(CYCLE))?.phases.feedback?.closedAt).toBe(now);
  });

  it('sends nothing once the cycle is no longer running, and calls the phase complete', async () => {
    await openPhase(deps, CYCLE, 'measure');
    await store.markStopped(CYCLE, now);
    expect(await advancePhase(deps, CYCLE, 'measure', plenty)).toMatchObject({ complete: true, emailsSent: 0 });
    expect(mailer.sent).toEqual([]);
  });

  it('sends its invitations in a cycle still marked failed, because a step only runs once the execution was redriven, and marks it running', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    await store.markFailed(CYCLE, { error: 'ConfigurationError', cause: 'template missing' }, now);
    await store.setCycleExpiry(CYCLE, Math.floor(now / 1000) + 86_400);
    expect(await advancePhase(deps, CYCLE, 'goal-setting', plenty)).toMatchObject({ complete: false, emailsSent: 4 });
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
    const cycle = await store.getCycle(CYCLE);
    expect(cycle?.status).toBe('running');
    expect(cycle?.failure).toBeUndefined();
    expect(await store.getCycleExpiry(CYCLE)).toBeUndefined();
  });
});

describe('invitations that go out late', () => {
  it('move the deadline to a whole window from when they go out, so that nobody is asked to answer by a time already past', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    // SES failed for eleven days; the execution was redriven after the 10-day window had ended.
    mailer.failOnce.add(emailOf('p01'));
    await expect(advancePhase(deps, CYCLE, 'goal-setting', plenty)).rejects.toThrow(TransientError);
    now = T0 + 11 * DAY;
    const late = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(late).toMatchObject({ emailsSent: 4, complete: false, deadline: new Date(now + 10 * DAY).toISOString() });
    expect(mailer.data(0).deadline).toContain('2027');
    expect(new Set(mailer.sent.map((_, i) => mailer.data(i).deadline))).toEqual(new Set([mailer.data(0).deadline]));
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.deadline).toBe(now + 10 * DAY);
    expect(await store.listAudit({ programId: program.programId })).toMatchObject([
      {
        actor: 'tandem',
        via: 'workflow',
        action: 'phase.deadline-moved',
        cycleId: CYCLE,
        details: { phase: 'goal-setting', from: new Date(T0 + 10 * DAY).toISOString(), to: new Date(now + 10 * DAY).toISOString() },
      },
    ]);
    // The reminders come due again before the new deadline, not at once.
    now += DAY;
    expect(await advancePhase(deps, CYCLE, 'goal-setting', plenty)).toMatchObject({ emailsSent: 0, complete: false });
  });

  it('leave the links sent before the failure working until the moved deadline', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    let checks = 0;
    const twoSends = { remainingMs: () => (++checks <= 2 ? 1000 : -1) };
    expect((await advancePhase(deps, CYCLE, 'goal-setting', twoSends)).emailsSent).toBe(2);
    const early = mailer.data(0).link.split('/s/')[1] as string;
    now = T0 + 11 * DAY;
    expect((await advancePhase(deps, CYCLE, 'goal-setting', plenty)).emailsSent).toBe(2);
    const surveyDeps = { store, clock: { now: () => now }, signer: deps.links.signer, matcher: new OptimalMatcher({ deadlineMs: 2_000 }) };
    // Past the old deadline and its grace (T0 + 13 days), before the new one (T0 + 21 days).
    now = T0 + 14 * DAY;
    expect(deps.links.signer.verify(early, now)).toMatchObject({ ok: false, reason: 'expired' });
    expect((await showSurvey(surveyDeps, early, './v1.token')).status).toBe(200);
    // And no longer once the moved deadline and its grace have passed.
    now = T0 + 25 * DAY;
    expect((await showSurvey(surveyDeps, early, './v1.token')).status).toBe(410);
  });

  it('keep the deadline when sending took a small part of the window', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    now = T0 + DAY / 2;
    expect(await advancePhase(deps, CYCLE, 'goal-setting', plenty)).toMatchObject({ emailsSent: 4, deadline: new Date(T0 + 10 * DAY).toISOString() });
    expect(await store.listAudit({ programId: program.programId })).toEqual([]);
  });
});

describe('the time budget', () => {
  it('stops sending when the budget runs out, asks to be called again at once, and resumes without duplicates', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    let checks = 0;
    const twoSends = { remainingMs: () => (++checks <= 2 ? 1000 : -1) };
    const cut = await advancePhase(deps, CYCLE, 'goal-setting', twoSends);
    expect(cut).toMatchObject({ emailsSent: 2, complete: false, waitSeconds: 0 });
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.invitationsDone).toBeUndefined();

    const resumed = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(resumed.emailsSent).toBe(2);
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.invitationsDone).toBe(true);
  });

  it('resumes without claiming again the emails the step before it sent', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    let checks = 0;
    const threeSends = { remainingMs: () => (++checks <= 3 ? 1000 : -1) };
    expect((await advancePhase(deps, CYCLE, 'goal-setting', threeSends)).emailsSent).toBe(3);
    const sentBefore = mailer.sent.map((email) => email.to);

    const claimed: string[] = [];
    const countingLog: SendingDeps['emailLog'] = {
      claim: (cycleId, key, to, at) => (claimed.push(to), store.claim(cycleId, key, to, at)),
      markSent: (...args) => store.markSent(...args),
      release: (...args) => store.release(...args),
      sentKeys: (...args) => store.sentKeys(...args),
    };
    const resumed = await advancePhase({ ...deps, emailLog: countingLog }, CYCLE, 'goal-setting', plenty);
    expect(resumed.emailsSent).toBe(1);
    expect(claimed).toEqual(ids.map(emailOf).filter((to) => !sentBefore.includes(to)));
  });

  it('fails the step when a send fails for a passing reason, and its retry sends the rest without duplicates', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    mailer.failOnce.add(emailOf('p01'));
    await expect(advancePhase(deps, CYCLE, 'goal-setting', plenty)).rejects.toThrow(TransientError);
    // The first email goes alone: its failure stops the step before the others are sent.
    expect(mailer.sent).toEqual([]);
    expect((await advancePhase(deps, CYCLE, 'goal-setting', plenty)).emailsSent).toBe(4);
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
  });

  it('keeps the invitations due while one is claimed by a step that died before sending it, and sends it once the claim is stale', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    // A crashed step claimed p02's invitation and never handed it to SES.
    expect(await store.claim(CYCLE, 'goal-setting#invitation#p02', emailOf('p02'), now)).toBe('claimed');
    const retried = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(retried.emailsSent).toBe(3);
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.invitationsDone).toBeUndefined();

    now += 10 * 60_000;
    const later = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(later.emailsSent).toBe(1);
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.invitationsDone).toBe(true);
  });

  it('stays open while an invitation waits on a claim of a step that died, and sends it once the claim is stale', async () => {
    await openPhase(deps, CYCLE, 'feedback');
    now = T0 + 10 * DAY + 1_000;
    // A step that died a moment ago, just past the deadline, had claimed p03's invitation and never handed it to SES.
    expect(await store.claim(CYCLE, 'feedback#invitation#p03', emailOf('p03'), now)).toBe('claimed');
    const late = await advancePhase(deps, CYCLE, 'feedback', plenty);
    // The invitations went out late: the whole window starts again (above), so the phase is far from its end.
    expect(late).toMatchObject({ complete: false, emailsSent: 3, deadline: new Date(now + 10 * DAY).toISOString() });
    expect(late.waitSeconds).toBeGreaterThan(0);

    now += 10 * 60_000;
    // Sending goes on after the move: the deadline stays where the move put it, and the move is recorded once.
    expect(await advancePhase(deps, CYCLE, 'feedback', plenty)).toMatchObject({ complete: false, emailsSent: 1, deadline: late.deadline });
    expect(mailer.to('invitation').sort()).toEqual(ids.map(emailOf));
    expect((await store.getCycle(CYCLE))?.phases.feedback?.invitationsDone).toBe(true);
    expect((await store.listAudit({ programId: program.programId })).map((e) => e.action)).toEqual(['phase.deadline-moved']);
  });
});

describe('the run', () => {
  it('expects no answers up front, sends each check-in round when it falls due, and counts answers only when it closes', async () => {
    const opened = await openPhase(deps, CYCLE, 'run');
    expect(opened).toMatchObject({ expected: 0, deadline: new Date(T0 + 28 * DAY).toISOString() });
    expect(await advancePhase(deps, CYCLE, 'run', plenty)).toMatchObject({ emailsSent: 0, waitSeconds: 7 * 86400, complete: false });

    now = T0 + 7 * DAY;
    // Round 1's check-ins, and the nudge to each member of the pairs with no meeting logged yet.
    expect((await advancePhase(deps, CYCLE, 'run', plenty)).emailsSent).toBe(8);
    expect(mailer.data(0)).toMatchObject({ round: '1', reminder: false, nudge: false });
    expect(await store.claim(CYCLE, 'run#1#check-in#p03', emailOf('p03'), now)).toBe('already-sent');
    await answer('run#1', 'p01', { status: 'met' });
    await answer('run#1', 'p02', { status: 'met' });

    const step = await advancePhase(deps, CYCLE, 'run', plenty);
    expect(step).toMatchObject({ emailsSent: 0, answered: 0, complete: false });

    now = T0 + 28 * DAY;
    expect((await advancePhase(deps, CYCLE, 'run', plenty)).complete).toBe(true);
    expect(await closePhase(deps, CYCLE, 'run')).toMatchObject({ phase: 'run', answered: 2, expected: 0 });
  });

  it('nudges once each member of a pair with no meeting logged by the first check-in, linking the pair page', async () => {
    await openPhase(deps, CYCLE, 'run');
    await store.recordMeeting({
      cycleId: CYCLE,
      pairId: 'p01~p02',
      meetingId: 'm1',
      loggedBy: 'p01',
      source: 'pair-page',
      date: '2027-03-03',
      skills: [],
      loggedAt: now,
    });
    now = T0 + 7 * DAY - 1;
    await advancePhase(deps, CYCLE, 'run', plenty);
    expect(mailer.to('meeting-nudge')).toEqual([]);

    now = T0 + 7 * DAY;
    await advancePhase(deps, CYCLE, 'run', plenty);
    expect(mailer.to('meeting-nudge').sort()).toEqual([emailOf('p03'), emailOf('p04')]);
    const nudge = mailer.sent.findIndex((e) => e.tags?.kind === 'meeting-nudge');
    expect(mailer.data(nudge)).toMatchObject({ nudge: true, reminder: false });
    const token = mailer.data(nudge).link.split('/s/')[1] as string;
    expect(deps.links.signer.verify(token, now)).toMatchObject({ scope: { phaseKey: 'pair' } });
    expect((await store.getCycle(CYCLE))?.phases.run?.meetingNudgeSent).toBe(true);

    // Later steps, a later round and a pair that still has not met: no second nudge.
    await advancePhase(deps, CYCLE, 'run', plenty);
    now = T0 + 14 * DAY;
    await advancePhase(deps, CYCLE, 'run', plenty);
    expect(mailer.to('meeting-nudge')).toHaveLength(2);
  });

  it('flags the pairs of people who missed a check-in without having met at the one before, once the next round went out', async () => {
    await openPhase(deps, CYCLE, 'run');
    now = T0 + 7 * DAY;
    await advancePhase(deps, CYCLE, 'run', plenty);
    await answer('run#1', 'p02', { status: 'met' });
    await answer('run#1', 'p03', { status: 'not-yet' });
    now = T0 + 14 * DAY;
    await advancePhase(deps, CYCLE, 'run', plenty);
    await answer('run#2', 'p01', { status: 'met' });
    // Round 2 is not judged until round 3 went out: people get a full cadence to answer.
    await advancePhase(deps, CYCLE, 'run', plenty);
    expect(await store.listPairFlags(CYCLE)).toEqual([]);

    now = T0 + 21 * DAY;
    await advancePhase(deps, CYCLE, 'run', plenty);
    // p03 said "not yet" then did not answer; p04 answered neither. p01 answered round 2, p02 had met at round 1.
    const flags = await store.listPairFlags(CYCLE);
    expect(flags.map((f) => [f.pairId, f.reasons.map((r) => [r.participantId, r.kind, r.round])])).toEqual([
      [
        'p03~p04',
        [
          ['p03', 'two-misses', 2],
          ['p04', 'two-misses', 2],
        ],
      ],
    ]);
    await advancePhase(deps, CYCLE, 'run', plenty);
    expect((await store.listPairFlags(CYCLE))[0]?.reasons).toHaveLength(2);
    expect((await store.getCycle(CYCLE))?.phases.run?.missesChecked).toEqual([2]);
  });
});

describe('goal-setting rematches', () => {
  it('invites both people of a new pair once, for their new pair', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    await store.putRematch(
      {
        cycleId: CYCLE,
        rematchId: 'p01~p02',
        previousPairId: 'p01~p02',
        declinedBy: 'p01',
        freedParticipantId: 'p02',
        newPairId: 'p02~p03',
        newPartnerId: 'p03',
        notify: ['p02', 'p03'],
        at: now,
      },
      { members: [], newMembers: 0 },
    );
    const step = await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    expect(step.emailsSent).toBe(2);
    expect(mailer.to('rematch').sort()).toEqual(['p02', 'p03'].map(emailOf));
    expect(mailer.data(4)).toMatchObject({ rematch: true, goals: program.goalsAndExpectations });
    expect(await store.claim(CYCLE, 'goal-setting#rematch-p01~p02#p03', emailOf('p03'), now)).toBe('already-sent');
    expect((await store.getCycle(CYCLE))?.phases['goal-setting']?.rematchesNotified).toBe(1);
    expect((await advancePhase(deps, CYCLE, 'goal-setting', plenty)).emailsSent).toBe(0);
  });
});

describe('goal-setting rematches of someone who had accepted', () => {
  it('tells only the freed person who had accepted that their goals are kept and the new pairing needs their answer', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    const rematch = { cycleId: CYCLE, rematchId: 'p01~p02', previousPairId: 'p01~p02', declinedBy: 'p01', freedParticipantId: 'p02', at: now };
    await store.putRematch({ ...rematch, newPairId: 'p02~p03', newPartnerId: 'p03', notify: ['p02', 'p03'], askedAgain: true }, { members: [], newMembers: 0 });
    const before = mailer.sent.length;
    await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    const sent = mailer.sent.slice(before).map((email, i) => ({ to: email.to, data: mailer.data(before + i) }));
    expect(sent.find((e) => e.to === emailOf('p02'))?.data).toMatchObject({ rematch: true, askedAgain: true });
    expect(sent.find((e) => e.to === emailOf('p03'))?.data).toMatchObject({ rematch: false, newPartner: true, askedAgain: false });
  });

  it('tells the freed person their first partner could not take part, and their new partner only that the two are now a pair', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    const rematch = { cycleId: CYCLE, rematchId: 'p01~p02', previousPairId: 'p01~p02', declinedBy: 'p01', freedParticipantId: 'p02', at: now };
    await store.putRematch({ ...rematch, newPairId: 'p02~p03', newPartnerId: 'p03', notify: ['p02', 'p03'] }, { members: [], newMembers: 0 });
    const before = mailer.sent.length;
    await advancePhase(deps, CYCLE, 'goal-setting', plenty);
    const sent = mailer.sent.slice(before).map((email, i) => ({ to: email.to, data: mailer.data(before + i) }));
    expect(sent.find((e) => e.to === emailOf('p02'))?.data).toMatchObject({ rematch: true, newPartner: false });
    expect(sent.find((e) => e.to === emailOf('p03'))?.data).toMatchObject({ rematch: false, newPartner: true });
  });
});

describe('the pair-page link in member emails', () => {
  /** Opens each pair-page link the mailer saw, as its recipient would, and says whose pair page it showed. */
  async function openedPairPages(kind: string) {
    const surveyDeps = { store, clock: { now: () => now }, signer: deps.links.signer, matcher: new OptimalMatcher({ deadlineMs: 2_000 }) };
    return Promise.all(
      mailer.sent.flatMap((email, index) => {
        if (email.tags?.kind !== kind) return [];
        return [
          (async () => {
            const { pairPage } = mailer.data(index);
            const token = pairPage.split('/s/')[1] as string;
            const verified = deps.links.signer.verify(token, now);
            const page = await showSurvey(surveyDeps, token, './v1.token');
            return { to: email.to, scope: verified.ok ? verified.scope : undefined, page };
          })(),
        ];
      }),
    );
  }

  it.each([
    ['goal-setting', 'invitation', 0],
    ['goal-setting', 'reminder', 7],
    ['run', 'check-in', 7],
    ['measure', 'invitation', 0],
    ['feedback', 'invitation', 0],
  ] as const)('gives every member’s %s %s a pair-page link that opens their own pair page', async (phase, kind, days) => {
    await openPhase(deps, CYCLE, phase);
    await advancePhase(deps, CYCLE, phase, plenty);
    now = T0 + days * DAY;
    await advancePhase(deps, CYCLE, phase, plenty);
    const opened = await openedPairPages(kind);
    expect(opened.map((o) => o.to).sort()).toEqual(ids.map(emailOf));
    for (const { to, scope, page } of opened) {
      expect(scope).toMatchObject({ cycleId: CYCLE, participantId: to.split('@')[0], phaseKey: 'pair' });
      expect(page.status).toBe(200);
      expect(page.html).toContain('Your mentoring pair');
    }
  });

  it('keeps the pair-page link of the last feedback email open after the feedback phase closes', async () => {
    await openPhase(deps, CYCLE, 'feedback');
    await advancePhase(deps, CYCLE, 'feedback', plenty);
    const token = mailer.data(0).pairPage.split('/s/')[1] as string;
    expect(deps.links.signer.verify(token, T0 + 40 * DAY).ok).toBe(true);
  });

  it('leaves the pair-page link out of enrollment invitations, sent to people who have no partner yet', async () => {
    const enrolling = programSchema.parse({ ...sample, programId: 'enrolling', phaseWindows: { ...program.phaseWindows, enrollment: 'P14D' } });
    const roster = generateRoster({ size: 4, seed: 3, skills: SAMPLE_SKILLS });
    await store.putProgram(enrolling);
    await store.putParticipants(enrolling.programId, roster);
    await store.createCycle(newCycle(enrolling, 'c2', T0));
    await openPhase(deps, 'c2', 'enrollment');
    await advancePhase(deps, 'c2', 'enrollment', plenty);
    expect(mailer.to('invitation')).toHaveLength(4);
    for (const index of mailer.sent.keys()) expect(mailer.data(index)).toMatchObject({ pairPage: '', h: { pairPage: '' } });
  });
});

describe('goal-setting’s introductions on each step', () => {
  async function everyoneAccepted() {
    await openPhase(deps, CYCLE, 'goal-setting');
    // Each accepts the partners they were given, as the goal-setting page records it.
    for (const member of await store.listMembers(CYCLE)) {
      const partnerIds = member.partners.map((p) => p.participantId);
      await store.recordInvitationDecision({ cycleId: CYCLE, participantId: member.participantId, decision: 'accepted', partnerIds, decidedAt: now });
    }
  }

  it('stops introducing when the step’s time is spent, asks to be called again at once, and the next step goes on', async () => {
    await everyoneAccepted();
    // The budget runs out once the invitations and the first introduction went out.
    const tight = { remainingMs: () => (mailer.to('introduction').length >= 1 ? 0 : 60_000) };
    const first = await advancePhase({ ...deps, stepWork: phaseStepWork }, CYCLE, 'goal-setting', tight);
    expect(first.complete).toBe(false);
    expect(first.waitSeconds).toBe(0);
    expect(mailer.to('introduction').length).toBeLessThan(ids.length);
    await advancePhase({ ...deps, stepWork: phaseStepWork }, CYCLE, 'goal-setting', plenty);
    expect(mailer.to('introduction').sort()).toEqual(ids.map(emailOf).sort());
  });

  it('introduces a pair only when each accepted the other, not on an acceptance of another partner', async () => {
    await openPhase(deps, CYCLE, 'goal-setting');
    const [pair] = await store.listPairs(CYCLE);
    const { mentorId, menteeId } = pair as NonNullable<typeof pair>;
    // The mentor's acceptance names someone else (an earlier partner): this pair is not theirs yet.
    await store.recordInvitationDecision({ cycleId: CYCLE, participantId: mentorId, decision: 'accepted', partnerIds: ['someone-else'], decidedAt: now });
    await store.recordInvitationDecision({ cycleId: CYCLE, participantId: menteeId, decision: 'accepted', partnerIds: [mentorId], decidedAt: now });
    await advancePhase({ ...deps, stepWork: phaseStepWork }, CYCLE, 'goal-setting', plenty);
    expect(mailer.to('introduction')).toEqual([]);
  });

  it('skips the introductions sent already without claiming them again', async () => {
    await everyoneAccepted();
    await advancePhase({ ...deps, stepWork: phaseStepWork }, CYCLE, 'goal-setting', plenty);
    const claims = { count: 0 };
    const counting = new Proxy(store, {
      get: (target, name, receiver) =>
        name === 'claim'
          ? (...args: unknown[]) => {
              claims.count++;
              return (target.claim as (...a: unknown[]) => unknown).apply(target, args);
            }
          : Reflect.get(target, name, receiver),
    });
    await advancePhase({ ...deps, emailLog: counting, stepWork: phaseStepWork }, CYCLE, 'goal-setting', plenty);
    expect(claims.count).toBe(0);
    expect(mailer.to('introduction')).toHaveLength(ids.length);
  });
});
