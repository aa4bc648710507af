// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;
// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).
// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).

export const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
 "enrollment/pt-BR": "tandem-enrollment-pt-br-e0b7bd9d88",
 "enrollment/en": "tandem-enrollment-en-09fb04b3b5",
 "goal-setting/pt-BR": "tandem-goal-setting-pt-br-5dcfba8485",
 "goal-setting/en": "tandem-goal-setting-en-5c48963286",
 "run/pt-BR": "tandem-run-pt-br-174f0932c8",
 "run/en": "tandem-run-en-a729783e47",
 "measure/pt-BR": "tandem-measure-pt-br-db8837af2a",
 "measure/en": "tandem-measure-en-e8dd4e29e5",
 "feedback/pt-BR": "tandem-feedback-pt-br-5a7a511025",
 "feedback/en": "tandem-feedback-en-5ace10909d"
};
