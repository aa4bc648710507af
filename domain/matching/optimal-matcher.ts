import type { Participant } from '../participant.ts';
import { DualPricer, dualBound, maxWeightBMatching, type BMatchingResult, type CapacitatedGraph } from '@tandem/max-weight-matching';
import { describePair, noPartnerReason } from './explain.ts';
import type { MatchContext, Matcher, MatchResult, ProposedPair, UnmatchedParticipant } from './matcher.ts';
import { compileCohort, REJECTION_CODES, scanPairs, type CompiledCohort, type Rejection } from './scoring.ts';

export interface OptimalMatcherOptions {
  /**
   * Candidate partners kept per person and unit of capacity before the exact solve (default 12),
   * the best by score less both people's approximate duals (see `approximateDuals`).
   * Only a speed setting: pricing adds back every left-out pair that could improve the
   * result, so the result is the exact optimum of the whole cohort whatever this is.
   */
  candidatesPerPerson?: number;
  /** Rounds of pricing before giving up on proving optimality (default 20); see `stats.proven`. */
  maxPricingRounds?: number;
  /** Most violated left-out pairs added per person and unit of capacity in the first pricing round (default 8), doubling each round up to 64. */
  addedPerRound?: number;
  /**
   * With violations left, pairs within this share of the best score of being violated are added
   * too (default 0.1): they tend to become violated in the next round, so fewer rounds are needed.
   */
  pricingMargin?: number;
  /**
   * Cohorts with at most this many allowed pairs are given to the solver on all of them in one go
   * (default 400,000: about 2,100 people), which prunes and prices them itself (`coreDegree` in
   * @tandem/max-weight-matching); larger ones start from the candidates and are priced here, before
   * capacities are split (faster from about 5,000 people: docs/matching.md, "Candidate pruning").
   */
  fullGraphUpTo?: number;
  /**
   * A time budget for the whole match, in milliseconds from its start. When it runs out, the
   * exact solve stops and the best valid pairing found so far is returned with
   * `stats.proven = false` and its proven bound in `stats.upperBound`. Scoring every pair and
   * the final pricing pass are not interrupted (they take linear time in the allowed pairs).
   */
  deadlineMs?: number;
  /** Called after each pricing round (for progress and diagnostics). */
  onRound?: (round: {
    round: number;
    solvedPairs: number;
    reducedEdges: number;
    solveMs: number;
    violations: number;
    /** Σ of the violated pairs' excess over their dual constraints, in hundredths of a point. */
    excess: number;
    /** Left-out pairs not violated but within `pricingMargin` of it (candidates for the next round). */
    nearlyViolated: number;
    /** False when the deadline cut this round's solve short. */
    complete: boolean;
    score: number;
    upperBound: number;
  }) => void;
}

export interface OptimalMatchStats {
  objective: 'best-score' | 'max-pairs';
  /** Active participants. */
  eligible: number;
  /** Pairs the hard rules allow. */
  allowedPairs: number;
  /** Pairs given to the exact solver (candidates plus those pricing added). */
  solvedPairs: number;
  pricingRounds: number;
  addedByPricing: number;
  /** Allowed pairs whose dual constraint pricing had to examine closely, over all rounds (the others were covered by their people's duals at a glance). */
  pricedPairs: number;
  /** True when the duals prove the result optimal over every allowed pair of the cohort. */
  proven: boolean;
  /** True when `deadlineMs` ended the solve before optimality was proven. */
  stoppedAtDeadline: boolean;
  /** Σ of the pairs' scores. */
  totalScore: number;
  /** An upper bound on the best possible total score (equal to totalScore when proven). Only for best-score. */
  upperBound: number;
  reducedVertices: number;
  reducedEdges: number;
  augmentations: number;
  substages: number;
  /**
   * The solver's work over every round, in counts that do not change with the machine's speed
   * (see `MatchingSolution.stats`): for comparing code where timings are too noisy.
   */
  work: { dualSteps: number; edgeVisits: number };
  timings: { compileMs: number; candidatesMs: number; solveMs: number; pricingMs: number; explainMs: number };
}

export interface OptimalMatchResult extends MatchResult {
  stats: OptimalMatchStats;
  /** The last exact solve, with its dual certificate (for tests and audits). */
  solve: { graph: CapacitatedGraph; result: BMatchingResult; compiled: CompiledCohort };
}

const now = () => performance.now();

