import type { Cycle, StoredResponse } from '../../../domain/cycle.ts';
import {
  AVAILABILITY_SLOTS,
  MAX_DECLARED_NAME,
  SPOKEN_LANGUAGES,
  TIMES_OF_DAY,
  WEEKDAYS,
  declarationOf,
  parseDeclineAnswer,
  parseJoinAnswer,
  type EnrollmentAnswer,
  type EnrollmentDeclaration,
  type JoinAnswer,
} from '../../../domain/enrollment.ts';
import { ConflictError, ValidationError, type ValidationIssue } from '../../../domain/errors.ts';
import { escapeHtml } from '../../../domain/html.ts';
import type { Participant } from '../../../domain/participant.ts';
import type { Language, Skill } from '../../../domain/program.ts';
import { namesOf, skillLabel } from '../../../domain/skills.ts';
import { formFields, type FormFields, type SurveyContext } from '../../../domain/surveys.ts';
import { formPage, hiddenFields, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import { leftTheProgram, rosterEntry, rosterVisitor } from '../members.ts';
import { nothingAfterAnswer, noticeResult, pageResult, storedAnswer } from '../survey-common.ts';
import type { PageResult, PhaseSurvey, SurveyDeps, SurveyVisit } from '../survey-types.ts';

/**
 * Enrollment's join page: the program's goals, then one form to join (confirm name and
 * department; skills to teach with a level and to learn with a priority, from the catalog,
 * grouped, with a filter box when JavaScript runs; skills the catalog lacks; languages; time
 * zone and availability; consent to the privacy notice) and a small one to decline. Answers
 * can be changed until enrollment closes: the page is filled in with the current answer, or
 * else with what the person declared in an earlier cycle, or else with what the roster knows.
 */

const texts = {
  en: {
    title: 'Join the mentoring program',
    intro: (program: string) => `You are invited to ${program}: colleagues of different generations and departments pair up and teach each other.`,
    programGoals: 'The program’s goals and expectations',
    until: (deadline: string) => `You can change your answers from the same link until ${deadline}.`,
    joinedBefore: 'You have joined. Change anything below and send it again.',
    declinedBefore: 'You told us you cannot take part. You can still join below.',
    aboutYou: 'About you',
    name: 'Your name',
    department: 'Your department',
    skillsHeading: 'Skills',
    skillsHelp:
      'For each skill you can teach, choose your level (1 = beginner, 5 = expert); for each you want to learn, how much it matters to you (1 = a little, 5 = a lot). Leave the rest blank.',
    filter: 'Find a skill',
    digital: 'Digital skills',
    other: 'Other skills',
    teach: 'Teach: your level',
    learn: 'Learn: priority',
    notTeaching: 'I do not teach it',
    notLearning: 'I do not want to learn it',
    proposed: 'Skills missing from the list (optional, separated by commas)',
    languages: 'Languages you can mentor in',
    timeZone: 'Your time zone',
    chooseTimeZone: 'Choose…',
    availability: 'When are you usually available? (in your time zone)',
    days: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
    times: { morning: 'morning', afternoon: 'afternoon', evening: 'evening' },
    privacyHeading: 'Your data',
    privacy: (program: string) =>
      `${program} uses your name, email, department, birth year and manager (from HR), and what you declare here (skills, languages, time zone, availability), to form pairs and to measure the program's results. HR and the program's operators see them; reports show no figure about fewer than five people. They are kept while you take part; leaving the program stops all emails, and HR deletes your data on request.`,
    consent: 'I agree that the program uses my data as described above',
    join: 'Join the program',
    declineHeading: 'Cannot take part this time?',
    declineHelp: 'HR sees the reason, if you give one. You can change your mind until enrollment closes.',
    reason: 'Reason (optional)',
    decline: 'Decline the invitation',
  },
  'pt-BR': {
    title: 'Participe do programa de mentoria',
    intro: (program: string) => `Você foi convidado(a) para ${program}: colegas de gerações e áreas diferentes formam duplas e ensinam uns aos outros.`,
    programGoals: 'Metas e expectativas do programa',
    until: (deadline: string) => `Você pode mudar suas respostas pelo mesmo link até ${deadline}.`,
    joinedBefore: 'Você já se inscreveu. Altere o que quiser abaixo e envie de novo.',
    declinedBefore: 'Você avisou que não pode participar. Ainda dá para se inscrever abaixo.',
    aboutYou: 'Sobre você',
    name: 'Seu nome',
    department: 'Sua área',
    skillsHeading: 'Habilidades',
    skillsHelp:
      'Para cada habilidade que você pode ensinar, escolha seu nível (1 = iniciante, 5 = especialista); para cada uma que quer aprender, o quanto ela importa para você (1 = pouco, 5 = muito). Deixe as outras em branco.',
    filter: 'Buscar uma habilidade',
    digital: 'Habilidades digitais',
    other: 'Outras habilidades',
    teach: 'Ensinar: seu nível',
    learn: 'Aprender: prioridade',
    notTeaching: 'Não ensino',
    notLearning: 'Não quero aprender',
    proposed: 'Habilidades que faltam na lista (opcional, separadas por vírgulas)',
    languages: 'Idiomas em que você pode fazer mentoria',
    timeZone: 'Seu fuso horário',
    chooseTimeZone: 'Escolha…',
    availability: 'Quando você costuma estar disponível? (no seu fuso horário)',
    days: { mon: 'Segunda', tue: 'Terça', wed: 'Quarta', thu: 'Quinta', fri: 'Sexta', sat: 'Sábado', sun: 'Domingo' },
    times: { morning: 'manhã', afternoon: 'tarde', evening: 'noite' },
    privacyHeading: 'Seus dados',
    privacy: (program: string) =>
      `${program} usa seu nome, email, área, ano de nascimento e gestor (vindos do RH) e o que você declarar aqui (habilidades, idiomas, fuso horário, disponibilidade) para formar duplas e medir os resultados do programa. O RH e a equipe de operação do programa os veem; os relatórios não mostram números sobre menos de cinco pessoas. Eles são mantidos enquanto você participa; sair do programa interrompe todos os emails, e o RH apaga seus dados se você pedir.`,
    consent: 'Concordo que o programa use meus dados como descrito acima',
    join: 'Quero participar',
    declineHeading: 'Não pode participar desta vez?',
    declineHelp: 'O RH vê o motivo, se você informar. Você pode mudar de ideia até o fim das inscrições.',
    reason: 'Motivo (opcional)',
    decline: 'Recusar o convite',
  },
} satisfies Record<Language, unknown>;

/** The languages offered, each named in itself. */
const LANGUAGE_NAMES: Record<(typeof SPOKEN_LANGUAGES)[number], string> = {
  pt: 'Português',
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  it: 'Italiano',
  ja: '日本語',
  zh: '中文',
};

/** The IANA time zones the runtime knows (what the parser accepts), UTC included. */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}

