import { describe, expect, it } from 'vitest';
import { newCycle, type Member } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import type { Program } from '../../domain/program.ts';
import { formBinding } from '../../services/form-binding.ts';
import { invitees } from '../../services/phases/enrollment/index.ts';
import { identifyCohort } from '../../services/phases/identify/index.ts';
import { importRoster } from '../../services/roster-import.ts';
import { rematchAfterDecline } from '../../services/rematch.ts';
import { showSurvey, submitSurvey, type SurveyDeps } from '../../services/surveys.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

/*
 * A decline at goal-setting frees the partner, who is matched again (services/rematch.ts). These
 * tests are about whom they can be matched with, over the in-memory store and the real matcher.
 */

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
const ACTION = './v1.token';
const signer = new LinkSigner('k'.repeat(32));
const matcher = new OptimalMatcher({ deadlineMs: 2_000 });

let cycleCount = 0;

/** A running cycle of the sample roster: `post` sends a form to a person's link of a phase key, as their browser would. */
async function cycleOf(program: Program) {
  const store = new InMemoryStore();
  let time = START;
  const clock = { now: () => (time += 1000) };
  const cycleId = `rematch${++cycleCount}`;
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle(newCycle(program, cycleId, START));
  const deps: SurveyDeps = { store, clock, signer, matcher };
  const token = (participantId: string, phaseKey: string) =>
    signer.sign({ cycleId, participantId, phaseKey, expiresAt: Math.floor((START + 60 * DAY) / 1000) });
  return {
    store,
    cycleId,
    clock,
    show: (participantId: string, phaseKey: string) => showSurvey(deps, token(participantId, phaseKey), ACTION),
    post: (participantId: string, phaseKey: string, action: string, fields: Array<[string, string]> = []) => {
      const t = token(participantId, phaseKey);
      return submitSurvey(deps, t, new URLSearchParams([['_action', action], ['_bind', formBinding(signer, t)], ...fields]).toString(), ACTION);
    },
    identify: () => identifyCohort({ store, emailLog: store, mailer: { send: () => Promise.reject(new Error('no mail here')) }, clock, matcher }, cycleId),
  };
}

/** Identify, then goal-setting open for the cohort. */
async function toGoalSetting(c: Awaited<ReturnType<typeof cycleOf>>) {
  await c.identify();
  const members = await c.store.listMembers(c.cycleId);
  await c.store.openPhase(c.cycleId, 'goal-setting', { openedAt: START + 2 * DAY, deadline: START + 16 * DAY, expected: members.length });
  return members;
}

/** A name as declared on the join page (letters only: digits are refused there), told apart from the roster's. */
const declaredName = (id: string) => `Declared ${id.replace(/\d/g, (d) => 'abcdefghij'[Number(d)] as string)}`;

describe('rematch after a decline, in a cycle with enrollment', () => {
  const program = sampleProgram('rematch-enrollment', { enrollment: 'P14D' });

  it('replaces a declined partner only with people who joined, never with one who declined to join or never answered', async () => {
    const c = await cycleOf(program);
    const cycle = await c.store.getCycle(c.cycleId);
    const invited = await invitees(c.store, cycle as NonNullable<typeof cycle>);
    await c.store.openPhase(c.cycleId, 'enrollment', { openedAt: START, deadline: START + DAY, expected: invited.length });
    const roster = await c.store.listParticipants(program.programId);
    const outsiders = ['p02', 'p03', 'p07'];
    const joiners = invited.map((i) => i.participantId).filter((id) => !outsiders.includes(id));
    for (const id of joiners) {
      const entry = roster.find((p) => p.participantId === id);
      const fields: Array<[string, string]> = [
        ['name', declaredName(id)],
        ['department', `Declared department ${id}`],
        ...(entry?.skillsOffered ?? []).map((s): [string, string] => [`teach:${s.skill}`, String(s.level)]),
        ...(entry?.skillsWanted ?? []).map((s): [string, string] => [`learn:${s.skill}`, String(s.priority)]),
        ['language', 'pt'],
        ['timeZone', 'America/Sao_Paulo'],
        ['slot', 'tue-morning'],
        ['consent', 'yes'],
      ];
      expect((await c.post(id, 'enrollment', 'answer', fields)).status).toBe(200);
    }
    // p02 says no; p03 and p07 never answer.
    expect((await c.post('p02', 'enrollment', 'decline', [['reason', 'Não tenho tempo']])).status).toBe(200);
    await c.store.closePhase(c.cycleId, 'enrollment', START + DAY);

    const members = await toGoalSetting(c);
    const pairs = (await c.store.listPairs(c.cycleId)).slice(0, 4);
    for (const pair of pairs) expect((await c.post(pair.mentorId, 'goal-setting', 'decline')).status).toBe(200);

    const rematches = await c.store.listRematches(c.cycleId);
    expect(rematches).toHaveLength(4);
    const newPartners = rematches.flatMap((r) => (r.newPartnerId ? [r.newPartnerId] : []));
    for (const id of newPartners) expect(joiners).toContain(id);
    const after = await c.store.listMembers(c.cycleId);
    for (const id of outsiders) expect(after.find((m) => m.participantId === id)).toBeUndefined();
    // A newcomer is who they declared themselves to be on the join page, as identify would have stored them.
    for (const newcomer of after.filter((m) => !members.some((old) => old.participantId === m.participantId))) {
      expect(newcomer).toMatchObject({ name: declaredName(newcomer.participantId), department: `Declared department ${newcomer.participantId}` });
    }
  });
});

