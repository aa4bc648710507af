import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ROSTER_CSV } from '../support/cohort-fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'tandem-match-'));

const tandem = (args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [resolve(root, 'cli/bin/tandem.js'), ...args],
      { cwd: scratch, env: { ...process.env, TANDEM_TABLE_NAME: '', NO_COLOR: '1' }, timeout: 60_000 },
      (error, _stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });

describe('tandem match --scores-out', () => {
  it('refuses to write the scores over the roster it reads, leaving the roster as it was', { timeout: 60_000 }, async () => {
    const roster = join(scratch, 'roster.csv');
    writeFileSync(roster, SAMPLE_ROSTER_CSV);
    const program = join(root, 'examples/program.json');
    const result = await tandem(['match', '--program-file', program, '--roster', 'roster.csv', '--scores-out', './roster.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--scores-out ./roster.csv is the --roster file: the scores would overwrite it; write them to another file');
    expect(readFileSync(roster, 'utf8')).toBe(SAMPLE_ROSTER_CSV);
    const elsewhere = await tandem(['match', '--program-file', program, '--roster', 'roster.csv', '--scores-out', 'scores.csv']);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
  });
});
