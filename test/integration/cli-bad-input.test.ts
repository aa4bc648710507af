import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { participantCycle } from '../browser/participant-support.ts';
import { createProgramWithRoster, uniqueTag } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

/** What HR types wrong, against the shared local stack: each gets its exit code and a message, never a stack trace. */
describe('the tandem command given wrong options', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node_modules|ProtocolLib|unexpected error/);

  it('refuses a limit that is not a whole number from 1, as bad input, in JSON on stdout with --json', async () => {
    for (const limit of ['0', '-5', 'abc', '2.5']) {
      const run = await tandem(['audit', 'list', '--limit', limit, '--json']);
      expect(run.code, limit).toBe(2);
      expect(run.json(), limit).toMatchObject({
        error: { kind: 'bad-input', exitCode: 2, message: expect.stringMatching(/--limit.*whole number from 1 to 10000/) },
      });
      noStack(run.stderr);
    }
  });

  it('answers an option error in JSON on stdout when --json is given, as every other error', async () => {
    const run = await tandem(['roster', 'import', 'roster.csv', '--json']);
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ error: { kind: 'bad-input', message: expect.stringMatching(/--program/) } });
  });

  it('names an output file in a missing folder, or a folder, before doing anything', async () => {
    const tag = uniqueTag('cli-out');
    await createProgramWithRoster(tag);
    const dir = mkdtempSync(join(tmpdir(), 'tandem-out-'));
    const missing = await tandem(['roster', 'export', '--program', tag, '--out', join(dir, 'no-such-folder', 'roster.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--out names a file in a folder that does not exist: --out: create .*no-such-folder first/);
    noStack(missing.stderr);
    const folder = await tandem(['roster', 'export', '--program', tag, '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--out names a folder/);
    const person = await tandem(['person', 'export', '--email', `nobody@${tag}.example.com`, '--out', join(dir, 'no-such-folder', 'p.json')]);
    expect(person.code).toBe(2);
    noStack(person.stderr);
  });

  it('says a cycle that does not exist is not found (exit 5), rather than listing no sessions', async () => {
    const run = await tandem(['session', 'list', '--cycle', `${uniqueTag('no-cycle')}-cycle`]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/cycle .* does not exist/);
  });

  it('says the target cannot be reached (exit 3) when DynamoDB does not answer, not that a job failed', async () => {
    const run = await tandem(['program', 'show', 'anything'], { env: stackEnv({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' }) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot reach the target .*tandem local up/);
    noStack(run.stderr);
  });

  it('says a session is stored and how to announce it when SES cannot be reached after the store took it (exit 3)', async () => {
    const tag = uniqueTag('cli-ses-down');
    const cycle = await participantCycle(tag);
    // Within the cycle's planned end (a session after it is refused): half an hour ahead, on a whole minute.
    const starts = new Date(Date.now() + 30 * 60_000).toISOString().slice(0, 16) + 'Z';
    const run = await tandem(
      [
        'session',
        'add',
        ...['--cycle', cycle.cycleId, '--id', 'ses-down', '--title', 'Cloud tools', '--description', 'Hands-on', '--time-zone', 'UTC'],
        ...['--skills', 'cloud-tools', '--starts', starts, '--duration', '60', '--capacity', '5', '--place', 'Room 4'],
      ],
      { env: stackEnv({ AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9' }) },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`session ses-down is stored, but announcing it failed`);
    expect(run.stderr).toContain(`tandem session announce ses-down --cycle ${cycle.cycleId}`);
    expect(run.stderr).toMatch(/cannot reach the target/);
    noStack(run.stderr);
    expect((await container().store.listSessions(cycle.cycleId)).map((s) => s.sessionId)).toEqual(['ses-down']);
  });
});
