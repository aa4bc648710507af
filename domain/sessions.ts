import type { Member } from './cycle.ts';
import { ValidationError, issuesFromZod } from './errors.ts';
import { idSchema, type Skill } from './program.ts';
import { oneLine, plainText } from './text.ts';
import * as z from './validation.ts';

export { firstInLine, waitingLine, waitingPosition } from './session-waiting-list.ts';

/**
 * Informational sessions (the seed's step 1): talks and trainings HR schedules next to the pairs,
 * announced to those who want to learn the skills they cover. A session belongs to one cycle: its
 * audience is that cycle's members, its links are signed like the cycle's other links, and its
 * figures go into that cycle's report.
 */

export const SESSION_AUDIENCES = ['learners', 'everyone'] as const;
export type SessionAudience = (typeof SESSION_AUDIENCES)[number];

/** ISO 8601 date and time with an explicit offset: "2027-03-10T14:00-03:00" or "…Z". */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The runtime's canonical name of a time zone, as HR may type it in another letter case or by an old
 * alias ("america/sao_paulo" → "America/Sao_Paulo", "US/Eastern" → "America/New_York"); an unknown
 * name is returned as given (the schema names it).
 */
function canonicalTimeZone(name: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return name;
  }
}

/**
 * A whole number as HR gives it: a number, or decimal digits typed on a command line ("16"). Not what
 * `Number` would also read ("0x10" as 16, "1e1" as 10, "" as 0).
 */
const wholeNumber = (message: string) =>
  z.pipe(
    z.transform((value: unknown) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value)),
    z.number({ error: message }).check(z.int(message)),
  );

/** The wall-clock time ("2027-03-10T14:00") an instant shows in a time zone. */
function wallTime(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Text HR types that participants read: plain (no control or direction-override characters, see domain/text.ts), lines kept. */
const text = (max: number) =>
  z.string().check(z.overwrite(plainText), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));
/** One line of such text (a title, a place): its line breaks become spaces. */
const line = (max: number) =>
  z.string().check(z.overwrite(oneLine), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));

/**
 * Whether a start in the form above names a date and time that exist: Date.parse refuses a 13th
 * month or 25:00 but rolls 30 February over to March, so the instant is read back at its offset.
 */
function isRealStart(value: string): boolean {
  const instant = Date.parse(value);
  if (!ISO_WITH_OFFSET.test(value) || Number.isNaN(instant)) return false;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 16) === value.slice(0, 16);
}

/** A session's length, and its video link, as HR gives them (adding it or moving it). */
const durationSchema = wholeNumber('must be a whole number of minutes (decimal digits)').check(
  z.gte(5, 'must be at least 5 minutes'),
  z.lte(480, 'must be at most 480 minutes'),
);
const videoLinkSchema = z.url({ protocol: /^https$/, error: 'must be an https link' });

/** A start as HR types it: the form above, a date and time that exist (no 30 February, no 25:00). */
const startSchema = z.string().check(
  z.regex(ISO_WITH_OFFSET, 'must be a date and time with its offset, like 2027-03-10T14:00-03:00'),
  z.refine((value) => !ISO_WITH_OFFSET.test(value) || isRealStart(value), 'is not a real date and time'),
  // Calendars and the emails show minutes: a start at 14:00:30 would read as 14:00 and start half a minute late.
  z.refine((value) => !ISO_WITH_OFFSET.test(value) || /T\d{2}:\d{2}(:00)?(Z|[+-])/.test(value), 'must start on a whole minute (no seconds)'),
);

/** What HR gives to schedule a session (`tandem session add`). */
export const sessionInputSchema = z
  .object({
    sessionId: idSchema,
    title: line(120),
    description: text(2000),
    /** Catalog ids of the skills the session covers. */
    skills: z.array(idSchema).check(z.minLength(1, 'must name at least one skill'), z.maxLength(10, 'must name at most 10 skills')),
    /** When it starts: date and time with the offset of `timeZone` at that date. */
    startsAt: startSchema,
    /** The IANA time zone the session is held in (America/Sao_Paulo), stored by its canonical name: emails show its times there. */
    timeZone: z.string().check(z.trim(), z.refine(isTimeZone, 'must be an IANA time zone such as America/Sao_Paulo'), z.overwrite(canonicalTimeZone)),
    durationMinutes: durationSchema,
    /** A room, or a video link (https). */
    place: z.optional(line(200)),
    videoLink: z.optional(videoLinkSchema),
    capacity: wholeNumber('must be a whole number (decimal digits)').check(z.gte(1, 'must be at least 1'), z.lte(5000, 'must be at most 5000')),
    audience: z._default(z.enum(SESSION_AUDIENCES), 'learners'),
  })
  .check(
    z.refine((s) => s.place !== undefined || s.videoLink !== undefined, { message: 'give a place or a video link (or both)', path: ['place'] }),
    z.refine((s) => !isRealStart(s.startsAt) || !isTimeZone(s.timeZone) || wallTime(Date.parse(s.startsAt), s.timeZone) === s.startsAt.slice(0, 16), {
      message: 'its offset is not the offset of the time zone at that date',
      path: ['startsAt'],
    }),
  );
