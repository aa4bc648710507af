import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';
import { tandem } from './cli-support.ts';

const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-skills-'));
const mappingFile = join(repo, 'examples/mapeamento-rh.yaml');

/** A fixture with its addresses moved to the test's own domain; its bytes (BOM, CRLF, ";") are otherwise kept. */
function fixtureFor(tag: string, path: string): string {
  const copy = join(dir, `${tag}.csv`);
  writeFileSync(copy, readFileSync(join(repo, path), 'utf8').replaceAll('@empresa.com.br', `@${tag}.example.com`), 'utf8');
  return copy;
}

async function withProgram(prefix: string): Promise<string> {
  const tag = uniqueTag(prefix);
  await container().store.putProgram(testProgram(tag));
  return tag;
}

describe('tandem roster import of a Brazilian HR export', () => {
  it('imports it through its column mapping, reading skills as people wrote them and skipping the blank row', async () => {
    const tag = await withProgram('cli-skills-rh');
    const path = fixtureFor(tag, 'examples/export-rh.csv');
    const result = await tandem(['roster', 'import', path, '--program', tag, '--mapping', mappingFile]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('8 row(s), semicolon-delimited');
    expect(result.stdout).toContain('Skipped 1 blank row(s).');
    expect(result.stdout).toContain('8 written, 0 unchanged');
    const roster = await container().store.listParticipants(tag);
    const lucas = roster.find((p) => p.participantId === '20418');
    expect(lucas?.skillsOffered).toEqual([
      { skill: 'python', level: 5 },
      { skill: 'excel-avancado', level: 3 },
      { skill: 'cloud-tools', level: 4 },
    ]);
    expect(lucas?.skillsWanted.map((s) => s.skill)).toEqual(['people-leadership', 'public-speaking']);
  });

  it('reports each defect of the broken copy by line and reason and writes nothing; --skip-bad-rows writes the valid rows', async () => {
    const tag = await withProgram('cli-skills-rh-bad');
    const path = fixtureFor(tag, 'test/fixtures/export-rh-com-defeitos.csv');
    const rejected = await tandem(['roster', 'import', path, '--program', tag, '--mapping', mappingFile]);
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toMatch(/line 4: email .*SES cannot deliver to it; ask HR for the ASCII address/);
    expect(rejected.stdout).toMatch(/line 6: skills_offered .*"Pyton" is not in the program's skills catalog; closest: "Python"/);
    expect(rejected.stdout).toMatch(/line 8: seniority .*"Estagiária" is not a number/);
    expect(rejected.stdout).toMatch(/line 13: id .*"10245" is used again \(first on line 3\)/);
    expect(await container().store.listParticipants(tag)).toEqual([]);

    const skipped = await tandem(['roster', 'import', path, '--program', tag, '--mapping', mappingFile, '--skip-bad-rows', '--json']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.json()).toMatchObject({ rows: 12, valid: 8, skipped: 4, written: 8, blankRows: 1 });
    expect(await container().store.listParticipants(tag)).toHaveLength(8);
  });

  it('lists unknown skills in a dry run with --add-unknown-skills, then adds them to the catalog', async () => {
    const tag = await withProgram('cli-skills-add');
    const path = join(dir, `${tag}.csv`);
    writeFileSync(
      path,
      `id;name;email;department;birth_year;seniority;skills_offered;languages\r\np1;Ana;ana@${tag}.example.com;TI;1995;3;"Design de serviços:4, Python";pt\r\n`,
    );
    const plain = await tandem(['roster', 'import', path, '--program', tag]);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toContain('"Design de serviços" is not in the program\'s skills catalog');

    const dry = await tandem(['roster', 'import', path, '--program', tag, '--add-unknown-skills', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Skills the catalog does not know, to be added to it (1):');
    expect(dry.stdout).toContain('design-de-servicos');
    expect((await container().store.getProgram(tag))?.skillsCatalog.map((s) => s.id)).not.toContain('design-de-servicos');

    const real = await tandem(['roster', 'import', path, '--program', tag, '--add-unknown-skills']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('Skills added to the catalog (1):');
    const added = (await container().store.getProgram(tag))?.skillsCatalog.find((s) => s.id === 'design-de-servicos');
    expect(added?.labels).toEqual({ 'pt-BR': 'Design de serviços', en: 'Design de serviços' });
    expect((await container().store.listParticipants(tag))[0]?.skillsOffered.map((s) => s.skill)).toEqual(['design-de-servicos', 'python']);
  });
});

describe('tandem match --roster', () => {
  it('reads skill labels from the roster file and explains pairs with labels, never ids', async () => {
    const result = await tandem(['match', '--program-file', join(repo, 'examples/program.json'), '--roster', join(repo, 'examples/roster.csv')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/teaches .*(AI assistants|social media|data visualisation)/);
    expect(result.stdout).not.toMatch(/teaches [^;]*\b(ai-tools|social-media|data-visualisation)\b/);
  });
});
