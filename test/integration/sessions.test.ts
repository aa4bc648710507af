import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { SessionRecords } from '../../adapters/dynamodb/session-records.ts';
import type { TableClient } from '../../adapters/dynamodb/table-client.ts';
import type { Cycle, Member } from '../../domain/cycle.ts';
import type { InfoSession, SessionInput } from '../../domain/sessions.ts';
import { attachmentText } from '../../local/ses-local.ts';
import { formBinding } from '../../services/form-binding.ts';
import { submitSessionPage } from '../../services/session-pages.ts';
import { addSession, announceSession, sessionLink, type SessionMailDeps } from '../../services/sessions.ts';
import { hiddenFields, participantCycle } from '../browser/participant-support.ts';
import { emailsFor, uniqueTag } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

/*
 * Informational sessions on the local stack: announced through the local SES, answered through
 * the survey API's session page (GET renders, POST registers or declines), stored in DynamoDB Local.
 */

const SESSION_LINK = /https?:\/\/[^\s]+\/session\/[A-Za-z0-9._-]+/;
const ANNOUNCEMENT = /^(Informational session|Sessão informativa): /;
const PROMOTED = /^(A seat is yours|Sua vaga está garantida): /;
const CANCELLED = /^(Cancelled|Cancelada): /;
const MOVED = /^(Changed|Alterada): /;

