import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCycle, type Member } from '../../domain/cycle.ts';
import { ConflictError, NotFoundError, TandemError, TransientError, ValidationError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import {
  firstInLine,
  parseAttendanceList,
  parseSessionInput,
  sessionAudience,
  waitingPosition,
  type InfoSession,
  type SessionInput,
} from '../../domain/sessions.ts';
import { sessionTime } from '../../domain/session-emails.ts';
import { sessionFigures } from '../../domain/session-figures.ts';
import type { Mailer, OutgoingEmail, WrittenEmail } from '../../services/ports.ts';
import { formBinding } from '../../services/form-binding.ts';
import { showSessionPage, submitSessionPage } from '../../services/session-pages.ts';
import {
  addSession,
  announceSession,
  cancelSession,
  moveSession,
  previewCancellation,
  recordAttendance,
  sessionOverview,
  type SessionMailDeps,
} from '../../services/sessions.ts';
import { sessionsSection } from '../../domain/session-report.ts';
import { sessionReport } from '../../services/review.ts';
import { memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const program: Program = programSchema.parse({
  ...JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')),
  programId: 'sessions-test',
});
const NOW = Date.UTC(2027, 2, 1, 12);
const CYCLE = 'cycle-sessions';

const input = (details: Partial<SessionInput> = {}): SessionInput => ({
  sessionId: 'ai-101',
  title: 'AI assistants in practice',
  description: 'Prompting, checking answers, privacy.',
  skills: ['ai-tools'],
  startsAt: '2027-03-10T14:00-03:00',
  timeZone: 'America/Sao_Paulo',
  durationMinutes: 90,
  place: 'Room 4',
  capacity: 2,
  ...details,
});

/** Records what would go to SES; `failNext` makes the next send fail as SES throttling does. */
class RecordingMailer implements Mailer {
  readonly sent: WrittenEmail[] = [];
  failNext = false;
  /** Fails the send after this many more succeed (as SES throttling does), once. */
  failAfter: number | undefined;
  async send(email: OutgoingEmail) {
    if (this.failAfter !== undefined && this.failAfter-- === 0) {
      this.failAfter = undefined;
      this.failNext = true;
    }
    if (this.failNext) {
      this.failNext = false;
      throw new TransientError('SES is throttling');
    }
    this.sent.push(email as WrittenEmail);
    return { messageId: `m-${this.sent.length}` };
  }
  to(kind: string): string[] {
    return this.sent.filter((e) => e.tags?.kind === kind).map((e) => e.to);
  }
}

const members: Member[] = [
  memberOf('p01', { skillsWanted: ['ai-tools'], language: 'pt-BR', name: 'Helena Duarte' }),
  memberOf('p02', { learns: ['ai-tools'] }),
  memberOf('p03', { skillsWanted: ['negotiation'] }),
  memberOf('p04', { skillsWanted: ['ai-tools'], declined: true }),
  memberOf('p05', { skillsWanted: ['ai-tools'], unreachable: true }),
  memberOf('p06', { skillsWanted: ['ai-tools', 'cloud-tools'] }),
  memberOf('p07', { skillsWanted: ['ai-tools'] }),
];

describe('who a session is announced to', () => {
  it('is every member still in the cycle who wants to learn or learns one of its skills', () => {
    expect(sessionAudience({ skills: ['ai-tools'], audience: 'learners' }, members).map((m) => m.participantId)).toEqual(['p01', 'p02', 'p06', 'p07']);
    expect(sessionAudience({ skills: ['negotiation', 'cloud-tools'], audience: 'learners' }, members).map((m) => m.participantId)).toEqual(['p03', 'p06']);
  });

  it('is every member still in the cycle for a session open to everyone, never one who declined or bounced', () => {
    expect(sessionAudience({ skills: ['negotiation'], audience: 'everyone' }, members).map((m) => m.participantId)).toEqual([
      'p01',
      'p02',
      'p03',
      'p06',
      'p07',
    ]);
  });
});

describe('a session as HR gives it', () => {
  it('is stored with its start as an instant, its skills from the catalog and no seat taken', () => {
    const session = parseSessionInput(input(), program.skillsCatalog, CYCLE, NOW);
    expect(session).toMatchObject({ cycleId: CYCLE, sessionId: 'ai-101', startsAt: Date.UTC(2027, 2, 10, 17), seatsTaken: 0, audience: 'learners' });
  });

  it('takes numbers typed on a command line', () => {
    expect(parseSessionInput(input({ durationMinutes: '45', capacity: '30' }), program.skillsCatalog, CYCLE, NOW)).toMatchObject({
      durationMinutes: 45,
      capacity: 30,
    });
  });

  it('stores its time zone by its canonical name, whatever the letter case or alias HR typed', () => {
    expect(parseSessionInput(input({ timeZone: 'america/sao_paulo' }), program.skillsCatalog, CYCLE, NOW).timeZone).toBe('America/Sao_Paulo');
    expect(parseSessionInput(input({ timeZone: ' US/Eastern ', startsAt: '2027-03-10T14:00-05:00' }), program.skillsCatalog, CYCLE, NOW).timeZone).toBe(
      'America/New_York',
    );
  });

  it('takes seats and minutes only as decimal whole numbers, not as hexadecimal, exponents or blanks', () => {
    for (const typed of ['0x10', '1e1', '', ' ', '16.5']) {
      const error = (() => {
        try {
          parseSessionInput(input({ capacity: typed, durationMinutes: typed }), program.skillsCatalog, CYCLE, NOW);
        } catch (e) {
          return e;
        }
      })();
      expect(error, typed).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.where).sort(), typed).toEqual(['capacity', 'durationMinutes']);
    }
    expect(parseSessionInput(input({ capacity: ' 016 ', durationMinutes: '090' }), program.skillsCatalog, CYCLE, NOW)).toMatchObject({
      capacity: 16,
      durationMinutes: 90,
    });
  });

  it('keeps what participants read plain: control and direction characters removed, a title or place on one line', () => {
    const session = parseSessionInput(
      input({ title: 'AI\u202e tools\u001b[31m', place: 'Room 2\nClick https://evil.example', description: 'Line one\r\nLine two\u0007' }),
      program.skillsCatalog,
      'c1',
      NOW,
    );
    expect([session.title, session.place, session.description]).toEqual(['AI tools[31m', 'Room 2 Click https://evil.example', 'Line one\nLine two']);
    expect(() => parseSessionInput(input({ startsAt: '2027-02-30T14:00-03:00' }), program.skillsCatalog, 'c1', NOW)).toThrow(ValidationError);
  });

  it('is refused with every problem named: unknown fields, a missing place, an offset the time zone does not have', () => {
    const problems = (details: Partial<SessionInput>) => {
      try {
        parseSessionInput(input(details), program.skillsCatalog, CYCLE, NOW);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((i) => `${i.where}: ${i.problem}`);
      }
      throw new Error('not refused');
    };
    expect(problems({ capacity: 0, timeZone: 'Mars/Olympus' })).toEqual(
      expect.arrayContaining(['capacity: must be at least 1', 'timeZone: must be an IANA time zone such as America/Sao_Paulo']),
    );
    expect(problems({ place: undefined })).toEqual(['place: give a place or a video link (or both)']);
    expect(problems({ startsAt: '2027-03-10T14:00+01:00' })).toEqual(['startsAt: its offset is not the offset of the time zone at that date']);
    expect(problems({ startsAt: '10/03/2027 14:00' })).toEqual(['startsAt: must be a date and time with its offset, like 2027-03-10T14:00-03:00']);
    expect(problems({ skills: ['ai-tools', 'juggling'] })).toEqual(["skills: not in the program's skill catalog: juggling"]);
    expect(problems({ startsAt: '2027-02-10T14:00-03:00' })).toEqual(['startsAt: must be in the future']);
    expect(problems({ videoLink: 'http://meet.example.com/x' })).toEqual(['videoLink: must be an https link']);
  });
});

