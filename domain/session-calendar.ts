import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { InfoSession } from './sessions.ts';

/** A session's calendar file: one event in UTC times, the same for everyone it is sent to. */
export interface SessionCalendarFile {
  fileName: string;
  contentType: string;
  content: string;
}

/**
 * With `cancelled`, the CANCEL of the same event (its UID, a higher SEQUENCE, STATUS:CANCELLED),
 * one per person told (`attendee`), sent when HR cancels the session. Like the cancellation email it
 * carries no video link (neither in LOCATION nor as URL): the call will not take place. It keeps the
 * place, if the session has one, as LOCATION. A moved session's file is written again with its
 * `sequence`, so calendars that hold it move the event.
 *
 * Written with ical-generator (folding, escaping and line endings are its job; the introductions use it too) when
 * HR adds the session, and stored with it: the page's function then attaches it without carrying the package.
 * The event is PUBLISHed, not a REQUEST: registering happens on the session page, where the
 * capacity is kept, so a calendar's "accept" button must not look like a registration. It holds no
 * personal link (each email has its own), so a shared calendar leaks no one's link.
 */
export function sessionCalendar(
  session: InfoSession,
  options: { organizer: { name: string; email: string }; cancelled?: boolean; attendee?: { name: string; email: string } },
): SessionCalendarFile {
  const cancelled = options.cancelled === true;
  // A cancelled session's call will not take place: its link is left out, as from the email.
  const videoLink = cancelled ? undefined : session.videoLink;
  const location = [session.place, videoLink].filter(Boolean).join(' · ');
  const method = cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH;
  const calendar = ical({ prodId: { company: 'Tandem', product: 'sessions' }, method });
  calendar.createEvent({
    id: `${session.sessionId}.${session.cycleId}@tandem`,
    summary: session.title,
    description: session.description,
    start: new Date(session.startsAt),
    end: new Date(session.startsAt + session.durationMinutes * 60_000),
    ...(location ? { location } : {}),
    ...(videoLink ? { url: videoLink } : {}),
    organizer: options.organizer,
    // A cancellation names its recipient: calendars match a CANCEL to the attendee it removes the event for (RFC 5546 3.2.5).
    ...(options.attendee ? { attendees: [{ name: options.attendee.name, email: options.attendee.email }] } : {}),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // Later versions of the same event replace this one in calendars: the same UID with a higher
    // sequence. Each move of the session is one version more, and its cancellation one above the last.
    sequence: (session.sequence ?? 0) + (cancelled ? 1 : 0),
  });
  return {
    fileName: `${session.sessionId}${cancelled ? '-cancelled' : ''}.ics`,
    contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'PUBLISH'}`,
    content: calendar.toString(),
  };
}
