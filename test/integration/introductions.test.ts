import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import type { Member } from '../../domain/cycle.ts';
import type { Participant } from '../../domain/participant.ts';
import { attachmentText, type CapturedEmail } from '../../local/ses-local.ts';
import { emailsFor, uniqueTag } from '../support/fixtures.ts';
import { mailsFor, openAndSend, participantCycle, post, submit, tick } from '../browser/participant-support.ts';

const store = () => container().store;
const INVITATION = /meet your partner|conheça sua dupla/;
const INTRODUCTION = /your mentoring partner|sua dupla de mentoria/;

const introductions = async (tag: string): Promise<CapturedEmail[]> => (await emailsFor(tag)).filter((e) => INTRODUCTION.test(e.subject));

/** Accepts the pairing by setting one goal and rating every skill asked, as a person does on the invitation page. */
async function accept(link: string, goal: string) {
  const page = await (await fetch(link)).text();
  const ratings = [...page.matchAll(/name="(baseline:[^"]+)"/g)].map((m) => [m[1] as string, '3'] as [string, string]);
  return submit(link, 'answer', [['goal', goal], ...ratings]);
}

/** Two members paired only with each other. */
function soloPair(members: Member[], skip: ReadonlySet<string> = new Set()): [Member, Member] {
  const byId = new Map(members.map((m) => [m.participantId, m]));
  const mentor = members.find((m) => {
    const partner = byId.get(m.partners[0]?.participantId ?? '');
    return !skip.has(m.participantId) && m.partners.length === 1 && m.partners[0]?.role === 'mentee' && partner?.partners.length === 1;
  });
  expect(mentor).toBeDefined();
  return [mentor as Member, byId.get(mentor?.partners[0]?.participantId as string) as Member];
}

/** Where an instant falls in a time zone: ISO weekday and minutes since midnight. */
function local(at: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday as string) + 1,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function within(person: Participant, start: Date, end: Date): boolean {
  const zone = person.timeZone as string;
  const from = local(start, zone);
  const to = local(new Date(end.getTime() - 60_000), zone);
  const windows = person.availability ?? [1, 2, 3, 4, 5].map((weekday) => ({ weekday, from: '09:00', to: '17:00' }));
  return from.weekday === to.weekday && windows.some((w) => w.weekday === from.weekday && minutesOf(w.from) <= from.minutes && to.minutes < minutesOf(w.to));
}