describe('rematch after a decline, in a cycle without enrollment', () => {
  const program = sampleProgram('rematch-plain');

  it('replaces a declined partner with an active person on the roster who is not in the cycle, never one who left', async () => {
    const c = await cycleOf(program);
    const members = await toGoalSetting(c);
    const roster = await c.store.listParticipants(program.programId);
    const outside = roster.filter((p) => !members.some((m) => m.participantId === p.participantId)).map((p) => p.participantId);
    expect(outside.length).toBeGreaterThan(1);
    // Everyone outside the cycle but one has left the program: that one is the only possible newcomer.
    const [stays, ...leave] = outside as [string, ...string[]];
    for (const id of leave) await c.store.setParticipantStatus(program.programId, id, 'opted-out');
    const [pair] = await c.store.listPairs(c.cycleId);
    expect((await c.post(pair?.mentorId as string, 'goal-setting', 'decline')).status).toBe(200);
    const [rematch] = await c.store.listRematches(c.cycleId);
    expect(rematch?.newPartnerId === undefined || rematch.newPartnerId === stays).toBe(true);
    for (const id of leave) expect(await c.store.getMember(c.cycleId, id)).toBeUndefined();
  });
});

describe('a decline whose rematch failed', () => {
  const program = sampleProgram('rematch-resumed');

  it('is finished when the person sends the decline again, never by opening the link, and once only', async () => {
    const c = await cycleOf(program);
    await toGoalSetting(c);
    const [pair] = await c.store.listPairs(c.cycleId);
    const { mentorId: decliner, menteeId: freed } = pair as NonNullable<typeof pair>;
    // The request that stored the decline died before the rematch was written.
    const putRematch = c.store.putRematch.bind(c.store);
    c.store.putRematch = () => Promise.reject(new Error('the function timed out'));
    await expect(c.post(decliner, 'goal-setting', 'decline')).rejects.toThrow('timed out');
    c.store.putRematch = putRematch;
    expect((await c.store.getMember(c.cycleId, decliner))?.declined).toBe(true);
    expect(await c.store.listRematches(c.cycleId)).toEqual([]);

    // Opening the link (a mail scanner does too) changes nothing.
    expect((await c.show(decliner, 'goal-setting')).status).toBe(200);
    expect(await c.store.listRematches(c.cycleId)).toEqual([]);
    expect((await c.post(decliner, 'goal-setting', 'decline')).status).toBe(200);
    const [rematch] = await c.store.listRematches(c.cycleId);
    expect(rematch).toMatchObject({ previousPairId: pair?.pairId, freedParticipantId: freed, declinedBy: decliner });
    await c.post(decliner, 'goal-setting', 'decline');
    expect(await c.store.listRematches(c.cycleId)).toHaveLength(1);
  });
});

describe('a decline sent again when nothing is left to rematch', () => {
  const program = sampleProgram('rematch-nothing-left');

  it('reads no roster when the partner declined too', async () => {
    const c = await cycleOf(program);
    await toGoalSetting(c);
    const [pair] = await c.store.listPairs(c.cycleId);
    const { mentorId: first, menteeId: second } = pair as NonNullable<typeof pair>;
    const putRematch = c.store.putRematch.bind(c.store);
    c.store.putRematch = () => Promise.reject(new Error('the function timed out'));
    await expect(c.post(first, 'goal-setting', 'decline')).rejects.toThrow('timed out');
    c.store.putRematch = putRematch;
    expect((await c.post(second, 'goal-setting', 'decline')).status).toBe(200);
    let rosterReads = 0;
    const listParticipants = c.store.listParticipants.bind(c.store);
    c.store.listParticipants = (programId: string) => (rosterReads++, listParticipants(programId));
    expect((await c.post(first, 'goal-setting', 'decline')).status).toBe(200);
    expect(rosterReads).toBe(0);
  });
});

