import { randomUUID } from 'node:crypto';
import type { Cycle, Member, Pair, PhaseState } from '../domain/cycle.ts';
import { durationToSeconds } from '../domain/duration.ts';
import { timeLeftInWords } from '../domain/duration-format.ts';
import { issuesFromZod, type ValidationIssue } from '../domain/errors.ts';
import { escapeHtml } from '../domain/html.ts';
import { dateIn, dayLimitProblems, dayLimitReached, dayTally, MEETING_MINUTES, type DayTally } from '../domain/meetings.ts';
import type { Language } from '../domain/program.ts';
import { skillLabel } from '../domain/skills.ts';
import { typedDecimal, type FormFields, type GoalSettingAnswer } from '../domain/surveys.ts';
import * as z from '../domain/validation.ts';
import type { MeetingRecord, TeachingDirection } from './participant-records.ts';
import type { Participant } from '../domain/participant.ts';
import { checkInRounds } from './phases/run/index.ts';
import type { PageResult, SurveyDeps, SurveyLink } from './phases/survey-types.ts';
import { leftTheProgram } from './phases/members.ts';
import { visitTimeZone, visitToday } from './member-time-zone.ts';
import { hiddenFields, layout, localProblem, noticePage } from './survey-pages.ts';

/**
 * The pair page: one signed link per member (phase key `pair`) that shows the partner's contact,
 * both members' goals, the skills each way, the meetings logged, the next check-in, what the
 * program expects, how to reach HR and how to leave; and a form to log a meeting. A GET only
 * renders (the meeting id in the form is fresh on each render and written only by the POST).
 */

export { PAIR_PAGE_KEY } from './pair-page-key.ts';

export interface PairVisit {
  cycle: Cycle;
  member: Member;
  language: Language;
  link: SurveyLink;
  /** The signed "leave the program" link shown at the bottom. */
  optOutLink: string;
  now: number;
  /** The person's roster entry, read when the link was resolved. */
  rosterEntry?: Participant | undefined;
}