export type SessionInput = z.input<typeof sessionInputSchema>;

/** A scheduled session, as stored with its cycle. `seatsTaken` is the store's counter of registered people. */
export interface InfoSession {
  cycleId: string;
  sessionId: string;
  title: string;
  description: string;
  skills: string[];
  /** Epoch milliseconds. */
  startsAt: number;
  timeZone: string;
  durationMinutes: number;
  place?: string;
  videoLink?: string;
  capacity: number;
  audience: SessionAudience;
  createdAt: number;
  seatsTaken: number;
  /**
   * How many times someone joined its waiting list (absent: never). A registration takes a free seat
   * only while nobody waits, and only if this did not change since it read the line: nobody passes
   * a person who joined the line meanwhile.
   */
  lineJoins?: number;
  /** The calendar file sent with its emails (domain/session-calendar.ts), written when the session is added. */
  calendar?: { fileName: string; contentType: string; content: string };
  /** Who HR recorded as attending, and when it was recorded. */
  attended?: string[];
  attendanceRecordedAt?: number;
  /** When HR cancelled it, and why (told to everyone registered or waiting): a cancelled session takes no answers. */
  cancelledAt?: number;
  cancelReason?: string;
  /**
   * The version of its calendar event (iCalendar SEQUENCE): 0, or absent, when added; one more each
   * time HR moves it, so that calendars replace the event they hold. Its cancellation is one above.
   */
  sequence?: number;
  /** When HR last moved it (a new start, length, place or video link). */
  movedAt?: number;
  /** Where and when it was when first announced, kept by its first move after an announcement: a move's email shows it. */
  originalPlacing?: SessionPlacing;
}

export type RegistrationStatus = 'registered' | 'waitlisted' | 'declined';

/** One person's answer to a session; the waiting list is ordered by `waitlistedAt`, then participant id. */
export interface SessionRegistration {
  cycleId: string;
  sessionId: string;
  participantId: string;
  status: RegistrationStatus;
  updatedAt: number;
  waitlistedAt?: number;
}

/** Why HR cancels a session, as the people told read it: plain text (no control or direction-override characters), line breaks kept. */
export const cancelReasonSchema = z
  .string()
  .check(z.overwrite(plainText), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(500, 'must be at most 500 characters'));

/** HR's reason for cancelling, or a ValidationError naming the field `reason`. */
export function parseCancelReason(reason: unknown): string {
  const parsed = cancelReasonSchema.safeParse(reason);
  if (!parsed.success) throw new ValidationError('the reason is not valid', issuesFromZod(parsed.error, 'reason'));
  return parsed.data;
}

/**
 * What HR may change of a session that has not started (`tandem session move`): at least one of
 * them. A place or video link given as null is removed (one of the two must remain).
 */
export const sessionMoveSchema = z
  .strictObject({
    /** The new start: date and time with the offset of the session's time zone at that date. */
    startsAt: z.optional(startSchema),
    durationMinutes: z.optional(durationSchema),
    place: z.optional(z.nullable(line(200))),
    videoLink: z.optional(z.nullable(videoLinkSchema)),
  })
  .check(
    z.refine((m) => Object.values(m).some((v) => v !== undefined), {
      message: 'name what changes: a new start, length, place or video link',
      path: ['startsAt'],
    }),
  );

/** Where and when a session takes place: what a move changes. */
export type SessionPlacing = Pick<InfoSession, 'startsAt' | 'durationMinutes' | 'place' | 'videoLink'>;

/** A session's placing alone (undefined fields left out, as the store writes them). */
export const placingOf = (s: SessionPlacing): SessionPlacing => ({
  startsAt: s.startsAt,
  durationMinutes: s.durationMinutes,
  ...(s.place !== undefined ? { place: s.place } : {}),
  ...(s.videoLink !== undefined ? { videoLink: s.videoLink } : {}),
});

/** The placing of a session, compared field by field (a rerun of the same move changes nothing). */
export function samePlacing(a: SessionPlacing, b: SessionPlacing): boolean {
  return a.startsAt === b.startsAt && a.durationMinutes === b.durationMinutes && a.place === b.place && a.videoLink === b.videoLink;
}

/**
 * The session's new placing from HR's move: what is not given stays, a place or video link given as
 * null goes. The start's offset must be the session's time zone's at that date, and the start in
 * the future; a session never moved must change (a moved one at the same placing is a rerun of its
 * last move). Every problem is named.
 */
