import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { rosterToCsv } from '../../domain/roster.ts';
import { injectFaults } from '../../local/fault-injection.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'cli/bin/tandem.js');
const SIZE = 3000;

/** A program with the sample skills and a generated roster file of `size` people at the tag's own domain. */
async function programAndRosterFile(tag: string, size: number): Promise<string> {
  await container().store.putProgram({ ...testProgram(tag), skillsCatalog: SAMPLE_SKILLS });
  const roster = generateRoster({ size, seed: 11, skills: SAMPLE_SKILLS }).map((p) => ({ ...p, email: p.email.replace(/@.*/, `@${tag}.example.com`) }));
  const path = join(mkdtempSync(join(tmpdir(), 'tandem-interrupt-')), 'roster.csv');
  writeFileSync(path, rosterToCsv(roster));
  return path;
}

describe('tandem roster import interrupted with Ctrl-C', () => {
  it('says how many people it stored and how to finish, records that in the audit log, and the same command then finishes the import', async () => {
    const tag = uniqueTag('cli-interrupt');
    const { store } = container();
    const path = await programAndRosterFile(tag, SIZE);

    const child = spawn(process.execPath, [bin, 'roster', 'import', path, '--program', tag], { cwd: root, env: stackEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    // Ctrl-C once the first people are stored, well before the last.
    while ((await store.listParticipants(tag)).length === 0) await sleep(100);
    child.kill('SIGINT');
    const code = await exited;

    const stored = (await store.listParticipants(tag)).length;
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    expect(stored).toBeLessThan(SIZE);
    expect(stderr).toContain(`${stored} of ${SIZE} people are stored`);
    expect(stderr).toContain('rerun the same command to finish');
    const [entry] = await store.listAudit({ programId: tag });
    expect(entry).toMatchObject({ action: 'roster.import-stopped', details: { written: stored, stored, total: SIZE, interrupted: true } });

    const rerun = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json()).toMatchObject({ written: SIZE - stored, unchanged: stored });
    expect(await store.listParticipants(tag)).toHaveLength(SIZE);
  });

  it('stopped at once by a second Ctrl-C, says with --json at least how many people it stored, and records the stop in the audit log', async () => {
    const tag = uniqueTag('cli-interrupt-twice');
    const { store } = container();
    const path = await programAndRosterFile(tag, SIZE);

    const child = spawn(process.execPath, [bin, 'roster', 'import', path, '--program', tag, '--json'], { cwd: root, env: stackEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    // Once the first batch of 250 is stored (the command has counted it), and while the next is being written.
    while ((await store.listParticipants(tag)).length <= 250) await sleep(50);
    child.kill('SIGINT');
    await sleep(10);
    child.kill('SIGINT');
    const code = await exited;

    expect(code, `${stdout}\n${stderr}`).toBe(130);
    const { error } = JSON.parse(stdout) as { error: { kind: string; exitCode: number; message: string; done: number; total: number; atLeast: boolean } };
    expect(error).toMatchObject({ kind: 'interrupted', exitCode: 130, total: SIZE, atLeast: true });
    expect(error.done).toBeGreaterThanOrEqual(250);
    expect(error.message).toContain(`at least ${error.done} of ${SIZE} people are stored in ${tag}, perhaps a few more`);
    expect((await store.listParticipants(tag)).length).toBeGreaterThanOrEqual(error.done);
    const [entry] = await store.listAudit({ programId: tag });
    expect(entry).toMatchObject({ action: 'roster.import-stopped', details: { stored: error.done, total: SIZE, interrupted: true, atOnce: true } });
  });

  it('stopped by a failed write, says at least how many people it stored and how to finish, records that, and the same command then finishes', async () => {
    const tag = uniqueTag('cli-import-fails');
    const { store } = container();
    const path = await programAndRosterFile(tag, 600);
    // One write of the second batch of 250 is refused by DynamoDB (an error no retry helps).
    await injectFaults(inject('localStack').endpoints.dynamodbApi, {
      match: tag,
      operation: 'PutItem',
      skip: 300,
      failures: 1,
      status: 400,
      errorType: 'ValidationException',
    });

    const failed = await tandem(['roster', 'import', path, '--program', tag]);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('stopped on an error');
    expect(failed.stderr).toContain('at least 250 of 600 people are stored');
    expect(failed.stderr).toContain('rerun the same command to finish');
    const [entry] = await store.listAudit({ programId: tag });
    expect(entry).toMatchObject({ action: 'roster.import-stopped', details: { written: 250, stored: 250, total: 600, interrupted: false } });

    const rerun = await tandem(['roster', 'import', path, '--program', tag, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json<{ written: number; unchanged: number }>().unchanged).toBeGreaterThanOrEqual(250);
    expect(await store.listParticipants(tag)).toHaveLength(600);
  });
});
