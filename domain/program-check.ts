import { closest, distance } from 'fastest-levenshtein';
import { issuesFromZod, type ValidationIssue } from './errors.ts';
import { programSchema, type Program } from './program.ts';
import { reservedKeys } from './reserved-keys.ts';
import { toJSONSchema } from './validation.ts';

/*
 * What a program is, checked the same way wherever one comes in: a file (`tandem program create|update|validate`,
 * `match --program-file`) and the console's program form. A key no setting has is refused, not dropped.
 */

/**
 * A program from data read at a boundary (a parsed file, a posted form): the schema's problems and every key
 * no setting has (`unknownKeys`), each named once. Checked here, not in programSchema: stored programs are read
 * with that schema, and items written by other versions may carry keys this one does not know.
 */
export function checkProgram(data: unknown): { program: Program; issues: [] } | { program?: undefined; issues: ValidationIssue[] } {
  const reserved = reservedKeys(data);
  const unknown = unknownKeys(data).filter((u) => !reserved.some((r) => r.where === u.where));
  const parsed = programSchema.safeParse(data);
  // Parts of the schema that refuse unknown keys themselves (a roster mapping) name them once, here.
  const schemaIssues = parsed.success
    ? []
    : issuesFromZod(parsed.error).filter((i) => !(/^Unrecognized key/.test(i.problem) && unknown.some((u) => u.where.startsWith(`${i.where}.`))));
  const issues = [...reserved, ...unknown, ...schemaIssues.filter((i) => !reserved.some((r) => i.where === r.where || i.where.startsWith(`${r.where}.`)))];
  return parsed.success && issues.length === 0 ? { program: parsed.data, issues: [] } : { issues };
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** The program file's JSON Schema (what `tandem program schema` prints), worked out once. */
let programJsonSchema: JsonSchema | undefined;

/** A path as issues name it: `phaseWindows.enrolment`; a key that would not read as one (empty, spaces, dots) in quotes. */
export const pathText = (path: readonly string[]) => path.map((k) => (/^[^\s.]+$/.test(k) ? k : JSON.stringify(k))).join('.');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keys a program file holds that no setting has, anywhere in it (`aproval`, `phaseWindows.enrolment`), each
 * with the closest key where one is a near miss. The schema strips such keys, so without this a misspelled
 * setting would be dropped without a word (and `program update` would remove the real one). A JSON file's
 * `$schema` (an editor's hint) is allowed at the top.
 */
export function unknownKeys(data: unknown): ValidationIssue[] {
  programJsonSchema ??= toJSONSchema(programSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const root = programJsonSchema;
  const issues: ValidationIssue[] = [];
  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema.$ref?.match(/^#\/\$defs\/(.+)$/)?.[1];
    return ref && root.$defs?.[ref] ? resolve(root.$defs[ref]) : schema;
  };
  const walk = (raw: JsonSchema | boolean | undefined, value: unknown, path: string[], out: ValidationIssue[]): void => {
    if (raw === undefined || typeof raw === 'boolean') return;
    const schema = resolve(raw);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) {
      // The branch that fits best: the one that finds the fewest unknown keys.
      const found = branches.map((b) => {
        const own: ValidationIssue[] = [];
        walk(b, value, path, own);
        return own;
      });
      out.push(...(found.sort((a, b) => a.length - b.length)[0] ?? []));
      return;
    }
    for (const part of schema.allOf ?? []) walk(part, value, path, out);
    if (isObject(value) && (schema.properties || schema.additionalProperties !== undefined)) {
      const known = Object.keys(schema.properties ?? {});
      for (const [key, child] of Object.entries(value)) {
        if (schema.properties && Object.hasOwn(schema.properties, key)) walk(schema.properties[key], child, [...path, key], out);
        else if (isObject(schema.additionalProperties)) walk(schema.additionalProperties, child, [...path, key], out);
        else if (!(path.length === 0 && key === '$schema')) out.push(unknownKeyIssue([...path, key], known));
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(schema.prefixItems?.[i] ?? schema.items, item, [...path, String(i)], out));
    }
  };
  walk(root, data, [], issues);
  return issues;
}

function unknownKeyIssue(path: string[], known: string[]): ValidationIssue {
  const key = path[path.length - 1] ?? '';
  const near = known.length ? closest(key, known) : undefined;
  const hint =
    near !== undefined && distance(key.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(near.length / 4)) ? `; did you mean "${near}"?` : '';
  const where = pathText(path.slice(0, -1));
  return { where: pathText(path), problem: `is not a setting${where ? ` of ${where}` : ' of a program'}${hint}` };
}
