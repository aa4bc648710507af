import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { parseColumnMapping } from '../../domain/roster-mapping-file.ts';
import { parseRosterCsv, type ColumnMapping } from '../../domain/roster.ts';
import { loadMatchPreviewInput } from '../../services/match-preview.ts';
import { parseProgramText, readProgramFile } from '../../services/program-files.ts';
import { importRosterFile } from '../../services/roster-files.ts';
import { readTextFile } from '../../services/text-files.ts';
import { newCycle } from '../../domain/cycle.ts';
import { parseAttendanceList } from '../../domain/sessions.ts';
import { membersOf } from '../../services/phases/identify/index.ts';
import { importRoster } from '../../services/roster-import.ts';
import { addSession, recordAttendance } from '../../services/sessions.ts';
import { expectNoInternals, FUZZ_TIMEOUT, hostileText, runs, snapshot } from '../support/fuzz.ts';
import { matchedSampleCohort, SAMPLE_PROGRAM_JSON, SAMPLE_ROSTER_CSV, sampleProgram, sessionInput } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

/*
 * Hostile files at every CLI file input (issue #15): the roster (`tandem roster import`, `tandem match
 * --roster`), the column mapping (`--mapping`, YAML or JSON) and the program (`tandem program create
 * --file`, `tandem match --program-file`), read in process through the services the commands call.
 * Properties: a file is read or refused with a ValidationError naming where (file, line, participant,
 * field), never another error; nothing is written when the import refuses; an accepted import writes
 * exactly the rows it counted valid. A handful of cases run the real `tandem` command to check its exit
 * code and that stderr has no stack trace.
 */

const root = resolve(import.meta.dirname, '../..');
const rosterJson = JSON.stringify(
  SAMPLE_ROSTER_CSV.split('\n')
    .slice(1, 4)
    .map((line) => ({ id: line.split(',')[0] })),
);
const program: Program = sampleProgram('fuzz-files');
const programYaml = stringifyYaml(JSON.parse(SAMPLE_PROGRAM_JSON));
const scratch = mkdtempSync(join(tmpdir(), 'tandem-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Where a roster's problem is: the file, a line of a CSV, a participant of a JSON roster. */
const ROSTER_WHERE = /^(file|line \d+|participant \d+)(: .+)?$/s;
/** Where a mapping's or program's problem is: the file, a line, or a field's path (which may hold any key the file has). */
const FIELD_WHERE = /^\S/;

/** What HR may hand the CLI: the sample file mutated in the ways spreadsheets and hands break files. */
function hostileFile(sample: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, sample.length - 1) });
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.tuple(at, hostileText).map(([i, text]) => `${sample.slice(0, i)}${text}${sample.slice(i)}`),
    fc.tuple(at, at).map(([a, b]) => sample.slice(0, Math.min(a, b)) + sample.slice(Math.max(a, b))),
    fc.constantFrom(
      `\ufeff${sample}`,
      `\ufeff\ufeff${sample}`,
      Buffer.from(`\ufeff${sample}`, 'utf16le').toString('latin1'),
      sample.replace(/,/g, ';').replace(/;/, ','),
      sample.replace(/\n/g, '\r'),
      sample.replace(/\n/g, '\r\n'),
      sample.replace(/a/g, '\u0000'),
      sample.replace(/,/, ',"'),
      sample.replace(/\n/, `,${sample.split('\n')[0]}\n`),
      sample.replace(/\n(\w+),/, '\n=HYPERLINK("http://x","$1"),'),
      sample.replace(/\n(\w+),/, "\n+cmd|' /C calc'!A0,"),
      sample.replace(/\n/, `\n${'x'.repeat(200_000)},`),
      `${sample}\n${'"'.repeat(5_000)}`,
      '',
      '\n\n\n',
    ),
  );
}

/** Texts a YAML or JSON parser can be made to choke on: alias bombs, tags, deep nesting, prototype keys. */
const hostileStructured = fc.oneof(
  fc.json(),
  fc.constantFrom(
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    '!!js/function "function(){}"',
    '!!binary SGVsbG8=',
    '? [a]\n: b',
    'columns: {__proto__: id}',
    '__proto__: {polluted: true}',
    'constructor: {prototype: {x: 1}}',
    '{"__proto__": {"polluted": true}, "columns": {}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    `${'- '.repeat(2_000)}x`,
    'a: 1\na: 2',
    '<<: *missing',
    'delimiter: tab\ndelimiter: ","',
    'columns:\n  Nome: name\n  Nome: email',
    '%YAML 9.9\n---\na: 1',
    '--- |\n  \u0000',
  ),
);

