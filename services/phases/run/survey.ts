import { escapeHtml } from '../../../domain/html.ts';
import { dayLimitReached, MEETING_MINUTES } from '../../../domain/meetings.ts';
import type { Language } from '../../../domain/program.ts';
import { checkInAnswerSchema, parseCheckInAnswer, type CheckInAnswer, type FormFields } from '../../../domain/surveys.ts';
import { visitToday } from '../../member-time-zone.ts';
import { meetingFromFields } from '../../pair-page.ts';
import type { PairFlagReason } from '../../participant-records.ts';
import { formPage, noticePage, typedValue, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import { leftTheProgram } from '../members.ts';
import { pairPageToken } from '../pair-page-link.ts';
import { formUnlessAnswered, formWithErrors, noticeResult, pageResult, recordAnswer, skillsContext, storedAnswer, thanksOrAlready } from '../survey-common.ts';
import type { PageResult, PhaseSurvey, SurveyDeps, SurveyVisit } from '../survey-types.ts';

/** The run phase's check-ins: did the pair meet? "Need help", or two misses in a row, flags the pair for HR. */

const texts = {
  en: {
    title: 'Check-in',
    checkInQuestion: 'Did you and your partner meet since the last check-in?',
    status: { met: 'We met', 'not-yet': 'Not yet', 'need-help': 'We need help' },
    note: 'Note (optional)',
    ifMet: 'If you met',
    date: 'Date you met',
    length: 'Length in minutes (optional)',
    withPartner: 'With',
    skills: 'What you worked on (optional)',
    taught: (skill: string) => `${skill} (you taught)`,
    learned: (skill: string) => `${skill} (you learned)`,
    pairPage: 'Log a meeting, or see your partner and your meetings, on your pair page',
    left: 'has left the program',
    partnerLeft: (name: string) =>
      `${name} has left the program, so no meeting with them can be logged. HR has been told and will be in touch about what happens next. Your check-in is still welcome.`,
  },
  'pt-BR': {
    title: 'Acompanhamento',
    checkInQuestion: 'Você e sua dupla se encontraram desde o último acompanhamento?',
    status: { met: 'Nos encontramos', 'not-yet': 'Ainda não', 'need-help': 'Precisamos de ajuda' },
    note: 'Observação (opcional)',
    ifMet: 'Se vocês se encontraram',
    date: 'Data do encontro',
    length: 'Duração em minutos (opcional)',
    withPartner: 'Com',
    skills: 'O que vocês trabalharam (opcional)',
    taught: (skill: string) => `${skill} (você ensinou)`,
    learned: (skill: string) => `${skill} (você aprendeu)`,
    pairPage: 'Registre um encontro, ou veja sua dupla e seus encontros, na página da dupla',
    left: 'saiu do programa',
    partnerLeft: (name: string) =>
      `${name} saiu do programa, então nenhum encontro com essa pessoa pode ser registrado. O RH foi avisado e entrará em contato sobre os próximos passos. Seu acompanhamento continua bem-vindo.`,
  },
} satisfies Record<Language, unknown>;

/** Who the person may have met (the meeting's `pair` field) and the day the date field starts at. */
export interface CheckInMeetingInput {
  /** The partners a meeting can be logged with: not those who left the program. */
  partners: Array<{ pairId: string; name: string }>;
  today: string;
  /** The names of the partners who left the program (the opt-out link; their pair is flagged for HR, services/leave-program.ts). */
  left?: string[];
}

/** "We met" records a meeting too: the same fields as the pair page's form (services/pair-page.ts reads both). */
function meetingFields(input: FormPageInput, meeting: CheckInMeetingInput): string {
  const c = texts[input.language];
  const values = input.values ?? {};
  // One partner: a hidden field, and their name where an error about it links to.
  const partnerField =
    meeting.partners.length > 1
      ? `<label for="meeting-pair">${escapeHtml(c.withPartner)}</label><select id="meeting-pair" name="pair">${meeting.partners.map((p) => `<option value="${escapeHtml(p.pairId)}"${values.pair === p.pairId ? ' selected' : ''}>${escapeHtml(p.name)}</option>`).join('')}</select>`
      : `<input type="hidden" name="pair" value="${escapeHtml(meeting.partners[0]?.pairId ?? '')}"><p id="meeting-pair">${escapeHtml(c.withPartner)}: <strong>${escapeHtml(meeting.partners[0]?.name ?? '')}</strong></p>`;
  const skills = meeting.partners.flatMap((p) =>
    input.skills.map((s) => ({
      value: `${p.pairId}|${s.id}`,
      text: (s.role === 'teach' ? c.taught(s.name) : c.learned(s.name)) + (meeting.partners.length > 1 ? ` — ${p.name}` : ''),
    })),
  );
  const skillBoxes = skills.length
    ? `<fieldset><legend>${escapeHtml(c.skills)}</legend>${skills.map((s, i) => `<label class="choice" for="meeting-skill-${i}"><input type="checkbox" id="meeting-skill-${i}" name="skill" value="${escapeHtml(s.value)}">${escapeHtml(s.text)}</label>`).join('')}</fieldset>`
    : '';
  return (
    `<fieldset><legend>${escapeHtml(c.ifMet)}</legend>${partnerField}` +
    `<label for="meeting-date">${escapeHtml(c.date)}</label><input type="date" id="meeting-date" name="date" value="${escapeHtml(values.date ?? meeting.today)}" max="${escapeHtml(meeting.today)}">` +
    `<label for="meeting-minutes">${escapeHtml(c.length)}</label><input type="number" id="meeting-minutes" name="minutes" min="${MEETING_MINUTES.min}" max="${MEETING_MINUTES.max}" step="5" inputmode="numeric" value="${typedValue(input, 'minutes')}">` +
    `${skillBoxes}</fieldset>`
  );
}

export function checkInFormPage(input: FormPageInput, meeting?: CheckInMeetingInput): string {
  const c = texts[input.language];
  const left = meeting?.left ?? [];
  // Every partner left: there is no one to have met, so "we met" is not offered.
  const statuses = left.length && !meeting?.partners.length ? (['not-yet', 'need-help'] as const) : (['met', 'not-yet', 'need-help'] as const);
  const withMeeting = Boolean(meeting?.partners.length);
  // Each error links to a control on the page: without meeting fields, one about the meeting goes to the question.
  const meetingTarget = (id: string) => (withMeeting ? id : 'status');
  const labels: FieldLabels = {
    status: { id: `status-${statuses[0]}`, label: c.checkInQuestion },
    note: { id: 'note', label: c.note },
    pair: { id: meetingTarget('meeting-pair'), label: c.withPartner },
    date: { id: meetingTarget('meeting-date'), label: c.date },
    minutes: { id: meetingTarget('meeting-minutes'), label: c.length },
  };
  const fields = [
    `<fieldset id="status"><legend>${escapeHtml(c.checkInQuestion)}</legend>${statuses
      .map(
        (s) =>
          `<label class="choice" for="status-${s}"><input type="radio" id="status-${s}" name="status" value="${s}" required${input.values?.status === s ? ' checked' : ''}> ${escapeHtml(c.status[s])}</label>`,
      )
      .join('')}</fieldset>`,
    ...(meeting && withMeeting ? [meetingFields(input, meeting)] : []),
    `<label for="note">${escapeHtml(c.note)}</label><textarea id="note" name="note" maxlength="500">${typedValue(input, 'note')}</textarea>`,
  ];
  // The partner line names who left as such; a notice says what that means.
  const partners = input.partners.map((name) => (left.includes(name) ? `${name} (${c.left})` : name));
  const context = left.map((name) => `<p role="status">${escapeHtml(c.partnerLeft(name))}</p>`);
  return formPage({ ...input, partners }, { title: c.title, context, fields, labels });
}

/**
 * The person's pairs and their date today where they are (their time zone: services/member-time-zone.ts).
 * A partner who left the program (their roster entry, one read each) is offered no meeting: the pair
 * page refuses one with them too, and HR was told (the pair's `left-program` flag).
 */
async function meetingInputOf(deps: SurveyDeps, visit: SurveyVisit): Promise<CheckInMeetingInput> {
  const [entries, today] = await Promise.all([
    Promise.all(visit.member.partners.map((p) => deps.store.getParticipant(visit.cycle.programId, p.participantId))),
    visitToday(deps.store, visit),
  ]);
  const gone = visit.member.partners.filter((_, i) => leftTheProgram(entries[i]));
  return {
    partners: visit.member.partners.filter((p) => !gone.includes(p)).map((p) => ({ pairId: p.pairId, name: p.name })),
    today,
    ...(gone.length ? { left: gone.map((p) => p.name) } : {}),
  };
}

/** The check-in form for this visit, with the meeting fields of the person's pairs (and an answer the link pre-selects). */
const checkInFormOf = (meeting: CheckInMeetingInput, preselected: Record<string, string> = {}) => ({
  context: skillsContext,
  renderForm: (input: FormPageInput) => checkInFormPage({ ...input, values: { ...preselected, ...input.values } }, meeting),
});

/** The status an email's quick-answer link (`?answer=met`) pre-selects, if it names one. */
function preselected(visit: SurveyVisit): Record<string, string> {
  const status = checkInAnswerSchema.shape.status.safeParse(visit.preselect);
  return status.success ? { status: status.data } : {};
}

/** "We met" alone (a form sent without its meeting fields) means today, with the person's only partner. */
function withMeetingDefaults({ partners, today }: CheckInMeetingInput, fields: FormFields): FormFields {
  const only = partners.length === 1 ? partners[0]?.pairId : undefined;
  return { ...fields, date: fields.date?.[0]?.trim() ? fields.date : [today], ...(!fields.pair?.[0] && only ? { pair: [only] } : {}) };
}

/**
 * "Already answered", with the person's signed link to their pair page: a meeting a check-in can
 * no longer log ("we met" after "not yet") is logged there.
 */
function alreadyAnswered(deps: SurveyDeps, visit: SurveyVisit): PageResult {
  if (!visit.member.partners.length) return noticeResult(visit, 'already');
  const token = pairPageToken(deps.signer, visit.cycle, visit.member.participantId, visit.cycle.phases.run?.deadline ?? visit.now);
  const link = `<p><a href="./${escapeHtml(token)}">${escapeHtml(texts[visit.language].pairPage)}</a></p>`;
  return pageResult(200, noticePage(visit.language, 'already', link));
}

/**
 * A check-in's meeting has the id of its day (under its pair's key): a retried "we met", or the partner's
 * about the same day at the same moment, never logs it twice.
 */
const checkInMeetingId = (fields: FormFields) => `check-in-${fields.date?.[0]?.trim() ?? ''}`;

/** The key of a check-in round's answers (as the run phase's module names it: `run#<round>`). */
const checkInKey = (round: number) => `run#${round}`;

/** Why a check-in puts the pair at risk, if it does: "need help", or "not yet" after a missed or unanswered check-in. */
async function riskOf(deps: SurveyDeps, visit: SurveyVisit, checkIn: CheckInAnswer, round: number): Promise<PairFlagReason['kind'] | undefined> {
  if (checkIn.status === 'need-help') return 'need-help';
  if (checkIn.status !== 'not-yet' || round <= 1) return undefined;
  const previous = await deps.store.getResponse(visit.cycle.cycleId, checkInKey(round - 1), visit.member.participantId);
  return !previous || (previous.answer as CheckInAnswer).status !== 'met' ? 'two-misses' : undefined;
}

export const runSurvey: PhaseSurvey<CheckInAnswer> = {
  context: skillsContext,
  // A GET only pre-selects: mail scanners open the quick-answer links too, so the answer is sent with the form.
  show: async (deps, visit) =>
    formUnlessAnswered(deps, visit, checkInFormOf(await meetingInputOf(deps, visit), preselected(visit)), () => alreadyAnswered(deps, visit)),
  /** For the page, the round's own answer (already answered?); a post's answer is stored once by the store's condition. */
  answersRead: (phaseKey, request) => (request === 'page' ? [phaseKey] : []),
  actions: {},
  parseAnswer: parseCheckInAnswer,
  rejected: async (deps, visit, context, fields, errors) => formWithErrors(visit, context, fields, errors, checkInFormOf(await meetingInputOf(deps, visit))),

  /**
   * "We met" logs its meeting with the answer, in one transaction (validated like the pair page's
   * form; nothing is stored if it is wrong). A check-in answered already changes nothing: a "we met"
   * sent after "not yet" or "need help" logs no meeting (the pair page logs it).
   */
  async store(deps, visit, response, fields) {
    if (response.answer.status !== 'met' || !visit.member.partners.length) return recordAnswer(deps, visit, response);
    if (await storedAnswer(deps, visit)) return 'already-answered';
    const meeting = await meetingInputOf(deps, visit);
    const withDefaults = withMeetingDefaults(meeting, fields);
    const read = await meetingFromFields(deps, visit, withDefaults, { meetingId: checkInMeetingId(withDefaults), source: 'check-in', oncePerDay: true });
    if ('errors' in read) return { refused: formWithErrors(visit, await skillsContext(deps, visit), fields, read.errors, checkInFormOf(meeting)) };
    // Both members answer "we met" about the meeting they had: a meeting the pair logged that day already (the
    // partner's check-in, the pair page) is that one, counted once; a second meeting that day is logged on the pair page.
    if ('loggedAlready' in read) return recordAnswer(deps, visit, response);
    const outcome = await deps.store.recordResponseWithMeeting(response, read.meeting, read.dayBefore);
    // The partner's "we met" about the same day landed first (the meeting's id is the pair's and the day's).
    if (outcome === 'meeting-logged-already') return recordAnswer(deps, visit, response);
    if (outcome !== 'over-day-limit') return outcome;
    const errors = [dayLimitReached(read.meeting.date)];
    return { refused: formWithErrors(visit, await skillsContext(deps, visit), fields, errors, checkInFormOf(meeting)) };
  },

  /** Flags each of the person's pairs at risk, for HR. */
  async afterAnswer(deps, visit, checkIn) {
    const round = visit.round ?? 0;
    const kind = await riskOf(deps, visit, checkIn, round);
    if (!kind) return;
    const reason = { participantId: visit.member.participantId, kind, round, ...(checkIn.note ? { note: checkIn.note } : {}), at: visit.now };
    await Promise.all(visit.member.partners.map((partner) => deps.store.flagPair(visit.cycle.cycleId, partner.pairId, reason)));
  },

  answered: async (deps, visit, outcome) => (outcome === 'already-answered' ? alreadyAnswered(deps, visit) : thanksOrAlready(deps, visit, outcome)),
  renderForm: checkInFormPage,
};
