/**
 * Test oracles: the optimum by enumeration, to check the matchers against.
 *
 * `allowedPairsByTheRules` decides which pairs are allowed and what they score straight from the
 * rules in docs/matching.md, with code of its own: it never calls the engine's scoring
 * (domain/matching/scoring.ts), and it tries both directions of every pair, so a defect in how the
 * engine orients a pair cannot hide from the tests that use it.
 */
import type { MatchContext } from '../../domain/matching/matcher.ts';
import type { Participant } from '../../domain/participant.ts';

export interface Enumeration {
  /** The best total weight, and how many edge sets reach it. */
  weight: number;
  bestWeightSets: number;
  /** The most pairs, the best weight among edge sets with that many pairs, and how many sets reach both. */
  maxPairs: number;
  weightAtMaxPairs: number;
  maxPairsSets: number;
}

/** Enumerates every b-matching (each edge in or out, capacities respected). */
export function bruteForce(n: number, capacity: number[], edges: Array<[number, number, number]>): Enumeration {
  const left = capacity.slice(0, n);
  const best: Enumeration = { weight: 0, bestWeightSets: 0, maxPairs: 0, weightAtMaxPairs: 0, maxPairsSets: 0 };
  const visit = (k: number, w: number, pairs: number) => {
    if (k === edges.length) {
      if (w > best.weight) {
        best.weight = w;
        best.bestWeightSets = 1;
      } else if (w === best.weight) best.bestWeightSets++;
      if (pairs > best.maxPairs || (pairs === best.maxPairs && w > best.weightAtMaxPairs)) {
        best.maxPairs = pairs;
        best.weightAtMaxPairs = w;
        best.maxPairsSets = 1;
      } else if (pairs === best.maxPairs && w === best.weightAtMaxPairs) best.maxPairsSets++;
      return;
    }
    visit(k + 1, w, pairs);
    const [i, j, ew] = edges[k] as [number, number, number];
    if ((left[i] as number) > 0 && (left[j] as number) > 0) {
      left[i] = (left[i] as number) - 1;
      left[j] = (left[j] as number) - 1;
      visit(k + 1, w + ew, pairs + 1);
      left[i] = left[i] + 1;
      left[j] = left[j] + 1;
    }
  };
  visit(0, 0, 0);
  return best;
}

const DEFAULT_WEIGHTS = {
  skillsTaughtByMentor: 10,
  skillsTaughtByMentee: 6,
  generationGap: 8,
  seniorityGap: 4,
  crossDepartment: 5,
  favouredPartnership: 8,
  diversity: 3,
  timeZoneOverlap: 4,
};

const offsets = new Map<string, number | undefined>();
/** Minutes east of UTC on 15 January of the reference year, read from the wall clock the time zone shows; undefined when unknown. */
function offsetOn15January(timeZone: string | undefined, year: number): number | undefined {
  if (!timeZone) return undefined;
  const key = `${timeZone} ${year}`;
  if (offsets.has(key)) return offsets.get(key);
  const instant = Date.UTC(year, 0, 15, 12);
  let offset: number | undefined;
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(instant));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    offset = (Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - instant) / 60_000;
  } catch {
    offset = undefined;
  }
  offsets.set(key, offset);
  return offset;
}

/** Σ level × priority over the skills `teacher` offers and `learner` wants. */
function teaching(teacher: Participant, learner: Participant): number {
  let sum = 0;
  for (const offer of teacher.skillsOffered) {
    const want = learner.skillsWanted.find((w) => w.skill === offer.skill);
    if (want) sum += offer.level * want.priority;
  }
  return sum;
}

export interface OraclePair {
  /** Indices into the active people, a < b. */
  a: number;
  b: number;
  mentorId: string;
  menteeId: string;
  /** The best allowed direction's score, in hundredths. */
  cents: number;
}

/**
 * Every allowed pair of the cohort's active people with the score of its best allowed direction
 * (on equal scores, the mentor is the one whose participantId sorts first), from the documented
 * rules alone.
 */
