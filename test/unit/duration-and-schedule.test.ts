import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PhaseState } from '../../domain/cycle.ts';
import { durationToSeconds, isoDuration } from '../../domain/duration.ts';
import { programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import { checkInRounds } from '../../services/phases/run/index.ts';
import { reminderTimes } from '../../services/phases/schedule.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
const program = (overrides: Partial<ProgramInput> = {}): Program => programSchema.parse({ ...sample, ...overrides });

const openedAt = Date.UTC(2027, 2, 1, 9, 0, 0);
const phase = (windowMs: number): PhaseState => ({ openedAt, deadline: openedAt + windowMs, expected: 10 });

describe('durationToSeconds', () => {
  it.each([
    ['P14D', 14 * 86400],
    ['PT12H', 12 * 3600],
    ['PT30S', 30],
    ['PT8S', 8],
    ['PT15M', 900],
    ['P1W', 604800],
    ['P2W3D', 2 * 604800 + 3 * 86400],
    ['P1DT2H3M4S', 86400 + 7200 + 180 + 4],
    ['P0D', 0],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(durationToSeconds(text)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', '14D', 'P-1D', 'P1DT', 'p14d', 'P1.5D', 'P1Y', 'P1M', 'PT1H30', ' P1D', 'P1D ', 'P1D\n', 'P1H', 'PT1D', 'P1D2W'])(
    'refuses %j with a RangeError that quotes it',
    (text) => {
      expect(() => durationToSeconds(text)).toThrow(RangeError);
      expect(() => durationToSeconds(text)).toThrow(`"${text}" is not an ISO-8601 duration`);
    },
  );

  it('is accepted by the schema only when positive', () => {
    expect(isoDuration.safeParse('P14D').success).toBe(true);
    expect(isoDuration.safeParse('PT1S').success).toBe(true);
    expect(isoDuration.safeParse('P0D').success).toBe(false);
    expect(isoDuration.safeParse('PT0S').success).toBe(false);
    expect(isoDuration.safeParse('14 days').success).toBe(false);
    expect(isoDuration.safeParse(14).success).toBe(false);
  });
});

describe('checkInRounds', () => {
  it('falls every cadence after the run opens, strictly before the deadline', () => {
    // The sample program: a 90-day run with a check-in every 14 days → days 14, 28, 42, 56, 70, 84.
    expect(checkInRounds(program(), phase(90 * DAY))).toEqual([1, 2, 3, 4, 5, 6].map((round) => ({ round, at: openedAt + round * 14 * DAY })));
  });

  it('leaves out a round that would fall exactly on the deadline', () => {
    expect(checkInRounds(program({ checkInCadence: 'P14D' }), phase(28 * DAY))).toEqual([{ round: 1, at: openedAt + 14 * DAY }]);
    expect(checkInRounds(program({ checkInCadence: 'P14D' }), phase(28 * DAY + 1))).toEqual([
      { round: 1, at: openedAt + 14 * DAY },
      { round: 2, at: openedAt + 28 * DAY },
    ]);
  });

  it('has no round when the cadence is as long as the run or longer', () => {
    expect(checkInRounds(program({ checkInCadence: 'P14D' }), phase(14 * DAY))).toEqual([]);
    expect(checkInRounds(program({ checkInCadence: 'P30D' }), phase(14 * DAY))).toEqual([]);
  });

  it('numbers rounds from 1 with short cadences too', () => {
    expect(checkInRounds(program({ checkInCadence: 'PT10S' }), phase(35_000))).toEqual([
      { round: 1, at: openedAt + 10_000 },
      { round: 2, at: openedAt + 20_000 },
      { round: 3, at: openedAt + 30_000 },
    ]);
  });

  it('never plans more than 1000 rounds, however short the cadence', () => {
    const rounds = checkInRounds(program({ checkInCadence: 'PT1S' }), phase(365 * DAY));
    expect(rounds).toHaveLength(1000);
    expect(rounds.at(-1)).toEqual({ round: 1000, at: openedAt + 1000 * 1000 });
  });
});

describe('reminderTimes', () => {
  it('falls each offset before the deadline, in the order the offsets are listed', () => {
    // The sample program: reminders 7 and 2 days before a 14-day deadline.
    const state = phase(14 * DAY);
    expect(reminderTimes(program(), state)).toEqual([state.deadline - 7 * DAY, state.deadline - 2 * DAY]);
  });

  it('drops, as NaN at the same index, a reminder that would fall before the phase opened', () => {
    const state = phase(5 * DAY);
    const times = reminderTimes(program({ reminders: { beforeDeadline: ['P7D', 'P2D', 'PT12H'] } }), state);
    expect(times).toHaveLength(3);
    expect(times[0]).toBeNaN();
    expect(times.slice(1)).toEqual([state.deadline - 2 * DAY, state.deadline - 12 * HOUR]);
  });

  it('drops a reminder that would fall exactly when the phase opens', () => {
    const times = reminderTimes(program({ reminders: { beforeDeadline: ['P7D'] } }), phase(7 * DAY));
    expect(times).toHaveLength(1);
    expect(times[0]).toBeNaN();
  });

  it('keeps a reminder one millisecond after the phase opens', () => {
    const state = phase(7 * DAY + 1);
    expect(reminderTimes(program({ reminders: { beforeDeadline: ['P7D'] } }), state)).toEqual([openedAt + 1]);
  });

  it('is empty when the program sends no reminders', () => {
    expect(reminderTimes(program({ reminders: { beforeDeadline: [] } }), phase(14 * DAY))).toEqual([]);
  });
});