/** What the join page shows besides the shared form page input. */
export interface JoinPageInput extends FormPageInput {
  catalog: readonly Skill[];
  goalsAndExpectations: string;
  deadline?: Date;
  /** The person's current answer, when they answered already. */
  previous?: EnrollmentAnswer['decision'];
  /** Checkboxes to show checked, as `<name>=<value>` (`language=pt`, `slot=mon-morning`, `consent=yes`). */
  checked: readonly string[];
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function levelSelect(id: string, name: string, label: string, none: string, selected: string | undefined): string {
  const options = [1, 2, 3, 4, 5].map((n) => `<option value="${n}"${selected === String(n) ? ' selected' : ''}>${n}</option>`).join('');
  return `<div><label for="${id}">${label}</label><select id="${id}" name="${escapeHtml(name)}"><option value="">${escapeHtml(none)}</option>${options}</select></div>`;
}

/** The join page: GET renders it, a rejected answer renders it again with the errors and what was typed. */
export function joinPage(input: JoinPageInput): string {
  const c = texts[input.language];
  const value = (name: string) => escapeHtml(input.values?.[name] ?? '');
  const checked = new Set(input.checked);
  const isChecked = (name: string, v: string) => (checked.has(`${name}=${v}`) ? ' checked' : '');
  const labels: FieldLabels = {
    name: { id: 'name', label: c.name },
    department: { id: 'department', label: c.department },
    skills: { id: 'teach-0', label: c.skillsHeading },
    proposed: { id: 'proposed', label: c.proposed },
    language: { id: 'language-0', label: c.languages },
    timeZone: { id: 'timeZone', label: c.timeZone },
    slot: { id: 'slot-0', label: c.availability },
    consent: { id: 'consent', label: c.consent },
    reason: { id: 'reason', label: c.reason },
  };

  const skillRows = (skills: ReadonlyArray<{ skill: Skill; index: number }>) =>
    skills
      .map(({ skill, index }) => {
        const label = skillLabel(skill, input.language);
        labels[`teach:${skill.id}`] = { id: `teach-${index}`, label: `${label} (${c.teach})` };
        labels[`learn:${skill.id}`] = { id: `learn-${index}`, label: `${label} (${c.learn})` };
        const hidden = (text: string) => `<span class="vh">${escapeHtml(label)}: </span>${escapeHtml(text)}`;
        return (
          // The filter matches every name of the skill (both languages, aliases), as the roster import reads them.
          `<fieldset class="skill" data-label="${escapeHtml(fold([label, ...namesOf(skill)].join(' | ')))}"><legend>${escapeHtml(label)}</legend><div class="pick">` +
          levelSelect(`teach-${index}`, `teach:${skill.id}`, hidden(c.teach), c.notTeaching, input.values?.[`teach:${skill.id}`]) +
          levelSelect(`learn-${index}`, `learn:${skill.id}`, hidden(c.learn), c.notLearning, input.values?.[`learn:${skill.id}`]) +
          `</div></fieldset>`
        );
      })
      .join('');
  const indexed = input.catalog.map((skill, index) => ({ skill, index }));
  const groups = [
    { title: c.digital, skills: indexed.filter((s) => s.skill.digital) },
    { title: c.other, skills: indexed.filter((s) => !s.skill.digital) },
  ].filter((g) => g.skills.length);

  const zones = timeZones();
  const typedZone = input.values?.timeZone ?? '';
  const slots = WEEKDAYS.flatMap((day) =>
    TIMES_OF_DAY.map((time) => {
      const slot = `${day}-${time}`;
      const i = AVAILABILITY_SLOTS.indexOf(slot);
      return `<label class="choice" for="slot-${i}"><input type="checkbox" id="slot-${i}" name="slot" value="${slot}"${isChecked('slot', slot)}>${escapeHtml(`${c.days[day]} ${c.times[time]}`)}</label>`;
    }),
  ).join('');

  const fields = [
    `<fieldset><legend>${escapeHtml(c.aboutYou)}</legend>` +
      `<label for="name">${escapeHtml(c.name)}</label><input type="text" id="name" name="name" maxlength="${MAX_DECLARED_NAME}" required autocomplete="name" value="${value('name')}">` +
      `<label for="department">${escapeHtml(c.department)}</label><input type="text" id="department" name="department" maxlength="80" required value="${value('department')}"></fieldset>`,
    `<h2 id="skills">${escapeHtml(c.skillsHeading)}</h2><p class="hint" id="skills-help">${escapeHtml(c.skillsHelp)}</p>` +
      `<div id="skill-filter-box" hidden><label for="skill-filter">${escapeHtml(c.filter)}</label><input type="search" id="skill-filter" autocomplete="off"></div>` +
      groups.map((g) => `<h3>${escapeHtml(g.title)}</h3>${skillRows(g.skills)}`).join(''),
    `<label for="proposed">${escapeHtml(c.proposed)}</label><input type="text" id="proposed" name="proposed" maxlength="400" value="${value('proposed')}">`,
    `<fieldset><legend>${escapeHtml(c.languages)}</legend>${SPOKEN_LANGUAGES.map(
      (code, i) =>
        `<label class="choice" for="language-${i}"><input type="checkbox" id="language-${i}" name="language" value="${code}"${isChecked('language', code)}><span lang="${code}">${escapeHtml(LANGUAGE_NAMES[code])}</span></label>`,
    ).join('')}</fieldset>`,
    `<label for="timeZone">${escapeHtml(c.timeZone)}</label><select id="timeZone" name="timeZone" required><option value="">${escapeHtml(c.chooseTimeZone)}</option>${zones
      .map((zone) => `<option${zone === typedZone ? ' selected' : ''}>${escapeHtml(zone)}</option>`)
      .join('')}</select>`,
    `<fieldset><legend>${escapeHtml(c.availability)}</legend><div class="slots">${slots}</div></fieldset>`,
    `<fieldset><legend>${escapeHtml(c.privacyHeading)}</legend><p class="hint" id="privacy">${escapeHtml(c.privacy(input.programName ?? ''))}</p>` +
      `<label class="choice" for="consent"><input type="checkbox" id="consent" name="consent" value="yes" required aria-describedby="privacy"${isChecked('consent', 'yes')}>${escapeHtml(c.consent)}</label></fieldset>`,
  ];

  const intro = [
    `<p>${escapeHtml(c.intro(input.programName ?? ''))}</p>`,
    input.goalsAndExpectations ? `<h2>${escapeHtml(c.programGoals)}</h2><div class="goals">${escapeHtml(input.goalsAndExpectations)}</div>` : '',
    input.previous === 'joined' ? `<p role="status"><strong>${escapeHtml(c.joinedBefore)}</strong></p>` : '',
    input.previous === 'declined' ? `<p role="status"><strong>${escapeHtml(c.declinedBefore)}</strong></p>` : '',
    input.deadline ? `<p class="hint">${escapeHtml(c.until(formatDeadline(input.deadline, input.language)))}</p>` : '',
  ];
  const binding = input.binding ?? '';
  return formPage(
    { ...input, partners: [] },
    {
      title: c.title,
      intro,
      fields,
      labels,
      submit: c.join,
      script: true,
      after: [
        `<h2>${escapeHtml(c.declineHeading)}</h2><form method="post" action="${escapeHtml(input.action)}">${hiddenFields('decline', binding)}<p class="hint" id="decline-help">${escapeHtml(c.declineHelp)}</p>` +
          `<label for="reason">${escapeHtml(c.reason)}</label><textarea id="reason" name="reason" maxlength="500" aria-describedby="decline-help">${value('reason')}</textarea>` +
          `<button type="submit" class="secondary">${escapeHtml(c.decline)}</button></form>`,
      ],
    },
  );
}

function formatDeadline(deadline: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(deadline) + ' UTC';
}

/** What the page starts from: the current answer, else the last declaration, else the roster. */
interface Prefill {
  values: Record<string, string>;
  checked: string[];
}

const fromJoin = (
  declared: Pick<
    EnrollmentDeclaration,
    'name' | 'department' | 'skillsOffered' | 'skillsWanted' | 'proposedSkills' | 'languages' | 'timeZone' | 'availability'
  >,
  consent: boolean,
): Prefill => ({
  values: {
    name: declared.name,
    department: declared.department,
    proposed: declared.proposedSkills.join(', '),
    timeZone: declared.timeZone,
    ...Object.fromEntries(declared.skillsOffered.map((s) => [`teach:${s.skill}`, String(s.level)])),
    ...Object.fromEntries(declared.skillsWanted.map((s) => [`learn:${s.skill}`, String(s.priority)])),
  },
  checked: [...declared.languages.map((l) => `language=${l}`), ...declared.availability.map((s) => `slot=${s}`), ...(consent ? ['consent=yes'] : [])],
});

function fromRoster(participant: Participant | undefined, visit: SurveyVisit): Prefill {
  if (!participant) return { values: { name: visit.member.name, department: visit.member.department }, checked: [] };
  // The roster writes languages as HR does ("pt-BR", "Portuguese"): only the ones the page offers are ticked.
  const languages = participant.languages.map((l) => l.slice(0, 2).toLowerCase()).filter((l) => (SPOKEN_LANGUAGES as readonly string[]).includes(l));
  return {
    values: {
      name: participant.name,
      department: participant.department,
      timeZone: participant.timeZone ?? '',
      ...Object.fromEntries(participant.skillsOffered.map((s) => [`teach:${s.skill}`, String(s.level)])),
      ...Object.fromEntries(participant.skillsWanted.map((s) => [`learn:${s.skill}`, String(s.priority)])),
    },
    checked: languages.map((l) => `language=${l}`),
  };
}

/** The typed form, as the page shows it again. */
function fromFields(fields: FormFields): Prefill {
  const values: Record<string, string> = {};
  const checked: string[] = [];
  for (const [name, typed] of Object.entries(fields)) {
    if (name === 'language' || name === 'slot' || name === 'consent') typed.forEach((v) => checked.push(`${name}=${v}`));
    else values[name] = (typed[0] ?? '').slice(0, 500);
  }
  return { values, checked };
}

const enrollmentAnswerOf = (deps: SurveyDeps, visit: SurveyVisit) => storedAnswer(deps, visit) as Promise<StoredResponse<EnrollmentAnswer> | undefined>;

async function prefillFor(deps: SurveyDeps, visit: SurveyVisit, current: StoredResponse<EnrollmentAnswer> | undefined): Promise<Prefill> {
  const answer = current?.answer;
  if (answer?.decision === 'joined') return fromJoin(joinAsDeclared(answer), true);
  const declared = await deps.store.getDeclaration(visit.cycle.programId, visit.member.participantId);
  if (declared) return fromJoin(declared, false);
  return fromRoster(visit.rosterEntry ?? (await rosterEntry(deps.store, visit.cycle, visit.member.participantId)), visit);
}

const joinAsDeclared = (answer: JoinAnswer) => declarationOf(answer, { programId: '', participantId: '', cycleId: '', declaredAt: 0 });

function pageFor(visit: SurveyVisit, prefill: Prefill, previous: EnrollmentAnswer['decision'] | undefined, errors?: ValidationIssue[]): string {
  const program = visit.cycle.program;
  const deadline = visit.cycle.phases.enrollment?.deadline;
  return joinPage({
    language: visit.language,
    action: visit.link.action,
    binding: visit.link.binding,
    programName: program.name,
    partners: [],
    skills: [],
    goals: [],
    catalog: program.skillsCatalog,
    goalsAndExpectations: program.goalsAndExpectations,
    ...(deadline !== undefined ? { deadline: new Date(deadline) } : {}),
    ...(previous ? { previous } : {}),
    values: prefill.values,
    checked: prefill.checked,
    ...(errors ? { errors } : {}),
  });
}

/**
 * Stores a join or a decline, replacing the person's earlier answer: the store refuses the write
 * when that answer changed meanwhile (the same person on two devices), so it reads it again and
 * retries a few times.
 */
async function saveAnswer(deps: SurveyDeps, visit: SurveyVisit, answer: EnrollmentAnswer): Promise<'recorded' | 'phase-closed'> {
  const { cycle, member } = visit;
  for (let attempt = 0; attempt < 3; attempt++) {
    const previous = (await enrollmentAnswerOf(deps, visit))?.answer.decision;
    const response: StoredResponse<EnrollmentAnswer> = {
      cycleId: cycle.cycleId,
      phaseKey: visit.phaseKey,
      participantId: member.participantId,
      answer,
      recordedAt: visit.now,
    };
    const declaration =
      answer.decision === 'joined'
        ? declarationOf(answer, { programId: cycle.programId, participantId: member.participantId, cycleId: cycle.cycleId, declaredAt: visit.now })
        : undefined;
    const outcome = await deps.store.recordEnrollmentAnswer(response, { ...(previous ? { previous } : {}), ...(declaration ? { declaration } : {}) });
    if (outcome !== 'changed-meanwhile') return outcome;
  }
  throw new ConflictError(`the enrollment answer of ${member.participantId} in cycle ${cycle.cycleId} kept changing while it was saved`);
}

async function decline(deps: SurveyDeps, visit: SurveyVisit, fields: FormFields): Promise<PageResult> {
  let answer;
  try {
    answer = parseDeclineAnswer(fields);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const current = await enrollmentAnswerOf(deps, visit);
    // The join form above keeps what it was filled with; only the reason is what was typed.
    const prefill = await prefillFor(deps, visit, current);
    return pageResult(
      400,
      pageFor(visit, { ...prefill, values: { ...prefill.values, reason: (fields.reason?.[0] ?? '').slice(0, 500) } }, current?.answer.decision, error.issues),
    );
  }
  const outcome = await saveAnswer(deps, visit, answer);
  if (outcome === 'phase-closed') return noticeResult(visit, 'closed', 410);
  return noticeResult(visit, 'not-joining');
}

/** The skills of the program's catalog, by id: the only skills the join form reads. */
const catalogContext = (_deps: SurveyDeps, visit: SurveyVisit): Promise<SurveyContext> =>
  Promise.resolve({ skills: visit.cycle.program.skillsCatalog.map((s) => s.id), goals: [] });

export const enrollmentSurvey: PhaseSurvey<EnrollmentAnswer> = {
  context: catalogContext,

  async show(deps, visit) {
    const current = await enrollmentAnswerOf(deps, visit);
    return pageResult(200, pageFor(visit, await prefillFor(deps, visit, current), current?.answer.decision));
  },

  actions: { decline },

  parseAnswer: (body, context) => parseJoinAnswer(formFields(body), context.skills),

  async rejected(deps, visit, _context, fields, errors) {
    const current = await enrollmentAnswerOf(deps, visit);
    return pageResult(400, pageFor(visit, fromFields(fields), current?.answer.decision, errors));
  },

  store: (deps, visit, response) => saveAnswer(deps, visit, response.answer),

  afterAnswer: nothingAfterAnswer,

  answered: (_deps, visit) => Promise.resolve(noticeResult(visit, 'joined')),

  renderForm: (input) =>
    joinPage({
      ...input,
      catalog: input.skills.map((s) => ({ id: s.id, labels: { 'pt-BR': s.name, en: s.name }, aliases: [], digital: false })),
      goalsAndExpectations: '',
      checked: [],
    }),

  // The roster entry, read when the link was resolved.
  // Anyone on the roster who has not left: `unreachable` is what SES said about an address, and their links work (docs/participants.md).
  visitor(_deps, cycle: Cycle, _participantId, entry) {
    return Promise.resolve(entry && !leftTheProgram(entry) ? rosterVisitor(entry, cycle) : undefined);
  },
};