/** A refusal: a ValidationError whose issues name where, and nothing a person should not see. */
function expectNamedRefusal(error: unknown, where: string, place: RegExp = FIELD_WHERE): void {
  if (!(error instanceof ValidationError)) throw error;
  expectNoInternals(error.message, where);
  for (const issue of error.issues) {
    expect(issue.where, `${where}: issue place`).toMatch(place);
    expect(issue.problem.length, `${where}: an issue without a problem`).toBeGreaterThan(0);
    expectNoInternals(`${issue.where}: ${issue.problem}`, where);
  }
}

let scratchFiles = 0;

/** Writes generated contents to a file of its own in the scratch folder (`name` with a number before its extension), as HR hands a file to the CLI. */
function scratchFile(name: string, contents: string | Buffer): string {
  const file = join(
    scratch,
    name.replace(/(\.[^.]*)?$/, (extension) => `-${++scratchFiles}${extension}`),
  );
  writeFileSync(file, contents);
  return file;
}

/** Reads as the command does: what was read, or the refusal, which must name where (any other error fails the test). */
async function readOrRefusal<T>(
  where: string,
  read: () => Promise<T>,
): Promise<{ read: T; refusal?: undefined } | { read?: undefined; refusal: ValidationError }> {
  try {
    return { read: await read() };
  } catch (error) {
    expectNamedRefusal(error, where);
    return { refusal: error as ValidationError };
  }
}

