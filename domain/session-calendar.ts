import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { InfoSession } from './sessions.ts';

/** A session's calendar file: one event in UTC times, the same for everyone it is sent to. */
export interface SessionCalendarFile {
  fileName: string;
  contentType: string;
  content: string;
}

/**
 * Written with ical-generator (folding, escaping and line endings are its job; the introductions use it too) when
 * HR adds the session, and stored with it: the page's function then attaches it without carrying the package.
 * The event is PUBLISHed, not a REQUEST: registering happens on the session page, where the
 * capacity is kept, so a calendar's "accept" button must not look like a registration. It holds no
 * personal link (each email has its own), so a shared calendar leaks no one's link.
 */
export function sessionCalendar(session: InfoSession, options: { organizer: { name: string; email: string } }): SessionCalendarFile {
  const location = [session.place, session.videoLink].filter(Boolean).join(' · ');
  const calendar = ical({ prodId: { company: 'Tandem', product: 'sessions' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: `${session.sessionId}.${session.cycleId}@tandem`,
    summary: session.title,
    description: session.description,
    start: new Date(session.startsAt),
    end: new Date(session.startsAt + session.durationMinutes * 60_000),
    ...(location ? { location } : {}),
    ...(session.videoLink ? { url: session.videoLink } : {}),
    organizer: options.organizer,
    status: ICalEventStatus.CONFIRMED,
    // Later versions of the same event (a moved or cancelled session) replace this one in calendars.
    sequence: 0,
  });
  return { fileName: `${session.sessionId}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: calendar.toString() };
}
