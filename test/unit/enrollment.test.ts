import { describe, expect, it } from 'vitest';
import { newCycle, type StoredResponse } from '../../domain/cycle.ts';
import { availabilityOfSlots, isTimeZone, parseJoinAnswer, splitProposedSkills, withDeclaration, type EnrollmentAnswer } from '../../domain/enrollment.ts';
import { ValidationError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { formFields } from '../../domain/surveys.ts';
import { cycleStatus } from '../../services/cycles.ts';
import { formBinding } from '../../services/form-binding.ts';
import { enrollment, invitees, rosterToPair } from '../../services/phases/enrollment/index.ts';
import { approvalStep } from '../../services/phases/approval/step.ts';
import { identifyCohort } from '../../services/phases/identify/index.ts';
import { optionalPhasesOf } from '../../services/phases/registry.ts';
import { importRoster } from '../../services/roster-import.ts';
import { showSurvey, submitSurvey, type SurveyDeps } from '../../services/surveys.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
const ACTION = './v1.token';
const signer = new LinkSigner('k'.repeat(32));
const matcher = new OptimalMatcher({ deadlineMs: 2_000 });
const program: Program = sampleProgram('enrollment-test', { enrollment: 'P14D' });
const withoutEnrollment: Program = sampleProgram('no-enrollment-test');
const CATALOG = program.skillsCatalog.map((s) => s.id);

/** Fields a person may send several times (checkboxes); every other field in `extra` replaces the default. */
const MULTI = ['language', 'slot'];

/** A complete join form, as a person would send it. */
const joinFields = (extra: Array<[string, string]> = [], leaveOut: string[] = []): Array<[string, string]> =>
  (
    [
      ['name', 'Ana Souza'],
      ['department', 'Marketing'],
      ['teach:ai-tools', '4'],
      ['teach:social-media', '5'],
      ['learn:negotiation', '3'],
      ['learn:public-speaking', ''],
      ['proposed', 'Power BI; IA generativa'],
      ['language', 'pt'],
      ['language', 'en'],
      ['timeZone', 'America/Sao_Paulo'],
      ['slot', 'tue-morning'],
      ['slot', 'thu-afternoon'],
      ['consent', 'yes'],
      ...extra,
    ] as Array<[string, string]>
  ).filter(
    ([name], i, all) => !leaveOut.includes(name) && !(i < all.length - extra.length && MULTI.every((m) => m !== name) && extra.some(([e]) => e === name)),
  );

const asFields = (pairs: Array<[string, string]>) => formFields(new URLSearchParams(pairs).toString());

function issuesOf(fn: () => unknown): Array<{ where: string; problem: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the join form', () => {
  it('reads the skills to teach with a level and to learn with a priority, the proposals, languages, time zone, availability and consent', () => {
    expect(parseJoinAnswer(asFields(joinFields()), CATALOG)).toEqual({
      decision: 'joined',
      name: 'Ana Souza',
      department: 'Marketing',
      teaches: [
        { skill: 'social-media', level: 5 },
        { skill: 'ai-tools', level: 4 },
      ],
      learns: [{ skill: 'negotiation', priority: 3 }],
      proposedSkills: ['Power BI', 'IA generativa'],
      languages: ['pt', 'en'],
      timeZone: 'America/Sao_Paulo',
      availability: ['tue-morning', 'thu-afternoon'],
      consent: true,
    });
  });

  it('refuses a join without consent to the privacy notice, naming the consent box', () => {
    expect(issuesOf(() => parseJoinAnswer(asFields(joinFields([], ['consent'])), CATALOG))).toEqual([
      { where: 'consent', problem: 'you must agree to the privacy notice to join' },
    ]);
  });

  it('names every bad field at once: level, time zone, availability, languages and an empty name', () => {
    const fields = joinFields([
      ['teach:cloud-tools', '9'],
      ['timeZone', 'Mars/Olympus'],
      ['slot', 'mon-midnight'],
      ['language', 'xx'],
      ['name', '   '],
    ]);
    const issues = issuesOf(() => parseJoinAnswer(asFields(fields), CATALOG));
    expect(issues.map((i) => i.where).sort()).toEqual(['language', 'name', 'slot', 'teach:cloud-tools', 'timeZone']);
    expect(issues.find((i) => i.where === 'teach:cloud-tools')?.problem).toBe('the level must be 1 to 5');
    expect(issues.find((i) => i.where === 'timeZone')?.problem).toBe('choose a time zone from the list');
  });

  it('keeps a declared name to one line of letters, so it cannot carry a notice into a partner’s subject line', () => {
    const named = (name: string) => parseJoinAnswer(asFields(joinFields([['name', name]])), CATALOG).name;
    expect(named('  Ana-Lúcia O’Neil\u200f\u2028Souza\u200b  ')).toBe('Ana-Lúcia O’Neil Souza');
    expect(named('José M. de Assis')).toBe('José M. de Assis');
    expect(named('山田 太郎')).toBe('山田 太郎');
    // Names in scripts that need joiners, middle dots, and no-break spaces and hyphens as keyboards type them.
    expect(named('مهر\u200Cزاد احمدی')).toBe('مهر\u200Cزاد احمدی');
    expect(named('क्\u200Dष')).toBe('क्\u200Dष');
    expect(named('ジョン・スミス')).toBe('ジョン・スミス');
    expect(named('Mary\u2011Jane\u00A0Smith')).toBe('Mary-Jane Smith');
    for (const name of ['Patrícia <img src=x onerror=alert(1)>', 'Ana: your account is suspended, visit evil.example', 'Ana 2']) {
      expect(issuesOf(() => named(name))).toEqual([{ where: 'name', problem: 'use letters, spaces, hyphens, apostrophes and periods only' }]);
    }
    expect(issuesOf(() => named('A'.repeat(71)))).toEqual([{ where: 'name', problem: 'must be at most 70 characters' }]);
    expect(parseJoinAnswer(asFields(joinFields([['department', 'Sales\u2028URGENT\u200e']])), CATALOG).department).toBe('Sales URGENT');
  });

  it('asks for at least one skill, and refuses one skill both taught and learned', () => {
    const none = joinFields([], ['teach:ai-tools', 'teach:social-media', 'learn:negotiation', 'proposed']);
    expect(issuesOf(() => parseJoinAnswer(asFields(none), CATALOG))).toEqual([{ where: 'skills', problem: 'choose at least one skill to teach or to learn' }]);
    const both = joinFields([['learn:ai-tools', '2']]);
    expect(issuesOf(() => parseJoinAnswer(asFields(both), CATALOG))).toEqual([{ where: 'skills', problem: 'a skill cannot be both taught and learned' }]);
  });

  it('ignores a skill id that is not in the catalog, so a forged form cannot add one', () => {
    const answer = parseJoinAnswer(asFields(joinFields([['teach:made-up', '5']])), CATALOG);
    expect(answer.teaches.map((t) => t.skill)).not.toContain('made-up');
  });

  it('splits proposed skills on commas, semicolons and new lines, as people list them', () => {
    expect(splitProposedSkills('Excel avançado, IA generativa;\nPower BI ,, ')).toEqual(['Excel avançado', 'IA generativa', 'Power BI']);
  });

  it('accepts IANA time zones the runtime knows, and nothing else', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Lisboa')).toBe(false);
    expect(isTimeZone('../etc/passwd')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

let cycleCount = 0;

/** A running cycle of the sample roster with enrollment open; every request moves the clock on a second. */
async function enrollmentCycle(p: Program = program) {
  const store = new InMemoryStore();
  let time = START;
  const clock = { now: () => (time += 1000) };
  const cycleId = `enr${++cycleCount}`;
  await store.putProgram(p);
  await importRoster(store, { programId: p.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle(newCycle(p, cycleId, START));
  const cycle = await store.getCycle(cycleId);
  const invited = await invitees(store, cycle as NonNullable<typeof cycle>);
  await store.openPhase(cycleId, 'enrollment', { openedAt: START, deadline: START + 14 * DAY, expected: invited.length });
  const deps: SurveyDeps = { store, clock, signer, matcher };
  const token = (participantId: string) => signer.sign({ cycleId, participantId, phaseKey: 'enrollment', expiresAt: Math.floor((START + 30 * DAY) / 1000) });
  return {
    store,
    deps,
    cycleId,
    invited,
    clock,
    show: (participantId: string) => showSurvey(deps, token(participantId), ACTION),
    post: (participantId: string, action: string, fields: Array<[string, string]> = []) => {
      const t = token(participantId);
      return submitSurvey(deps, t, new URLSearchParams([['_action', action], ['_bind', formBinding(signer, t)], ...fields]).toString(), ACTION);
    },
  };
}

describe('enrollment over the in-memory store', () => {
  it('invites every active person on the roster and runs only in programs with an enrollment window', async () => {
    const c = await enrollmentCycle();
    const roster = await c.store.listParticipants(program.programId);
    expect(c.invited.map((i) => i.participantId)).toEqual(roster.filter((p) => p.status === 'active').map((p) => p.participantId));
    expect(c.invited.every((i) => i.partners.length === 0)).toBe(true);
    expect(optionalPhasesOf(program)).toEqual({ enrollment: true });
    expect(optionalPhasesOf(withoutEnrollment)).toEqual({ enrollment: false });
  });

  it('shows an invitee who is no member yet the join page, pre-filled from the roster, without changing anything', async () => {
    const c = await enrollmentCycle();
    const person = c.invited[0];
    const page = await c.show(person?.participantId as string);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`value="${person?.name}"`);
    expect(page.html).toContain('name="teach:ai-tools"');
    expect(page.html).toContain('name="consent" value="yes" required');
    expect((await c.store.getCycle(c.cycleId))?.responses).toEqual({});
  });

  it('records a join, lets the person change it and then decline before the deadline, and counts the funnel', async () => {
    const c = await enrollmentCycle();
    const [first, second] = c.invited.map((i) => i.participantId) as [string, string];
    const joined = await c.post(first, 'answer', joinFields());
    expect(joined.status).toBe(200);
    expect(joined.html).toMatch(/Inscrição confirmada|You joined/);
    const again = await c.show(first);
    expect(again.html).toContain('<option value="4" selected>4</option>');
    expect(again.html).toMatch(/Você já se inscreveu|You have joined/);

    expect((await c.post(first, 'answer', joinFields([['teach:ai-tools', '5']]))).status).toBe(200);
    const stored = (await c.store.getResponse(c.cycleId, 'enrollment', first)) as StoredResponse<EnrollmentAnswer>;
    expect(stored.answer.decision === 'joined' && stored.answer.teaches).toContainEqual({ skill: 'ai-tools', level: 5 });

    expect((await c.post(second, 'decline', [['reason', 'Licença no próximo trimestre']])).status).toBe(200);
    let status = await cycleStatus({ store: c.store }, c.cycleId);
    expect(status.phases.find((p) => p.phase === 'enrollment')?.detail).toEqual({
      invited: c.invited.length,
      joined: 1,
      declined: 1,
      noAnswer: c.invited.length - 2,
    });

    expect((await c.post(first, 'decline')).status).toBe(200);
    status = await cycleStatus({ store: c.store }, c.cycleId);
    expect(status.phases.find((p) => p.phase === 'enrollment')?.responses).toBe(2);
    expect(status.phases.find((p) => p.phase === 'enrollment')?.detail).toMatchObject({ joined: 0, declined: 2 });
    expect(enrollment.opsLines((await c.store.getCycle(c.cycleId)) as never, {}).map((l) => l.label)).toEqual([
      'Invited',
      'Joined',
      'Declined',
      'No answer',
      'Deadline',
    ]);
  });

  it('refuses a join that does not validate with the errors on the page and what was typed, storing nothing', async () => {
    const c = await enrollmentCycle();
    const person = c.invited[0]?.participantId as string;
    const page = await c.post(person, 'answer', joinFields([['department', 'Finanças & Controle']], ['consent']));
    expect(page.status).toBe(400);
    expect(page.html).toContain('role="alert"');
    expect(page.html).toContain('href="#consent"');
    expect(page.html).toContain('value="Finanças &amp; Controle"');
    expect(await c.store.getResponse(c.cycleId, 'enrollment', person)).toBeUndefined();
    expect(await c.store.getDeclaration(program.programId, person)).toBeUndefined();
  });

  it('keeps the join form filled in when a decline’s reason is refused, showing the reason as typed', async () => {
    const c = await enrollmentCycle();
    const person = c.invited[0]?.participantId as string;
    const roster = await c.store.getParticipant(program.programId, person);
    const refused = await c.post(person, 'decline', [['reason', 'x'.repeat(501)]]);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('href="#reason"');
    expect(refused.html).toContain(`value="${roster?.name}"`);
    expect(refused.html).toContain(`value="${roster?.department}"`);
    expect(refused.html).toContain(`>${'x'.repeat(500)}</textarea>`);
    expect(await c.store.getResponse(c.cycleId, 'enrollment', person)).toBeUndefined();
  });

  it('tells someone who left the program, on their join link, that they left, in their language, changing nothing', async () => {
    const c = await enrollmentCycle();
    await c.store.setParticipantStatus(program.programId, 'p01', 'opted-out');
    const page = await c.show('p01');
    expect(page.status).toBe(200);
    expect(page.html).toContain('lang="pt-BR"');
    expect(page.html).toContain('Você saiu do programa');
    const post = await c.post('p01', 'answer', joinFields());
    expect(post.html).toContain('Você saiu do programa');
    expect(await c.store.getResponse(c.cycleId, 'enrollment', 'p01')).toBeUndefined();
  });

  it('refuses answers once enrollment closed', async () => {
    const c = await enrollmentCycle();
    const person = c.invited[0]?.participantId as string;
    await c.store.closePhase(c.cycleId, 'enrollment', START + 14 * DAY);
    expect((await c.post(person, 'answer', joinFields())).status).toBe(410);
    expect((await c.show(person)).status).toBe(410);
  });

  it('pairs only those who joined, as they declared themselves, and pre-fills their next join page from the declaration', async () => {
    const c = await enrollmentCycle();
    const people = c.invited.map((i) => i.participantId);
    const joiners = people.slice(0, -3);
    const roster = await c.store.listParticipants(program.programId);
    for (const [i, id] of joiners.entries()) {
      // Each joiner confirms what the roster holds of them, under a name of their own choosing.
      const entry = roster.find((p) => p.participantId === id);
      const skills: Array<[string, string]> = [
        ...(entry?.skillsOffered ?? []).map((s): [string, string] => [`teach:${s.skill}`, String(s.level)]),
        ...(entry?.skillsWanted ?? []).map((s): [string, string] => [`learn:${s.skill}`, String(s.priority)]),
      ];
      const fields = joinFields(
        [...skills, ['name', `Joiner ${String.fromCharCode(65 + i)}`]],
        ['teach:ai-tools', 'teach:social-media', 'learn:negotiation', 'learn:public-speaking', 'proposed'],
      );
      expect((await c.post(id, 'answer', fields)).status).toBe(200);
    }
    await c.post(people.at(-1) as string, 'decline');
    const cycle = await c.store.getCycle(c.cycleId);
    const pairable = await rosterToPair(c.deps, cycle as never, await c.store.listParticipants(program.programId));
    expect(pairable.map((p) => p.participantId).sort()).toEqual([...joiners].sort());
    expect(pairable.find((p) => p.participantId === joiners[0])).toMatchObject({ name: 'Joiner A', department: 'Marketing', timeZone: 'America/Sao_Paulo' });

    await c.store.closePhase(c.cycleId, 'enrollment', START + DAY);
    const result = await identifyCohort(
      { store: c.store, emailLog: c.store, mailer: { send: () => Promise.reject(new Error('no mail here')) }, clock: c.clock, matcher },
      c.cycleId,
    );
    expect(result.pairs).toBeGreaterThan(0);
    const members = await c.store.listMembers(c.cycleId);
    expect(members.every((m) => joiners.includes(m.participantId))).toBe(true);

    // The next cycle: the join page starts from what the person declared, consent asked again.
    const next = await enrollmentCycleOn(c.store);
    const page = await next.show(joiners[0] as string);
    expect(page.html).toContain('value="Joiner A"');
    expect(page.html).toContain('<option value="4" selected>4</option>');
    expect(page.html).not.toMatch(/name="consent" value="yes" required aria-describedby="privacy" checked/);
  });

  it('leaves those who did not join out of the unmatched that HR reviews', async () => {
    const withApproval = programSchema.parse({
      ...program,
      programId: 'enrollment-approval',
      approval: { required: true, deadline: 'P2D', onDeadline: 'approve' },
    });
    const c = await enrollmentCycle(withApproval);
    const people = c.invited.map((i) => i.participantId);
    const joiners = people.slice(0, -3);
    const roster = await c.store.listParticipants(withApproval.programId);
    for (const id of joiners) {
      const entry = roster.find((p) => p.participantId === id);
      const skills: Array<[string, string]> = [
        ...(entry?.skillsOffered ?? []).map((s): [string, string] => [`teach:${s.skill}`, String(s.level)]),
        ...(entry?.skillsWanted ?? []).map((s): [string, string] => [`learn:${s.skill}`, String(s.priority)]),
      ];
      expect(
        (await c.post(id, 'answer', joinFields(skills, ['teach:ai-tools', 'teach:social-media', 'learn:negotiation', 'learn:public-speaking', 'proposed'])))
          .status,
      ).toBe(200);
    }
    await c.store.closePhase(c.cycleId, 'enrollment', START + DAY);
    const deps = { store: c.store, emailLog: c.store, mailer: { send: async () => ({ messageId: 'm' }) }, clock: c.clock, matcher };
    await identifyCohort(deps, c.cycleId);
    await approvalStep(deps, c.cycleId);
    const unmatched = (await c.store.getCycle(c.cycleId))?.approval?.unmatched.map((u) => u.participantId) ?? [];
    expect(unmatched.every((id) => joiners.includes(id))).toBe(true);
  });

  it('keeps a program without enrollment pairing its whole roster', async () => {
    const store = new InMemoryStore();
    await store.putProgram(withoutEnrollment);
    await importRoster(store, { programId: withoutEnrollment.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
    await store.createCycle(newCycle(withoutEnrollment, 'plain', START));
    const roster = await store.listParticipants(withoutEnrollment.programId);
    expect(await rosterToPair({ store }, (await store.getCycle('plain')) as never, roster)).toEqual(roster);
    expect((await cycleStatus({ store }, 'plain')).phases.map((p) => p.phase)).not.toContain('enrollment');
  });
});

/** A second cycle of the same program on the same store, enrollment open. */
async function enrollmentCycleOn(store: InMemoryStore) {
  const cycleId = `enr${++cycleCount}`;
  await store.createCycle(newCycle(program, cycleId, START + 200 * DAY));
  await store.openPhase(cycleId, 'enrollment', { openedAt: START + 200 * DAY, deadline: START + 214 * DAY, expected: 1 });
  const deps: SurveyDeps = { store, clock: { now: () => START + 201 * DAY }, signer, matcher };
  const token = (participantId: string) => signer.sign({ cycleId, participantId, phaseKey: 'enrollment', expiresAt: Math.floor((START + 230 * DAY) / 1000) });
  return { show: (participantId: string) => showSurvey(deps, token(participantId), ACTION) };
}

describe('what a person declared at enrollment, as a schedule', () => {
  it('turns picked slots into weekly windows in their own time zone, and ignores what is no slot', () => {
    expect(availabilityOfSlots(['mon-morning', 'wed-evening', 'sun-afternoon', 'someday-later'])).toEqual([
      { weekday: 1, from: '08:00', to: '12:00' },
      { weekday: 3, from: '18:00', to: '21:00' },
      { weekday: 7, from: '13:00', to: '18:00' },
    ]);
  });

  it('gives the roster entry the declared time zone and hours, keeping the roster’s hours when none were picked', () => {
    const declaration = {
      programId: 'p',
      participantId: 'ana',
      cycleId: 'c',
      declaredAt: 0,
      name: 'Ana Souza',
      department: 'TI',
      skillsOffered: [],
      skillsWanted: [],
      proposedSkills: [],
      languages: ['pt'],
      timeZone: 'America/Manaus',
      availability: ['tue-evening'],
    };
    const roster = {
      name: 'Ana',
      department: 'IT',
      skillsOffered: [],
      skillsWanted: [],
      languages: ['en'],
      availability: [{ weekday: 5, from: '09:00', to: '10:00' }],
    };
    expect(withDeclaration(roster, declaration)).toMatchObject({ timeZone: 'America/Manaus', availability: [{ weekday: 2, from: '18:00', to: '21:00' }] });
    expect(withDeclaration(roster, { ...declaration, availability: [] }).availability).toEqual(roster.availability);
  });
});
