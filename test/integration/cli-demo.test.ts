import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tandem } from './cli-support.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'cli/bin/tandem.js');

/** The environment of a fresh shell: nothing of Tandem's or AWS's, so that commands find the stack only through its env file. */
function freshShell(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TANDEM_') && !k.startsWith('AWS_')) env[k] = v;
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };
}

interface Demo {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once the output matches (the test's own timeout bounds the wait). */
  printed: (pattern: RegExp) => Promise<void>;
  exited: Promise<number | null>;
}

function startDemo(args: readonly string[], cwd: string): Demo {
  const child = spawn(process.execPath, [bin, 'demo', ...args], { cwd, env: freshShell(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiting: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const check = () => {
    for (const w of [...waiting])
      if (w.pattern.test(out + err)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()), check()));
  child.stderr.on('data', (chunk: Buffer) => ((err += chunk.toString()), check()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    printed: (pattern) =>
      new Promise((done, fail) => {
        waiting.push({ pattern, resolve: done });
        check();
        void exited.then((code) => fail(new Error(`the demo exited (${code}) before printing ${pattern}:\n${out}\n${err}`)));
      }),
    exited,
  };
}

describe('npm start (tandem demo)', () => {
  let running: Demo | undefined;
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    running = undefined;
  });

  it('with --json --keep-running prints its result when the cycle ends and leaves the stack to the plain tandem command until Ctrl-C', async () => {
    // A folder with a space: the printed exports must read back as one word each.
    const dir = mkdtempSync(join(tmpdir(), 'tandem demo keep-'));
    const demo = (running = startDemo(['--participants', '8', '--json', '--keep-running'], dir));
    await demo.printed(/The stack stays up/);
    // stdout and stderr are two pipes: the result line may arrive after the stderr line that follows it.
    await demo.printed(/\{"cycleId"/);
    const summary = JSON.parse(demo.stdout().trim().split('\n').at(-1) ?? '') as { cycleId: string; status: string };
    expect(summary.cycleId).toMatch(/^demo-8-/);

    // A fresh shell in that folder: the env file is all it has, the link-signing key included.
    const envFile = join(dir, '.tandem/local/env.json');
    expect(existsSync(envFile)).toBe(true);
    const status = await tandem(['cycle', 'status', summary.cycleId, '--json'], { env: freshShell(), cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    const { programId } = status.json<{ programId: string }>();
    const roster = await tandem(['roster', 'export', '--program', programId, '--format', 'json'], { env: freshShell(), cwd: dir });
    const email = roster.json<Array<{ email: string }>>()[0]?.email as string;
    const exported = await tandem(['person', 'export', '--email', email], { env: freshShell(), cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json()).toMatchObject({ email });

    // Elsewhere, the printed exports do the same.
    const exports = demo
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('  export '))
      .join('\n');
    expect(exports).toContain('TANDEM_LINK_SIGNING_KEY');
    const reportDir = spawnSync('bash', ['-c', `${exports}\nprintf %s "$TANDEM_REPORT_DIR"`], { encoding: 'utf8' });
    expect(reportDir.stderr).toBe('');
    expect(reportDir.stdout.startsWith(dir)).toBe(true);
    const elsewhere = mkdtempSync(join(tmpdir(), 'tandem-demo-shell-'));
    const viaExports = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const shell = spawn('bash', ['-c', `${exports}\nexec "${process.execPath}" "${bin}" person export --email "${email}"`], {
        cwd: elsewhere,
        env: { ...freshShell(), TANDEM_LOCAL_ENV_FILE: join(elsewhere, 'absent.json') },
      });
      let stdout = '';
      let stderr = '';
      shell.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      shell.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      shell.once('exit', (code) => done({ code, stdout, stderr }));
    });
    expect(viaExports.code, viaExports.stderr).toBe(0);
    expect(JSON.parse(viaExports.stdout)).toMatchObject({ email });

    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(summary.status === 'SUCCEEDED' ? 0 : 1);
    expect(existsSync(envFile)).toBe(false);
  });

  it('says on Ctrl-C mid-cycle that the demo was interrupted, where its cycle was and that npm start starts afresh, and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-demo-interrupted-'));
    const demo = (running = startDemo(['--participants', '8', '--json'], dir));
    await demo.printed(/ {2}phase /);
    const cycleId = /Cycle (\S+) started/.exec(demo.stderr())?.[1];
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(130);
    const { error } = JSON.parse(demo.stdout()) as { error: { kind: string; exitCode: number; message: string } };
    expect(error).toMatchObject({ kind: 'interrupted', exitCode: 130 });
    expect(error.message).toMatch(new RegExp(`^demo interrupted \\(Ctrl-C\\): cycle ${cycleId} was running in phase \\S+ \\(execution RUNNING\\)`));
    expect(error.message).toContain('`npm start` starts afresh');
    expect(demo.stderr()).toContain(`tandem: ${error.message}`);
  });
});
