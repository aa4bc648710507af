import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import { parseRosterCsv, parseRosterJson } from '../../domain/roster.ts';
import { parseColumnMapping } from '../../domain/roster-mapping-file.ts';
import { importRosterFile, RosterRejectedError } from '../../services/roster-files.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const program: Program = programSchema.parse(JSON.parse(read('examples/program.json')) as ProgramInput);
const catalog = program.skillsCatalog;
/** The Brazilian HR export: `;`, BOM, CRLF, Portuguese headers, skills as people write them, a trailing `;;;;` row. */
const exportRh = read('examples/export-rh.csv');
const exportWithDefects = read('test/fixtures/export-rh-com-defeitos.csv');
const mapping = parseColumnMapping(read('examples/mapeamento-rh.yaml'), 'mapeamento-rh.yaml');

const HEADER = 'id;name;email;department;birth_year;seniority;skills_offered;skills_wanted;languages';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

describe('skill cells as people write them', () => {
  it('reads labels and aliases in either language, any case, with or without accents, separated by commas, semicolons or pipes', () => {
    const result = parseRosterCsv(
      csv('p1;Ana;ana@example.com;TI;1995;3;"Excel avancado:4, IA GENERATIVA; python";Planejamento Estratégico | negotiation:5;pt'),
      catalog,
    );
    expect(result.issues).toEqual([]);
    expect(result.participants[0]?.skillsOffered).toEqual([
      { skill: 'excel-avancado', level: 4 },
      { skill: 'ai-tools', level: 3 },
      { skill: 'python', level: 3 },
    ]);
    expect(result.participants[0]?.skillsWanted).toEqual([
      { skill: 'strategic-planning', priority: 3 },
      { skill: 'negotiation', priority: 5 },
    ]);
  });

  it('keeps a skill written twice in one cell once', () => {
    const result = parseRosterCsv(csv('p1;Ana;ana@example.com;TI;1995;3;"Python:4, python:2";;pt'), catalog);
    expect(result.participants[0]?.skillsOffered).toEqual([{ skill: 'python', level: 4 }]);
  });

  it('reports each unknown skill on its line with the closest catalog labels in the program language, and keeps nobody', () => {
    const result = parseRosterCsv(
      csv(
        'p1;Ana;ana@example.com;TI;1995;3;Pyton:4;;pt',
        'p2;Bia;bia@example.com;TI;1996;3;Malabarismo;Negociaçao;pt',
        'p3;Caio;caio@example.com;TI;1997;3;pyton;;pt',
      ),
      catalog,
      { language: 'pt-BR' },
    );
    expect(result.participants).toEqual([]);
    expect(result.issues).toEqual([
      { where: 'line 2: skills_offered', problem: '"Pyton" is not in the program\'s skills catalog; closest: "Python" (--add-unknown-skills adds it)' },
      { where: 'line 3: skills_offered', problem: '"Malabarismo" is not in the program\'s skills catalog (--add-unknown-skills adds it)' },
      { where: 'line 4: skills_offered', problem: '"pyton" is not in the program\'s skills catalog; closest: "Python" (--add-unknown-skills adds it)' },
    ]);
    expect(result.unknownSkills).toEqual([
      { text: 'Pyton', where: ['line 2', 'line 4'], suggestions: ['Python'] },
      { text: 'Malabarismo', where: ['line 3'], suggestions: [] },
    ]);
  });

  it('adds unknown skills to the catalog when asked, labelled as first written, and later rows find them', () => {
    const result = parseRosterCsv(
      csv('p1;Ana;ana@example.com;TI;1995;3;Design de serviços:4;;pt', 'p2;Bia;bia@example.com;TI;1996;3;;design de servicos;pt'),
      catalog,
      { addUnknownSkills: true },
    );
    expect(result.issues).toEqual([]);
    expect(result.addedSkills).toEqual([
      { id: 'design-de-servicos', labels: { 'pt-BR': 'Design de serviços', en: 'Design de serviços' }, aliases: [], digital: false },
    ]);
    expect(result.participants.map((p) => [...p.skillsOffered.map((s) => s.skill), ...p.skillsWanted.map((s) => s.skill)])).toEqual([
      ['design-de-servicos'],
      ['design-de-servicos'],
    ]);
  });

  it('reads a JSON roster naming skills by label', () => {
    const result = parseRosterJson(
      JSON.stringify([
        {
          participantId: 'p1',
          name: 'Ana',
          email: 'ana@example.com',
          department: 'TI',
          birthYear: 1995,
          seniority: 3,
          languages: ['pt'],
          skillsOffered: [{ skill: 'Visualização de dados', level: 4 }],
        },
      ]),
      catalog,
    );
    expect(result.issues).toEqual([]);
    expect(result.participants[0]?.skillsOffered).toEqual([{ skill: 'data-visualisation', level: 4 }]);
  });
});

