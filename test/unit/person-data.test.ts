import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkPair, newCycle, type Member } from '../../domain/cycle.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { computeCycleMetrics } from '../../domain/metrics.ts';
import { participantSchema } from '../../domain/participant.ts';
import { erasedRecord, type ErasureSubject } from '../../domain/person-data.ts';
import { personExportSchema } from '../../domain/person-export.ts';
import { DEFAULT_RETENTION_DAYS } from '../../domain/retention.ts';
import { programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import type { Actor } from '../../services/audit.ts';
import { erasePerson, exportPerson, exportPersonAudited, type PersonDataDeps } from '../../services/person-data.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { expireEndedCycle } from '../../services/retention.ts';
import { gatherReviewInput } from '../../services/review.ts';
import { sendOnce } from '../../services/send-once.ts';
import { suppressionKeyOf } from '../../services/suppression.ts';
import { consecutivePairs, memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const clock = { now: () => NOW };
const hr: Actor = { actor: 'ana@hr-laptop', via: 'cli' };
const signer = new LinkSigner('a-link-signing-key-of-at-least-32-bytes!');
const ERASED_EMAIL = 'joana.silva@example.com';
const GOAL_TEXT = 'Lead a meeting in English without notes';
const NOTE_TEXT = 'Joana was ill this fortnight';
const FEEDBACK_TEXT = 'Joana liked the Friday slots';

function program(programId: string): Program {
  const base = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')) as ProgramInput;
  return programSchema.parse({ ...base, programId, matching: { ...base.matching, doNotPair: [['p01', 'p04']] } });
}

const rosterEntry = (participantId: string, name: string, email: string) =>
  participantSchema.parse({ participantId, name, email, department: 'Finance', birthYear: 1990, languages: ['pt'] });

/** Two programs list Joana (p01 in one, j-77 in the other); each has a cycle in which she answered every phase. */
async function seeded(store = new InMemoryStore()) {
  const ids = ['p01', 'p02', 'p03', 'p04', 'p05', 'p06'];
  for (const [programId, joanaId] of [
    ['mentoria', 'p01'],
    ['lideranca', 'j-77'],
  ] as const) {
    const prog = program(programId);
    await store.putProgram(prog);
    const cohort = ids.map((id) => (id === 'p01' ? joanaId : id));
    await store.putParticipants(
      programId,
      cohort.map((id) => rosterEntry(id, id === joanaId ? 'Joana Silva' : `Person ${id}`, id === joanaId ? ERASED_EMAIL : `${id}@example.com`)),
    );
    const cycleId = `${programId}-2026`;
    await store.createCycle(newCycle(prog, cycleId, NOW - 90 * DAY));
    const members: Member[] = cohort.map((id) =>
      memberOf(id, id === joanaId ? { name: 'Joana Silva', email: ERASED_EMAIL } : { name: `Person ${id}`, email: `${id}@example.com` }),
    );
    const pairs = consecutivePairs(cohort);
    for (const pair of pairs)
      linkPair(
        members.find((m) => m.participantId === pair.mentorId)!,
        members.find((m) => m.participantId === pair.menteeId)!,
        pair,
      );
    await store.putCohort(cycleId, members, pairs);
    const window = { openedAt: NOW - 80 * DAY, deadline: NOW + DAY, expected: 6 };
    for (const phase of ['enrollment', 'goal-setting', 'run', 'measure', 'feedback'] as const) await store.openPhase(cycleId, phase, window);
    await store.recordEnrollmentAnswer(
      {
        cycleId,
        phaseKey: 'enrollment',
        participantId: joanaId,
        recordedAt: NOW,
        answer: {
          decision: 'joined',
          name: 'Joana Silva',
          department: 'Finance',
          teaches: [{ skill: 'ai', level: 4 }],
          learns: [],
          proposedSkills: ['Joana-style budgeting'],
          languages: ['pt'],
          timeZone: 'America/Sao_Paulo',
          availability: ['tue-morning'],
          consent: true,
        },
      },
      {
        declaration: {
          programId,
          participantId: joanaId,
          cycleId,
          declaredAt: NOW,
          name: 'Joana Silva',
          department: 'Finance',
          skillsOffered: [{ skill: 'ai', level: 4 }],
          skillsWanted: [],
          proposedSkills: ['Joana-style budgeting'],
          languages: ['pt'],
          timeZone: 'America/Sao_Paulo',
          availability: ['tue-morning'],
        },
      },
    );
    // Four of six answer the feedback (fewer than five: the report suppresses satisfaction).
    for (const id of cohort) {
      const goals = [id === joanaId ? GOAL_TEXT : 'Learn pivot tables'];
      await store.recordResponse({ cycleId, phaseKey: 'goal-setting', participantId: id, recordedAt: NOW, answer: { goals, baseline: { ai: 2 } } });
      const note = id === joanaId ? NOTE_TEXT : id === 'p02' ? 'Met Joana on Tuesday' : 'ok';
      await store.recordResponse({ cycleId, phaseKey: 'run#1', participantId: id, recordedAt: NOW, answer: { status: 'met', note } });
      await store.recordResponse({ cycleId, phaseKey: 'measure', participantId: id, recordedAt: NOW, answer: { ratings: { ai: 4 }, goalAttainment: [80] } });
    }
    for (const id of cohort.slice(0, 4)) {
      const text = id === joanaId ? FEEDBACK_TEXT : 'ok';
      await store.recordResponse({
        cycleId,
        phaseKey: 'feedback',
        participantId: id,
        recordedAt: NOW,
        answer: { worked: text, keep: text, more: text, explore: text, missingSkills: [text], improve: text, satisfaction: 9 },
      });
    }
    const joanasPair = pairs[0]!;
    await store.recordInvitationDecision({ cycleId, participantId: joanaId, decision: 'accepted', partnerIds: ['p02'], decidedAt: NOW });
    await store.flagPair(cycleId, joanasPair.pairId, { participantId: joanaId, kind: 'need-help', round: 1, note: NOTE_TEXT, at: NOW });
    await store.recordMeeting({
      cycleId,
      pairId: joanasPair.pairId,
      meetingId: 'm1',
      loggedBy: joanaId,
      source: 'pair-page',
      date: '2026-05-02',
      minutes: 45,
      skills: [{ skill: 'ai', direction: 'by-mentor' }],
      loggedAt: NOW,
    });
    await store.createSession({
      cycleId,
      sessionId: 's1',
      title: 'AI basics',
      description: 'An hour on prompts',
      skills: ['ai'],
      startsAt: NOW,
      timeZone: 'UTC',
      durationMinutes: 60,
      capacity: 10,
      audience: 'everyone',
      createdAt: NOW,
      seatsTaken: 0,
    });
    await store.registerForSession(cycleId, 's1', joanaId, NOW);
    await store.recordSessionAttendance(cycleId, 's1', [joanaId, 'p02'], NOW);
    await store.claim(cycleId, `goal-setting#invitation#${joanaId}`, ERASED_EMAIL, NOW);
    await store.markSent(cycleId, `goal-setting#invitation#${joanaId}`, 'ses-1', NOW);
    await store.claim(cycleId, `introduction#${joanasPair.pairId}#p02`, 'p02@example.com', NOW);
    await store.markSent(cycleId, `introduction#${joanasPair.pairId}#p02`, 'ses-2', NOW);
    await store.markStopped(cycleId, NOW - DAY);
  }
  await store.recordAudit({
    auditId: 'a1',
    at: NOW,
    actor: 'ana@hr',
    via: 'cli',
    action: 'pairs.excluded',
    programId: 'mentoria',
    details: { participantId: 'p01' },
  });
  return store;
}

const depsOf = (store: InMemoryStore): PersonDataDeps => {
  let n = 0;
  return { store, clock, subjectKeyOf: suppressionKeyOf(signer), newId: () => `id-${++n}` };
};

/** Everything the store holds for a cycle, as one text to search. */
async function cycleDump(store: InMemoryStore, cycleId: string): Promise<string> {
  const parts = await Promise.all([
    store.getCycle(cycleId),
    store.listMembers(cycleId),
    store.listPairs(cycleId),
    store.listResponses(cycleId, ''),
    store.listInvitationDecisions(cycleId),
    store.listPairFlags(cycleId),
    store.listMeetings(cycleId),
    store.listSessions(cycleId),
    store.listSessionRegistrations(cycleId),
    store.listEmailLog(cycleId),
  ]);
  return JSON.stringify(parts);
}

describe('person export', () => {
  it('lists everything Tandem holds on the address in every program, emails sent to them included', async () => {
    const store = await seeded();
    const exported = await exportPerson(depsOf(store), '  Joana.Silva@Example.com ');
    expect(personExportSchema.safeParse(exported).success).toBe(true);
    expect(exported.programs.map((p) => [p.programId, p.participant.participantId, p.participant.name, p.declaration?.name])).toEqual([
      ['lideranca', 'j-77', 'Joana Silva', 'Joana Silva'],
      ['mentoria', 'p01', 'Joana Silva', 'Joana Silva'],
    ]);
    const cycle = exported.cycles.find((c) => c.cycleId === 'mentoria-2026')!;
    expect(cycle.member?.name).toBe('Joana Silva');
    expect(cycle.pairs.map((p) => p.pairId)).toEqual(['p01~p02']);
    expect(cycle.responses.map((r) => r.phaseKey).sort()).toEqual(['enrollment', 'feedback', 'goal-setting', 'measure', 'run#1']);
    expect(cycle.invitationDecision?.decision).toBe('accepted');
    expect(cycle.flags).toHaveLength(1);
    expect(cycle.meetings.map((m) => m.meetingId)).toEqual(['m1']);
    expect(cycle.sessionRegistrations.map((r) => r.sessionId)).toEqual(['s1']);
    expect(cycle.sessionsAttended).toEqual(['s1']);
    expect(cycle.emails.map((e) => [e.idempotencyKey, e.status])).toEqual([
      ['goal-setting#invitation#p01', 'sent'],
      ['introduction#p01~p02#p02', 'sent'],
    ]);
    expect(exported.auditEntries.map((e) => e.auditId)).toEqual(['a1']);
    expect(exported.suppressed).toBe(false);
  });

  it('records the export in the audit log with the actor and counts, never the address', async () => {
    const store = await seeded();
    await exportPersonAudited(depsOf(store), hr, ERASED_EMAIL);
    const [entry] = await store.listAudit({});
    expect(entry).toMatchObject({ actor: hr.actor, via: 'cli', action: 'person.exported', details: { programs: 2, cycles: 2 } });
    expect(JSON.stringify(entry)).not.toContain('joana');
  });

  it('refuses an address on no roster with a not-found error, and a malformed one with a validation error', async () => {
    const store = await seeded();
    await expect(exportPerson(depsOf(store), 'nobody@example.com')).rejects.toThrow(NotFoundError);
    await expect(exportPerson(depsOf(store), 'not-an-address')).rejects.toThrow(ValidationError);
  });
});

describe('person erasure', () => {
  it('without confirmation only says what would be removed and changes nothing', async () => {
    const store = await seeded();
    const before = await cycleDump(store, 'mentoria-2026');
    const outcome = await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: false });
    expect(outcome).toMatchObject({ outcome: 'dry-run', summary: { programs: 2, cycles: 2, responses: 10, pairs: 2, meetings: 2, emails: 4 } });
    expect(await cycleDump(store, 'mentoria-2026')).toBe(before);
    expect(await store.isSuppressed(suppressionKeyOf(signer)(ERASED_EMAIL))).toBe(false);
  });

  it('removes every personal field and id from every program and cycle, keeping other people whole', async () => {
    const store = await seeded();
    const outcome = await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true });
    expect(outcome.outcome).toBe('erased');
    expect(await store.findParticipantsByEmail(ERASED_EMAIL)).toEqual([]);
    for (const [programId, joanaId] of [
      ['mentoria', 'p01'],
      ['lideranca', 'j-77'],
    ] as const) {
      const dump = await cycleDump(store, `${programId}-2026`);
      for (const trace of ['Joana', 'joana', GOAL_TEXT, NOTE_TEXT, FEEDBACK_TEXT, `"${joanaId}"`, `#${joanaId}`, `${joanaId}~`, 'America/Sao_Paulo'])
        expect(dump, `${programId}: ${trace}`).not.toContain(trace);
      expect(await store.getDeclaration(programId, joanaId)).toBeUndefined();
      expect(JSON.stringify(await store.getProgram(programId))).not.toContain(`"${joanaId}"`);
      // The partner keeps their own data; the pair page has no name to show for Joana.
      const partner = await store.getMember(`${programId}-2026`, 'p02');
      expect(partner).toMatchObject({ name: 'Person p02', email: 'p02@example.com' });
      expect(partner?.partners.map((p) => p.name)).toEqual(['']);
      // Answers stay counted, as numbers only, under an id that leads nowhere.
      const measures = await store.listResponses(`${programId}-2026`, 'measure');
      expect(measures).toHaveLength(6);
      const anonymous = measures.find((r) => r.participantId.startsWith('erased-'));
      expect(anonymous?.answer).toEqual({ ratings: { ai: 4 }, goalAttainment: [80] });
      // What the partner wrote stays, with Joana's name redacted.
      expect((await store.getResponse(`${programId}-2026`, 'run#1', 'p02'))?.answer).toEqual({ status: 'met', note: 'Met [name] on Tuesday' });
      // Erased members receive nothing more.
      expect((await store.listMembers(`${programId}-2026`)).find((m) => m.participantId.startsWith('erased-'))).toMatchObject({ declined: true, email: '' });
    }
    expect(await store.isSuppressed(suppressionKeyOf(signer)(ERASED_EMAIL))).toBe(true);
    expect(await store.getErasure(suppressionKeyOf(signer)(ERASED_EMAIL))).toMatchObject({ status: 'completed', targets: [] });
  });

  it('uses random tombstones: erasing the same data twice gives ids that share nothing with the person', async () => {
    const first = await seeded();
    const second = await seeded();
    await erasePerson({ ...depsOf(first), newId: () => crypto.randomUUID() }, hr, ERASED_EMAIL, { confirm: true });
    await erasePerson({ ...depsOf(second), newId: () => crypto.randomUUID() }, hr, ERASED_EMAIL, { confirm: true });
    const tombstoneOf = async (store: InMemoryStore) =>
      (await store.listResponses('mentoria-2026', 'measure')).find((r) => r.participantId.startsWith('erased-'))?.participantId;
    expect(await tombstoneOf(first)).not.toBe(await tombstoneOf(second));
  });

  it('is a no-op the second time', async () => {
    const store = await seeded();
    await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true });
    const after = await cycleDump(store, 'mentoria-2026');
    const audited = (await store.listAudit({})).length;
    expect(await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true })).toEqual({ outcome: 'already-erased', erasedAt: NOW });
    expect(await cycleDump(store, 'mentoria-2026')).toBe(after);
    expect((await store.listAudit({})).length).toBe(audited);
  });

  it('completes on a re-run after a crash midway, and the address is suppressed from the first write', async () => {
    class CrashingStore extends InMemoryStore {
      crashOn: string | undefined = 'lideranca-2026';
      override async eraseFromCycle(cycleId: string, subject: ErasureSubject) {
        if (cycleId === this.crashOn) {
          this.crashOn = undefined;
          throw new Error('Lambda timed out');
        }
        return super.eraseFromCycle(cycleId, subject);
      }
    }
    const store = (await seeded(new CrashingStore())) as CrashingStore;
    const key = suppressionKeyOf(signer)(ERASED_EMAIL);
    await expect(erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true })).rejects.toThrow('Lambda timed out');
    expect(await store.getErasure(key)).toMatchObject({ status: 'started' });
    expect(await store.isSuppressed(key)).toBe(true);

    const outcome = await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true });
    expect(outcome).toMatchObject({ outcome: 'erased', resumed: true });
    for (const cycleId of ['mentoria-2026', 'lideranca-2026']) expect(await cycleDump(store, cycleId)).not.toContain('Joana');
    expect(await store.getErasure(key)).toMatchObject({ status: 'completed', targets: [] });
    const erasures = (await store.listAudit({})).filter((e) => e.action === 'person.erased');
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ actor: hr.actor, details: { programs: 2, resumed: true } });
    expect(JSON.stringify(erasures[0])).not.toContain('joana');
  });

  it('leaves the report still suppressing figures from fewer than five answers', async () => {
    const store = await seeded();
    await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true });
    const cycle = (await store.getCycle('mentoria-2026'))!;
    const { input } = await gatherReviewInput(store, cycle);
    expect(input.responses.feedback).toHaveLength(4);
    const metrics = computeCycleMetrics(input);
    expect(metrics.satisfaction.suppressed).toBe(true);
    expect(metrics.netPromoterScore).toBeNull();
  });

  it('never sends to an erased address again, while other addresses are sent to', async () => {
    const store = await seeded(new InMemoryStore(async () => suppressionKeyOf(signer)));
    await erasePerson(depsOf(store), hr, ERASED_EMAIL, { confirm: true });
    const sent: OutgoingEmail[] = [];
    const mailer: Mailer = { send: async (email) => (sent.push(email), { messageId: `m${sent.length}` }) };
    const email = (to: string): OutgoingEmail => ({ from: 'hr@example.com', to, subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' });
    const deps = { emailLog: store, mailer, clock };
    expect(await sendOnce(deps, 'lideranca-2026', 'feedback#reminder-0#x', email(ERASED_EMAIL))).toBe('rejected');
    expect(await sendOnce(deps, 'lideranca-2026', 'feedback#reminder-0#x', email(ERASED_EMAIL))).toBe('rejected');
    expect(await sendOnce(deps, 'lideranca-2026', 'feedback#reminder-0#p02', email('p02@example.com'))).toBe('sent');
    expect(sent.map((e) => e.to)).toEqual(['p02@example.com']);
  });
});

