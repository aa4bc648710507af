import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import type { ConsolePage } from '../../services/console/page.ts';
import { ConsoleRouter, returnPath, type ConsoleRequest } from '../../services/console/router.ts';
import {
  canWrite,
  csrfMatches,
  newCsrfToken,
  roleFromGroups,
  SESSION_COOKIE,
  SESSION_SECONDS,
  SIGN_IN_COOKIE,
  sessionKeyOf,
  SessionCookies,
  type ConsoleSession,
} from '../../services/console/session.ts';
import type { ConsoleSignIn } from '../../services/console/sign-in.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { InMemorySignedOutSessions } from '../support/signed-out-sessions-contract.ts';

const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const NOW = Date.UTC(2027, 2, 1, 9);
const hrSession: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };

/** A console with no pages whose sign-in records where each one was asked to return to, and signs HR in. */
function routerRecordingSignIns(): { asked: string[]; router: ConsoleRouter } {
  const asked: string[] = [];
  const router = new ConsoleRouter({
    cookies,
    signedOut: new InMemorySignedOutSessions(),
    signIn: {
      start: async (returnTo: string) => {
        asked.push(returnTo);
        return {
          url: 'https://login.example.com/authorize',
          transaction: { state: 's'.repeat(20), nonce: 'n'.repeat(20), verifier: 'v'.repeat(43), returnTo },
        };
      },
      finish: async () => ({ email: 'hr@example.com', groups: ['hr'] }),
    } as unknown as ConsoleSignIn,
    pages: [],
    deps: { store: new InMemoryStore(), clock: { now: () => NOW }, workflow: () => ({}) as never, executions: () => ({}) as never },
    log: () => undefined,
  });
  return { asked, router };
}

describe('console roles', () => {
  it('gives HR the hr role even when the person is in ops too, ops the ops role, and nobody else a role', () => {
    expect(roleFromGroups(['ops', 'hr'])).toBe('hr');
    expect(roleFromGroups(['ops'])).toBe('ops');
    expect(roleFromGroups(['admins'])).toBeUndefined();
    expect(roleFromGroups([])).toBeUndefined();
  });

  it('lets only HR write', () => {
    expect(canWrite('hr')).toBe(true);
    expect(canWrite('ops')).toBe(false);
  });
});

describe('console sessions', () => {
  it('opens a sealed session as it was sealed, until it expires', async () => {
    const sealed = await cookies.session.seal(hrSession, NOW);
    expect(await cookies.session.open(sealed, NOW + 1000)).toEqual(hrSession);
    expect(await cookies.session.open(sealed, NOW + (SESSION_SECONDS + 60) * 1000)).toBeUndefined();
  });

  it('opens nothing from an altered, forged or foreign-key cookie', async () => {
    const sealed = await cookies.session.seal(hrSession, NOW);
    const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    expect(await cookies.session.open([version, iv, flipped, tag].join('.'), NOW)).toBeUndefined();
    expect(await cookies.session.open('v1.AAAAAAAAAAAAAAAA.BBBB.CCCCCCCCCCCCCCCCCCCCCC', NOW)).toBeUndefined();
    const other = new SessionCookies({ session: randomBytes(32), signIn: randomBytes(32) });
    expect(await other.session.open(sealed, NOW)).toBeUndefined();
    expect(await cookies.session.open(undefined, NOW)).toBeUndefined();
  });

  it('does not accept a sign-in transaction or a notice as a session (each has its own audience or key)', async () => {
    const notice = await cookies.notice.seal('done', NOW);
    expect(await cookies.session.open(notice, NOW)).toBeUndefined();
    const transaction = await cookies.signIn.seal({ state: 's'.repeat(20), nonce: 'n'.repeat(20), verifier: 'v'.repeat(43), returnTo: '/console' }, NOW);
    expect(await cookies.session.open(transaction, NOW)).toBeUndefined();
  });

  it('matches the CSRF token only when it is the session’s own', () => {
    expect(csrfMatches(hrSession, hrSession.csrf)).toBe(true);
    expect(csrfMatches(hrSession, newCsrfToken())).toBe(false);
    expect(csrfMatches(hrSession, undefined)).toBe(false);
    expect(csrfMatches(hrSession, '')).toBe(false);
  });
});

