import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { rosterToCsv } from '../../domain/roster.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

const SCRIPT = '/usr/bin/script';
const bin = resolve(import.meta.dirname, '../../cli/bin/tandem.js');

describe('tandem roster import of a large file', () => {
  it('draws a progress bar on stderr only when stderr is a terminal, never with --json', async (context) => {
    const tag = uniqueTag('cli-big');
    await container().store.putProgram({ ...testProgram(tag), skillsCatalog: SAMPLE_SKILLS });
    const roster = generateRoster({ size: 1200, seed: 7, skills: SAMPLE_SKILLS }).map((p) => ({ ...p, email: p.email.replace(/@.*/, `@${tag}.example.com`) }));
    const path = join(mkdtempSync(join(tmpdir(), 'tandem-big-')), 'roster.csv');
    writeFileSync(path, rosterToCsv(roster));

    // Not a terminal (a pipe): no bar.
    const piped = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.json()).toMatchObject({ rows: 1200, written: 1200 });
    expect(piped.stderr).not.toContain('Importing');
    expect(await container().store.listParticipants(tag)).toHaveLength(1200);

    if (!existsSync(SCRIPT)) {
      context.skip(`${SCRIPT} (util-linux) is missing: cannot run the import on a pseudo-terminal`);
      return;
    }
    // On a pseudo-terminal (script(1)): the bar is drawn and reaches 100%.
    const output = await new Promise<string>((done, fail) =>
      execFile(
        SCRIPT,
        ['-qec', `${process.execPath} ${bin} roster import ${path} --program ${tag}`, '/dev/null'],
        { env: stackEnv(), timeout: 120_000, cwd: resolve(import.meta.dirname, '../..') },
        (error, stdout) => (error ? fail(new Error(`the import on a pseudo-terminal failed: ${error.message}`, { cause: error })) : done(stdout)),
      ),
    );
    expect(output).toMatch(/Importing \[#+\] 100% 1200\/1200/);
    expect(output).toContain('0 written, 1200 unchanged');
  });
});
