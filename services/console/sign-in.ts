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

/** How long sign-out waits for the issuer's metadata (usually cached since the sign-in) before it ends the console's session alone. */
const SIGN_OUT_DISCOVERY_MS = 3_000;

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

  /**
   * Where the browser goes to end the session at the issuer too, then comes back to the console's
   * "signed out" page (beside the callback: one of the client's registered sign-out URLs); undefined
   * when the issuer offers no sign-out or cannot be reached (the console's own session ends all the same).
   */
  async signOutUrl(): Promise<string | undefined> {
    const returnTo = new URL('signed-out', this.settings.redirectUri).href;
    // An issuer that does not answer must not hold the sign-out past the function's timeout: the cookie is cleared in its answer.
    const configuration = await Promise.race([
      this.discover().catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SIGN_OUT_DISCOVERY_MS).unref()),
    ]);
    if (!configuration) return undefined;
    const metadata = configuration.serverMetadata();
    if (metadata.end_session_endpoint) {
      return oidc.buildEndSessionUrl(configuration, { client_id: this.settings.clientId, post_logout_redirect_uri: returnTo }).href;
    }
    return cognitoSignOutUrl(this.settings.issuer, metadata.authorization_endpoint, this.settings.clientId, returnTo);
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

/**
 * Cognito publishes no end_session_endpoint: its managed login signs out at /logout on the domain
 * that serves /oauth2/authorize, then sends the browser to `returnTo`, which must be one of the app
 * client's LogoutURLs (infra/constructs/console-sign-in.ts). Undefined for any other issuer.
 */
export function cognitoSignOutUrl(issuer: string, authorizationEndpoint: string | undefined, clientId: string, returnTo: string): string | undefined {
  if (!authorizationEndpoint || !/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(new URL(issuer).hostname)) return undefined;
  const logout = new URL('/logout', authorizationEndpoint);
  logout.searchParams.set('client_id', clientId);
  logout.searchParams.set('logout_uri', returnTo);
  return logout.href;
}