const texts = {
  en: {
    title: 'Your mentoring pair',
    partner: 'Your partner',
    email: 'Email',
    department: 'Department',
    language: 'Preferred language',
    languages: { en: 'English', 'pt-BR': 'Portuguese (Brazil)' },
    youTeach: 'You teach',
    youLearn: 'You learn',
    yourGoals: 'Your goals',
    partnerGoals: (name: string) => `${name}’s goals`,
    noGoals: 'Not set yet.',
    meetings: 'Meetings logged',
    noMeetings: 'No meeting logged yet.',
    minutes: (n: number) => `${n} min`,
    nextCheckIn: 'Next check-in',
    checkInAt: (when: string) => `The next check-in email arrives on ${when}.`,
    checkInsLater: 'Check-ins start when the run phase begins, after goal-setting.',
    noCheckIn: 'No more check-ins in this cycle.',
    expectations: 'What the program expects',
    expectationsText: (cadence: string, duration: string) => `Meet at least once every ${cadence}, for ${duration}.`,
    logHeading: 'Log a meeting',
    withPartner: 'With',
    date: 'Date you met',
    length: 'Length in minutes (optional)',
    skills: 'What you worked on (optional)',
    teachSkill: (skill: string) => `${skill} (you taught)`,
    learnSkill: (skill: string) => `${skill} (you learned)`,
    log: 'Log this meeting',
    logged: 'Thank you, the meeting is logged.',
    alreadyLogged: 'This meeting was logged already, so nothing was changed.',
    notYet: 'Meetings can be logged once the run phase begins, after goal-setting; nothing was logged.',
    fix: 'Please fix the following:',
    help: 'Need help?',
    helpText: (hr: string) => `Write to HR at ${hr}: they can help with meetings, with your partner or with the program.`,
    leave: 'Leave the program',
    leaveText: 'You can leave the program at any time:',
    partnerLeft: (name: string) =>
      `${name} has left the program, so there is nothing more to arrange with them and no meeting with them can be logged. The meetings logged before stay below. HR will be in touch about what happens next.`,
    leftProblem: 'has left the program: meetings with them can no longer be logged',
  },
  'pt-BR': {
    title: 'Sua dupla de mentoria',
    partner: 'Sua dupla',
    email: 'E-mail',
    department: 'Área',
    language: 'Idioma preferido',
    languages: { en: 'inglês', 'pt-BR': 'português (Brasil)' },
    youTeach: 'Você ensina',
    youLearn: 'Você aprende',
    yourGoals: 'Suas metas',
    partnerGoals: (name: string) => `Metas de ${name}`,
    noGoals: 'Ainda não definidas.',
    meetings: 'Encontros registrados',
    noMeetings: 'Nenhum encontro registrado ainda.',
    minutes: (n: number) => `${n} min`,
    nextCheckIn: 'Próximo acompanhamento',
    checkInAt: (when: string) => `O próximo e-mail de acompanhamento chega em ${when}.`,
    checkInsLater: 'Os acompanhamentos começam com a fase de execução, depois da definição de metas.',
    noCheckIn: 'Não há mais acompanhamentos neste ciclo.',
    expectations: 'O que o programa espera',
    expectationsText: (cadence: string, duration: string) => `Encontrem-se pelo menos uma vez a cada ${cadence}, durante ${duration}.`,
    logHeading: 'Registrar um encontro',
    withPartner: 'Com',
    date: 'Data do encontro',
    length: 'Duração em minutos (opcional)',
    skills: 'O que vocês trabalharam (opcional)',
    teachSkill: (skill: string) => `${skill} (você ensinou)`,
    learnSkill: (skill: string) => `${skill} (você aprendeu)`,
    log: 'Registrar este encontro',
    logged: 'Obrigado, o encontro foi registrado.',
    alreadyLogged: 'Este encontro já estava registrado, então nada foi alterado.',
    notYet: 'Os encontros podem ser registrados quando a fase de execução começar, depois da definição de metas; nada foi registrado.',
    fix: 'Corrija o seguinte:',
    help: 'Precisa de ajuda?',
    helpText: (hr: string) => `Escreva para o RH em ${hr}: eles ajudam com os encontros, com a sua dupla ou com o programa.`,
    leave: 'Sair do programa',
    leaveText: 'Você pode sair do programa a qualquer momento:',
    partnerLeft: (name: string) =>
      `${name} saiu do programa, então não há mais nada a combinar e nenhum encontro com essa pessoa pode ser registrado. Os encontros registrados antes continuam abaixo. O RH entrará em contato sobre os próximos passos.`,
    leftProblem: 'saiu do programa: não é mais possível registrar encontros com essa pessoa',
  },
} as const satisfies Record<Language, unknown>;

/** The key goal-setting answers are stored under (as services/phases/goal-setting/survey.ts reads them). */
const GOAL_SETTING_KEY = 'goal-setting';

interface PairView {
  pair: Pair;
  partner: Member;
  isMentor: boolean;
  /** The partner left the program (opted out): the page shows no contact, and no meeting with them can be logged. */
  left: boolean;
}

/**
 * The member's pairs and partners, read one by one from the pairs the member names: a page for one
 * person costs a few reads whatever the size of the cycle (reading every pair and member of a
 * 10,000-person cycle on each click made the pages the cost of a large cycle).
 */
async function pairsOf(deps: SurveyDeps, cycle: Cycle, member: Member): Promise<PairView[]> {
  const pairIds = [...new Set(member.partners.map((p) => p.pairId))].sort();
  const views = await Promise.all(
    pairIds.map(async (pairId): Promise<PairView[]> => {
      const pair = await deps.store.getPair(cycle.cycleId, pairId);
      if (!pair || pair.status === 'declined' || (pair.mentorId !== member.participantId && pair.menteeId !== member.participantId)) return [];
      const isMentor = pair.mentorId === member.participantId;
      const partnerId = isMentor ? pair.menteeId : pair.mentorId;
      const [partner, entry] = await Promise.all([deps.store.getMember(cycle.cycleId, partnerId), deps.store.getParticipant(cycle.programId, partnerId)]);
      return partner && !partner.declined ? [{ pair, partner, isMentor, left: leftTheProgram(entry) }] : [];
    }),
  );
  return views.flat();
}

