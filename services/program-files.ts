import { isMap, isScalar, isSeq, LineCounter, parse as parseYaml, parseDocument, YAMLParseError } from 'yaml';
import { ValidationError, type ValidationIssue } from '../domain/errors.ts';
import { checkProgram, pathText } from '../domain/program-check.ts';
import type { Program } from '../domain/program.ts';
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
  const duplicates = yaml ? [] : duplicateJsonKeys(text);
  const checked = checkProgram(data);
  if (duplicates.length || !checked.program) throw new ValidationError(`${fileName} is not a valid program`, [...duplicates, ...checked.issues]);
  return checked.program;
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
