import { Agent, request } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSesLocal, type SesLocal } from '../../local/ses-local.ts';

/** GETs a path through `agent` and says whether the request went on a pooled connection (`reusedSocket`). */
function get(endpoint: string, path: string, agent: Agent): Promise<{ status: number; reused: boolean; keepAlive: string | undefined }> {
  return new Promise((resolve, reject) => {
    const call = request(new URL(path, endpoint), { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, reused: call.reusedSocket, keepAlive: response.headers['keep-alive']?.toString() }));
    });
    call.on('error', reject);
    call.end();
  });
}

describe('connections to the local SES', () => {
  let ses: SesLocal | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(async () => {
    agent.destroy();
    await ses?.stop();
  });

  it('stay open when idle longer than Node’s 5 s default, as AWS endpoints keep them, so a pooled one is not closed under a send', async () => {
    ses = await startSesLocal({ host: '127.0.0.1', port: 0 });
    expect(await get(ses.endpoint, '/v2/email/account', agent)).toMatchObject({ status: 200, reused: false });
    await new Promise((r) => setTimeout(r, 6_000));
    const later = await get(ses.endpoint, '/v2/email/account', agent);
    expect(later).toMatchObject({ status: 200, reused: true });
    expect(later.keepAlive).toBe('timeout=65');
  });

  it('stay open as long through the fault-injection proxy the stack’s handlers call SES through', async () => {
    const sesApi = inject('localStack').endpoints.sesApi;
    const viaProxy = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(sesApi, '/v2/email/account', viaProxy)).toMatchObject({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_000));
      const later = await get(sesApi, '/v2/email/account', viaProxy);
      expect(later).toMatchObject({ status: 200, reused: true });
      expect(later.keepAlive).toBe('timeout=65');
    } finally {
      viaProxy.destroy();
    }
  });
});
