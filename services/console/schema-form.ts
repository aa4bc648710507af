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
  | { kind: 'lines' }
  | { kind: 'json' }
  | { kind: 'group'; fields: Field[]; optional: boolean };
export type Field = FieldKind & { name: string; path: string[] };

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

function fieldOf(def: Def, path: string[]): Field {
  const d = unwrap(def);
  const name = path.join('.');
  if (d.type === 'string') return { kind: 'text', name, path };
  if (d.type === 'number') return { kind: 'number', name, path };
  if (d.type === 'enum' && d.entries) return { kind: 'choice', options: Object.values(d.entries), name, path };
  if (d.type === 'array' && d.element && ['string', 'enum'].includes(unwrap(d.element._zod.def).type)) return { kind: 'lines', name, path };
  if (d.type === 'object' && d.shape)
    return {
      kind: 'group',
      fields: Object.entries(d.shape).map(([k, v]) => fieldOf(v._zod.def, [...path, k])),
      optional: def.type === 'optional',
      name,
      path,
    };
  return { kind: 'json', name, path };
}

export function formFields(schema: z.ZodMiniType): Field[] {
  const root = fieldOf(schema._zod.def, []);
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
      if (f.kind === 'choice') {
        input = `<select ${attrs}>${f.options.map((o) => `<option${o === current ? ' selected' : ''}>${e(o)}</option>`).join('')}</select>`;
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

/** Rebuilds the object a form describes; a JSON field that is not JSON is named as a problem at that field. */
export function readFields(fields: readonly Field[], form: FormData): { value: Record<string, unknown>; issues: ValidationIssue[] } {
  const value: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const set = (path: readonly string[], v: unknown) => {
    let target = value;
    for (const k of path.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1] as string] = v;
  };
  const isFilled = (raw: ReturnType<FormData['get']>) => typeof raw === 'string' && raw.trim() !== '';
  const typedInto = (list: readonly Field[]): boolean =>
    list.some((f) => (f.kind === 'group' ? typedInto(f.fields) : f.kind !== 'choice' && isFilled(form.get(f.name))));
  const walk = (list: readonly Field[]) => {
    for (const f of list) {
      if (f.kind === 'group') {
        // A select always posts a value, so an optional section (the approval) counts as given only when a field typed into it is filled.
        if (!f.optional || typedInto(f.fields)) walk(f.fields);
        continue;
      }
      const raw = form.get(f.name);
      if (typeof raw !== 'string') continue;
      const text = raw.trim();
      if (f.kind === 'number') set(f.path, text === '' ? undefined : Number(text));
      else if (f.kind === 'lines')
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
      } else if (text !== '') set(f.path, raw); // an empty input is a value not given: optional fields stay absent, defaults apply
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
