import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { cycleAwaitingApproval } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };

/** The console over the in-memory store, as HR signed in: GETs and POSTs with the session's cookie and CSRF token. */
async function signedInConsole(store: InMemoryStore, session: ConsoleSession = hr) {
  const { router } = consoleRouter(store, cookies, NOW);
  const sealed = await cookies.session.seal(session, NOW);
  const get = (path: string) => router.handle({ method: 'GET', path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed } });
  const post = (path: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ csrf: session.csrf, ...fields })) form.set(name, value);
    return router.handle({ method: 'POST', path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed }, form });
  };
  return { get, post };
}

/** The page's own content, without the frame (whose language and sign-out buttons are forms too). */
const mainOf = (body: string) => /<main id="main">([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';

describe('the Pairs page of a cycle stopped while its pairs waited for approval', () => {
  it('says the cycle was stopped, offers no form, and is no longer listed as waiting', async () => {
    const store = new InMemoryStore();
    const cycle = await cycleAwaitingApproval(store, 'pairs-stopped', NOW);
    const { get, post } = await signedInConsole(store);
    const page = `/console/pairs/${cycle.cycleId}`;
    expect(mainOf((await get(page)).body)).toContain('Waiting for approval until');
    expect((await get('/console/pairs')).body).toContain(`href="${page}"`);

    expect((await post(`/console/cycles/${cycle.cycleId}/stop`, { reason: 'wrong roster' })).status).toBe(303);

    const stopped = await get(page);
    expect(stopped.status).toBe(200);
    const main = mainOf(stopped.body);
    expect(main).toContain('The cycle was stopped before its pairs were approved: they can no longer be changed or approved.');
    expect(main).not.toContain('Waiting for approval');
    expect(main).not.toContain('<form');
    const list = await get('/console/pairs');
    expect(list.body).not.toContain(`href="${page}"`);
    expect(list.body).toContain('No cycle is waiting for HR to approve its pairs.');
  });

  it('refuses every review post with 409, saying the cycle is no longer running, and writes nothing', async () => {
    const store = new InMemoryStore();
    const cycle = await cycleAwaitingApproval(store, 'pairs-stopped-posts', NOW);
    const { post } = await signedInConsole(store);
    // The forms of a page opened before the stop carry the revision that page showed, still the review's own.
    const shown = { cycleId: cycle.cycleId, revision: String(cycle.approval?.revision) };
    expect((await post(`/console/cycles/${cycle.cycleId}/stop`, { reason: 'wrong roster' })).status).toBe(303);
    const before = await store.getCycle(cycle.cycleId);
    const auditBefore = await store.listAudit({ programId: cycle.programId });
    expect(auditBefore.map((entry) => entry.action)).toEqual(['cycle.stopped']);

    const posts: Array<Record<string, string>> = [
      { action: 'forbid', first: 'p01', second: 'p02', programWide: 'true' },
      { action: 'lock', first: 'p01', second: 'p02' },
      { action: 'exclude', participantId: 'p03' },
      { action: 'resolve' },
      { action: 'approve' },
    ];
    for (const fields of posts) {
      const response = await post(`/console/pairs/${cycle.cycleId}`, { ...shown, ...fields });
      expect(response.status, fields.action).toBe(409);
      const main = mainOf(response.body);
      expect(main, fields.action).toContain('Nothing was done: this cycle is no longer running');
      expect(main, fields.action).not.toContain('<form');
    }
    expect(await store.getCycle(cycle.cycleId)).toEqual(before);
    expect((await store.getProgram(cycle.programId))?.matching.doNotPair).toEqual([]);
    expect(await store.listAudit({ programId: cycle.programId })).toEqual(auditBefore);
  });
});
