import * as oidc from 'openid-client';
import { TandemError } from '../../domain/errors.ts';
import type { SignInTransaction } from './session.ts';

/** Sign-in failed at the issuer or on the way back (bad state, expired code): the person signs in again. */
export class SignInError extends TandemError {
  override name = 'SignInError';
}

export interface SignInSettings {
  /** The OpenID Connect issuer: the local provider, or the Cognito user pool (https://cognito-idp.<region>.amazonaws.com/<pool id>). */
  issuer: string;
  clientId: string;
  /** Where the issuer sends the person back: <console>/console/callback. */
  redirectUri: string;
  /** The ID token claim that lists the person's groups: `cognito:groups` on Cognito, `groups` on the local provider. */
  groupsClaim: string;
}

export interface SignedInPerson {
  email: string;
  groups: string[];
}

/**
 * The console's one sign-in path for both targets: the authorization-code flow with PKCE, state
 * and nonce (openid-client), against whichever issuer the configuration names. A public client:
 * PKCE protects the code, so no client secret has to be stored.
 */
export class ConsoleSignIn {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: SignInSettings) {}

  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        undefined,
        oidc.None(),
        // The local provider runs on http://127.0.0.1; an https issuer (Cognito) never needs this.
        new URL(this.settings.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new SignInError(`the sign-in issuer ${this.settings.issuer} could not be reached`, { cause: error });
      });
    return this.configuration;
  }

  async start(returnTo: string): Promise<{ url: string; transaction: SignInTransaction }> {
    const configuration = await this.discover();
    const transaction: SignInTransaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, transaction };
  }

  /** Exchanges the code the issuer sent back; the ID token's signature, issuer, audience, nonce and state are checked. */
  async finish(callbackQuery: string, transaction: SignInTransaction): Promise<SignedInPerson> {
    const configuration = await this.discover();
    const callback = new URL(this.settings.redirectUri);
    callback.search = callbackQuery;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: transaction.verifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw new SignInError('the sign-in could not be completed', { cause: error });
    }
    const email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : undefined;
    if (!email) throw new SignInError('the issuer did not name the person’s email');
    const raw = claims?.[this.settings.groupsClaim];
    const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
    return { email, groups };
  }
}
