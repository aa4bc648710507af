import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHASE_NAMES } from '../../services/phases/registry.ts';

const root = new URL('../../', import.meta.url).pathname;

/** Source folders of the app (tests may name phases freely). */
const SOURCE_DIRS = ['adapters', 'bench', 'cli', 'domain', 'functions', 'infra', 'local', 'scripts', 'services', 'workflows'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('branching on a phase', () => {
  it('happens only in the phase modules and their registry (services/phases/): nowhere else compares, switches on or dispatches by a phase name', () => {
    const quoted = PHASE_NAMES.map((name) => name.replace(/[-#]/g, '\\$&')).join('|');
    const branches = [
      new RegExp(`[!=]==\\s*['"\`](${quoted})['"\`]`),
      new RegExp(`['"\`](${quoted})['"\`]\\s*[!=]==`),
      new RegExp(`case\\s+['"\`](${quoted})['"\`]\\s*:`),
      /Record<(Answered)?Phase,\s*\(/,
    ];
    const found: string[] = [];
    for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
      if (relative('services/phases', file).startsWith('..') === false) continue;
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => branches.some((b) => b.test(line)) && found.push(`${file}:${i + 1}: ${line.trim()}`));
    }
    expect(found).toEqual([]);
  });
});
