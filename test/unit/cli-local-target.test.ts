import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../domain/errors.ts';
import { LINK_SIGNING_KEY_FILE, liveOwnerOf, LOCAL_STACK_PID, resolveTarget, useLocalStack } from '../../cli/support/target.ts';

describe('the CLI on the local stack’s env file', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-target-'));
    for (const key of Object.keys(process.env)) if (key.startsWith('TANDEM_')) delete process.env[key];
  });
  afterEach(() => {
    process.env = { ...saved };
    useLocalStack(false);
  });

  const envFile = (values: Record<string, string>) => {
    const file = join(dir, 'env.json');
    writeFileSync(file, JSON.stringify(values));
    process.env.TANDEM_LOCAL_ENV_FILE = file;
    useLocalStack(false);
    return file;
  };

  it('reads the link-signing key from the file the stack keeps it in, so that session and person commands work locally', () => {
    const keyFile = join(dir, 'link-signing-key');
    writeFileSync(keyFile, 'k'.repeat(43));
    envFile({ TANDEM_TABLE_NAME: 'tandem-local', [LINK_SIGNING_KEY_FILE]: keyFile, [LOCAL_STACK_PID]: String(process.pid) });
    expect(resolveTarget().source).toBe('local-env-file');
    expect(process.env.TANDEM_LINK_SIGNING_KEY).toBe('k'.repeat(43));
    // The file's own entries are not environment variables.
    expect(process.env[LINK_SIGNING_KEY_FILE]).toBeUndefined();
    expect(process.env[LOCAL_STACK_PID]).toBeUndefined();
  });

  it('points a plain shell with no table to the local stack', () => {
    process.env.TANDEM_LOCAL_ENV_FILE = join(dir, 'absent.json');
    useLocalStack(false);
    expect(() => resolveTarget()).toThrow(/start the local stack with `tandem local up`/);
  });

  it('says a shell set up for AWS’s state machine does not read the local stack’s file, instead of advising to start it', () => {
    envFile({ TANDEM_TABLE_NAME: 'tandem-local', [LOCAL_STACK_PID]: String(process.pid) });
    process.env.TANDEM_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:tandem';
    expect(() => resolveTarget()).toThrow(/TANDEM_STATE_MACHINE_ARN is set, so \.tandem\/local\/env\.json is not read: unset it \(or pass --local\)/);
    expect(process.env.TANDEM_TABLE_NAME).toBeUndefined();
  });

  it('keeps a key set in the environment', () => {
    const keyFile = join(dir, 'link-signing-key');
    writeFileSync(keyFile, 'k'.repeat(43));
    envFile({ TANDEM_TABLE_NAME: 'tandem-local', [LINK_SIGNING_KEY_FILE]: keyFile });
    process.env.TANDEM_LINK_SIGNING_KEY = 'e'.repeat(43);
    resolveTarget();
    expect(process.env.TANDEM_LINK_SIGNING_KEY).toBe('e'.repeat(43));
  });

  it('names a malformed env file and what to do, as a missing prerequisite', () => {
    const file = envFile({});
    writeFileSync(file, '{"TANDEM_TABLE_NAME": ');
    expect(() => resolveTarget()).toThrow(ConfigurationError);
    expect(() => resolveTarget()).toThrow(/env\.json is not the local stack's env file .*: delete it and start the stack again \(tandem local up\)/);
    writeFileSync(file, '{"TANDEM_TABLE_NAME": 3}');
    expect(() => resolveTarget()).toThrow(/not an object of strings/);
  });

  it('knows the env file belongs to a running stack only while its process lives', async () => {
    const file = join(dir, 'env.json');
    writeFileSync(file, JSON.stringify({ [LOCAL_STACK_PID]: String(process.pid) }));
    expect(liveOwnerOf(file)).toBe(process.pid);
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    writeFileSync(file, JSON.stringify({ [LOCAL_STACK_PID]: String(child.pid) }));
    expect(liveOwnerOf(file)).toBeUndefined();
    writeFileSync(file, '{}');
    expect(liveOwnerOf(file)).toBeUndefined();
    expect(liveOwnerOf(join(dir, 'absent.json'))).toBeUndefined();
  });
});
