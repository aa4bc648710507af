import { COMPILED_TEMPLATES } from './generated/email-templates.generated.ts';
import { allTemplateKeys, emailTemplate, renderTemplate, type EmailTemplate } from './email-templates.ts';
import { invitationEmail, type InvitationInput, type TemplatedEmail } from './emails.ts';
import type { EmailContent } from './summary-email.ts';

/**
 * The participant email templates' content: what infra/ deploys as SES templates and the local
 * stack creates in its SES, and what previews and tests render. Lambda code never imports this
 * module (it would carry every template); it sends template names only (emails.ts).
 */
export function emailTemplatesToCreate(): EmailTemplate[] {
  return allTemplateKeys().map(({ kind, language }) => emailTemplate(kind, language, COMPILED_TEMPLATES));
}

/** An invitation rendered as SES renders it (subject, HTML and text), for previews and tests. */
export function renderInvitationEmail(input: InvitationInput): EmailContent & TemplatedEmail {
  const { templateName, data } = invitationEmail(input);
  const template = emailTemplate(input.kind, input.language, COMPILED_TEMPLATES);
  if (template.name !== templateName)
    throw new Error(`domain/generated/email-template-names.generated.ts is out of date for ${input.kind}/${input.language}: run npm run build:emails`);
  return {
    templateName,
    data,
    subject: renderTemplate(template.subject, data),
    text: renderTemplate(template.text, data),
    html: renderTemplate(template.html, data),
  };
}