function labelOf(cycle: Cycle, language: Language): (id: string) => string {
  const catalog = new Map(cycle.program.skillsCatalog.map((s) => [s.id, s]));
  return (id) => {
    const skill = catalog.get(id);
    return skill ? skillLabel(skill, language) : id;
  };
}

const teachesIn = ({ pair, isMentor }: PairView) => (isMentor ? pair.skillsTaught.byMentor : pair.skillsTaught.byMentee);
const learnsIn = ({ pair, isMentor }: PairView) => (isMentor ? pair.skillsTaught.byMentee : pair.skillsTaught.byMentor);

function when(at: number, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** The next check-in email of the run, if the run is open and has one left. */
function nextCheckIn(visit: PairVisit): string {
  const c = texts[visit.language];
  const run = visit.cycle.phases.run;
  if (!run) return c.checkInsLater;
  const next = checkInRounds(visit.cycle.program, run).find((r) => r.at > visit.now);
  return next && run.closedAt === undefined ? c.checkInAt(when(next.at, visit.language)) : c.noCheckIn;
}

const list = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

async function render(
  deps: SurveyDeps,
  visit: PairVisit,
  form: { errors?: ValidationIssue[]; values?: Record<string, string>; notice?: string } = {},
): Promise<string> {
  const { cycle, member, language } = visit;
  const c = texts[language];
  const label = labelOf(cycle, language);
  const views = await pairsOf(deps, cycle, member);
  const people = [member.participantId, ...views.map((v) => v.partner.participantId)];
  const [goalAnswers, meetingsByPair] = await Promise.all([
    Promise.all(people.map((id) => deps.store.getResponse(cycle.cycleId, GOAL_SETTING_KEY, id))),
    Promise.all(views.map((v) => deps.store.listMeetingsOfPair(cycle.cycleId, v.pair.pairId))),
  ]);
  const goals = goalAnswers.flatMap((r) => (r ? [r] : []));
  const meetings = meetingsByPair.flat();
  const goalsOf = (id: string) => (goals.find((r) => r.participantId === id)?.answer as GoalSettingAnswer | undefined)?.goals ?? [];
  const program = cycle.program;
  const inWords = (iso: string) => timeLeftInWords(durationToSeconds(iso) * 1000, language);
  const parts: string[] = [];
  if (form.notice) parts.push(`<p role="status">${escapeHtml(form.notice)}</p>`);
  for (const view of views) {
    const { partner } = view;
    const logged = meetings.filter((m) => m.pairId === view.pair.pairId);
    // A partner who left keeps their name and the pair's history here, not their contact nor their goals.
    const contact = view.left
      ? `<p role="status">${escapeHtml(c.partnerLeft(partner.name))}</p>`
      : `<p>${escapeHtml(c.email)}: <a href="mailto:${escapeHtml(partner.email)}">${escapeHtml(partner.email)}</a><br>${escapeHtml(c.department)}: ${escapeHtml(partner.department)}<br>${escapeHtml(c.language)}: ${escapeHtml(c.languages[partner.language])}</p>`;
    const partnerGoals = view.left
      ? ''
      : `<h3>${escapeHtml(c.partnerGoals(partner.name))}</h3>${goalsOf(partner.participantId).length ? list(goalsOf(partner.participantId)) : `<p>${escapeHtml(c.noGoals)}</p>`}`;
    parts.push(
      `<h2>${escapeHtml(c.partner)}: ${escapeHtml(partner.name)}</h2>` +
        contact +
        (teachesIn(view).length ? `<p><strong>${escapeHtml(c.youTeach)}:</strong> ${escapeHtml(teachesIn(view).map(label).join(', '))}</p>` : '') +
        (learnsIn(view).length ? `<p><strong>${escapeHtml(c.youLearn)}:</strong> ${escapeHtml(learnsIn(view).map(label).join(', '))}</p>` : '') +
        `<h3>${escapeHtml(c.yourGoals)}</h3>${goalsOf(member.participantId).length ? list(goalsOf(member.participantId)) : `<p>${escapeHtml(c.noGoals)}</p>`}` +
        partnerGoals +
        `<h3>${escapeHtml(c.meetings)}</h3>` +
        (logged.length
          ? list(
              logged
                .sort((a, b) => a.date.localeCompare(b.date))
                .map((m) => [m.date, m.minutes ? c.minutes(m.minutes) : '', m.skills.map((s) => label(s.skill)).join(', ')].filter(Boolean).join(' — ')),
            )
          : `<p>${escapeHtml(c.noMeetings)}</p>`),
    );
  }
  parts.push(`<h2>${escapeHtml(c.nextCheckIn)}</h2><p>${escapeHtml(nextCheckIn(visit))}</p>`);
  parts.push(
    `<h2>${escapeHtml(c.expectations)}</h2><p>${escapeHtml(c.expectationsText(inWords(program.checkInCadence), inWords(program.phaseWindows.run)))}</p>`,
  );
  const active = views.filter((v) => !v.left);
  const today = await visitToday(deps.store, visit);
  if (active.length && cycle.status === 'running')
    parts.push(
      cycle.phases.run ? meetingForm(visit, active, label, form, today) : `<h2 id="log">${escapeHtml(c.logHeading)}</h2><p>${escapeHtml(c.notYet)}</p>`,
    );
  // A meeting refused with no form left to show (the only partner left): the reason still shows.
  else if (form.errors?.length) parts.push(`<h2 id="log">${escapeHtml(c.logHeading)}</h2>${errorSummary(visit.language, form.errors)}`);
  const hr = program.hrContacts[0] as string;
  parts.push(`<h2>${escapeHtml(c.help)}</h2><p>${escapeHtml(c.helpText(hr))} <a href="mailto:${escapeHtml(hr)}">${escapeHtml(hr)}</a></p>`);
  parts.push(`<h2>${escapeHtml(c.leave)}</h2><p>${escapeHtml(c.leaveText)} <a href="${escapeHtml(visit.optOutLink)}">${escapeHtml(c.leave)}</a></p>`);
  return layout(language, c.title, parts.join('\n'), program.name);
}

/** Where each field of the meeting form is, for the error summary's links. */
const FIELD_IDS: Record<string, string> = { date: 'meeting-date', minutes: 'meeting-minutes', pair: 'meeting-pair' };

/** The meeting form's errors, each linked to its field. */
function errorSummary(language: Language, errors: readonly ValidationIssue[] | undefined): string {
  if (!errors?.length) return '';
  const c = texts[language];
  const fieldNames = { date: c.date, minutes: c.length, pair: c.withPartner, meeting: c.logHeading };
  return `<div class="errors" role="alert" tabindex="-1"><p>${escapeHtml(c.fix)}</p><ul>${errors.map((e) => `<li><a href="#${FIELD_IDS[e.where] ?? 'log'}">${escapeHtml(fieldNames[e.where as keyof typeof fieldNames] ?? e.where)}: ${escapeHtml(localProblem(language, e.problem))}</a></li>`).join('')}</ul></div>`;
}

function meetingForm(
  visit: PairVisit,
  views: PairView[],
  label: (id: string) => string,
  form: { errors?: ValidationIssue[]; values?: Record<string, string> },
  /** The member's date today where they are: the date field's default and latest day. */
  today: string,
): string {
  const c = texts[visit.language];
  const values = form.values ?? {};
  const errors = errorSummary(visit.language, form.errors);
  const partnerField =
    views.length > 1
      ? `<label for="meeting-pair">${escapeHtml(c.withPartner)}</label><select id="meeting-pair" name="pair">${views.map((v) => `<option value="${escapeHtml(v.pair.pairId)}"${values.pair === v.pair.pairId ? ' selected' : ''}>${escapeHtml(v.partner.name)}</option>`).join('')}</select>`
      : `<input type="hidden" name="pair" value="${escapeHtml(views[0]?.pair.pairId ?? '')}">`;
  const skills = views.flatMap((v) => [
    ...teachesIn(v).map((s) => ({ value: `${v.pair.pairId}|${s}`, text: c.teachSkill(label(s)) })),
    ...learnsIn(v).map((s) => ({ value: `${v.pair.pairId}|${s}`, text: c.learnSkill(label(s)) })),
  ]);
  const skillBoxes = skills.length
    ? `<fieldset><legend>${escapeHtml(c.skills)}</legend>${skills.map((s, i) => `<label class="choice" for="meeting-skill-${i}"><input type="checkbox" id="meeting-skill-${i}" name="skill" value="${escapeHtml(s.value)}">${escapeHtml(s.text)}</label>`).join('')}</fieldset>`
    : '';
  return (
    `<h2 id="log">${escapeHtml(c.logHeading)}</h2>${errors}<form method="post" action="${escapeHtml(visit.link.action)}">${hiddenFields('log-meeting', visit.link.binding)}` +
    `<input type="hidden" name="meeting" value="${escapeHtml(values.meeting ?? randomUUID())}">${partnerField}` +
    `<label for="meeting-date">${escapeHtml(c.date)}</label><input type="date" id="meeting-date" name="date" required value="${escapeHtml(values.date ?? today)}" max="${escapeHtml(today)}">` +
    `<label for="meeting-minutes">${escapeHtml(c.length)}</label><input type="number" id="meeting-minutes" name="minutes" min="${MEETING_MINUTES.min}" max="${MEETING_MINUTES.max}" step="5" inputmode="numeric" value="${escapeHtml(values.minutes ?? '')}">` +
    `${skillBoxes}<button type="submit">${escapeHtml(c.log)}</button></form>`
  );
}

/** GET: renders the page. Never writes anything. */
export async function showPairPage(deps: SurveyDeps, visit: PairVisit): Promise<PageResult> {
  return { status: 200, html: await render(deps, visit) };
}

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'));

/** The days a meeting of this run can be on: from the run's first day to today, or to its last day once it closed. */
function meetingDays(run: PhaseState, now: number, timeZone: string): { first: string; today: string; last?: string } {
  const today = dateIn(now, timeZone);
  return { first: dateIn(run.openedAt, timeZone), today, ...(run.closedAt !== undefined ? { last: dateIn(run.closedAt, timeZone) } : {}) };
}

/** The meeting fields, validated against the member's own pairs and skills, and the run's days. */
function meetingSchema(views: PairView[], days: { first: string; today: string; last?: string }, language: Language) {
  const { min, max } = MEETING_MINUTES;
  return z.object({
    pair: z.string().check(
      z.refine((id) => views.some((v) => v.pair.pairId === id), 'must be one of your partners'),
      z.refine((id) => !views.some((v) => v.pair.pairId === id && v.left), texts[language].leftProblem),
    ),
    date: isoDate.check(
      // Date.parse rolls 30 February over to March: a real date reads back as itself.
      z.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'must be a real date'),
      z.refine((d) => d >= days.first, `must be on or after the day the run began (${days.first})`),
      z.refine((d) => d <= days.today, 'must not be in the future'),
      z.refine((d) => days.last === undefined || d > days.today || d <= days.last, `must be on or before the day the run ended (${days.last ?? ''})`),
    ),
    // Typed digits only: z.coerce would read "0x1E" or "3e1" as 30 minutes.
    minutes: z.optional(
      z.pipe(typedDecimal, z.number().check(z.int('must be whole minutes'), z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`))),
    ),
    skills: z.array(z.string()),
  });
}

/** Where a meeting came from and its id: the pair page's form carries a fresh id, a check-in names its round. */
export interface MeetingOrigin {
  meetingId: string;
  source: MeetingRecord['source'];
  /** One meeting a pair and day, whoever logs it (a check-in's "we met"): a day with one logged already gives `loggedAlready`. */
  oncePerDay?: boolean;
}

/**
 * Reads a meeting from submitted fields (`pair`, `date`, `minutes`, `skill` as `<pairId>|<skillId>`),
 * as the pair page and the check-in page both send them: the meeting to record, or what to fix.
 */
export async function meetingFromFields(
  deps: SurveyDeps,
  visit: { cycle: Cycle; member: Member; now: number; language: Language; rosterEntry?: Participant | undefined },
  fields: FormFields,
  origin: MeetingOrigin,
): Promise<{ meeting: MeetingRecord; dayBefore: DayTally } | { errors: ValidationIssue[] } | { loggedAlready: true }> {
  const { cycle, member } = visit;
  const run = cycle.phases.run;
  if (!run) return { errors: [{ where: 'meeting', problem: RUN_NOT_OPEN }] };
  const views = await pairsOf(deps, cycle, member);
  const first = (name: string) => fields[name]?.[0];
  const minutes = first('minutes')?.trim();
  const input = { pair: first('pair') ?? '', date: first('date') ?? '', ...(minutes ? { minutes } : {}), skills: fields.skill ?? [] };
  const parsed = meetingSchema(views, meetingDays(run, visit.now, await visitTimeZone(deps.store, visit)), visit.language).safeParse(input);
  if (!parsed.success) return { errors: issuesFromZod(parsed.error) };
  const view = views.find((v) => v.pair.pairId === parsed.data.pair) as PairView;
  const logged = await deps.store.listMeetingsOfPair(cycle.cycleId, view.pair.pairId);
  const onDay = { meetingId: origin.meetingId, date: parsed.data.date, ...(parsed.data.minutes !== undefined ? { minutes: parsed.data.minutes } : {}) };
  // Before the day's limits: a meeting counted already cannot put the day over them.
  if (origin.oncePerDay && logged.some((m) => m.date === onDay.date)) return { loggedAlready: true };
  const overDay = dayLimitProblems(logged, onDay);
  if (overDay.length) return { errors: overDay };
  const direction = (skill: string): TeachingDirection | undefined =>
    view.pair.skillsTaught.byMentor.includes(skill) ? 'by-mentor' : view.pair.skillsTaught.byMentee.includes(skill) ? 'by-mentee' : undefined;
  const skills = parsed.data.skills.flatMap((value) => {
    const [pairId, skill] = value.split('|');
    const d = pairId === view.pair.pairId && skill ? direction(skill) : undefined;
    return d ? [{ skill: skill as string, direction: d }] : [];
  });
  return {
    meeting: {
      cycleId: cycle.cycleId,
      pairId: view.pair.pairId,
      meetingId: origin.meetingId,
      loggedBy: member.participantId,
      source: origin.source,
      date: parsed.data.date,
      ...(parsed.data.minutes !== undefined ? { minutes: parsed.data.minutes } : {}),
      skills,
      loggedAt: visit.now,
    },
    dayBefore: dayTally(logged, onDay),
  };
}

/** Why no meeting can be logged yet: the pairs meet during the run. */
const RUN_NOT_OPEN = 'meetings can be logged once the run phase begins';

const meetingIdField = z.uuid('is missing: reload the page and send the form again');

/** POST `_action=log-meeting`: validates the form and logs the meeting once (its id comes with the form). */
export async function logMeeting(deps: SurveyDeps, visit: PairVisit, fields: FormFields): Promise<PageResult> {
  const { cycle, language } = visit;
  const c = texts[language];
  if (cycle.status !== 'running') return { status: 410, html: noticePage(language, 'closed') };
  if (!cycle.phases.run) return { status: 409, html: await render(deps, visit, { notice: c.notYet }) };
  const first = (name: string) => fields[name]?.[0] ?? '';
  const meetingId = first('meeting');
  const values = { meeting: meetingId, pair: first('pair'), date: first('date').slice(0, 10), minutes: first('minutes').trim().slice(0, 5) };
  const idCheck = meetingIdField.safeParse(meetingId);
  const read = await meetingFromFields(deps, visit, fields, { meetingId, source: 'pair-page' });
  const errors = [...(idCheck.success ? [] : issuesFromZod(idCheck.error).map((e) => ({ ...e, where: 'meeting' }))), ...('errors' in read ? read.errors : [])];
  if (errors.length || !('meeting' in read)) return { status: 400, html: await render(deps, visit, { errors, values }) };
  const outcome = await deps.store.recordMeeting(read.meeting, read.dayBefore);
  if (outcome === 'over-day-limit') return { status: 409, html: await render(deps, visit, { errors: [dayLimitReached(read.meeting.date)], values }) };
  return { status: 200, html: await render(deps, visit, { notice: outcome === 'recorded' ? c.logged : c.alreadyLogged }) };
}
