// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;
// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).
// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).

export const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
 "enrollment/pt-BR": "tandem-enrollment-pt-br-4b02316c2b",
 "enrollment/en": "tandem-enrollment-en-d4b200279a",
 "goal-setting/pt-BR": "tandem-goal-setting-pt-br-aa00911e57",
 "goal-setting/en": "tandem-goal-setting-en-c731fc1b5f",
 "run/pt-BR": "tandem-run-pt-br-3f4929866e",
 "run/en": "tandem-run-en-bb2083e563",
 "measure/pt-BR": "tandem-measure-pt-br-507994c654",
 "measure/en": "tandem-measure-en-fee469ea51",
 "feedback/pt-BR": "tandem-feedback-pt-br-9d45069f99",
 "feedback/en": "tandem-feedback-en-4f18bfe736"
};
