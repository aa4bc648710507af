import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { invokeFunction } from '../../local/lambda-runtime.ts';
import { dateIn } from '../../domain/meetings.ts';
import { memberTimeZone } from '../../services/member-time-zone.ts';
import { uniqueTag } from '../support/fixtures.ts';
import { mailsFor, participantCycle, post, submit, tick } from '../browser/participant-support.ts';

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

    // Later steps send no second nudge, to anyone.
    await tick(cycle.cycleId, 'run');
    expect(await mailsFor(tag, NUDGE)).toHaveLength(nudges.length);
  });
});
