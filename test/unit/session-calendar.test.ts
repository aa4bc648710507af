import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { sessionCalendar } from '../../domain/session-calendar.ts';
import type { InfoSession } from '../../domain/sessions.ts';

const session: InfoSession = {
  cycleId: 'c1',
  sessionId: 'ai-101',
  title: 'AI assistants in practice, a title long enough to be folded at seventy-five octets',
  description: 'Prompting; checking answers, privacy.\nBring a laptop.',
  skills: ['ai'],
  startsAt: Date.parse('2027-03-10T17:00:00Z'),
  timeZone: 'America/Sao_Paulo',
  durationMinutes: 90,
  place: 'Room 4',
  videoLink: 'https://meet.example.com/ai-101',
  capacity: 2,
  audience: 'everyone',
  createdAt: Date.parse('2027-03-01T12:00:00Z'),
  seatsTaken: 0,
};
const organizer = { name: 'Mentoring 2027', email: 'hr@example.com' };
const unfolded = (content: string) => content.replace(/\r\n[ \t]/g, '');

describe('a session’s calendar file', () => {
  it('publishes one event in UTC, from the start to the start plus its length', () => {
    const file = sessionCalendar(session, { organizer });
    expect(file).toMatchObject({ fileName: 'ai-101.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH' });
    expect(file.content).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    expect(file.content).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(file.content).toContain('\r\nDTSTART:20270310T170000Z\r\n');
    expect(file.content).toContain('\r\nDTEND:20270310T183000Z\r\n');
    expect(file.content.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it('keeps the same UID every time it is written, so a calendar replaces the event instead of adding one', () => {
    const uids = [sessionCalendar(session, { organizer }), sessionCalendar(session, { organizer })].map((f) => /\r\nUID:([^\r\n]+)/.exec(f.content)?.[1]);
    expect(uids).toEqual(['ai-101.c1@tandem', 'ai-101.c1@tandem']);
    expect(sessionCalendar(session, { organizer }).content).toContain('\r\nSEQUENCE:0\r\n');
  });

  it('names the program as organizer with its sender address, and is confirmed', () => {
    const content = unfolded(sessionCalendar(session, { organizer }).content);
    expect(content).toMatch(/\r\nORGANIZER;CN="Mentoring 2027":mailto:hr@example\.com\r\n/);
    expect(content).toContain('\r\nSTATUS:CONFIRMED\r\n');
  });

  it('folds long lines and escapes text, as a calendar library reads it back', () => {
    const content = sessionCalendar(session, { organizer }).content;
    for (const line of content.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(content) as unknown[]).getFirstSubcomponent('vevent') as ICAL.Component);
    expect(event.summary).toBe(session.title);
    expect(event.description).toBe(session.description);
    expect(event.location).toBe('Room 4 · https://meet.example.com/ai-101');
    expect(event.organizer).toBe('mailto:hr@example.com');
  });

  it('leaves out the location and the link of a session that has neither', () => {
    const { place: _place, videoLink: _videoLink, ...nowhere } = session;
    const content = sessionCalendar(nowhere, { organizer }).content;
    expect(content).not.toMatch(/\r\n(LOCATION|URL)[:;]/);
  });

  it('cancels the same event when the session is cancelled: its UID, a higher sequence, status CANCELLED', () => {
    const file = sessionCalendar(
      { ...session, cancelledAt: Date.parse('2027-03-05T12:00:00Z'), cancelReason: 'ill' },
      { organizer, cancelled: true, attendee: { name: 'Ana Lima', email: 'ana@example.com' } },
    );
    expect(file).toMatchObject({ fileName: 'ai-101-cancelled.ics', contentType: 'text/calendar; charset=utf-8; method=CANCEL' });
    expect(file.content).toContain('\r\nMETHOD:CANCEL\r\n');
    expect(file.content).toContain('\r\nUID:ai-101.c1@tandem\r\n');
    expect(file.content).toContain('\r\nSEQUENCE:1\r\n');
    expect(file.content).toContain('\r\nSTATUS:CANCELLED\r\n');
    expect(unfolded(file.content)).toMatch(/\r\nATTENDEE;[^\r\n]*CN="Ana Lima"[^\r\n]*:MAILTO:ana@example\.com\r\n/i);
  });

  it('leaves the video link out of a cancellation, in its location and as its URL, keeping the place', () => {
    const cancelled = { ...session, cancelledAt: Date.parse('2027-03-05T12:00:00Z'), cancelReason: 'ill' };
    const content = sessionCalendar(cancelled, { organizer, cancelled: true }).content;
    expect(unfolded(content)).not.toContain('meet.example.com');
    expect(content).not.toMatch(/\r\nURL[:;]/);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(content) as unknown[]).getFirstSubcomponent('vevent') as ICAL.Component);
    expect(event.location).toBe('Room 4');
    const { place: _place, ...videoOnly } = cancelled;
    expect(sessionCalendar(videoOnly, { organizer, cancelled: true }).content).not.toMatch(/\r\n(LOCATION|URL)[:;]/);
  });
});
