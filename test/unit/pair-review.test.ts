import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCycle, pairIdOf, type Pair } from '../../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { pairKey } from '../../domain/matching/hard-rules.ts';
import type { MatchContext } from '../../domain/matching/matcher.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { resolvePairs } from '../../domain/pair-review.ts';
import { matchingSettingsSchema, programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { describePairReview } from '../../cli/commands/pairs.ts';
import { approval } from '../../services/phases/approval/index.ts';
import { stopCycle } from '../../services/cycles.ts';
import {
  approvePairs,
  CycleNotRunningError,
  excludeFromCycle,
  forbidPairOfCycle,
  lockPairOfCycle,
  pairReview,
  resolveCycle,
  unlockPairOfCycle,
  type Actor,
} from '../../services/phases/approval/review.ts';
import { approvalStep } from '../../services/phases/approval/step.ts';
import type { PageRequest } from '../../services/console/page.ts';
import { pairsPage } from '../../services/console/pages/pairs.ts';
import { identifyCohort } from '../../services/phases/identify/index.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { RecordingWorkflow } from '../support/recording-workflow.ts';

const matcher = new OptimalMatcher();
const context = (doNotPair: Array<[string, string]> = []): MatchContext => ({
  settings: matchingSettingsSchema.parse({ doNotPair }),
  skillsCatalog: SAMPLE_SKILLS,
  recentPairs: [],
  referenceYear: 2025,
});

describe('re-solving the pairs under HR’s locks, bans and exclusions', () => {
  it('never proposes a forbidden pair or an excluded person, and always keeps the locked pairs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 26 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 2 }),
        (size, seed, banPicks, lockPicks, excludePicks) => {
          const roster = generateRoster({ size, seed, skills: SAMPLE_SKILLS });
          const first = matcher.match(roster, context());
          const current: Pair[] = first.pairs.map((p) => ({ ...p, pairId: pairIdOf(p.mentorId, p.menteeId) }));
          if (current.length === 0) return;
          const pick = <T>(list: readonly T[], n: number) => list[n % list.length] as T;
          const locks = [...new Map(lockPicks.map((n) => pick(current, n)).map((p) => [p.pairId, [p.mentorId, p.menteeId] as [string, string]])).values()];
          const lockedIds = new Set(locks.flat());
          const unlocked = current.filter((p) => !lockedIds.has(p.mentorId) && !lockedIds.has(p.menteeId));
          // Bans: proposed pairs (the ones a re-solve would otherwise keep) and random pairs of people.
          const bans: Array<[string, string]> = [
            ...banPicks
              .filter((_, i) => i % 2 === 0 && unlocked.length)
              .map((n) => [pick(unlocked, n).mentorId, pick(unlocked, n).menteeId] as [string, string]),
            ...banPicks.filter((_, i) => i % 2 === 1).map((n) => [pick(roster, n).participantId, pick(roster, n + 1).participantId] as [string, string]),
          ].filter(([a, b]) => a !== b && !(lockedIds.has(a) && lockedIds.has(b)));
          const excluded = excludePicks.map((n) => pick(roster, n).participantId).filter((id) => !lockedIds.has(id));

          const { pairs } = resolvePairs(roster, context(), { bans, locks, excluded }, current, matcher);
          const banned = new Set(bans.map(([a, b]) => pairKey(a, b)));
          for (const pair of pairs) {
            expect(banned.has(pairKey(pair.mentorId, pair.menteeId))).toBe(false);
            expect(excluded).not.toContain(pair.mentorId);
            expect(excluded).not.toContain(pair.menteeId);
          }
          for (const [mentorId, menteeId] of locks) expect(pairs.map((p) => p.pairId)).toContain(pairIdOf(mentorId, menteeId));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a lock on a pair that is no longer proposed', () => {
    const roster = generateRoster({ size: 8, seed: 3, skills: SAMPLE_SKILLS });
    expect(() => resolvePairs(roster, context(), { bans: [], locks: [['nobody', 'else']], excluded: [] }, [], matcher)).toThrow(ConflictError);
  });
});

/** Records what would go to SES. */
class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2027, 2, 1, 9);
const CYCLE = 'c1';
const hr: Actor = { actor: 'ana@laptop', via: 'cli' };

