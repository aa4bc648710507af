import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_OPTIONS } from '../../local/ports.ts';
import { tandem } from './cli-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-local-up-'));

describe('tandem local up', () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    busyPort = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)));
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('refuses a port in use as a missing prerequisite, naming the option that moves the service, without a stack trace', async () => {
    const help = await tandem(['local', 'up', '--help']);
    const services = Object.entries(PORT_OPTIONS);
    const runs = await Promise.all(
      services.map(([, option]) => {
        // Every other service on a free port: only the one asked for is busy.
        const others = services.filter(([, o]) => o !== option).flatMap(([, o]) => [o, '0']);
        return tandem(['local', 'up', '--in-memory', '--state-dir', join(dir, option.slice(2)), ...others, option, String(busyPort), '--json'], { cwd: dir });
      }),
    );
    for (const [i, [, option]] of services.entries()) {
      const run = runs[i]!;
      expect(help.stdout).toContain(`${option} <port>`);
      expect(run.code, run.stderr).toBe(3);
      expect(run.json()).toMatchObject({ error: { kind: 'missing-prerequisite', exitCode: 3 } });
      expect(run.stderr).toContain(`port ${busyPort} on 127.0.0.1 is in use`);
      expect(run.stderr).toContain(`${option} <port>`);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
