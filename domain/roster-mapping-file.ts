import { parse as parseYaml } from 'yaml';
import { ValidationError } from './errors.ts';
import { columnMappingFrom, type ColumnMapping } from './roster.ts';

/**
 * YAML's warnings (an unknown tag such as `!!js/function`) would go to stderr as a Node process warning with the
 * process id; what such a file holds is refused by the schema instead, with the field named.
 */
const YAML_OPTIONS = { logLevel: 'error' } as const;

/**
 * Reads a column-mapping file (YAML or JSON); problems name the field. Its own module because
 * of the YAML parser: code that needs only roster parsing (the console's function) stays small.
 */
export function parseColumnMapping(text: string, fileName = 'mapping'): ColumnMapping {
  let data: unknown;
  try {
    data = /\.json$/i.test(fileName) ? JSON.parse(text.replace(/^\uFEFF/, '')) : parseYaml(text.replace(/^\uFEFF/, ''), YAML_OPTIONS);
  } catch (error) {
    throw new ValidationError(`${fileName} is not readable`, [{ where: 'file', problem: (error as Error).message.split('\n')[0] ?? 'unreadable' }]);
  }
  return columnMappingFrom(data, fileName);
}
