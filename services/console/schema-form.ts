import { escapeHtml as e } from '../../domain/html.ts';
import type { ValidationIssue } from '../../domain/errors.ts';
import type * as z from '../../domain/validation.ts';

/**
 * A form built from a zod object schema, field by field, so the console's program form follows
 * the schema as it changes (a skills catalog with labels per language included) with no form code
 * to keep in step: text, number and choice fields become inputs; lists of text one line each;
 * nested objects fieldsets; anything else (lists of objects, tuples, records) a JSON text area.
 * Parsing the posted form back and validating it with the same schema names each problem at its field.
 */

type FieldKind =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'choice'; options: string[] }
  | { kind: 'boolean' }
  | { kind: 'lines' }
  | { kind: 'json' }
  | { kind: 'group'; fields: Field[] };
/**
 * `optional`: the schema lets the field (or a group around it) be absent or defaulted, so an empty
 * input means "not set" rather than an empty value (an unused optional group stays out entirely).
 */
export type Field = FieldKind & { name: string; path: string[]; optional: boolean };

interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  shape?: Record<string, { _zod: { def: Def } }>;
  entries?: Record<string, string>;
}

/** The schema under defaults, optionals and pipes: what a person types. */
function unwrap(def: Def): Def {
  if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType) return unwrap(def.innerType._zod.def);
  if (def.type === 'pipe' && def.in) return unwrap(def.in._zod.def);
  return def;
}

const mayBeAbsent = (def: Def): boolean => def.type === 'optional' || def.type === 'default' || def.type === 'prefault';

function fieldOf(def: Def, path: string[], insideOptional: boolean): Field {
  const d = unwrap(def);
  const at = { name: path.join('.'), path, optional: insideOptional || mayBeAbsent(def) };
  if (d.type === 'string') return { kind: 'text', ...at };
  if (d.type === 'number') return { kind: 'number', ...at };
  if (d.type === 'boolean') return { kind: 'boolean', ...at };
  if (d.type === 'enum' && d.entries) return { kind: 'choice', options: Object.values(d.entries), ...at };
  if (d.type === 'array' && d.element && ['string', 'enum'].includes(unwrap(d.element._zod.def).type)) return { kind: 'lines', ...at };
  if (d.type === 'object' && d.shape)
    return { kind: 'group', fields: Object.entries(d.shape).map(([k, v]) => fieldOf(v._zod.def, [...path, k], at.optional)), ...at };
  return { kind: 'json', ...at };
}

export function formFields(schema: z.ZodMiniType): Field[] {
  const root = fieldOf(schema._zod.def, [], false);
  if (root.kind !== 'group') throw new TypeError('a schema form needs an object schema');
  return root.fields;
}

const get = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

/** The inputs of a form, filled from `value` (a stored program, or what was posted), with each field's problems under it. */
export function renderFields(
  fields: readonly Field[],
  value: unknown,
  problems: ReadonlyMap<string, string[]>,
  labels: (field: Field) => { label: string; hint?: string },
  locked: ReadonlySet<string> = new Set(),
): string {
  return fields
    .map((f) => {
      const { label, hint } = labels(f);
      if (f.kind === 'group') return `<fieldset><legend>${e(label)}</legend>${renderFields(f.fields, value, problems, labels, locked)}</fieldset>`;
      const id = `f-${f.name.replace(/[^A-Za-z0-9]/g, '-')}`;
      const current = get(value, f.path);
      const issues = problems.get(f.name) ?? [];
      const described = [hint ? `${id}-hint` : '', issues.length ? `${id}-problem` : ''].filter(Boolean).join(' ');
      const attrs = `id="${id}" name="${e(f.name)}"${described ? ` aria-describedby="${described}"` : ''}${issues.length ? ' aria-invalid="true"' : ''}${locked.has(f.name) ? ' readonly' : ''}`;
      let input: string;
      if (f.kind === 'choice' || f.kind === 'boolean') {
        // An optional choice starts with "not set", so a group nobody filled in stays out of the program.
        const options = [...(f.optional ? [''] : []), ...(f.kind === 'boolean' ? ['true', 'false'] : f.options)];
        const chosen = typeof current === 'boolean' ? String(current) : current;
        input = `<select ${attrs}>${options.map((o) => `<option value="${e(o)}"${o === chosen ? ' selected' : ''}>${e(o)}</option>`).join('')}</select>`;
      } else if (f.kind === 'lines') {
        input = `<textarea ${attrs}>${e(Array.isArray(current) ? current.join('\n') : typeof current === 'string' ? current : '')}</textarea>`;
      } else if (f.kind === 'json') {
        input = `<textarea ${attrs}>${e(current === undefined ? '' : typeof current === 'string' ? current : JSON.stringify(current, null, 2))}</textarea>`;
      } else {
        const long = typeof current === 'string' && current.length > 120;
        input = long
          ? `<textarea ${attrs}>${e(current)}</textarea>`
          : `<input type="${f.kind === 'number' ? 'number' : 'text'}" ${attrs} value="${e(typeof current === 'string' || typeof current === 'number' ? current : '')}">`;
      }
      return `<label for="${id}">${e(label)}</label>${hint ? `<p class="hint" id="${id}-hint">${e(hint)}</p>` : ''}${input}${
        issues.length ? `<p class="problem" id="${id}-problem">${issues.map((i) => e(i)).join('; ')}</p>` : ''
      }`;
    })
    .join('\n');
}

