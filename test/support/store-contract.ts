import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newCycle, type ApprovalState, type Cycle, type Member, type Pair, type PhaseState, type StoredResponse } from '../../domain/cycle.ts';
import { declarationOf, type DeclineAnswer, type EnrollmentAnswer, type JoinAnswer } from '../../domain/enrollment.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { CycleSummary } from '../../domain/metrics.ts';
import { participantSchema, type Participant, type ParticipantInput } from '../../domain/participant.ts';
import { programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import type { ForumSuggestion, InvitationDecision, RematchRecord } from '../../services/participant-records.ts';
import type { AuditEntry, StoredReview, TandemStore } from '../../services/ports.ts';
import type { InfoSession } from '../../domain/sessions.ts';
import { consecutivePairs, memberOf } from './cohort-fixtures.ts';

/*
 * The behaviour every implementation of the store ports shares, written once and run against
 * the in-memory store (unit tier) and the DynamoDB store on DynamoDB Local (integration tier).
 * Tests share one table there, so every test works under ids of its own.
 */

const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const HOUR = 3_600_000;
const T0 = Date.UTC(2027, 2, 1);
/** A meeting's day as read before its write: no meeting logged yet. */
const NONE_BEFORE = { meetings: 0, minutes: 0 };

function programFor(programId: string): Program {
  const base = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')) as ProgramInput;
  return programSchema.parse({ ...base, programId });
}

function participantFor(participantId: string, details: Partial<ParticipantInput> = {}): Participant {
  return participantSchema.parse({
    participantId,
    name: `Person ${participantId}`,
    email: `${participantId}@example.com`,
    department: 'IT',
    birthYear: 1990,
    seniority: 3,
    skillsOffered: [{ skill: 'ai-tools', level: 4 }],
    skillsWanted: [{ skill: 'negotiation', priority: 2 }],
    languages: ['en'],
    ...details,
  });
}

const pendingReview = (revision: number): ApprovalState => ({
  openedAt: T0,
  deadline: T0 + 48 * HOUR,
  status: 'pending',
  revision,
  bans: [],
  locks: [],
  excluded: [],
  unmatched: [],
  stale: false,
});

const openState = (expected = 4): PhaseState => ({ openedAt: T0, deadline: T0 + 24 * HOUR, expected });

const answer = (cycleId: string, phaseKey: string, participantId: string, value: unknown = { rating: 3 }): StoredResponse => ({
  cycleId,
  phaseKey,
  participantId,
  answer: value,
  recordedAt: T0 + HOUR,
});

const summaryOf = (cycleId: string, startedAt: number): CycleSummary => ({
  cycleId,
  startedAt,
  members: 4,
  pairs: 2,
  responseRate: { goalSetting: 1, measure: 0.75, feedback: null },
  crossDepartmentShare: 0.5,
  crossGenerationShare: 1,
  juniorTaughtSeniorMeanGain: 1.5,
  seniorTaughtJuniorMeanGain: null,
  digitalMeanGain: null,
  bothWaysShare: 0.5,
  goalAttainmentMeanPercent: 80,
  checkInAdherence: 0.9,
  netPromoterScore: null,
  atRiskPairs: 0,
  departmentLinks: ['IT~Sales'],
});

const reviewOf = (cycle: Cycle): StoredReview => ({
  cycleId: cycle.cycleId,
  programId: cycle.programId,
  startedAt: cycle.startedAt,
  generatedAt: cycle.startedAt + 100 * 24 * HOUR,
  reportPath: `/reports/${cycle.cycleId}.html`,
  summary: summaryOf(cycle.cycleId, cycle.startedAt),
  proposals: [],
});

const suggestionOf = (cycleId: string, suggestionId: string, text = `text of ${suggestionId}`): ForumSuggestion => ({
  cycleId,
  suggestionId,
  category: 'more',
  text,
  createdAt: T0 + HOUR,
});

/** Registers the contract's `describe` blocks; `createStore` gives the store under test (one per test or shared). */
export function describeStoreContract(createStore: () => TandemStore | Promise<TandemStore>): void {
  /** A running cycle of a fresh program, created in the store. */
  async function runningCycle(store: TandemStore, startedAt = T0): Promise<Cycle> {
    const program = programFor(uniqueId('program'));
    await store.putProgram(program);
    const cycle = newCycle(program, uniqueId('cycle'), startedAt);
    expect(await store.createCycle(cycle)).toBe(true);
    return cycle;
  }

  /** A running cycle with four members in two pairs and goal-setting open. */
  async function cycleAtGoalSetting(store: TandemStore): Promise<{ cycle: Cycle; members: Member[]; pairs: Pair[] }> {
    const cycle = await runningCycle(store);
    const ids = ['p01', 'p02', 'p03', 'p04'];
    const members = ids.map((id) => memberOf(id));
    const pairs = consecutivePairs(ids);
    await store.putCohort(cycle.cycleId, members, pairs);
    await store.openPhase(cycle.cycleId, 'goal-setting', openState(4));
    return { cycle, members, pairs };
  }

  describe('programs and rosters', () => {
    it('returns a program as it was put, and the latest version after a second put', async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      await store.putProgram(program);
      expect(await store.getProgram(program.programId)).toEqual(program);
      await store.putProgram({ ...program, name: 'Renamed' });
      expect((await store.getProgram(program.programId))?.name).toBe('Renamed');
      expect(await store.getProgram(uniqueId('missing'))).toBeUndefined();
    });

    it('applies concurrent changes to one program one after the other, losing none', async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      await store.putProgram(program);
      const names = ['a', 'b', 'c', 'd', 'e'];
      await Promise.all(
        names.map((name) =>
          store.modifyProgram(program.programId, (current) => ({
            ...current,
            rosterMappings: { ...current.rosterMappings, [name]: { columns: {}, values: {}, defaults: {} } },
          })),
        ),
      );
      const stored = await store.getProgram(program.programId);
      expect(Object.keys(stored?.rosterMappings ?? {}).sort()).toEqual(names);
      expect(stored).toEqual({ ...program, rosterMappings: expect.any(Object) });
    });

    it('writes nothing when a change returns nothing, and names a missing program', async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      await store.putProgram(program);
      expect(await store.modifyProgram(program.programId, () => undefined)).toEqual(program);
      expect(await store.getProgram(program.programId)).toEqual(program);
      await expect(store.modifyProgram(uniqueId('missing'), (p) => p)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists every program once, by id, with its latest settings', async () => {
      const store = await createStore();
      const first = programFor(uniqueId('program-a'));
      const second = programFor(uniqueId('program-b'));
      await store.putProgram(second);
      await store.putProgram(first);
      await store.putProgram({ ...first, name: 'Renamed' });
      const listed = (await store.listPrograms()).filter((p) => p.programId === first.programId || p.programId === second.programId);
      expect(listed).toEqual([{ ...first, name: 'Renamed' }, second].sort((a, b) => a.programId.localeCompare(b.programId)));
    });

    it('has nothing to list again for a program saved through the store, and changes nothing when asked', async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      await store.putProgram(program);
      expect(await store.indexUnlistedPrograms()).not.toContain(program.programId);
      expect(await store.getProgram(program.programId)).toEqual(program);
      expect((await store.listPrograms()).filter((p) => p.programId === program.programId)).toEqual([program]);
    });

    it('counts participants written and unchanged, so a re-import of the same roster writes nothing', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      const roster = ['p1', 'p2', 'p3'].map((id) => participantFor(id));
      expect(await store.putParticipants(programId, roster)).toEqual({ written: 3, unchanged: 0 });
      expect(await store.putParticipants(programId, roster)).toEqual({ written: 0, unchanged: 3 });
      const edited = roster.map((p) => (p.participantId === 'p2' ? { ...p, department: 'Sales' } : p));
      expect(await store.putParticipants(programId, edited)).toEqual({ written: 1, unchanged: 2 });
      expect((await store.listParticipants(programId)).find((p) => p.participantId === 'p2')?.department).toBe('Sales');
    });

    it('lists a roster in the byte order of participant ids, each participant as it was put', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      const roster = ['b', 'a-2', 'B', '10', '9', 'a'].map((id) => participantFor(id));
      await store.putParticipants(programId, roster);
      const listed = await store.listParticipants(programId);
      expect(listed.map((p) => p.participantId)).toEqual(['10', '9', 'B', 'a', 'a-2', 'b']);
      expect(listed.find((p) => p.participantId === 'a')).toEqual(participantFor('a'));
      expect(await store.listParticipants(uniqueId('empty'))).toEqual([]);
    });

    it('reads one participant by id as it was put, with its current status, and nobody for an unknown id', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      await store.putParticipants(programId, [participantFor('p1'), participantFor('p2')]);
      await store.setParticipantStatus(programId, 'p2', 'opted-out');
      expect(await store.getParticipant(programId, 'p1')).toEqual(participantFor('p1'));
      expect(await store.getParticipant(programId, 'p2')).toEqual({ ...participantFor('p2'), status: 'opted-out' });
      expect(await store.getParticipant(programId, 'nobody')).toBeUndefined();
      expect(await store.getParticipant(uniqueId('empty'), 'p1')).toBeUndefined();
    });

    it('changes a participant status, and a re-import of the unchanged roster row then writes it again', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      await store.putParticipants(programId, [participantFor('p1'), participantFor('p2')]);
      await store.setParticipantStatus(programId, 'p1', 'unreachable');
      expect((await store.listParticipants(programId)).map((p) => [p.participantId, p.status])).toEqual([
        ['p1', 'unreachable'],
        ['p2', 'active'],
      ]);
      expect(await store.putParticipants(programId, [participantFor('p1'), participantFor('p2')])).toEqual({ written: 1, unchanged: 1 });
      expect((await store.listParticipants(programId))[0]?.status).toBe('active');
    });

    it('keeps the time of a person’s own opt-out, the first one, and no such mark for other status changes', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      await store.putParticipants(programId, [participantFor('p1'), participantFor('p2')]);
      await store.setParticipantStatus(programId, 'p1', 'opted-out', 1000);
      await store.setParticipantStatus(programId, 'p1', 'opted-out', 2000);
      await store.setParticipantStatus(programId, 'p2', 'opted-out');
      expect(await store.getParticipant(programId, 'p1')).toEqual({ ...participantFor('p1'), status: 'opted-out', ownOptOutAt: 1000 });
      expect((await store.getParticipant(programId, 'p2'))?.ownOptOutAt).toBeUndefined();
    });

    it('refuses a status change for someone not on the roster', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      await store.putParticipants(programId, [participantFor('p1')]);
      await expect(store.setParticipantStatus(programId, 'nobody', 'opted-out')).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.listParticipants(programId)).toHaveLength(1);
    });

    it('finds everyone with an address in every program, whatever its case and surrounding spaces', async () => {
      const store = await createStore();
      const [first, second, other] = [uniqueId('program-b'), uniqueId('program-a'), uniqueId('program-c')];
      const email = `${uniqueId('shared')}@example.com`;
      await store.putParticipants(first, [participantFor('p1', { email }), participantFor('p2')]);
      await store.putParticipants(second, [participantFor('q7', { email })]);
      await store.putParticipants(other, [participantFor('p1')]);
      const found = await store.findParticipantsByEmail(`  ${email.toUpperCase()} `);
      expect(found).toEqual([
        { programId: second, participantId: 'q7' },
        { programId: first, participantId: 'p1' },
      ]);
      expect(await store.findParticipantsByEmail(`${uniqueId('nobody')}@example.com`)).toEqual([]);
    });

    it('keeps stored state apart from the objects callers pass in and get back', async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      const skills = program.skillsCatalog.length;
      await store.putProgram(program);
      program.skillsCatalog.pop();
      const read = await store.getProgram(program.programId);
      read?.hrContacts.push('intruder@example.com');
      expect((await store.getProgram(program.programId))?.skillsCatalog).toHaveLength(skills);
      expect((await store.getProgram(program.programId))?.hrContacts).toEqual(['rh@example.com']);

      const roster = [participantFor('p1')];
      await store.putParticipants(program.programId, roster);
      (roster[0] as Participant).languages.push('fr');
      const [listed] = await store.listParticipants(program.programId);
      listed?.languages.push('de');
      expect((await store.listParticipants(program.programId))[0]?.languages).toEqual(['en']);
    });
  });

  describe('cycles', () => {
    it('creates a cycle once and returns it as created', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      expect(await store.createCycle({ ...cycle, status: 'failed' })).toBe(false);
      expect(await store.getCycle(cycle.cycleId)).toEqual(cycle);
      expect(await store.getCycle(uniqueId('missing'))).toBeUndefined();
    });

    it("lists a program's cycles oldest first, and only that program's", async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      const base = uniqueId('cycle');
      const later = newCycle(program, `${base}-a`, T0 + 10 * HOUR);
      const earlier = newCycle(program, `${base}-z`, T0);
      const sameTimeB = newCycle(program, `${base}-b-same`, T0 + 5 * HOUR);
      const sameTimeA = newCycle(program, `${base}-B-same`, T0 + 5 * HOUR);
      for (const c of [later, earlier, sameTimeB, sameTimeA]) await store.createCycle(c);
      await runningCycle(store);
      const listed = await store.listCycles(program.programId);
      // Same start: by cycle id, upper case before lower case.
      expect(listed.map((c) => c.cycleId)).toEqual([earlier, sameTimeA, sameTimeB, later].map((c) => c.cycleId));
      expect(listed[0]).toEqual(earlier);
      expect(await store.listCycles(uniqueId('empty'))).toEqual([]);
    });

    it('records the execution of a cycle, and refuses one for a cycle that does not exist', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.setExecution(cycle.cycleId, 'arn:aws:states:local:0:execution:tandem:x');
      expect((await store.getCycle(cycle.cycleId))?.executionArn).toBe('arn:aws:states:local:0:execution:tandem:x');
      await expect(store.setExecution(uniqueId('missing'), 'arn')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('stores the cohort, lists members and pairs by id and counts them on the cycle; a repeat changes nothing', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const ids = ['p04', 'p01', 'p03', 'p02'];
      const members = ids.map((id) => memberOf(id, { teaches: ['ai'] }));
      const pairs = consecutivePairs(ids);
      await store.putCohort(cycle.cycleId, members, pairs);
      await store.putCohort(cycle.cycleId, members, pairs);
      expect((await store.listMembers(cycle.cycleId)).map((m) => m.participantId)).toEqual(['p01', 'p02', 'p03', 'p04']);
      expect(await store.getMember(cycle.cycleId, 'p03')).toEqual(members[2]);
      expect(await store.getMember(cycle.cycleId, 'p99')).toBeUndefined();
      expect(await store.listPairs(cycle.cycleId)).toEqual([pairs[1], pairs[0]]);
      expect(await store.getPair(cycle.cycleId, 'p03~p04')).toEqual(pairs.find((p) => p.pairId === 'p03~p04'));
      expect(await store.getPair(cycle.cycleId, 'p99~p98')).toBeUndefined();
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.participants, stored?.pairs]).toEqual([4, 2]);
      expect(await store.listMembers(uniqueId('missing'))).toEqual([]);
      expect(await store.listPairs(uniqueId('missing'))).toEqual([]);
    });

    it('opens HR’s review of the pairs once, at the approval phase; a repeat returns the review as first opened', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const first = pendingReview(0);
      expect(await store.openApproval(cycle.cycleId, first)).toEqual(first);
      expect(await store.openApproval(cycle.cycleId, { ...first, deadline: T0 + 99 * HOUR })).toEqual(first);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.currentPhase, stored?.approval]).toEqual(['approval', first]);
      await expect(store.openApproval(uniqueId('missing'), first)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('changes the review only from the revision it read, and never once it was decided', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.openApproval(cycle.cycleId, pendingReview(0));
      const banned: ApprovalState = { ...pendingReview(1), bans: [['p01', 'p02']], stale: true };
      expect(await store.updateApproval(cycle.cycleId, 0, banned)).toBe(true);
      expect(await store.updateApproval(cycle.cycleId, 0, pendingReview(1))).toBe(false);
      expect((await store.getCycle(cycle.cycleId))?.approval).toEqual(banned);
      expect(await store.updateApproval(cycle.cycleId, 1, { ...banned, revision: 2, status: 'approved', decidedBy: 'hr' })).toBe(true);
      expect(await store.updateApproval(cycle.cycleId, 2, { ...banned, revision: 3 })).toBe(false);
      expect((await store.getCycle(cycle.cycleId))?.approval?.status).toBe('approved');
    });

    it('never changes the review or the cohort of a cycle that is no longer running', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const ids = ['p01', 'p02', 'p03', 'p04'];
      await store.putCohort(
        cycle.cycleId,
        ids.map((id) => memberOf(id)),
        consecutivePairs(ids),
      );
      await store.openApproval(cycle.cycleId, pendingReview(0));
      await store.markStopped(cycle.cycleId, T0 + HOUR);
      expect(await store.updateApproval(cycle.cycleId, 0, { ...pendingReview(1), status: 'approved', decidedBy: 'hr' })).toBe(false);
      expect(await store.replaceCohort(cycle.cycleId, 0, { members: [memberOf('p09')], pairs: [] }, pendingReview(1))).toBe(false);
      expect((await store.getCycle(cycle.cycleId))?.approval).toEqual(pendingReview(0));
      expect((await store.listMembers(cycle.cycleId)).map((m) => m.participantId)).toEqual(ids);
    });

    it('replaces the whole cohort with a re-solved one: members and pairs no longer proposed are gone', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const before = ['p01', 'p02', 'p03', 'p04'];
      await store.putCohort(
        cycle.cycleId,
        before.map((id) => memberOf(id)),
        consecutivePairs(before),
      );
      await store.openApproval(cycle.cycleId, pendingReview(0));
      const after = ['p01', 'p03', 'p02', 'p05'];
      const resolved = { ...pendingReview(1), unmatched: [{ participantId: 'p04', reason: 'excluded' }] };
      expect(await store.replaceCohort(cycle.cycleId, 0, { members: after.map((id) => memberOf(id)), pairs: consecutivePairs(after) }, resolved)).toBe(true);
      expect((await store.listMembers(cycle.cycleId)).map((m) => m.participantId)).toEqual(['p01', 'p02', 'p03', 'p05']);
      expect((await store.listPairs(cycle.cycleId)).map((p) => p.pairId)).toEqual(['p01~p03', 'p02~p05']);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.participants, stored?.pairs, stored?.approval]).toEqual([4, 2, resolved]);
      // A re-solve from a revision that is no longer current writes nothing.
      expect(await store.replaceCohort(cycle.cycleId, 0, { members: [memberOf('p09')], pairs: [] }, pendingReview(1))).toBe(false);
      expect((await store.listMembers(cycle.cycleId)).map((m) => m.participantId)).toEqual(['p01', 'p02', 'p03', 'p05']);
    });

    it('refuses to count a cohort for a cycle that does not exist', async () => {
      const store = await createStore();
      await expect(store.putCohort(uniqueId('missing'), [memberOf('p01')], [])).rejects.toBeInstanceOf(NotFoundError);
    });

    it('opens a phase once: a repeat returns the phase as first opened', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const first = openState(4);
      expect(await store.openPhase(cycle.cycleId, 'goal-setting', first)).toEqual(first);
      expect(await store.openPhase(cycle.cycleId, 'goal-setting', { ...first, deadline: first.deadline + HOUR, expected: 9 })).toEqual(first);
      const stored = await store.getCycle(cycle.cycleId);
      expect(stored?.phases['goal-setting']).toEqual(first);
      expect(stored?.currentPhase).toBe('goal-setting');
      await expect(store.openPhase(uniqueId('missing'), 'run', openState())).rejects.toBeInstanceOf(NotFoundError);
    });

    it("updates only the named fields of an open phase's window", async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.openPhase(cycle.cycleId, 'run', openState(0));
      await store.updatePhase(cycle.cycleId, 'run', { checkInRoundsSent: [1, 2], invitationsDone: true });
      await store.updatePhase(cycle.cycleId, 'run', {});
      await store.updatePhase(cycle.cycleId, 'run', { missesChecked: [1] });
      expect((await store.getCycle(cycle.cycleId))?.phases.run).toEqual({
        ...openState(0),
        checkInRoundsSent: [1, 2],
        invitationsDone: true,
        missesChecked: [1],
      });
      await expect(store.updatePhase(uniqueId('missing'), 'run', { invitationsDone: true })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('closes a phase once, keeping the first closing time, and ignores a phase never opened', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.openPhase(cycle.cycleId, 'measure', openState());
      await store.closePhase(cycle.cycleId, 'measure', T0 + 2 * HOUR);
      await store.closePhase(cycle.cycleId, 'measure', T0 + 3 * HOUR);
      await store.closePhase(cycle.cycleId, 'feedback', T0 + 3 * HOUR);
      await store.closePhase(uniqueId('missing'), 'feedback', T0);
      const stored = await store.getCycle(cycle.cycleId);
      expect(stored?.phases.measure?.closedAt).toBe(T0 + 2 * HOUR);
      expect(stored?.phases.feedback).toBeUndefined();
    });

    it('sets the current phase of an existing cycle only', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.setCurrentPhase(cycle.cycleId, 'review');
      expect((await store.getCycle(cycle.cycleId))?.currentPhase).toBe('review');
      await expect(store.setCurrentPhase(uniqueId('missing'), 'review')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('keeps stored cycles apart from the objects callers pass in and get back', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      cycle.responses.measure = 99;
      const read = await store.getCycle(cycle.cycleId);
      (read as Cycle).responses['goal-setting'] = 5;
      (read as Cycle).program.hrContacts.push('intruder@example.com');
      const again = await store.getCycle(cycle.cycleId);
      expect(again?.responses).toEqual({});
      expect(again?.program.hrContacts).toEqual(['rh@example.com']);

      const state = openState();
      await store.openPhase(cycle.cycleId, 'run', state);
      state.remindersSent = [0];
      const members = [memberOf('p01')];
      await store.putCohort(cycle.cycleId, members, []);
      (members[0] as Member).teaches.push('ai');
      (await store.getMember(cycle.cycleId, 'p01'))?.learns.push('ai');
      expect((await store.getCycle(cycle.cycleId))?.phases.run?.remindersSent).toBeUndefined();
      expect(await store.getMember(cycle.cycleId, 'p01')).toEqual(memberOf('p01'));
    });
  });

  describe('responses', () => {
    it('records one answer per person and phase key, counting it once', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const first = answer(cycle.cycleId, 'goal-setting', 'p01', { goals: ['one'] });
      expect(await store.recordResponse(first)).toBe('recorded');
      expect(await store.recordResponse({ ...first, answer: { goals: ['two'] } })).toBe('already-answered');
      expect(await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p02'))).toBe('recorded');
      expect((await store.getCycle(cycle.cycleId))?.responses).toEqual({ 'goal-setting': 2 });
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p01')).toEqual(first);
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p03')).toBeUndefined();
    });

    it('reads a cycle, one member and their answers under the phase keys asked, together', async () => {
      const store = await createStore();
      const { cycle, members } = await cycleAtGoalSetting(store);
      const goals = answer(cycle.cycleId, 'goal-setting', 'p01', { goals: ['one'] });
      expect(await store.recordResponse(goals)).toBe('recorded');
      expect(await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p02'))).toBe('recorded');

      const view = await store.getParticipantView(cycle.cycleId, 'p01', ['goal-setting', 'measure', 'goal-setting']);
      expect(view.cycle).toEqual(await store.getCycle(cycle.cycleId));
      expect(view.cycle?.responses).toEqual({ 'goal-setting': 2 });
      expect(view.member).toEqual(members[0]);
      expect([...view.answers]).toEqual([['goal-setting', goals]]);

      const withoutAnswers = await store.getParticipantView(cycle.cycleId, 'p03', []);
      expect(withoutAnswers.member).toEqual(members[2]);
      expect(withoutAnswers.answers.size).toBe(0);
      const stranger = await store.getParticipantView(cycle.cycleId, 'p99', ['goal-setting']);
      expect(stranger.cycle?.cycleId).toBe(cycle.cycleId);
      expect(stranger.member).toBeUndefined();
      expect(stranger.answers.size).toBe(0);
      const missing = await store.getParticipantView(uniqueId('missing'), 'p01', ['goal-setting']);
      expect(missing).toEqual({ answers: new Map() });
    });

    it('counts check-in answers per round', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.openPhase(cycle.cycleId, 'run', openState(0));
      for (const [key, who] of [
        ['run#1', 'p01'],
        ['run#1', 'p02'],
        ['run#2', 'p01'],
      ] as const)
        expect(await store.recordResponse(answer(cycle.cycleId, key, who))).toBe('recorded');
      expect((await store.getCycle(cycle.cycleId))?.responses).toEqual({ 'run#1': 2, 'run#2': 1 });
    });

    it('refuses an answer while its phase is not open, after it closed, or once the cycle ended', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      expect(await store.recordResponse(answer(cycle.cycleId, 'measure', 'p01'))).toBe('phase-closed');
      expect(await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p01'))).toBe('recorded');
      await store.closePhase(cycle.cycleId, 'goal-setting', T0 + 2 * HOUR);
      expect(await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p02'))).toBe('phase-closed');
      expect(await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p01'))).toBe('already-answered');
      await store.openPhase(cycle.cycleId, 'measure', openState());
      await store.markStopped(cycle.cycleId, T0 + 3 * HOUR);
      expect(await store.recordResponse(answer(cycle.cycleId, 'measure', 'p01'))).toBe('phase-closed');
      expect(await store.recordResponse(answer(uniqueId('missing'), 'measure', 'p01'))).toBe('phase-closed');
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p02')).toBeUndefined();
      expect((await store.getCycle(cycle.cycleId))?.responses).toEqual({ 'goal-setting': 1 });
    });

    it('refuses a phase key that names no phase', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      await expect(store.recordResponse(answer(cycle.cycleId, 'identify', 'p01'))).rejects.toBeInstanceOf(RangeError);
    });

    it('lists the answers whose phase key starts with a prefix, by phase key and then participant', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.openPhase(cycle.cycleId, 'run', openState(0));
      await store.openPhase(cycle.cycleId, 'goal-setting', openState());
      for (const [key, who] of [
        ['run#2', 'p01'],
        ['run#10', 'p02'],
        ['run#1', 'p02'],
        ['run#1', 'p01'],
        ['goal-setting', 'p03'],
      ] as const)
        await store.recordResponse(answer(cycle.cycleId, key, who));
      const keysOf = (list: StoredResponse[]) => list.map((r) => `${r.phaseKey}/${r.participantId}`);
      expect(keysOf(await store.listResponses(cycle.cycleId, 'run#'))).toEqual(['run#1/p01', 'run#1/p02', 'run#10/p02', 'run#2/p01']);
      expect(keysOf(await store.listResponses(cycle.cycleId, 'run#1#'))).toEqual(['run#1/p01', 'run#1/p02']);
      expect(await store.listResponses(cycle.cycleId, 'goal-setting')).toEqual([answer(cycle.cycleId, 'goal-setting', 'p03')]);
      expect(await store.listResponses(cycle.cycleId, 'measure')).toEqual([]);
    });
  });

  describe('cycle outcomes', () => {
    it('marks a running cycle succeeded with its report, at review', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.markSucceeded(cycle.cycleId, '/reports/r.html', T0 + 100 * HOUR);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.status, stored?.reportPath, stored?.endedAt, stored?.currentPhase]).toEqual(['succeeded', '/reports/r.html', T0 + 100 * HOUR, 'review']);
    });

    it('lets the first outcome win: a failure keeps its first cause, and an ended cycle stays as it ended', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      expect(await store.markFailed(cycle.cycleId, { error: 'TransientError', cause: 'first' }, T0 + HOUR)).toBe(true);
      expect(await store.markFailed(cycle.cycleId, { error: 'Other', cause: 'second' }, T0 + 2 * HOUR)).toBe(false);
      await store.markSucceeded(cycle.cycleId, '/reports/late.html', T0 + 3 * HOUR);
      await store.markStopped(cycle.cycleId, T0 + 4 * HOUR);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.status, stored?.failure, stored?.endedAt, stored?.reportPath]).toEqual([
        'failed',
        { error: 'TransientError', cause: 'first' },
        T0 + HOUR,
        undefined,
      ]);
    });

    it('stops a running cycle once, and a stopped cycle can no longer fail', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.markStopped(cycle.cycleId, T0 + HOUR);
      await store.markStopped(cycle.cycleId, T0 + 2 * HOUR);
      expect(await store.markFailed(cycle.cycleId, { error: 'E', cause: 'c' }, T0 + 3 * HOUR)).toBe(false);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.status, stored?.endedAt, stored?.failure]).toEqual(['stopped', T0 + HOUR, undefined]);
    });

    it('runs a failed cycle again when it is resumed, and resumes only a failed one', async () => {
      const store = await createStore();
      const failed = await runningCycle(store);
      await store.markFailed(failed.cycleId, { error: 'MailServerDown', cause: 'first' }, T0 + HOUR);
      const stopped = await runningCycle(store);
      await store.markStopped(stopped.cycleId, T0 + HOUR);

      expect(await store.markResumed(failed.cycleId)).toBe(true);
      expect(await store.markResumed(failed.cycleId)).toBe(false);
      expect(await store.markResumed(stopped.cycleId)).toBe(false);
      expect(await store.markResumed(uniqueId('missing'))).toBe(false);
      const resumed = await store.getCycle(failed.cycleId);
      expect([resumed?.status, resumed?.failure, resumed?.endedAt]).toEqual(['running', undefined, undefined]);
      expect((await store.getCycle(stopped.cycleId))?.status).toBe('stopped');
      expect(await store.markFailed(failed.cycleId, { error: 'Again', cause: 'second' }, T0 + 2 * HOUR)).toBe(true);
    });

    it('ignores outcomes for a cycle that does not exist', async () => {
      const store = await createStore();
      const missing = uniqueId('missing');
      await store.markSucceeded(missing, '/r.html', T0);
      await store.markStopped(missing, T0);
      expect(await store.markFailed(missing, { error: 'E', cause: 'c' }, T0)).toBe(false);
      expect(await store.getCycle(missing)).toBeUndefined();
    });
  });

  describe('audit log', () => {
    const entryAt = (programId: string | undefined, auditId: string, at: number): AuditEntry => ({
      auditId,
      at,
      actor: 'hr@example.com',
      via: 'console',
      action: 'pairs.approved',
      ...(programId === undefined ? {} : { programId }),
      cycleId: 'cycle-1',
      details: { pairs: 4, locked: 1, automatic: false },
    });

    it("lists a program's entries newest first, from a time on and up to a limit", async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      const entries = [T0 + 2 * HOUR, T0, T0 + HOUR, T0 + 3 * HOUR].map((at, i) => entryAt(programId, `a${i}`, at));
      for (const entry of entries) await store.recordAudit(entry);
      await store.recordAudit(entryAt(uniqueId('other'), 'elsewhere', T0 + HOUR));
      expect((await store.listAudit({ programId })).map((e) => e.auditId)).toEqual(['a3', 'a0', 'a2', 'a1']);
      expect(await store.listAudit({ programId })).toContainEqual(entries[0]);
      expect((await store.listAudit({ programId, since: T0 + HOUR })).map((e) => e.auditId)).toEqual(['a3', 'a0', 'a2']);
      expect((await store.listAudit({ programId, limit: 2 })).map((e) => e.auditId)).toEqual(['a3', 'a0']);
      expect(await store.listAudit({ programId: uniqueId('empty') })).toEqual([]);
    });

    it('keeps the first entry when the same action is recorded again', async () => {
      const store = await createStore();
      const programId = uniqueId('program');
      await store.recordAudit(entryAt(programId, 'same', T0));
      await store.recordAudit({ ...entryAt(programId, 'same', T0), actor: 'someone-else@example.com' });
      expect((await store.listAudit({ programId })).map((e) => e.actor)).toEqual(['hr@example.com']);
    });

    it('keeps actions across programs apart from every program', async () => {
      const store = await createStore();
      const auditId = uniqueId('erase');
      await store.recordAudit({ ...entryAt(undefined, auditId, T0), action: 'person.erased' });
      expect((await store.listAudit({})).map((e) => e.auditId)).toContain(auditId);
      expect((await store.listAudit({})).find((e) => e.auditId === auditId)?.programId).toBeUndefined();
    });
  });

  describe('reviews', () => {
    it('stores a review, marks it applied once, and a rewritten review keeps that mark', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const review = reviewOf(cycle);
      await store.putReview(review);
      expect(await store.getReview(cycle.cycleId)).toEqual(review);
      expect(await store.markReviewApplied(cycle.cycleId, 'next-1', T0 + 200 * HOUR)).toBe(true);
      expect(await store.markReviewApplied(cycle.cycleId, 'next-2', T0 + 201 * HOUR)).toBe(false);
      await store.putReview({ ...review, reportPath: '/reports/again.html' });
      expect(await store.getReview(cycle.cycleId)).toEqual({
        ...review,
        reportPath: '/reports/again.html',
        appliedTo: { cycleId: 'next-1', appliedAt: T0 + 200 * HOUR },
      });
      expect(await store.markReviewApplied(uniqueId('missing'), 'next', T0)).toBe(false);
      expect(await store.getReview(uniqueId('missing'))).toBeUndefined();
    });

    it('does not take an applied mark from the review it is given', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.putReview({ ...reviewOf(cycle), appliedTo: { cycleId: 'forged', appliedAt: T0 } });
      expect((await store.getReview(cycle.cycleId))?.appliedTo).toBeUndefined();
      expect(await store.markReviewApplied(cycle.cycleId, 'next', T0)).toBe(true);
    });

    it("lists the reviews of a program's succeeded cycles, oldest first", async () => {
      const store = await createStore();
      const program = programFor(uniqueId('program'));
      await store.putProgram(program);
      const cycles = [T0 + 30 * HOUR, T0, T0 + 10 * HOUR, T0 + 20 * HOUR].map((at) => newCycle(program, uniqueId('cycle'), at));
      for (const c of cycles) await store.createCycle(c);
      const [newest, oldest, middle, unreviewed] = cycles as [Cycle, Cycle, Cycle, Cycle];
      for (const c of [newest, oldest, middle]) {
        await store.markSucceeded(c.cycleId, `/reports/${c.cycleId}.html`, c.startedAt + HOUR);
        await store.putReview(reviewOf(c));
      }
      await store.markSucceeded(unreviewed.cycleId, '/reports/none.html', T0 + 21 * HOUR);
      const failed = newCycle(program, uniqueId('cycle'), T0 + 40 * HOUR);
      await store.createCycle(failed);
      await store.putReview(reviewOf(failed));
      await store.markFailed(failed.cycleId, { error: 'E', cause: 'c' }, T0 + 41 * HOUR);
      expect((await store.listReviews(program.programId)).map((r) => r.cycleId)).toEqual([oldest, middle, newest].map((c) => c.cycleId));
      expect(await store.listReviews(uniqueId('empty'))).toEqual([]);
    });
  });

  describe('email log', () => {
    it('claims a key once, counts the email when marked sent, and reports it sent after', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      expect(await store.claim(cycle.cycleId, 'goal-setting#invitation#p01', 'p01@example.com', T0)).toBe('claimed');
      expect(await store.claim(cycle.cycleId, 'goal-setting#invitation#p01', 'p01@example.com', T0 + 1000)).toBe('in-flight');
      await store.markSent(cycle.cycleId, 'goal-setting#invitation#p01', 'message-1', T0 + 2000);
      await store.markSent(cycle.cycleId, 'goal-setting#invitation#p01', 'message-1', T0 + 3000);
      expect(await store.claim(cycle.cycleId, 'goal-setting#invitation#p01', 'p01@example.com', T0 + 10 * HOUR)).toBe('already-sent');
      expect((await store.getCycle(cycle.cycleId))?.emailsSent).toBe(1);
    });

    it('lets a released claim be claimed again, and a sent email stays sent', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const key = 'review#hr#hr@example.com';
      expect(await store.claim(cycle.cycleId, key, 'hr@example.com', T0)).toBe('claimed');
      await store.release(cycle.cycleId, key, 'throttled '.repeat(100));
      await store.markSent(cycle.cycleId, key, 'too-late', T0 + 1000);
      expect((await store.getCycle(cycle.cycleId))?.emailsSent).toBe(0);
      expect(await store.claim(cycle.cycleId, key, 'hr@example.com', T0 + 2000)).toBe('claimed');
      await store.markSent(cycle.cycleId, key, 'message-2', T0 + 3000);
      await store.release(cycle.cycleId, key, 'a late failure');
      await store.release(cycle.cycleId, 'never-claimed', 'nothing to release');
      expect(await store.claim(cycle.cycleId, key, 'hr@example.com', T0 + 4000)).toBe('already-sent');
      expect((await store.getCycle(cycle.cycleId))?.emailsSent).toBe(1);
    });

    it('takes over a claim left unsent for more than five minutes', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const key = 'measure#reminder-0#p02';
      expect(await store.claim(cycle.cycleId, key, 'p02@example.com', T0)).toBe('claimed');
      expect(await store.claim(cycle.cycleId, key, 'p02@example.com', T0 + 5 * 60_000)).toBe('in-flight');
      expect(await store.claim(cycle.cycleId, key, 'p02@example.com', T0 + 5 * 60_000 + 1)).toBe('claimed');
      expect(await store.claim(cycle.cycleId, key, 'p02@example.com', T0 + 5 * 60_000 + 2)).toBe('in-flight');
    });

    it('keeps one log per cycle', async () => {
      const store = await createStore();
      const [a, b] = [await runningCycle(store), await runningCycle(store)];
      await store.claim(a.cycleId, 'same-key', 'x@example.com', T0);
      await store.markSent(a.cycleId, 'same-key', 'm', T0);
      expect(await store.claim(b.cycleId, 'same-key', 'x@example.com', T0)).toBe('claimed');
    });

    it('lists the keys under a prefix that are marked sent, leaving out claimed, released and other prefixes', async () => {
      const store = await createStore();
      const [cycle, other] = [await runningCycle(store), await runningCycle(store)];
      const send = async (cycleId: string, key: string) => {
        await store.claim(cycleId, key, 'x@example.com', T0);
        await store.markSent(cycleId, key, `message-${key}`, T0 + 1000);
      };
      await send(cycle.cycleId, 'run#1#p01');
      await send(cycle.cycleId, 'run#1#p02');
      await send(cycle.cycleId, 'run#10#p03');
      await send(cycle.cycleId, 'measure#invitation#p01');
      await send(other.cycleId, 'run#1#p04');
      await store.claim(cycle.cycleId, 'run#1#p05', 'x@example.com', T0);
      await store.claim(cycle.cycleId, 'run#1#p06', 'x@example.com', T0);
      await store.release(cycle.cycleId, 'run#1#p06', 'throttled');
      expect([...(await store.sentKeys(cycle.cycleId, 'run#1#'))].sort()).toEqual(['run#1#p01', 'run#1#p02']);
      expect(await store.sentKeys(cycle.cycleId, 'feedback#invitation#')).toEqual(new Set());
    });

    it('lists every sent key of a batch larger than one page of a query', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      // An entry of about 40 KB (a long address stands in for size): 30 of them span two 1 MB pages of a DynamoDB query.
      const keys = Array.from({ length: 30 }, (_, i) => `goal-setting#invitation#p${String(i).padStart(5, '0')}`);
      const to = `${'x'.repeat(40_000)}@example.com`;
      for (const key of keys) {
        await store.claim(cycle.cycleId, key, to, T0);
        await store.markSent(cycle.cycleId, key, 'm', T0);
      }
      expect([...(await store.sentKeys(cycle.cycleId, 'goal-setting#invitation#'))].sort()).toEqual(keys);
    });
  });

  describe('invitation decisions and rematches', () => {
    it('records an acceptance once and counts it', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const decision: InvitationDecision = { cycleId: cycle.cycleId, participantId: 'p01', decision: 'accepted', partnerIds: ['p02'], decidedAt: T0 + HOUR };
      expect(await store.recordInvitationDecision(decision)).toBe('recorded');
      expect(await store.recordInvitationDecision({ ...decision, decision: 'declined' })).toBe('already-decided');
      expect(await store.getInvitationDecision(cycle.cycleId, 'p01')).toEqual(decision);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.invitationsAccepted, stored?.invitationsDeclined, stored?.phases['goal-setting']?.expected]).toEqual([1, undefined, 4]);
    });

    it('records a decline: the member is marked declined and goal-setting expects one answer fewer', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const decline: InvitationDecision = {
        cycleId: cycle.cycleId,
        participantId: 'p02',
        decision: 'declined',
        reason: 'no time',
        partnerIds: ['p01'],
        decidedAt: T0 + HOUR,
      };
      expect(await store.recordInvitationDecision(decline)).toBe('recorded');
      expect(await store.recordInvitationDecision(decline)).toBe('already-decided');
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.invitationsAccepted, stored?.invitationsDeclined, stored?.phases['goal-setting']?.expected]).toEqual([undefined, 1, 3]);
      expect((await store.getMember(cycle.cycleId, 'p02'))?.declined).toBe(true);
      expect((await store.getMember(cycle.cycleId, 'p01'))?.declined).toBeUndefined();
    });

    it('records a goal-setting answer with its acceptance at once, counting both once', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const acceptance: InvitationDecision = { cycleId: cycle.cycleId, participantId: 'p01', decision: 'accepted', partnerIds: ['p02'], decidedAt: T0 + HOUR };
      const goals = answer(cycle.cycleId, 'goal-setting', 'p01', { goals: ['Negotiate'] });
      expect(await store.recordResponseWithAcceptance(goals, acceptance)).toBe('recorded');
      expect(await store.recordResponseWithAcceptance(goals, acceptance)).toBe('already-answered');
      expect(await store.getInvitationDecision(cycle.cycleId, 'p01')).toEqual(acceptance);
      expect((await store.getResponse(cycle.cycleId, 'goal-setting', 'p01'))?.answer).toEqual({ goals: ['Negotiate'] });
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.responses['goal-setting'], stored?.invitationsAccepted]).toEqual([1, 1]);
      expect(await store.recordInvitationDecision({ ...acceptance, decision: 'declined' })).toBe('already-decided');
    });

    it('refuses, and writes nothing of, an answer with acceptance once the person decided', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const decline: InvitationDecision = { cycleId: cycle.cycleId, participantId: 'p02', decision: 'declined', partnerIds: ['p01'], decidedAt: T0 + HOUR };
      expect(await store.recordInvitationDecision(decline)).toBe('recorded');
      const goals = answer(cycle.cycleId, 'goal-setting', 'p02', { goals: ['Negotiate'] });
      expect(await store.recordResponseWithAcceptance(goals, { ...decline, decision: 'accepted' })).toBe('already-decided');
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p02')).toBeUndefined();
      expect(await store.getInvitationDecision(cycle.cycleId, 'p02')).toEqual(decline);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.responses['goal-setting'], stored?.invitationsAccepted, stored?.phases['goal-setting']?.expected]).toEqual([undefined, undefined, 3]);
    });

    it('lets exactly one of a decline and an answer sent at the same moment through, never both', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      for (const participantId of ['p01', 'p02', 'p03', 'p04']) {
        const decision = { cycleId: cycle.cycleId, participantId, partnerIds: [], decidedAt: T0 + HOUR };
        const [declined, answered] = await Promise.all([
          store.recordInvitationDecision({ ...decision, decision: 'declined' }),
          store.recordResponseWithAcceptance(answer(cycle.cycleId, 'goal-setting', participantId), { ...decision, decision: 'accepted' }),
        ]);
        expect([declined, answered].filter((outcome) => outcome === 'recorded')).toHaveLength(1);
        const stored = await store.getInvitationDecision(cycle.cycleId, participantId);
        const response = await store.getResponse(cycle.cycleId, 'goal-setting', participantId);
        expect(stored?.decision === 'declined' ? response : stored?.decision).toBe(stored?.decision === 'declined' ? undefined : 'accepted');
        if (stored?.decision === 'accepted') expect(response).toBeDefined();
      }
      const stored = await store.getCycle(cycle.cycleId);
      expect((stored?.invitationsAccepted ?? 0) + (stored?.invitationsDeclined ?? 0)).toBe(4);
      expect(stored?.responses['goal-setting'] ?? 0).toBe(stored?.invitationsAccepted ?? 0);
      expect(stored?.phases['goal-setting']?.expected).toBe(4 - (stored?.invitationsDeclined ?? 0));
    });

    it('refuses a decision unless goal-setting is open in a running cycle', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.putCohort(cycle.cycleId, [memberOf('p01'), memberOf('p02')], consecutivePairs(['p01', 'p02']));
      const decision: InvitationDecision = { cycleId: cycle.cycleId, participantId: 'p01', decision: 'declined', partnerIds: ['p02'], decidedAt: T0 };
      expect(await store.recordInvitationDecision(decision)).toBe('phase-closed');
      await store.openPhase(cycle.cycleId, 'goal-setting', openState(2));
      await store.closePhase(cycle.cycleId, 'goal-setting', T0 + HOUR);
      expect(await store.recordInvitationDecision(decision)).toBe('phase-closed');
      expect(await store.recordInvitationDecision({ ...decision, cycleId: uniqueId('missing') })).toBe('phase-closed');
      expect(await store.getInvitationDecision(cycle.cycleId, 'p01')).toBeUndefined();
      expect((await store.getMember(cycle.cycleId, 'p01'))?.declined).toBeUndefined();
      expect((await store.getCycle(cycle.cycleId))?.phases['goal-setting']?.expected).toBe(2);
    });

    it('refuses, and records nothing of, a decline by someone who is not a member', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      await expect(
        store.recordInvitationDecision({ cycleId: cycle.cycleId, participantId: 'stranger', decision: 'declined', partnerIds: [], decidedAt: T0 }),
      ).rejects.toThrow();
      expect(await store.getInvitationDecision(cycle.cycleId, 'stranger')).toBeUndefined();
      expect((await store.getCycle(cycle.cycleId))?.phases['goal-setting']?.expected).toBe(4);
    });

    it('lists decisions by participant id', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      for (const id of ['p03', 'p01', 'p02'])
        await store.recordInvitationDecision({ cycleId: cycle.cycleId, participantId: id, decision: 'accepted', partnerIds: [], decidedAt: T0 });
      expect((await store.listInvitationDecisions(cycle.cycleId)).map((d) => d.participantId)).toEqual(['p01', 'p02', 'p03']);
      expect(await store.listInvitationDecisions(uniqueId('missing'))).toEqual([]);
    });

    it('stores a rematch with its new pair: the old pair declined, members replaced, the cycle counting the newcomers', async () => {
      const store = await createStore();
      const { cycle, members } = await cycleAtGoalSetting(store);
      // p02 declined p01; p01 is matched with p05, who was not in the cohort.
      const newPair: Pair = { ...(consecutivePairs(['p01', 'p05'])[0] as Pair) };
      const p01 = { ...(members[0] as Member), partners: [{ participantId: 'p05', name: 'p05', pairId: newPair.pairId, role: 'mentee' as const }] };
      const p05 = memberOf('p05', { partners: [{ participantId: 'p01', name: 'p01', pairId: newPair.pairId, role: 'mentor' }] });
      const rematch: RematchRecord = {
        cycleId: cycle.cycleId,
        rematchId: 'p01~p02',
        previousPairId: 'p01~p02',
        declinedBy: 'p02',
        freedParticipantId: 'p01',
        newPairId: newPair.pairId,
        newPartnerId: 'p05',
        notify: ['p01', 'p05'],
        at: T0 + HOUR,
      };
      await store.putRematch(rematch, { newPair, members: [p01, p05], newMembers: 1 });
      expect(await store.listRematches(cycle.cycleId)).toEqual([rematch]);
      const pairs = await store.listPairs(cycle.cycleId);
      expect(pairs.map((p) => [p.pairId, p.status, p.declinedBy])).toEqual([
        ['p01~p02', 'declined', 'p02'],
        ['p01~p05', undefined, undefined],
        ['p03~p04', undefined, undefined],
      ]);
      expect(await store.getMember(cycle.cycleId, 'p01')).toEqual(p01);
      expect(await store.getMember(cycle.cycleId, 'p05')).toEqual(p05);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.participants, stored?.phases['goal-setting']?.expected, stored?.rematches]).toEqual([5, 5, 1]);
    });

    it('refuses, writing nothing, a second rematch of the same pair and one whose members changed since it read them', async () => {
      const store = await createStore();
      const { cycle, members } = await cycleAtGoalSetting(store);
      const pairWith = (a: string, b: string) => consecutivePairs([a, b])[0] as Pair;
      const partnerIn = (pair: Pair, id: string) => ({ participantId: id, name: id, pairId: pair.pairId, role: 'mentee' as const });
      const first = pairWith('p01', 'p05');
      const p01 = { ...(members[0] as Member), partners: [partnerIn(first, 'p05')] };
      const p05 = memberOf('p05', { partners: [{ ...partnerIn(first, 'p01'), role: 'mentor' }] });
      const rematch: RematchRecord = {
        cycleId: cycle.cycleId,
        rematchId: 'p01~p02',
        previousPairId: 'p01~p02',
        declinedBy: 'p02',
        freedParticipantId: 'p01',
        newPairId: first.pairId,
        newPartnerId: 'p05',
        notify: ['p01', 'p05'],
        at: T0 + HOUR,
      };
      // The fixture's members are stored with no partners.
      const read = { p01: 0, p05: null };
      expect(await store.putRematch(rematch, { newPair: first, members: [p01, p05], newMembers: 1, partnersRead: read })).toBe('stored');
      // The same decline posted twice.
      expect(await store.putRematch({ ...rematch, at: T0 + 2 * HOUR }, { newPair: first, members: [p01, p05], newMembers: 1, partnersRead: read })).toBe(
        'changed-meanwhile',
      );
      // Another decline at the same moment (p04 left p03) chose p05 too, read before p05 was paired.
      const second = pairWith('p03', 'p05');
      const other: RematchRecord = {
        ...rematch,
        rematchId: 'p03~p04',
        previousPairId: 'p03~p04',
        declinedBy: 'p04',
        freedParticipantId: 'p03',
        newPairId: second.pairId,
      };
      const p03 = { ...(members[2] as Member), partners: [partnerIn(second, 'p05')] };
      const p05Again = memberOf('p05', { partners: [{ ...partnerIn(second, 'p03'), role: 'mentor' }] });
      expect(await store.putRematch(other, { newPair: second, members: [p03, p05Again], newMembers: 1, partnersRead: { p03: 0, p05: null } })).toBe(
        'changed-meanwhile',
      );
      expect((await store.listRematches(cycle.cycleId)).map((r) => [r.rematchId, r.at])).toEqual([['p01~p02', T0 + HOUR]]);
      expect(await store.getMember(cycle.cycleId, 'p05')).toEqual(p05);
      expect((await store.listPairs(cycle.cycleId)).map((p) => [p.pairId, p.status])).toEqual([
        ['p01~p02', 'declined'],
        ['p01~p05', undefined],
        ['p03~p04', undefined],
      ]);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.participants, stored?.phases['goal-setting']?.expected, stored?.rematches]).toEqual([5, 5, 1]);
    });

    it('sets aside with a rematch the acceptance and answer the freed person gave their first partner, all or nothing', async () => {
      const store = await createStore();
      const { cycle, members } = await cycleAtGoalSetting(store);
      const acceptance = { cycleId: cycle.cycleId, participantId: 'p01', decision: 'accepted' as const, partnerIds: ['p02'], decidedAt: T0 };
      expect(await store.recordResponseWithAcceptance(answer(cycle.cycleId, 'goal-setting', 'p01'), acceptance)).toBe('recorded');
      const newPair: Pair = { ...(consecutivePairs(['p01', 'p05'])[0] as Pair) };
      const p01 = {
        ...(members[0] as Member),
        partners: [{ participantId: 'p05', name: 'p05', pairId: newPair.pairId, role: 'mentee' as const }],
        keptAnswer: { goals: ['g'], baseline: {}, acceptedPartnerIds: ['p02'] },
      };
      const p05 = memberOf('p05', { partners: [{ participantId: 'p01', name: 'p01', pairId: newPair.pairId, role: 'mentor' }] });
      const rematch: RematchRecord = {
        cycleId: cycle.cycleId,
        rematchId: 'p01~p02',
        previousPairId: 'p01~p02',
        declinedBy: 'p02',
        freedParticipantId: 'p01',
        newPairId: newPair.pairId,
        newPartnerId: 'p05',
        notify: ['p01', 'p05'],
        askedAgainIds: ['p01'],
        at: T0 + HOUR,
      };
      const changes = { newPair, members: [p01, p05], newMembers: 1, setAside: [{ participantId: 'p01', answered: true }] };
      await store.putRematch(rematch, changes);
      expect(await store.getInvitationDecision(cycle.cycleId, 'p01')).toBeUndefined();
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p01')).toBeUndefined();
      expect((await store.getMember(cycle.cycleId, 'p01'))?.keptAnswer).toEqual(p01.keptAnswer);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.invitationsAccepted, stored?.responses['goal-setting'], stored?.phases['goal-setting']?.expected, stored?.rematches]).toEqual([
        0, 0, 5, 1,
      ]);
      // Once set aside, there is nothing to set aside: a replay writes nothing.
      expect(await store.putRematch({ ...rematch, rematchId: 'again' }, changes)).toBe('changed-meanwhile');
      expect((await store.listRematches(cycle.cycleId)).map((r) => r.rematchId)).toEqual(['p01~p02']);
      // The freed person now answers for the new pair.
      expect(await store.recordResponseWithAcceptance(answer(cycle.cycleId, 'goal-setting', 'p01'), { ...acceptance, partnerIds: ['p05'] })).toBe('recorded');
      expect((await store.getCycle(cycle.cycleId))?.invitationsAccepted).toBe(1);
    });

    it('sets aside the earlier acceptances of both members of a new pair in one rematch, counting each', async () => {
      const store = await createStore();
      const { cycle, members } = await cycleAtGoalSetting(store);
      // p01 accepted p02 and answered; p03 accepted p04 without answering yet. p02 and p04 declined.
      expect(
        await store.recordResponseWithAcceptance(answer(cycle.cycleId, 'goal-setting', 'p01'), {
          cycleId: cycle.cycleId,
          participantId: 'p01',
          decision: 'accepted',
          partnerIds: ['p02'],
          decidedAt: T0,
        }),
      ).toBe('recorded');
      await store.recordInvitationDecision({ cycleId: cycle.cycleId, participantId: 'p03', decision: 'accepted', partnerIds: ['p04'], decidedAt: T0 });
      const before = await store.getCycle(cycle.cycleId);
      const newPair: Pair = { ...(consecutivePairs(['p01', 'p03'])[0] as Pair) };
      const p01 = { ...(members[0] as Member), partners: [{ participantId: 'p03', name: 'p03', pairId: newPair.pairId, role: 'mentee' as const }] };
      const p03 = { ...(members[2] as Member), partners: [{ participantId: 'p01', name: 'p01', pairId: newPair.pairId, role: 'mentor' as const }] };
      const rematch: RematchRecord = {
        cycleId: cycle.cycleId,
        rematchId: 'p01~p02',
        previousPairId: 'p01~p02',
        declinedBy: 'p02',
        freedParticipantId: 'p01',
        newPairId: newPair.pairId,
        newPartnerId: 'p03',
        notify: ['p01', 'p03'],
        askedAgainIds: ['p01', 'p03'],
        at: T0 + HOUR,
      };
      await store.putRematch(rematch, {
        newPair,
        members: [p01, p03],
        newMembers: 0,
        setAside: [
          { participantId: 'p01', answered: true },
          { participantId: 'p03', answered: false },
        ],
      });
      expect(await store.getInvitationDecision(cycle.cycleId, 'p01')).toBeUndefined();
      expect(await store.getInvitationDecision(cycle.cycleId, 'p03')).toBeUndefined();
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p01')).toBeUndefined();
      const after = await store.getCycle(cycle.cycleId);
      expect((before?.invitationsAccepted ?? 0) - (after?.invitationsAccepted ?? 0)).toBe(2);
      expect((before?.responses['goal-setting'] ?? 0) - (after?.responses['goal-setting'] ?? 0)).toBe(1);
    });

    it('stores a rematch that found no new partner, counting only the rematch', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const rematch: RematchRecord = {
        cycleId: cycle.cycleId,
        rematchId: 'p03~p04',
        previousPairId: 'p03~p04',
        declinedBy: 'p03',
        freedParticipantId: 'p04',
        notify: [],
        reason: 'no one left to pair with',
        at: T0 + HOUR,
      };
      await store.putRematch(rematch, { members: [], newMembers: 0 });
      await store.putRematch(
        { ...rematch, rematchId: 'p01~p02', previousPairId: 'p01~p02', declinedBy: 'p01', freedParticipantId: 'p02' },
        { members: [], newMembers: 0 },
      );
      expect((await store.listRematches(cycle.cycleId)).map((r) => r.rematchId)).toEqual(['p01~p02', 'p03~p04']);
      const stored = await store.getCycle(cycle.cycleId);
      expect([stored?.participants, stored?.phases['goal-setting']?.expected, stored?.rematches]).toEqual([4, 4, 2]);
      expect(await store.listRematches(uniqueId('missing'))).toEqual([]);
    });
  });

  describe('pair flags', () => {
    it('creates a flag on first use and adds each later reason to it, keeping the first time', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const help = { participantId: 'p03', kind: 'need-help' as const, round: 1, note: 'stuck', at: T0 + HOUR };
      const misses = { participantId: 'p04', kind: 'two-misses' as const, round: 3, at: T0 + 5 * HOUR };
      await store.flagPair(cycle.cycleId, 'p03~p04', help);
      await store.flagPair(cycle.cycleId, 'p03~p04', misses);
      await store.flagPair(cycle.cycleId, 'p01~p02', misses);
      expect(await store.listPairFlags(cycle.cycleId)).toEqual([
        { cycleId: cycle.cycleId, pairId: 'p01~p02', firstFlaggedAt: T0 + 5 * HOUR, reasons: [misses] },
        { cycleId: cycle.cycleId, pairId: 'p03~p04', firstFlaggedAt: T0 + HOUR, reasons: [help, misses] },
      ]);
      expect(await store.listPairFlags(uniqueId('missing'))).toEqual([]);
    });
  });

  describe('meetings', () => {
    it('logs a meeting once per meeting id and lists the cycle’s meetings, or one pair’s, by pair and id', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      const meeting = {
        cycleId: cycle.cycleId,
        pairId: 'p03~p04',
        meetingId: 'm-b',
        loggedBy: 'p03',
        source: 'pair-page' as const,
        date: '2027-01-12',
        minutes: 45,
        skills: [{ skill: 'ai-tools', direction: 'by-mentor' as const }],
        loggedAt: T0 + HOUR,
      };
      expect(await store.recordMeeting(meeting, NONE_BEFORE)).toBe('recorded');
      expect(await store.recordMeeting({ ...meeting, minutes: 90 }, NONE_BEFORE)).toBe('already-recorded');
      const other = { ...meeting, pairId: 'p01~p02', meetingId: 'm-a', source: 'check-in' as const, skills: [] };
      const { minutes: _minutes, ...withoutMinutes } = other;
      expect(await store.recordMeeting(withoutMinutes, NONE_BEFORE)).toBe('recorded');
      expect(await store.listMeetings(cycle.cycleId)).toEqual([withoutMinutes, meeting]);
      expect(await store.listMeetings(uniqueId('missing'))).toEqual([]);
      expect(await store.listMeetingsOfPair(cycle.cycleId, 'p03~p04')).toEqual([meeting]);
      // A pair whose id starts like another's ('p01~p0' before 'p01~p02') does not pick up that pair's meetings.
      expect(await store.listMeetingsOfPair(cycle.cycleId, 'p01~p0')).toEqual([]);
      expect(await store.listMeetingsOfPair(cycle.cycleId, 'p01~p02')).toEqual([withoutMinutes]);
    });

    it('writes a check-in’s meeting exactly when its answer is recorded', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      await store.openPhase(cycle.cycleId, 'run', openState());
      const meeting = {
        cycleId: cycle.cycleId,
        pairId: 'p01~p02',
        meetingId: 'check-in-1-p01',
        loggedBy: 'p01',
        source: 'check-in' as const,
        date: '2027-01-12',
        skills: [],
        loggedAt: T0 + HOUR,
      };
      expect(await store.recordResponse(answer(cycle.cycleId, 'run#1', 'p01', { status: 'not-yet' }))).toBe('recorded');
      expect(await store.recordResponseWithMeeting(answer(cycle.cycleId, 'run#1', 'p01', { status: 'met' }), meeting, NONE_BEFORE)).toBe('already-answered');
      expect(await store.listMeetings(cycle.cycleId)).toEqual([]);
      const met = answer(cycle.cycleId, 'run#1', 'p02', { status: 'met' });
      const theirs = { ...meeting, meetingId: 'check-in-1-p02', loggedBy: 'p02' };
      expect(await store.recordResponseWithMeeting(met, theirs, NONE_BEFORE)).toBe('recorded');
      expect(await store.listMeetings(cycle.cycleId)).toEqual([theirs]);
      expect((await store.getCycle(cycle.cycleId))?.responses).toMatchObject({ 'run#1': 2 });
      // A meeting with that id logged already (the partner's "we met" about the same day): nothing is written.
      const again = answer(cycle.cycleId, 'run#1', 'p03', { status: 'met' });
      expect(await store.recordResponseWithMeeting(again, { ...theirs, loggedBy: 'p03', minutes: 30 }, NONE_BEFORE)).toBe('meeting-logged-already');
      expect(await store.getResponse(cycle.cycleId, 'run#1', 'p03')).toBeUndefined();
      expect(await store.listMeetings(cycle.cycleId)).toEqual([theirs]);
      await store.closePhase(cycle.cycleId, 'run', T0 + 2 * HOUR);
      expect(
        await store.recordResponseWithMeeting(
          answer(cycle.cycleId, 'run#2', 'p03', { status: 'met' }),
          { ...meeting, meetingId: 'check-in-2-p03' },
          NONE_BEFORE,
        ),
      ).toBe('phase-closed');
      expect(await store.listMeetings(cycle.cycleId)).toEqual([theirs]);
    });

    it('refuses a meeting that would take its pair past the day’s limits, whatever the meetings read before said', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      await store.openPhase(cycle.cycleId, 'run', openState());
      const meeting = (meetingId: string, minutes: number) => ({
        cycleId: cycle.cycleId,
        pairId: 'p01~p02',
        meetingId,
        loggedBy: 'p01',
        source: 'pair-page' as const,
        date: '2027-01-12',
        minutes,
        skills: [],
        loggedAt: T0 + HOUR,
      });
      // Each write below was judged against no meeting (as two forms sent at the same instant are): the store's tally still holds the line.
      expect(await store.recordMeeting(meeting('m1', 600), NONE_BEFORE)).toBe('recorded');
      expect(await store.recordMeeting(meeting('m2', 600), NONE_BEFORE)).toBe('recorded');
      expect(await store.recordMeeting(meeting('m3', 245), NONE_BEFORE)).toBe('over-day-limit');
      expect(await store.recordMeeting(meeting('m3', 240), NONE_BEFORE)).toBe('recorded');
      expect(await store.recordMeeting(meeting('m4', 5), NONE_BEFORE)).toBe('over-day-limit');
      // A replay of a counted meeting is that meeting, not one more.
      expect(await store.recordMeeting(meeting('m2', 600), NONE_BEFORE)).toBe('already-recorded');
      expect(await store.recordMeeting({ ...meeting('m4', 5), date: '2027-01-13' }, NONE_BEFORE)).toBe('recorded');
      for (const id of ['m5', 'm6', 'm7']) expect(await store.recordMeeting({ ...meeting(id, 5), date: '2027-01-13' }, NONE_BEFORE)).toBe('recorded');
      expect(await store.recordMeeting({ ...meeting('m8', 5), date: '2027-01-13' }, NONE_BEFORE)).toBe('over-day-limit');
      const checkIn = { ...meeting('check-in-1-p02', 5), loggedBy: 'p02', source: 'check-in' as const, date: '2027-01-13' };
      expect(await store.recordResponseWithMeeting(answer(cycle.cycleId, 'run#1', 'p02', { status: 'met' }), checkIn, NONE_BEFORE)).toBe('over-day-limit');
      expect(await store.getResponse(cycle.cycleId, 'run#1', 'p02')).toBeUndefined();
      expect((await store.listMeetingsOfPair(cycle.cycleId, 'p01~p02')).map((m) => m.meetingId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    });
  });

  describe('forum suggestions and votes', () => {
    async function cycleAtFeedback(store: TandemStore): Promise<Cycle> {
      const { cycle } = await cycleAtGoalSetting(store);
      await store.openPhase(cycle.cycleId, 'feedback', openState());
      return cycle;
    }

    it('writes the suggestions exactly when the feedback answer is recorded', async () => {
      const store = await createStore();
      const cycle = await cycleAtFeedback(store);
      const suggestions = [suggestionOf(cycle.cycleId, 's-b'), suggestionOf(cycle.cycleId, 's-a')];
      const feedback = answer(cycle.cycleId, 'feedback', 'p01', { recommend: 9 });
      expect(await store.recordResponseWithSuggestions(feedback, suggestions)).toBe('recorded');
      expect(await store.recordResponseWithSuggestions(feedback, [suggestionOf(cycle.cycleId, 's-a', 'changed'), suggestionOf(cycle.cycleId, 's-c')])).toBe(
        'already-answered',
      );
      expect(await store.listSuggestions(cycle.cycleId)).toEqual([suggestions[1], suggestions[0]]);
      expect(await store.getResponse(cycle.cycleId, 'feedback', 'p01')).toEqual(feedback);
      expect((await store.getCycle(cycle.cycleId))?.responses).toEqual({ feedback: 1 });

      await store.closePhase(cycle.cycleId, 'feedback', T0 + 2 * HOUR);
      expect(await store.recordResponseWithSuggestions(answer(cycle.cycleId, 'feedback', 'p02'), [suggestionOf(cycle.cycleId, 's-d')])).toBe('phase-closed');
      expect((await store.listSuggestions(cycle.cycleId)).map((s) => s.suggestionId)).toEqual(['s-a', 's-b']);
      expect(await store.listSuggestions(uniqueId('missing'))).toEqual([]);
    });

    it('counts one vote per person and suggestion, and none for a suggestion that does not exist', async () => {
      const store = await createStore();
      const cycle = await cycleAtFeedback(store);
      await store.recordResponseWithSuggestions(answer(cycle.cycleId, 'feedback', 'p01'), [
        suggestionOf(cycle.cycleId, 's-a'),
        suggestionOf(cycle.cycleId, 's-b'),
      ]);
      expect(await store.addVote(cycle.cycleId, 's-b', 'p02', T0 + HOUR)).toBe('voted');
      expect(await store.addVote(cycle.cycleId, 's-a', 'p02', T0 + HOUR)).toBe('voted');
      expect(await store.addVote(cycle.cycleId, 's-b', 'p02', T0 + 2 * HOUR)).toBe('already-voted');
      expect(await store.addVote(cycle.cycleId, 's-b', 'p03', T0 + 2 * HOUR)).toBe('voted');
      expect(await store.addVote(cycle.cycleId, 's-zzz', 'p03', T0 + 2 * HOUR)).toBe('no-suggestion');
      expect((await store.listSuggestions(cycle.cycleId)).map((s) => [s.suggestionId, s.votes])).toEqual([
        ['s-a', 1],
        ['s-b', 2],
      ]);
      expect(await store.listVotesOf(cycle.cycleId, 'p02')).toEqual(['s-a', 's-b']);
      expect(await store.listVotesOf(cycle.cycleId, 'p03')).toEqual(['s-b']);
      expect(await store.listVotesOf(cycle.cycleId, 'p04')).toEqual([]);
    });
  });

  describe('enrollment answers', () => {
    const join = (name: string, teaches: Array<{ skill: string; level: number }> = [{ skill: 'ai-tools', level: 4 }]): JoinAnswer => ({
      decision: 'joined',
      name,
      department: 'IT',
      teaches,
      learns: [{ skill: 'negotiation', priority: 3 }],
      proposedSkills: ['Power BI'],
      languages: ['pt', 'en'],
      timeZone: 'America/Sao_Paulo',
      availability: ['tue-morning'],
      consent: true,
    });
    const declined: DeclineAnswer = { decision: 'declined', reason: '' };
    const enrollmentAnswer = (cycleId: string, participantId: string, value: EnrollmentAnswer, at = T0 + HOUR): StoredResponse<EnrollmentAnswer> => ({
      cycleId,
      phaseKey: 'enrollment',
      participantId,
      answer: value,
      recordedAt: at,
    });
    const declarationFor = (cycle: Cycle, participantId: string, value: JoinAnswer, at = T0 + HOUR) =>
      declarationOf(value, { programId: cycle.programId, participantId, cycleId: cycle.cycleId, declaredAt: at });
    async function cycleAtEnrollment(store: TandemStore): Promise<Cycle> {
      const cycle = await runningCycle(store);
      await store.openPhase(cycle.cycleId, 'enrollment', openState(3));
      return cycle;
    }
    const counts = async (store: TandemStore, cycleId: string) => {
      const cycle = await store.getCycle(cycleId);
      return { answered: cycle?.responses.enrollment, joined: cycle?.enrollmentJoined ?? 0, declined: cycle?.enrollmentDeclined ?? 0 };
    };

    it('records a join with the declaration the roster keeps, and counts the person once however often they change their answer', async () => {
      const store = await createStore();
      const cycle = await cycleAtEnrollment(store);
      const first = join('Ana Souza');
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', first), { declaration: declarationFor(cycle, 'p01', first) })).toBe(
        'recorded',
      );
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: 1, joined: 1, declined: 0 });
      const changed = join('Ana Souza', [{ skill: 'ai-tools', level: 5 }]);
      const outcome = await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', changed, T0 + 2 * HOUR), {
        previous: 'joined',
        declaration: declarationFor(cycle, 'p01', changed, T0 + 2 * HOUR),
      });
      expect(outcome).toBe('recorded');
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: 1, joined: 1, declined: 0 });
      expect((await store.getResponse(cycle.cycleId, 'enrollment', 'p01'))?.answer).toEqual(changed);
      expect(await store.getDeclaration(cycle.programId, 'p01')).toEqual(declarationFor(cycle, 'p01', changed, T0 + 2 * HOUR));
      expect(await store.listDeclarations(cycle.programId)).toEqual([declarationFor(cycle, 'p01', changed, T0 + 2 * HOUR)]);
      expect(await store.getDeclaration(cycle.programId, 'p02')).toBeUndefined();
    });

    it('moves a person between joined and declined when they change their mind, keeping their last declaration', async () => {
      const store = await createStore();
      const cycle = await cycleAtEnrollment(store);
      const joined = join('Bruno Lima');
      await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p02', joined), { declaration: declarationFor(cycle, 'p02', joined) });
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p02', declined), { previous: 'joined' })).toBe('recorded');
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: 1, joined: 0, declined: 1 });
      expect(await store.getDeclaration(cycle.programId, 'p02')).toEqual(declarationFor(cycle, 'p02', joined));
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p03', declined), {})).toBe('recorded');
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: 2, joined: 0, declined: 2 });
    });

    it('refuses an answer whose earlier decision changed meanwhile, writing nothing', async () => {
      const store = await createStore();
      const cycle = await cycleAtEnrollment(store);
      const joined = join('Carla Dias');
      await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', joined), { declaration: declarationFor(cycle, 'p01', joined) });
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', declined), {})).toBe('changed-meanwhile');
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', declined), { previous: 'declined' })).toBe('changed-meanwhile');
      const other = join('Somebody Else');
      expect(
        await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p04', other), {
          previous: 'joined',
          declaration: declarationFor(cycle, 'p04', other),
        }),
      ).toBe('changed-meanwhile');
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: 1, joined: 1, declined: 0 });
      expect((await store.getResponse(cycle.cycleId, 'enrollment', 'p01'))?.answer).toEqual(joined);
      expect(await store.getDeclaration(cycle.programId, 'p04')).toBeUndefined();
    });

    it('refuses answers once enrollment closed or before it opened, writing no declaration', async () => {
      const store = await createStore();
      const notOpen = await runningCycle(store);
      const joined = join('Davi Reis');
      expect(
        await store.recordEnrollmentAnswer(enrollmentAnswer(notOpen.cycleId, 'p01', joined), { declaration: declarationFor(notOpen, 'p01', joined) }),
      ).toBe('phase-closed');
      const cycle = await cycleAtEnrollment(store);
      await store.closePhase(cycle.cycleId, 'enrollment', T0 + 2 * HOUR);
      expect(await store.recordEnrollmentAnswer(enrollmentAnswer(cycle.cycleId, 'p01', joined), { declaration: declarationFor(cycle, 'p01', joined) })).toBe(
        'phase-closed',
      );
      expect(await store.getResponse(cycle.cycleId, 'enrollment', 'p01')).toBeUndefined();
      expect(await store.getDeclaration(cycle.programId, 'p01')).toBeUndefined();
      expect(await counts(store, cycle.cycleId)).toEqual({ answered: undefined, joined: 0, declined: 0 });
    });
  });

  describe('informational sessions', () => {
    const sessionOf = (cycleId: string, sessionId: string, capacity: number): InfoSession => ({
      cycleId,
      sessionId,
      title: `Session ${sessionId}`,
      description: 'What it is about',
      skills: ['ai-tools'],
      startsAt: T0 + 48 * HOUR,
      timeZone: 'America/Sao_Paulo',
      durationMinutes: 60,
      place: 'Room 4',
      capacity,
      audience: 'learners',
      createdAt: T0,
      seatsTaken: 0,
    });

    it('creates a session once, lists the cycle’s sessions by id apart from their registrations', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      expect(await store.createSession(sessionOf(cycle.cycleId, 's-b', 2))).toBe(true);
      expect(await store.createSession({ ...sessionOf(cycle.cycleId, 's-b', 9), title: 'Other' })).toBe(false);
      expect(await store.createSession(sessionOf(cycle.cycleId, 's-a', 2))).toBe(true);
      await store.registerForSession(cycle.cycleId, 's-a', 'p01', T0);
      expect((await store.listSessions(cycle.cycleId)).map((s) => [s.sessionId, s.title, s.capacity])).toEqual([
        ['s-a', 'Session s-a', 2],
        ['s-b', 'Session s-b', 2],
      ]);
      expect(await store.getSession(cycle.cycleId, 's-a')).toEqual({ ...sessionOf(cycle.cycleId, 's-a', 2), seatsTaken: 1 });
      expect(await store.getSession(cycle.cycleId, 's-zzz')).toBeUndefined();
    });

    it('gives seats up to the capacity, then waiting places; a repeat changes nothing', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 2));
      expect(await store.registerForSession(cycle.cycleId, 's', 'p01', T0)).toBe('registered');
      expect(await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1)).toBe('registered');
      expect(await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 2)).toBe('waitlisted');
      expect(await store.registerForSession(cycle.cycleId, 's', 'p01', T0 + 3)).toBe('already-registered');
      expect(await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 4)).toBe('already-waitlisted');
      expect(await store.registerForSession(cycle.cycleId, 's-zzz', 'p01', T0)).toBe('no-session');
      expect((await store.getSession(cycle.cycleId, 's'))?.seatsTaken).toBe(2);
      expect((await store.listSessionRegistrations(cycle.cycleId, 's')).map((r) => [r.participantId, r.status, r.waitlistedAt])).toEqual([
        ['p01', 'registered', undefined],
        ['p02', 'registered', undefined],
        ['p03', 'waitlisted', T0 + 2],
      ]);
    });

    it('frees a seat on a decline and gives it to the first in line, once', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 1));
      await store.registerForSession(cycle.cycleId, 's', 'p01', T0);
      await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 2);
      await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1);
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 3)).toBeUndefined();
      expect(await store.declineSession(cycle.cycleId, 's', 'p01', T0 + 5)).toEqual({ outcome: 'declined', freedSeat: true });
      expect(await store.declineSession(cycle.cycleId, 's', 'p01', T0 + 6)).toEqual({ outcome: 'already-declined', freedSeat: false });
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 7)).toBe('p02');
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 8)).toBeUndefined();
      expect(await store.getSessionRegistration(cycle.cycleId, 's', 'p02')).toMatchObject({ status: 'registered', updatedAt: T0 + 7 });
      expect((await store.getSession(cycle.cycleId, 's'))?.seatsTaken).toBe(1);
      expect(await store.declineSession(cycle.cycleId, 's', 'p03', T0 + 9)).toEqual({ outcome: 'declined', freedSeat: false });
      expect(await store.declineSession(cycle.cycleId, 's', 'p04', T0 + 9)).toEqual({ outcome: 'declined', freedSeat: false });
      expect(await store.declineSession(cycle.cycleId, 's-zzz', 'p04', T0 + 9)).toEqual({ outcome: 'no-session', freedSeat: false });
      expect(await store.registerForSession(cycle.cycleId, 's', 'p04', T0 + 10)).toBe('waitlisted');
      expect((await store.listSessionRegistrations(cycle.cycleId)).map((r) => [r.participantId, r.status])).toEqual([
        ['p01', 'declined'],
        ['p02', 'registered'],
        ['p03', 'declined'],
        ['p04', 'waitlisted'],
      ]);
    });

    it('gives a free seat to no one who registers while people wait for one: they join the line, behind those waiting', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 1));
      await store.registerForSession(cycle.cycleId, 's', 'p01', T0);
      expect(await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1)).toBe('waitlisted');
      // The seat comes free, and whoever freed it has not promoted anyone yet (a crash, or the moment between the two writes).
      await store.declineSession(cycle.cycleId, 's', 'p01', T0 + 2);
      expect(await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 3)).toBe('waitlisted');
      expect(await store.getSession(cycle.cycleId, 's')).toMatchObject({ seatsTaken: 0, lineJoins: 2 });
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 4)).toBe('p02');
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 5)).toBeUndefined();
      expect((await store.listSessionRegistrations(cycle.cycleId, 's')).map((r) => [r.participantId, r.status])).toEqual([
        ['p01', 'declined'],
        ['p02', 'registered'],
        ['p03', 'waitlisted'],
      ]);
    });

    it('passes over the people in line who may not take a seat, leaving their place as it is', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 1));
      await store.registerForSession(cycle.cycleId, 's', 'p01', T0);
      await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1);
      await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 2);
      await store.registerForSession(cycle.cycleId, 's', 'p04', T0 + 3);
      await store.declineSession(cycle.cycleId, 's', 'p01', T0 + 4);
      const asked: string[] = [];
      const mayTakeSeat = async (participantId: string) => {
        asked.push(participantId);
        return participantId !== 'p02';
      };
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 5, async () => false)).toBeUndefined();
      expect((await store.getSession(cycle.cycleId, 's'))?.seatsTaken).toBe(0);
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 5, mayTakeSeat)).toBe('p03');
      // Asked in the line's order, no further than the first who may.
      expect(asked).toEqual(['p02', 'p03']);
      expect(await store.getSessionRegistration(cycle.cycleId, 's', 'p02')).toMatchObject({ status: 'waitlisted', waitlistedAt: T0 + 1, updatedAt: T0 + 1 });
      expect(await store.getSessionRegistration(cycle.cycleId, 's', 'p04')).toMatchObject({ status: 'waitlisted' });
      expect((await store.getSession(cycle.cycleId, 's'))?.seatsTaken).toBe(1);
    });

    it('lets exactly one of two people registering at the same moment take the last seat', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 1));
      const outcomes = await Promise.all(['p01', 'p02', 'p03', 'p04'].map((id) => store.registerForSession(cycle.cycleId, 's', id, T0)));
      expect(outcomes.filter((o) => o === 'registered')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'waitlisted')).toHaveLength(3);
      expect((await store.getSession(cycle.cycleId, 's'))?.seatsTaken).toBe(1);
    });

    it('cancels a session once, keeping the first reason, and then gives it no seat, no place in line and no promotion', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 1));
      expect(await store.registerForSession(cycle.cycleId, 's', 'p01', T0)).toBe('registered');
      expect(await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1)).toBe('waitlisted');
      expect(await store.cancelSession(cycle.cycleId, 's', 'The speaker is ill', T0 + 2)).toBe('cancelled');
      expect(await store.cancelSession(cycle.cycleId, 's', 'Another reason', T0 + 3)).toBe('already-cancelled');
      expect(await store.cancelSession(cycle.cycleId, 's-zzz', 'x', T0 + 3)).toBe('no-session');
      expect(await store.getSession(cycle.cycleId, 's')).toMatchObject({ cancelledAt: T0 + 2, cancelReason: 'The speaker is ill', seatsTaken: 1 });
      expect(await store.registerForSession(cycle.cycleId, 's', 'p03', T0 + 4)).toBe('cancelled');
      expect(await store.getSessionRegistration(cycle.cycleId, 's', 'p03')).toBeUndefined();
      // A seat freed after the cancel goes to no one.
      expect(await store.declineSession(cycle.cycleId, 's', 'p01', T0 + 5)).toEqual({ outcome: 'declined', freedSeat: true });
      expect(await store.promoteFromWaitingList(cycle.cycleId, 's', T0 + 6)).toBeUndefined();
      expect((await store.getSessionRegistration(cycle.cycleId, 's', 'p02'))?.status).toBe('waitlisted');
    });

    it('moves a session only from the version read, never once cancelled or started, keeping its seats, line and first placing', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      const added = sessionOf(cycle.cycleId, 's', 1);
      await store.createSession(added);
      await store.registerForSession(cycle.cycleId, 's', 'p01', T0);
      await store.registerForSession(cycle.cycleId, 's', 'p02', T0 + 1);
      const calendar = { fileName: 's.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR…' };
      const originalPlacing = { startsAt: added.startsAt, durationMinutes: 60, place: 'Room 4' };
      // A placing without the place: the room is given up for a video call.
      const move = { startsAt: T0 + 72 * HOUR, durationMinutes: 90, videoLink: 'https://meet.example.com/s', calendar, sequence: 1, originalPlacing };
      expect(await store.moveSession(cycle.cycleId, 's', move, 0, T0 + 2)).toBe('moved');
      // A second move read at version 0 lost the race to the first: nothing of it is written.
      expect(await store.moveSession(cycle.cycleId, 's', { ...move, startsAt: T0 + 96 * HOUR, place: 'Room 9' }, 0, T0 + 3)).toBe('changed-meanwhile');
      const { place: _place, ...withoutPlace } = added;
      expect(await store.getSession(cycle.cycleId, 's')).toEqual({ ...withoutPlace, ...move, movedAt: T0 + 2, seatsTaken: 1, lineJoins: 1 });
      expect((await store.listSessionRegistrations(cycle.cycleId, 's')).map((r) => r.status)).toEqual(['registered', 'waitlisted']);
      const later = { ...move, sequence: 2, place: 'Room 9', originalPlacing: { ...originalPlacing, place: 'elsewhere' } };
      expect(await store.moveSession(cycle.cycleId, 's', later, 1, T0 + 4)).toBe('moved');
      expect(await store.getSession(cycle.cycleId, 's')).toMatchObject({ place: 'Room 9', sequence: 2, movedAt: T0 + 4, originalPlacing });
      expect(await store.moveSession(cycle.cycleId, 's', { ...later, sequence: 3 }, 2, T0 + 73 * HOUR)).toBe('started');
      await store.cancelSession(cycle.cycleId, 's', 'The speaker is ill', T0 + 5);
      expect(await store.moveSession(cycle.cycleId, 's', { ...later, sequence: 3 }, 2, T0 + 6)).toBe('cancelled');
      expect(await store.moveSession(cycle.cycleId, 's-zzz', move, 0, T0 + 6)).toBe('no-session');
      expect(await store.getSession(cycle.cycleId, 's')).toMatchObject({ startsAt: T0 + 72 * HOUR, sequence: 2, movedAt: T0 + 4 });
    });

    it('records attendance on an existing session only, replacing what was recorded', async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.createSession(sessionOf(cycle.cycleId, 's', 3));
      expect(await store.recordSessionAttendance(cycle.cycleId, 's', ['p01', 'p02'], T0 + 50 * HOUR)).toBe(true);
      expect(await store.recordSessionAttendance(cycle.cycleId, 's', ['p02'], T0 + 51 * HOUR)).toBe(true);
      expect(await store.getSession(cycle.cycleId, 's')).toMatchObject({ attended: ['p02'], attendanceRecordedAt: T0 + 51 * HOUR });
      expect(await store.recordSessionAttendance(cycle.cycleId, 's-zzz', ['p01'], T0)).toBe(false);
      expect(await store.getSession(cycle.cycleId, 's-zzz')).toBeUndefined();
    });
  });

  describe('personal data', () => {
    const erasureOf = (subjectKey: string, erasureId: string) => ({
      subjectKey,
      erasureId,
      status: 'started' as const,
      startedAt: T0,
      targets: [{ programId: 'prog', participantId: 'p01', tombstoneId: `erased-${erasureId}`, cycleIds: ['c1'] }],
    });

    it("lists a cycle's email log by key, with recipient and status", async () => {
      const store = await createStore();
      const cycle = await runningCycle(store);
      await store.claim(cycle.cycleId, 'goal-setting#invitation#p02', 'p02@example.com', T0);
      await store.claim(cycle.cycleId, 'goal-setting#invitation#p01', 'p01@example.com', T0);
      await store.markSent(cycle.cycleId, 'goal-setting#invitation#p01', 'message-1', T0 + 1000);
      expect(await store.listEmailLog(cycle.cycleId)).toEqual([
        { idempotencyKey: 'goal-setting#invitation#p01', to: 'p01@example.com', status: 'sent', claimedAt: T0, messageId: 'message-1', sentAt: T0 + 1000 },
        { idempotencyKey: 'goal-setting#invitation#p02', to: 'p02@example.com', status: 'sending', claimedAt: T0 },
      ]);
    });

    it('keeps the first erasure in progress, completes it once, and suppresses its subject from the start', async () => {
      const store = await createStore();
      const subjectKey = uniqueId('subject');
      expect(await store.isSuppressed(subjectKey)).toBe(false);
      expect(await store.getErasure(subjectKey)).toBeUndefined();
      const first = erasureOf(subjectKey, 'e1');
      expect(await store.startErasure(first)).toEqual(first);
      expect(await store.startErasure(erasureOf(subjectKey, 'e2'))).toEqual(first);
      expect(await store.isSuppressed(subjectKey)).toBe(true);
      await store.completeErasure(subjectKey, 'e2', T0 + HOUR);
      expect(await store.getErasure(subjectKey)).toEqual(first);
      await store.completeErasure(subjectKey, 'e1', T0 + HOUR);
      expect(await store.getErasure(subjectKey)).toEqual({ ...first, status: 'completed', completedAt: T0 + HOUR, targets: [] });
      expect(await store.isSuppressed(subjectKey)).toBe(true);
      expect(await store.isSuppressed(uniqueId('subject'))).toBe(false);
      // A completed erasure may start again (the person was imported anew).
      expect(await store.startErasure(erasureOf(subjectKey, 'e3'))).toEqual(erasureOf(subjectKey, 'e3'));
    });

    it('rewrites every item of a cycle that names the person, moving the keyed ones, and a second run changes nothing', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p01', { goals: ['Speak up'], baseline: { ai: 2 } }));
      await store.recordResponse(answer(cycle.cycleId, 'goal-setting', 'p02', { goals: ['Listen'], baseline: { ai: 3 } }));
      await store.claim(cycle.cycleId, 'goal-setting#invitation#p01', 'p01@example.com', T0);
      await store.markSent(cycle.cycleId, 'goal-setting#invitation#p01', 'message-1', T0);
      const subject = { participantId: 'p01', tombstoneId: 'erased-t1', email: 'p01@example.com', names: ['p01'] };

      // The member, the pair, the answer and the email log entry.
      expect(await store.eraseFromCycle(cycle.cycleId, subject)).toEqual({ rewritten: 4 });
      expect(await store.getMember(cycle.cycleId, 'p01')).toBeUndefined();
      expect(await store.getMember(cycle.cycleId, 'erased-t1')).toMatchObject({ participantId: 'erased-t1', name: '', email: '', declined: true });
      expect((await store.listPairs(cycle.cycleId)).map((p) => p.pairId)).toEqual(['erased-t1~p02', 'p03~p04']);
      expect(await store.getResponse(cycle.cycleId, 'goal-setting', 'p01')).toBeUndefined();
      expect((await store.getResponse(cycle.cycleId, 'goal-setting', 'erased-t1'))?.answer).toEqual({ goals: [], baseline: { ai: 2 } });
      expect((await store.getResponse(cycle.cycleId, 'goal-setting', 'p02'))?.answer).toEqual({ goals: ['Listen'], baseline: { ai: 3 } });
      expect(await store.listEmailLog(cycle.cycleId)).toEqual([
        { idempotencyKey: 'goal-setting#invitation#erased-t1', status: 'sent', claimedAt: T0, messageId: 'message-1', sentAt: T0 },
      ]);
      // Counters stay: the answer and the email still count.
      expect(await store.getCycle(cycle.cycleId)).toMatchObject({ responses: { 'goal-setting': 2 }, emailsSent: 1, participants: 4, pairs: 2 });

      expect(await store.eraseFromCycle(cycle.cycleId, subject)).toEqual({ rewritten: 0 });
    });

    it('removes the person from a program: roster entry, address index, declaration and ids in the settings', async () => {
      const store = await createStore();
      const base = programFor(uniqueId('program'));
      const program = { ...base, matching: { ...base.matching, doNotPair: [['p01', 'p02']] as Array<[string, string]> } };
      await store.putProgram(program);
      const email = `${uniqueId('person')}@example.com`;
      await store.putParticipants(program.programId, [participantFor('p01', { email }), participantFor('p02')]);
      const subject = { participantId: 'p01', tombstoneId: 'erased-t2', email, names: ['Person p01'] };

      expect(await store.eraseFromProgram(program.programId, subject)).toEqual({ rewritten: 2 });
      expect(await store.findParticipantsByEmail(email)).toEqual([]);
      expect((await store.listParticipants(program.programId)).map((p) => p.participantId)).toEqual(['p02']);
      expect((await store.getProgram(program.programId))?.matching.doNotPair).toEqual([['erased-t2', 'p02']]);
      expect(await store.eraseFromProgram(program.programId, subject)).toEqual({ rewritten: 0 });
    });

    it('sets and removes the expiry of a cycle, which records read back never carry', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      expect(await store.getCycleExpiry(cycle.cycleId)).toBeUndefined();
      await store.setCycleExpiry(cycle.cycleId, 1_900_000_000);
      expect(await store.getCycleExpiry(cycle.cycleId)).toBe(1_900_000_000);
      expect(await store.getMember(cycle.cycleId, 'p01')).toEqual(memberOf('p01'));
      expect(Object.keys((await store.getCycle(cycle.cycleId)) ?? {})).not.toContain('expiresAt');
      await store.setCycleExpiry(cycle.cycleId, undefined);
      expect(await store.getCycleExpiry(cycle.cycleId)).toBeUndefined();
    });

    it('stops setting a cycle to expire when its budget is spent, and goes on from there when called again', async () => {
      const store = await createStore();
      const { cycle } = await cycleAtGoalSetting(store);
      expect(await store.setCycleExpiry(cycle.cycleId, 1_900_000_000, { remainingMs: () => 0 })).toEqual({ complete: false });
      expect(await store.getCycleExpiry(cycle.cycleId)).toBeUndefined();
      expect(await store.setCycleExpiry(cycle.cycleId, 1_900_000_000, { remainingMs: () => 60_000 })).toEqual({ complete: true });
      expect(await store.getCycleExpiry(cycle.cycleId)).toBe(1_900_000_000);
      // Nothing left to do: a spent budget does not matter any more.
      expect(await store.setCycleExpiry(cycle.cycleId, 1_900_000_000, { remainingMs: () => 0 })).toEqual({ complete: true });
    });
  });
}