describe('hostile roster files (tandem roster import)', () => {
  for (const format of ['csv', 'json'] as const) {
    it(`reads or refuses a hostile ${format.toUpperCase()} roster by line and reason, writing nothing when it refuses`, { timeout: FUZZ_TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileFile(format === 'csv' ? SAMPLE_ROSTER_CSV : rosterJson),
          fc.record({ dryRun: fc.boolean(), skipBadRows: fc.boolean(), addUnknownSkills: fc.boolean() }),
          async (text, options) => {
            const store = new InMemoryStore();
            await store.putProgram(program);
            const before = snapshot(store);
            try {
              const result = await importRosterFile(store, { programId: program.programId, text, format, ...options });
              const stored = await store.listParticipants(program.programId);
              if (result.dryRun) expect(snapshot(store)).toBe(before);
              else expect(stored.length, 'participants written').toBe(result.written + result.unchanged);
              expect(result.written + result.unchanged).toBe(result.dryRun ? 0 : result.valid);
              for (const issue of result.issues) expect(issue.where).toMatch(ROSTER_WHERE);
            } catch (error) {
              expectNamedRefusal(error, `${format} roster`, ROSTER_WHERE);
              expect(snapshot(store), 'a refused import changed the store').toBe(before);
            }
          },
        ),
        { numRuns: runs(100) },
      );
    });
  }

  it('reads or refuses a hostile roster through a hostile column mapping, writing nothing when it refuses', { timeout: FUZZ_TIMEOUT }, async () => {
    const plausibleMapping = 'columns:\n  id: id\n  Nome: name\nvalues:\n  status: { Ativo: active }\ndefaults:\n  seniority: "3"\n';
    await fc.assert(
      fc.asyncProperty(hostileFile(SAMPLE_ROSTER_CSV), fc.oneof(hostileFile(plausibleMapping), hostileStructured), async (text, mappingText) => {
        let mapping: ColumnMapping;
        try {
          mapping = parseColumnMapping(mappingText, 'mapping.yaml');
        } catch (error) {
          expectNamedRefusal(error, 'mapping');
          return;
        }
        const store = new InMemoryStore();
        await store.putProgram(program);
        const before = snapshot(store);
        try {
          await importRosterFile(store, { programId: program.programId, text, format: 'csv', mapping });
        } catch (error) {
          expectNamedRefusal(error, 'mapped roster', ROSTER_WHERE);
          expect(snapshot(store)).toBe(before);
        }
      }),
      { numRuns: runs(100) },
    );
  });

  it('reads CSV rows of any cells under any delimiter without throwing, naming each problem’s line', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.array(fc.array(hostileText, { minLength: 1, maxLength: 16 }), { maxLength: 6 }), fc.constantFrom(',', ';', '\t', '|'), (rows, d) => {
        const header = SAMPLE_ROSTER_CSV.split('\n')[0] as string;
        const text = [header.split(',').join(d), ...rows.map((cells) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(d))].join('\n');
        const parsed = parseRosterCsv(text, program.skillsCatalog, { language: program.language });
        for (const issue of parsed.issues) {
          expect(issue.where).toMatch(ROSTER_WHERE);
          expectNoInternals(issue.problem, 'csv cell');
        }
        expect(parsed.participants.length + (parsed.badRows ?? 0) + (parsed.blankRows ?? 0)).toBeLessThanOrEqual(rows.length);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('what the roster fuzz found', () => {
  it('refuses a row whose unknown skill is too long to add to the catalog, naming its line, and writes nothing', async () => {
    const store = new InMemoryStore();
    await store.putProgram(program);
    const before = snapshot(store);
    const [header, first] = SAMPLE_ROSTER_CSV.split('\n') as [string, string];
    const longSkill = 'Planejamento '.repeat(10).trim();
    const row = first.replace(/Negociação:5/, `${longSkill}:5`);
    const error = await importRosterFile(store, { programId: program.programId, text: `${header}\n${row}\n`, format: 'csv', addUnknownSkills: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { where: 'line 2: skills_offered', problem: `"${longSkill.slice(0, 77)}..." cannot be added to the skills catalog: must be at most 80 characters` },
    ]);
    expect(snapshot(store)).toBe(before);
  });
});

describe('hostile column-mapping and program files', () => {
  for (const name of ['mapping.yaml', 'mapping.json']) {
    it(`reads or refuses a hostile ${name} naming the field, never another error`, { timeout: FUZZ_TIMEOUT }, () => {
      fc.assert(
        fc.property(fc.oneof(hostileStructured, hostileFile('columns:\n  Matrícula: id\ndelimiter: ";"\n')), (text) => {
          try {
            const mapping = parseColumnMapping(text, name);
            expect(Object.getPrototypeOf(mapping.columns)).not.toHaveProperty('polluted');
          } catch (error) {
            expectNamedRefusal(error, name);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: runs(100) },
      );
    });
  }

  for (const [name, sample] of [
    ['program.yaml', programYaml],
    ['program.json', SAMPLE_PROGRAM_JSON],
  ] as const) {
    it(`reads or refuses a hostile ${name} naming the field, never another error`, { timeout: FUZZ_TIMEOUT }, () => {
      fc.assert(
        fc.property(fc.oneof(hostileStructured, hostileFile(sample)), (text) => {
          try {
            programSchema.parse(parseProgramText(text, name));
          } catch (error) {
            expectNamedRefusal(error, name);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: runs(100) },
      );
    });
  }

  it(
    'reads a hostile file from disk as UTF-8 or refuses it saying which encoding to save it in (random bytes, UTF-16, BOMs)',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
            hostileFile(SAMPLE_ROSTER_CSV).map((t) => Buffer.from(t, 'utf8')),
            hostileFile(SAMPLE_ROSTER_CSV).map((t) => Buffer.from(`\ufeff${t}`, 'utf16le')),
          ),
          fc.constantFrom<'utf-8' | 'windows-1252'>('utf-8', 'windows-1252'),
          async (bytes, encoding) => {
            const file = scratchFile('roster.csv', bytes);
            const { read, refusal } = await readOrRefusal('text file', () => readTextFile(file, { encoding }));
            // A UTF-8 file asked to be read as Windows-1252 is refused as such: every byte sequence is some Windows-1252 text.
            if (refusal)
              expect(refusal.message).toMatch(
                /is not (UTF-8|Windows-1252) text|is UTF-8 text, not Latin-1|is UTF-16 text, which Tandem does not read: save it as UTF-8/,
              );
            else expect(typeof read).toBe('string');
          },
        ),
        { numRuns: runs(100) },
      );
    },
  );

  it(
    'reads a program file from disk (tandem program create --file) only as UTF-8, refusing other bytes instead of garbling them',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constant(Buffer.from(SAMPLE_PROGRAM_JSON.replace('"name": "', '"name": "Negociação '), 'latin1')),
            fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
            hostileFile(SAMPLE_PROGRAM_JSON).map((t) => Buffer.from(t, 'utf8')),
            hostileFile(SAMPLE_PROGRAM_JSON).map((t) => Buffer.from(t, 'latin1')),
          ),
          async (bytes) => {
            const file = scratchFile('program.json', bytes);
            const utf8 = (() => {
              try {
                new TextDecoder('utf-8', { fatal: true }).decode(bytes);
                return true;
              } catch {
                return false;
              }
            })();
            const { read, refusal } = await readOrRefusal('program file', () => readProgramFile(file));
            if (refusal) {
              if (!utf8) expect(refusal.message).toMatch(/is not UTF-8 text|is UTF-16 text/);
            } else {
              expect(utf8, 'a file that is not UTF-8 was read').toBe(true);
              expect(read.programId.length).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: runs(60) },
      );
    },
  );

  it(
    'previews a match (tandem match --program-file --roster) from hostile files or refuses them with a ValidationError',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ arbitrary: fc.constant(SAMPLE_PROGRAM_JSON), weight: 2 }, hostileFile(SAMPLE_PROGRAM_JSON), hostileStructured),
          hostileFile(SAMPLE_ROSTER_CSV),
          async (programText, rosterText) => {
            const files = { programFile: scratchFile('program.json', programText), rosterFile: scratchFile('roster.csv', rosterText) };
            const { read } = await readOrRefusal('match preview', () => loadMatchPreviewInput(files, () => new InMemoryStore()));
            if (read) expect(Array.isArray(read.roster)).toBe(true);
          },
        ),
        { numRuns: runs(60) },
      );
    },
  );
});

