import { parse as parseYaml, YAMLParseError } from 'yaml';
import { issuesFromZod, ValidationError } from '../domain/errors.ts';
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
  const parsed = programSchema.safeParse(data);
  if (!parsed.success) throw new ValidationError(`${fileName} is not a valid program`, issuesFromZod(parsed.error));
  return parsed.data;
}

/**
 * A program file from disk, as `tandem program create|update|validate --file` and `tandem match --program-file` read it:
 * missing, a folder, too large or not UTF-8 is refused with what to do, never read garbled.
 */
export async function readProgramFile(file: string): Promise<Program> {
  return parseProgramText(await readTextFile(file, { encodingHint: 'save it as UTF-8' }), file);
}
