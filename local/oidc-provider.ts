import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml as e } from '../domain/html.ts';

/**
 * The local stack's OpenID Connect provider (the certified `oidc-provider` package) on 127.0.0.1:
 * the console signs in against it through the very code that signs in against Cognito on AWS.
 * Its signing keys, cookie keys and the demo users (with their generated passwords) live in the
 * stack's state folder, so a restart keeps sessions valid and nothing secret is in the repository.
 * The login page is this module's own small form (oidc-provider's devInteractions are for
 * development of the provider itself, not for use).
 */

export interface DemoUser {
  email: string;
  password: string;
  groups: string[];
  name: string;
}

export const CONSOLE_CLIENT_ID = 'tandem-console';

function readOrCreate<T>(path: string, create: () => Promise<T> | T): Promise<T> {
  if (existsSync(path)) return Promise.resolve(JSON.parse(readFileSync(path, 'utf8')) as T);
  return Promise.resolve(create()).then((value) => {
    writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    return value;
  });
}

const password = () => randomBytes(9).toString('base64url');

/** The demo users, created once per state folder: an HR user and an ops user. */
export function demoUsers(stateDir: string): Promise<DemoUser[]> {
  const dir = resolve(stateDir, 'oidc');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return readOrCreate<DemoUser[]>(resolve(dir, 'demo-users.json'), () => [
    { email: 'hr@demo.tandem.local', password: password(), groups: ['hr'], name: 'Demo HR' },
    { email: 'ops@demo.tandem.local', password: password(), groups: ['ops'], name: 'Demo Ops' },
  ]);
}

async function signingKeys(dir: string) {
  return readOrCreate(resolve(dir, 'jwks.json'), async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    return { keys: [{ ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] };
  });
}

const samePassword = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const LOGIN_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:.8rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}button{margin-top:1rem;padding:.4rem 1rem;font:inherit}.problem{color:#a4000f;font-weight:600}';

function loginPage(uid: string, problem?: string, email = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Tandem (local)</title><style>${LOGIN_STYLE}</style></head>
<body><main><h1>Sign in to Tandem</h1><p>Local identity provider. The demo users and their passwords are in the stack's state folder (<code>.tandem/local/oidc/demo-users.json</code>) and printed by <code>npm start -- --keep-running</code>.</p>
${problem ? `<p class="problem" role="alert">${e(problem)}</p>` : ''}
<form method="post" action="/interaction/${e(uid)}/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${e(email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></main></body></html>`;
}

/**
 * The provider's sign-out page: `form` is its own (action and anti-forgery token). The page submits
 * it at once, as Cognito's /logout signs out without asking: a person who left the console before
 * confirming (Back, a closed tab) would otherwise still be signed in here. The button is for a
 * browser without JavaScript.
 */
function signOutPage(form: string): string {
  const confirming = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign out · Tandem (local)</title><style>${LOGIN_STYLE}</style></head>
<body><main><h1>Sign out of Tandem</h1><p>Signing you out of the local identity provider too, so that the next sign-in on this browser asks for a password.</p>
${confirming}<button autofocus type="submit" form="op.logoutForm">Sign out</button></main><script>document.getElementById('op.logoutForm').submit();</script></body></html>`;
}

const signedOutPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out · Tandem (local)</title><style>${LOGIN_STYLE}</style></head><body><main><h1>Signed out</h1><p>You are signed out of the local identity provider.</p></main></body></html>`;

/** Starts the provider on a chosen port (the issuer URL names it, so it cannot be 0). */
export async function startOidcProvider(options: { host: string; port: number; stateDir: string; consoleBaseUrl: string }) {
  if (!options.port) throw new RangeError('the local OIDC provider needs a chosen port: its issuer URL names it');
  const dir = resolve(options.stateDir, 'oidc');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const users = await demoUsers(options.stateDir);
  const jwks = await signingKeys(dir);
  const cookieKeys = await readOrCreate<string[]>(resolve(dir, 'cookie-keys.json'), () => [randomBytes(32).toString('base64url')]);
  const issuer = `http://${options.host}:${options.port}`;
  const base = options.consoleBaseUrl.replace(/\/$/, '');

  const configuration: Configuration = {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${base}/console/callback`],
        post_logout_redirect_uris: [`${base}/console/signed-out`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks,
    cookies: { keys: cookieKeys },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // The console reads email and groups from the ID token, as it does with Cognito's.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      // The console's sign-out ends the session here too (RP-initiated logout), as Cognito's /logout does on AWS.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = signedOutPage;
        },
      },
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.find((u) => u.email === sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: user.email, email_verified: true, name: user.name, groups: user.groups }) };
    },
    // The console is this stack's own application: the people signing in have nothing to consent to.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, AccessToken: 3600, IdToken: 3600, AuthorizationCode: 60 },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1><p>${e(String(out.error_description ?? out.error))}</p></main></body></html>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (request: IncomingMessage, response: ServerResponse, uid: string, login: boolean) => {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (!login) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(loginPage(uid));
      return;
    }
    const form = await readForm(request);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const user = users.find((u) => u.email === email);
    if (!user || !samePassword(user.password, form.get('password') ?? '')) {
      response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(loginPage(uid, 'Wrong email or password.', email));
      return;
    }
    await provider.interactionFinished(request, response, { login: { accountId: user.email } }, { mergeWithLastSubmission: false });
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', issuer).pathname;
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path);
    if (!match) {
      void callback(request, response);
      return;
    }
    const login = Boolean(match[2]) && request.method === 'POST';
    interaction(request, response, match[1] as string, login).catch((error: unknown) => {
      console.error('local OIDC provider:', error instanceof Error ? error.message : error);
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The sign-in expired or is not valid. Go back to the console and sign in again.');
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  return {
    issuer,
    users,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
