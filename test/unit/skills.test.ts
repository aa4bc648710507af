import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programSchema, skillSchema, type ProgramInput, type Skill } from '../../domain/program.ts';
import { catalogClashes, foldSkillLabel, skillIdFromLabel, skillLabel, SkillResolver } from '../../domain/skills.ts';
import { suggestSkills } from '../../domain/skill-suggestions.ts';

const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;

const skill = (id: string, ptBR: string, en: string, aliases: string[] = []): Skill => ({ id, labels: { 'pt-BR': ptBR, en }, aliases, digital: false });

const catalog: Skill[] = [
  skill('excel-avancado', 'Excel avançado', 'Advanced Excel', ['planilhas']),
  skill('strategic-planning', 'Planejamento estratégico', 'Strategic planning'),
  skill('ai-tools', 'Assistentes de IA', 'AI assistants', ['IA generativa', 'generative AI']),
  skill('python', 'Python', 'Python'),
  skill('negotiation', 'Negociação', 'Negotiation'),
];

describe('foldSkillLabel', () => {
  it('ignores case, accents and extra spaces, and reads "-" and "_" as spaces', () => {
    expect(foldSkillLabel('  Excel   AVANÇADO ')).toBe('excel avancado');
    expect(foldSkillLabel('excel-avancado')).toBe('excel avancado');
    expect(foldSkillLabel('Negociação')).toBe(foldSkillLabel('negociacao'));
    expect(foldSkillLabel('data_visualisation')).toBe('data visualisation');
  });

  it('keeps characters that tell skills apart', () => {
    expect(foldSkillLabel('C++')).not.toBe(foldSkillLabel('C#'));
    expect(foldSkillLabel('Node.js')).toBe('node.js');
  });
});

describe('skillIdFromLabel', () => {
  it('derives a slug from a label: accents folded, lower case, other characters as "-"', () => {
    expect(skillIdFromLabel('Excel avançado')).toBe('excel-avancado');
    expect(skillIdFromLabel('  Ética em IA & dados ')).toBe('etica-em-ia-dados');
    expect(skillIdFromLabel('Gestão de Pessoas (RH)')).toBe('gestao-de-pessoas-rh');
  });

  it('is empty for a label without letters or digits and at most 64 characters otherwise', () => {
    expect(skillIdFromLabel('???')).toBe('');
    expect(skillIdFromLabel(`${'a'.repeat(63)} b`)).toBe('a'.repeat(63));
  });
});

describe('skillLabel', () => {
  it("gives the label in the reader's language", () => {
    const ai = catalog[2] as Skill;
    expect(skillLabel(ai, 'pt-BR')).toBe('Assistentes de IA');
    expect(skillLabel(ai, 'en')).toBe('AI assistants');
  });

  it('reads a skill stored before labels existed by its name', () => {
    expect(skillLabel({ id: 'ai', name: 'AI assistants' }, 'pt-BR')).toBe('AI assistants');
  });
});