describe('a hostile attendance file (tandem session attendance --file)', () => {
  it('records the members it names or refuses naming each unknown entry, changing nothing then', { timeout: FUZZ_TIMEOUT }, async () => {
    const store = new InMemoryStore();
    const clock = { now: () => Date.UTC(2027, 2, 2, 12) };
    const { roster, pairs } = await matchedSampleCohort(program);
    await store.putProgram(program);
    await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
    await store.createCycle(newCycle(program, 'fuzz-attendance', Date.UTC(2027, 2, 1)));
    await store.putCohort('fuzz-attendance', membersOf(roster, pairs, program), pairs);
    const session = { store, clock };
    await addSession(session, 'fuzz-attendance', sessionInput({ skills: [program.skillsCatalog[0]?.id as string], capacity: 10 }));
    // Attendance is recorded once the session (20 March) has started.
    const afterIt = { store, clock: { now: () => Date.UTC(2027, 2, 21, 12) } };
    const known = roster.flatMap((p) => [p.participantId, p.email, p.email.toUpperCase()]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...known), hostileText), { maxLength: 8 }),
        fc.constantFrom('\n', ',', ';', '\r\n', ' '),
        async (entries, separator) => {
          const before = snapshot(store);
          try {
            const recorded = await recordAttendance(afterIt, 'fuzz-attendance', 'ai-101', parseAttendanceList(entries.join(separator)));
            expect(recorded.session.attended?.every((id) => roster.some((p) => p.participantId === id))).toBe(true);
          } catch (error) {
            expectNamedRefusal(error, 'attendance');
            expect(snapshot(store)).toBe(before);
          }
        },
      ),
      { numRuns: runs(60) },
    );
  });
});

describe('the tandem command given hostile files', () => {
  const tandem = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((done) => {
      execFile(
        process.execPath,
        [resolve(root, 'cli/bin/tandem.js'), ...args],
        { cwd: scratch, env: { ...process.env, TANDEM_TABLE_NAME: '', NO_COLOR: '1' }, timeout: 60_000 },
        (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  const cases: Array<[string, string | Buffer, string | Buffer]> = [
    ['random bytes for both files', Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from([0xe2, 0x28, 0xa1, 0x00])],
    ['a UTF-16 roster', SAMPLE_PROGRAM_JSON, Buffer.from(`\ufeff${SAMPLE_ROSTER_CSV}`, 'utf16le')],
    [
      'a YAML alias bomb as the program',
      'x: !!js/function "f"\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      SAMPLE_ROSTER_CSV,
    ],
  ];

  it(
    'exits 2 (bad input) with a message on stderr and no stack trace, for random bytes, a UTF-16 roster and a YAML alias bomb with an unknown tag',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      // One process per case, all at once: each pays for starting the CLI, so only a few are run this way.
      await Promise.all(
        cases.map(async ([what, programText, rosterText]) => {
          const programFile = scratchFile(what.includes('YAML') ? 'cli-program.yaml' : 'cli-program.json', programText);
          const rosterFile = scratchFile('cli-roster.csv', rosterText);
          const run = await tandem(['match', '--program-file', programFile, '--roster', rosterFile]);
          expect(run.code, `${what}: ${run.stderr}`).toBe(2);
          expect(run.stderr, what).toMatch(/^tandem: /);
          expectNoInternals(run.stderr, what);
        }),
      );
    },
  );
});