/** Damped best-response passes for the candidates' approximate duals (see `approximateDuals`). */
const DUAL_PASSES = 3;

/** A growable list of allowed pairs (i < j) and their scores, in typed arrays (12 bytes a pair). */
class PairList {
  first = new Int32Array(1024);
  second = new Int32Array(1024);
  cents = new Int32Array(1024);
  length = 0;

  push(i: number, j: number, cents: number): void {
    if (this.length === this.first.length) {
      const grow = (old: Int32Array) => {
        const next = new Int32Array(Math.max(1024, old.length * 2));
        next.set(old);
        return next;
      };
      this.first = grow(this.first);
      this.second = grow(this.second);
      this.cents = grow(this.cents);
    }
    this.first[this.length] = i;
    this.second[this.length] = j;
    this.cents[this.length] = cents;
    this.length++;
  }
}

/** A growable list of indices in a typed array (millions of them in a pricing round at 10,000 people). */
class IndexList {
  private items = new Int32Array(1 << 16);
  length = 0;

  push(index: number): void {
    if (this.length === this.items.length) {
      const next = new Int32Array(this.items.length * 2);
      next.set(this.items);
      this.items = next;
    }
    this.items[this.length++] = index;
  }

  at(k: number): number {
    return this.items[k] as number;
  }

  clear(): void {
    this.length = 0;
  }
}

/** Min-heaps of each person's best items by weight (here: indices of their allowed pairs), in flat typed arrays. */
class CandidateHeaps {
  readonly start: Int32Array;
  readonly size: Int32Array;
  readonly weight: Float64Array;
  readonly item: Int32Array;
  /**
   * What an offer to v must beat: the least weight in v's heap once it is full (-Infinity before).
   * Most offers are refused, and this refuses them with one read (millions a pass at 10,000 people).
   */
  readonly floor: Float64Array;

  constructor(limits: Int32Array) {
    const n = limits.length;
    this.start = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) this.start[v + 1] = (this.start[v] as number) + (limits[v] as number);
    this.size = new Int32Array(n);
    this.weight = new Float64Array(this.start[n] as number);
    this.item = new Int32Array(this.start[n] as number);
    this.floor = Float64Array.from(limits, (limit) => (limit === 0 ? Infinity : -Infinity));
  }

  offer(v: number, item: number, w: number): void {
    if (w <= (this.floor[v] as number)) return;
    const base = this.start[v] as number;
    const cap = (this.start[v + 1] as number) - base;
    const size = this.size[v] as number;
    const W = this.weight;
    const P = this.item;
    if (size < cap) {
      let at = size;
      this.size[v] = size + 1;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if ((W[base + up] as number) <= w) break;
        W[base + at] = W[base + up] as number;
        P[base + at] = P[base + up] as number;
        at = up;
      }
      W[base + at] = w;
      P[base + at] = item;
      if (size + 1 === cap) this.floor[v] = W[base] as number;
      return;
    }
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= cap) break;
      const right = left + 1;
      const child = right < cap && (W[base + right] as number) < (W[base + left] as number) ? right : left;
      if ((W[base + child] as number) >= w) break;
      W[base + at] = W[base + child] as number;
      P[base + at] = P[base + child] as number;
      at = child;
    }
    W[base + at] = w;
    P[base + at] = item;
    this.floor[v] = W[base] as number;
  }
}

/**
 * A solve stopped at the deadline leaves people with spare capacity (the primal-dual method
 * grows the matching as it goes): complete it greedily, heaviest pairs of the graph first.
 */
function fillGreedily(graph: CapacitatedGraph, partial: BMatchingResult): BMatchingResult {
  const spare = Int32Array.from(graph.capacity);
  const chosen = new Uint8Array(graph.weight.length);
  for (const k of partial.selected) {
    chosen[k] = 1;
    spare[graph.from[k] as number] = (spare[graph.from[k] as number] as number) - 1;
    spare[graph.to[k] as number] = (spare[graph.to[k] as number] as number) - 1;
  }
  const order = Array.from({ length: graph.weight.length }, (_, k) => k).sort((a, b) => (graph.weight[b] as number) - (graph.weight[a] as number) || a - b);
  const selected = partial.selected.slice();
  let weight = partial.weight;
  for (const k of order) {
    const u = graph.from[k] as number;
    const v = graph.to[k] as number;
    if (chosen[k] || (spare[u] as number) === 0 || (spare[v] as number) === 0) continue;
    chosen[k] = 1;
    spare[u] = (spare[u] as number) - 1;
    spare[v] = (spare[v] as number) - 1;
    selected.push(k);
    weight += graph.weight[k] as number;
  }
  selected.sort((a, b) => a - b);
  return { ...partial, selected, weight };
}

