import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { AnsweredPhase, Language } from './program.ts';
import { LANGUAGES } from './program.ts';

/**
 * The participant emails as SES templates: one per phase and language. Their HTML is written in
 * MJML (email-mjml.ts) and compiled ahead of time into generated/email-templates.generated.ts, so the
 * Lambda bundles carry plain strings, never the MJML compiler. SES renders them with Handlebars:
 * free text goes in `{{{h.*}}}` (escaped here, once) in the HTML part and `{{{*}}}` in the text
 * part, so SES's own escaping rules never matter.
 */
export type EmailTemplateKind = AnsweredPhase;
export const EMAIL_TEMPLATE_KINDS: readonly EmailTemplateKind[] = ['enrollment', 'goal-setting', 'run', 'measure', 'feedback'];

export interface EmailTemplateParts {
  subject: string;
  html: string;
  text: string;
}

export interface EmailTemplate extends EmailTemplateParts {
  /** `tandem-<kind>-<language>-<content hash>`: a changed template gets a new name, so creating it once is enough. */
  name: string;
}

/** Data one email carries: the recipient's own details, nothing else (SES limits TemplateData to 30 KB). */
export interface EmailTemplateData {
  name: string;
  program: string;
  partners: string;
  manyPartners: boolean;
  deadline: string;
  link: string;
  optOut: string;
  /** The signed link to the member's pair page; empty in emails to people without a partner. */
  pairPage: string;
  reminder: boolean;
  timeLeft: string;
  round: string;
  /** Goal-setting, after a rematch: the person's first partner could not take part. */
  rematch: boolean;
  /** Goal-setting, after a rematch: the person was matched with someone whose first partner could not take part. */
  newPartner: boolean;
  /** Goal-setting, after a rematch: the person had accepted their first partner; their goals are kept, and they accept or decline the new one. */
  askedAgain: boolean;
  /** The run's nudge to a pair with no meeting logged: its own words and a link to the pair page. */
  nudge: boolean;
  goals: string;
  /** HTML-escaped copies of the text fields, for the HTML part. */
  h: {
    name: string;
    program: string;
    partners: string;
    deadline: string;
    link: string;
    optOut: string;
    pairPage: string;
    timeLeft: string;
    round: string;
    goals: string;
  };
}

export function templateName(kind: EmailTemplateKind, language: Language, parts: EmailTemplateParts): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([parts.subject, parts.html, parts.text]))
    .digest('hex')
    .slice(0, 10);
  return `tandem-${kind}-${language.toLowerCase()}-${hash}`;
}

export function emailTemplate(kind: EmailTemplateKind, language: Language, compiled: Record<string, EmailTemplateParts>): EmailTemplate {
  const parts = compiled[`${kind}/${language}`];
  if (!parts) throw new RangeError(`no compiled email template for ${kind}/${language}`);
  return { ...parts, name: templateName(kind, language, parts) };
}

export function allTemplateKeys(): Array<{ kind: EmailTemplateKind; language: Language }> {
  return EMAIL_TEMPLATE_KINDS.flatMap((kind) => LANGUAGES.map((language) => ({ kind, language })));
}

// ---- rendering: Handlebars itself, as SES renders the deployed templates ----------------------

const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate<unknown>>();

/** Renders a template part as SES does, with Handlebars; used for previews, tests and non-SES mailers. */
export function renderTemplate(source: string, data: unknown): string {
  let render = compiled.get(source);
  if (!render) {
    try {
      // Parsed now, so that a malformed template fails here rather than at its first render.
      render = handlebars.compile<unknown>(handlebars.parse(source));
    } catch (error) {
      throw new SyntaxError(`the email template does not parse: ${(error as Error).message}`, { cause: error });
    }
    if (compiled.size > 100) compiled.clear();
    compiled.set(source, render);
  }
  return render(data);
}
