import type { StoredResponse } from '../../../domain/cycle.ts';
import { issuesFromZod, type ValidationIssue } from '../../../domain/errors.ts';
import { escapeHtml } from '../../../domain/html.ts';
import type { Language } from '../../../domain/program.ts';
import { parseGoalSettingAnswer, type FormFields, type GoalSettingAnswer, type SurveyContext } from '../../../domain/surveys.ts';
import * as z from '../../../domain/validation.ts';
import { plainText } from '../../../domain/text.ts';
import { rematchAfterDecline } from '../../rematch.ts';
import { durationToSeconds } from '../../../domain/duration.ts';
import { timeLeftInWords } from '../../../domain/duration-format.ts';
import { formPage, hiddenFields, noticePage, ratingSelects, typedValue, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import {
  answerAtVisit,
  formInputOf,
  nothingAfterAnswer,
  noticeResult,
  pageResult,
  skillName,
  skillsContext,
  storedAnswer,
  thanksOrAlready,
  typedValues,
} from '../survey-common.ts';
import type { PageResult, PhaseSurvey, StoreAnswerOutcome, SurveyDeps, SurveyVisit } from '../survey-types.ts';

/**
 * Goal-setting's page is first an invitation: the pairing and the program's goals, with one form
 * that accepts the pairing by setting goals and a baseline, and one that declines it (the partner
 * is then paired again, services/rematch.ts). Once accepted, it is the goal form.
 */

const texts = {
  en: {
    title: 'Set your goals',
    invitationTitle: 'Your mentoring pair',
    invitationIntro: (program: string) => `You are invited to ${program}. Here is who you are paired with and what the program expects.`,
    teaches: 'You teach',
    learns: 'You learn',
    programGoals: 'The program’s goals and expectations',
    accept: 'Accept and set my goals',
    declineHeading: 'Cannot take part this cycle?',
    declineHelp: 'Your partner will be paired again with someone else. HR sees the reason, if you give one.',
    reason: 'Reason (optional)',
    decline: 'Decline the pairing',
    goalsHeading: 'Your goals for this cycle (one to three)',
    goal: (i: number) => `Goal ${i}${i > 1 ? ' (optional)' : ''}`,
    baselineHeading: 'Rate your skills today (1 = beginner, 5 = expert)',
    nextHeading: 'What happens next',
    partnerAccepted: (within: string) =>
      `Your partner has accepted too. Within about ${within} you will both receive an introduction email: your partner’s contact, a first-meeting agenda and a proposed time for it, as a calendar file.`,
    partnerPending: (within: string) =>
      `Your partner has not accepted yet; there is nothing for you to do meanwhile. Within about ${within} of their answer you will both receive an introduction email with their contact, a first-meeting agenda and a proposed time. If they decline, you will be paired with someone else and invited again.`,
    help: (hr: string) => `Questions? Write to HR at ${hr}.`,
    noPartnerNext:
      'There is nothing for you to do now. If someone becomes free while pairs are still being formed (until goal-setting closes), you will be paired with them and receive a new invitation by email. Otherwise you are not in a pair this cycle. HR can see that you have no partner.',
    pairingChanged: (partners: string) =>
      partners
        ? `Your pairing changed after this page was opened: you are now paired with ${partners}. Nothing was recorded. Read the pairing below and accept or decline it.`
        : 'Your pairing changed after this page was opened. Nothing was recorded.',
    askedAgain: (partners: string) =>
      `You had accepted your first partner, who then could not take part; you are now paired with ${partners}. Your goals and skill ratings are kept below (they are about you) and you can change them. Accept to confirm them with your new partner, or decline this pairing.`,
  },
  'pt-BR': {
    title: 'Defina suas metas',
    invitationTitle: 'Sua dupla de mentoria',
    invitationIntro: (program: string) => `Você foi convidado(a) para ${program}. Veja com quem formou dupla e o que o programa espera.`,
    teaches: 'Você ensina',
    learns: 'Você aprende',
    programGoals: 'Metas e expectativas do programa',
    accept: 'Aceitar e definir minhas metas',
    declineHeading: 'Não pode participar deste ciclo?',
    declineHelp: 'Sua dupla será formada de novo com outra pessoa. O RH vê o motivo, se você informar.',
    reason: 'Motivo (opcional)',
    decline: 'Recusar a dupla',
    goalsHeading: 'Suas metas para este ciclo (de uma a três)',
    goal: (i: number) => `Meta ${i}${i > 1 ? ' (opcional)' : ''}`,
    baselineHeading: 'Avalie suas habilidades hoje (1 = iniciante, 5 = especialista)',
    nextHeading: 'O que acontece agora',
    partnerAccepted: (within: string) =>
      `Sua dupla também aceitou. Em cerca de ${within} vocês dois receberão um e-mail de apresentação: o contato da sua dupla, uma pauta para o primeiro encontro e um horário proposto, em arquivo de calendário.`,
    partnerPending: (within: string) =>
      `Sua dupla ainda não aceitou; você não precisa fazer nada por enquanto. Em cerca de ${within} depois da resposta dela, vocês dois receberão um e-mail de apresentação com o contato, uma pauta para o primeiro encontro e um horário proposto. Se ela recusar, você formará dupla com outra pessoa e receberá um novo convite.`,
    help: (hr: string) => `Dúvidas? Escreva para o RH em ${hr}.`,
    noPartnerNext:
      'Você não precisa fazer nada agora. Se alguém ficar livre enquanto as duplas ainda se formam (até o fim da definição de metas), vocês formarão dupla e você receberá um novo convite por email. Senão, você fica sem dupla neste ciclo. O RH vê que você está sem dupla.',
    pairingChanged: (partners: string) =>
      partners
        ? `Sua dupla mudou depois que esta página foi aberta: agora sua dupla é ${partners}. Nada foi registrado. Veja a dupla abaixo e aceite ou recuse.`
        : 'Sua dupla mudou depois que esta página foi aberta. Nada foi registrado.',
    askedAgain: (partners: string) =>
      `Você tinha aceitado sua primeira dupla, que depois não pôde participar; agora sua dupla é ${partners}. Suas metas e a avaliação das suas habilidades foram mantidas abaixo (são sobre você) e podem ser alteradas. Aceite para confirmá-las com a nova dupla, ou recuse esta dupla.`,
  },
} satisfies Record<Language, unknown>;

/** What the invitation adds to the goal form. */
interface Invitation {
  goalsAndExpectations: string;
  teaches: string[];
  learns: string[];
  reason?: string;
  /** The person had accepted a first partner who then declined: their goals are kept, this pairing needs their answer. */
  askedAgain?: boolean;
  /** The form posted was drawn for other partners (an old tab): nothing was recorded, the page shows the pairing now. */
  pairingChanged?: boolean;
  /** The partners the forms are drawn for (`_partners`), checked on POST against the pairing then. */
  partnerIds: string;
}

/** The hidden field naming the partners a page's accept and decline forms were drawn for. */
const PARTNERS_FIELD = '_partners';
const partnerIdsOf = (partners: ReadonlyArray<{ participantId: string }>) =>
  partners
    .map((p) => p.participantId)
    .sort()
    .join(',');

/**
 * Whether a posted accept or decline was drawn for other partners than the person has now (a tab
 * opened before a rematch): deciding it would apply to a partner they never saw. A form without the
 * field (served before it existed) is taken as drawn for the pairing now.
 */
function pairingChanged(visit: SurveyVisit, fields: FormFields): boolean {
  const drawnFor = fields[PARTNERS_FIELD]?.[0];
  return drawnFor !== undefined && drawnFor !== partnerIdsOf(visit.member.partners);
}

function goalSettingPage(input: FormPageInput, invitation?: Invitation): string {
  const c = texts[input.language];
  const labels: FieldLabels = { goals: { id: 'goal1', label: c.goal(1) } };
  [1, 2, 3].forEach((i) => (labels[`goals.${i - 1}`] = { id: `goal${i}`, label: c.goal(i) }));
  const fields = [
    `<fieldset><legend>${escapeHtml(c.goalsHeading)}</legend>${[1, 2, 3]
      .map(
        (i) =>
          `<label for="goal${i}">${escapeHtml(c.goal(i))}</label><input type="text" id="goal${i}" name="goal" maxlength="280"${i === 1 ? ' required' : ''} value="${typedValue(input, `goal${i}`)}">`,
      )
      .join('')}</fieldset>`,
  ];
  if (input.skills.length)
    fields.push(`<fieldset><legend>${escapeHtml(c.baselineHeading)}</legend>${ratingSelects(input, labels, 'baseline', 'baseline')}</fieldset>`);
  if (!invitation) return formPage(input, { title: c.title, fields, labels });
  const list = (items: string[]) => escapeHtml(items.join(', '));
  labels.reason = { id: 'reason', label: c.reason };
  const binding = input.binding ?? '';
  const drawnFor = `<input type="hidden" name="${PARTNERS_FIELD}" value="${escapeHtml(invitation.partnerIds)}">`;
  return formPage(input, {
    title: c.invitationTitle,
    intro: [
      ...(invitation.pairingChanged ? [`<p role="alert" class="errors">${escapeHtml(c.pairingChanged(input.partners.join(', ')))}</p>`] : []),
      `<p>${escapeHtml(c.invitationIntro(input.programName ?? ''))}</p>`,
      ...(invitation.askedAgain ? [`<p role="status">${escapeHtml(c.askedAgain(input.partners.join(', ')))}</p>`] : []),
    ],
    context: [
      invitation.teaches.length ? `<p><strong>${escapeHtml(c.teaches)}:</strong> ${list(invitation.teaches)}</p>` : '',
      invitation.learns.length ? `<p><strong>${escapeHtml(c.learns)}:</strong> ${list(invitation.learns)}</p>` : '',
      `<h2>${escapeHtml(c.programGoals)}</h2><div class="goals">${escapeHtml(invitation.goalsAndExpectations)}</div>`,
    ],
    fields: [drawnFor, ...fields],
    labels,
    submit: c.accept,
    after: [
      `<h2>${escapeHtml(c.declineHeading)}</h2><form method="post" action="${escapeHtml(input.action)}">${hiddenFields('decline', binding)}${drawnFor}<p class="hint" id="decline-help">${escapeHtml(c.declineHelp)}</p>` +
        `<label for="reason">${escapeHtml(c.reason)}</label><textarea id="reason" name="reason" maxlength="500" aria-describedby="decline-help">${escapeHtml(invitation.reason ?? '')}</textarea>` +
        `<button type="submit" class="secondary">${escapeHtml(c.decline)}</button></form>`,
    ],
  });
}

/** The goal form (after the person accepted the pairing). */
export function goalSettingFormPage(input: FormPageInput): string {
  return goalSettingPage(input);
}

export interface InvitationPageInput {
  language: Language;
  action: string;
  binding: string;
  programName: string;
  goalsAndExpectations: string;
  partners: string[];
  teaches: string[];
  learns: string[];
  /** The skills to rate at goal-setting (the accept form is the goal form). */
  skills?: FormPageInput['skills'];
  values?: Record<string, string>;
  errors?: ValidationIssue[];
  reason?: string;
  /** The partners' ids, as the forms' `_partners` field carries them (comma-separated, sorted). */
  partnerIds?: string;
}

/**
 * Goal-setting's first page: the pairing and the program's goals, then one form that accepts the
 * pairing by setting goals and the baseline ("Accept and set my goals"), and a second, small form
 * to decline with an optional reason.
 */
export function invitationPage(input: InvitationPageInput): string {
  return goalSettingPage(
    {
      language: input.language,
      action: input.action,
      binding: input.binding,
      programName: input.programName,
      partners: input.partners,
      skills: input.skills ?? [],
      goals: [],
      ...(input.values ? { values: input.values } : {}),
      ...(input.errors ? { errors: input.errors } : {}),
    },
    {
      goalsAndExpectations: input.goalsAndExpectations,
      teaches: input.teaches,
      learns: input.learns,
      partnerIds: input.partnerIds ?? '',
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    },
  );
}

function invitationOf(
  visit: SurveyVisit,
  context: SurveyContext,
  typed: { values?: Record<string, string>; errors?: ValidationIssue[]; reason?: string; pairingChanged?: boolean } = {},
): string {
  const name = skillName(visit);
  const { reason, pairingChanged: changed, ...form } = typed;
  return goalSettingPage(formInputOf(visit, context, { values: keptValues(visit), ...form }), {
    goalsAndExpectations: visit.cycle.program.goalsAndExpectations,
    teaches: visit.member.teaches.map(name),
    learns: visit.member.learns.map(name),
    partnerIds: partnerIdsOf(visit.member.partners),
    ...(reason !== undefined ? { reason } : {}),
    ...(visit.member.keptAnswer ? { askedAgain: true } : {}),
    ...(changed ? { pairingChanged: true } : {}),
  });
}

/**
 * A person left with no partner (theirs declined or left and no one free could be paired with them,
 * services/rematch.ts) has no pairing to accept or decline: the page says so and what happens next,
 * and a POST records nothing. A later decline may pair them (they are a candidate while alone).
 */
function noPartnerResult(visit: SurveyVisit, status = 200): PageResult {
  const c = texts[visit.language];
  const next = `<p>${escapeHtml(c.noPartnerNext)}</p><p>${escapeHtml(c.help(visit.cycle.program.hrContacts[0] as string))}</p>`;
  return pageResult(status, noticePage(visit.language, 'no-partner', next));
}

function acceptedAlready(visit: SurveyVisit, reason: string): PageResult {
  const c = texts[visit.language];
  const typed = reason.trim() ? `<h2>${escapeHtml(c.reason)}</h2><div class="goals">${escapeHtml(plainText(reason).slice(0, 500))}</div>` : '';
  return pageResult(409, noticePage(visit.language, 'accepted-already', `${typed}<p>${escapeHtml(c.help(visit.cycle.program.hrContacts[0] as string))}</p>`));
}

/** The invitation as the pairing is now, saying the form posted was for another one; nothing recorded. */
async function pairingChangedPage(deps: SurveyDeps, visit: SurveyVisit): Promise<PageResult> {
  return pageResult(409, invitationOf(visit, await skillsContext(deps, visit), { pairingChanged: true }));
}

/**
 * The goals and baseline a person rematched after accepting had set (services/rematch.ts), as
 * the form's values: the goals, and the ratings of the skills they still rate with the new partner.
 */
function keptValues(visit: SurveyVisit): Record<string, string> {
  const kept = visit.member.keptAnswer;
  if (!kept) return {};
  const values: Record<string, string> = {};
  kept.goals.forEach((goal, i) => (values[`goal${i + 1}`] = goal));
  for (const skill of [...visit.member.teaches, ...visit.member.learns]) {
    const rating = kept.baseline[skill];
    if (rating !== undefined) values[`baseline:${skill}`] = String(rating);
  }
  return values;
}

/** The goal form after accepting, with what a rematched person had set before. */
const goalFormOf = (visit: SurveyVisit, context: SurveyContext) => goalSettingFormPage(formInputOf(visit, context, { values: keptValues(visit) }));

/** Goal-setting has no rounds: its answers are stored under its name. */
export const GOAL_SETTING_KEY = 'goal-setting';

/** The goals the visitor set at goal-setting (what measure asks about); prefetched when the visit's phase reads GOAL_SETTING_KEY. */
export async function goalsSetBy(deps: SurveyDeps, visit: SurveyVisit): Promise<string[]> {
  const goalSetting = await answerAtVisit(deps, visit, GOAL_SETTING_KEY);
  return (goalSetting?.answer as GoalSettingAnswer | undefined)?.goals ?? [];
}

const decisionOf = (deps: SurveyDeps, visit: SurveyVisit) => deps.store.getInvitationDecision(visit.cycle.cycleId, visit.member.participantId);

const reasonSchema = z.string().check(z.overwrite(plainText), z.trim(), z.maxLength(500, 'must be at most 500 characters'));

/** Accepting or declining the pairing, once: a decline frees the partner, who is paired again. */
async function decide(deps: SurveyDeps, visit: SurveyVisit, fields: FormFields, decision: 'accepted' | 'declined'): Promise<PageResult> {
  const { cycle, member } = visit;
  if (await storedAnswer(deps, visit)) return noticeResult(visit, 'already');
  if (!member.partners.length) return noPartnerResult(visit, 409);
  if (pairingChanged(visit, fields) && !(await decisionOf(deps, visit))) return pairingChangedPage(deps, visit);
  const typedReason = fields.reason?.[0] ?? '';
  const reason = reasonSchema.safeParse(typedReason);
  if (decision === 'declined' && !reason.success)
    return pageResult(
      400,
      invitationOf(visit, await skillsContext(deps, visit), { errors: issuesFromZod(reason.error, 'reason'), reason: typedReason.slice(0, 500) }),
    );
  const outcome = await deps.store.recordInvitationDecision({
    cycleId: cycle.cycleId,
    participantId: member.participantId,
    decision,
    ...(decision === 'declined' && reason.success && reason.data ? { reason: reason.data } : {}),
    partnerIds: member.partners.map((p) => p.participantId),
    decidedAt: visit.now,
  });
  if (outcome === 'phase-closed') return noticeResult(visit, 'closed', 410);
  const current = outcome === 'recorded' ? decision : (await decisionOf(deps, visit))?.decision;
  if (current === 'declined') {
    if (outcome === 'recorded') await rematchAfterDecline(deps, cycle, member);
    return noticeResult(visit, 'declined');
  }
  // A decline after the person accepted (another tab): not recorded, and they are told so, how to withdraw, and what they typed.
  if (decision === 'declined') return acceptedAlready(visit, typedReason);
  return pageResult(200, goalFormOf(visit, await skillsContext(deps, visit)));
}

/**
 * The page after goals are set says what happens next instead of "you can close this page": the
 * introduction arrives on the phase's next step once the partner accepted too.
 */
async function acceptedWithNextSteps(deps: SurveyDeps, visit: SurveyVisit, outcome: 'recorded' | 'already-answered'): Promise<PageResult> {
  if (outcome !== 'recorded') return thanksOrAlready(deps, visit, outcome);
  const { cycle, member, language } = visit;
  const decisions = await Promise.all(member.partners.map((p) => deps.store.getInvitationDecision(cycle.cycleId, p.participantId)));
  const partnerAccepted = decisions.length > 0 && decisions.every((d) => d?.decision === 'accepted');
  const c = texts[language];
  const within = timeLeftInWords(durationToSeconds(cycle.program.progressCheckInterval) * 1000, language);
  const next =
    `<h2>${escapeHtml(c.nextHeading)}</h2><p>${escapeHtml(partnerAccepted ? c.partnerAccepted(within) : c.partnerPending(within))}</p>` +
    `<p>${escapeHtml(c.help(cycle.program.hrContacts[0] as string))}</p>`;
  return pageResult(200, noticePage(language, 'goals-recorded', next));
}

export const goalSettingSurvey: PhaseSurvey<GoalSettingAnswer> = {
  context: skillsContext,

  async show(deps, visit) {
    const [answered, decision, context] = await Promise.all([storedAnswer(deps, visit), decisionOf(deps, visit), skillsContext(deps, visit)]);
    if (answered) return noticeResult(visit, 'already');
    if (!visit.member.partners.length) return noPartnerResult(visit);
    if (!decision) return pageResult(200, invitationOf(visit, context));
    return pageResult(200, goalFormOf(visit, context));
  },

  actions: {
    accept: (deps, visit, fields) => decide(deps, visit, fields, 'accepted'),
    decline: (deps, visit, fields) => decide(deps, visit, fields, 'declined'),
  },

  /**
   * A decline stored by a request that failed before its rematch (a crash, a conflict three times over) left the partners
   * unpaired: sending the decline again finishes the rematch (which skips the pairs rematched already).
   */
  async declinedAgain(deps, cycle, decliner) {
    const rematched = new Set((await deps.store.listRematches(cycle.cycleId)).map((r) => r.previousPairId));
    const pending = decliner.partners.filter((p) => !rematched.has(p.pairId));
    // A partner who declined too, or is gone, is not paired again (rematchAfterDecline skips them): nothing is left to do.
    const partners = await Promise.all(pending.map((p) => deps.store.getMember(cycle.cycleId, p.participantId)));
    if (partners.some((m) => m && !m.declined)) await rematchAfterDecline(deps, cycle, decliner);
  },

  /** Someone who leaves while pairs still form frees their partners as a decline does: each is paired again and invited by the next step. */
  async memberLeft(deps, cycle, leaver) {
    // Their member record drops each pair dissolved: were HR to let them back, their pages show no partner who is with someone else.
    await rematchAfterDecline(deps, cycle, leaver, { leaving: true });
    return true;
  },

  parseAnswer: parseGoalSettingAnswer,

  async rejected(deps, visit, context, fields, errors) {
    if (!visit.member.partners.length) return noPartnerResult(visit, 409);
    const values = typedValues(fields);
    (fields.goal ?? []).forEach((g, i) => (values[`goal${i + 1}`] = g.slice(0, 280)));
    if (!(await decisionOf(deps, visit))) return pageResult(400, invitationOf(visit, context, { values, errors }));
    return pageResult(400, goalSettingFormPage(formInputOf(visit, context, { values, errors })));
  },

  /** Setting goals is accepting the pairing (both written at once); a person who declined cannot answer. */
  async store(deps, visit, response: StoredResponse<GoalSettingAnswer>, fields): Promise<StoreAnswerOutcome> {
    const decision = (await decisionOf(deps, visit))?.decision;
    if (decision === 'declined') return { refused: noticeResult(visit, 'declined') };
    if (!visit.member.partners.length) return { refused: noPartnerResult(visit, 409) };
    // Setting goals on an invitation drawn for other partners would accept a pairing the person never saw.
    if (!decision && pairingChanged(visit, fields)) return { refused: await pairingChangedPage(deps, visit) };
    const accept = {
      cycleId: visit.cycle.cycleId,
      participantId: visit.member.participantId,
      decision: 'accepted' as const,
      partnerIds: visit.member.partners.map((p) => p.participantId),
      decidedAt: visit.now,
    };
    if (decision) return deps.store.recordResponse(response);
    const outcome = await deps.store.recordResponseWithAcceptance(response, accept);
    if (outcome !== 'already-decided') return outcome;
    // A decision landed between our read and our write: a decline wins (nothing was written), an acceptance lets the answer through.
    if ((await decisionOf(deps, visit))?.decision === 'declined') return { refused: noticeResult(visit, 'declined') };
    return deps.store.recordResponse(response);
  },

  afterAnswer: nothingAfterAnswer,
  answered: acceptedWithNextSteps,
  renderForm: goalSettingFormPage,
};
