// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;
// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).
// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).

export const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
 "enrollment/pt-BR": "tandem-enrollment-pt-br-77be79e55a",
 "enrollment/en": "tandem-enrollment-en-550b0877c6",
 "goal-setting/pt-BR": "tandem-goal-setting-pt-br-068f6665c4",
 "goal-setting/en": "tandem-goal-setting-en-be88f84b20",
 "run/pt-BR": "tandem-run-pt-br-bb50f8220b",
 "run/en": "tandem-run-en-35df404428",
 "measure/pt-BR": "tandem-measure-pt-br-0babcc9266",
 "measure/en": "tandem-measure-en-33167877ab",
 "feedback/pt-BR": "tandem-feedback-pt-br-df0f68efd6",
 "feedback/en": "tandem-feedback-en-7dee271d3b"
};
