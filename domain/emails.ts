import { escapeHtml } from './html.ts';
import type { Language } from './program.ts';
import { EMAIL_TEMPLATE_NAMES } from './generated/email-template-names.generated.ts';
import type { EmailTemplateData, EmailTemplateKind } from './email-templates.ts';

export type { EmailContent } from './summary-email.ts';

export interface InvitationInput {
  /** The template: the phase's own (a phase module names it). */
  kind: EmailTemplateKind;
  language: Language;
  programName: string;
  recipientName: string;
  /** The program's goals and expectations (goal-setting only). */
  goalsAndExpectations?: string;
  partners: Array<{ name: string; role: 'mentor' | 'mentee' }>;
  link: string;
  /** The signed link that lets the person leave the program. */
  optOutLink?: string;
  /** The signed link to the person's pair page; only for a member with a partner. */
  pairPage?: string;
  deadline: Date;
  round?: number;
  /** Set for a reminder: how long is left, in words. */
  reminderTimeLeft?: string;
  /** Set when the person's first partner declined (or left) and they were matched again. */
  rematch?: boolean;
  /** Set instead of `rematch` for the other person of that new pair: they had no partner to lose. */
  newPartner?: boolean;
  /** Set with `rematch` when the person had accepted their first partner: their goals are kept, they accept or decline the new one. */
  askedAgain?: boolean;
  /** Set for the run's nudge to a pair with no meeting logged yet (the link opens the pair page). */
  nudge?: boolean;
}

/**
 * An email that SES renders from one of Tandem's templates: the template's name and this
 * person's data. The templates' content is deployed with the stack (infra/) or created by the
 * local stack, so the functions that send never carry it; email-preview.ts renders it for
 * previews and tests.
 */
export interface TemplatedEmail {
  templateName: string;
  data: EmailTemplateData;
}

function formatDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

/** The per-email data of an invitation or reminder: only this person's details (the words live in the template). */
export function invitationData(input: InvitationInput): EmailTemplateData {
  const partners = input.partners.map((p) => p.name).join(', ');
  const goals = input.goalsAndExpectations ?? '';
  const optOut = input.optOutLink ?? '';
  const plain = {
    name: input.recipientName,
    program: input.programName,
    partners,
    manyPartners: input.partners.length > 1,
    deadline: formatDate(input.deadline, input.language),
    link: input.link,
    optOut,
    pairPage: input.pairPage ?? '',
    reminder: Boolean(input.reminderTimeLeft),
    timeLeft: input.reminderTimeLeft ?? '',
    round: input.round ? String(input.round) : '',
    rematch: Boolean(input.rematch),
    newPartner: Boolean(input.newPartner),
    askedAgain: Boolean(input.askedAgain),
    nudge: Boolean(input.nudge),
    goals,
  };
  const h = Object.fromEntries(
    (['name', 'program', 'partners', 'deadline', 'link', 'optOut', 'pairPage', 'timeLeft', 'round', 'goals'] as const).map((key) => [
      key,
      escapeHtml(plain[key]),
    ]),
  ) as EmailTemplateData['h'];
  return { ...plain, h };
}

/** The SES template of one phase in one language. */
export function invitationTemplateName(kind: EmailTemplateKind, language: Language): string {
  const name = EMAIL_TEMPLATE_NAMES[`${kind}/${language}`];
  if (!name) throw new RangeError(`no email template for ${kind}/${language}`);
  return name;
}

/** An invitation or reminder to answer one phase, in the participant's language: the SES template and its data. */
export function invitationEmail(input: InvitationInput): TemplatedEmail {
  return { templateName: invitationTemplateName(input.kind, input.language), data: invitationData(input) };
}

/** Time left before a deadline, in words ("2 days", "3 hours", "45 seconds"). */
export { timeLeftInWords } from './duration-format.ts';

// Summary emails live apart from the participant templates, so that functions sending only summaries stay small.
export { summaryEmail, type SummaryLine } from './summary-email.ts';
