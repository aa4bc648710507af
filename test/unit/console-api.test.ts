import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import { consoleHandler } from '../../functions/console-api.ts';
import { CONSOLE_PAGES } from '../../services/console/pages/index.ts';
import { ConsoleRouter } from '../../services/console/router.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import type { ConsoleSignIn } from '../../services/console/sign-in.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { InMemorySignedOutSessions } from '../support/signed-out-sessions-contract.ts';

/** The console's Lambda handler (middy, security headers, the error page) around a router over the in-memory store. */

const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const NOW = Date.now();
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };

/** A store whose reads of programs fail as an unreachable database would. */
class BrokenStore extends InMemoryStore {
  override async listPrograms(): Promise<never> {
    throw new Error('the table is unreachable');
  }
}

function handlerOver(store: InMemoryStore) {
  const router = new ConsoleRouter({
    cookies,
    signedOut: new InMemorySignedOutSessions(),
    signIn: { signOutUrl: async () => undefined } as unknown as ConsoleSignIn,
    pages: CONSOLE_PAGES,
    deps: { store, clock: { now: () => NOW }, workflow: () => ({}) as never, executions: () => ({}) as never },
    log: () => undefined,
  });
  return consoleHandler(async () => router);
}

async function get(handler: ReturnType<typeof handlerOver>, rawPath: string) {
  const event = {
    rawPath,
    rawQueryString: '',
    headers: {},
    cookies: [`${SESSION_COOKIE}=${await cookies.session.seal(hr, NOW)}`],
    requestContext: { http: { method: 'GET', path: rawPath } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const context = { functionName: 'console-api', awsRequestId: 'r1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const response = await handler(event, context);
  return { status: response.statusCode, headers: response.headers ?? {}, body: String(response.body ?? '') };
}

const SECURITY_HEADERS = ['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'];

describe('the console’s handler', () => {
  it('answers an unexpected failure with a 500 page that carries every security header and no internals', async () => {
    const response = await get(handlerOver(new BrokenStore()), '/console/programs');
    expect(response.status).toBe(500);
    for (const header of SECURITY_HEADERS) expect(response.headers, header).toHaveProperty(header);
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('Something went wrong');
    expect(response.body).not.toContain('unreachable');
  });

  it('heads the 500 page with what happened, not a bare status code, and links back to the console', async () => {
    const response = await get(handlerOver(new BrokenStore()), '/console/programs');
    expect(response.status).toBe(500);
    expect(response.body).toContain('<h1>Something went wrong</h1><p>The request failed. Try again; the function log has the cause.</p>');
    expect(response.body).toContain('<a href="/console">Back to the console</a>');
    expect(response.body).not.toContain('<h1>500</h1>');
  });

  it('answers a malformed %-escape or an over-long id in any page’s address with a 400 or 404 page naming the problem, never a 500', async () => {
    const handler = handlerOver(new InMemoryStore());
    for (const path of [
      '/console/cycles/%E0%A4%A',
      '/console/programs/edit/%E0%A4%A',
      '/console/report/%ZZ',
      '/console/pairs/%ZZ',
      '/console/roster/export/%ZZ',
    ]) {
      const response = await get(handler, path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toContain('broken %-escape');
      for (const header of SECURITY_HEADERS) expect(response.headers, `${path}: ${header}`).toHaveProperty(header);
    }
    for (const path of ['/console/cycles/', '/console/pairs/', '/console/report/', '/console/roster/export/', '/console/programs/edit/']) {
      const response = await get(handler, `${path}${'a'.repeat(3000)}`);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toContain('longer than any id');
    }
  });

  it('answers an id no cycle, review or program could have with a 404 naming the problem', async () => {
    const handler = handlerOver(new InMemoryStore());
    for (const path of ['/console/cycles/', '/console/pairs/', '/console/report/']) {
      const long = await get(handler, `${path}${'a'.repeat(200)}`);
      expect(long.status, path).toBe(404);
      expect(long.body, path).toContain('at most 128');
      const odd = await get(handler, `${path}%C3%A9t%C3%A9`);
      expect(odd.status, path).toBe(404);
      expect(odd.body, path).toContain('an id holds only letters');
    }
    expect((await get(handler, `/console/programs/edit/${'a'.repeat(200)}`)).status).toBe(404);
  });
});
