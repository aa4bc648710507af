/**
 * Compiles the participant emails' MJML (domain/email-mjml.ts) into
 * domain/generated/email-templates.generated.ts (the templates' content, which infra/ deploys as
 * SES templates and the local stack creates in its SES) and
 * domain/generated/email-template-names.generated.ts (their content-hashed names, all that the
 * Lambda bundles carry). The MJML compiler is a dev dependency and never reaches a bundle.
 *
 *   npm run build:emails           # rewrite both files
 *   npm run build:emails -- --check  # exit 1 when either is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mjmlSource, subjectSource, textSource } from '../domain/email-mjml.ts';
import { allTemplateKeys, templateName, type EmailTemplateParts } from '../domain/email-templates.ts';

export const COMPILED_FILE = resolve(import.meta.dirname, '../domain/generated/email-templates.generated.ts');
export const NAMES_FILE = resolve(import.meta.dirname, '../domain/generated/email-template-names.generated.ts');

const HEADER = [
  '// GENERATED FILE: do not edit. Written by scripts/build-email-templates.ts from domain/email-mjml.ts;',
  '// regenerate with `npm run build:emails` (test/unit/email-templates.test.ts fails while it is stale).',
].join('\n');

/**
 * Drops the whitespace between tags and the indentation MJML writes: 20% smaller, and Handlebars
 * (which SES and aws-ses-v2-local render with) compiles it several times faster.
 */
export function compact(html: string): string {
  return html.replace(/>\s+</g, '><').replace(/\n\s*/g, '\n');
}

export async function compileTemplates(): Promise<Record<string, EmailTemplateParts>> {
  const { default: mjml2html } = (await import('mjml')) as unknown as {
    default: (source: string, options: object) => Promise<{ html: string; errors: Array<{ formattedMessage: string }> }>;
  };
  const out: Record<string, EmailTemplateParts> = {};
  for (const { kind, language } of allTemplateKeys()) {
    const { html, errors } = await mjml2html(mjmlSource(kind, language), { validationLevel: 'strict', keepComments: false });
    if (errors.length) throw new Error(`MJML errors in ${kind}/${language}: ${errors.map((e) => e.formattedMessage).join('; ')}`);
    out[`${kind}/${language}`] = { subject: subjectSource(kind, language), html: compact(html), text: textSource(kind, language) };
  }
  return out;
}

export async function generatedFiles(): Promise<Array<{ path: string; text: string }>> {
  const templates = await compileTemplates();
  const names = Object.fromEntries(
    allTemplateKeys().map(({ kind, language }) => [
      `${kind}/${language}`,
      templateName(kind, language, templates[`${kind}/${language}`] as EmailTemplateParts),
    ]),
  );
  return [
    {
      path: COMPILED_FILE,
      text: `${HEADER}\nimport type { EmailTemplateParts } from '../email-templates.ts';\n\nexport const COMPILED_TEMPLATES: Record<string, EmailTemplateParts> = ${JSON.stringify(templates, null, 1)};\n`,
    },
    {
      path: NAMES_FILE,
      text: `${HEADER}\n// The SES template of each phase and language, named by a hash of its content (see email-templates.generated.ts).\n\nexport const EMAIL_TEMPLATE_NAMES: Readonly<Record<string, string>> = ${JSON.stringify(names, null, 1)};\n`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = await generatedFiles();
  if (process.argv.includes('--check')) {
    const stale = files.filter((file) => readFileSync(file.path, 'utf8') !== file.text);
    if (stale.length) {
      console.error(`${stale.map((file) => file.path).join(', ')} out of date: run npm run build:emails`);
      process.exit(1);
    }
  } else {
    for (const file of files) {
      writeFileSync(file.path, file.text);
      console.log(`wrote ${file.path} (${file.text.length} characters)`);
    }
  }
}
