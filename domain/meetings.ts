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
  const sameDay = logged.filter((m) => m.date === meeting.date);
  if (sameDay.length >= MAX_PAIR_MEETINGS_PER_DAY)
    return [{ where: 'date', problem: `this pair has ${sameDay.length} meetings logged on ${meeting.date} already, the most one day can hold` }];
  const minutes = sameDay.reduce((sum, m) => sum + (m.minutes ?? 0), 0);
  if (minutes + (meeting.minutes ?? 0) > MAX_PAIR_MINUTES_PER_DAY)
    return [
      {
        where: 'minutes',
        problem: `this pair's meetings on ${meeting.date} would total more than 24 hours (${minutes} minutes logged already)`,
      },
    ];
  return [];
}

/** The calendar date (YYYY-MM-DD) at `at` in a time zone (an IANA name the runtime knows). */
export function dateIn(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
