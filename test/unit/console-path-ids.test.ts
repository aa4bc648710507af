import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };

/** The in-memory store, noting every cycle and program id the console asks it for. */
class AskedStore extends InMemoryStore {
  readonly asked: string[] = [];
  override async getCycle(cycleId: string) {
    this.asked.push(`cycle ${cycleId}`);
    return super.getCycle(cycleId);
  }
  override async getProgram(programId: string) {
    this.asked.push(`program ${programId}`);
    return super.getProgram(programId);
  }
  override async listParticipants(programId: string) {
    this.asked.push(`participants ${programId}`);
    return super.listParticipants(programId);
  }
}

async function signedIn() {
  const store = new AskedStore();
  await store.putProgram(sampleProgram('path-ids'));
  const { router, workflow } = consoleRouter(store, cookies, NOW);
  const sealed = await cookies.session.seal(hr, NOW);
  const send = (method: 'GET' | 'POST', path: string) => {
    const form = new FormData();
    form.set('csrf', hr.csrf);
    form.set('reason', 'wrong roster');
    return router.handle({ method, path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed }, ...(method === 'POST' ? { form } : {}) });
  };
  store.asked.length = 0;
  return { store, workflow, send };
}

describe('ids in the console’s addresses', () => {
  it('checks the cycle id of a stop before anything reaches the store, naming the problem', async () => {
    const { store, send } = await signedIn();
    for (const [id, status, problem] of [
      ['%3Cb%3E', 404, 'there is no such cycle: an id holds only letters, digits, &quot;.&quot;, &quot;_&quot; and &quot;-&quot;'],
      ['..%2F..%2Fprogram', 404, 'there is no such cycle: an id holds only letters'],
      ['a'.repeat(200), 404, 'there is no such cycle: the address names an id of 200 characters (at most 128)'],
      ['%E0%A4%A', 400, 'broken %-escape'],
    ] as const) {
      const response = await send('POST', `/console/cycles/${id}/stop`);
      expect(response.status, id).toBe(status);
      expect(response.body, id).toContain(problem);
    }
    expect(store.asked).toEqual([]);
    expect(await store.listAudit({ programId: 'path-ids' })).toEqual([]);
  });

  it('checks the program id of a roster export before anything reaches the store, naming the problem', async () => {
    const { store, send } = await signedIn();
    for (const [id, status, problem] of [
      ['%3Cb%3E', 404, 'there is no such program: an id holds only letters'],
      ['path-ids%0A', 404, 'there is no such program: an id holds only letters'],
      ['a'.repeat(200), 404, 'there is no such program: the address names an id of 200 characters (at most 128)'],
    ] as const) {
      const response = await send('GET', `/console/roster/export/${id}`);
      expect(response.status, id).toBe(status);
      expect(response.headers['content-disposition'], id).toBeUndefined();
      expect(response.body, id).toContain(problem);
    }
    expect(store.asked).toEqual([]);
    // A well-formed id still exports.
    const exported = await send('GET', '/console/roster/export/path-ids');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="path-ids-roster.csv"');
  });
});