describe('rows as spreadsheets write them', () => {
  it('skips rows whose cells are all empty and counts them', () => {
    const result = parseRosterCsv(csv('p1;Ana;ana@example.com;TI;1995;3;Python;;pt', ';;;;;;;;', ' ; ;;;;;;;'), catalog);
    expect(result.issues).toEqual([]);
    expect(result.rows).toBe(1);
    expect(result.blankRows).toBe(2);
  });

  it('refuses an address whose local part is not ASCII, saying SES cannot deliver to it', () => {
    const result = parseRosterCsv(csv('p1;João;joão.gonçalves@empresa.com.br;TI;1995;3;Python;;pt'), catalog);
    expect(result.issues).toEqual([
      {
        where: 'line 2: email',
        problem: 'has letters outside ASCII before the @ (accents, ç): SES cannot deliver to it; ask HR for the ASCII address',
      },
    ]);
  });

  it('maps text values to numbers through a column mapping', () => {
    const levels = parseColumnMapping('values:\n  seniority: { Júnior: 3, Sênior: 8 }\n', 'm.yaml');
    expect(levels.values.seniority).toEqual({ Júnior: '3', Sênior: '8' });
    const result = parseRosterCsv(csv('p1;Ana;ana@example.com;TI;1995;Sênior;Python;;pt', 'p2;Bia;bia@example.com;TI;1996;junior;;;pt'), catalog, {
      mapping: levels,
    });
    expect(result.issues).toEqual([]);
    expect(result.participants.map((p) => p.seniority)).toEqual([8, 3]);
  });

  it('names text in a number column as written, with how a mapping turns it into a number', () => {
    const result = parseRosterCsv(csv('p1;Ana;ana@example.com;TI;1995;Estagiária;Python;;pt'), catalog);
    expect(result.issues).toEqual([
      {
        where: 'line 2: seniority',
        problem: '"Estagiária" is not a number; a column mapping can turn it into one (values: { seniority: { "Estagiária": 2 } })',
      },
    ]);
  });
});

describe('a Brazilian HR export', () => {
  it('imports with its column mapping: BOM, ";", CRLF, Portuguese headers, human skill labels, a trailing blank row', () => {
    const result = parseRosterCsv(exportRh, catalog, { mapping, language: 'pt-BR' });
    expect(result.issues).toEqual([]);
    expect(result.delimiter).toBe(';');
    expect(result.rows).toBe(8);
    expect(result.blankRows).toBe(1);
    expect(result.ignoredColumns).toEqual(['Centro de custo']);
    const carlos = result.participants.find((p) => p.participantId === '10245');
    expect(carlos).toMatchObject({
      name: 'Carlos Menezes',
      department: 'Finanças',
      seniority: 8,
      managerId: '10231',
      languages: ['pt'],
      preferredLanguage: 'pt-BR',
      skillsOffered: [
        { skill: 'financial-acumen', level: 3 },
        { skill: 'negotiation', level: 4 },
      ],
      skillsWanted: [
        { skill: 'excel-avancado', priority: 3 },
        { skill: 'data-visualisation', priority: 3 },
      ],
    });
  });

  it('reports each defect of its broken copy by line and reason', () => {
    const result = parseRosterCsv(exportWithDefects, catalog, { mapping, language: 'pt-BR' });
    expect(result.participants).toEqual([]);
    expect(result.badRows).toBe(4);
    expect(result.issues).toEqual([
      {
        where: 'line 4: email',
        problem: 'has letters outside ASCII before the @ (accents, ç): SES cannot deliver to it; ask HR for the ASCII address',
      },
      { where: 'line 6: skills_offered', problem: '"Pyton" is not in the program\'s skills catalog; closest: "Python" (--add-unknown-skills adds it)' },
      {
        where: 'line 8: seniority',
        problem: '"Estagiária" is not a number; a column mapping can turn it into one (values: { seniority: { "Estagiária": 2 } })',
      },
      { where: 'line 13: id', problem: '"10245" is used again (first on line 3)' },
    ]);
  });
});

describe('importRosterFile with skills', () => {
  async function storeWithProgram(): Promise<InMemoryStore> {
    const store = new InMemoryStore();
    await store.putProgram(program);
    return store;
  }

  it('writes nothing for a file with defects, and only its valid rows with skipBadRows', async () => {
    const store = await storeWithProgram();
    const request = { programId: program.programId, text: exportWithDefects, format: 'csv' as const, mapping };
    const error = await importRosterFile(store, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterRejectedError);
    expect(await store.listParticipants(program.programId)).toEqual([]);
    const skipped = await importRosterFile(store, { ...request, skipBadRows: true });
    expect(skipped).toMatchObject({ rows: 12, valid: 8, skipped: 4, written: 8, blankRows: 1 });
    expect((await store.listParticipants(program.programId)).map((p) => p.participantId).sort()).toEqual(
      ['10231', '10245', '10302', '10377', '20411', '20418', '20433', '20450'].sort(),
    );
  });

  it('lists unknown skills in a dry run without touching the catalog, and adds them when run for real', async () => {
    const store = await storeWithProgram();
    const text = csv('p1;Ana;ana@example.com;TI;1995;3;Design de serviços:4, Python;;pt');
    const request = { programId: program.programId, text, format: 'csv' as const, addUnknownSkills: true };
    const dry = await importRosterFile(store, { ...request, dryRun: true });
    expect(dry.addedSkills.map((s) => s.id)).toEqual(['design-de-servicos']);
    expect((await store.getProgram(program.programId))?.skillsCatalog).toEqual(catalog);
    expect(await store.listParticipants(program.programId)).toEqual([]);

    const real = await importRosterFile(store, request);
    expect(real.written).toBe(1);
    const stored = await store.getProgram(program.programId);
    expect(stored?.skillsCatalog.map((s) => s.id)).toEqual([...catalog.map((s) => s.id), 'design-de-servicos']);
    expect((await store.listParticipants(program.programId))[0]?.skillsOffered.map((s) => s.skill)).toEqual(['design-de-servicos', 'python']);

    const again = await importRosterFile(store, request);
    expect(again).toMatchObject({ written: 0, unchanged: 1, addedSkills: [] });
  });

  it('reads a program stored before skills had labels', async () => {
    const store = new InMemoryStore();
    const legacy = { ...program, skillsCatalog: [{ id: 'python', name: 'Python', digital: true }] } as unknown as Program;
    await store.putProgram(legacy);
    const result = await importRosterFile(store, { programId: program.programId, text: csv('p1;Ana;ana@example.com;TI;1995;3;python:5;;pt'), format: 'csv' });
    expect(result.written).toBe(1);
  });
});
