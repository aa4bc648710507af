// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;
// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).
// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).

export const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
 "enrollment/pt-BR": "tandem-enrollment-pt-br-c806812473",
 "enrollment/en": "tandem-enrollment-en-12338fc9df",
 "goal-setting/pt-BR": "tandem-goal-setting-pt-br-d54719ba90",
 "goal-setting/en": "tandem-goal-setting-en-2b3c26714f",
 "run/pt-BR": "tandem-run-pt-br-03c34d3041",
 "run/en": "tandem-run-en-e5e5667fdb",
 "measure/pt-BR": "tandem-measure-pt-br-b999df1268",
 "measure/en": "tandem-measure-en-894bc569b6",
 "feedback/pt-BR": "tandem-feedback-pt-br-d7b04fd835",
 "feedback/en": "tandem-feedback-en-66c17c9a62"
};
