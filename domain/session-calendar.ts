import { createEvent } from 'ics';
import type { InfoSession } from './sessions.ts';

/** A session's calendar file: one event (UTC times), the page link to register or decline in its URL. */
export interface SessionCalendarFile {
  fileName: string;
  contentType: string;
  content: string;
}

/**
 * Written with the `ics` package (folding, escaping and line endings are its job). The event is
 * PUBLISHed, not a REQUEST: registering happens on the session page, where the capacity is kept,
 * so a calendar's "accept" button must not look like a registration.
 */
export function sessionCalendar(session: InfoSession, options: { link: string; organizer: string; cancelled?: boolean }): SessionCalendarFile {
  const location = [session.place, session.videoLink].filter(Boolean).join(' · ');
  const { error, value } = createEvent({
    uid: `${session.sessionId}.${session.cycleId}@tandem`,
    productId: 'tandem/sessions',
    method: 'PUBLISH',
    title: session.title,
    description: `${session.description}\n\n${options.link}`,
    start: session.startsAt,
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: session.durationMinutes },
    ...(location ? { location } : {}),
    url: options.link,
    organizer: { email: options.organizer },
    status: options.cancelled ? 'CANCELLED' : 'CONFIRMED',
    // Later versions of the same event (a moved or cancelled session) replace this one in calendars.
    sequence: 0,
  });
  if (error || !value)
    throw new RangeError(`the session ${session.sessionId} cannot be written as a calendar event: ${error?.message ?? 'no output'}`, { cause: error });
  return { fileName: `${session.sessionId}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: value };
}
