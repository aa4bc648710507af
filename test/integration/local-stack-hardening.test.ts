import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MAX_BODY_BYTES, MAX_CONSOLE_BODY_BYTES } from '../../local/survey-server.ts';

/** The local addresses (hex, as /proc/net/tcp* writes them) listening on a TCP port. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) addresses.push(local.slice(0, -5));
    }
  }
  return addresses;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const LOOPBACK_V4 = '0100007F'; // 127.0.0.1
const LOOPBACK_V6_MAPPED = '0000000000000000FFFF00000100007F'; // ::ffff:127.0.0.1
const LOOPBACK_V6 = '00000000000000000000000001000000'; // ::1

describe('the local stack only listens where this machine alone can reach it', () => {
  it('binds DynamoDB Local to the loopback address, not to every interface', () => {
    const port = Number(new URL(inject('localStack').endpoints.dynamodb).port);
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect([LOOPBACK_V4, LOOPBACK_V6_MAPPED, LOOPBACK_V6]).toContain(address);
  });
});

describe('DynamoDB Local never outlives the process that started it', () => {
  it('is gone once that process dies of an uncaught error', async () => {
    const port = await freePort();
    const script = `
      import { startDynamoDbLocal } from ${JSON.stringify(resolve(import.meta.dirname, '../../local/dynamodb-local.ts'))};
      await startDynamoDbLocal({ port: ${port} });
      console.log('ready');
      setTimeout(() => { throw new Error('crash on purpose'); }, 10);
    `;
    const crashed = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => done({ code, output }));
    });
    expect(crashed.output).toContain('ready');
    expect(crashed.output).toContain('crash on purpose');
    expect(crashed.code).not.toBe(0);
    let listening = true;
    for (let attempt = 0; attempt < 50 && listening; attempt++) {
      listening = listeningAddresses(port).length > 0;
      if (listening) await new Promise((r) => setTimeout(r, 200));
    }
    expect(listening).toBe(false);
  });
});

describe('the local fault-injection endpoint survives bad requests', () => {
  it('answers a malformed control request with 400 and keeps serving', async () => {
    const { sesApi } = inject('localStack').endpoints;
    const bad = await fetch(`${sesApi}/__tandem/faults`, { method: 'POST', body: '{"match": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not JSON/);
    const wrongShape = await fetch(`${sesApi}/__tandem/faults`, { method: 'POST', body: JSON.stringify({ match: '', failures: 'many' }) });
    expect(wrongShape.status).toBe(400);
    const list = await fetch(`${sesApi}/__tandem/faults`);
    expect(list.status).toBe(200);
  });
});

describe('the local survey server refuses oversized posts', () => {
  it('answers 413 to a POST larger than the API accepts, and keeps serving', async () => {
    const { survey } = inject('localStack').endpoints;
    const response = await fetch(`${survey}/s/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `note=${'x'.repeat(MAX_BODY_BYTES + 1024)}`,
    });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/too large/);
    const after = await fetch(`${survey}/s/anything`);
    expect(after.status).toBeLessThan(500);
  });

  it('lets the console take a roster upload of a few MB, as Lambda does, and refuses one over 6 MB', async () => {
    const { survey } = inject('localStack').endpoints;
    const post = (bytes: number) =>
      fetch(`${survey}/console/roster/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `text=${'x'.repeat(bytes)}`,
      });
    // Reaches the console, which refuses a post without a session (401): the size did not stop it.
    expect((await post(3 * 1024 * 1024)).status).toBe(401);
    // The server answers an over-long post from its declared length and closes at once: sending the whole
    // body would race that close (EPIPE), so the request declares its length and sends only its start.
    const tooLarge = await new Promise<{ status: number; text: string }>((resolvePost, reject) => {
      let answered = false;
      const req = httpRequest(
        `${survey}/console/roster/check`,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(MAX_CONSOLE_BODY_BYTES + 1024) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            answered = true;
            resolvePost({ status: res.statusCode ?? 0, text });
            req.destroy();
          });
        },
      );
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      req.write('text=');
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toMatch(/too large: at most 6144 KB/);
  });
});
