import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyMatchingCertificate } from '@tandem/max-weight-matching';
import { explanationParts, namesInExplanation } from '../../domain/matching/explain.ts';
import { GreedyMatcher } from '../../domain/matching/greedy-matcher.ts';
import type { MatchContext, MatchResult } from '../../domain/matching/matcher.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { compileCohort, evaluatePair, REJECTION_CODES, scanPairs } from '../../domain/matching/scoring.ts';
import { generationYear, type Participant } from '../../domain/participant.ts';
import { matchingSettingsSchema, type MatchingSettings } from '../../domain/program.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { bruteForceByTheRules } from './matching-brute-force.ts';

const SKILLS = ['data-visualisation', 'cloud-tools', 'negotiation', 'public-speaking'];

function contextOf(settings: Partial<MatchingSettings> = {}, recentPairs: Array<[string, string]> = []): MatchContext {
  return {
    settings: matchingSettingsSchema.parse({ favouredDepartmentPairs: [['Sales', 'Marketing']], ...settings }),
    skillsCatalog: SAMPLE_SKILLS,
    recentPairs,
    referenceYear: 2025,
  };
}

const participantArb = (i: number, birthYear: fc.Arbitrary<number>, seniority: fc.Arbitrary<number | undefined>) =>
  fc.record({
    birthYear,
    seniority,
    department: fc.constantFrom('Sales', 'Marketing', 'IT'),
    languages: fc.subarray(['pt-BR', 'en'], { minLength: 1 }),
    capacity: fc.integer({ min: 1, max: 2 }),
    status: fc.constantFrom('active', 'active', 'active', 'active', 'opted-out', 'unreachable'),
    offered: fc.subarray(SKILLS),
    wanted: fc.subarray(SKILLS),
    level: fc.integer({ min: 1, max: 5 }),
    priority: fc.integer({ min: 1, max: 5 }),
    manager: fc.option(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { nil: undefined }),
    timeZone: fc.constantFrom('America/Sao_Paulo', 'Europe/Lisbon', 'America/New_York', undefined),
  });

/** Random cohorts of 2–7 people; `sameGeneration` draws birth years, seniorities and gaps so that many pairs may go either way. */
const cohortArbitrary = ({ sameGeneration }: { sameGeneration: boolean }) =>
  fc.integer({ min: 2, max: 7 }).chain((n) =>
    fc.record({
      people: fc
        .tuple(
          ...Array.from({ length: n }, (_, i) =>
            sameGeneration
              ? participantArb(i, fc.constantFrom(1985, 1986, 1999), fc.constantFrom(3, 4))
              : // Some people have no seniority, as in an invitee export: orientation by generation alone.
                participantArb(i, fc.integer({ min: 1960, max: 2004 }), fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined, freq: 4 })),
          ),
        )
        .map((raw) =>
          raw.map((r, i): Participant => ({
            participantId: `p${i}`,
            name: `Person ${i}`,
            email: `p${i}@example.com`,
            department: r.department,
            birthYear: r.birthYear,
            ...(r.seniority === undefined ? {} : { seniority: r.seniority }),
            skillsOffered: r.offered.map((skill, k) => ({ skill, level: ((r.level + k) % 5) + 1 })),
            skillsWanted: r.wanted.map((skill, k) => ({ skill, priority: ((r.priority + k) % 5) + 1 })),
            ...(r.manager !== undefined && i > 0 ? { managerId: `p${r.manager}` } : {}),
            languages: r.languages,
            ...(r.timeZone ? { timeZone: r.timeZone } : {}),
            capacity: r.capacity,
            status: r.status,
          })),
        ),
      mode: fc.constantFrom('reverse' as const, 'mutual' as const),
      objective: fc.constantFrom('best-score' as const, 'max-pairs' as const),
      minGenerationGapYears: sameGeneration ? fc.constantFrom(0, 0, 1) : fc.integer({ min: 0, max: 12 }),
      doNotPair: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 2 }),
      recent: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 2 }),
    }),
  );
