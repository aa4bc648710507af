import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoSignOutUrl, ConsoleSignIn } from '../../services/console/sign-in.ts';

describe('signing out of Cognito’s managed login', () => {
  const issuer = 'https://cognito-idp.sa-east-1.amazonaws.com/sa-east-1_AbC123';
  const authorize = 'https://tandem-acme.auth.sa-east-1.amazoncognito.com/oauth2/authorize';

  it('goes to /logout on the domain that serves the sign-in, with the app client and the console’s signed-out page', () => {
    const url = new URL(cognitoSignOutUrl(issuer, authorize, 'client-1', 'https://tandem.acme.test/console/signed-out') as string);
    expect(url.origin + url.pathname).toBe('https://tandem-acme.auth.sa-east-1.amazoncognito.com/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'client-1', logout_uri: 'https://tandem.acme.test/console/signed-out' });
  });

  it('offers no sign-out URL for an issuer that is not a Cognito user pool, or one that names no sign-in page', () => {
    expect(
      cognitoSignOutUrl('https://login.example.com', 'https://login.example.com/authorize', 'client-1', 'https://x.test/console/signed-out'),
    ).toBeUndefined();
    expect(cognitoSignOutUrl('https://cognito-idp.evil.example.com/pool', authorize, 'client-1', 'https://x.test/console/signed-out')).toBeUndefined();
    expect(cognitoSignOutUrl(issuer, undefined, 'client-1', 'https://x.test/console/signed-out')).toBeUndefined();
  });
});

describe('signing out when the issuer does not answer', () => {
  afterEach(() => vi.useRealTimers());

  it('gives up on the issuer after a few seconds, so that the console’s own session still ends within the function’s time', async () => {
    const sockets: Socket[] = [];
    // Accepts connections and never answers, like an issuer behind a stuck network.
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      const signIn = new ConsoleSignIn({
        issuer: `http://127.0.0.1:${port}`,
        clientId: 'tandem-console',
        redirectUri: 'http://127.0.0.1:1/console/callback',
        groupsClaim: 'groups',
      });
      const url = signIn.signOutUrl();
      await vi.advanceTimersByTimeAsync(3_000);
      await expect(url).resolves.toBeUndefined();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