describe('a session’s time as people read it', () => {
  it('names its offset when the clocks go back and the same hour happens twice, and only then', () => {
    const at = (iso: string, language: 'en' | 'pt-BR' = 'en') => sessionTime({ startsAt: Date.parse(iso), timeZone: 'America/New_York' }, language);
    // 1:30 AM on 7 November 2027 in New York: first at UTC-04:00, an hour later again at UTC-05:00.
    expect(at('2027-11-07T05:30:00Z')).toBe('Sunday, November 7, 2027 at 1:30 AM (America/New_York, UTC-04:00)');
    expect(at('2027-11-07T06:30:00Z')).toBe('Sunday, November 7, 2027 at 1:30 AM (America/New_York, UTC-05:00)');
    expect(at('2027-11-07T06:30:00Z', 'pt-BR')).toBe('domingo, 7 de novembro de 2027 às 01:30 (America/New_York, UTC-05:00)');
    // Just before and after the repeated hour, and when the clocks go forward (no hour repeats), a time reads as always.
    expect(at('2027-11-07T04:59:00Z')).toBe('Sunday, November 7, 2027 at 12:59 AM (America/New_York)');
    expect(at('2027-11-07T07:00:00Z')).toBe('Sunday, November 7, 2027 at 2:00 AM (America/New_York)');
    expect(at('2027-03-14T07:30:00Z')).toBe('Sunday, March 14, 2027 at 3:30 AM (America/New_York)');
  });
});

describe('the waiting list', () => {
  const reg = (participantId: string, status: 'registered' | 'waitlisted' | 'declined', waitlistedAt?: number) => ({
    cycleId: CYCLE,
    sessionId: 's',
    participantId,
    status,
    updatedAt: 0,
    ...(waitlistedAt !== undefined ? { waitlistedAt } : {}),
  });
  const line = [reg('p09', 'waitlisted', 30), reg('p01', 'registered'), reg('p08', 'waitlisted', 20), reg('p07', 'waitlisted', 30), reg('p02', 'declined')];

  it('is served in the order people joined it, ties by participant id', () => {
    expect(firstInLine(line)?.participantId).toBe('p08');
    expect(['p08', 'p07', 'p09', 'p01'].map((id) => waitingPosition(line, id))).toEqual([1, 2, 3, undefined]);
  });
});

describe('attendance lists and figures', () => {
  it('reads addresses separated by commas, spaces or lines, once each and in lower case, and ids as written', () => {
    expect(parseAttendanceList('Ana@Example.com, p02\njoao@example.com;ana@example.com P03')).toEqual(['ana@example.com', 'p02', 'joao@example.com', 'P03']);
  });

  it('counts sessions, registrations and attendance per skill', () => {
    const a = { ...parseSessionInput(input(), program.skillsCatalog, CYCLE, NOW), attended: ['p01'], attendanceRecordedAt: NOW };
    const b = parseSessionInput(input({ sessionId: 'neg', skills: ['negotiation', 'ai-tools'] }), program.skillsCatalog, CYCLE, NOW);
    const regs = [
      { cycleId: CYCLE, sessionId: 'ai-101', participantId: 'p01', status: 'registered' as const, updatedAt: 0 },
      { cycleId: CYCLE, sessionId: 'ai-101', participantId: 'p02', status: 'registered' as const, updatedAt: 0 },
      { cycleId: CYCLE, sessionId: 'neg', participantId: 'p03', status: 'waitlisted' as const, updatedAt: 0 },
    ];
    const figures = sessionFigures([a, b], regs);
    expect(figures).toMatchObject({ sessions: 2, registered: 2, waitlisted: 1, recordedSessions: 1, recordedRegistered: 2, attended: 1, attendanceRate: 0.5 });
    expect(figures.bySkill).toEqual([
      { skill: 'ai-tools', sessions: 2, seats: 4, registered: 2, waitlisted: 1, recordedSessions: 1, recordedRegistered: 2, attended: 1, walkIns: 0 },
      { skill: 'negotiation', sessions: 1, seats: 2, registered: 0, waitlisted: 1, recordedSessions: 0, recordedRegistered: 0, attended: 0, walkIns: 0 },
    ]);
  });

  describe('in the review report', () => {
    const registered = (sessionId: string, ids: readonly string[]) =>
      ids.map((participantId) => ({ cycleId: CYCLE, sessionId, participantId, status: 'registered' as const, updatedAt: 0 }));
    const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `p${String(from + i).padStart(2, '0')}`);
    const session = (sessionId: string, attended?: string[]) => ({
      ...parseSessionInput(input({ sessionId }), program.skillsCatalog, CYCLE, NOW),
      ...(attended ? { attended, attendanceRecordedAt: NOW } : {}),
    });
    const rowOf = (html: string, label: string) => new RegExp(`<th scope="row">${label}</th><td>([^<]*)</td>`).exec(html)?.[1];
    const labels = {
      attended: 'Attended, of those registered',
      walkIns: 'Attended without a seat \\(walk-ins\\)',
      rate: 'Attended of registered \\(sessions with attendance recorded\\)',
    };

    it('hides attendance about fewer than 5 registered in the sessions whose attendance was recorded, whatever other sessions hold', () => {
      // 2 registered, 1 came; another session of 30 registered has no attendance recorded and says nothing of who came.
      const figures = sessionFigures([session('small', ['p01']), session('large')], [...registered('small', ids(2)), ...registered('large', ids(30, 10))]);
      const html = sessionsSection({ figures, skillNames: {} });
      expect([rowOf(html, labels.attended), rowOf(html, labels.rate)]).toEqual(['fewer than 5 registered', 'fewer than 5 registered']);
      expect(html).toContain('<td>ai-tools</td><td>2</td><td>4</td><td>32</td><td>0</td><td>fewer than 5 registered</td><td>0</td>');
      expect(html).not.toContain('50%');
    });

    it('says attendance was recorded when nobody had registered, and hides a lone walk-in', () => {
      const figures = sessionFigures([session('open', ['p01'])], []);
      const html = sessionsSection({ figures, skillNames: {} });
      expect([rowOf(html, labels.attended), rowOf(html, labels.walkIns), rowOf(html, labels.rate)]).toEqual([
        'no one registered',
        'fewer than 5',
        'no one registered',
      ]);
      expect(html).not.toContain('not recorded yet');
      expect(html).toContain('<td>ai-tools</td><td>1</td><td>2</td><td>0</td><td>0</td><td>no one registered</td><td>fewer than 5</td>');
    });

    it('counts walk-ins apart, so the attended-of-registered rate never exceeds 100%', () => {
      // 6 registered, 3 of them came, with 9 members who had no seat.
      const figures = sessionFigures([session('talk', [...ids(3), ...ids(9, 20)])], registered('talk', ids(6)));
      expect(figures).toMatchObject({ recordedRegistered: 6, attended: 3, walkIns: 9, attendanceRate: 0.5 });
      const html = sessionsSection({ figures, skillNames: {} });
      expect([rowOf(html, labels.attended), rowOf(html, labels.walkIns), rowOf(html, labels.rate)]).toEqual(['3', '9', '50%']);
      const everyoneCame = sessionFigures([session('talk', [...ids(6), ...ids(9, 20)])], registered('talk', ids(6)));
      expect(everyoneCame.attendanceRate).toBe(1);
    });
  });
});