const cohortArb = cohortArbitrary({ sameGeneration: false });
const sameGenerationCohortArb = cohortArbitrary({ sameGeneration: true });

type Cohort = fc.Arbitrary<typeof cohortArb extends fc.Arbitrary<infer T> ? T : never>;
const contextFor = (c: Cohort extends fc.Arbitrary<infer T> ? T : never): MatchContext =>
  contextOf(
    {
      mode: c.mode,
      objective: c.objective,
      minGenerationGapYears: c.minGenerationGapYears,
      doNotPair: c.doNotPair.filter(([a, b]) => a !== b).map(([a, b]) => [`p${a}`, `p${b}`]),
    },
    c.recent.map(([a, b]) => [`p${a}`, `p${b}`]),
  );

/** Checks, without the engine's code, that a result breaks no hard rule and accounts for everyone. */
function hardRuleProblems(cohort: Participant[], context: MatchContext, result: MatchResult): string[] {
  const problems: string[] = [];
  const byId = new Map(cohort.map((p) => [p.participantId, p]));
  const chain = (id: string): Set<string> => {
    const out = new Set<string>();
    let m = byId.get(id)?.managerId;
    while (m !== undefined && !out.has(m)) {
      out.add(m);
      m = byId.get(m)?.managerId;
    }
    return out;
  };
  const key = (a: string, b: string) => [a, b].sort().join('|');
  const banned = new Set([...context.recentPairs, ...context.settings.doNotPair].map(([a, b]) => key(a, b)));
  const used = new Map<string, number>();
  const seen = new Set<string>();
  for (const pair of result.pairs) {
    const mentor = byId.get(pair.mentorId);
    const mentee = byId.get(pair.menteeId);
    if (!mentor || !mentee || mentor === mentee) {
      problems.push(`unknown or self pair ${pair.mentorId}-${pair.menteeId}`);
      continue;
    }
    const k = key(mentor.participantId, mentee.participantId);
    if (seen.has(k)) problems.push(`pair ${k} formed twice`);
    seen.add(k);
    if (mentor.status !== 'active' || mentee.status !== 'active') problems.push(`pair ${k} includes someone not taking part`);
    if (chain(mentor.participantId).has(mentee.participantId) || chain(mentee.participantId).has(mentor.participantId))
      problems.push(`pair ${k} is within a reporting line`);
    if (banned.has(k)) problems.push(`pair ${k} is recent or do-not-pair`);
    if (!mentor.languages.some((l) => mentee.languages.includes(l))) problems.push(`pair ${k} shares no language`);
    if (context.settings.mode === 'reverse') {
      if (generationYear(mentor) - generationYear(mentee) < context.settings.minGenerationGapYears)
        problems.push(`pair ${k}: mentor not younger by the minimum gap`);
      if (mentor.seniority !== undefined && mentee.seniority !== undefined && mentor.seniority > mentee.seniority)
        problems.push(`pair ${k}: mentor more senior than mentee`);
    }
    const sum = Object.values(pair.breakdown).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - pair.score) > 1e-6) problems.push(`pair ${k}: breakdown ${sum} does not add up to ${pair.score}`);
    if (!pair.explanation) problems.push(`pair ${k} has no explanation`);
    for (const p of [mentor, mentee]) used.set(p.participantId, (used.get(p.participantId) ?? 0) + 1);
  }
  for (const [id, count] of used) if (count > (byId.get(id)?.capacity ?? 1)) problems.push(`${id} is in ${count} pairs, above capacity`);
  const unmatched = new Set(result.unmatched.map((u) => u.participantId));
  for (const p of cohort) {
    const inPair = used.has(p.participantId);
    if (inPair === unmatched.has(p.participantId)) problems.push(`${p.participantId} must be either paired or unmatched with a reason`);
  }
  for (const u of result.unmatched) if (!u.reason) problems.push(`${u.participantId} has no reason`);
  return problems;
}

