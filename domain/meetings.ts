import type { ValidationIssue } from './errors.ts';

/**
 * What makes a logged meeting plausible, whichever form logs it (the pair page, a check-in's
 * "we met"): HR's figures and the report count these meetings, so a form must not be able to log
 * 300 hours in a day, or meetings before the pairs could meet.
 */

/** One meeting's length, in minutes: the forms' own `min`/`max` and the check on the server. */
export const MEETING_MINUTES = { min: 5, max: 600 } as const;

/** A pair's meetings on one day, both members' logs together: at most this many minutes… */
export const MAX_PAIR_MINUTES_PER_DAY = 24 * 60;

/** …and at most this many meetings (both members may log the same meeting: two meetings, each logged twice). */
export const MAX_PAIR_MEETINGS_PER_DAY = 4;

/** A meeting as the daily limits see it. */
export interface MeetingOnDay {
  meetingId: string;
  date: string;
  minutes?: number;
}

/**
 * What the day's limits say about one more meeting of a pair (`logged`: the pair's meetings so
 * far). A meeting already logged under the same id is not counted twice: a replay is judged as
 * the meeting it repeats, and never refused by the limits.
 */
export function dayLimitProblems(logged: readonly MeetingOnDay[], meeting: MeetingOnDay): ValidationIssue[] {
  if (logged.some((m) => m.meetingId === meeting.meetingId)) return [];
  const { meetings, minutes } = dayTally(logged, meeting);
  if (meetings >= MAX_PAIR_MEETINGS_PER_DAY)
    return [{ where: 'date', problem: `this pair has ${meetings} meetings logged on ${meeting.date} already, the most one day can hold` }];
  if (minutes + (meeting.minutes ?? 0) > MAX_PAIR_MINUTES_PER_DAY)
    return [
      {
        where: 'minutes',
        problem: `this pair's meetings on ${meeting.date} would total more than 24 hours (${minutes} minutes logged already)`,
      },
    ];
  return [];
}

/**
 * Why the store refused a meeting the limits had let through: another meeting of the pair on the
 * same day was logged in between (the store's tally, not the meetings read before, has the last word).
 */
export function dayLimitReached(date: string): ValidationIssue {
  return { where: 'date', problem: `this pair's meetings on ${date} reached the day's limits while this one was being logged` };
}

/**
 * A pair's meetings on one day, counted: what the store keeps next to the meetings and adds to in
 * the meeting's own write, under a condition, so that two meetings logged at the same instant
 * cannot both pass the limits.
 */
export interface DayTally {
  meetings: number;
  minutes: number;
}

/** The tally of the pair's meetings logged on `date` (the same meeting logged again not counted). */
export function dayTally(logged: readonly MeetingOnDay[], meeting: MeetingOnDay): DayTally {
  const sameDay = logged.filter((m) => m.date === meeting.date && m.meetingId !== meeting.meetingId);
  return { meetings: sameDay.length, minutes: sameDay.reduce((sum, m) => sum + (m.minutes ?? 0), 0) };
}

/** The calendar date (YYYY-MM-DD) at `at` in a time zone (an IANA name the runtime knows). */
export function dateIn(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