describe('a session in a cycle', () => {
  const signer = new LinkSigner('s'.repeat(32));
  let store: InMemoryStore;
  let mailer: RecordingMailer;
  let deps: SessionMailDeps;
  let time: number;
  /** The person's roster entry with this status, as an opt-out, a bounce or HR's import leaves it. */
  const setStatus = (participantId: string, status: 'active' | 'opted-out' | 'unreachable') =>
    store.putParticipants(program.programId, [
      {
        participantId,
        name: participantId,
        email: `${participantId}@example.com`,
        department: 'IT',
        birthYear: 1990,
        skillsOffered: [],
        skillsWanted: [],
        languages: ['en'],
        capacity: 1,
        status,
      },
    ]);

  beforeEach(async () => {
    store = new InMemoryStore();
    mailer = new RecordingMailer();
    time = NOW;
    deps = { store, emailLog: store, mailer, clock: { now: () => (time += 1000) }, links: { signer, baseUrl: 'https://links.example.com' } };
    await store.createCycle(newCycle(program, CYCLE, NOW));
    await store.putCohort(CYCLE, members, []);
    await addSession(deps, CYCLE, input());
  });

  const tokenOf = (participantId: string) => {
    const email = mailer.sent.find((e) => e.to === `${participantId}@example.com`);
    return /\/session\/([^\s]+)/.exec(email?.text ?? '')?.[1] as string;
  };
  const post = (participantId: string, action: string) => {
    const token = tokenOf(participantId);
    return submitSessionPage(deps, token, new URLSearchParams({ _action: action, _bind: formBinding(signer, token) }).toString(), './x');
  };

  it('refuses a second session with the same id', async () => {
    await expect(addSession(deps, CYCLE, input())).rejects.toThrow(ConflictError);
  });

  it('is refused, added or moved, when it would start after the cycle’s planned end, named by its start and that end', async () => {
    // The cycle opened no phase yet: it is planned to end 14 + 90 + 14 + 14 days after its start (examples/program.json).
    const end = '2027-07-11 12:00Z';
    const refused = await addSession(deps, CYCLE, input({ sessionId: 'later', startsAt: '2035-03-10T14:00-03:00' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([{ where: 'startsAt', problem: expect.stringContaining(`planned for ${end}`) }]);
    expect(await store.getSession(CYCLE, 'later')).toBeUndefined();
    expect(await addSession(deps, CYCLE, input({ sessionId: 'last-day', startsAt: '2027-07-11T09:00-03:00' }))).toMatchObject({ sessionId: 'last-day' });
    const moved = await moveSession(deps, CYCLE, 'ai-101', { startsAt: '2027-07-11T09:01-03:00' }).catch((e: unknown) => e);
    expect((moved as ValidationError).issues).toEqual([{ where: 'startsAt', problem: expect.stringContaining(`planned for ${end}`) }]);
    expect((await store.getSession(CYCLE, 'ai-101'))?.startsAt).toBe(Date.parse('2027-03-10T17:00Z'));
  });

  it('shows no answer and no button once its cycle ended, saying so in the reader’s language, and records nothing sent after', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    await post('p02', 'register');
    // The page as it was while the cycle ran: its form is sent after the cycle ended.
    const token = tokenOf('p06');
    const body = new URLSearchParams({ _action: 'register', _bind: formBinding(signer, token) }).toString();
    await store.markStopped(CYCLE, time);
    const english = await showSessionPage(deps, tokenOf('p02'), './x');
    expect(english.html).toContain('The program cycle this session belongs to has ended, so the session takes no more answers.');
    expect(english.html).not.toContain('<form');
    expect(english.html).not.toContain('seats free');
    expect((await showSessionPage(deps, tokenOf('p01'), './x')).html).toContain('O ciclo do programa a que esta sessão pertence terminou');
    const late = await submitSessionPage(deps, token, body, './x');
    expect(late.status).toBe(410);
    expect(late.html).toContain('The program cycle this session belongs to has ended');
    expect(late.html).not.toMatch(/phase/i);
    expect(await store.getSessionRegistration(CYCLE, 'ai-101', 'p06')).toBeUndefined();
  });

  it('is announced once to each person of its audience, in their language, with a link and a calendar file', async () => {
    expect(await announceSession(deps, CYCLE, 'ai-101')).toEqual({ audience: 4, sent: 4, alreadySent: 0, inFlight: 0, rejected: 0 });
    expect(await announceSession(deps, CYCLE, 'ai-101')).toEqual({ audience: 4, sent: 0, alreadySent: 4, inFlight: 0, rejected: 0 });
    expect(mailer.to('session-announcement').sort()).toEqual(['p01@example.com', 'p02@example.com', 'p06@example.com', 'p07@example.com']);
    const helena = mailer.sent.find((e) => e.to === 'p01@example.com') as WrittenEmail;
    expect(helena.subject).toBe('Sessão informativa: AI assistants in practice');
    expect(helena.text).toContain('quarta-feira, 10 de março de 2027');
    expect(helena.text).toMatch(/https:\/\/links\.example\.com\/session\/v1\./);
    expect(helena.replyTo).toEqual(program.hrContacts);
    expect(mailer.sent.find((e) => e.to === 'p02@example.com')?.subject).toBe('Informational session: AI assistants in practice');
  });

  it('sends, on a second announcement, what a failure left unsent', async () => {
    mailer.failNext = true;
    await expect(announceSession(deps, CYCLE, 'ai-101')).rejects.toThrow(TransientError);
    expect(await announceSession(deps, CYCLE, 'ai-101')).toEqual({ audience: 4, sent: 4, alreadySent: 0, inFlight: 0, rejected: 0 });
  });

  it('carries a calendar event a calendar library reads: the session title, start, end, place and description', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    const email = mailer.sent.find((e) => e.to === 'p02@example.com') as WrittenEmail;
    const [attachment] = email.attachments ?? [];
    expect(attachment).toMatchObject({ fileName: 'ai-101.ics', contentType: expect.stringMatching(/^text\/calendar/) });
    const calendar = new ICAL.Component(ICAL.parse(attachment?.content as string) as unknown[]);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    const vevent = calendar.getFirstSubcomponent('vevent') as ICAL.Component;
    const event = new ICAL.Event(vevent);
    expect(event.summary).toBe('AI assistants in practice');
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-10T17:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-10T18:30:00.000Z');
    expect(event.location).toBe('Room 4');
    expect(event.description).toBe('Prompting, checking answers, privacy.');
    // The file is the same for everyone: each person's own link is only in their email.
    expect(attachment?.content).not.toContain('/session/');
  });

  it('shows the page without changing anything, however often it is opened', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    const page = await showSessionPage(deps, tokenOf('p01'), './x');
    await showSessionPage(deps, tokenOf('p01'), './x');
    expect(page.status).toBe(200);
    expect(page.html).toContain('lang="pt-BR"');
    expect(page.html).toContain('2 de 2 vagas livres.');
    expect(page.html).toContain('Inscrever-me');
    expect(await store.listSessionRegistrations(CYCLE, 'ai-101')).toEqual([]);
  });

  it('gives seats up to the capacity, then places people on the waiting list in order', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    expect((await post('p01', 'register')).html).toContain('Pronto: sua inscrição está confirmada.');
    expect((await post('p02', 'register')).html).toContain('Done: you are registered.');
    const third = await post('p06', 'register');
    expect(third.html).toContain('The seats were taken, so you are on the waiting list.');
    expect(third.html).toContain('number 1 in line');
    expect((await post('p07', 'register')).html).toContain('number 2 in line');
    expect((await post('p02', 'register')).html).toContain('You were registered already; nothing changed.');
    expect((await store.getSession(CYCLE, 'ai-101'))?.seatsTaken).toBe(2);
  });

  it('gives a freed seat to the first in line and tells them by email with the calendar file', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    for (const id of ['p01', 'p02', 'p06', 'p07']) await post(id, 'register');
    expect((await post('p01', 'decline')).html).toContain('Pronto: sua resposta foi registrada.');
    expect((await store.getSessionRegistration(CYCLE, 'ai-101', 'p06'))?.status).toBe('registered');
    expect((await store.getSessionRegistration(CYCLE, 'ai-101', 'p07'))?.status).toBe('waitlisted');
    expect(mailer.to('session-promoted')).toEqual(['p06@example.com']);
    const promoted = mailer.sent.find((e) => e.tags?.kind === 'session-promoted') as WrittenEmail;
    expect(promoted.subject).toBe('A seat is yours: AI assistants in practice');
    expect(promoted.attachments?.[0]?.fileName).toBe('ai-101.ics');
    expect((await post('p01', 'decline')).html).toContain('Você já tinha recusado; nada mudou.');
    expect(mailer.to('session-promoted')).toEqual(['p06@example.com']);
  });

  describe('its waiting list', () => {
    const statusOf = async (participantId: string) => (await store.getSessionRegistration(CYCLE, 'ai-101', participantId))?.status;

    it('gives a freed seat to the first active person in line, passing over people who left or bounced, and emails neither', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06', 'p07']) await post(id, 'register');
      await store.registerForSession(CYCLE, 'ai-101', 'p03', time);
      // p06 bounces, p07 leaves the program through HR's roster (no opt-out link, so nothing gave their place back).
      await setStatus('p06', 'unreachable');
      await setStatus('p07', 'opted-out');
      await post('p01', 'decline');
      expect([await statusOf('p06'), await statusOf('p07'), await statusOf('p03')]).toEqual(['waitlisted', 'waitlisted', 'registered']);
      expect(mailer.to('session-promoted')).toEqual(['p03@example.com']);
      // Passed over, not taken off: p06's place is as it was, and p06 is seated once HR corrects the address.
      expect(await store.getSessionRegistration(CYCLE, 'ai-101', 'p06')).toMatchObject({ status: 'waitlisted', waitlistedAt: expect.any(Number) });
      await setStatus('p06', 'active');
      await post('p02', 'decline');
      expect(await statusOf('p06')).toBe('registered');
      expect(mailer.to('session-promoted')).toEqual(['p03@example.com', 'p06@example.com']);
      // A seat free while only people passed over wait is taken by whoever registers.
      await store.declineSession(CYCLE, 'ai-101', 'p03', time);
      expect((await post('p01', 'register')).html).toContain('Pronto: sua inscrição está confirmada.');
      expect([await statusOf('p01'), await statusOf('p07')]).toEqual(['registered', 'waitlisted']);
    });

    it('counts the place in line of an active person without the people passed over ahead, and tells one who bounced why they wait', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06', 'p07']) await post(id, 'register');
      await setStatus('p06', 'unreachable');
      const page = await showSessionPage(deps, tokenOf('p07'), './x');
      expect(page.html).toContain('You are on the waiting list (number 1 in line).');
      const bounced = await showSessionPage(deps, tokenOf('p06'), './x');
      expect(bounced.html).toContain('our emails to your address could not be delivered');
      expect(bounced.html).not.toContain('in line)');
    });

    it('is shown to HR in its order, each person with their place, people passed over marked, after the registered', async () => {
      await store.registerForSession(CYCLE, 'ai-101', 'p07', NOW + 1);
      await store.registerForSession(CYCLE, 'ai-101', 'p06', NOW + 2);
      for (const [id, at] of [
        ['p03', NOW + 3],
        ['p05', NOW + 4],
        ['p02', NOW + 5],
        ['p01', NOW + 6],
      ] as const)
        await store.registerForSession(CYCLE, 'ai-101', id, at);
      await store.declineSession(CYCLE, 'ai-101', 'p04', NOW + 7);
      await setStatus('p05', 'unreachable');
      const { registrations } = await sessionOverview(deps, CYCLE, 'ai-101');
      expect(registrations.map((r) => [r.participantId, r.status, r.position, r.passedOver])).toEqual([
        ['p07', 'registered', undefined, undefined],
        ['p06', 'registered', undefined, undefined],
        ['p03', 'waitlisted', 1, undefined],
        ['p05', 'waitlisted', undefined, 'unreachable'],
        ['p02', 'waitlisted', 2, undefined],
        ['p01', 'waitlisted', 3, undefined],
        ['p04', 'declined', undefined, undefined],
      ]);
      expect(registrations[2]).toMatchObject({ name: 'p03', email: 'p03@example.com' });
    });

    it('sends no "a seat is yours" to a person promoted who is no longer active by the time the email goes', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
      const promote = store.promoteFromWaitingList.bind(store);
      store.promoteFromWaitingList = async (...args) => {
        const promoted = await promote(...args);
        // The address bounces between the promotion and its email.
        if (promoted) await setStatus(promoted, 'unreachable');
        return promoted;
      };
      await post('p01', 'decline');
      expect(await statusOf('p06')).toBe('registered');
      expect(mailer.to('session-promoted')).toEqual([]);
    });

    it('gives a seat freed while people wait to the first in line, not to someone registering before the freed seat was given', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
      // p07 registers between p01's decline (the seat is free) and its promotion of the first in line.
      const promote = store.promoteFromWaitingList.bind(store);
      let between: (() => ReturnType<typeof post>) | undefined = () => post('p07', 'register');
      store.promoteFromWaitingList = async (...args) => {
        const run = between;
        between = undefined;
        if (run) expect((await run()).html).toContain('You are on the waiting list (number 1 in line)');
        return promote(...args);
      };
      await post('p01', 'decline');
      expect([await statusOf('p06'), await statusOf('p07')]).toEqual(['registered', 'waitlisted']);
      expect((await store.getSession(CYCLE, 'ai-101'))?.seatsTaken).toBe(2);
      expect(mailer.to('session-promoted')).toEqual(['p06@example.com']);
    });
  });

  it('is neither announced to nor answerable by someone who left the program, whose link says so and changes nothing', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    const token = tokenOf('p07');
    // p07 leaves through the email footer's link (the roster entry's status), and HR adds a session open to everyone.
    await setStatus('p07', 'opted-out');
    await addSession(deps, CYCLE, input({ sessionId: 'all-hands', audience: 'everyone' }));
    const outcome = await announceSession(deps, CYCLE, 'all-hands');
    expect(outcome.audience).toBe(4);
    expect(mailer.sent.filter((e) => e.to === 'p07@example.com' && e.subject.includes('AI assistants'))).toHaveLength(1);

    const page = await showSessionPage(deps, token, './x');
    expect(page.html).toContain('You have left the program');
    expect(page.html).not.toContain('Register');
    const body = new URLSearchParams({ _action: 'register', _bind: formBinding(signer, token) }).toString();
    expect((await submitSessionPage(deps, token, body, './x')).html).toContain('You have left the program');
    expect(await store.getSessionRegistration(CYCLE, 'ai-101', 'p07')).toBeUndefined();
  });

  it('refuses a form copied from another person’s page, and a link to no session', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    const token = tokenOf('p02');
    const body = new URLSearchParams({ _action: 'register', _bind: formBinding(signer, tokenOf('p01')) }).toString();
    expect((await submitSessionPage(deps, token, body, './x')).status).toBe(403);
    const other = signer.sign({ cycleId: CYCLE, participantId: 'p02', phaseKey: 'session#nope', expiresAt: Math.floor(NOW / 1000) + 86_400 });
    expect((await showSessionPage(deps, other, './x')).status).toBe(404);
    const survey = signer.sign({ cycleId: CYCLE, participantId: 'p02', phaseKey: 'goal-setting', expiresAt: Math.floor(NOW / 1000) + 86_400 });
    expect((await showSessionPage(deps, survey, './x')).status).toBe(403);
  });

  it('is counted in the review report per skill (by its label in the program’s language), its attendance hidden under 5 registered', async () => {
    await announceSession(deps, CYCLE, 'ai-101');
    for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
    time = Date.parse('2027-03-10T19:00:00Z');
    await recordAttendance(deps, CYCLE, 'ai-101', ['p01@example.com']);
    const cycle = await store.getCycle(CYCLE);
    const report = await sessionReport(store, cycle as NonNullable<typeof cycle>);
    expect(report.figures).toMatchObject({ sessions: 1, registered: 2, waitlisted: 1, attended: 1 });
    const html = sessionsSection(report);
    expect(html).toContain('<td>Assistentes de IA</td><td>1</td><td>2</td><td>2</td><td>1</td><td>fewer than 5 registered</td><td>0</td>');
    expect(html).toContain('<th scope="row">Attended, of those registered</th><td>fewer than 5 registered</td>');
    expect(html).not.toMatch(/<th scope="row">Attended, of those registered<\/th><td>1<\/td>/);
    expect(sessionsSection(undefined)).toContain('No informational session was scheduled');
  });

  describe('cancelled by HR', () => {
    const REASON = 'The speaker is ill; a new date will be announced.';
    const seatAndLine = async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
      await post('p07', 'decline');
    };

    it('tells everyone registered or waiting, in their language, with the reason and a calendar file that removes it', async () => {
      await seatAndLine();
      const outcome = await cancelSession(deps, CYCLE, 'ai-101', `  ${REASON} `);
      expect(outcome).toMatchObject({ cancelledNow: true, told: 3, sent: 3, alreadySent: 0, rejected: 0 });
      expect(outcome.session).toMatchObject({ cancelReason: REASON, cancelledAt: expect.any(Number) });
      expect(mailer.to('session-cancelled').sort()).toEqual(['p01@example.com', 'p02@example.com', 'p06@example.com']);
      const helena = mailer.sent.find((e) => e.tags?.kind === 'session-cancelled' && e.to === 'p01@example.com') as WrittenEmail;
      expect(helena.subject).toBe('Cancelada: AI assistants in practice');
      expect(helena.text).toContain(`Motivo: ${REASON}`);
      expect(helena.text).not.toContain('/session/');
      const english = mailer.sent.find((e) => e.tags?.kind === 'session-cancelled' && e.to === 'p06@example.com') as WrittenEmail;
      expect(english.subject).toBe('Cancelled: AI assistants in practice');
      expect(english.html).toContain('>Why</th><td style="white-space:pre-line">The speaker is ill; a new date will be announced.</td>');
      const [attachment] = english.attachments ?? [];
      expect(attachment).toMatchObject({ fileName: 'ai-101-cancelled.ics', contentType: expect.stringContaining('method=CANCEL') });
      const calendar = new ICAL.Component(ICAL.parse(attachment?.content as string) as unknown[]);
      expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
      const vevent = calendar.getFirstSubcomponent('vevent') as ICAL.Component;
      expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:p06@example.com');
      expect([vevent.getFirstPropertyValue('uid'), vevent.getFirstPropertyValue('status'), vevent.getFirstPropertyValue('sequence')]).toEqual([
        'ai-101.cycle-sessions@tandem',
        'CANCELLED',
        1,
      ]);
    });

    it('tells those sent the announcement who never answered too, with the cancellation file, but no one who declined or is not active', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      await post('p01', 'register');
      await post('p07', 'register');
      await post('p02', 'decline');
      // p06 was sent the announcement and never answered; p07 took a seat, then left the program through HR's roster.
      await setStatus('p07', 'opted-out');
      const preview = await previewCancellation(deps, CYCLE, 'ai-101');
      const outcome = await cancelSession(deps, CYCLE, 'ai-101', REASON);
      expect(outcome).toMatchObject({ told: 2, sent: 2 });
      expect(preview.wouldTell).toBe(outcome.told);
      expect(mailer.to('session-cancelled').sort()).toEqual(['p01@example.com', 'p06@example.com']);
      const invited = mailer.sent.find((e) => e.tags?.kind === 'session-cancelled' && e.to === 'p06@example.com') as WrittenEmail;
      expect(invited.text).toContain('This informational session, to which you were invited, has been cancelled.');
      expect(invited.text).toContain('Nothing to do: there is nothing left to answer.');
      expect(invited.text).not.toContain('your seat or place in line');
      expect(invited.attachments?.[0]).toMatchObject({ fileName: 'ai-101-cancelled.ics', contentType: expect.stringContaining('method=CANCEL') });
      const seated = mailer.sent.find((e) => e.tags?.kind === 'session-cancelled' && e.to === 'p01@example.com') as WrittenEmail;
      expect(seated.text).toContain('para a qual você tinha uma vaga ou um lugar na lista de espera');
    });

    it('tells on a second run only those a failure left untold, and keeps the first reason', async () => {
      await seatAndLine();
      mailer.failNext = true;
      const reported: string[] = [];
      const onCancelled = async (session: InfoSession) => {
        reported.push(session.cancelReason ?? '');
      };
      const failed = await cancelSession(deps, CYCLE, 'ai-101', REASON, { stored: onCancelled }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(TransientError);
      expect((failed as Error).message).toMatch(
        /^session ai-101 is cancelled, but telling people stopped after 0 of 3 \(SES is throttling\): run the same command again/,
      );
      // Reported once, when the cancel was stored: not again by the runs that only tell.
      expect(reported).toEqual([REASON]);
      const again = await cancelSession(deps, CYCLE, 'ai-101', 'another reason', { stored: onCancelled });
      expect(reported).toEqual([REASON]);
      expect(again).toMatchObject({ cancelledNow: false, told: 3, sent: 3, alreadySent: 0 });
      expect(again.session.cancelReason).toBe(REASON);
      expect(await cancelSession(deps, CYCLE, 'ai-101', REASON)).toMatchObject({ cancelledNow: false, sent: 0, alreadySent: 3 });
      expect(mailer.to('session-cancelled')).toHaveLength(3);
    });

    it('takes no more answers: the page says why and records nothing, nobody is promoted, and it cannot be announced', async () => {
      await seatAndLine();
      await post('p07', 'register');
      await cancelSession(deps, CYCLE, 'ai-101', REASON);
      const before = await store.listSessionRegistrations(CYCLE, 'ai-101');
      const page = await showSessionPage(deps, tokenOf('p06'), './x');
      expect(page.html).toContain(`<p>This session was cancelled, so it takes no answers. Why:</p><p class="goals">${REASON}</p>`);
      expect(page.html).not.toContain('<form');
      expect((await showSessionPage(deps, tokenOf('p01'), './x')).html).toContain('Esta sessão foi cancelada, então não recebe mais respostas. Motivo:');
      const declined = await post('p01', 'decline');
      expect(declined.status).toBe(410);
      expect(declined.html).toContain('Esta sessão foi cancelada');
      expect((await post('p06', 'decline')).status).toBe(410);
      expect(await store.listSessionRegistrations(CYCLE, 'ai-101')).toEqual(before);
      expect(await store.registerForSession(CYCLE, 'ai-101', 'p03', time)).toBe('cancelled');
      // A seat freed after the cancel goes to no one in line.
      expect((await store.declineSession(CYCLE, 'ai-101', 'p02', time)).freedSeat).toBe(true);
      expect(await store.promoteFromWaitingList(CYCLE, 'ai-101', time)).toBeUndefined();
      expect((await store.getSessionRegistration(CYCLE, 'ai-101', 'p06'))?.status).toBe('waitlisted');
      await expect(announceSession(deps, CYCLE, 'ai-101')).rejects.toThrow(/was cancelled/);
      await expect(recordAttendance(deps, CYCLE, 'ai-101', ['p01'])).rejects.toThrow(/was cancelled/);
    });

    it('sends no "a seat is yours" after the cancel to someone promoted just before it, and no confirmation of an answer it overtook', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
      const promote = store.promoteFromWaitingList.bind(store);
      store.promoteFromWaitingList = async (...args) => {
        const promoted = await promote(...args);
        await cancelSession(deps, CYCLE, 'ai-101', REASON);
        return promoted;
      };
      const declined = await post('p01', 'decline');
      expect(declined.status).toBe(410);
      expect(declined.html).not.toContain('Pronto');
      expect(declined.html).toContain('Esta sessão foi cancelada');
      expect(mailer.to('session-promoted')).toEqual([]);
      // p07 was sent the announcement and never answered: told too.
      expect(mailer.to('session-cancelled').sort()).toEqual(['p02@example.com', 'p06@example.com', 'p07@example.com']);
    });

    it('writes the reason as plain text, its lines kept, and leaves a video link out of the cancellation', async () => {
      await addSession(deps, CYCLE, input({ sessionId: 'video-101', place: undefined, videoLink: 'https://meet.example.com/v' }));
      await announceSession(deps, CYCLE, 'video-101');
      await post('p02', 'register');
      await cancelSession(deps, CYCLE, 'video-101', 'Line one\u202e\r\nLine two');
      const [announcement, cancellation] = ['session-announcement', 'session-cancelled'].map(
        (kind) => mailer.sent.find((e) => e.tags?.kind === kind && e.to === 'p02@example.com') as WrittenEmail,
      );
      expect(announcement?.text).toContain('https://meet.example.com/v');
      expect(cancellation?.text).not.toContain('https://meet.example.com/v');
      expect(cancellation?.text).toContain('Why: Line one\nLine two');
      expect((await store.getSession(CYCLE, 'video-101'))?.cancelReason).toBe('Line one\nLine two');
    });

    it('is left out of the review report’s figures', async () => {
      await seatAndLine();
      await addSession(deps, CYCLE, input({ sessionId: 'cloud-101', skills: ['cloud-tools'] }));
      await cancelSession(deps, CYCLE, 'ai-101', REASON);
      const figures = sessionFigures(await store.listSessions(CYCLE), await store.listSessionRegistrations(CYCLE));
      expect(figures).toMatchObject({ sessions: 1, cancelled: 1, registered: 0, waitlisted: 0, declined: 0 });
      expect(figures.bySkill.map((row) => row.skill)).toEqual(['cloud-tools']);
      expect(sessionsSection({ figures, skillNames: {} })).toContain('<td>1 (and 1 cancelled, not counted below)</td>');
      const none = sessionFigures([{ ...((await store.getSession(CYCLE, 'ai-101')) as InfoSession) }], []);
      expect(sessionsSection({ figures: none, skillNames: {} })).toContain('Every informational session of this cycle was cancelled (1).');
    });

    it('is refused once started, without a reason, or for a session the cycle does not have, changing nothing', async () => {
      await seatAndLine();
      await expect(cancelSession(deps, CYCLE, 'ai-101', '   ')).rejects.toMatchObject({ issues: [expect.objectContaining({ where: 'reason' })] });
      await expect(cancelSession(deps, CYCLE, 'ai-101', 'x'.repeat(501))).rejects.toBeInstanceOf(ValidationError);
      await expect(cancelSession(deps, CYCLE, 'nope', REASON)).rejects.toBeInstanceOf(NotFoundError);
      time = Date.parse('2027-03-10T17:00:00Z');
      await expect(cancelSession(deps, CYCLE, 'ai-101', REASON)).rejects.toThrow(/has started already/);
      expect((await store.getSession(CYCLE, 'ai-101'))?.cancelledAt).toBeUndefined();
      expect(mailer.to('session-cancelled')).toEqual([]);
    });
  });

  it('counts an announcement another run is still sending apart from those sent before', async () => {
    await store.claim(CYCLE, 'session#ai-101#announcement#p02', 'p02@example.com', time);
    expect(await announceSession(deps, CYCLE, 'ai-101')).toEqual({ audience: 4, sent: 3, alreadySent: 0, inFlight: 1, rejected: 0 });
    expect(mailer.to('session-announcement')).not.toContain('p02@example.com');
  });

  describe('moved by HR', () => {
    const NEW_START = '2027-03-17T15:00-03:00';
    const seatLineAndInvited = async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
    };
    const movedEmail = (to: string) => mailer.sent.findLast((e) => e.tags?.kind === 'session-moved' && e.to === to) as WrittenEmail;
    const eventOf = (email: WrittenEmail) => {
      const calendar = new ICAL.Component(ICAL.parse(email.attachments?.[0]?.content as string) as unknown[]);
      return { method: calendar.getFirstPropertyValue('method'), event: new ICAL.Event(calendar.getFirstSubcomponent('vevent') as ICAL.Component) };
    };

    it('keeps seats and line, and tells everyone registered, waiting or invited without an answer, with the earlier time and a calendar file that moves it', async () => {
      await seatLineAndInvited();
      const registrations = await store.listSessionRegistrations(CYCLE, 'ai-101');
      const outcome = await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START, place: 'Room 2' });
      expect(outcome).toMatchObject({ movedNow: true, told: 4, sent: 4, alreadySent: 0, inFlight: 0, rejected: 0 });
      expect(await store.getSession(CYCLE, 'ai-101')).toMatchObject({
        startsAt: Date.parse('2027-03-17T18:00:00Z'),
        durationMinutes: 90,
        place: 'Room 2',
        sequence: 1,
        seatsTaken: 2,
        movedAt: expect.any(Number),
      });
      expect(await store.listSessionRegistrations(CYCLE, 'ai-101')).toEqual(registrations);
      expect(mailer.to('session-moved').sort()).toEqual(['p01@example.com', 'p02@example.com', 'p06@example.com', 'p07@example.com']);
      const helena = movedEmail('p01@example.com');
      expect(helena.subject).toBe('Alterada: AI assistants in practice');
      expect(helena.text).toContain(
        'Quando: quarta-feira, 17 de março de 2027 às 15:00 (America/Sao_Paulo), 90 minutos\nAnunciada inicialmente para: quarta-feira, 10 de março de 2027 às 14:00 (America/Sao_Paulo), 90 minutos · Room 4\nOnde: Room 2',
      );
      expect(helena.text).toContain('Sua vaga continua garantida.');
      expect(movedEmail('p06@example.com').text).toContain('Your place on the waiting list is kept.');
      expect(movedEmail('p07@example.com').text).toContain('Register or decline on the session page:');
      const { method, event } = eventOf(movedEmail('p06@example.com'));
      expect([method, event.uid, event.sequence, event.location]).toEqual(['PUBLISH', 'ai-101.cycle-sessions@tandem', 1, 'Room 2']);
      expect([event.startDate.toJSDate().toISOString(), event.endDate.toJSDate().toISOString()]).toEqual([
        '2027-03-17T18:00:00.000Z',
        '2027-03-17T19:30:00.000Z',
      ]);
      // The page behind the new link shows the new time; the seat taken before is still there.
      const token = /\/session\/([^\s]+)/.exec(helena.text)?.[1] as string;
      const page = await showSessionPage(deps, token, './x');
      expect(page.html).toContain('17 de março de 2027');
      expect(page.html).not.toContain('10 de março de 2027');
    });

    it('tells nobody who declined it or left the cycle, and sends a seat freed later with the moved calendar file', async () => {
      await seatLineAndInvited();
      await post('p07', 'decline');
      await moveSession(deps, CYCLE, 'ai-101', { durationMinutes: 60 });
      expect(mailer.to('session-moved').sort()).toEqual(['p01@example.com', 'p02@example.com', 'p06@example.com']);
      await post('p02', 'decline');
      const promoted = mailer.sent.find((e) => e.tags?.kind === 'session-promoted') as WrittenEmail;
      expect(promoted.to).toBe('p06@example.com');
      expect(eventOf(promoted).event.sequence).toBe(1);
      expect(eventOf(promoted).event.endDate.toJSDate().toISOString()).toBe('2027-03-10T18:00:00.000Z');
    });

    it('is stored and reported before anyone is told; a second run tells only those a failure left untold, with the same first placing', async () => {
      await seatLineAndInvited();
      const reported: Array<[number | undefined, number | undefined]> = [];
      const onMoved = async (before: InfoSession, after: InfoSession) => {
        reported.push([before.sequence, after.sequence]);
      };
      const toldByRun: number[] = [];
      const told = async (tally: { sent: number }) => {
        toldByRun.push(tally.sent);
      };
      mailer.failAfter = 2;
      const failed = await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START }, { stored: onMoved, told }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(TransientError);
      expect((failed as Error).message).toMatch(
        /session ai-101 is moved, but telling people stopped after 2 of 4 \(.*\): run the same command again to tell the rest/,
      );
      expect(reported).toEqual([[undefined, 1]]);
      // The two sent before SES stopped are reported all the same.
      expect(toldByRun).toEqual([2]);
      expect((await store.getSession(CYCLE, 'ai-101'))?.sequence).toBe(1);
      expect(await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START }, { stored: onMoved, told })).toMatchObject({
        movedNow: false,
        told: 4,
        sent: 2,
        alreadySent: 2,
      });
      expect(reported).toHaveLength(1);
      expect(await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START }, { told })).toMatchObject({ movedNow: false, sent: 0, alreadySent: 4 });
      expect(toldByRun).toEqual([2, 2]);
      const emails = mailer.sent.filter((e) => e.tags?.kind === 'session-moved');
      expect(emails).toHaveLength(4);
      // Those told by the first run and those told by the second read the same: where it was first announced.
      for (const email of emails)
        expect(email.text).toMatch(/(First announced for|Anunciada inicialmente para): (Wednesday, March 10, 2027|quarta-feira, 10 de março de 2027)/);
    });

    it('says the move is stored and to run it again when the email log itself fails while people are told', async () => {
      await seatLineAndInvited();
      let claims = 0;
      const failingLog = {
        ...store,
        claim: async (...args: Parameters<InMemoryStore['claim']>) => {
          if (++claims > 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
          return store.claim(...args);
        },
        markSent: store.markSent.bind(store),
        release: store.release.bind(store),
        sentKeys: store.sentKeys.bind(store),
      };
      const failed = await moveSession({ ...deps, emailLog: failingLog }, CYCLE, 'ai-101', { startsAt: NEW_START }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(TandemError);
      expect((failed as Error).message).toBe(
        'session ai-101 is moved, but telling people stopped after 1 of 4 (socket hang up): run the same command again to tell the rest',
      );
      expect((failed as Error).cause).toMatchObject({ name: 'TimeoutError' });
      expect((await store.getSession(CYCLE, 'ai-101'))?.sequence).toBe(1);
      expect(await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START })).toMatchObject({ movedNow: false, told: 4, sent: 3, alreadySent: 1 });
    });

    it('is told again when moved again, each move a later calendar version, and a cancel after them outranks both', async () => {
      await seatLineAndInvited();
      await moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START });
      expect(await moveSession(deps, CYCLE, 'ai-101', { videoLink: 'https://meet.example.com/ai' })).toMatchObject({ movedNow: true, sent: 4 });
      expect(mailer.to('session-moved')).toHaveLength(8);
      expect(eventOf(movedEmail('p01@example.com')).event.sequence).toBe(2);
      expect(movedEmail('p01@example.com').text).toContain(
        'Anunciada inicialmente para: quarta-feira, 10 de março de 2027 às 14:00 (America/Sao_Paulo), 90 minutos\n',
      );
      await cancelSession(deps, CYCLE, 'ai-101', 'The speaker is ill.');
      const cancellation = mailer.sent.find((e) => e.tags?.kind === 'session-cancelled' && e.to === 'p01@example.com') as WrittenEmail;
      expect(eventOf(cancellation)).toMatchObject({ method: 'CANCEL', event: { sequence: 3 } });
    });

    it('shows no first placing when only the video link changed, and removes a place given up for a video call', async () => {
      await seatLineAndInvited();
      await moveSession(deps, CYCLE, 'ai-101', { place: null, videoLink: 'https://meet.example.com/ai' });
      const session = (await store.getSession(CYCLE, 'ai-101')) as InfoSession;
      expect(session.place).toBeUndefined();
      expect(session.videoLink).toBe('https://meet.example.com/ai');
      expect(eventOf(movedEmail('p02@example.com')).event.location).toBe('https://meet.example.com/ai');
      expect(movedEmail('p02@example.com').text).toContain(
        'First announced for: Wednesday, March 10, 2027 at 2:00 PM (America/Sao_Paulo), 90 minutes · Room 4',
      );
      await moveSession(deps, CYCLE, 'ai-101', { videoLink: 'https://meet.example.com/ai-2' });
      expect(movedEmail('p02@example.com').text).toContain('Video link: https://meet.example.com/ai-2');
      expect(movedEmail('p02@example.com').text).toContain('First announced');
      await addSession(deps, CYCLE, input({ sessionId: 'video-only', place: undefined, videoLink: 'https://meet.example.com/v' }));
      await announceSession(deps, CYCLE, 'video-only');
      await moveSession(deps, CYCLE, 'video-only', { videoLink: 'https://meet.example.com/v2' });
      const videoOnly = mailer.sent.findLast((e) => e.tags?.kind === 'session-moved' && e.text.includes('v2')) as WrittenEmail;
      expect(videoOnly.text).not.toMatch(/First announced|Anunciada inicialmente/);
    });

    it('shows as first announced only a placing someone was told of: none for a move before the announcement', async () => {
      await moveSession(deps, CYCLE, 'ai-101', { startsAt: '2027-03-12T14:00-03:00' });
      expect((await store.getSession(CYCLE, 'ai-101'))?.originalPlacing).toBeUndefined();
      await announceSession(deps, CYCLE, 'ai-101');
      await post('p01', 'register');
      await moveSession(deps, CYCLE, 'ai-101', { place: 'Room 9' });
      expect((await store.getSession(CYCLE, 'ai-101'))?.originalPlacing).toMatchObject({ startsAt: Date.parse('2027-03-12T17:00:00Z'), place: 'Room 4' });
      expect(movedEmail('p01@example.com').text).toContain(
        'Anunciada inicialmente para: sexta-feira, 12 de março de 2027 às 14:00 (America/Sao_Paulo), 90 minutos · Room 4',
      );
      expect(mailer.sent.map((e) => e.text).join('\n')).not.toContain('10 de março');
    });

    it('stops telling when the session is cancelled meanwhile, so that the cancel is the last word', async () => {
      await seatLineAndInvited();
      const send = mailer.send.bind(mailer);
      mailer.send = async (email) => {
        const sent = await send(email);
        if (email.tags?.kind === 'session-moved' && mailer.to('session-moved').length === 1) await cancelSession(deps, CYCLE, 'ai-101', 'The speaker is ill.');
        return sent;
      };
      await expect(moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START })).rejects.toThrow(
        /session ai-101 was cancelled while this move was being told \(1 told now, 0 before\): nothing more is sent for this move/,
      );
      const kinds = mailer.sent.map((e) => e.tags?.kind).filter((k) => k !== 'session-announcement');
      expect(kinds).toEqual(['session-moved', 'session-cancelled', 'session-cancelled', 'session-cancelled', 'session-cancelled']);
    });

    it('refuses a move that lost the race to another, keeping the other’s', async () => {
      await seatLineAndInvited();
      const move = store.moveSession.bind(store);
      store.moveSession = async (cycleId, sessionId, change, expected, at) => {
        await move(cycleId, sessionId, { ...change, place: 'Room 9' }, expected, at);
        return move(cycleId, sessionId, change, expected, at);
      };
      await expect(moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START })).rejects.toThrow(/changed by someone else meanwhile/);
      expect(await store.getSession(CYCLE, 'ai-101')).toMatchObject({ place: 'Room 9', sequence: 1 });
      expect(mailer.to('session-moved')).toEqual([]);
    });

    it('is refused with the problem named when nothing changes, for a bad start, length or link, once cancelled or started, changing nothing', async () => {
      await seatLineAndInvited();
      const before = await store.getSession(CYCLE, 'ai-101');
      const refused = async (input: unknown, where: string, problem: RegExp) => {
        const error = await moveSession(deps, CYCLE, 'ai-101', input).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues).toContainEqual({ where, problem: expect.stringMatching(problem) });
      };
      await refused({}, 'startsAt', /name what changes/);
      await refused({ startsAt: '2027-03-10T14:00-03:00' }, 'startsAt', /nothing changes/);
      await refused({ startsAt: '2027-03-17T14:00+01:00' }, 'startsAt', /offset of the session's time zone \(America\/Sao_Paulo\)/);
      await refused({ startsAt: '2027-02-17T14:00-03:00' }, 'startsAt', /must be in the future/);
      await refused({ startsAt: 'next week' }, 'startsAt', /with its offset/);
      await refused({ startsAt: '2027-02-30T14:00-03:00' }, 'startsAt', /not a real date and time/);
      await refused({ startsAt: '2027-03-17T25:00-03:00' }, 'startsAt', /not a real date and time/);
      await refused({ startsAt: '2027-03-17T24:00-03:00' }, 'startsAt', /not a real date and time/);
      await refused({ startsAt: '2027-03-17T14:00:30-03:00' }, 'startsAt', /must start on a whole minute/);
      // Seconds of zero are the same start, written as an ISO timestamp would be.
      await refused({ startsAt: '2027-03-10T14:00:00-03:00' }, 'startsAt', /nothing changes/);
      await refused({ place: 'Room 4' }, 'place', /nothing changes/);
      await refused({ place: null }, 'place', /needs a place or a video link/);
      await refused({ durationMinutes: '3' }, 'durationMinutes', /at least 5 minutes/);
      await refused({ videoLink: 'http://meet.example.com/x' }, 'videoLink', /https/);
      await refused({ place: '   ' }, 'place', /must not be empty/);
      await expect(moveSession(deps, CYCLE, 'ai-101', { room: 'Room 2' })).rejects.toBeInstanceOf(ValidationError);
      await expect(moveSession(deps, CYCLE, 'nope', { startsAt: NEW_START })).rejects.toBeInstanceOf(NotFoundError);
      await store.createCycle({ ...newCycle(program, 'cycle-ended', NOW), status: 'succeeded' });
      await store.createSession(parseSessionInput(input(), program.skillsCatalog, 'cycle-ended', NOW));
      await expect(moveSession(deps, 'cycle-ended', 'ai-101', { startsAt: NEW_START })).rejects.toThrow(/is succeeded: its sessions can no longer be moved/);
      time = Date.parse('2027-03-10T17:00:00Z');
      await expect(moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START })).rejects.toThrow(/has started already/);
      time = NOW;
      await cancelSession(deps, CYCLE, 'ai-101', 'The speaker is ill.');
      await expect(moveSession(deps, CYCLE, 'ai-101', { startsAt: NEW_START })).rejects.toThrow(/was cancelled/);
      expect(await store.getSession(CYCLE, 'ai-101')).toEqual({ ...before, cancelledAt: expect.any(Number), cancelReason: 'The speaker is ill.' });
      expect(mailer.to('session-moved')).toEqual([]);
    });
  });

  describe('its attendance', () => {
    const AFTER = Date.parse('2027-03-10T19:00:00Z');

    it('is refused before the session starts, and nothing is written', async () => {
      const refused = await recordAttendance(deps, CYCLE, 'ai-101', ['p01@example.com']).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as Error).message).toBe('session ai-101 has not started yet (it starts 2027-03-10 17:00Z): record who attended once it has');
      expect((await store.getSession(CYCLE, 'ai-101'))?.attendanceRecordedAt).toBeUndefined();
    });

    it('is recorded by address in any letter case or by id, and the whole list refused when it names a stranger', async () => {
      time = AFTER;
      await expect(recordAttendance(deps, CYCLE, 'ai-101', ['p01@example.com', 'stranger@example.com'])).rejects.toThrow(/stranger@example.com/);
      expect((await store.getSession(CYCLE, 'ai-101'))?.attended).toBeUndefined();
      await recordAttendance(deps, CYCLE, 'ai-101', parseAttendanceList('P01@Example.COM, p02'));
      expect((await store.getSession(CYCLE, 'ai-101'))?.attended).toEqual(['p01', 'p02']);
    });

    it('matches ids exactly, letter case included, as the other commands do', async () => {
      time = AFTER;
      const refused = await recordAttendance(deps, CYCLE, 'ai-101', parseAttendanceList('P01,p02')).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).issues).toEqual([
        { where: 'P01', problem: expect.stringContaining('no member of the cycle has this address or id') },
      ]);
      expect((await store.getSession(CYCLE, 'ai-101'))?.attended).toBeUndefined();
    });

    it('records members who came without a seat, and names them apart from the registered', async () => {
      await announceSession(deps, CYCLE, 'ai-101');
      for (const id of ['p01', 'p02', 'p06']) await post(id, 'register');
      time = AFTER;
      const { session, walkIns } = await recordAttendance(deps, CYCLE, 'ai-101', ['p01', 'p06', 'p03']);
      expect(session.attended).toEqual(['p01', 'p03', 'p06']);
      // p06 waited in line, p03 never answered: both came without a seat.
      expect(walkIns).toEqual(['p03', 'p06']);
    });
  });
});