/** Hundreds of random cohorts, or cohorts of hundreds of people, per test: more than vitest's default 5 s on a busy machine. */
const HEAVY = { timeout: 60_000 };

const cents = (result: MatchResult) => Math.round(result.pairs.reduce((sum, p) => sum + p.score * 100, 0));
const unordered = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Each chosen pair as the oracle has it: the direction that scores higher (ties to the participantId first in order), and its score. */
function expectPairsAsTheRulesHaveThem(result: MatchResult, oracle: ReturnType<typeof bruteForceByTheRules>): void {
  const byPair = new Map(oracle.pairs.map((p) => [unordered(p.mentorId, p.menteeId), p]));
  for (const pair of result.pairs) {
    const expected = byPair.get(unordered(pair.mentorId, pair.menteeId));
    expect(expected, `pair ${pair.mentorId}-${pair.menteeId} is allowed by the rules`).toBeDefined();
    expect({ mentorId: pair.mentorId, cents: Math.round(pair.score * 100) }).toEqual({ mentorId: expected?.mentorId, cents: expected?.cents });
  }
}

/** The same cohort with its roster in a random order. */
const withShuffledRoster = <T extends { people: Participant[] }>(arbitrary: fc.Arbitrary<T>) =>
  arbitrary.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c.people, { minLength: c.people.length, maxLength: c.people.length })));