const PLAIN_DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

/** Rebuilds the object a form describes; a JSON field that is not JSON is named as a problem at that field. */
export function readFields(fields: readonly Field[], form: FormData): { value: Record<string, unknown>; issues: ValidationIssue[] } {
  const value: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const set = (path: readonly string[], v: unknown) => {
    let target = value;
    for (const k of path.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1] as string] = v;
  };
  const walk = (list: readonly Field[]) => {
    for (const f of list) {
      if (f.kind === 'group') {
        walk(f.fields);
        continue;
      }
      const raw = form.get(f.name);
      if (typeof raw !== 'string') continue;
      const text = raw.trim();
      if (text === '' && f.optional && f.kind !== 'lines') continue;
      if (f.kind === 'boolean') set(f.path, text === 'true');
      else if (f.kind === 'number') {
        // Digits only: Number() would read "0x10" as 16 and "1e1" as 10.
        if (text === '' || PLAIN_DECIMAL.test(text)) set(f.path, text === '' ? undefined : Number(text));
        else issues.push({ where: f.name, problem: 'must be a number written in digits, like 3 or 0.5' });
      } else if (f.kind === 'lines')
        set(
          f.path,
          text
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        );
      else if (f.kind === 'json') {
        if (text === '') continue;
        try {
          set(f.path, JSON.parse(text));
        } catch (error) {
          issues.push({ where: f.name, problem: `is not valid JSON: ${(error as Error).message}` });
        }
      }
      // A browser posts a text area's line breaks as CRLF (HTML's form submission); kept as they came, an unedited save would count as a change.
      else set(f.path, raw.replace(/\r\n?/g, '\n'));
    }
  };
  walk(fields);
  return { value, issues };
}

/** Problems by the field that shows them: the longest field name that the problem's path starts with. */
export function problemsByField(
  fields: readonly Field[],
  issues: readonly ValidationIssue[],
): { byField: Map<string, string[]>; elsewhere: ValidationIssue[] } {
  const names: string[] = [];
  const collect = (list: readonly Field[]) => list.forEach((f) => (f.kind === 'group' ? collect(f.fields) : names.push(f.name)));
  collect(fields);
  const byField = new Map<string, string[]>();
  const elsewhere: ValidationIssue[] = [];
  for (const issue of issues) {
    const owner = names.filter((n) => issue.where === n || issue.where.startsWith(`${n}.`)).sort((a, b) => b.length - a.length)[0];
    if (!owner) {
      elsewhere.push(issue);
      continue;
    }
    const detail = issue.where === owner ? issue.problem : `${issue.where.slice(owner.length + 1)}: ${issue.problem}`;
    byField.set(owner, [...(byField.get(owner) ?? []), detail]);
  }
  return { byField, elsewhere };
}
