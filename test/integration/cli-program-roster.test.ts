import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { container } from '../../adapters/container.ts';
import { parseColumnMappingJson } from '../../domain/roster.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { createProgramWithRoster, testProgram, testRosterCsv, uniqueTag } from '../support/fixtures.ts';
import { tandem } from './cli-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, 'utf8');
  return path;
};

async function programFile(tag: string): Promise<string> {
  const program = testProgram(tag);
  return file(`${tag}.yaml`, toYaml(program));
}

describe('tandem program', () => {
  it('creates from YAML, refuses to create twice, shows, updates, and names unknown programs', async () => {
    const tag = uniqueTag('cli-prog');
    const path = await programFile(tag);
    const created = await tandem(['program', 'create', '--file', path]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Program ${tag}`);
    expect((await container().store.getProgram(tag))?.programId).toBe(tag);

    const again = await tandem(['program', 'create', '--file', path, '--json']);
    expect(again.code).toBe(6);
    expect(again.json<{ error: { kind: string } }>().error.kind).toBe('conflict');

    const shown = await tandem(['program', 'show', tag, '--json']);
    expect(shown.code).toBe(0);
    expect(shown.json()).toEqual(testProgram(tag));

    const changed = file(`${tag}-v2.json`, JSON.stringify({ ...testProgram(tag), name: 'Renamed program' }));
    const updated = await tandem(['program', 'update', '--file', changed, '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json<{ changed: string[] }>().changed).toEqual(['name']);
    expect((await container().store.getProgram(tag))?.name).toBe('Renamed program');

    const unknown = await tandem(['program', 'show', `${tag}-nope`]);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/program .*-nope does not exist/);
  });

  it('keeps the column mappings saved from the console when the file names none, and takes the ones a file names, keeping each replaced one in the audit log', async () => {
    const tag = uniqueTag('cli-prog-maps');
    expect((await tandem(['program', 'create', '--file', await programFile(tag)])).code).toBe(0);
    const saved = parseColumnMappingJson(JSON.stringify({ columns: { Matrícula: 'id' }, defaults: { languages: 'pt' } }));
    await saveRosterMapping(container().store, { programId: tag, name: 'export-rh', mapping: saved });

    const renamed = file(`${tag}-renamed.json`, JSON.stringify({ ...testProgram(tag), name: 'Mentoria 2027' }));
    const updated = await tandem(['program', 'update', '--file', renamed, '--program', tag, '--json']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json<{ changed: string[] }>().changed).toEqual(['name']);
    const stored = await container().store.getProgram(tag);
    expect(stored?.name).toBe('Mentoria 2027');
    expect(stored?.rosterMappings).toEqual({ 'export-rh': saved });

    const other = parseColumnMappingJson(JSON.stringify({ columns: { Codigo: 'id' } }));
    const withMappings = file(
      `${tag}-mappings.json`,
      JSON.stringify({ ...testProgram(tag), name: 'Mentoria 2027', rosterMappings: { 'export-folha': other } }),
    );
    const replaced = await tandem(['program', 'update', '--file', withMappings, '--json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json<{ changed: string[]; removedRosterMappings: string[] }>()).toMatchObject({
      changed: ['rosterMappings'],
      removedRosterMappings: ['export-rh'],
    });
    expect((await container().store.getProgram(tag))?.rosterMappings).toEqual({ 'export-folha': other });
    // The file removed export-rh: the audit log holds it whole, its only copy left.
    const deleted = (await container().store.listAudit({ programId: tag })).filter((entry) => entry.action === 'roster.mapping-deleted');
    expect(deleted).toEqual([expect.objectContaining({ via: 'cli', details: { name: 'export-rh', mapping: expect.any(String) } })]);
    // The store keeps the mapping's keys in its own order: the entry holds the same mapping.
    expect(JSON.parse(String(deleted[0]?.details.mapping))).toEqual(saved);
  });

  it('refuses a misspelled setting on create and on update, naming it, and keeps the stored setting', async () => {
    const tag = uniqueTag('cli-prog-typo');
    const withApproval = { ...testProgram(tag), approval: { required: true } };
    const misspelled = file(`${tag}-typo.json`, JSON.stringify({ ...testProgram(tag), aproval: { required: true } }));
    const refused = await tandem(['program', 'create', '--file', misspelled, '--json']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.json<{ error: { issues: unknown[] } }>().error.issues).toEqual([
      { where: 'aproval', problem: 'is not a setting of a program; did you mean "approval"?' },
    ]);
    expect(await container().store.getProgram(tag)).toBeUndefined();

    expect((await tandem(['program', 'create', '--file', file(`${tag}.json`, JSON.stringify(withApproval))])).code).toBe(0);
    const update = await tandem(['program', 'update', '--file', misspelled]);
    expect(update.code).toBe(2);
    expect(update.stderr).toContain('aproval: is not a setting of a program; did you mean "approval"?');
    expect((await container().store.getProgram(tag))?.approval?.required).toBe(true);

    const twice = file(`${tag}-twice.json`, JSON.stringify(withApproval).replace('{', `{"programId":"${tag}-other",`));
    const duplicate = await tandem(['program', 'create', '--file', twice]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('line 1: programId: is written twice in the same object');
    expect(await container().store.getProgram(`${tag}-other`)).toBeUndefined();
  });

  it('refuses to remove a skill people on the roster use, naming it and them, with exit 2 and nothing stored, and removes one nobody uses', async () => {
    const tag = uniqueTag('cli-prog-skills');
    const program = await createProgramWithRoster(tag);
    const users = (await container().store.listParticipants(tag))
      .filter((p) => [...p.skillsOffered, ...p.skillsWanted].some((s) => s.skill === 'negotiation'))
      .map((p) => p.participantId)
      .sort();
    expect(users.length).toBeGreaterThan(5);
    const withoutNegotiation = file(
      `${tag}-no-negotiation.json`,
      JSON.stringify({ ...program, skillsCatalog: program.skillsCatalog.filter((s) => s.id !== 'negotiation') }),
    );

    const refused = await tandem(['program', 'update', '--file', withoutNegotiation]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `"negotiation" (Negociação) cannot be removed: ${users.length} people on the roster use it (${users.slice(0, 5).join(', ')} and ${users.length - 5} more)`,
    );
    const asJson = await tandem(['program', 'update', '--file', withoutNegotiation, '--json']);
    expect(asJson.json<{ error: { kind: string; issues: Array<{ where: string }> } }>().error).toMatchObject({
      kind: 'bad-input',
      issues: [{ where: 'skillsCatalog' }],
    });
    expect((await container().store.getProgram(tag))?.skillsCatalog.map((s) => s.id)).toContain('negotiation');
    expect((await container().store.listAudit({ programId: tag })).filter((e) => e.action === 'program.changed')).toEqual([]);

    const withoutPython = file(`${tag}-no-python.json`, JSON.stringify({ ...program, skillsCatalog: program.skillsCatalog.filter((s) => s.id !== 'python') }));
    const removed = await tandem(['program', 'update', '--file', withoutPython]);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await container().store.getProgram(tag))?.skillsCatalog.map((s) => s.id)).not.toContain('python');
  });

  it('rejects an invalid file naming each field and problem, and a malformed one, writing nothing', async () => {
    const tag = uniqueTag('cli-prog-bad');
    const { name: _name, ...rest } = testProgram(tag);
    const invalid = file(`${tag}.json`, JSON.stringify({ ...rest, phaseWindows: { ...rest.phaseWindows, run: 'ninety days' }, hrContacts: ['not-an-email'] }));
    const result = await tandem(['program', 'create', '--file', invalid, '--json']);
    expect(result.code).toBe(2);
    const issues = result.json<{ error: { issues: Array<{ where: string; problem: string }> } }>().error.issues;
    expect(issues.map((i) => i.where)).toEqual(expect.arrayContaining(['name', 'phaseWindows.run', 'hrContacts.0']));
    expect(await container().store.getProgram(tag)).toBeUndefined();

    const validate = await tandem(['program', 'validate', '--file', invalid]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/phaseWindows\.run: /);
    const good = await tandem(['program', 'validate', '--file', await programFile(`${tag}-ok`)]);
    expect(good.code, good.stderr).toBe(0);
    const schema = await tandem(['program', 'schema']);
    expect(schema.json<{ required: string[] }>().required).toEqual(expect.arrayContaining(['programId', 'name', 'phaseWindows']));

    const malformed = await tandem(['program', 'create', '--file', file(`${tag}.yaml`, 'programId: [unclosed\nname: x')]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/is not valid YAML/);
  });
});

describe('tandem roster', () => {
  async function withProgram(prefix: string): Promise<string> {
    const tag = uniqueTag(prefix);
    await container().store.putProgram(testProgram(tag));
    return tag;
  }

  it('imports a semicolon CSV with BOM and quoted fields; re-importing changes nothing; export round-trips', async () => {
    const tag = await withProgram('cli-roster');
    const csv = testRosterCsv(tag)
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .map((cell) => (cell.includes(';') ? `"${cell}"` : cell))
          .join(';'),
      );
    const path = file(`${tag}.csv`, `\uFEFF${csv.join('\r\n')}\r\n`);
    const first = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ rows: 24, written: 24, unchanged: 0, delimiter: ';', ignoredColumns: [] });
    const again = await tandem(['roster', 'import', path, '--program', tag]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 written, 24 unchanged');
    expect(again.stdout).toContain('semicolon-delimited');

    const exported = await tandem(['roster', 'export', '--program', tag, '--out', join(dir, `${tag}-export.csv`), '--json']);
    expect(exported.json()).toMatchObject({ participants: 24 });
    const reimport = await tandem(['roster', 'import', join(dir, `${tag}-export.csv`), '--program', tag, '--json']);
    expect(reimport.json()).toMatchObject({ rows: 24, written: 0, unchanged: 24 });
    expect(await container().store.listParticipants(tag)).toHaveLength(24);
  });

  it('reports every bad row with its line and writes nothing; --skip-bad-rows writes the valid ones; --dry-run writes none', async () => {
    const tag = await withProgram('cli-roster-bad');
    const lines = testRosterCsv(tag).split('\n');
    lines[3] = (lines[3] as string).replace(/,[^,]*@[^,]*,/, ',not-an-email,');
    lines[7] = (lines[7] as string).replace(/,(\d),/, ',11,');
    const path = file(`${tag}.csv`, lines.join('\n'));

    const dry = await tandem(['roster', 'import', path, '--program', tag, '--dry-run', '--json']);
    expect(dry.code).toBe(2);
    const rejected = await tandem(['roster', 'import', path, '--program', tag]);
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toContain('line 4: email');
    expect(rejected.stdout).toContain('must be an email address');
    expect(rejected.stdout).toMatch(/line 8: seniority/);
    expect(await container().store.listParticipants(tag)).toEqual([]);

    const skipDry = await tandem(['roster', 'import', path, '--program', tag, '--skip-bad-rows', '--dry-run', '--json']);
    expect(skipDry.json()).toMatchObject({ rows: 24, valid: 22, skipped: 2, written: 0, dryRun: true });
    expect(await container().store.listParticipants(tag)).toEqual([]);

    const skipped = await tandem(['roster', 'import', path, '--program', tag, '--skip-bad-rows', '--json']);
    expect(skipped.code).toBe(0);
    const report = skipped.json<{ written: number; skipped: number; issues: Array<{ where: string }> }>();
    expect(report).toMatchObject({ written: 22, skipped: 2 });
    expect(report.issues.map((i) => i.where)).toEqual(['line 4: email', 'line 8: seniority']);
    expect(await container().store.listParticipants(tag)).toHaveLength(22);
  });

  it('refuses a malformed CSV and an unknown program with their exit codes', async () => {
    const tag = await withProgram('cli-roster-malformed');
    const malformed = file(
      `${tag}.csv`,
      `${testRosterCsv(tag).split('\n').slice(0, 3).join('\n')}\np99,"Unclosed quote,x@y.com,Sales,1990,,3,,,,pt,,,1,active\n`,
    );
    const result = await tandem(['roster', 'import', malformed, '--program', tag, '--json']);
    expect(result.code).toBe(2);
    expect(result.json<{ error: { issues: Array<{ problem: string }> } }>().error.issues[0]?.problem).toMatch(/not readable as CSV/);
    expect(await container().store.listParticipants(tag)).toEqual([]);

    const unknown = await tandem(['roster', 'import', file(`${tag}-ok.csv`, testRosterCsv(tag)), '--program', `${tag}-nope`]);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/does not exist/);
  });

  it('imports a Brazilian HR export through a column-mapping file and names the columns it ignored', async () => {
    const tag = await withProgram('cli-roster-map');
    const csv = [
      'Matrícula;Nome;E-mail;Departamento;Ano de nascimento;Gestor;Nível;Idiomas;Situação;Centro de custo',
      `101;Helena Duarte;helena@${tag}.example.com;Vendas;1966;;9;Português;Ativo;CC-10`,
      `102;"Souza; Ana";ana@${tag}.example.com;Marketing;1998;101;2;Português|Inglês;Ativo;CC-20`,
      `103;Bruno Lima;bruno@${tag}.example.com;TI;1985;101;5;Inglês;Desligado;CC-30`,
    ].join('\n');
    const mapping = file(
      `${tag}-mapping.yaml`,
      [
        'columns:',
        '  Matrícula: id',
        '  Nome: name',
        '  E-mail: email',
        '  Departamento: department',
        '  Ano de nascimento: birth_year',
        '  Gestor: manager_id',
        '  Nivel: seniority',
        '  Idiomas: languages',
        '  Situação: status',
        'values:',
        '  languages: { Português: pt, Inglês: en }',
        '  status: { Ativo: active, Desligado: opted-out }',
      ].join('\n'),
    );
    const path = file(`${tag}.csv`, csv);
    const result = await tandem(['roster', 'import', path, '--program', tag, '--mapping', mapping]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Ignored column(s), mapped to no Tandem field: Centro de custo');
    const roster = (await container().store.listParticipants(tag)).sort((a, b) => a.participantId.localeCompare(b.participantId));
    expect(roster.map((p) => [p.participantId, p.name, p.languages, p.status, p.managerId])).toEqual([
      ['101', 'Helena Duarte', ['pt'], 'active', undefined],
      ['102', 'Souza; Ana', ['pt', 'en'], 'active', '101'],
      ['103', 'Bruno Lima', ['en'], 'opted-out', '101'],
    ]);

    const without = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(without.code).toBe(2);
    expect(without.json<{ error: { message: string } }>().error.message).toMatch(/missing column\(s\): id, name, email, department, languages.*--mapping/);
  });

  it('refuses a Latin-1 file unless --encoding latin1 says so, and then reads its accents', async () => {
    const tag = await withProgram('cli-roster-latin1');
    const csv = `id,name,email,department,birth_year,seniority,languages\np1,João Simões,joao@${tag}.example.com,Finanças,1990,3,pt\np2,Ana,ana@${tag}.example.com,TI,1970,8,pt\n`;
    const path = join(dir, `${tag}.csv`);
    writeFileSync(path, Buffer.from(csv, 'latin1'));
    const refused = await tandem(['roster', 'import', path, '--program', tag]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not UTF-8 text.*--encoding latin1/);
    const read = await tandem(['roster', 'import', path, '--program', tag, '--encoding', 'latin1', '--json']);
    expect(read.json()).toMatchObject({ rows: 2, written: 2 });
    const names = (await container().store.listParticipants(tag)).map((p) => `${p.name} (${p.department})`).sort();
    expect(names).toEqual(['Ana (TI)', 'João Simões (Finanças)']);

    // The same rows saved as UTF-8 and read as Latin-1 would be stored garbled over the good ones.
    const utf8 = file(`${tag}-utf8.csv`, csv);
    const garbled = await tandem(['roster', 'import', utf8, '--program', tag, '--encoding', 'latin1']);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled ("João" would read as "JoÃ£o")');
    expect((await container().store.listParticipants(tag)).map((p) => `${p.name} (${p.department})`).sort()).toEqual(names);
  });

  it('refuses an address the program holds under another id, naming the line, the address and the stored id, writing nothing', async () => {
    const tag = await withProgram('cli-roster-renumbered');
    const header = 'id,name,email,department,birth_year,seniority,languages';
    const first = file(`${tag}-1.csv`, `${header}\np01,Helena Duarte,helena.duarte@${tag}.example.com,Finance,1968,8,pt\n`);
    expect((await tandem(['roster', 'import', first, '--program', tag])).code).toBe(0);
    const renumbered = file(
      `${tag}-2.csv`,
      `${header}\np02,Rui Costa,rui@${tag}.example.com,IT,1998,3,pt\nx99,Helena Duarte,helena.duarte@${tag}.example.com,Finance,1968,8,pt\n`,
    );
    const refused = await tandem(['roster', 'import', renumbered, '--program', tag, '--json']);
    expect(refused.code).toBe(2);
    expect(refused.json<{ error: { issues: unknown[] } }>().error.issues).toEqual([
      {
        where: 'line 3: email',
        problem: `helena.duarte@${tag}.example.com is stored under id p01 in program ${tag} already (this row has id x99); use p01 for this person, or change p01's address first`,
      },
    ]);
    expect((await container().store.listParticipants(tag)).map((p) => p.participantId)).toEqual(['p01']);
  });

  it('imports a JSON roster', async () => {
    const tag = await withProgram('cli-roster-json');
    const participants = (await import('../../domain/roster.ts')).parseRosterCsv(testRosterCsv(tag), testProgram(tag).skillsCatalog).participants.slice(0, 4);
    const path = file(`${tag}.json`, JSON.stringify(participants));
    const result = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(result.json()).toMatchObject({ rows: 4, written: 4 });
    expect(readFileSync(resolve(path), 'utf8')).toContain(tag);
  });
});