describe('the optimal matcher on small cohorts', HEAVY, () => {
  it('reaches the brute-force optimum for both objectives and never breaks a hard rule', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const context = contextFor(c);
        const result = new OptimalMatcher({ fullGraphUpTo: c.minGenerationGapYears % 2 === 0 ? 0 : undefined, candidatesPerPerson: 1 }).match(
          c.people,
          context,
        );
        expect(hardRuleProblems(c.people, context, result)).toEqual([]);
        const best = bruteForceByTheRules(c.people, context);
        if (c.objective === 'best-score') expect(cents(result)).toBe(best.weight);
        else {
          expect(result.pairs.length).toBe(best.maxPairs);
          expect(cents(result)).toBe(best.weightAtMaxPairs);
        }
        expectPairsAsTheRulesHaveThem(result, best);
        expect(result.stats.proven).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('stays optimal when candidates are pruned to one per person, because pricing adds back what matters', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const context = contextFor(c);
        const pruned = new OptimalMatcher({ candidatesPerPerson: 1, fullGraphUpTo: 0 }).match(c.people, context);
        const full = new OptimalMatcher({ candidatesPerPerson: 100 }).match(c.people, context);
        expect(cents(pruned)).toBe(cents(full));
        expect(pruned.pairs.length).toBe(full.pairs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('pairs any two people exactly as the greedy matcher does, which the rematch after a decline uses for that reason', () => {
    let paired = 0;
    fc.assert(
      fc.property(cohortArb, fc.nat(), fc.nat(), fc.constantFrom('best-score' as const, 'max-pairs' as const), (c, a, b, objective) => {
        const first = c.people[a % c.people.length] as Participant;
        const second = c.people[b % c.people.length] as Participant;
        if (first === second) return;
        const context = contextFor({ ...c, objective });
        const optimal = new OptimalMatcher().match([first, second], context);
        expect(new GreedyMatcher().match([first, second], context).pairs).toEqual(optimal.pairs);
        paired += optimal.pairs.length;
      }),
      { numRuns: 1000 },
    );
    expect(paired, 'some of the two-person cohorts could pair').toBeGreaterThan(15);
  });

  it('never scores below the greedy baseline, which also keeps every hard rule', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const context = contextFor({ ...c, objective: 'best-score' });
        const greedy = new GreedyMatcher().match(c.people, context);
        expect(hardRuleProblems(c.people, context, greedy)).toEqual([]);
        expect(cents(new OptimalMatcher().match(c.people, context))).toBeGreaterThanOrEqual(cents(greedy));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the optimal matcher when two people could mentor each other', HEAVY, () => {
  it('reaches the optimum of the documented rules, trying both directions of each pair of the same generation and seniority', () => {
    fc.assert(
      fc.property(sameGenerationCohortArb, (c) => {
        const context = contextFor(c);
        const result = new OptimalMatcher().match(c.people, context);
        expect(hardRuleProblems(c.people, context, result)).toEqual([]);
        const best = bruteForceByTheRules(c.people, context);
        if (c.objective === 'best-score') expect(cents(result)).toBe(best.weight);
        else {
          expect(result.pairs.length).toBe(best.maxPairs);
          expect(cents(result)).toBe(best.weightAtMaxPairs);
        }
        expectPairsAsTheRulesHaveThem(result, best);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same total, and the same pairs each the same way round, whatever the order of the roster', () => {
    fc.assert(
      fc.property(withShuffledRoster(sameGenerationCohortArb), ([c, shuffled]) => {
        const context = contextFor(c);
        const inOrder = new OptimalMatcher().match(c.people, context);
        const reordered = new OptimalMatcher().match(shuffled, context);
        expect(cents(reordered)).toBe(cents(inOrder));
        expect(reordered.pairs.length).toBe(inOrder.pairs.length);
        const mentorOf = (result: MatchResult) => new Map(result.pairs.map((p) => [unordered(p.mentorId, p.menteeId), p.mentorId]));
        const before = mentorOf(inOrder);
        const after = mentorOf(reordered);
        for (const [pair, mentor] of after) if (before.has(pair)) expect(mentor).toBe(before.get(pair));
        // Another set of pairs is only acceptable when it is another optimum of equal total.
        const best = bruteForceByTheRules(c.people, context);
        const optima = c.objective === 'best-score' ? best.bestWeightSets : best.maxPairsSets;
        if (optima === 1) expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('the optimal matcher on larger cohorts', HEAVY, () => {
  it('is proven optimal over every allowed pair by its duals, checked independently', () => {
    const roster = generateRoster({ size: 400, seed: 11 }).map((p) => ({ ...p, capacity: 1 }));
    const context = contextOf({ mode: 'reverse' });
    const result = new OptimalMatcher({ candidatesPerPerson: 3, fullGraphUpTo: 0 }).match(roster, context);
    expect(hardRuleProblems(roster, context, result)).toEqual([]);
    const { compiled, result: solved } = result.solve;
    const { dual, blossomParent } = solved.solution.certificate;
    // Capacities are 1, so each person is one vertex of the solved graph (or none: dual 0).
    const vertexOf = (v: number) => solved.copies[v]?.[0];
    const ancestors = (x: number) => {
      const out: number[] = [];
      for (let b = blossomParent[x] as number; b !== -1; b = blossomParent[b] as number) out.push(b);
      return out;
    };
    let checked = 0;
    for (let i = 0; i < compiled.n; i++) {
      for (let j = i + 1; j < compiled.n; j++) {
        const e = evaluatePair(compiled, i, j);
        if (!e.allowed) continue;
        checked++;
        const x = vertexOf(i);
        const y = vertexOf(j);
        const dx = x === undefined ? 0 : (dual[x] as number);
        const dy = y === undefined ? 0 : (dual[y] as number);
        let z = 0;
        if (x !== undefined && y !== undefined) {
          const ax = new Set(ancestors(x));
          for (const b of ancestors(y)) if (ax.has(b)) z += dual[b] as number;
        }
        expect(dx + dy + 2 * z, `pair ${i}-${j}`).toBeGreaterThanOrEqual(2 * e.cents);
      }
    }
    expect(checked).toBe(result.stats.allowedPairs);
    // Primal = dual objective on the solved graph; with the duals feasible for every allowed pair, the result is optimal.
    expect(verifyMatchingCertificate(solved.reduced, solved.solution)).toEqual([]);
    expect(result.stats.proven).toBe(true);
  });

  it('proves its optimum on a roster whose blossoms nest dozens deep, on the full graph and pruned with warm-started rounds alike', () => {
    // Seed 45 grows one blossom around most of the graph a level at a time (docs/matching-journal.md, 3 December,
    // third round): the solver links sub-blossoms instead of relabelling them, and augments through the nesting.
    const roster = generateRoster({ size: 200, seed: 45 });
    const context = contextOf({ mode: 'reverse' });
    const full = new OptimalMatcher().match(roster, context);
    const pruned = new OptimalMatcher({ candidatesPerPerson: 2, fullGraphUpTo: 0 }).match(roster, context);
    const { blossomParent } = full.solve.result.solution.certificate;
    let deepest = 0;
    for (let x = 0; x < blossomParent.length; x++) {
      let depth = 0;
      for (let b = blossomParent[x] as number; b !== -1; b = blossomParent[b] as number) depth++;
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBeGreaterThanOrEqual(50);
    for (const result of [full, pruned]) {
      expect(result.stats.proven).toBe(true);
      expect(verifyMatchingCertificate(result.solve.result.reduced, result.solve.result.solution)).toEqual([]);
      expect(hardRuleProblems(roster, context, result)).toEqual([]);
    }
    expect(pruned.stats.pricingRounds).toBeGreaterThan(1);
    expect(cents(pruned)).toBe(cents(full));
  });

  it('gives the same total score with heavy pruning as with wide candidate lists when capacities vary', () => {
    const roster = generateRoster({ size: 250, seed: 5 });
    for (const mode of ['reverse', 'mutual'] as const) {
      const context = contextOf({ mode });
      const pruned = new OptimalMatcher({ candidatesPerPerson: 2, fullGraphUpTo: 0 }).match(roster, context);
      const wide = new OptimalMatcher({ candidatesPerPerson: 400 }).match(roster, context);
      expect(pruned.stats.proven).toBe(true);
      expect(cents(pruned)).toBe(cents(wide));
      expect(hardRuleProblems(roster, context, pruned)).toEqual([]);
      expect(cents(pruned)).toBeGreaterThanOrEqual(cents(new GreedyMatcher().match(roster, context)));
    }
  });

  it('picks the candidates of a pruned first solve so that its duals leave almost no left-out pair violated, in every mode and objective', () => {
    // By score alone the sought-after people's pairs filled every list: 205 violated pairs here in reverse mode
    // (297 mutual, 135 under max-pairs) and a second round on 40 % more pairs. By score less approximate duals: none.
    for (const [roster, settings] of [
      [generateRoster({ size: 500, seed: 7 }), { mode: 'reverse' }],
      [generateRoster({ size: 400, seed: 3 }), { mode: 'mutual' }],
      [generateRoster({ size: 400, seed: 3 }), { mode: 'reverse', objective: 'max-pairs' }],
    ] as const) {
      const context = contextOf(settings);
      const violationsPerRound: number[] = [];
      const result = new OptimalMatcher({ fullGraphUpTo: 0, onRound: (round) => violationsPerRound.push(round.violations) }).match(roster, context);
      expect(result.stats.proven).toBe(true);
      expect(violationsPerRound[0], JSON.stringify(settings)).toBeLessThanOrEqual(result.stats.allowedPairs / 1000);
      expect(cents(result)).toBe(cents(new OptimalMatcher().match(roster, context)));
    }
  });

  it('pairs more people under max-pairs than under best-score, or as many', () => {
    const roster = generateRoster({ size: 200, seed: 9 });
    const best = new OptimalMatcher().match(roster, contextOf({ objective: 'best-score' }));
    const most = new OptimalMatcher().match(roster, contextOf({ objective: 'max-pairs' }));
    expect(most.pairs.length).toBeGreaterThanOrEqual(best.pairs.length);
    expect(cents(most)).toBeLessThanOrEqual(cents(best));
  });
});

describe('the optimal matcher when it must stop before proving optimality', HEAVY, () => {
  it('after a single pruned round returns a valid pairing whose upper bound is at least the true optimum', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const context = contextFor({ ...c, objective: 'best-score' });
        const result = new OptimalMatcher({ candidatesPerPerson: 1, fullGraphUpTo: 0, maxPricingRounds: 1 }).match(c.people, context);
        expect(hardRuleProblems(c.people, context, result)).toEqual([]);
        const best = bruteForceByTheRules(c.people, context).weight;
        expect(cents(result)).toBeLessThanOrEqual(best);
        expect(result.stats.upperBound * 100).toBeGreaterThanOrEqual(best - 1e-6);
        if (result.stats.proven) expect(cents(result)).toBe(best);
      }),
      { numRuns: 400 },
    );
  });

  it('with a deadline already passed still returns a valid pairing, and its upper bound is at least the true optimum', () => {
    fc.assert(
      fc.property(cohortArb, (c) => {
        const context = contextFor({ ...c, objective: 'best-score' });
        const result = new OptimalMatcher({ deadlineMs: 0, fullGraphUpTo: c.minGenerationGapYears % 2 === 0 ? 0 : undefined, candidatesPerPerson: 1 }).match(
          c.people,
          context,
        );
        expect(hardRuleProblems(c.people, context, result)).toEqual([]);
        const best = bruteForceByTheRules(c.people, context).weight;
        expect(result.stats.upperBound * 100).toBeGreaterThanOrEqual(best - 1e-6);
        expect(result.stats.upperBound * 100).toBeGreaterThanOrEqual(cents(result) - 1e-6);
        if (result.stats.proven) expect(cents(result)).toBe(best);
      }),
      { numRuns: 400 },
    );
  });

  it('stops at the deadline on a larger cohort with a valid pairing, a proof left undone and a bound above the optimum found without one', () => {
    const roster = generateRoster({ size: 300, seed: 21 });
    for (const mode of ['reverse', 'mutual'] as const) {
      const context = contextOf({ mode });
      const rushed = new OptimalMatcher({ deadlineMs: 0 }).match(roster, context);
      const exact = new OptimalMatcher().match(roster, context);
      expect(hardRuleProblems(roster, context, rushed)).toEqual([]);
      expect(rushed.stats.stoppedAtDeadline).toBe(true);
      expect(rushed.stats.proven).toBe(false);
      expect(exact.stats.proven).toBe(true);
      expect(cents(rushed)).toBeLessThanOrEqual(cents(exact));
      expect(rushed.stats.upperBound * 100).toBeGreaterThanOrEqual(cents(exact) - 1e-6);
    }
  });

  it('keeps a valid pairing and an upper bound above the optimum when pricing is cut one round short', () => {
    const roster = generateRoster({ size: 400, seed: 3 });
    const context = contextOf({ mode: 'reverse' });
    const exact = new OptimalMatcher({ candidatesPerPerson: 2, fullGraphUpTo: 0 }).match(roster, context);
    expect(exact.stats.proven).toBe(true);
    expect(verifyMatchingCertificate(exact.solve.result.reduced, exact.solve.result.solution)).toEqual([]);
    const cut = new OptimalMatcher({ candidatesPerPerson: 2, fullGraphUpTo: 0, maxPricingRounds: Math.max(1, exact.stats.pricingRounds - 1) }).match(
      roster,
      context,
    );
    expect(hardRuleProblems(roster, context, cut)).toEqual([]);
    expect(cut.stats.upperBound * 100).toBeGreaterThanOrEqual(cents(exact) - 1e-6);
    expect(cents(cut)).toBeLessThanOrEqual(cents(exact));
  });
});

/** The verdict of every pair (i < j) by scanPairs and by evaluatePair, as "i j allowed mentor cents" or "i j rejected code", and the rejection counts. */
function verdictsBothWays(
  people: Participant[],
  context: MatchContext,
): { scanned: string[]; evaluated: string[]; counted: number[]; expectedCounts: number[] } {
  const c = compileCohort(people, context);
  const codes = REJECTION_CODES.length;
  const rejections = new Int32Array(c.n * codes);
  const allowed = new Map<string, string>();
  scanPairs(c, rejections, (i, j, e) => allowed.set(`${i} ${j}`, `${i} ${j} allowed ${e.mentor} ${e.cents}`));
  const scanned: string[] = [];
  const evaluated: string[] = [];
  const expectedCounts = new Array<number>(c.n * codes).fill(0);
  for (let i = 0; i < c.n; i++) {
    for (let j = i + 1; j < c.n; j++) {
      const e = evaluatePair(c, i, j);
      if (e.allowed) evaluated.push(`${i} ${j} allowed ${e.mentor} ${e.cents}`);
      else {
        evaluated.push(`${i} ${j} rejected`);
        expectedCounts[i * codes + e.code] = (expectedCounts[i * codes + e.code] as number) + 1;
        expectedCounts[j * codes + e.code] = (expectedCounts[j * codes + e.code] as number) + 1;
      }
      scanned.push(allowed.get(`${i} ${j}`) ?? `${i} ${j} rejected`);
    }
  }
  return { scanned, evaluated, counted: Array.from(rejections), expectedCounts };
}

/** More skills than fit a 32-bit mask: the scan then has no skill masks to reject pairs with. */
const WIDE_CATALOG = [
  ...SAMPLE_SKILLS,
  ...Array.from({ length: 40 }, (_, k) => ({
    id: `extra-skill-${k}`,
    labels: { 'pt-BR': `Habilidade ${k}`, en: `Extra skill ${k}` },
    aliases: [],
    digital: false,
  })),
];

describe('scanning every pair of a cohort', HEAVY, () => {
  it('allows, scores and rejects each pair exactly as evaluating it alone does, in both modes and with any gap', () => {
    fc.assert(
      fc.property(fc.oneof(cohortArb, sameGenerationCohortArb), fc.boolean(), (cohort, wideCatalog) => {
        const context = contextFor(cohort);
        const { scanned, evaluated, counted, expectedCounts } = verdictsBothWays(
          cohort.people,
          wideCatalog ? { ...context, skillsCatalog: WIDE_CATALOG } : context,
        );
        expect(scanned).toEqual(evaluated);
        expect(counted).toEqual(expectedCounts);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same verdicts and rejection counts as evaluating each pair alone on a generated roster of 300 people', () => {
    const people = generateRoster({ size: 300, seed: 7 });
    for (const mode of ['reverse', 'mutual'] as const) {
      for (const skillsCatalog of [SAMPLE_SKILLS, WIDE_CATALOG]) {
        const { scanned, evaluated, counted, expectedCounts } = verdictsBothWays(people, { ...contextOf({ mode }), skillsCatalog });
        expect(scanned).toEqual(evaluated);
        expect(counted).toEqual(expectedCounts);
      }
    }
  });
});

describe('explanations', () => {
  const ana: Participant = {
    participantId: 'ana',
    name: 'Ana Souza',
    email: 'ana@example.com',
    department: 'Sales',
    birthYear: 1997,
    seniority: 2,
    skillsOffered: [
      { skill: 'data-visualisation', level: 5 },
      { skill: 'cloud-tools', level: 4 },
    ],
    skillsWanted: [{ skill: 'negotiation', priority: 5 }],
    languages: ['pt-BR', 'en'],
    timeZone: 'America/Sao_Paulo',
    capacity: 1,
    status: 'active',
  };
  const carlos: Participant = {
    participantId: 'carlos',
    name: 'Carlos Lima',
    email: 'carlos@example.com',
    department: 'Marketing',
    birthYear: 1969,
    seniority: 8,
    skillsOffered: [{ skill: 'negotiation', level: 5 }],
    skillsWanted: [
      { skill: 'data-visualisation', priority: 5 },
      { skill: 'cloud-tools', priority: 4 },
    ],
    languages: ['pt-BR'],
    timeZone: 'America/Sao_Paulo',
    capacity: 1,
    status: 'active',
  };

  it('says in one sentence who teaches whom what, how many years apart, and the department partnership', () => {
    const result = new OptimalMatcher().match([ana, carlos], contextOf());
    expect(result.pairs).toHaveLength(1);
    const pair = result.pairs[0];
    expect(pair?.mentorId).toBe('ana');
    expect(pair?.explanation).toBe(
      'Ana teaches Carlos data visualisation and cloud tools; Carlos teaches Ana negotiation; 28 years apart; Sales and Marketing, a partnership HR asked for',
    );
    expect(pair?.skillsTaught).toEqual({ byMentor: ['data-visualisation', 'cloud-tools'], byMentee: ['negotiation'] });
    expect(Object.keys(pair?.breakdown ?? {})).toContain('favouredPartnership');
  });

  it('splits its sentence into the names, skill labels and departments it put in, each whole, for a page to isolate', () => {
    // Labels as a catalog may hold them from before they were checked: one opens with a right-to-left override.
    const catalog = SAMPLE_SKILLS.map((s) =>
      s.id === 'data-visualisation'
        ? { ...s, labels: { ...s.labels, en: '\u202Egnp.exe' } }
        : s.id === 'negotiation'
          ? { ...s, labels: { ...s.labels, en: 'تفاوض' } }
          : s,
    );
    const [pair] = new OptimalMatcher().match([ana, carlos], { ...contextOf(), skillsCatalog: catalog }).pairs;
    const parts = explanationParts(pair?.explanation ?? '', namesInExplanation(ana.name, carlos.name));
    expect(parts.map((p) => p.text).join('')).toBe(pair?.explanation);
    expect(parts.filter((p) => p.value).map((p) => p.text)).toEqual([
      'Ana',
      'Carlos',
      '\u202Egnp.exe',
      'cloud tools',
      'Carlos',
      'Ana',
      'تفاوض',
      '28 years apart',
      'Sales',
      'Marketing',
      'a partnership HR asked for',
    ]);
  });

  it('tells an unmatched person why: not taking part, no eligible partner by rule, or capacity', () => {
    const optedOut = { ...carlos, participantId: 'out', status: 'opted-out' as const };
    const english = { ...carlos, participantId: 'eng', languages: ['en'] };
    const rival = { ...ana, participantId: 'rival', name: 'Rita Alves', languages: ['pt-BR'] };
    const portugueseOnlyAna = { ...ana, languages: ['pt-BR'] };
    const result = new OptimalMatcher().match([portugueseOnlyAna, carlos, optedOut, english, rival], contextOf());
    const reasons = new Map(result.unmatched.map((u) => [u.participantId, u.reason]));
    expect(reasons.get('out')).toBe('not taking part (opted-out)');
    expect(reasons.get('eng')).toMatch(/^no eligible partner .*no shared language/);
    expect([reasons.get('ana'), reasons.get('rival')].filter(Boolean)).toHaveLength(1);
    expect(reasons.get('ana') ?? reasons.get('rival')).toMatch(/^capacity: the one eligible partner is already paired/);
  });

  it('names the rule that keeps a manager and their report apart', () => {
    const report = { ...ana, managerId: 'carlos' };
    const result = new OptimalMatcher().match([report, carlos], contextOf());
    expect(result.pairs).toHaveLength(0);
    expect(result.unmatched.find((u) => u.participantId === 'ana')?.reason).toContain('1 same reporting line');
  });
});
