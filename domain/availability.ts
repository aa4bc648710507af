import * as z from './validation.ts';

/**
 * When people can meet: weekly windows in their own time zone. A participant who gave none is
 * taken to work 09:00–17:00, Monday to Friday, in the program's time zone.
 */

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (00:00 to 23:59)'));

export const availabilityWindowSchema = z.object({
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: z.number().check(z.int(), z.gte(1), z.lte(7)),
  from: hhmm,
  to: hhmm,
});
export type AvailabilityWindow = z.infer<typeof availabilityWindowSchema>;

export const availabilitySchema = z.array(availabilityWindowSchema).check(
  z.maxLength(21),
  z.refine((windows) => windows.every((w) => w.from < w.to), { message: 'each window must end after it starts' }),
);

/** An IANA time zone the runtime knows (Intl rejects unknown names). */
export const timeZoneSchema = z.string().check(
  z.trim(),
  z.maxLength(64),
  z.refine((zone) => isKnownTimeZone(zone), { message: 'must be an IANA time zone such as America/Sao_Paulo' }),
);

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const WORKING_HOURS: readonly AvailabilityWindow[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '17:00' }));
/** The program's time zone when its file names none. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** Where and when one person can meet. */
export interface Schedule {
  timeZone: string;
  availability: readonly AvailabilityWindow[];
}

export interface MeetingSlot {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

const STEP_MS = 30 * 60_000;
const SEARCH_DAYS = 21;

/**
 * The first slot of `minutes` that falls inside a window of every person, in each one's own time
 * zone, starting on the next whole half hour at least `notBefore`. Undefined when there is none
 * within three weeks. Intl does the time-zone arithmetic (daylight saving included), so no
 * date library is needed for this one conversion.
 */
export function firstCommonSlot(people: readonly Schedule[], notBefore: number, minutes: number): MeetingSlot | undefined {
  const durationMs = minutes * 60_000;
  const first = Math.ceil(notBefore / STEP_MS) * STEP_MS;
  for (let start = first; start < first + SEARCH_DAYS * 86_400_000; start += STEP_MS) {
    if (people.every((person) => fitsWindow(person, start, start + durationMs))) return { start, end: start + durationMs };
  }
  return undefined;
}

/** Does [start, end) lie inside one window, on one local day? */
function fitsWindow(person: Schedule, start: number, end: number): boolean {
  const from = localTime(start, person.timeZone);
  const to = localTime(end - 60_000, person.timeZone);
  if (from.weekday !== to.weekday) return false;
  return person.availability.some((w) => w.weekday === from.weekday && w.from <= from.time && to.time < w.to);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday (1 = Monday) and HH:MM an instant has in a time zone. */
export function localTime(at: number, timeZone: string): { weekday: number; time: string } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAYS.indexOf(parts.weekday as string) + 1, time: `${parts.hour}:${parts.minute}` };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
