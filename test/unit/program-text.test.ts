import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programSchema } from '../../domain/program.ts';

const base = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')) as Record<string, unknown>;

describe('text in a program that other people read', () => {
  it('loses the characters that reorder or hide text: skill labels and aliases, the name, the goals and the agenda', () => {
    const catalog = structuredClone(base.skillsCatalog) as Array<{ labels: Record<string, string>; aliases?: string[] }>;
    const first = catalog[0] as { labels: Record<string, string>; aliases?: string[] };
    first.labels = { 'pt-BR': '\u202EVisualização de dados', en: 'Data\u200B visualisation\u2066' };
    first.aliases = ['\u202Dredes'];
    const program = programSchema.parse({
      ...structuredClone(base),
      name: 'Mentoria\u202E reversa\u0007',
      goalsAndExpectations: 'Aprender\u202E juntos.\nE ensinar.',
      firstMeetingAgenda: { en: 'Introduce\u2067 yourselves.' },
      skillsCatalog: catalog,
    });
    expect(program.skillsCatalog[0]).toMatchObject({ labels: { 'pt-BR': 'Visualização de dados', en: 'Data visualisation' }, aliases: ['redes'] });
    expect(program.name).toBe('Mentoria reversa');
    expect(program.goalsAndExpectations).toBe('Aprender juntos.\nE ensinar.');
    expect(program.firstMeetingAgenda?.en).toBe('Introduce yourselves.');
  });
});