export function parseSessionMove(input: unknown, session: InfoSession, now: number): SessionPlacing {
  const parsed = sessionMoveSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('the move is not valid', issuesFromZod(parsed.error));
  const m = parsed.data;
  const invalid = (where: string, problem: string) => new ValidationError('the move is not valid', [{ where, problem }]);
  const startsAt = m.startsAt === undefined ? session.startsAt : Date.parse(m.startsAt);
  if (m.startsAt !== undefined && wallTime(startsAt, session.timeZone) !== m.startsAt.slice(0, 16))
    throw invalid('startsAt', `its offset is not the offset of the session's time zone (${session.timeZone}) at that date`);
  if (startsAt <= now) throw invalid('startsAt', 'must be in the future');
  const place = m.place === null ? undefined : (m.place ?? session.place);
  const videoLink = m.videoLink === null ? undefined : (m.videoLink ?? session.videoLink);
  if (place === undefined && videoLink === undefined)
    throw invalid(m.place === null ? 'place' : 'videoLink', 'a session needs a place or a video link: give the other one to remove this one');
  const placing = {
    startsAt,
    durationMinutes: m.durationMinutes ?? session.durationMinutes,
    ...(place !== undefined ? { place } : {}),
    ...(videoLink !== undefined ? { videoLink } : {}),
  };
  if (samePlacing(placing, session) && (session.sequence ?? 0) === 0) {
    const named = (['startsAt', 'durationMinutes', 'place', 'videoLink'] as const).find((field) => m[field] !== undefined) ?? 'startsAt';
    throw invalid(named, 'nothing changes: the session is already at that time and place');
  }
  return placing;
}

/** Validates HR's input against the cycle's skill catalog; every problem is named. */
export function parseSessionInput(input: unknown, catalog: readonly Skill[], cycleId: string, now: number): InfoSession {
  const parsed = sessionInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('the session is not valid', issuesFromZod(parsed.error));
  const s = parsed.data;
  const known = new Set(catalog.map((skill) => skill.id));
  const unknown = s.skills.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ValidationError('the session is not valid', [{ where: 'skills', problem: `not in the program's skill catalog: ${unknown.join(', ')}` }]);
  const startsAt = Date.parse(s.startsAt);
  if (startsAt <= now) throw new ValidationError('the session is not valid', [{ where: 'startsAt', problem: 'must be in the future' }]);
  return {
    cycleId,
    sessionId: s.sessionId,
    title: s.title,
    description: s.description,
    skills: [...new Set(s.skills)],
    startsAt,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    ...(s.place !== undefined ? { place: s.place } : {}),
    ...(s.videoLink !== undefined ? { videoLink: s.videoLink } : {}),
    capacity: s.capacity,
    audience: s.audience,
    createdAt: now,
    seatsTaken: 0,
  };
}

/**
 * Who is told about a session: members still in the cycle (not declined, not unreachable, not left
 * the program) who want
 * to learn one of its skills — what they asked for on the roster or learn in their pair — or, for an
 * "everyone" session, every such member.
 */
export function sessionAudience(
  session: Pick<InfoSession, 'skills' | 'audience'>,
  members: readonly Member[],
  /** People who left the program since the cycle began (their roster status is no longer active). */
  left: ReadonlySet<string> = new Set(),
): Member[] {
  const covered = new Set(session.skills);
  return members
    .filter((m) => !m.declined && !m.unreachable && !left.has(m.participantId))
    .filter((m) => session.audience === 'everyone' || [...m.skillsWanted, ...m.learns].some((skill) => covered.has(skill)))
    .sort((a, b) => a.participantId.localeCompare(b.participantId));
}

/** The link scope's key of a session page (`session#<sessionId>`), next to the phases' keys. */
export const sessionLinkKey = (sessionId: string) => `session#${sessionId}`;
export function sessionIdOfLinkKey(key: string): string | undefined {
  const match = /^session#(.+)$/.exec(key);
  return match && idSchema.safeParse(match[1]).success ? match[1] : undefined;
}

/**
 * Attendance as HR gives it: addresses (or participant ids), separated by commas, spaces or lines.
 * Addresses are read in lower case (as the roster stores them); ids are kept as written, as every
 * command takes them (`tandem pairs`, `tandem person`: an id is matched exactly).
 */
export function parseAttendanceList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (s.includes('@') ? s.toLowerCase() : s)),
    ),
  ];
}

/**
 * Resolves HR's attendance list to members of the cycle: by address (any letter case) or participant
 * id (exactly). Everyone unknown is named in one ValidationError, and nothing is recorded then.
 */
export function resolveAttendees(entries: readonly string[], members: readonly Member[]): string[] {
  const byKey = new Map<string, string>();
  for (const m of members) {
    byKey.set(m.email.toLowerCase(), m.participantId);
    byKey.set(m.participantId, m.participantId);
  }
  const keyOf = (entry: string) => (entry.includes('@') ? entry.toLowerCase() : entry);
  const unknown = entries.filter((e) => !byKey.has(keyOf(e)));
  if (unknown.length) {
    throw new ValidationError(
      'attendance names people who are not members of this cycle',
      unknown.map((e) => ({ where: e, problem: 'no member of the cycle has this address or id (ids are matched exactly, letter case included)' })),
    );
  }
  return [...new Set(entries.map((e) => byKey.get(keyOf(e)) as string))].sort();
}
