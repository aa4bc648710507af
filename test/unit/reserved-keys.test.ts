import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { checkProgram } from '../../domain/program-check.ts';
import { idSchema, programSchema } from '../../domain/program.ts';
import { parseColumnMapping } from '../../domain/roster-mapping-file.ts';
import { parseColumnMappingJson } from '../../domain/roster.ts';
import { RESERVED_KEY_PROBLEM } from '../../domain/reserved-keys.ts';
import { parseProgramText } from '../../services/program-files.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const base = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')) as Record<string, unknown>;
const withJson = (json: string) => ({ ...structuredClone(base), ...(JSON.parse(json) as Record<string, unknown>) });
const issuesOf = (error: unknown) => (error instanceof ValidationError ? error.issues : []);

describe('keys and ids JavaScript reserves', () => {
  it('refuses a program whose weights hold a "__proto__" key, which a record would drop without a word', () => {
    const program = { ...structuredClone(base), matching: { ...(base.matching as object), weights: JSON.parse('{"__proto__": {"skills": 5}}') as unknown } };
    expect(checkProgram(program).issues).toEqual([{ where: 'matching.weights.__proto__', problem: RESERVED_KEY_PROBLEM }]);
  });

  it('refuses a saved roster mapping named "constructor" in a program, and names it once', () => {
    const program = withJson('{"rosterMappings": {"constructor": {"columns": {"Matrícula": "id"}}}}');
    expect(checkProgram(program).issues).toEqual([{ where: 'rosterMappings.constructor', problem: RESERVED_KEY_PROBLEM }]);
  });

  it("refuses a skill or a participant id that is a reserved name, since ids key people's ratings", () => {
    const catalog = structuredClone(base.skillsCatalog) as Array<Record<string, unknown>>;
    (catalog[0] as Record<string, unknown>).id = 'constructor';
    expect(checkProgram({ ...structuredClone(base), skillsCatalog: catalog }).issues).toContainEqual({
      where: 'skillsCatalog.0.id',
      problem: RESERVED_KEY_PROBLEM,
    });
    for (const id of ['constructor', 'prototype']) expect(idSchema.safeParse(id).success).toBe(false);
    expect(idSchema.safeParse('constructors').success).toBe(true);
  });

  it('refuses a program file, JSON or YAML, that uses a reserved name as a key', () => {
    expect(() => parseProgramText(JSON.stringify(base).replace(/}$/, ', "rosterMappings": {"prototype": {}}}'), 'program.json')).toThrow(ValidationError);
  });

  it('refuses a column mapping whose columns or values use a reserved name, JSON or YAML', () => {
    for (const json of ['{"columns": {"__proto__": "id"}}', '{"columns": {"constructor": "id"}}', '{"values": {"status": {"constructor": "active"}}}']) {
      let caught: unknown;
      try {
        parseColumnMappingJson(json);
      } catch (error) {
        caught = error;
      }
      expect(issuesOf(caught), json).toHaveLength(1);
      expect(issuesOf(caught)[0]?.problem).toBe(RESERVED_KEY_PROBLEM);
    }
    expect(() => parseColumnMapping('columns:\n  __proto__: id\n', 'mapping.yaml')).toThrow(/reserves/);
  });

  it('refuses to save a mapping under a reserved name and leaves the program as it was', async () => {
    const store = new InMemoryStore();
    const program = programSchema.parse({ ...structuredClone(base), programId: 'reserved-names' });
    await store.putProgram(program);
    const mapping = parseColumnMappingJson('{"columns": {"Matrícula": "id"}}');
    await expect(saveRosterMapping(store, { programId: 'reserved-names', name: 'constructor', mapping })).rejects.toThrow(ValidationError);
    expect(await store.getProgram('reserved-names')).toEqual(program);
  });
});