export function allowedPairsByTheRules(cohort: readonly Participant[], context: MatchContext): { people: Participant[]; pairs: OraclePair[] } {
  const settings = context.settings;
  const weights = { ...DEFAULT_WEIGHTS, ...Object.fromEntries(Object.entries(settings.weights).filter(([, v]) => v !== undefined)) };
  const people = cohort.filter((p) => p.status === 'active');
  const byId = new Map(cohort.map((p) => [p.participantId, p]));
  const upTheChain = (p: Participant): Set<string> => {
    const managers = new Set<string>();
    for (let m = p.managerId; m !== undefined && !managers.has(m) && m !== p.participantId; m = byId.get(m)?.managerId) managers.add(m);
    return managers;
  };
  const unordered = (x: string, y: string) => (x < y ? `${x} ${y}` : `${y} ${x}`);
  const banned = new Set([...context.recentPairs, ...settings.doNotPair].map(([x, y]) => unordered(x, y)));
  const favoured = new Set(settings.favouredDepartmentPairs.map(([x, y]) => unordered(x, y)));
  const generation = (p: Participant) => (p.birthYear ?? p.careerStartYear) as number;
  const region = (p: Participant) => (p.timeZone?.includes('/') ? p.timeZone.split('/')[0] : undefined);

  const score = (mentor: Participant, mentee: Participant): number => {
    const average = (weights.skillsTaughtByMentor + weights.skillsTaughtByMentee) / 2;
    const [byMentor, byMentee] = settings.mode === 'mutual' ? [average, average] : [weights.skillsTaughtByMentor, weights.skillsTaughtByMentee];
    const years = Math.abs(generation(mentor) - generation(mentee));
    // Unknown seniority (an invitee export without it) gives no seniority-gap points.
    const levels = mentor.seniority === undefined || mentee.seniority === undefined ? 0 : Math.abs(mentor.seniority - mentee.seniority);
    const crossDepartment = mentor.department !== mentee.department;
    const differing =
      Number(mentor.preferredLanguage !== undefined && mentee.preferredLanguage !== undefined && mentor.preferredLanguage !== mentee.preferredLanguage) +
      Number(region(mentor) !== undefined && region(mentee) !== undefined && region(mentor) !== region(mentee));
    const om = offsetOn15January(mentor.timeZone, context.referenceYear);
    const oe = offsetOn15January(mentee.timeZone, context.referenceYear);
    const sharedHours = om === undefined || oe === undefined ? 8 : Math.max(0, 8 - Math.abs(om - oe) / 60);
    return (
      Math.round((byMentor * teaching(mentor, mentee) * 100) / 25) +
      Math.round((byMentee * teaching(mentee, mentor) * 100) / 25) +
      Math.round((weights.generationGap * 100 * Math.min(years, 30)) / 30) +
      Math.round((weights.seniorityGap * 100 * Math.min(levels, 9)) / 9) +
      (crossDepartment ? Math.round(weights.crossDepartment * 100) : 0) +
      (crossDepartment && favoured.has(unordered(mentor.department, mentee.department)) ? Math.round(weights.favouredPartnership * 100) : 0) +
      Math.round((weights.diversity * 100 * differing) / 2) +
      Math.round((weights.timeZoneOverlap * 100 * sharedHours) / 8)
    );
  };

  /** Whether `mentor` may mentor `mentee` under every rule that depends on the direction. */
  const directionAllowed = (mentor: Participant, mentee: Participant): boolean =>
    settings.mode === 'mutual'
      ? teaching(mentor, mentee) + teaching(mentee, mentor) > 0
      : generation(mentor) - generation(mentee) >= settings.minGenerationGapYears &&
        (mentor.seniority === undefined || mentee.seniority === undefined || mentor.seniority <= mentee.seniority) &&
        teaching(mentor, mentee) > 0;

  const pairs: OraclePair[] = [];
  for (let a = 0; a < people.length; a++) {
    for (let b = a + 1; b < people.length; b++) {
      const p = people[a] as Participant;
      const q = people[b] as Participant;
      if (!p.languages.some((l) => q.languages.includes(l))) continue;
      if (upTheChain(p).has(q.participantId) || upTheChain(q).has(p.participantId)) continue;
      if (banned.has(unordered(p.participantId, q.participantId))) continue;
      let best: OraclePair | undefined;
      for (const [mentor, mentee] of [
        [p, q],
        [q, p],
      ] as const) {
        if (!directionAllowed(mentor, mentee)) continue;
        const cents = score(mentor, mentee);
        if (!best || cents > best.cents || (cents === best.cents && mentor.participantId < best.mentorId))
          best = { a, b, mentorId: mentor.participantId, menteeId: mentee.participantId, cents };
      }
      if (best) pairs.push(best);
    }
  }
  return { people, pairs };
}

/** The optimum over every way of pairing the cohort under the documented rules, by enumeration. */
export function bruteForceByTheRules(cohort: readonly Participant[], context: MatchContext): Enumeration & { pairs: OraclePair[] } {
  const { people, pairs } = allowedPairsByTheRules(cohort, context);
  const enumeration = bruteForce(
    people.length,
    people.map((p) => p.capacity ?? 1),
    pairs.map((pair) => [pair.a, pair.b, pair.cents]),
  );
  return { ...enumeration, pairs };
}