/**
 * An upper bound on the best b-matching from the fractional b-matching LP's dual
 * (Σ cap·y + Σ over allowed pairs of (w − y_u − y_v)⁺, valid for any y ≥ 0), improved from
 * `start` by damped rounds in which every person moves halfway to their best y given the others'
 * (the cap-th largest w − y_u over their pairs). Each round is one pass over the allowed pairs.
 */
function fractionalBound(allowed: PairList, capacity: Int32Array, start: Float64Array, maxRounds = 12): number {
  let y = start;
  let best = Infinity;
  for (let round = 0; round <= maxRounds; round++) {
    const step = bestResponse(allowed, capacity, y, 0);
    // Stop once a round gains less than 0.01 %.
    const gain = best - step.bound;
    best = Math.min(best, step.bound);
    if (round === maxRounds || gain < best * 1e-4) break;
    y = step.next;
  }
  return best;
}

/**
 * One pass over the allowed pairs (weights: score plus `bonus`) at person duals y: the bound
 * Σ cap·y + Σ (w − y_u − y_v)⁺ of the fractional b-matching LP, and the damped best response,
 * each person halfway to the `capacity`-th largest w − y_u over their pairs (0 when fewer).
 */
function bestResponse(allowed: PairList, capacity: Int32Array, y: Float64Array, bonus: number): { bound: number; next: Float64Array } {
  const n = y.length;
  const response = new CandidateHeaps(capacity);
  let bound = 0;
  for (let v = 0; v < n; v++) bound += (capacity[v] as number) * (y[v] as number);
  const { first, second, cents } = allowed;
  for (let q = 0; q < allowed.length; q++) {
    const a = first[q] as number;
    const b = second[q] as number;
    const w = (cents[q] as number) + bonus;
    const ya = y[a] as number;
    const yb = y[b] as number;
    if (w > ya + yb) bound += w - ya - yb;
    response.offer(a, b, w - yb);
    response.offer(b, a, w - ya);
  }
  const next = new Float64Array(n);
  for (let v = 0; v < n; v++) next[v] = ((y[v] as number) + heapReply(response, capacity, v)) / 2;
  return { bound, next };
}

/** The `capacity`-th largest value offered to v's heap (which keeps that many; its top is the smallest), 0 when fewer were offered. */
function heapReply(heaps: CandidateHeaps, capacity: Int32Array, v: number): number {
  return (heaps.size[v] as number) < (capacity[v] as number) ? 0 : Math.max(0, heaps.weight[heaps.start[v] as number] as number);
}

/**
 * Person duals that approximately solve the fractional b-matching LP's dual, to choose the first
 * solve's candidates by: a pair likely to be in the optimum is one whose weight is close to its
 * two people's duals (complementary slackness), not just a heavy one. Starts from the best
 * response to y = 0 (half of each person's `capacity`-th best weight, read from `best`, which
 * holds each person's `capacity` best scores) and takes `passes` damped best-response passes.
 */
function approximateDuals(allowed: PairList, capacity: Int32Array, best: CandidateHeaps, bonus: number, passes: number): Float64Array {
  let y: Float64Array = Float64Array.from({ length: capacity.length }, (_, v) =>
    (best.size[v] as number) < (capacity[v] as number) ? 0 : ((best.weight[best.start[v] as number] as number) + bonus) / 2,
  );
  for (let pass = 0; pass < passes; pass++) y = bestResponse(allowed, capacity, y, bonus).next;
  return y;
}

// The passes over every pair below are functions of their own, not loops inside
// `OptimalMatcher.match`: V8 optimizes a hot loop by compiling its whole function, and the loops of
// `match` had it compiled again and again as each new loop turned hot (eight times in a 2,000-person
// match, the last ones taking 130-150 ms of compiler time each; docs/matching-journal.md, 4 December).

/**
 * Pass 1, every pair once: rejection counts for the reasons, each person's number of allowed
 * partners, and the allowed pairs.
 */