describe('erasedRecord', () => {
  const subject = { participantId: 'p1', tombstoneId: 'erased-x', email: 'p1@example.com', names: ['Ana Lima'] };
  it('replaces the id only where it stands whole inside composite ids', () => {
    expect(erasedRecord({ pairId: 'p1~p10', key: 'run#2#check-in#p1', other: 'p10', skill: 'p1x' }, subject)).toEqual({
      pairId: 'erased-x~p10',
      key: 'run#2#check-in#erased-x',
      other: 'p10',
      skill: 'p1x',
    });
  });
  it('keeps the shape of their answers with every text emptied, and redacts their name from what others wrote', () => {
    expect(
      erasedRecord(
        [
          { participantId: 'p1', answer: { worked: 'Ana liked it', missingSkills: ['x'], satisfaction: 9, teaches: [{ skill: 'ai', level: 3 }] } },
          { participantId: 'p2', answer: { worked: 'Ana Lima helped me; lima juice' } },
        ],
        subject,
      ),
    ).toEqual([
      { participantId: 'erased-x', answer: { worked: '', missingSkills: [], satisfaction: 9, teaches: [{ skill: 'ai', level: 3 }] } },
      { participantId: 'p2', answer: { worked: '[name] helped me; [name] juice' } },
    ]);
  });
  it('gives the same record when applied twice', () => {
    const once = erasedRecord({ participantId: 'p1', name: 'Ana', email: 'p1@example.com', answer: { goals: ['x'], baseline: { ai: 3 } } }, subject);
    expect(erasedRecord(once, subject)).toEqual(once);
  });
});

describe('retention', () => {
  it('defaults to two years and refuses periods outside 30 days to ten years', () => {
    expect(program('p').retentionDays).toBe(DEFAULT_RETENTION_DAYS);
    const base = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')) as ProgramInput;
    expect(programSchema.safeParse({ ...base, retentionDays: 29 }).success).toBe(false);
    expect(programSchema.safeParse({ ...base, retentionDays: 3651 }).success).toBe(false);
    expect(programSchema.safeParse({ ...base, retentionDays: 90 }).success).toBe(true);
  });

  it('sets the TTL of an ended cycle to its end plus the program’s retention, in epoch seconds, and none on a running one', async () => {
    const store = new InMemoryStore();
    const prog = { ...program('p'), retentionDays: 90 };
    await store.createCycle(newCycle(prog, 'c1', NOW - 10 * DAY));
    expect(await expireEndedCycle(store, 'c1')).toEqual({ expiresAt: undefined, complete: true });
    await store.markStopped('c1', NOW);
    expect(await expireEndedCycle(store, 'c1')).toEqual({ expiresAt: NOW / 1000 + 90 * 86_400, complete: true });
    expect(await store.getCycleExpiry('c1')).toBe(NOW / 1000 + 90 * 86_400);
  });
});