describe('SkillResolver', () => {
  const resolver = new SkillResolver(catalog);
  const idOf = (text: string) => resolver.resolve(text)?.id;

  it('finds a skill by its label in either language, any case, with or without accents', () => {
    expect(idOf('Excel avançado')).toBe('excel-avancado');
    expect(idOf('EXCEL AVANCADO')).toBe('excel-avancado');
    expect(idOf('advanced excel')).toBe('excel-avancado');
    expect(idOf('planejamento estrategico')).toBe('strategic-planning');
    expect(idOf('Negociacao')).toBe('negotiation');
  });

  it('finds a skill by an alias or by its id', () => {
    expect(idOf('IA Generativa')).toBe('ai-tools');
    expect(idOf('Generative AI')).toBe('ai-tools');
    expect(idOf('Planilhas')).toBe('excel-avancado');
    expect(idOf('strategic-planning')).toBe('strategic-planning');
    expect(idOf('Excel/avançado')).toBe('excel-avancado');
  });

  it('finds nothing for a skill the catalog does not hold', () => {
    expect(idOf('Pyton')).toBeUndefined();
    expect(idOf('Juggling')).toBeUndefined();
  });

  it('suggests the closest catalog skills by edit distance on the folded text, closest first', () => {
    expect(suggestSkills(resolver.catalog, 'Pyton').map((s) => s.id)).toEqual(['python']);
    expect(suggestSkills(resolver.catalog, 'negociaçao estrategica').map((s) => s.id)).toEqual([]);
    expect(suggestSkills(resolver.catalog, 'Planejamento estrategic').map((s) => s.id)).toEqual(['strategic-planning']);
    expect(suggestSkills(resolver.catalog, 'Excell avancado').map((s) => s.id)).toEqual(['excel-avancado']);
    expect(suggestSkills(resolver.catalog, 'Juggling')).toEqual([]);
  });

  it('finds a skill added after it was built', () => {
    const growing = new SkillResolver(catalog);
    growing.add(skill('kotlin', 'Kotlin', 'Kotlin'));
    expect(growing.resolve('KOTLIN')?.id).toBe('kotlin');
  });
});

describe('the skills catalog of a program', () => {
  it('derives an id from the pt-BR label when HR gives none, and defaults aliases and digital', () => {
    expect(skillSchema.parse({ labels: { 'pt-BR': 'Excel avançado', en: 'Advanced Excel' } })).toEqual({
      id: 'excel-avancado',
      labels: { 'pt-BR': 'Excel avançado', en: 'Advanced Excel' },
      aliases: [],
      digital: false,
    });
  });

  it('keeps loading the older { id, name } form, the name becoming both labels', () => {
    expect(skillSchema.parse({ id: 'ai', name: 'AI assistants', digital: true })).toEqual({
      id: 'ai',
      labels: { 'pt-BR': 'AI assistants', en: 'AI assistants' },
      aliases: [],
      digital: true,
    });
  });

  it('refuses a skill with neither labels nor a name, and one whose label gives no id', () => {
    const missing = skillSchema.safeParse({ id: 'x' });
    expect(missing.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['labels', 'needs labels ({ "pt-BR": ..., "en": ... }) or a name']]);
    const noId = skillSchema.safeParse({ labels: { 'pt-BR': '???', en: '???' } });
    expect(noId.error?.issues[0]?.message).toMatch(/needs an id/);
  });

  it('refuses ids, labels and aliases of different skills that fold to the same key, naming both entries', () => {
    const result = programSchema.safeParse({
      ...sample,
      skillsCatalog: [
        { labels: { 'pt-BR': 'Excel avançado', en: 'Advanced Excel' } },
        { id: 'planilhas', labels: { 'pt-BR': 'Planilhas', en: 'Spreadsheets' }, aliases: ['EXCEL AVANCADO'] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'skill 1 (excel-avancado) "excel-avancado" and skill 2 (planilhas) "EXCEL AVANCADO" are the same once case, accents and spaces are ignored',
    ]);
  });

  it('names the faulty entry, without crashing, when a skill without an id has an alias that is too long', () => {
    const result = programSchema.safeParse({
      ...sample,
      skillsCatalog: [
        { labels: { 'pt-BR': 'Excel avançado', en: 'Advanced Excel' }, aliases: [`${' '.repeat(200)}À${' '.repeat(50)}planilhas`.padEnd(300, 'x')] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['skillsCatalog.0.aliases.0', 'must be at most 80 characters']]);
  });

  it('accepts one skill whose labels are the same in both languages', () => {
    expect(catalogClashes([skill('python', 'Python', 'Python', ['python'])])).toEqual([]);
  });

  it('loads the sample program, labels in both languages and a derived id', () => {
    const program = programSchema.parse(sample);
    expect(program.skillsCatalog.map((s) => s.id)).toContain('excel-avancado');
    expect(program.skillsCatalog.every((s) => s.labels['pt-BR'] && s.labels.en)).toBe(true);
  });
});
