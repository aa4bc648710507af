import { closest, distance } from 'fastest-levenshtein';
import { isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, YAMLParseError } from 'yaml';
import { toJSONSchema } from 'zod';
import { issuesFromZod, ValidationError, type ValidationIssue } from '../domain/errors.ts';
import { programSchema, type Program } from '../domain/program.ts';
import { readTextFile } from './text-files.ts';

/**
 * YAML's warnings (an unknown tag such as `!!js/function`) would go to stderr as a Node process warning with the
 * process id; what such a file holds is refused by the schema instead, with the field named.
 */
const YAML_OPTIONS = { logLevel: 'error' } as const;

// Its own module because of the YAML parser: the console's function saves programs without it.

/**
 * Programs from a YAML or JSON file, validated against `programSchema`: every problem is named
 * with its field ("phaseWindows.run: must be an ISO 8601 duration").
 */
export function parseProgramText(text: string, fileName: string): Program {
  const yaml = /\.ya?ml$/i.test(fileName);
  let data: unknown;
  try {
    data = yaml ? parseYaml(text.replace(/^\uFEFF/, ''), YAML_OPTIONS) : JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : 'file';
    throw new ValidationError(`${fileName} is not valid ${yaml ? 'YAML' : 'JSON'}`, [
      { where, problem: (error as Error).message.split('\n')[0] ?? 'unreadable' },
    ]);
  }
  // Checked here, at the file boundary, not in programSchema: stored programs are read with that schema, and items
  // written by other versions may carry keys this one does not know.
  const unknown = unknownKeys(data);
  const duplicates = yaml ? [] : duplicateJsonKeys(text);
  const parsed = programSchema.safeParse(data);
  // Parts of the schema that refuse unknown keys themselves (a roster mapping) name them once, here.
  const schemaIssues = parsed.success
    ? []
    : issuesFromZod(parsed.error).filter((i) => !(/^Unrecognized key/.test(i.problem) && unknown.some((u) => u.where.startsWith(`${i.where}.`))));
  const issues = [...duplicates, ...unknown, ...schemaIssues];
  if (issues.length || !parsed.success) throw new ValidationError(`${fileName} is not a valid program`, issues);
  return parsed.data;
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
const pathText = (path: readonly string[]) => path.map((k) => (/^[^\s.]+$/.test(k) ? k : JSON.stringify(k))).join('.');

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

/**
 * Keys written twice in one JSON object (`"programId"` twice): JSON.parse keeps the last without a word.
 * The YAML parser reads JSON too (JSON is YAML's flow style) and keeps every key with its position when
 * asked not to refuse duplicates, so the text is read again with it and each object's keys compared.
 */
export function duplicateJsonKeys(text: string): ValidationIssue[] {
  const lines = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { ...YAML_OPTIONS, uniqueKeys: false, lineCounter: lines });
  const issues: ValidationIssue[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          const line = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : undefined;
          issues.push({ where: `${line ? `line ${line}: ` : ''}${pathText([...path, key])}`, problem: 'is written twice in the same object; keep one' });
        }
        seen.add(key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, String(i)]));
  };
  walk(document.contents, []);
  return issues;
}

/**
 * A program file from disk, as `tandem program create|update|validate --file` and `tandem match --program-file` read it:
 * missing, a folder, too large or not UTF-8 is refused with what to do, never read garbled.
 */
export async function readProgramFile(file: string): Promise<Program> {
  return parseProgramText(await readTextFile(file, { encodingHint: 'save it as UTF-8' }), file);
}
