import { generationYear, type Participant } from '../participant.ts';
import type { MatchingSettings } from '../program.ts';
import { MATCHING_WEIGHT_KEYS, type MatchingWeightKey } from '../program.ts';
import type { MatchContext } from './matcher.ts';

/**
 * The score of a pair and the hard rules, compiled once per cohort into typed arrays so
 * that a solver can evaluate tens of millions of pairs. Scores are kept in integer
 * hundredths ("cents") so that solvers work in exact integer arithmetic; every criterion
 * is rounded separately, so a pair's breakdown always adds up to its score.
 *
 * Each weight is the number of points a criterion gives when it is fully met:
 * - skillsTaughtByMentor / skillsTaughtByMentee: points per skill taught at level 5 to
 *   someone who wants it with priority 5 (level × priority / 25 × weight, summed over skills).
 *   In mutual mode both directions use the average of the two weights (the roles are nominal).
 * - generationGap: at 30 or more years apart (linear below).
 * - seniorityGap: at 9 seniority levels apart (linear below).
 * - crossDepartment: different departments.
 * - favouredPartnership: the two departments form a partnership HR asked to favour.
 * - diversity: they differ in every other attribute the roster carries (preferred language
 *   and region of their time zone; each differing attribute gives its share).
 * - timeZoneOverlap: 8 or more shared working hours (09:00-17:00 local; linear below;
 *   full points when a time zone is unknown).
 */
export const DEFAULT_MATCHING_WEIGHTS: Readonly<Record<MatchingWeightKey, number>> = {
  skillsTaughtByMentor: 10,
  skillsTaughtByMentee: 6,
  generationGap: 8,
  seniorityGap: 4,
  crossDepartment: 5,
  favouredPartnership: 8,
  diversity: 3,
  timeZoneOverlap: 4,
};

/** Breakdown criteria, in the order they are stored and shown. */
export const CRITERIA = MATCHING_WEIGHT_KEYS;
export type Criterion = MatchingWeightKey;

