import { createEvent } from 'ics';
import type { InfoSession } from './sessions.ts';

/** A session's calendar file: one event in UTC times, the same for everyone it is sent to. */
export interface SessionCalendarFile {
  fileName: string;
  contentType: string;
  content: string;
}

/**
 * Written with the `ics` package (folding, escaping and line endings are its job) when HR adds the
 * session, and stored with it: the page's function then attaches it without carrying the package.
 * The event is PUBLISHed, not a REQUEST: registering happens on the session page, where the
 * capacity is kept, so a calendar's "accept" button must not look like a registration. It holds no
 * personal link (each email has its own), so a shared calendar leaks no one's link.
 */
export function sessionCalendar(session: InfoSession, options: { organizer: string }): SessionCalendarFile {
  const location = [session.place, session.videoLink].filter(Boolean).join(' · ');
  const { error, value } = createEvent({
    uid: `${session.sessionId}.${session.cycleId}@tandem`,
    productId: 'tandem/sessions',
    method: 'PUBLISH',
    title: session.title,
    description: session.description,
    start: session.startsAt,
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: session.durationMinutes },
    ...(location ? { location } : {}),
    ...(session.videoLink ? { url: session.videoLink } : {}),
    organizer: { email: options.organizer },
    status: 'CONFIRMED',
    // Later versions of the same event (a moved or cancelled session) replace this one in calendars.
    sequence: 0,
  });
  if (error || !value)
    throw new RangeError(`the session ${session.sessionId} cannot be written as a calendar event: ${error?.message ?? 'no output'}`, { cause: error });
  return { fileName: `${session.sessionId}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: value };
}