/** A start `days` ahead at 14:00 in São Paulo (-03:00 all year), as HR types it: within the test cycles' planned end. */
const saoPauloStart = (days: number, offset = '-03:00') => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T14:00${offset}`;

/** A cycle of the participant flows' program, its run 30 days long: sessions a week ahead start before its planned end. */
const sessionCycle = (tag: string) => participantCycle(tag, { phaseWindows: { goalSetting: 'PT1H', run: 'P30D', measure: 'PT1H', feedback: 'PT1H' } });

async function deps(): Promise<SessionMailDeps> {
  const c = container();
  return { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links: await c.links() };
}

const inputFor = (sessionId: string, capacity: number): SessionInput => ({
  sessionId,
  title: `Cloud tools clinic ${sessionId}`,
  description: 'Bring a question about the cloud tools you use.',
  skills: ['cloud-tools'],
  startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16) + 'Z',
  timeZone: 'UTC',
  durationMinutes: 60,
  videoLink: 'https://meet.example.com/cloud',
  capacity,
  audience: 'everyone',
});

/** The session link each member received for a session, by address. */
async function linksFor(tag: string, subject: RegExp, sessionId: string): Promise<Map<string, string>> {
  const mails = (await emailsFor(tag)).filter((e) => subject.test(e.subject) && e.subject.endsWith(sessionId));
  return new Map(mails.map((e) => [e.destination.to[0] as string, SESSION_LINK.exec(e.body.text ?? '')?.[0] as string]));
}

/** What a person's browser does: GET the page, POST its form with this action. */
async function answer(link: string, action: 'register' | 'decline'): Promise<{ status: number; html: string }> {
  const page = await (await fetch(link)).text();
  const response = await fetch(link, {
    method: 'POST',
    body: new URLSearchParams(hiddenFields(page, action)),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: response.status, html: await response.text() };
}

async function cycleWithSession(tag: string, sessionId: string, capacity: number): Promise<{ cycle: Cycle; links: Map<string, string> }> {
  const cycle = await sessionCycle(tag);
  await addSession(await deps(), cycle.cycleId, inputFor(sessionId, capacity));
  await announceSession(await deps(), cycle.cycleId, sessionId);
  return { cycle, links: await linksFor(tag, ANNOUNCEMENT, sessionId) };
}

describe('an informational session on the local stack', () => {
  it('is announced once to each member, however often HR announces it', async () => {
    const tag = uniqueTag('session-announce');
    const { cycle, links } = await cycleWithSession(tag, 'once', 3);
    const members = await container().store.listMembers(cycle.cycleId);
    expect(await announceSession(await deps(), cycle.cycleId, 'once')).toMatchObject({ audience: members.length, sent: 0, alreadySent: members.length });
    const announcements = (await emailsFor(tag)).filter((e) => ANNOUNCEMENT.test(e.subject));
    expect(announcements).toHaveLength(members.length);
    expect([...links.keys()].sort()).toEqual(members.map((m) => m.email).sort());
  });

  it('seats people up to its capacity, puts the rest on the waiting list, and gives a freed seat to the first in line by email', async () => {
    const tag = uniqueTag('session-seats');
    const { cycle, links } = await cycleWithSession(tag, 'seats', 2);
    const [a, b, c, d] = [...links.entries()];
    const page = await fetch(a?.[1] as string);
    expect(page.status).toBe(200);
    expect(await container().store.listSessionRegistrations(cycle.cycleId, 'seats')).toEqual([]);

    expect((await answer(a?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(b?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(c?.[1] as string, 'register')).html).toMatch(/waiting list|lista de espera/);
    expect((await answer(d?.[1] as string, 'register')).html).toMatch(/number 2 in line|posição 2/);
    expect((await answer(a?.[1] as string, 'decline')).status).toBe(200);

    const members = new Map((await container().store.listMembers(cycle.cycleId)).map((m) => [m.email, m.participantId]));
    const statusOf = async (email: string | undefined) =>
      (await container().store.getSessionRegistration(cycle.cycleId, 'seats', members.get(email as string) as string))?.status;
    expect(await Promise.all([a, b, c, d].map((entry) => statusOf(entry?.[0])))).toEqual(['declined', 'registered', 'registered', 'waitlisted']);
    expect((await container().store.getSession(cycle.cycleId, 'seats'))?.seatsTaken).toBe(2);
    const promoted = (await emailsFor(tag)).filter((e) => PROMOTED.test(e.subject));
    expect(promoted.map((e) => e.destination.to[0])).toEqual([c?.[0]]);
    expect(promoted[0]?.body.text).toMatch(SESSION_LINK);
  });

  it('lets one of many people sending the form at the same moment take the last seat', async () => {
    const tag = uniqueTag('session-race');
    const { cycle, links } = await cycleWithSession(tag, 'race', 1);
    const racers = [...links.values()].slice(0, 6);
    const pages = await Promise.all(racers.map(async (link) => ({ link, html: await (await fetch(link)).text() })));
    const responses = await Promise.all(
      pages.map(({ link, html }) =>
        fetch(link, {
          method: 'POST',
          body: new URLSearchParams(hiddenFields(html, 'register')),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(racers.map(() => 200));
    const registrations = await container().store.listSessionRegistrations(cycle.cycleId, 'race');
    expect(registrations.filter((r) => r.status === 'registered')).toHaveLength(1);
    expect(registrations.filter((r) => r.status === 'waitlisted')).toHaveLength(racers.length - 1);
    expect((await container().store.getSession(cycle.cycleId, 'race'))?.seatsTaken).toBe(1);
  });

  describe('its seats, when answers cross in DynamoDB', () => {
    /**
     * The local stack's store, but registering through a table on which `before` runs (once) just
     * before the transaction named `action` is sent: an answer that lands between a registration's
     * reads and its write.
     */
    function storeWhere(action: string, before: () => Promise<unknown>) {
      const c = container();
      let pending: (() => Promise<unknown>) | undefined = before;
      const transact: TableClient['transact'] = async (name, ...rest) => {
        const run = name === action ? pending : undefined;
        if (run) {
          pending = undefined;
          await run();
        }
        return c.table.transact(name, ...rest);
      };
      const records = new SessionRecords(Object.create(c.table, { transact: { value: transact } }) as TableClient);
      const store: SessionMailDeps['store'] = Object.create(c.store, { registerForSession: { value: records.registerForSession.bind(records) } });
      return { store, ran: () => pending === undefined };
    }

    /** A session of one seat a week ahead, and a page POST for each member as their browser sends it. */
    async function oneSeat(tag: string) {
      const cycle = await sessionCycle(tag);
      const session: InfoSession = {
        cycleId: cycle.cycleId,
        sessionId: 'one-seat',
        title: 'One seat',
        description: 'Only one person fits.',
        skills: ['cloud-tools'],
        startsAt: Date.now() + 7 * 86_400_000,
        timeZone: 'UTC',
        durationMinutes: 60,
        place: 'Room 1',
        capacity: 1,
        audience: 'everyone',
        createdAt: Date.now(),
        seatsTaken: 0,
      };
      expect(await container().store.createSession(session)).toBe(true);
      const members = (await container().store.listMembers(cycle.cycleId)).map((m) => m.participantId).sort();
      const base = await deps();
      const post = async (participantId: string, action: 'register' | 'decline', store = base.store) => {
        const token = sessionLink(base.links, session, participantId).split('/session/')[1] as string;
        const body = new URLSearchParams({ _action: action, _bind: formBinding(base.links.signer, token) }).toString();
        return submitSessionPage({ ...base, store }, token, body, './x');
      };
      const statusOf = async (participantId: string | undefined) =>
        (await container().store.getSessionRegistration(cycle.cycleId, session.sessionId, participantId as string))?.status;
      return { cycle, members, post, statusOf };
    }

    it('seats a person whose registration found the seat taken while its holder freed it, leaving no seat free for a later one', async () => {
      const tag = uniqueTag('session-crossing');
      const { cycle, members, post, statusOf } = await oneSeat(tag);
      const [holder, crossing, later] = members;
      expect((await post(holder as string, 'register')).status).toBe(200);
      // The holder frees the seat (and the line is promoted) after the crossing registration found the seat taken, before it joins the line.
      const race = storeWhere('WaitlistForSession', () => post(holder as string, 'decline'));
      expect((await post(crossing as string, 'register', race.store)).html).toMatch(/Done: you are registered|Pronto: sua inscrição está confirmada/);
      expect(race.ran()).toBe(true);
      expect((await post(later as string, 'register')).html).toMatch(/waiting list|lista de espera/);
      expect([await statusOf(holder), await statusOf(crossing), await statusOf(later)]).toEqual(['declined', 'registered', 'waitlisted']);
      expect((await container().store.getSession(cycle.cycleId, 'one-seat'))?.seatsTaken).toBe(1);
    });

    it('gives no seat to a registration that read an empty line, once someone who asked before it joined the line', async () => {
      const tag = uniqueTag('session-passing');
      const { cycle, members, post, statusOf } = await oneSeat(tag);
      const [holder, waiting, late] = members as [string, string, string];
      const store = container().store;
      const asked = Date.now();
      // Answers sent a moment before the late registration, written after it read a free seat and nobody waiting: the seat is
      // taken, someone joins the line, and the seat comes free again with nobody promoted yet (the holder's function
      // stopped between its two writes).
      const race = storeWhere('RegisterForSession', async () => {
        await store.registerForSession(cycle.cycleId, 'one-seat', holder, asked - 3000);
        expect(await store.registerForSession(cycle.cycleId, 'one-seat', waiting, asked - 2000)).toBe('waitlisted');
        await store.declineSession(cycle.cycleId, 'one-seat', holder, asked - 1000);
      });
      expect((await post(late, 'register', race.store)).html).toMatch(/waiting list \(number 1 in line\)|lista de espera \(posição 1\)/);
      expect(race.ran()).toBe(true);
      expect([await statusOf(holder), await statusOf(waiting), await statusOf(late)]).toEqual(['declined', 'registered', 'waitlisted']);
      expect((await store.getSession(cycle.cycleId, 'one-seat'))?.seatsTaken).toBe(1);
      const promoted = (await emailsFor(tag)).filter((e) => PROMOTED.test(e.subject));
      expect(promoted.map((e) => e.destination.to[0])).toEqual([(await store.getMember(cycle.cycleId, waiting))?.email]);
    });
  });

  it('shows HR its waiting list with `tandem session show` in the order a freed seat goes, each person with their place', async () => {
    const tag = uniqueTag('session-show');
    const cycle = await sessionCycle(tag);
    const store = container().store;
    const session = { ...inputFor('show-101', 1), startsAt: Date.now() + 7 * 86_400_000 };
    await store.createSession({ ...session, cycleId: cycle.cycleId, createdAt: Date.now(), seatsTaken: 0 } as InfoSession);
    const ids = (await store.listMembers(cycle.cycleId)).map((m) => m.participantId).sort();
    // The store holds them by participant id; the line is in the order they asked, the last id first.
    const asked = [ids[0], ids[3], ids[2], ids[1]] as string[];
    for (const [i, id] of asked.entries()) await store.registerForSession(cycle.cycleId, 'show-101', id, Date.now() + i);
    const shown = await tandem(['session', 'show', 'show-101', '--cycle', cycle.cycleId]);
    expect(shown.code, shown.stderr).toBe(0);
    const rows = shown.stdout
      .split('\n')
      .filter((line) => asked.some((id) => line.startsWith(`${id} `)))
      .map((line) => line.split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual([
      [asked[0], 'registered', undefined],
      [asked[1], 'waitlisted', '#1'],
      [asked[2], 'waitlisted', '#2'],
      [asked[3], 'waitlisted', '#3'],
    ]);
    const json = await tandem(['session', 'show', 'show-101', '--cycle', cycle.cycleId, '--json']);
    expect(json.json<{ registrations: Array<{ participantId: string; position?: number }> }>().registrations.map((r) => [r.participantId, r.position])).toEqual(
      asked.map((id, i) => [id, i === 0 ? undefined : i]),
    );
  });

  it('is not stored by `session add` when the link-signing key it needs to announce is missing, and is once the key is there', async () => {
    const tag = uniqueTag('session-nokey');
    const cycle = await sessionCycle(tag);
    const add = [
      'session',
      'add',
      ...['--cycle', cycle.cycleId, '--id', 'key-101', '--title', 'Cloud tools', '--description', 'Hands-on', '--time-zone', 'America/Sao_Paulo'],
      ...['--skills', 'cloud-tools', '--starts', saoPauloStart(7), '--duration', '60', '--capacity', '5', '--place', 'Room 4'],
    ];
    const refused = await tandem(add, { env: stackEnv({ TANDEM_LINK_SIGNING_KEY: undefined, TANDEM_LINK_SIGNING_KEY_SECRET: undefined }) });
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('TANDEM_LINK_SIGNING_KEY');
    expect(await container().store.listSessions(cycle.cycleId)).toEqual([]);
    const added = await tandem(add);
    expect(added.code, added.stderr).toBe(0);
    expect((await container().store.listSessions(cycle.cycleId)).map((s) => s.sessionId)).toEqual(['key-101']);
  });

  it('says what a cancel or a move would do without the link-signing key, which only sending them needs', async () => {
    const tag = uniqueTag('session-dry');
    const { cycle } = await cycleWithSession(tag, 'dry-101', 2);
    const noKey = { env: stackEnv({ TANDEM_LINK_SIGNING_KEY: undefined, TANDEM_LINK_SIGNING_KEY_SECRET: undefined }) };
    const cancel = ['session', 'cancel', 'dry-101', '--cycle', cycle.cycleId, '--reason', 'The room is closed.'];
    const wouldCancel = await tandem(cancel, noKey);
    expect(wouldCancel.code, wouldCancel.stderr).toBe(0);
    expect(wouldCancel.stdout).toContain('With --yes, session dry-101 is cancelled and');
    const wouldMove = await tandem(['session', 'move', 'dry-101', '--cycle', cycle.cycleId, '--place', 'Room 9', '--json'], noKey);
    expect(wouldMove.code, wouldMove.stderr).toBe(0);
    expect(wouldMove.json()).toMatchObject({ dryRun: true, changes: true, moved: { place: 'Room 9' } });
    const cancelled = await tandem([...cancel, '--yes'], noKey);
    expect(cancelled.code).toBe(3);
    expect(cancelled.stderr).toContain('TANDEM_LINK_SIGNING_KEY');
    expect((await container().store.getSession(cycle.cycleId, 'dry-101'))?.cancelledAt).toBeUndefined();
  });

  it('is scheduled, listed, shown and its attendance recorded with the tandem command, bad input named and nothing written', async () => {
    const tag = uniqueTag('session-cli');
    const cycle = await sessionCycle(tag);
    const base = ['--cycle', cycle.cycleId, '--id', 'cli-101', '--title', 'Cloud tools', '--description', 'Hands-on', '--time-zone', 'America/Sao_Paulo'];
    const bad = await tandem([
      'session',
      'add',
      ...base,
      '--skills',
      'cloud-tools,juggling',
      '--starts',
      saoPauloStart(7, '+01:00'),
      '--duration',
      '60',
      '--capacity',
      '0',
      '--place',
      'Room 4',
      '--json',
    ]);
    expect(bad.code).toBe(2);
    expect(
      bad
        .json<{ error: { issues: Array<{ where: string }> } }>()
        .error.issues.map((i) => i.where)
        .sort(),
    ).toEqual(['capacity', 'startsAt']);
    expect(await container().store.listSessions(cycle.cycleId)).toEqual([]);
    // Past the cycle's planned end (its run is 30 days long, the phases after it an hour each): refused, naming the start.
    const afterEnd = await tandem([
      'session',
      'add',
      ...base,
      ...['--skills', 'cloud-tools', '--starts', saoPauloStart(60), '--duration', '60', '--capacity', '5', '--place', 'Room 4', '--json'],
    ]);
    expect(afterEnd.code, afterEnd.stderr).toBe(2);
    expect(afterEnd.json<{ error: { issues: Array<{ where: string; problem: string }> } }>().error.issues).toEqual([
      { where: 'startsAt', problem: expect.stringMatching(/^must be before the end of cycle .+, planned for \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z/) },
    ]);
    expect(await container().store.listSessions(cycle.cycleId)).toEqual([]);

    const added = await tandem([
      'session',
      'add',
      ...base,
      '--skills',
      'cloud-tools',
      '--starts',
      saoPauloStart(7),
      '--duration',
      '60',
      '--capacity',
      '5',
      '--place',
      'Room 4',
      '--audience',
      'everyone',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const members = await container().store.listMembers(cycle.cycleId);
    expect(added.json<{ announcement: { sent: number } }>().announcement.sent).toBe(members.length);
    expect(
      (
        await tandem([
          'session',
          'add',
          ...base,
          '--skills',
          'cloud-tools',
          '--starts',
          saoPauloStart(7),
          '--duration',
          '60',
          '--capacity',
          '5',
          '--place',
          'Room 4',
        ])
      ).code,
    ).toBe(6);

    const [first, second] = members as [Member, Member];
    const early = await tandem(['session', 'attendance', 'cli-101', '--cycle', cycle.cycleId, '--attended', first.email]);
    expect(early.code, early.stderr).toBe(6);
    expect(early.stderr).toContain('session cli-101 has not started yet');
    // A session that took place an hour ago, stored as `session add` did when it was still to come; the first member had a seat.
    const store = container().store;
    await store.createSession({
      ...((await store.getSession(cycle.cycleId, 'cli-101')) as InfoSession),
      sessionId: 'held-101',
      startsAt: Date.now() - 3_600_000,
    });
    expect(await store.registerForSession(cycle.cycleId, 'held-101', first.participantId, Date.now())).toBe('registered');
    const stranger = await tandem(['session', 'attendance', 'held-101', '--cycle', cycle.cycleId, '--attended', `${first.email},nobody@example.com`]);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('nobody@example.com');
    const recorded = await tandem([
      'session',
      'attendance',
      'held-101',
      '--cycle',
      cycle.cycleId,
      '--attended',
      `${first.email.toUpperCase()},${second.participantId}`,
      '--json',
    ]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.json<{ attended: string[]; walkIns: string[] }>()).toMatchObject({
      attended: [first.participantId, second.participantId].sort(),
      walkIns: [second.participantId],
    });
    const said = await tandem(['session', 'attendance', 'held-101', '--cycle', cycle.cycleId, '--attended', `${first.participantId},${second.email}`]);
    expect(said.stdout).toBe(`Session held-101: 2 attended, recorded (1 without a seat: ${second.participantId}).\n`);

    const listed = await tandem(['session', 'list', '--cycle', cycle.cycleId, '--json']);
    expect(listed.json<Array<{ sessionId: string; capacity: number; attended: string[] }>>()).toMatchObject([
      { sessionId: 'cli-101', capacity: 5 },
      { sessionId: 'held-101', capacity: 5 },
    ]);
    const shown = await tandem(['session', 'show', 'cli-101', '--cycle', cycle.cycleId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Seats     0 of 5 taken');
    const audit = (await container().store.listAudit({ programId: cycle.programId })).filter((a) => a.action.startsWith('session.'));
    expect(audit.map((a) => [a.action, a.via, a.cycleId, a.details.sessionId]).sort()).toEqual([
      ['session.added', 'cli', cycle.cycleId, 'cli-101'],
      ['session.announced', 'cli', cycle.cycleId, 'cli-101'],
      ['session.attendance-recorded', 'cli', cycle.cycleId, 'held-101'],
      ['session.attendance-recorded', 'cli', cycle.cycleId, 'held-101'],
    ]);
  });

  it('is cancelled with the tandem command: those registered, waiting or invited are told with a calendar cancel, and its page takes no more answers', async () => {
    const tag = uniqueTag('session-cancel');
    const { cycle, links } = await cycleWithSession(tag, 'cancel-101', 1);
    const [first, second, third] = [...links.entries()];
    expect((await answer(first?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(second?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(third?.[1] as string, 'decline')).status).toBe(200);
    // The page as it was before the cancel: its form, sent afterwards, must record nothing.
    const openedBefore = hiddenFields(await (await fetch(third?.[1] as string)).text(), 'register');

    const refused = await tandem(['session', 'cancel', 'cancel-101', '--cycle', cycle.cycleId, '--reason', '   ', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.json<{ error: { issues: Array<{ where: string }> } }>().error.issues.map((i) => i.where)).toEqual(['reason']);
    expect((await container().store.getSession(cycle.cycleId, 'cancel-101'))?.cancelledAt).toBeUndefined();

    const reason = 'The speaker is ill; a new date will be announced.';
    const asked = await tandem(['session', 'cancel', 'cancel-101', '--cycle', cycle.cycleId, '--reason', reason]);
    expect(asked.code, asked.stderr).toBe(0);
    // Everyone the announcement reached but the one who declined: the seated, the waiting and those who never answered.
    const told = links.size - 1;
    expect(asked.stdout).toContain(`With --yes, session cancel-101 is cancelled and ${told} registered, waiting or invited are told. Nothing was changed.`);
    expect((await container().store.getSession(cycle.cycleId, 'cancel-101'))?.cancelledAt).toBeUndefined();
    expect((await emailsFor(tag)).filter((e) => CANCELLED.test(e.subject))).toEqual([]);

    const cancelled = await tandem(['session', 'cancel', 'cancel-101', '--cycle', cycle.cycleId, '--reason', reason, '--yes', '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.json()).toMatchObject({ cancelledNow: true, told, sent: told, alreadySent: 0 });
    expect(cancelled.json<{ session: Record<string, unknown> }>().session.calendar).toBeUndefined();
    const again = await tandem(['session', 'cancel', 'cancel-101', '--cycle', cycle.cycleId, '--reason', 'other', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`was cancelled already; its first reason is kept: ${reason}`);
    expect(again.stdout).toContain(`${told} registered, waiting or invited: 0 told now, ${told} told before`);
    const audit = (await container().store.listAudit({ programId: cycle.programId })).filter((a) => a.action.startsWith('session.cancel'));
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['session.cancellation-sent', { sessionId: 'cancel-101', told }],
      ['session.cancelled', { sessionId: 'cancel-101', reason }],
    ]);

    const emails = (await emailsFor(tag)).filter((e) => CANCELLED.test(e.subject));
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual([...links.keys()].filter((to) => to !== third?.[0]).sort());
    expect(emails.map((e) => e.destination.to[0])).toEqual(expect.arrayContaining([first?.[0], second?.[0]]));
    for (const email of emails) {
      expect(email.body.text).toContain(reason);
      const [ics] = email.attachments;
      expect(ics?.contentType).toContain('method=CANCEL');
      const calendar = new ICAL.Component(ICAL.parse(attachmentText(ics as never)));
      expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
      expect(calendar.getFirstSubcomponent('vevent')?.getFirstPropertyValue('status')).toBe('CANCELLED');
    }

    const late = await fetch(third?.[1] as string);
    expect(await late.text()).toMatch(/This session was cancelled|Esta sessão foi cancelada/);
    const before = await container().store.listSessionRegistrations(cycle.cycleId, 'cancel-101');
    const page = await (await fetch(third?.[1] as string)).text();
    expect(page).not.toContain('<form');
    const posted = await fetch(third?.[1] as string, {
      method: 'POST',
      body: new URLSearchParams(openedBefore),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(410);
    expect(await posted.text()).toContain(reason);
    expect(await container().store.listSessionRegistrations(cycle.cycleId, 'cancel-101')).toEqual(before);
    const listed = await tandem(['session', 'list', '--cycle', cycle.cycleId]);
    expect(listed.stdout).toContain('(cancelled)');
  });

  it('is moved with the tandem command: everyone registered, waiting or invited is told with the event moved, answers kept', async () => {
    const tag = uniqueTag('session-move');
    const { cycle, links } = await cycleWithSession(tag, 'move-101', 1);
    const [first, second, third] = [...links.entries()];
    expect((await answer(first?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(second?.[1] as string, 'register')).status).toBe(200);
    expect((await answer(third?.[1] as string, 'decline')).status).toBe(200);
    const stored = await container().store.getSession(cycle.cycleId, 'move-101');
    const registrations = await container().store.listSessionRegistrations(cycle.cycleId, 'move-101');
    const newStart = new Date((stored?.startsAt as number) + 86_400_000).toISOString().slice(0, 16) + 'Z';
    const move = ['session', 'move', 'move-101', '--cycle', cycle.cycleId];

    const refused = await tandem([...move, '--starts', 'next week', '--duration', '2', '--json']);
    expect(refused.code).toBe(2);
    expect(
      refused
        .json<{ error: { issues: Array<{ where: string }> } }>()
        .error.issues.map((i) => i.where)
        .sort(),
    ).toEqual(['durationMinutes', 'startsAt']);
    const asked = await tandem([...move, '--starts', newStart, '--place', 'Room 2']);
    expect(asked.code, asked.stderr).toBe(0);
    const told = links.size - 1;
    expect(asked.stdout).toContain(`With --yes, session move-101 is moved and ${told} registered, waiting or invited are told. Nothing was changed.`);
    expect(await container().store.getSession(cycle.cycleId, 'move-101')).toEqual(stored);

    const moved = await tandem([...move, '--starts', newStart, '--place', 'Room 2', '--yes', '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.json()).toMatchObject({ movedNow: true, told, sent: told, alreadySent: 0, inFlight: 0 });
    expect(moved.json<{ session: Record<string, unknown> }>().session.calendar).toBeUndefined();
    expect(await container().store.getSession(cycle.cycleId, 'move-101')).toMatchObject({ startsAt: Date.parse(newStart), place: 'Room 2', sequence: 1 });
    expect(await container().store.listSessionRegistrations(cycle.cycleId, 'move-101')).toEqual(registrations);
    const again = await tandem([...move, '--starts', newStart, '--place', 'Room 2', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${told} registered, waiting or invited: 0 told now, ${told} told before.`);
    const audit = (await container().store.listAudit({ programId: cycle.programId })).filter((a) => a.action.startsWith('session.move'));
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['session.move-sent', { sessionId: 'move-101', told }],
      ['session.moved', { sessionId: 'move-101', from: expect.any(String), to: expect.stringContaining('Room 2') }],
    ]);
    // Giving up the room for the video call alone: a dry run shows the session without its place.
    const online = await tandem([...move, '--remove-place', '--json']);
    expect(online.code, online.stderr).toBe(0);
    expect(online.json()).toMatchObject({ dryRun: true, changes: true, moved: { videoLink: 'https://meet.example.com/cloud' } });
    expect(online.json<{ moved: Record<string, unknown> }>().moved.place).toBeUndefined();
    const listed = await tandem(['session', 'list', '--cycle', cycle.cycleId]);
    expect(listed.stdout).toContain('(moved)');
    const shown = await tandem(['session', 'show', 'move-101', '--cycle', cycle.cycleId]);
    expect(shown.stdout).toMatch(/Moved {5}\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z \(calendar version 1\)/);
    const nothingLeft = await tandem([...move, '--remove-place', '--remove-video-link', '--json']);
    expect(nothingLeft.code).toBe(2);
    const contradictory = await tandem([...move, '--place', 'Room 3', '--remove-place', '--json']);
    expect(contradictory.code).toBe(2);
    expect(contradictory.json<{ error: { issues: Array<{ where: string; problem: string }> } }>().error.issues).toEqual([
      { where: 'place', problem: 'give --place or --remove-place, not both' },
    ]);

    const emails = (await emailsFor(tag)).filter((e) => MOVED.test(e.subject));
    expect(emails.map((e) => e.destination.to[0])).not.toContain(third?.[0]);
    expect(emails).toHaveLength(told);
    for (const email of emails) {
      const calendar = new ICAL.Component(ICAL.parse(attachmentText(email.attachments[0] as never)));
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') as ICAL.Component);
      expect([calendar.getFirstPropertyValue('method'), event.sequence, event.location]).toEqual(['PUBLISH', 1, 'Room 2 · https://meet.example.com/cloud']);
      expect(event.startDate.toJSDate().getTime()).toBe(Date.parse(newStart));
      const link = SESSION_LINK.exec(email.body.text ?? '')?.[0] as string;
      expect((await fetch(link)).status).toBe(200);
    }
  });
});