describe('HR’s review of the pairs over the store', () => {
  let store: InMemoryStore;
  let mailer: RecordingMailer;
  let now: number;
  const deps = () => ({ store, emailLog: store, mailer, clock: { now: () => now } });

  async function cycleWaitingForApproval(
    approval: ProgramInput['approval'] = { required: true, deadline: 'P2D', onDeadline: 'approve', reminderBefore: 'PT12H' },
  ) {
    const roster = generateRoster({ size: 12, seed: 7, skills: SAMPLE_SKILLS });
    const program = programSchema.parse({
      programId: 'prog',
      name: 'Mentoria <Reversa>',
      language: 'en',
      goalsAndExpectations: 'Learn from each other.',
      skillsCatalog: SAMPLE_SKILLS,
      phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' },
      checkInCadence: 'P7D',
      sender: 'tandem@example.com',
      hrContacts: ['hr@example.com'],
      opsContacts: ['ops@example.com'],
      approval,
    });
    await store.putProgram(program);
    await store.putParticipants(program.programId, roster);
    await store.createCycle(newCycle(program, CYCLE, now));
    await identifyCohort({ ...deps(), matcher }, CYCLE);
    return { program, roster, progress: await approvalStep(deps(), CYCLE) };
  }

  beforeEach(() => {
    store = new InMemoryStore();
    mailer = new RecordingMailer();
    now = T0;
  });

  it('opens the review after identify, tells HR once, and waits until the deadline at most', async () => {
    const { progress } = await cycleWaitingForApproval();
    expect(progress).toMatchObject({ approved: false, stopped: false, emailsSent: 1 });
    expect(progress.waitSeconds).toBeGreaterThan(0);
    expect(progress.waitSeconds).toBeLessThanOrEqual(36 * 3600);
    expect((await store.getCycle(CYCLE))?.currentPhase).toBe('approval');
    expect(mailer.sent.map((e) => e.to)).toEqual(['hr@example.com']);
    await approvalStep(deps(), CYCLE);
    expect(mailer.sent).toHaveLength(1);
    const view = await pairReview(deps(), CYCLE);
    expect(view.status).toBe('pending');
    expect(view.pairs.length).toBeGreaterThan(0);
    expect(view.pairs[0]?.criteria.length).toBeGreaterThan(0);
    expect(view.pairs[0]?.explanation).not.toBe('');
  });

  it('reminds HR once more before the deadline', async () => {
    await cycleWaitingForApproval();
    now = T0 + 37 * HOUR;
    await approvalStep(deps(), CYCLE);
    await approvalStep(deps(), CYCLE);
    expect(mailer.sent.map((e) => ('subject' in e ? e.subject : ''))).toEqual([
      expect.stringContaining('pairs to approve'),
      expect.stringContaining('still wait for your approval'),
    ]);
  });

  it('passes at once when the program does not ask for approval', async () => {
    const { progress } = await cycleWaitingForApproval({ required: false });
    expect(progress).toEqual({ approved: true, stopped: false, waitSeconds: 0, deadline: null, emailsSent: 0 });
    expect((await pairReview(deps(), CYCLE)).status).toBe('not-required');
    await expect(approvePairs(deps(), CYCLE, hr)).rejects.toThrow(/not waiting for approval/);
  });

  it('forbids a pair, refuses approval until a re-solve, and the re-solved pairs leave it out', async () => {
    await cycleWaitingForApproval();
    const [first] = await store.listPairs(CYCLE);
    if (!first) throw new Error('no pair proposed');
    expect(await forbidPairOfCycle(deps(), CYCLE, [first.menteeId, first.mentorId], hr)).toBe('changed');
    expect(await forbidPairOfCycle(deps(), CYCLE, [first.mentorId, first.menteeId], hr)).toBe('unchanged');
    await expect(approvePairs(deps(), CYCLE, hr)).rejects.toThrow(/re-solve before approving/);

    await resolveCycle({ ...deps(), matcher }, CYCLE, hr);
    const pairs = await store.listPairs(CYCLE);
    expect(pairs.map((p) => pairKey(p.mentorId, p.menteeId))).not.toContain(pairKey(first.mentorId, first.menteeId));
    const members = await store.listMembers(CYCLE);
    expect(members.every((m) => m.partners.every((partner) => pairs.some((p) => p.pairId === partner.pairId)))).toBe(true);
    expect((await store.getCycle(CYCLE))?.pairs).toBe(pairs.length);

    expect(await approvePairs(deps(), CYCLE, hr)).toBe('changed');
    expect(await approvePairs(deps(), CYCLE, hr)).toBe('unchanged');
    expect(await approvalStep(deps(), CYCLE)).toMatchObject({ approved: true });
    const audit = await store.listAudit({ programId: 'prog' });
    expect(audit.map((a) => a.action)).toEqual(['pairs.approved', 'pairs.resolved', 'pairs.forbidden']);
    expect(audit.every((a) => a.actor === 'ana@laptop' && a.via === 'cli' && a.cycleId === CYCLE)).toBe(true);
  });

  it('keeps locked pairs through a re-solve and drops an excluded person', async () => {
    await cycleWaitingForApproval();
    const [kept, other] = await store.listPairs(CYCLE);
    if (!kept || !other) throw new Error('fewer than two pairs proposed');
    await lockPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr);
    expect(await lockPairOfCycle(deps(), CYCLE, [kept.menteeId, kept.mentorId], hr)).toBe('unchanged');
    await expect(forbidPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr)).rejects.toThrow(/locked/);
    await excludeFromCycle(deps(), CYCLE, other.mentorId, hr);
    await resolveCycle({ ...deps(), matcher }, CYCLE, hr);
    const pairs = await store.listPairs(CYCLE);
    expect(pairs.map((p) => p.pairId)).toContain(kept.pairId);
    expect(pairs.flatMap((p) => [p.mentorId, p.menteeId])).not.toContain(other.mentorId);
    const view = await pairReview(deps(), CYCLE);
    expect(view.pairs.find((p) => p.pairId === kept.pairId)?.locked).toBe(true);
    expect(view.excluded.map((p) => p.participantId)).toEqual([other.mentorId]);
    expect(await unlockPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr)).toBe('changed');
    expect(await unlockPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr)).toBe('unchanged');
  });

  it('refuses ids that are not on the roster or in no proposed pair, with the id named', async () => {
    const { roster } = await cycleWaitingForApproval();
    await expect(forbidPairOfCycle(deps(), CYCLE, ['ghost', roster[0]?.participantId as string], hr)).rejects.toThrow(NotFoundError);
    await expect(excludeFromCycle(deps(), CYCLE, 'ghost', hr)).rejects.toThrow(ValidationError);
    await expect(lockPairOfCycle(deps(), CYCLE, ['ghost', 'nobody'], hr)).rejects.toThrow(/not a proposed pair/);
  });

  it('adds a forbidden pair to the program’s doNotPair when asked, once', async () => {
    const { roster } = await cycleWaitingForApproval();
    const [a, b] = roster.map((p) => p.participantId) as [string, string];
    await forbidPairOfCycle(deps(), CYCLE, [a, b], hr, { programWide: true });
    await forbidPairOfCycle(deps(), CYCLE, [b, a], hr, { programWide: true });
    expect((await store.getProgram('prog'))?.matching.doNotPair).toEqual([[a, b]]);
  });

  it('keeps a change to the program saved while it adds the ban there', async () => {
    const { roster } = await cycleWaitingForApproval();
    const [a, b] = roster.map((p) => p.participantId) as [string, string];
    // Another save (the console's edit form, the CLI) lands after this one read the program and before it writes.
    let raced = false;
    const saveMeanwhile = async () => {
      if (raced) return;
      raced = true;
      await store.putProgram({ ...((await store.getProgram('prog')) as Program), name: 'Renamed meanwhile' });
    };
    const racing = new Proxy(store, {
      get(target, property) {
        if (property === 'getProgram')
          return async (programId: string) => {
            const read = await target.getProgram(programId);
            await saveMeanwhile();
            return read;
          };
        if (property === 'modifyProgram')
          return async (...args: Parameters<InMemoryStore['modifyProgram']>) => {
            await saveMeanwhile();
            return target.modifyProgram(...args);
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await forbidPairOfCycle({ ...deps(), store: racing }, CYCLE, [a, b], hr, { programWide: true });
    const program = await store.getProgram('prog');
    expect(program?.name).toBe('Renamed meanwhile');
    expect(program?.matching.doNotPair).toEqual([[a, b]]);
  });

  it('approves at the deadline as the program says, leaving out pairs HR forbade without re-solving', async () => {
    await cycleWaitingForApproval();
    const [first] = await store.listPairs(CYCLE);
    if (!first) throw new Error('no pair proposed');
    await forbidPairOfCycle(deps(), CYCLE, [first.mentorId, first.menteeId], hr);
    now = T0 + 48 * HOUR;
    expect(await approvalStep(deps(), CYCLE)).toMatchObject({ approved: true, stopped: false });
    expect((await store.listPairs(CYCLE)).map((p) => p.pairId)).not.toContain(first.pairId);
    const cycle = await store.getCycle(CYCLE);
    expect(cycle?.approval).toMatchObject({ status: 'approved', decidedBy: 'tandem' });
    expect((await store.listAudit({ programId: 'prog' }))[0]).toMatchObject({ action: 'pairs.approved-at-deadline', via: 'workflow' });
    await expect(forbidPairOfCycle(deps(), CYCLE, [first.mentorId, first.menteeId], hr)).rejects.toThrow(ConflictError);
  });

  it('stops the cycle at the deadline when the program says so', async () => {
    await cycleWaitingForApproval({ required: true, deadline: 'P1D', onDeadline: 'stop' });
    now = T0 + 25 * HOUR;
    expect(await approvalStep(deps(), CYCLE)).toMatchObject({ approved: false, stopped: true });
    expect((await store.getCycle(CYCLE))?.status).toBe('stopped');
    expect((await store.listAudit({ programId: 'prog' }))[0]).toMatchObject({ action: 'pairs.stopped-at-deadline', actor: 'tandem' });
  });

  it('refuses every tandem pairs command once the cycle was stopped, saying so, and records nothing', async () => {
    const { roster } = await cycleWaitingForApproval();
    const [kept, other] = await store.listPairs(CYCLE);
    if (!kept || !other) throw new Error('fewer than two pairs proposed');
    await lockPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr);
    await store.setExecution(CYCLE, 'arn:aws:states:us-east-1:000000000000:execution:program-cycle:c1');
    await stopCycle({ store, clock: { now: () => now }, workflow: new RecordingWorkflow() }, { cycleId: CYCLE, reason: 'wrong roster' });
    const before = await store.getCycle(CYCLE);
    const auditBefore = await store.listAudit({ programId: 'prog' });

    const [a, b] = roster.map((p) => p.participantId) as [string, string];
    const commands: Array<[string, () => Promise<unknown>]> = [
      ['forbid', () => forbidPairOfCycle(deps(), CYCLE, [a, b], hr, { programWide: true })],
      ['lock', () => lockPairOfCycle(deps(), CYCLE, [other.mentorId, other.menteeId], hr)],
      ['unlock', () => unlockPairOfCycle(deps(), CYCLE, [kept.mentorId, kept.menteeId], hr)],
      ['exclude', () => excludeFromCycle(deps(), CYCLE, other.mentorId, hr)],
      ['resolve', () => resolveCycle({ ...deps(), matcher }, CYCLE, hr)],
      ['approve', () => approvePairs(deps(), CYCLE, hr)],
    ];
    for (const [name, command] of commands) {
      const refused = await command().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, name).toBeInstanceOf(CycleNotRunningError);
      expect((refused as Error).message, name).toBe('cycle c1 was stopped: its pairs can no longer be changed or approved; nothing was done');
    }
    expect(await store.getCycle(CYCLE)).toEqual(before);
    expect((await store.getProgram('prog'))?.matching.doNotPair).toEqual([]);
    expect(await store.listAudit({ programId: 'prog' })).toEqual(auditBefore);

    // What `tandem pairs list` and the ops page say of them: never approved, not waiting.
    const view = await pairReview(deps(), CYCLE);
    expect(view).toMatchObject({ status: 'pending', cycleStatus: 'stopped' });
    expect(describePairReview(view)).toContain('never approved: the cycle was stopped, so they can no longer be changed or approved');
    expect(describePairReview(view)).not.toContain('waiting for approval');
    expect(approval.opsLines(before as NonNullable<typeof before>, {})).toEqual([{ label: 'Approval', text: 'never approved: the cycle is stopped' }]);
  });

  it('refuses an approval when the cycle is stopped while the command runs, and leaves the pairs waiting', async () => {
    await cycleWaitingForApproval();
    // `tandem cycle stop` lands after the approval read the cycle (still running) and before it writes.
    const stoppingMeanwhile = new Proxy(store, {
      get(target, property) {
        if (property === 'updateApproval')
          return async (...args: Parameters<InMemoryStore['updateApproval']>) => {
            await target.markStopped(CYCLE, now);
            return target.updateApproval(...args);
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(approvePairs({ ...deps(), store: stoppingMeanwhile }, CYCLE, hr)).rejects.toThrow(
      'cycle c1 was stopped: its pairs can no longer be changed or approved; nothing was done',
    );
    expect((await store.getCycle(CYCLE))?.approval?.status).toBe('pending');
    expect(await store.listAudit({ programId: 'prog' })).toEqual([]);
  });

  it('refuses every console action posted from a Pairs page opened before someone else changed the pairs, and changes nothing', async () => {
    await cycleWaitingForApproval();
    const opened = await pairReview(deps(), CYCLE);
    const [first, second] = opened.pairs;
    if (!first || !second) throw new Error('fewer than two pairs proposed');
    // Another tab forbids a pair and re-solves: the page opened above now shows pairs that are no longer proposed.
    await forbidPairOfCycle(deps(), CYCLE, [first.mentor.participantId, first.mentee.participantId], hr);
    await resolveCycle({ ...deps(), matcher }, CYCLE, hr);
    const before = await store.getCycle(CYCLE);
    const auditBefore = await store.listAudit({ programId: 'prog' });
    const sentBefore = mailer.sent.length;

    const csrf = 'token';
    const post = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [name, value] of Object.entries({ cycleId: CYCLE, revision: String(opened.revision), csrf, ...fields })) form.set(name, value);
      const request: PageRequest = {
        method: 'POST',
        subpath: CYCLE,
        query: new URLSearchParams(),
        form,
        session: { email: 'hr@example.com', role: 'hr', csrf, lang: 'en' },
        lang: 'en',
        deps: { store, clock: { now: () => now }, workflow: () => ({}) as never, executions: () => ({}) as never },
        audit: async () => undefined,
      };
      return (pairsPage.post as NonNullable<typeof pairsPage.post>)(request);
    };
    const pair = { first: second.mentor.participantId, second: second.mentee.participantId };
    const actions: Array<Record<string, string>> = [
      { action: 'approve' },
      { action: 'resolve' },
      { action: 'forbid', ...pair },
      { action: 'lock', ...pair },
      { action: 'exclude', participantId: pair.first },
    ];
    for (const fields of actions) {
      const result = await post(fields);
      expect(result, fields.action).toMatchObject({ status: 409 });
      expect('main' in result && result.main, fields.action).toContain('The pairs changed since you opened this page');
      // The page shows the pairs as they are now, with forms that carry the current revision.
      expect('main' in result && result.main).toContain(`name="revision" value="${before?.approval?.revision}"`);
    }
    expect(await store.getCycle(CYCLE)).toEqual(before);
    expect(await store.listAudit({ programId: 'prog' })).toEqual(auditBefore);
    expect(mailer.sent).toHaveLength(sentBefore);

    // A post from the page as it is now goes through; the CLI, which reads and acts at once, needs no revision.
    const current = await pairReview(deps(), CYCLE);
    expect(await post({ action: 'approve', revision: String(current.revision) })).toMatchObject({ redirect: `/console/pairs/${CYCLE}` });
    expect((await store.getCycle(CYCLE))?.approval?.status).toBe('approved');
    expect(await approvePairs(deps(), CYCLE, hr)).toBe('unchanged');
  });

  it('shows the Pairs page to HR with its forms and to the read-only ops role without any', async () => {
    await cycleWaitingForApproval();
    const page = async (role: 'hr' | 'ops') => {
      const result = await pairsPage.get({
        method: 'GET',
        subpath: CYCLE,
        query: new URLSearchParams(),
        session: { email: `${role}@example.com`, role, csrf: 'token', lang: 'en' },
        lang: 'en',
        deps: { store, clock: { now: () => now }, workflow: () => ({}) as never, executions: () => ({}) as never },
        audit: async () => undefined,
      });
      return 'main' in result ? result.main : '';
    };
    expect(await page('hr')).toContain('name="action" value="approve"');
    const ops = await page('ops');
    expect(ops).toContain('<table>');
    expect(ops).not.toContain('<form');
  });

  it('refuses a write based on a review that changed meanwhile', async () => {
    await cycleWaitingForApproval();
    const state = (await store.getCycle(CYCLE))?.approval;
    if (!state) throw new Error('no review');
    expect(await store.updateApproval(CYCLE, state.revision, { ...state, revision: state.revision + 1 })).toBe(true);
    expect(await store.updateApproval(CYCLE, state.revision, { ...state, revision: state.revision + 1 })).toBe(false);
  });
});