function scoreEveryPair(c: CompiledCohort): { rejections: Int32Array; partners: Int32Array; allowed: PairList; maxCents: number } {
  const rejections = new Int32Array(c.n * REJECTION_CODES.length);
  const partners = new Int32Array(c.n);
  const allowed = new PairList();
  let maxCents = 0;
  scanPairs(c, rejections, (i, j, e) => {
    partners[i] = (partners[i] as number) + 1;
    partners[j] = (partners[j] as number) + 1;
    if (e.cents > maxCents) maxCents = e.cents;
    allowed.push(i, j, e.cents);
  });
  return { rejections, partners, allowed, maxCents };
}

/** Each person's `capacity` best scores over the allowed pairs (for the star bound and the first approximate duals). */
function eachPersonsBest(allowed: PairList, capacity: Int32Array): CandidateHeaps {
  const best = new CandidateHeaps(capacity);
  const { first, second, cents } = allowed;
  for (let q = 0; q < allowed.length; q++) {
    best.offer(first[q] as number, q, cents[q] as number);
    best.offer(second[q] as number, q, cents[q] as number);
  }
  return best;
}

/** Each person's best allowed pairs (as many as `limits` says) by weight (score plus `bonus`) less both people's duals y. */
function bestByReducedWeight(allowed: PairList, limits: Int32Array, y: Float64Array, bonus: number): CandidateHeaps {
  const candidates = new CandidateHeaps(limits);
  const { first, second, cents } = allowed;
  for (let q = 0; q < allowed.length; q++) {
    const a = first[q] as number;
    const b = second[q] as number;
    const reduced = (cents[q] as number) + bonus - (y[a] as number) - (y[b] as number);
    candidates.offer(a, q, reduced);
    candidates.offer(b, q, reduced);
  }
  return candidates;
}

/** The sum of every weight in the heaps. */
function heapTotal(heaps: CandidateHeaps): number {
  let total = 0;
  for (let v = 0; v < heaps.size.length; v++) {
    const start = heaps.start[v] as number;
    for (let q = start; q < start + (heaps.size[v] as number); q++) total += heaps.weight[q] as number;
  }
  return total;
}

/** The pairs given to the exact solver, in the order they were added (a warm start needs the earlier ones first). */
class SolvedPairs {
  /** In typed arrays, as the solver takes them: a round's graph is three copies of memory, not a conversion of every pair. */
  private readonly pairs = new PairList();
  /** By index in `allowed`, a byte per allowed pair (a set of pair keys was slower to look up in every pricing round). */
  readonly inGraph: Uint8Array;

  constructor(private readonly allowed: PairList) {
    this.inGraph = new Uint8Array(allowed.length);
  }

  get length(): number {
    return this.pairs.length;
  }

  add(q: number): void {
    if ((this.inGraph[q] as number) === 1) return;
    this.inGraph[q] = 1;
    this.pairs.push(this.allowed.first[q] as number, this.allowed.second[q] as number, this.allowed.cents[q] as number);
  }

  /** Every allowed pair, in their order: copies of the lists when none is in yet (87,000 `add` calls took 10-20 ms of a fresh 1,000-person match). */
  addAll(): void {
    if (this.pairs.length > 0) {
      for (let q = 0; q < this.allowed.length; q++) this.add(q);
      return;
    }
    const { first, second, cents, length } = this.allowed;
    this.inGraph.fill(1);
    this.pairs.first = first.slice(0, length);
    this.pairs.second = second.slice(0, length);
    this.pairs.cents = cents.slice(0, length);
    this.pairs.length = length;
  }

  addEach(pairs: readonly number[]): void {
    for (const q of pairs) this.add(q);
  }

  /** The solver's graph of the pairs added so far, each weighing its score plus `bonus`. */
  graph(n: number, capacity: Int32Array, bonus: number): CapacitatedGraph {
    const { first, second, cents, length } = this.pairs;
    const weight = new Float64Array(length);
    for (let q = 0; q < length; q++) weight[q] = (cents[q] as number) + bonus;
    return { n, capacity, from: first.slice(0, length), to: second.slice(0, length), weight };
  }

  /** The pairs in every person's heap, person by person. */
  addEachHeap(heaps: CandidateHeaps): void {
    for (let v = 0; v < heaps.size.length; v++) {
      const start = heaps.start[v] as number;
      for (let q = start; q < start + (heaps.size[v] as number); q++) this.add(heaps.item[q] as number);
    }
  }
}

