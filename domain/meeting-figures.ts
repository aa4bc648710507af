import type { Pair } from './cycle.ts';
import { MIN_GROUP_SIZE, mean, median, share } from './statistics.ts';

/** What the report needs of a logged meeting (services/participant-records.ts MeetingRecord has more). */
export interface MeetingFact {
  pairId: string;
  /** YYYY-MM-DD. */
  date: string;
  skills: ReadonlyArray<{ skill: string; direction: 'by-mentor' | 'by-mentee' }>;
}

export interface MeetingFiguresInput {
  pairs: readonly Pair[];
  meetings: readonly MeetingFact[];
  /** The program's checkInCadence, in ms. */
  cadenceMs: number;
  /** When the pairs were introduced: goal-setting's close (else the run's opening). */
  introducedAt: number;
  /** When the run ended (its close, else its deadline): how many cadences the pairs had. */
  runEndedAt: number;
  minGroupSize?: number;
}

/** A count of pairs, or null when it is about fewer pairs than the smallest group shown. */
export type PairCount = number | null;

export interface MeetingFigures {
  pairs: number;
  meetings: number;
  /** Pairs by how many meetings they logged: [meetings, pairs] with 3 meaning three or more; null under the group size. */
  distribution: Array<[number, PairCount]>;
  medianPerPair: number | null;
  /** Meetings each pair was expected to log: one per cadence of the run (at least one). */
  expectedPerPair: number;
  /** Share of pairs that met at least as often as the cadence asks; null under the group size. */
  metAtCadence: number | null;
  /** Days from the introduction to the first meeting, over the pairs that met; null under the group size. */
  daysToFirstMeeting: { pairs: number; median: number | null; mean: number | null };
  /** Per skill, how many pairs practised it taught by the mentor and by the mentee; null under the group size. */
  skills: Array<{ skill: string; byMentor: PairCount; byMentee: PairCount }>;
}

const DAY = 86_400_000;

export function meetingFigures(input: MeetingFiguresInput): MeetingFigures {
  const min = input.minGroupSize ?? MIN_GROUP_SIZE;
  const shown = (n: number): PairCount => (n >= min ? n : null);
  const pairs = input.pairs.filter((p) => p.status !== 'declined');
  const ids = new Set(pairs.map((p) => p.pairId));
  const meetings = input.meetings.filter((m) => ids.has(m.pairId));
  const byPair = new Map(pairs.map((p) => [p.pairId, [] as MeetingFact[]]));
  for (const m of meetings) byPair.get(m.pairId)?.push(m);
  const counts = [...byPair.values()].map((list) => list.length);
  const buckets = [0, 1, 2, 3].map((n): [number, PairCount] => [n, shown(counts.filter((c) => (n === 3 ? c >= 3 : c === n)).length)]);
  const expectedPerPair = Math.max(1, Math.floor((input.runEndedAt - input.introducedAt) / input.cadenceMs));
  const firstDays = [...byPair.values()]
    .filter((list) => list.length > 0)
    .map((list) => Math.max(0, (Math.min(...list.map((m) => Date.parse(`${m.date}T00:00:00Z`))) - startOfDay(input.introducedAt)) / DAY));
  const enoughMet = firstDays.length >= min;
  const practised = new Map<string, { byMentor: Set<string>; byMentee: Set<string> }>();
  for (const m of meetings) {
    for (const s of m.skills) {
      const entry = practised.get(s.skill) ?? { byMentor: new Set<string>(), byMentee: new Set<string>() };
      (s.direction === 'by-mentor' ? entry.byMentor : entry.byMentee).add(m.pairId);
      practised.set(s.skill, entry);
    }
  }
  return {
    pairs: pairs.length,
    meetings: meetings.length,
    distribution: buckets,
    medianPerPair: pairs.length >= min ? median(counts) : null,
    expectedPerPair,
    metAtCadence: pairs.length >= min ? share(counts.filter((c) => c >= expectedPerPair).length, pairs.length) : null,
    daysToFirstMeeting: { pairs: firstDays.length, median: enoughMet ? median(firstDays) : null, mean: enoughMet ? mean(firstDays) : null },
    skills: [...practised.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([skill, { byMentor, byMentee }]) => ({ skill, byMentor: shown(byMentor.size), byMentee: shown(byMentee.size) })),
  };
}

const startOfDay = (at: number) => Math.floor(at / DAY) * DAY;
