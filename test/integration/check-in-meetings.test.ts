import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { dateIn } from '../../domain/meetings.ts';
import { memberTimeZone } from '../../services/member-time-zone.ts';
import { uniqueTag } from '../support/fixtures.ts';
import { hiddenFields, mailsFor, participantCycle, post, submit, tick } from '../browser/participant-support.ts';

const store = () => container().store;
const CHECK_IN = /check-in|acompanhamento/;
const NUDGE = /time for a first meeting|hora do primeiro encontro/;

describe('meetings in the run, on the local stack', () => {
  it('nudges every member of a pair with no meeting once, and a "we met" check-in logs the meeting once', async () => {
    const tag = uniqueTag('met');
    const cycle = await participantCycle(tag);
    await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'run' });
    await new Promise((r) => setTimeout(r, 1100));
    await tick(cycle.cycleId, 'run');

    const members = (await store().listMembers(cycle.cycleId)).filter((m) => m.partners.length > 0 && !m.declined);
    const nudges = await mailsFor(tag, NUDGE);
    expect(nudges.map((n) => n.to).sort()).toEqual(members.map((m) => m.email).sort());
    const pairPage = await (await fetch(nudges[0]?.link as string)).text();
    expect(pairPage).toContain('name="_action" value="log-meeting"');

    const person = members.find((m) => m.partners.length === 1);
    const checkIn = (await mailsFor(tag, CHECK_IN)).find((m) => m.to === person?.email)?.link as string;
    const page = await (await fetch(checkIn)).text();
    // Today where the person is: their time zone's date, which is UTC's only part of the day.
    const today = dateIn(Date.now(), await memberTimeZone(store(), cycle, person?.participantId as string));
    expect(page).toContain(`name="date" value="${today}"`);
    expect(await store().listMeetings(cycle.cycleId)).toEqual([]);

    const skill = (/name="skill" value="([^"]+)"/.exec(page)?.[1] as string).replace(/&amp;/g, '&');
    const met = await submit(checkIn, 'answer', [
      ['status', 'met'],
      ['minutes', '40'],
      ['skill', skill],
    ]);
    expect(met.html).toMatch(/Thank you|Obrigad/);
    // The same form again (a double click, a retried request) logs nothing more.
    await post(checkIn, met.body);
    const meetings = await store().listMeetings(cycle.cycleId);
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({ pairId: person?.partners[0]?.pairId, loggedBy: person?.participantId, source: 'check-in', date: today, minutes: 40 });
    expect(meetings[0]?.skills).toHaveLength(1);

    // The partner's "we met" the same day is the same meeting: their answer counts, the meeting once.
    const partner = members.find((m) => m.participantId === person?.partners[0]?.participantId);
    const partnersCheckIn = (await mailsFor(tag, CHECK_IN)).find((m) => m.to === partner?.email)?.link as string;
    const partnerMet = await submit(partnersCheckIn, 'answer', [
      ['status', 'met'],
      ['pair', person?.partners[0]?.pairId as string],
      ['minutes', '45'],
    ]);
    expect(partnerMet.html).toMatch(/Thank you|Obrigad/);
    expect(await store().getResponse(cycle.cycleId, 'run#1', partner?.participantId as string)).toMatchObject({ answer: { status: 'met' } });
    expect(await store().listMeetings(cycle.cycleId)).toEqual(meetings);

    // Both members of another pair send "we met" at the same instant: one meeting, both answers.
    const taken = new Set([person?.participantId, partner?.participantId]);
    const other = members.find((m) => !taken.has(m.participantId) && m.partners.length === 1 && !taken.has(m.partners[0]?.participantId));
    const both = members.filter((m) => m.participantId === other?.participantId || m.participantId === other?.partners[0]?.participantId);
    const checkIns = await mailsFor(tag, CHECK_IN);
    const pairId = other?.partners[0]?.pairId as string;
    const answered = await Promise.all(
      both.map((m) =>
        submit(checkIns.find((mail) => mail.to === m.email)?.link as string, 'answer', [
          ['status', 'met'],
          ['pair', pairId],
        ]),
      ),
    );
    expect(answered.map((a) => /Thank you|Obrigad/.test(a.html))).toEqual([true, true]);
    expect((await store().listMeetings(cycle.cycleId)).filter((m) => m.pairId === pairId)).toHaveLength(1);

    // Later steps send no second nudge, to anyone.
    await tick(cycle.cycleId, 'run');
    expect(await mailsFor(tag, NUDGE)).toHaveLength(nudges.length);
  });

  it('holds a pair to 4 meetings and 24 hours a day when both members log meetings at the same instant', async () => {
    const tag = uniqueTag('day');
    const cycle = await participantCycle(tag);
    await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: 'run' });
    await new Promise((r) => setTimeout(r, 1100));
    await tick(cycle.cycleId, 'run');
    const nudges = await mailsFor(tag, NUDGE);
    const members = (await store().listMembers(cycle.cycleId)).filter((m) => m.partners.length === 1 && !m.declined);
    const pairIds = [...new Set(members.map((m) => m.partners[0]?.pairId as string))].filter(
      (id) => members.filter((m) => m.partners[0]?.pairId === id).length === 2,
    );
    expect(pairIds.length).toBeGreaterThanOrEqual(2);
    /** Both members' pair page forms, each ready to send a meeting of `minutes` under a fresh id. */
    const formsOf = async (pairId: string) =>
      Promise.all(
        members
          .filter((m) => m.partners[0]?.pairId === pairId)
          .map(async (m) => {
            const link = nudges.find((n) => n.to === m.email)?.link as string;
            const page = await (await fetch(link)).text();
            const today = /name="date" required value="([^"]+)"/.exec(page)?.[1] as string;
            const hidden = hiddenFields(page, 'log-meeting').filter(([name]) => name !== 'meeting');
            return {
              today,
              send: (minutes: number) =>
                post(link, new URLSearchParams([...hidden, ['meeting', randomUUID()], ['date', today], ['minutes', String(minutes)]]).toString()),
            };
          }),
      );
    const loggedOn = async (pairId: string, date: string) => (await store().listMeetingsOfPair(cycle.cycleId, pairId)).filter((m) => m.date === date);

    // Eight short meetings at once, four from each member: the day holds four.
    const [countPair, minutesPair] = pairIds as [string, string];
    const counted = await formsOf(countPair);
    const eight = await Promise.all(counted.flatMap((form) => [1, 2, 3, 4].map(() => form.send(30))));
    expect(eight.filter((r) => r.status === 200)).toHaveLength(4);
    for (const refused of eight.filter((r) => r.status !== 200)) {
      expect([400, 409]).toContain(refused.status);
      expect(refused.html).toMatch(/the most one day can hold|reached the day's limits|o máximo que um dia comporta|atingiram o limite do dia/);
    }
    expect(await loggedOn(countPair, counted[0]?.today as string)).toHaveLength(4);

    // Four ten-hour meetings at once: the day holds two (a third would make 30 hours).
    const timed = await formsOf(minutesPair);
    const four = await Promise.all(timed.flatMap((form) => [1, 2].map(() => form.send(600))));
    expect(four.filter((r) => r.status === 200)).toHaveLength(2);
    const logged = await loggedOn(minutesPair, timed[0]?.today as string);
    expect(logged.reduce((sum, m) => sum + (m.minutes ?? 0), 0)).toBe(1200);
  });
});