/**
 * One pricing pass over every allowed pair, from the list kept by the first pass (no re-scoring),
 * at the solve's doubled person duals `dd`: the pairs the person duals leave uncovered (their
 * excess, summed in `slackSum`, bounds the optimum) and, among those not solved (not in
 * `inGraph`; all were when it is undefined), the violated ones (with their excess over the full
 * duals, blossom duals included) and, into `nearly`, those within `margin` of being violated.
 */
function priceEveryPair(
  allowed: PairList,
  inGraph: Uint8Array | undefined,
  pricer: DualPricer,
  dd: Float64Array,
  bonus: number,
  margin: number,
  nearly: IndexList,
): { violatedPairs: number[]; violatedExcess: number[]; hasViolation: Uint8Array; pricedPairs: number; slackSum: number; excessSum: number } {
  const violatedPairs: number[] = [];
  const violatedExcess: number[] = [];
  // People with a violated left-out pair: their duals are the ones the next solve moves.
  const hasViolation = new Uint8Array(dd.length);
  let pricedPairs = 0;
  let slackSum = 0;
  let excessSum = 0;
  nearly.clear();
  const { first, second, cents } = allowed;
  for (let q = 0; q < allowed.length; q++) {
    const a = first[q] as number;
    const b = second[q] as number;
    const w = (cents[q] as number) + bonus;
    const doubledDuals = (dd[a] as number) + (dd[b] as number);
    if (doubledDuals >= 2 * (w + margin)) continue; // feasible with room to spare
    pricedPairs++;
    const personExcess = w - doubledDuals / 2;
    if (personExcess > 0) slackSum += personExcess;
    if (inGraph === undefined || (inGraph[q] as number) === 1) continue;
    // Blossom duals only add to what the person duals cover: a pair they cover needs no more.
    const excess = personExcess > 0 ? pricer.excess(a, b, w) : 0;
    if (excess > 0) {
      excessSum += excess;
      violatedPairs.push(q);
      hasViolation[a] = 1;
      hasViolation[b] = 1;
      violatedExcess.push(excess);
    } else if (personExcess > -margin) {
      // Nearly violated: likely to become violated once the added pairs move the duals.
      // Ranked only if another round follows (the last round of a proven match has millions).
      nearly.push(q);
    }
  }
  return { violatedPairs, violatedExcess, hasViolation, pricedPairs, slackSum, excessSum };
}

/** Offers each violated pair to both its people's heaps, ranked above any nearly violated pair (`violatedRank` plus its excess). */
function offerViolated(
  heaps: CandidateHeaps,
  allowed: PairList,
  violatedPairs: readonly number[],
  violatedExcess: readonly number[],
  violatedRank: number,
): void {
  for (let k = 0; k < violatedPairs.length; k++) {
    const q = violatedPairs[k] as number;
    const rank = violatedRank + (violatedExcess[k] as number);
    heaps.offer(allowed.first[q] as number, q, rank);
    heaps.offer(allowed.second[q] as number, q, rank);
  }
}

/**
 * Offers each nearly violated pair, ranked by its excess over the person duals, to its people's
 * heaps: to both, or only to those marked in `onlyAt` when it is given.
 */
function offerNearlyViolated(
  heaps: CandidateHeaps,
  allowed: PairList,
  nearly: IndexList,
  onlyAt: Uint8Array | undefined,
  dd: Float64Array,
  bonus: number,
): void {
  const { first, second, cents } = allowed;
  for (let k = 0; k < nearly.length; k++) {
    const q = nearly.at(k);
    const a = first[q] as number;
    const b = second[q] as number;
    const atA = onlyAt === undefined || (onlyAt[a] as number) === 1;
    const atB = onlyAt === undefined || (onlyAt[b] as number) === 1;
    if (!atA && !atB) continue;
    const personExcess = (cents[q] as number) + bonus - ((dd[a] as number) + (dd[b] as number)) / 2;
    if (atA) heaps.offer(a, q, personExcess);
    if (atB) heaps.offer(b, q, personExcess);
  }
}

/**
 * The exact matcher: the maximum-weight b-matching of the whole cohort under the hard rules
 * (general graph in both modes, capacities, unequal pools), found with Edmonds' blossom
 * algorithm on a pruned candidate graph and proven optimal over every allowed pair by
 * pricing with the optimal duals (left-out pairs that could improve it are added and the
 * solve repeated). "max-pairs" is solved lexicographically: each pair's weight gets a bonus
 * larger than any possible total score, so more pairs always wins, then the best score.
 */