describe('two declines at the same moment', () => {
  const program = sampleProgram('rematch-concurrent');

  it('never give one newcomer two new partners: the second rematch reads again and chooses again', async () => {
    const c = await cycleOf(program);
    const members = await toGoalSetting(c);
    const roster = await c.store.listParticipants(program.programId);
    const outside = roster.filter((p) => !members.some((m) => m.participantId === p.participantId)).map((p) => p.participantId);
    // One person outside the cycle is left to bring in: both freed partners would choose them.
    const [newcomer, ...leave] = outside as [string, ...string[]];
    for (const id of leave) await c.store.setParticipantStatus(program.programId, id, 'opted-out');
    // Two pairs with a member the matcher would pair with the newcomer: the other member declines.
    const person = (id: string) => roster.find((p) => p.participantId === id) as (typeof roster)[number];
    const context = { settings: program.matching, skillsCatalog: program.skillsCatalog, recentPairs: [], referenceYear: new Date(START).getUTCFullYear() };
    const fits = (id: string) => matcher.match([person(id), person(newcomer)], context).pairs.length > 0;
    const declines = (await c.store.listPairs(c.cycleId)).flatMap((pair) =>
      fits(pair.menteeId) ? [{ pair, by: pair.mentorId }] : fits(pair.mentorId) ? [{ pair, by: pair.menteeId }] : [],
    );
    expect(declines.length).toBeGreaterThanOrEqual(2);
    const [first, second] = declines.map((d) => d.pair);
    // Both rematches read the cohort before either writes, as two requests at once can.
    let reads = 0;
    let bothRead!: () => void;
    const gate = new Promise<void>((resolve) => (bothRead = resolve));
    const store = new Proxy(c.store, {
      get(target, property, receiver) {
        if (property === 'listMembers')
          return async (cycleId: string) => {
            const read = await target.listMembers(cycleId);
            if (++reads === 2) bothRead();
            return read;
          };
        if (property === 'putRematch') return async (...args: Parameters<InMemoryStore['putRematch']>) => (await gate, target.putRematch(...args));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const cycle = (await c.store.getCycle(c.cycleId)) as NonNullable<Awaited<ReturnType<InMemoryStore['getCycle']>>>;
    const decliners = await Promise.all(declines.slice(0, 2).map((d) => c.store.getMember(c.cycleId, d.by)));
    await Promise.all(decliners.map((decliner) => rematchAfterDecline({ store, matcher, clock: c.clock }, cycle, decliner as Member)));

    const rematches = await c.store.listRematches(c.cycleId);
    expect(rematches.map((r) => r.previousPairId).sort()).toEqual([first?.pairId, second?.pairId].sort());
    expect(rematches.map((r) => r.newPartnerId)).toContain(newcomer);
    const live = (await c.store.listPairs(c.cycleId)).filter((p) => p.status !== 'declined');
    expect(live.filter((p) => p.mentorId === newcomer || p.menteeId === newcomer)).toHaveLength(1);
    // Every live pair is what both of its members say it is.
    for (const pair of live) {
      const [mentor, mentee] = await Promise.all([c.store.getMember(c.cycleId, pair.mentorId), c.store.getMember(c.cycleId, pair.menteeId)]);
      expect(mentor?.partners.map((p) => p.pairId)).toContain(pair.pairId);
      expect(mentee?.partners.map((p) => p.pairId)).toContain(pair.pairId);
    }
  });
});

describe('a freed partner who had already accepted', () => {
  const program = sampleProgram('rematch-accepted');

  /** A pair where the mentee accepted with goals and a baseline, then the mentor declined: the mentee was matched again. */
  async function acceptedThenFreed() {
    const c = await cycleOf(program);
    await toGoalSetting(c);
    const [pair] = await c.store.listPairs(c.cycleId);
    const { mentorId: decliner, menteeId: freed } = pair as NonNullable<typeof pair>;
    const member = await c.store.getMember(c.cycleId, freed);
    const baseline = [...(member?.teaches ?? []), ...(member?.learns ?? [])].map((s): [string, string] => [`baseline:${s}`, '2']);
    expect((await c.post(freed, 'goal-setting', 'answer', [['goal', 'Speak up in meetings'], ...baseline])).status).toBe(200);
    expect((await c.post(decliner, 'goal-setting', 'decline')).status).toBe(200);
    const [rematch] = await c.store.listRematches(c.cycleId);
    return { c, freed, decliner, rematch: rematch as NonNullable<typeof rematch> };
  }

  it('is asked to accept or decline the new partner, with the goals they had set kept and offered again', async () => {
    const { c, freed, rematch } = await acceptedThenFreed();
    expect(rematch).toMatchObject({ freedParticipantId: freed, askedAgainIds: [freed] });
    const newPartner = rematch.newPartnerId as string;
    // The acceptance was of the first pair: set aside with its answer, the goals kept on the member.
    expect(await c.store.getInvitationDecision(c.cycleId, freed)).toBeUndefined();
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', freed)).toBeUndefined();
    expect((await c.store.getMember(c.cycleId, freed))?.keptAnswer).toMatchObject({ goals: ['Speak up in meetings'] });
    const cycle = await c.store.getCycle(c.cycleId);
    expect([cycle?.invitationsAccepted, cycle?.responses['goal-setting'] ?? 0]).toEqual([0, 0]);

    const page = await c.show(freed, 'goal-setting');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Suas metas e a avaliação das suas habilidades foram mantidas');
    expect(page.html).toContain('value="Speak up in meetings"');
    expect(page.html).toContain('name="_action" value="decline"');
    // The new partner's pair page shows no goal written for the first partner.
    expect((await c.show(newPartner, 'pair')).html).not.toContain('Speak up in meetings');

    // Accepting is the goal form sent again (pre-filled): counted once, for the new pair.
    const member = await c.store.getMember(c.cycleId, freed);
    const ratings = [...(member?.teaches ?? []), ...(member?.learns ?? [])].map((s): [string, string] => [`baseline:${s}`, '3']);
    expect((await c.post(freed, 'goal-setting', 'answer', [['goal', 'Speak up in meetings'], ...ratings])).status).toBe(200);
    expect(await c.store.getInvitationDecision(c.cycleId, freed)).toMatchObject({ decision: 'accepted', partnerIds: [newPartner] });
    expect((await c.store.getResponse(c.cycleId, 'goal-setting', freed))?.answer).toMatchObject({ goals: ['Speak up in meetings'] });
    expect((await c.store.getCycle(c.cycleId))?.invitationsAccepted).toBe(1);
  });

  it('is asked again when brought in as the new partner of someone else, having been left alone by an earlier decline', async () => {
    const c = await cycleOf(program);
    const members = await toGoalSetting(c);
    // Nobody outside the cycle can be brought in: a freed member waits alone until another decline frees someone.
    const inCycle = new Set(members.map((m) => m.participantId));
    for (const p of await c.store.listParticipants(program.programId))
      if (!inCycle.has(p.participantId)) await c.store.setParticipantStatus(program.programId, p.participantId, 'opted-out');
    const [first, ...others] = await c.store.listPairs(c.cycleId);
    const { mentorId: firstDecliner, menteeId: alone } = first as NonNullable<typeof first>;
    const member = await c.store.getMember(c.cycleId, alone);
    const baseline = [...(member?.teaches ?? []), ...(member?.learns ?? [])].map((s): [string, string] => [`baseline:${s}`, '2']);
    expect((await c.post(alone, 'goal-setting', 'answer', [['goal', 'Lead a workshop'], ...baseline])).status).toBe(200);
    expect((await c.post(firstDecliner, 'goal-setting', 'decline')).status).toBe(200);
    expect((await c.store.listRematches(c.cycleId))[0]).toMatchObject({ freedParticipantId: alone, reason: expect.stringMatching(/no one/) });

    // Later declines free others (mentors, whom reverse mode pairs with older people such as the one left
    // alone), until one of them is paired with the person left alone.
    let joined: Awaited<ReturnType<typeof c.store.listRematches>>[number] | undefined;
    for (const pair of others) {
      expect((await c.post(pair.menteeId, 'goal-setting', 'decline')).status).toBe(200);
      joined = (await c.store.listRematches(c.cycleId)).find((r) => r.newPartnerId === alone || (r.freedParticipantId === alone && r.newPairId));
      if (joined) break;
    }
    expect(joined).toBeDefined();
    // The acceptance given to the first partner was set aside for this new pair too: asked again, goals kept.
    expect(joined?.askedAgainIds).toContain(alone);
    expect(await c.store.getInvitationDecision(c.cycleId, alone)).toBeUndefined();
    expect(await c.store.getResponse(c.cycleId, 'goal-setting', alone)).toBeUndefined();
    expect((await c.store.getMember(c.cycleId, alone))?.keptAnswer).toMatchObject({ goals: ['Lead a workshop'] });
    const page = await c.show(alone, 'goal-setting');
    expect(page.html).toContain('name="_action" value="decline"');
    expect(page.html).not.toContain('Já respondido');
  });

  it('can decline the new partner, who is then matched again in turn', async () => {
    const { c, freed, rematch } = await acceptedThenFreed();
    expect((await c.post(freed, 'goal-setting', 'decline', [['reason', 'Not with this partner']])).status).toBe(200);
    expect(await c.store.getInvitationDecision(c.cycleId, freed)).toMatchObject({ decision: 'declined', partnerIds: [rematch.newPartnerId] });
    const again = (await c.store.listRematches(c.cycleId)).find((r) => r.declinedBy === freed);
    expect(again).toMatchObject({ freedParticipantId: rematch.newPartnerId });
  });
});
