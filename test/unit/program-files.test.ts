import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { programSchema } from '../../domain/program.ts';
import { parseProgramText } from '../../services/program-files.ts';

const example = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  phaseWindows: Record<string, string>;
  skillsCatalog: Array<Record<string, unknown>>;
};

function refusal(text: string, file = 'program.json'): ValidationError {
  try {
    parseProgramText(text, file);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('a program file with keys no setting has', () => {
  it('is refused naming each misspelled key, with the setting it was probably meant to be', () => {
    const error = refusal(JSON.stringify({ ...example, aproval: { required: true }, phaseWindows: { ...example.phaseWindows, enrolment: 'P7D' } }));
    expect(error.issues).toEqual([
      { where: 'phaseWindows.enrolment', problem: 'is not a setting of phaseWindows; did you mean "enrollment"?' },
      { where: 'aproval', problem: 'is not a setting of a program; did you mean "approval"?' },
    ]);
  });

  it('is refused in YAML too, and in nested entries such as a skill or the matching settings', () => {
    const yaml = [
      'programId: p',
      'name: P',
      'language: en',
      'goalsAndExpectations: g',
      'skillsCatalog:',
      '  - id: ai',
      '    lables: { pt-BR: IA, en: AI }',
      'phaseWindows: { goalSetting: P14D, run: P90D, measure: P14D, feedback: P14D }',
      'checkInCadence: P14D',
      'sender: s@example.com',
      'hrContacts: [hr@example.com]',
      'opsContacts: [ops@example.com]',
      'matching: { mode: mutual, noRepeatCycle: 2 }',
    ].join('\n');
    const issues = refusal(yaml, 'program.yaml').issues;
    expect(issues).toContainEqual({ where: 'skillsCatalog.0.lables', problem: 'is not a setting of skillsCatalog.0; did you mean "labels"?' });
    expect(issues).toContainEqual({ where: 'matching.noRepeatCycle', problem: 'is not a setting of matching; did you mean "noRepeatCycles"?' });
  });

  it('names a key far from every setting without a guess', () => {
    expect(refusal(JSON.stringify({ ...example, budget: 100 })).issues).toEqual([{ where: 'budget', problem: 'is not a setting of a program' }]);
  });

  it('accepts free keys where the settings are a map (weights, roster mappings) and an editor’s $schema', () => {
    const program = parseProgramText(
      JSON.stringify({
        $schema: './program.schema.json',
        ...example,
        matching: { weights: { generationGap: 3 } },
        rosterMappings: { 'export-rh': { columns: { Matrícula: 'id' }, values: { seniority: { Júnior: 3 } } } },
      }),
      'program.json',
    );
    expect(program.matching.weights).toEqual({ generationGap: 3 });
  });

  it('accepts a program as stored and shown, so that show and update round-trip', () => {
    const stored = programSchema.parse(example);
    expect(parseProgramText(JSON.stringify(stored), 'program.json')).toEqual(stored);
  });
});

describe('a JSON program file with a key written twice', () => {
  it('is refused naming the key and its line, rather than keeping the last', () => {
    const text = JSON.stringify(example, null, 2).replace('{\n', '{\n  "programId": "first",\n');
    expect(refusal(text).issues).toEqual([{ where: 'line 3: programId', problem: 'is written twice in the same object; keep one' }]);
  });

  it('is refused in a nested object too, and a key equal to another only once unescaped counts', () => {
    const text = JSON.stringify({ ...example, phaseWindows: { ...example.phaseWindows } }).replace('"phaseWindows":{', '"phaseWindows":{"r\\u0075n":"P1D",');
    expect(refusal(text).issues).toEqual([{ where: 'line 1: phaseWindows.run', problem: 'is written twice in the same object; keep one' }]);
  });

  it('finds it in a file indented with tabs, as editors often write JSON', () => {
    const text = JSON.stringify(example, null, '\t').replace('{\n', '{\n\t"programId": "first",\n');
    expect(refusal(text).issues).toEqual([{ where: 'line 3: programId', problem: 'is written twice in the same object; keep one' }]);
  });

  it('does not count equal keys in different objects, nor text that only looks like a key', () => {
    const text = JSON.stringify({
      ...example,
      name: 'a "name": b',
      skillsCatalog: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
    });
    expect(parseProgramText(text, 'program.json').skillsCatalog.map((s) => s.id)).toEqual(['a', 'b']);
  });
});