export class OptimalMatcher implements Matcher {
  readonly name = 'optimal';
  private readonly candidatesPerPerson: number;
  private readonly maxPricingRounds: number;
  private readonly addedPerRound: number;
  private readonly pricingMargin: number;
  private readonly onRound: OptimalMatcherOptions['onRound'];
  private readonly fullGraphUpTo: number;
  private readonly deadlineMs: number | undefined;

  constructor(options: OptimalMatcherOptions = {}) {
    this.candidatesPerPerson = Math.max(1, Math.floor(options.candidatesPerPerson ?? 12));
    this.maxPricingRounds = Math.max(1, Math.floor(options.maxPricingRounds ?? 20));
    this.addedPerRound = Math.max(1, Math.floor(options.addedPerRound ?? 8));
    this.pricingMargin = Math.max(0, options.pricingMargin ?? 0.1);
    this.onRound = options.onRound;
    this.fullGraphUpTo = Math.max(0, options.fullGraphUpTo ?? 400_000);
    this.deadlineMs = options.deadlineMs === undefined ? undefined : Math.max(0, options.deadlineMs);
  }

  match(cohort: readonly Participant[], context: MatchContext): OptimalMatchResult {
    const t0 = now();
    const c = compileCohort(cohort, context);
    const n = c.n;
    const t1 = now();

    const { rejections, partners, allowed, maxCents } = scoreEveryPair(c);
    const allowedPairs = allowed.length;
    const objective = context.settings.objective;
    let totalCapacity = 0;
    for (let v = 0; v < n; v++) totalCapacity += c.capacity[v] as number;
    // A bonus per pair above any total score makes "more pairs" win first (exact in doubles: ≪ 2^53).
    const bonus = objective === 'max-pairs' ? maxCents * Math.floor(totalCapacity / 2) + 1 : 0;

    // Each person's `capacity` best scores, built only when needed: not for a cohort solved on
    // every pair and proven, the usual case up to about 2,100 people, where offering every pair to
    // the heaps while scoring took 10-15 % of a fresh 1,000-person match (mostly V8 compiling it).
    let bestScores: CandidateHeaps | undefined;
    const bestOfEach = (): CandidateHeaps => (bestScores ??= eachPersonsBest(allowed, c.capacity));
    // Every pair's score counts half at each end, so Σ over people of their `capacity` best
    // scores, halved, bounds any pairing from above.
    const starBound = (): number => heapTotal(bestOfEach()) / 2;

    const solved = new SolvedPairs(allowed);
    // On the full graph every allowed pair is in it from the start (and only once: the list holds each pair once).
    const allInGraph = allowedPairs <= this.fullGraphUpTo;
    if (allInGraph) {
      // Small enough to solve on every allowed pair at once (then pricing only confirms).
      solved.addAll();
    } else {
      // The candidates: each person's best pairs by score less both people's approximate duals
      // (see `approximateDuals`), not by score alone. By score alone the most sought-after
      // people's pairs fill every list, and the first solve's duals left most left-out pairs
      // violated (1.19 million of 8.7 million on a 10,000-person roster, seed 42), and the second
      // round solved afresh on 1.7 times the pairs (docs/matching-journal.md, 3 December, before midnight).
      const y = approximateDuals(allowed, c.capacity, bestOfEach(), bonus, DUAL_PASSES);
      solved.addEachHeap(
        bestByReducedWeight(
          allowed,
          Int32Array.from(c.capacity, (cap) => cap * this.candidatesPerPerson),
          y,
          bonus,
        ),
      );
    }
    const t2 = now();

    let solveMs = 0;
    const work = { dualSteps: 0, edgeVisits: 0 };
    let pricingMs = 0;
    let rounds = 0;
    let added = 0;
    let pricedPairs = 0;
    let proven = false;
    let upperBound = objective === 'best-score' && !allInGraph ? starBound() : Infinity;
    const deadline = this.deadlineMs === undefined ? Infinity : t0 + this.deadlineMs;
    let stoppedAtDeadline = false;
    let graph: CapacitatedGraph;
    let result: BMatchingResult;
    // Every round's pairing is valid for the whole cohort; the heaviest one is kept in case the deadline cuts the last one short.
    let best: { graph: CapacitatedGraph; result: BMatchingResult } | undefined;
    // The last complete solve, to start the next round from (see below for when it is not used).
    let warmFrom: BMatchingResult | undefined;
    let lastPricer: DualPricer | undefined;
    // Indices of the nearly violated pairs of a pricing round, reused from round to round.
    const nearly = new IndexList();
    for (;;) {
      rounds++;
      const s0 = now();
      graph = solved.graph(n, c.capacity, bonus);
      // From the second round on, the solve starts from the previous round's optimum (its edges are the first ones of this graph).
      const previous = warmFrom;
      result = maxWeightBMatching(graph, { stopAt: deadline, ...(previous === undefined ? {} : { previous }) });
      const s1 = now();
      solveMs += s1 - s0;
      work.dualSteps += result.solution.stats.substages;
      work.edgeVisits += result.solution.stats.edgeVisits;
      const complete = result.solution.complete;
      warmFrom = complete ? result : undefined;
      if (!complete) result = fillGreedily(graph, result);
      if (best === undefined || result.weight >= best.result.weight) best = { graph, result };
      if (!complete) {
        stoppedAtDeadline = true;
        // The duals of an unfinished solve are feasible but weak; an earlier round's bound is better and still holds.
        if (rounds > 1) break;
      }
      if (complete && allInGraph) {
        // Every allowed pair was solved: the solver's dual certificate already covers the whole
        // cohort, and no pair is left out to price.
        proven = true;
        const score = (result.weight - bonus * result.selected.length) / 100;
        this.onRound?.({
          round: rounds,
          solvedPairs: solved.length,
          reducedEdges: result.reduced.weight.length,
          solveMs: s1 - s0,
          violations: 0,
          excess: 0,
          nearlyViolated: 0,
          complete,
          score,
          upperBound: objective === 'best-score' ? score : Number.NaN,
        });
        break;
      }
      const pricer = new DualPricer(graph, result);
      lastPricer = pricer;
      // The most violated left-out pairs of each person (bounded, so that the graph stays sparse;
      // later rounds pick up the rest if they still matter).
      // Doubling each round: a few pairs at first keep the graph small; stubborn cascades of
      // violations are then settled in a few more rounds instead of many.
      const perRound = Math.min(64, this.addedPerRound * 2 ** (rounds - 1));
      const margin = this.pricingMargin * maxCents;
      const violatedRank = 2 * (maxCents + bonus) + margin;
      let dualSum = 0;
      for (let v = 0; v < n; v++) dualSum += (c.capacity[v] as number) * pricer.personDual(v);
      const dd = Float64Array.from({ length: n }, (_, v) => pricer.doubledDual(v));
      const priced = priceEveryPair(allowed, allInGraph ? undefined : solved.inGraph, pricer, dd, bonus, margin, nearly);
      const { violatedPairs, violatedExcess, hasViolation, slackSum, excessSum } = priced;
      const violations = violatedPairs.length;
      pricedPairs += priced.pricedPairs;
      // Two upper bounds from weak duality, valid for any non-negative duals: the b-matching
      // LP with odd-set constraints (the solver's duals plus every left-out pair's excess), and
      // the fractional b-matching LP (Σ cap·y + Σ (w − y_u − y_v)⁺ with each person's cheapest copy).
      upperBound = Math.min(upperBound, dualSum + slackSum, dualBound(graph, result) + excessSum);
      pricingMs += now() - s1;
      this.onRound?.({
        round: rounds,
        solvedPairs: solved.length,
        reducedEdges: result.reduced.weight.length,
        solveMs: s1 - s0,
        violations,
        excess: excessSum,
        nearlyViolated: nearly.length,
        complete,
        score: (result.weight - bonus * result.selected.length) / 100,
        upperBound: objective === 'best-score' ? upperBound / 100 : Number.NaN,
      });
      if (!complete) break;
      if (violations === 0) {
        proven = true;
        break;
      }
      if (rounds >= this.maxPricingRounds) break;
      if (now() >= deadline) {
        stoppedAtDeadline = true;
        break;
      }
      // Each violated pair the warm start repairs frees a vertex; with violations far above the
      // number of people most of the matching would be undone, and a fresh solve was as fast or
      // faster (measured: the second rounds at 10,000 people, ~100 violations a person). Up to 4
      // per person warm is faster: seed 45, round 3, 29,865 violations, 1.3 s warm against 2.3 s.
      if (violations > 4 * n) warmFrom = undefined;
      const violated = new CandidateHeaps(Int32Array.from(c.capacity, (cap) => cap * perRound));
      // Violated pairs first, most violated first (by the full duals: y alone can look violated
      // where blossom duals cover the pair), then the nearly violated ones by their excess over y.
      offerViolated(violated, allowed, violatedPairs, violatedExcess, violatedRank);
      // Once the violations are few, nearly violated pairs only at people with a violated pair,
      // where the next solve moves the duals (the next pricing round catches any other that turns
      // violated). Without this, a round left with 8 violated pairs among 10,000 people added 64
      // nearly violated pairs per person and doubled the graph (seed 45, docs/matching-journal.md); with it
      // in every round, round 4 there was left with 300 violations instead of 8 (measured). They are
      // ranked only by those people: the others' heaps had to rank every nearly violated pair
      // (4.4 million in seed 45's fourth round) to add the few with a violated partner.
      offerNearlyViolated(violated, allowed, nearly, violations * 10 <= n ? hasViolation : undefined, dd, bonus);
      const before = solved.length;
      // Once the violations are fewer than the pairs already solved, every one of them is added:
      // capping them per person only spreads a stubborn cluster of violations over more rounds.
      if (violations <= solved.length) solved.addEach(violatedPairs);
      solved.addEachHeap(violated);
      added += solved.length - before;
    }
    graph = best.graph;
    result = best.result;
    if (!proven && objective === 'best-score') upperBound = Math.min(upperBound, starBound());
    if (!proven && objective === 'best-score' && lastPricer !== undefined) {
      const pricer = lastPricer;
      const start = Float64Array.from({ length: n }, (_, v) => pricer.flattenedPersonDual(v));
      upperBound = Math.min(upperBound, fractionalBound(allowed, c.capacity, start));
    }

    const t3 = now();
    const pairs: ProposedPair[] = result.selected.map((k) => describePair(c, graph.from[k] as number, graph.to[k] as number, context.skillsCatalog));
    pairs.sort((a, b) => b.score - a.score || a.mentorId.localeCompare(b.mentorId) || a.menteeId.localeCompare(b.menteeId));
    const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
    const unmatched: UnmatchedParticipant[] = [];
    for (const p of cohort) {
      if (paired.has(p.participantId)) continue;
      const i = c.index.get(p.participantId);
      if (i === undefined) {
        unmatched.push({ participantId: p.participantId, reason: `not taking part (${p.status})` });
        continue;
      }
      const eligiblePartners = partners[i] as number;
      if (eligiblePartners === 0) {
        const counts: Partial<Record<Rejection, number>> = {};
        REJECTION_CODES.forEach((r, k) => (counts[r] = rejections[i * REJECTION_CODES.length + k] as number));
        unmatched.push({ participantId: p.participantId, reason: noPartnerReason(counts, n - 1) });
      } else {
        unmatched.push({
          participantId: p.participantId,
          reason:
            `capacity: ${eligiblePartners === 1 ? 'the one eligible partner is' : `all ${eligiblePartners} eligible partners are`} ` +
            `already paired up to their capacity, in pairings that ${objective === 'max-pairs' ? 'pair more people' : 'give the cohort a higher total score'}`,
        });
      }
    }
    const totalCents = result.selected.reduce((sum, k) => sum + (graph.weight[k] as number) - bonus, 0);
    const t4 = now();
    return {
      pairs,
      unmatched,
      stats: {
        objective,
        eligible: n,
        allowedPairs,
        solvedPairs: solved.length,
        pricingRounds: rounds,
        addedByPricing: added,
        pricedPairs,
        proven,
        stoppedAtDeadline,
        totalScore: totalCents / 100,
        upperBound: objective === 'best-score' ? (proven ? totalCents / 100 : upperBound / 100) : Number.NaN,
        reducedVertices: result.reduced.vertexCount,
        reducedEdges: result.reduced.weight.length,
        augmentations: result.solution.stats.augmentations,
        substages: result.solution.stats.substages,
        work,
        timings: { compileMs: t1 - t0, candidatesMs: t2 - t1, solveMs, pricingMs, explainMs: t4 - t3 },
      },
      solve: { graph, result, compiled: c },
    };
  }
}