const ISSUER_SIGN_OUT = 'https://login.example.com/session/end?client_id=tandem-console';

describe('the console router', () => {
  const writes: string[] = [];
  const page: ConsolePage = {
    segment: 'things',
    title: { en: 'Things', 'pt-BR': 'Coisas' },
    roles: ['hr', 'ops'],
    get: async () => ({ title: 'Things', main: '<h1>Things</h1>' }),
    post: async (request) => {
      writes.push(request.session.email);
      await request.audit({ action: 'thing.changed', programId: 'p', details: {} });
      return { redirect: '/console/things', notice: 'Changed.' };
    },
  };
  const store = new InMemoryStore();
  const signedOut = new InMemorySignedOutSessions();
  const router = new ConsoleRouter({
    cookies,
    signedOut,
    signIn: { signOutUrl: async () => ISSUER_SIGN_OUT } as unknown as ConsoleSignIn,
    pages: [page],
    deps: { store, clock: { now: () => NOW }, workflow: () => ({}) as never, executions: () => ({}) as never },
    log: () => undefined,
  });
  const request = async (session: ConsoleSession | undefined, method: string, form?: Record<string, string>): Promise<ConsoleRequest> => {
    const body = new FormData();
    for (const [k, v] of Object.entries(form ?? {})) body.set(k, v);
    return {
      method,
      path: '/console/things',
      query: new URLSearchParams(),
      cookies: session ? { [SESSION_COOKIE]: await cookies.session.seal(session, NOW) } : {},
      ...(form ? { form: body } : {}),
    };
  };

  it('sends a GET without a session to the sign-in, and refuses a POST without one', async () => {
    expect((await router.handle(await request(undefined, 'GET'))).headers.location).toBe('/console/sign-in?return=%2Fconsole%2Fthings');
    expect((await router.handle(await request(undefined, 'POST', { csrf: hrSession.csrf }))).status).toBe(401);
  });

  it('refuses a POST whose CSRF token is missing or not the session’s', async () => {
    expect((await router.handle(await request(hrSession, 'POST', {}))).status).toBe(403);
    expect((await router.handle(await request(hrSession, 'POST', { csrf: newCsrfToken() }))).status).toBe(403);
    expect(writes).toEqual([]);
  });

  it('refuses an ops POST with a valid token, and runs HR’s, recording it in the audit log as the signed-in user', async () => {
    const ops: ConsoleSession = { ...hrSession, email: 'ops@example.com', role: 'ops' };
    expect((await router.handle(await request(ops, 'POST', { csrf: ops.csrf }))).status).toBe(403);
    const done = await router.handle(await request(hrSession, 'POST', { csrf: hrSession.csrf }));
    expect(done.status).toBe(303);
    expect(done.cookies.some((c) => c.startsWith('tandem_console_notice='))).toBe(true);
    expect(writes).toEqual(['hr@example.com']);
    expect(await store.listAudit({ programId: 'p' })).toMatchObject([{ actor: 'hr@example.com', via: 'console', action: 'thing.changed', at: NOW }]);
  });

  it('signs out by clearing the session cookie and sending the browser on to the issuer’s sign-out, not by a redirect', async () => {
    const leaving = { ...hrSession, csrf: newCsrfToken() };
    const signOut = await router.handle(await request(leaving, 'POST', { csrf: leaving.csrf }).then((r) => ({ ...r, path: '/console/sign-out' })));
    expect(signOut.status).toBe(200);
    expect(signOut.headers.refresh).toBe(`0;url=${ISSUER_SIGN_OUT}`);
    expect(signOut.body).toContain(`href="${ISSUER_SIGN_OUT.replace('&', '&amp;')}"`);
    expect(signOut.cookies).toContainEqual(expect.stringMatching(/^tandem_console=; .*Max-Age=0/));
  });

  it('ends every copy of the session cookie at sign-out, not only the browser’s', async () => {
    const copied = await cookies.session.seal({ ...hrSession, csrf: newCsrfToken() }, NOW);
    const session = (await cookies.session.open(copied, NOW)) as ConsoleSession;
    const withCopy = async (method: string, path: string, form?: Record<string, string>): Promise<ConsoleRequest> => ({
      ...(await request(undefined, method, form)),
      path,
      cookies: { [SESSION_COOKIE]: copied },
    });
    expect((await router.handle(await withCopy('GET', '/console/things'))).status).toBe(200);
    expect((await router.handle(await withCopy('POST', '/console/sign-out', { csrf: session.csrf }))).status).toBe(200);
    expect(signedOut.until.get(sessionKeyOf(session))).toBe(Math.floor(NOW / 1000) + SESSION_SECONDS);
    expect([...signedOut.until.keys()].join()).not.toContain(session.csrf);
    expect((await router.handle(await withCopy('GET', '/console/things'))).headers.location).toBe('/console/sign-in?return=%2Fconsole%2Fthings');
    const writesBefore = writes.length;
    expect((await router.handle(await withCopy('POST', '/console/things', { csrf: session.csrf }))).status).toBe(401);
    expect(writes).toHaveLength(writesBefore);
    expect((await router.handle(await request(hrSession, 'GET'))).status).toBe(200);
  });

  it('clears the browser’s cookie even when the sign-out cannot be recorded, and logs that a copy stays valid', async () => {
    const logged: string[] = [];
    const failing = new ConsoleRouter({
      cookies,
      signedOut: { isSignedOut: async () => false, signOut: async () => Promise.reject(new Error('table unavailable')) },
      signIn: { signOutUrl: async () => undefined } as unknown as ConsoleSignIn,
      pages: [page],
      deps: { store, clock: { now: () => NOW }, workflow: () => ({}) as never, executions: () => ({}) as never },
      log: (message) => void logged.push(message),
    });
    const signOut = await failing.handle(await request(hrSession, 'POST', { csrf: hrSession.csrf }).then((r) => ({ ...r, path: '/console/sign-out' })));
    expect(signOut.headers.location).toBe('/console/signed-out');
    expect(signOut.cookies).toContainEqual(expect.stringMatching(/^tandem_console=; .*Max-Age=0/));
    expect(logged).toEqual([expect.stringContaining('copy of the session cookie stays valid')]);
  });

  it('still signs out at the issuer when the console session expired with the page open', async () => {
    const writesBefore = writes.length;
    const signOut = await router.handle(await request(undefined, 'POST', { csrf: 'from an expired page' }).then((r) => ({ ...r, path: '/console/sign-out' })));
    expect(signOut.status).toBe(200);
    expect(signOut.headers.refresh).toBe(`0;url=${ISSUER_SIGN_OUT}`);
    expect(writes).toHaveLength(writesBefore);
  });

  it('keeps the session’s first expiry when the language changes, so a copied cookie cannot be kept alive', async () => {
    let time = NOW;
    const later = new ConsoleRouter({
      cookies,
      signedOut: new InMemorySignedOutSessions(),
      signIn: { signOutUrl: async () => undefined } as unknown as ConsoleSignIn,
      pages: [page],
      deps: { store, clock: { now: () => time }, workflow: () => ({}) as never, executions: () => ({}) as never },
      log: () => undefined,
    });
    const signedIn = await request(hrSession, 'POST', { csrf: hrSession.csrf, lang: 'pt-BR' });
    time = NOW + 7 * 3600 * 1000;
    const switched = await later.handle({ ...signedIn, path: '/console/language' });
    expect(switched.cookies[0]).toMatch(/; Max-Age=3600; /);
    const renewed = /^tandem_console=([^;]+)/.exec(switched.cookies[0] ?? '')?.[1];
    expect(await cookies.session.open(renewed, time)).toEqual({ ...hrSession, lang: 'pt-BR' });
    expect(await cookies.session.open(renewed, NOW + (SESSION_SECONDS + 1) * 1000)).toBeUndefined();
  });

  it('switches the language and comes back to the page the button was on, or to /console for any address that is not a console page', async () => {
    const page = await router.handle({ ...(await request(hrSession, 'GET')), path: '/console/things/t1' });
    expect(page.body).toMatch(
      /<form method="post" action="\/console\/language" class="inline">.*<input type="hidden" name="return" value="\/console\/things\/t1">/,
    );
    const switchTo = async (back?: string) =>
      (
        await router.handle({
          ...(await request(hrSession, 'POST', { csrf: hrSession.csrf, lang: 'pt-BR', ...(back === undefined ? {} : { return: back }) })),
          path: '/console/language',
        })
      ).headers.location;
    expect(await switchTo('/console/things/t1')).toBe('/console/things/t1');
    expect(await switchTo('/console/cycles/c1/../c2')).toBe('/console/cycles/c2');
    for (const elsewhere of [
      undefined,
      '',
      'https://evil.example/console',
      '//evil.example/console',
      '/console/../evil',
      '/console/language',
      '/console/callback',
    ])
      expect(await switchTo(elsewhere), String(elsewhere)).toBe('/console');
  });

  it('sends the language button of a page that answers a post back to that page’s list, since the posted address is no page', async () => {
    const answering: ConsolePage = { ...page, post: async () => ({ status: 409, title: 'Things', main: '<h1>Things</h1><p>Refused.</p>' }) };
    const posting = new ConsoleRouter({
      cookies,
      signedOut: new InMemorySignedOutSessions(),
      signIn: { signOutUrl: async () => undefined } as unknown as ConsoleSignIn,
      pages: [answering],
      deps: { store, clock: { now: () => NOW }, workflow: () => ({}) as never, executions: () => ({}) as never },
      log: () => undefined,
    });
    const answered = await posting.handle({ ...(await request(hrSession, 'POST', { csrf: hrSession.csrf })), path: '/console/things/t1/restart' });
    expect(answered.status).toBe(409);
    expect(answered.body).toContain('<input type="hidden" name="return" value="/console/things">');
  });

  it('sets session cookies HttpOnly, Secure and SameSite=Lax under /console', async () => {
    const response = await router.handle(
      await request(hrSession, 'POST', { csrf: hrSession.csrf, lang: 'pt-BR' }).then((r) => ({ ...r, path: '/console/language' })),
    );
    expect(response.cookies[0]).toMatch(/^tandem_console=[^;]+; Path=\/console; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
  });
});

describe('the path sign-in returns to', () => {
  it('is normalised as the browser would, and accepted only when it stays under /console and is a page, not the sign-in’s own paths or the language switch', () => {
    for (const hostile of [
      '/console/../../evil',
      '/console/%2e%2e/evil',
      '/console/..',
      '/console/x/../../evil',
      '//evil.example/console',
      '/\\evil.example/console',
      'https://evil.example/console',
      '/console/sign-in',
      '/console/cycles/../sign-in',
      '/console/callback',
      '/console/callback/',
      '/console/./callback',
      '/console/sign-out',
      '/console/signed-out',
      '/console/language',
      '/console?next=/evil',
    ])
      expect(returnPath(hostile), hostile).toBeUndefined();
    expect(returnPath('/console/cycles/../programs')).toBe('/console/programs');
    expect(returnPath('/console/./cycles/c1')).toBe('/console/cycles/c1');
    expect(returnPath('/console')).toBe('/console');
  });

  it('lands on /console after a sign-in asked to return to its own callback, not on a sign-in that fails', async () => {
    const { asked, router } = routerRecordingSignIns();
    await router.handle({ method: 'GET', path: '/console/sign-in', query: new URLSearchParams({ return: '/console/callback' }), cookies: {} });
    expect(asked).toEqual(['/console']);

    // A transaction that kept the callback (sealed before this change, or forged into the cookie) still lands on /console.
    const transaction = { state: 's'.repeat(20), nonce: 'n'.repeat(20), verifier: 'v'.repeat(43), returnTo: '/console/callback' };
    const signedIn = await router.handle({
      method: 'GET',
      path: '/console/callback',
      query: new URLSearchParams({ code: 'c', state: transaction.state }),
      cookies: { [SIGN_IN_COOKIE]: await cookies.signIn.seal(transaction, NOW) },
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/console');
    expect(signedIn.cookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.includes('Max-Age=0'))).toBe(true);
  });

  it('starts the sign-in towards /console, not the path outside it that return= asked for', async () => {
    const { asked, router } = routerRecordingSignIns();
    for (const ret of ['/console/../../evil', '/console/cycles/c1'])
      await router.handle({ method: 'GET', path: '/console/sign-in', query: new URLSearchParams({ return: ret }), cookies: {} });
    expect(asked).toEqual(['/console', '/console/cycles/c1']);
  });
});