describe('introductions', () => {
  it('introduces both members once each when both accepted, replies reaching the partner, with an agenda and an .ics in both availabilities', async () => {
    const tag = uniqueTag('intro');
    const cycle = await participantCycle(tag);
    const [mentor, mentee] = soloPair(await store().listMembers(cycle.cycleId));
    // The mentee, in Tokyo, can meet on Tuesday and Thursday evenings only: mornings in the Americas, midday in Europe.
    const roster = await store().listParticipants(cycle.programId);
    const menteePerson = roster.find((p) => p.participantId === mentee.participantId) as Participant;
    const narrow: Participant = {
      ...menteePerson,
      timeZone: 'Asia/Tokyo',
      availability: [
        { weekday: 2, from: '21:00', to: '23:00' },
        { weekday: 4, from: '21:00', to: '23:00' },
      ],
    };
    await store().putParticipants(cycle.programId, [narrow]);
    await openAndSend(cycle.cycleId, 'goal-setting');
    const invitations = await mailsFor(tag, INVITATION);
    const linkOf = (m: Member) => invitations.find((i) => i.to === m.email)?.link as string;

    expect((await accept(linkOf(mentor), 'Learn negotiation')).html).toMatch(/Thank you|Obrigad/);
    await tick(cycle.cycleId, 'goal-setting');
    expect(await introductions(tag)).toEqual([]);

    const accepted = await accept(linkOf(mentee), 'Use AI assistants');
    // The replayed acceptance (the same form posted again) changes nothing.
    expect((await post(linkOf(mentee), accepted.body)).status).toBe(200);
    await Promise.all([tick(cycle.cycleId, 'goal-setting'), tick(cycle.cycleId, 'goal-setting')]);
    await tick(cycle.cycleId, 'goal-setting');

    const sent = await introductions(tag);
    expect(sent.map((e) => e.destination.to[0]).sort()).toEqual([mentor.email, mentee.email].sort());
    const toMentor = sent.find((e) => e.destination.to[0] === mentor.email) as CapturedEmail;
    const toMentee = sent.find((e) => e.destination.to[0] === mentee.email) as CapturedEmail;
    expect(toMentor.replyTo).toEqual([mentee.email]);
    expect(toMentee.replyTo).toEqual([mentor.email]);
    for (const [email, partner] of [
      [toMentor, mentee],
      [toMentee, mentor],
    ] as const) {
      expect(email.body.text).toContain(partner.email);
      expect(email.body.text).toContain(partner.department);
      expect(email.body.text).toContain('Learn negotiation');
      expect(email.body.text).toContain('Use AI assistants');
      expect(email.body.text).toMatch(/Agenda for your first meeting|Pauta do primeiro encontro/);
    }

    const mentorPerson = roster.find((p) => p.participantId === mentor.participantId) as Participant;
    for (const email of [toMentor, toMentee]) {
      const [ics] = email.attachments;
      expect(ics?.filename).toBe('first-meeting.ics');
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(attachmentText(ics as never))).getFirstSubcomponent('vevent') as ICAL.Component);
      const start = event.startDate.toJSDate();
      const end = event.endDate.toJSDate();
      expect(end.getTime() - start.getTime()).toBe(45 * 60_000);
      expect(start.getTime()).toBeGreaterThan(Date.now());
      expect(within(mentorPerson, start, end)).toBe(true);
      expect(within(narrow, start, end)).toBe(true);
      expect(event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual([`mailto:${mentor.email}`, `mailto:${mentee.email}`].sort());
    }
  });

  it('introduces the new pair a rematch makes once both accepted it, and never the declined pair', async () => {
    const tag = uniqueTag('intro-rematch');
    const cycle = await participantCycle(tag);
    await openAndSend(cycle.cycleId, 'goal-setting');
    const members = await store().listMembers(cycle.cycleId);
    // The junior of a solo pair declines: in reverse mode the people left unmatched are young too, so the freed senior can be paired again.
    const [decliner, freed] = soloPair(members);
    const invitations = await mailsFor(tag, INVITATION);
    await accept(invitations.find((i) => i.to === freed.email)?.link as string, 'Teach cloud tools');
    await submit(invitations.find((i) => i.to === decliner.email)?.link as string, 'decline');
    const [rematch] = await store().listRematches(cycle.cycleId);
    expect(rematch?.newPartnerId).toBeDefined();
    await tick(cycle.cycleId, 'goal-setting');
    const newcomer = (await store().getMember(cycle.cycleId, rematch?.newPartnerId as string)) as Member;
    // The freed person's and the new partner's invitations, each in its own words.
    const rematchMails = (await mailsFor(tag, INVITATION)).filter((m) =>
      /matched you again|nova dupla para você|the two of you are now a pair|agora vocês formam uma dupla/.test(m.text),
    );
    // The new partner accepts the new pairing; the freed person had accepted their first one only, so no pair is introduced yet.
    await accept(rematchMails.find((m) => m.to === newcomer.email)?.link as string, 'Learn to coach');
    await tick(cycle.cycleId, 'goal-setting');
    expect(await introductions(tag)).toEqual([]);
    // The freed person is told their goals are kept and the new pairing needs their answer; they accept it.
    const freedMail = rematchMails.find((m) => m.to === freed.email);
    expect(freedMail?.text).toMatch(/Your goals and skill ratings are kept|Suas metas e a avaliação das suas habilidades foram mantidas/);
    await accept(freedMail?.link as string, 'Teach cloud tools');
    await tick(cycle.cycleId, 'goal-setting');

    const sent = await introductions(tag);
    expect(sent.map((e) => e.destination.to[0]).sort()).toEqual([freed.email, newcomer.email].sort());
    expect(sent.find((e) => e.destination.to[0] === freed.email)?.replyTo).toEqual([newcomer.email]);
    expect(sent.some((e) => e.body.text?.includes(decliner.email))).toBe(false);
  });

  it('links each introduction to a pair page that renders on GET only and logs a meeting once on POST', async () => {
    const tag = uniqueTag('pair-page');
    const cycle = await participantCycle(tag);
    const [mentor, mentee] = soloPair(await store().listMembers(cycle.cycleId));
    await openAndSend(cycle.cycleId, 'goal-setting');
    const invitations = await mailsFor(tag, INVITATION);
    await accept(invitations.find((i) => i.to === mentor.email)?.link as string, 'Learn negotiation');
    await accept(invitations.find((i) => i.to === mentee.email)?.link as string, 'Use AI assistants');
    await tick(cycle.cycleId, 'goal-setting');
    const intro = (await introductions(tag)).find((e) => e.destination.to[0] === mentee.email) as CapturedEmail;
    const pairPage = /https?:\/\/\S+\/s\/[A-Za-z0-9._-]+/.exec(intro.body.text ?? '')?.[0] as string;
    expect(pairPage).toBeDefined();

    const page = await (await fetch(pairPage)).text();
    expect(page).toContain(`mailto:${mentor.email}`);
    expect(page).toContain('Learn negotiation');
    expect(page).toContain('Use AI assistants');
    // Until the run begins there is nothing to log (a form posted anyway is refused: test/unit/survey-use-cases.test.ts).
    expect(page).not.toContain('name="_action" value="log-meeting"');
    expect(page).toMatch(/once the run phase begins|quando a fase de execução começar/);
    await openAndSend(cycle.cycleId, 'run');
    const running = await (await fetch(pairPage)).text();
    expect(running).toContain('name="_action" value="log-meeting"');
    // Opening the page (twice: a mail scanner, then the person) writes nothing.
    await fetch(pairPage);
    expect(await store().listMeetings(cycle.cycleId)).toEqual([]);

    // Today where the person is (the form's default: their time zone's date, not UTC's).
    const today = /name="date" required value="(\d{4}-\d{2}-\d{2})"/.exec(running)?.[1] as string;
    expect(today).toBeDefined();
    const skill = /name="skill" value="([^"]+)"/.exec(running)?.[1] as string;
    const logged = await submit(pairPage, 'log-meeting', [
      ['date', today],
      ['minutes', '45'],
      ['skill', skill.replace(/&amp;/g, '&')],
    ]);
    expect(logged.status).toBe(200);
    expect(logged.html).toMatch(/the meeting is logged|o encontro foi registrado/);
    // The same form posted again (a double click, a retried request) logs nothing more.
    const replay = await post(pairPage, logged.body);
    expect(replay.html).toMatch(/logged already|já estava registrado/);
    const meetings = await store().listMeetings(cycle.cycleId);
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({ pairId: mentor.partners[0]?.pairId, loggedBy: mentee.participantId, date: today, minutes: 45, source: 'pair-page' });
    expect(meetings[0]?.skills).toHaveLength(1);
    expect(await (await fetch(pairPage)).text()).toContain(today);

    const future = await submit(pairPage, 'log-meeting', [['date', '2999-01-01']]);
    expect(future.status).toBe(400);
    expect(future.html).toMatch(/must not be in the future|não pode ser no futuro/);
    expect(future.html).toContain('value="2999-01-01"');
    expect(await store().listMeetings(cycle.cycleId)).toHaveLength(1);
  });
});
