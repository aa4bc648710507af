import { describe, expect, it } from 'vitest';
import { cognitoSignOutUrl } from '../../services/console/sign-in.ts';

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