export function resolveWeights(settings: Pick<MatchingSettings, 'weights'>): Record<MatchingWeightKey, number> {
  const out = { ...DEFAULT_MATCHING_WEIGHTS };
  for (const key of MATCHING_WEIGHT_KEYS) {
    const value = settings.weights[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Why two people cannot be paired; the order is the order the rules are checked in. */
export const REJECTIONS = {
  orientation: 'no generation or seniority gap in the reverse direction',
  language: 'no shared language',
  skills: 'nothing to teach each other',
  reportingLine: 'same reporting line',
  forbidden: 'paired in a recent cycle or marked do-not-pair',
} as const;
export type Rejection = keyof typeof REJECTIONS;
const REJECTION_CODES: Rejection[] = ['orientation', 'language', 'skills', 'reportingLine', 'forbidden'];

const GENERATION_FULL_YEARS = 30;
const SENIORITY_FULL_LEVELS = 9;
const WORKING_HOURS = 8;

const offsetCache = new Map<string, number>();
/** UTC offset in minutes of an IANA time zone on a fixed reference date; NaN when unknown. */
export function utcOffsetMinutes(timeZone: string | undefined, referenceYear: number): number {
  if (!timeZone) return Number.NaN;
  const key = `${timeZone}@${referenceYear}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  let minutes = Number.NaN;
  try {
    const text = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(Date.UTC(referenceYear, 0, 15, 12)))
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = /GMT(?:([+-])(\d{1,2}):?(\d{2})?)?/.exec(text ?? '');
    if (match) minutes = match[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
  } catch {
    minutes = Number.NaN;
  }
  offsetCache.set(key, minutes);
  return minutes;
}

/** A cohort compiled for fast pair evaluation. Indices refer to `people` (the eligible participants). */
export interface CompiledCohort {
  readonly people: readonly Participant[];
  readonly n: number;
  readonly index: ReadonlyMap<string, number>;
  readonly mode: MatchingSettings['mode'];
  readonly minGap: number;
  readonly weights: Record<MatchingWeightKey, number>;
  readonly capacity: Int32Array;
  readonly gen: Int32Array;
  readonly seniority: Int32Array;
  readonly langMask: Int32Array;
  readonly department: Int32Array;
  readonly departmentNames: readonly string[];
  readonly favoured: Uint8Array;
  readonly offerStart: Int32Array;
  readonly offerSkill: Int32Array;
  readonly offerLevel: Int32Array;
  readonly skillCount: number;
  readonly wanted: Uint8Array;
  /** Level offered per skill (n × skillCount), 0 when not offered. */
  readonly offeredLevel: Uint8Array;
  /** Bit masks of skills offered and wanted, when the catalog has at most 32 skills (else undefined). */
  readonly offerMask: Int32Array | undefined;
  readonly wantMask: Int32Array | undefined;
  /** Eligible ancestors up the manager chain as CSR lists (ancestorStart[i]..ancestorStart[i+1]). */
  readonly ancestorStart: Int32Array;
  readonly ancestorList: Int32Array;
  readonly tzOffset: Float64Array;
  readonly region: Int32Array;
  readonly preferredLanguage: Int32Array;
  /** Eligible ancestors up the manager chain (walked through everyone, also people not taking part). */
  readonly ancestors: ReadonlyArray<ReadonlySet<number> | undefined>;
  readonly forbidden: ReadonlySet<number>;
  readonly skillIds: readonly string[];
  /** Each person's rank by participantId: breaks ties between a pair's two orientations independently of roster order. */
  readonly idRank: Int32Array;
  /** Cents of the criteria that take few values, by value (years apart, levels apart, criteria differing), computed once: scoring 45 million pairs reads them. */
  readonly generationCents: Int32Array;
  readonly seniorityCents: Int32Array;
  readonly diversityCents: Int32Array;
  readonly crossDepartmentCents: number;
  readonly favouredCents: number;
}

/** Participants who can take part at all. */
export const isActive = (p: Participant): boolean => p.status === 'active';

export function compileCohort(cohort: readonly Participant[], context: MatchContext, everyone: readonly Participant[] = cohort): CompiledCohort {
  const people = cohort.filter(isActive);
  const n = people.length;
  const index = new Map<string, number>();
  people.forEach((p, i) => {
    if (index.has(p.participantId)) throw new RangeError(`participant ${p.participantId} appears twice in the cohort`);
    index.set(p.participantId, i);
  });
  const settings = context.settings;
  const weights = resolveWeights(settings);

  const skillIndex = new Map<string, number>();
  const skillIds: string[] = [];
  const skillOf = (id: string): number => {
    let k = skillIndex.get(id);
    if (k === undefined) {
      k = skillIds.length;
      skillIndex.set(id, k);
      skillIds.push(id);
    }
    return k;
  };
  for (const s of context.skillsCatalog) skillOf(s.id);
  for (const p of people) {
    for (const o of p.skillsOffered) skillOf(o.skill);
    for (const w of p.skillsWanted) skillOf(w.skill);
  }
  const S = skillIds.length;
  const offerStart = new Int32Array(n + 1);
  people.forEach((p, i) => (offerStart[i + 1] = (offerStart[i] as number) + p.skillsOffered.length));
  const offerSkill = new Int32Array(offerStart[n] as number);
  const offerLevel = new Int32Array(offerStart[n] as number);
  const wanted = new Uint8Array(n * S);
  people.forEach((p, i) => {
    let at = offerStart[i] as number;
    for (const o of p.skillsOffered) {
      offerSkill[at] = skillOf(o.skill);
      offerLevel[at] = o.level;
      at++;
    }
    for (const w of p.skillsWanted) wanted[i * S + skillOf(w.skill)] = Math.max(wanted[i * S + skillOf(w.skill)] as number, w.priority);
  });

  const languageBits = new Map<string, number>();
  const langMask = new Int32Array(n);
  people.forEach((p, i) => {
    let mask = 0;
    for (const language of p.languages) {
      let bit = languageBits.get(language);
      if (bit === undefined) {
        bit = languageBits.size;
        if (bit >= 31) throw new RangeError('at most 31 distinct languages are supported in one cohort');
        languageBits.set(language, bit);
      }
      mask |= 1 << bit;
    }
    langMask[i] = mask;
  });

  const departmentIndex = new Map<string, number>();
  const departmentNames: string[] = [];
  const departmentOf = (d: string): number => {
    let k = departmentIndex.get(d);
    if (k === undefined) {
      k = departmentNames.length;
      departmentIndex.set(d, k);
      departmentNames.push(d);
    }
    return k;
  };
  const department = Int32Array.from(people, (p) => departmentOf(p.department));
  for (const [a, b] of settings.favouredDepartmentPairs) {
    departmentOf(a);
    departmentOf(b);
  }
  const D = departmentNames.length;
  const favoured = new Uint8Array(D * D);
  for (const [a, b] of settings.favouredDepartmentPairs) {
    const x = departmentOf(a);
    const y = departmentOf(b);
    if (x !== y) {
      favoured[x * D + y] = 1;
      favoured[y * D + x] = 1;
    }
  }

  const regionIndex = new Map<string, number>();
  const region = Int32Array.from(people, (p) => {
    if (!p.timeZone || !p.timeZone.includes('/')) return -1;
    const r = p.timeZone.slice(0, p.timeZone.indexOf('/'));
    if (!regionIndex.has(r)) regionIndex.set(r, regionIndex.size);
    return regionIndex.get(r) as number;
  });
  const preferredIndex = new Map<string, number>();
  const preferredLanguage = Int32Array.from(people, (p) => {
    if (!p.preferredLanguage) return -1;
    if (!preferredIndex.has(p.preferredLanguage)) preferredIndex.set(p.preferredLanguage, preferredIndex.size);
    return preferredIndex.get(p.preferredLanguage) as number;
  });

  const managerOf = new Map<string, string | undefined>();
  for (const p of everyone) managerOf.set(p.participantId, p.managerId);
  for (const p of cohort) if (!managerOf.has(p.participantId)) managerOf.set(p.participantId, p.managerId);
  const ancestors: Array<Set<number> | undefined> = people.map((p) => {
    let set: Set<number> | undefined;
    const seen = new Set<string>([p.participantId]);
    let manager = p.managerId;
    while (manager !== undefined && !seen.has(manager)) {
      seen.add(manager);
      const k = index.get(manager);
      if (k !== undefined) (set ??= new Set()).add(k);
      manager = managerOf.get(manager);
    }
    return set;
  });

  const forbidden = new Set<number>();
  const forbid = (a: string, b: string) => {
    const x = index.get(a);
    const y = index.get(b);
    if (x !== undefined && y !== undefined && x !== y) forbidden.add(x < y ? x * n + y : y * n + x);
  };
  for (const [a, b] of context.recentPairs) forbid(a, b);
  for (const [a, b] of settings.doNotPair) forbid(a, b);

  const offeredLevel = new Uint8Array(n * S);
  for (let i = 0; i < n; i++) {
    for (let q = offerStart[i] as number; q < (offerStart[i + 1] as number); q++) {
      const at = i * S + (offerSkill[q] as number);
      offeredLevel[at] = Math.max(offeredLevel[at] as number, offerLevel[q] as number);
    }
  }
  let offerMask: Int32Array | undefined;
  let wantMask: Int32Array | undefined;
  if (S <= 32) {
    offerMask = new Int32Array(n);
    wantMask = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let o = 0;
      let w = 0;
      for (let k = 0; k < S; k++) {
        if ((offeredLevel[i * S + k] as number) > 0) o |= 1 << k;
        if ((wanted[i * S + k] as number) > 0) w |= 1 << k;
      }
      offerMask[i] = o;
      wantMask[i] = w;
    }
  }
  const ancestorStart = new Int32Array(n + 1);
  ancestors.forEach((set, i) => (ancestorStart[i + 1] = (ancestorStart[i] as number) + (set?.size ?? 0)));
  const ancestorList = new Int32Array(ancestorStart[n] as number);
  ancestors.forEach((set, i) => {
    let at = ancestorStart[i] as number;
    for (const a of set ?? []) ancestorList[at++] = a;
  });

  const idRank = new Int32Array(n);
  Int32Array.from(people.keys())
    .sort((a, b) => ((people[a] as Participant).participantId < (people[b] as Participant).participantId ? -1 : 1))
    .forEach((person, rank) => (idRank[person] = rank));

  return {
    people,
    n,
    index,
    idRank,
    offeredLevel,
    offerMask,
    wantMask,
    ancestorStart,
    ancestorList,
    mode: settings.mode,
    minGap: settings.minGenerationGapYears,
    weights,
    capacity: Int32Array.from(people, (p) => p.capacity ?? 1),
    gen: Int32Array.from(people, (p) => generationYear(p)),
    seniority: Int32Array.from(people, (p) => p.seniority ?? 0),
    langMask,
    department,
    departmentNames,
    favoured,
    offerStart,
    offerSkill,
    offerLevel,
    skillCount: S,
    wanted,
    tzOffset: Float64Array.from(people, (p) => utcOffsetMinutes(p.timeZone, context.referenceYear)),
    region,
    preferredLanguage,
    ancestors,
    forbidden,
    skillIds,
    generationCents: Int32Array.from({ length: GENERATION_FULL_YEARS + 1 }, (_, years) =>
      Math.round((weights.generationGap * 100 * years) / GENERATION_FULL_YEARS),
    ),
    seniorityCents: Int32Array.from({ length: SENIORITY_FULL_LEVELS + 1 }, (_, levels) =>
      Math.round((weights.seniorityGap * 100 * levels) / SENIORITY_FULL_LEVELS),
    ),
    diversityCents: Int32Array.from({ length: 3 }, (_, differing) => Math.round((weights.diversity * 100 * differing) / 2)),
    crossDepartmentCents: Math.round(weights.crossDepartment * 100),
    favouredCents: Math.round(weights.favouredPartnership * 100),
  };
}

/** Σ level × priority over the skills `teacher` offers and `learner` wants. */
function flow(c: CompiledCohort, teacher: number, learner: number): number {
  if (c.offerMask !== undefined && c.wantMask !== undefined) {
    let common = (c.offerMask[teacher] as number) & (c.wantMask[learner] as number);
    if (common === 0) return 0;
    const S = c.skillCount;
    let sum = 0;
    while (common !== 0) {
      const bit = 31 - Math.clz32(common & -common);
      common &= common - 1;
      sum += (c.offeredLevel[teacher * S + bit] as number) * (c.wanted[learner * S + bit] as number);
    }
    return sum;
  }
  let sum = 0;
  const base = learner * c.skillCount;
  const end = c.offerStart[teacher + 1] as number;
  for (let q = c.offerStart[teacher] as number; q < end; q++) sum += (c.offerLevel[q] as number) * (c.wanted[base + (c.offerSkill[q] as number)] as number);
  return sum;
}

/** The outcome of evaluating a pair: the mentor's index when allowed, the rejection otherwise. */
export interface PairEvaluation {
  allowed: boolean;
  rejection: Rejection | undefined;
  mentor: number;
  mentee: number;
  /** Score in hundredths, the sum of `breakdown` when one was asked for. */
  cents: number;
  /** The rejection's index in REJECTION_CODES (-1 when allowed). */
  code: number;
}

const scratch = new Int32Array(CRITERIA.length);

/** Whether `other` is up `person`'s manager chain. */
function inChain(c: CompiledCohort, person: number, other: number): boolean {
  const end = c.ancestorStart[person + 1] as number;
  for (let q = c.ancestorStart[person] as number; q < end; q++) if ((c.ancestorList[q] as number) === other) return true;
  return false;
}

/**
 * Evaluates the pair (i, j): applies every hard rule and orientation, and scores it.
 * Writes the per-criterion cents into `breakdown` when given (length CRITERIA.length).
 * Returns a reused object: copy what you need before the next call.
 */
const result: PairEvaluation = { allowed: false, rejection: undefined, mentor: -1, mentee: -1, cents: 0, code: -1 };
export function evaluatePair(c: CompiledCohort, i: number, j: number, breakdown: Int32Array = scratch): PairEvaluation {
  result.allowed = false;
  result.cents = 0;
  const w = c.weights;
  // Flows are computed at most once each: fromI is what i teaches j, fromJ what j teaches i (-1 until computed).
  let fromI = -1;
  let fromJ = -1;
  let mentorIsI: boolean;
  if (c.mode === 'reverse') {
    const gap = (c.gen[i] as number) - (c.gen[j] as number);
    // Seniority 0 is unknown: such a pair is oriented by generation alone.
    const si = c.seniority[i] as number;
    const sj = c.seniority[j] as number;
    const seniorityUnknown = si === 0 || sj === 0;
    const iMayMentor = gap >= c.minGap && (seniorityUnknown || si <= sj);
    const jMayMentor = -gap >= c.minGap && (seniorityUnknown || sj <= si);
    if (!iMayMentor && !jMayMentor) {
      result.rejection = 'orientation';
      result.code = 0;
      return result;
    }
    if (((c.langMask[i] as number) & (c.langMask[j] as number)) === 0) {
      result.rejection = 'language';
      result.code = 1;
      return result;
    }
    // In reverse mode the mentor must teach something: an orientation is allowed only when its mentor does.
    if (iMayMentor) fromI = flow(c, i, j);
    if (jMayMentor) fromJ = flow(c, j, i);
    const iTeaches = fromI > 0;
    const jTeaches = fromJ > 0;
    if (!iTeaches && !jTeaches) {
      result.rejection = 'skills';
      result.code = 2;
      return result;
    }
    if (iTeaches && jTeaches) {
      // Both orientations are allowed (same generation and seniority with a minimum gap of 0): the one that scores higher,
      // and on equal scores the one whose mentor comes first by participantId, so the result never depends on roster order.
      const asI = Math.round((w.skillsTaughtByMentor * fromI * 100) / 25) + Math.round((w.skillsTaughtByMentee * fromJ * 100) / 25);
      const asJ = Math.round((w.skillsTaughtByMentor * fromJ * 100) / 25) + Math.round((w.skillsTaughtByMentee * fromI * 100) / 25);
      mentorIsI = asI > asJ || (asI === asJ && (c.idRank[i] as number) < (c.idRank[j] as number));
    } else mentorIsI = iTeaches;
  } else {
    if (((c.langMask[i] as number) & (c.langMask[j] as number)) === 0) {
      result.rejection = 'language';
      result.code = 1;
      return result;
    }
    // Mutual mode: both directions weigh the same, so the score does not depend on who is called mentor; the name goes by participantId.
    mentorIsI = (c.idRank[i] as number) < (c.idRank[j] as number);
  }
  if (fromI < 0) fromI = flow(c, i, j);
  if (fromJ < 0) fromJ = flow(c, j, i);
  if (fromI + fromJ === 0) {
    result.rejection = 'skills';
    result.code = 2;
    return result;
  }
  const mentor = mentorIsI ? i : j;
  const mentee = mentorIsI ? j : i;
  const forward = mentorIsI ? fromI : fromJ;
  const backward = mentorIsI ? fromJ : fromI;
  result.mentor = mentor;
  result.mentee = mentee;
  if (inChain(c, i, j) || inChain(c, j, i)) {
    result.rejection = 'reportingLine';
    result.code = 3;
    return result;
  }
  if (c.forbidden.size > 0 && c.forbidden.has(i < j ? i * c.n + j : j * c.n + i)) {
    result.rejection = 'forbidden';
    result.code = 4;
    return result;
  }
  const teachForward = c.mode === 'mutual' ? (w.skillsTaughtByMentor + w.skillsTaughtByMentee) / 2 : w.skillsTaughtByMentor;
  const teachBackward = c.mode === 'mutual' ? teachForward : w.skillsTaughtByMentee;
  breakdown[0] = Math.round((teachForward * forward * 100) / 25);
  breakdown[1] = Math.round((teachBackward * backward * 100) / 25);
  const years = Math.abs((c.gen[i] as number) - (c.gen[j] as number));
  breakdown[2] = c.generationCents[Math.min(years, GENERATION_FULL_YEARS)] as number;
  const si = c.seniority[i] as number;
  const sj = c.seniority[j] as number;
  const levels = si === 0 || sj === 0 ? 0 : Math.abs(si - sj);
  breakdown[3] = c.seniorityCents[Math.min(levels, SENIORITY_FULL_LEVELS)] as number;
  const di = c.department[i] as number;
  const dj = c.department[j] as number;
  breakdown[4] = di !== dj ? c.crossDepartmentCents : 0;
  breakdown[5] = c.favoured[di * c.departmentNames.length + dj] ? c.favouredCents : 0;
  let differing = 0;
  const pi = c.preferredLanguage[i] as number;
  const pj = c.preferredLanguage[j] as number;
  if (pi >= 0 && pj >= 0 && pi !== pj) differing++;
  const ri = c.region[i] as number;
  const rj = c.region[j] as number;
  if (ri >= 0 && rj >= 0 && ri !== rj) differing++;
  breakdown[6] = c.diversityCents[differing] as number;
  const oi = c.tzOffset[i] as number;
  const oj = c.tzOffset[j] as number;
  const overlap = Number.isNaN(oi) || Number.isNaN(oj) ? WORKING_HOURS : Math.max(0, WORKING_HOURS - Math.abs(oi - oj) / 60);
  breakdown[7] = Math.round((w.timeZoneOverlap * 100 * overlap) / WORKING_HOURS);
  let cents = 0;
  for (let k = 0; k < CRITERIA.length; k++) cents += breakdown[k] as number;
  result.allowed = true;
  result.rejection = undefined;
  result.code = -1;
  result.cents = cents;
  return result;
}

export { REJECTION_CODES };

/** A pair that may be formed, with its score. */
export interface ScoredPair {
  mentor: number;
  mentee: number;
  cents: number;
}

/**
 * Evaluates every pair (i, j), i < j, of the cohort in that order: counts each rejected pair
 * under its rule for both people (in `rejections[person × REJECTION_CODES.length + code]`, when
 * given) and calls `visit` with each allowed pair's evaluation (a reused object, as from
 * `evaluatePair`). The outcome is evaluatePair's on every pair, but faster: the rules that reject
 * most pairs (orientation, language, and, with skill masks, nothing to teach: about 80 % of the
 * 45 million pairs of 10,000 people) are checked first, in evaluatePair's order, with person i's
 * attributes held in locals, and only the pairs they let through are evaluated in full.
 */
export function scanPairs(c: CompiledCohort, rejections: Int32Array | undefined, visit: (i: number, j: number, e: PairEvaluation) => void): void {
  const { n, gen, seniority, langMask, minGap } = c;
  const reverse = c.mode === 'reverse';
  // Without masks (a catalog of more than 32 skills) every pair that passes the first two rules is evaluated in full.
  const masks = c.offerMask !== undefined && c.wantMask !== undefined;
  const offerMask = c.offerMask ?? new Int32Array(n);
  const wantMask = c.wantMask ?? new Int32Array(n);
  const codes = REJECTION_CODES.length;
  for (let i = 0; i < n; i++) {
    const gi = gen[i] as number;
    const si = seniority[i] as number;
    const li = langMask[i] as number;
    const offersI = offerMask[i] as number;
    const wantsI = wantMask[i] as number;
    for (let j = i + 1; j < n; j++) {
      let code = -1;
      if (reverse) {
        const gap = gi - (gen[j] as number);
        const sj = seniority[j] as number;
        const seniorityUnknown = si === 0 || sj === 0;
        const iMayMentor = gap >= minGap && (seniorityUnknown || si <= sj);
        const jMayMentor = -gap >= minGap && (seniorityUnknown || sj <= si);
        if (!iMayMentor && !jMayMentor) code = 0;
        else if ((li & (langMask[j] as number)) === 0) code = 1;
        else if (masks && !(iMayMentor && (offersI & (wantMask[j] as number)) !== 0) && !(jMayMentor && ((offerMask[j] as number) & wantsI) !== 0)) code = 2;
      } else if ((li & (langMask[j] as number)) === 0) code = 1;
      else if (masks && (offersI & (wantMask[j] as number)) === 0 && ((offerMask[j] as number) & wantsI) === 0) code = 2;
      if (code < 0) {
        const e = evaluatePair(c, i, j);
        if (e.allowed) {
          visit(i, j, e);
          continue;
        }
        code = e.code;
      }
      if (rejections !== undefined) {
        rejections[i * codes + code] = (rejections[i * codes + code] as number) + 1;
        rejections[j * codes + code] = (rejections[j * codes + code] as number) + 1;
      }
    }
  }
}

/** Calls `visit` for every pair of eligible people that the hard rules allow (i < j order). */
export function forEachAllowedPair(c: CompiledCohort, visit: (mentor: number, mentee: number, cents: number) => void): void {
  scanPairs(c, undefined, (_i, _j, e) => visit(e.mentor, e.mentee, e.cents));
}
