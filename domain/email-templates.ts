import { createHash } from 'node:crypto';
import type { AnsweredPhase, Language } from './program.ts';
import { LANGUAGES } from './program.ts';

/**
 * The participant emails as SES templates: one per phase and language. Their HTML is written in
 * MJML (email-mjml.ts) and compiled ahead of time into email-templates-compiled.ts, so the
 * Lambda bundles carry plain strings, never the MJML compiler. SES renders them with Handlebars:
 * free text goes in `{{{h.*}}}` (escaped here, once) in the HTML part and `{{{*}}}` in the text
 * part, so SES's own escaping rules never matter.
 */
export type EmailTemplateKind = AnsweredPhase;
export const EMAIL_TEMPLATE_KINDS: readonly EmailTemplateKind[] = ['goal-setting', 'run', 'measure', 'feedback'];

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
  reminder: boolean;
  timeLeft: string;
  round: string;
  rematch: boolean;
  goals: string;
  /** HTML-escaped copies of the text fields, for the HTML part. */
  h: { name: string; program: string; partners: string; deadline: string; link: string; optOut: string; timeLeft: string; round: string; goals: string };
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

// ---- a small Handlebars subset: {{{path}}}, {{path}}, {{#if path}}…{{else}}…{{/if}} -----------

type Node = { type: 'text'; value: string } | { type: 'var'; path: string; raw: boolean } | { type: 'if'; path: string; then: Node[]; else: Node[] };

const TOKEN = /\{\{\{\s*([\w.]+)\s*\}\}\}|\{\{\s*(#if\s+[\w.]+|else|\/if|[\w.]+)\s*\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { type: 'if' }>; inElse: boolean }> = [];
  const target = () => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.else : top.node.then) : root;
  };
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const [, raw, tag] = match;
    let start = match.index;
    let end = match.index + match[0].length;
    if (!raw && (tag?.startsWith('#if') || tag === 'else' || tag === '/if')) {
      // Like Handlebars, a block tag alone on its line takes the line with it ("standalone").
      const lineStart = source.lastIndexOf('\n', start - 1) + 1;
      const after = /^[ \t]*(\r?\n|$)/.exec(source.slice(end));
      if (lineStart >= last && /^[ \t]*$/.test(source.slice(lineStart, start)) && after) {
        start = lineStart;
        end += after[0].length;
      }
    }
    if (start > last) target().push({ type: 'text', value: source.slice(last, start) });
    last = end;
    if (raw) target().push({ type: 'var', path: raw, raw: true });
    else if (tag?.startsWith('#if')) {
      const node = { type: 'if' as const, path: tag.slice(3).trim(), then: [], else: [] };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (tag === 'else') {
      const top = stack[stack.length - 1];
      if (!top) throw new SyntaxError('{{else}} outside {{#if}}');
      top.inElse = true;
    } else if (tag === '/if') {
      if (!stack.pop()) throw new SyntaxError('{{/if}} without {{#if}}');
    } else target().push({ type: 'var', path: tag as string, raw: false });
  }
  if (stack.length) throw new SyntaxError('unclosed {{#if}}');
  if (last < source.length) target().push({ type: 'text', value: source.slice(last) });
  return root;
}

function lookup(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);
}

const truthy = (value: unknown) =>
  !(value === undefined || value === null || value === false || value === '' || value === 0 || (Array.isArray(value) && value.length === 0));
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };

function run(nodes: Node[], data: unknown): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return node.value;
      if (node.type === 'if') return run(truthy(lookup(data, node.path)) ? node.then : node.else, data);
      const value = lookup(data, node.path);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as Handlebars does: an object prints as [object Object]
      const text = value === undefined || value === null ? '' : String(value);
      return node.raw ? text : text.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c] as string);
    })
    .join('');
}

const parsed = new Map<string, Node[]>();

/** Renders a template part as SES does (the same Handlebars subset); used for previews, tests and non-SES mailers. */
export function renderTemplate(source: string, data: unknown): string {
  let nodes = parsed.get(source);
  if (!nodes) {
    nodes = parse(source);
    if (parsed.size > 100) parsed.clear();
    parsed.set(source, nodes);
  }
  return run(nodes, data);
}
