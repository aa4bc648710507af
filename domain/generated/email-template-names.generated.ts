// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;
// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).
// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).

export const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
 "enrollment/pt-BR": "tandem-enrollment-pt-br-01068a260c",
 "enrollment/en": "tandem-enrollment-en-0bef41edce",
 "goal-setting/pt-BR": "tandem-goal-setting-pt-br-bae3cf6bc8",
 "goal-setting/en": "tandem-goal-setting-en-83a330bdfc",
 "run/pt-BR": "tandem-run-pt-br-9ba319fa6a",
 "run/en": "tandem-run-en-e1d2a3bedc",
 "measure/pt-BR": "tandem-measure-pt-br-4ae1caff20",
 "measure/en": "tandem-measure-en-cc06c504cc",
 "feedback/pt-BR": "tandem-feedback-pt-br-d198f7b79e",
 "feedback/en": "tandem-feedback-en-76298f4447"
};
