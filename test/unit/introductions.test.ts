import { describe, expect, it } from 'vitest';
import { firstCommonSlot, localTime, WORKING_HOURS } from '../../domain/availability.ts';
import { DEFAULT_FIRST_MEETING_AGENDA, firstMeetingCalendar, introductionEmail, type IntroductionInput } from '../../domain/introduction.ts';
import { participantSchema } from '../../domain/participant.ts';
import { programSchema } from '../../domain/program.ts';

// Monday 7 December 2026, 00:00 UTC.
const MONDAY = Date.UTC(2026, 11, 7);

describe('the first common slot', () => {
  it('falls in both people’s windows, each in their own time zone', () => {
    const slot = firstCommonSlot(
      [
        { timeZone: 'America/Sao_Paulo', availability: WORKING_HOURS },
        { timeZone: 'Asia/Tokyo', availability: [{ weekday: 2, from: '21:00', to: '23:00' }] },
      ],
      MONDAY,
      45,
    );
    // Tuesday 21:00 in Tokyo is Tuesday 09:00 in São Paulo.
    expect(slot && new Date(slot.start).toISOString()).toBe('2026-12-08T12:00:00.000Z');
    expect(slot && slot.end - slot.start).toBe(45 * 60_000);
    expect(localTime(slot?.start as number, 'Asia/Tokyo')).toEqual({ weekday: 2, time: '21:00' });
  });

  it('starts no sooner than asked, on a whole half hour, and never runs past a window’s end', () => {
    const slot = firstCommonSlot([{ timeZone: 'UTC', availability: [{ weekday: 1, from: '09:00', to: '10:00' }] }], MONDAY + 9 * 3600_000 + 60_000, 45);
    // 09:30 would end at 10:15: the next Monday is the first fit.
    expect(new Date(slot?.start as number).toISOString()).toBe('2026-12-14T09:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // London is UTC+1 in summer: 09:00 local is 08:00 UTC.
    const slot = firstCommonSlot([{ timeZone: 'Europe/London', availability: WORKING_HOURS }], Date.UTC(2027, 5, 7), 45);
    expect(new Date(slot?.start as number).toISOString()).toBe('2027-06-07T08:00:00.000Z');
  });

  it('finds nothing when the windows never overlap', () => {
    const slot = firstCommonSlot(
      [
        { timeZone: 'UTC', availability: [{ weekday: 1, from: '09:00', to: '10:00' }] },
        { timeZone: 'UTC', availability: [{ weekday: 1, from: '10:00', to: '11:00' }] },
      ],
      MONDAY,
      45,
    );
    expect(slot).toBeUndefined();
  });
});

describe('availability and time zones in files', () => {
  const person = {
    participantId: 'p1',
    name: 'Ana',
    email: 'ana@example.com',
    department: 'Sales',
    birthYear: 1990,
    seniority: 3,
    languages: ['pt'],
  };

  it('accepts weekly windows and names a window that ends before it starts', () => {
    expect(participantSchema.parse({ ...person, availability: [{ weekday: 1, from: '09:00', to: '12:00' }] }).availability).toHaveLength(1);
    const bad = participantSchema.safeParse({ ...person, availability: [{ weekday: 8, from: '12:00', to: '09:00' }] });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('availability.0.weekday');
    expect(bad.error?.issues.map((i) => i.message)).toContain('each window must end after it starts');
  });
});

const input: IntroductionInput = {
  programName: 'Mentoria Reversa',
  cycleId: 'c1',
  pairId: 'p1~p2',
  recipient: { name: 'Helena', email: 'helena@example.com', department: 'Vendas', language: 'pt-BR', timeZone: 'America/Sao_Paulo', goals: ['Usar IA'] },
  partner: { name: 'Jack Harris', email: 'jack@example.com', department: 'IT', language: 'en', timeZone: 'Europe/London', goals: [] },
  teaches: ['Negociação'],
  learns: ['Assistentes de IA'],
  checkInCadence: 'P14D',
  runDuration: 'P90D',
  agenda: DEFAULT_FIRST_MEETING_AGENDA['pt-BR'],
  hrContact: 'rh@example.com',
  meeting: { start: Date.UTC(2026, 11, 8, 12), end: Date.UTC(2026, 11, 8, 12, 45) },
};

describe('the introduction email', () => {
  it('is written in the recipient’s language with the partner’s contact, both goals, the expectations and the agenda', () => {
    const email = introductionEmail(input);
    expect(email.subject).toBe('Conheça Jack Harris, sua dupla de mentoria');
    expect(email.text).toContain('E-mail: jack@example.com');
    expect(email.text).toContain('Idioma preferido: inglês');
    expect(email.text).toContain('Usar IA');
    expect(email.text).toContain('Metas de Jack Harris\n  ainda não definidas');
    expect(email.text).toContain('a cada 14 dias, durante 90 dias');
    expect(email.text).toContain('Apresentem-se');
    // The proposed time is shown in the recipient's time zone (09:00 in São Paulo).
    expect(email.text).toMatch(/09:00 \(America\/Sao_Paulo\)/);
    expect(email.html).toContain('<html lang="pt-BR">');
  });

  it('escapes what people typed in its HTML', () => {
    const email = introductionEmail({ ...input, recipient: { ...input.recipient, goals: ['<script>x</script>'] } });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
  });

  it('says to agree on a time when there is no common slot', () => {
    const { meeting: _none, ...withoutMeeting } = input;
    expect(introductionEmail({ ...withoutMeeting, recipient: { ...input.recipient, language: 'en' } }).text).toContain('agree on a time together');
  });

  it('writes the first meeting as a published calendar event, in UTC, with both members as attendees', () => {
    const ics = firstMeetingCalendar({ ...input, meeting: input.meeting as NonNullable<IntroductionInput['meeting']> });
    expect(ics).toContain('METHOD:PUBLISH');
    expect(ics).toContain('DTSTART:20261208T120000Z');
    expect(ics).toContain('UID:c1.p1~p2.first-meeting@tandem');
    // Long lines are folded (RFC 5545): unfold before reading a property.
    expect(ics.replace(/\r\n[ \t]/g, '')).toMatch(/ATTENDEE;[^\r\n]*mailto:jack@example\.com/i);
  });
});

describe('the program’s first-meeting agenda', () => {
  it('is optional per language and trimmed', async () => {
    const { readFileSync } = await import('node:fs');
    const base = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as object;
    expect(programSchema.parse({ ...base, firstMeetingAgenda: { en: '  Say hello  ' } }).firstMeetingAgenda).toEqual({ en: 'Say hello' });
    expect(programSchema.safeParse({ ...base, timeZone: 'Mars/Olympus' }).error?.issues[0]?.message).toMatch(/IANA time zone/);
  });
});
