import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Language } from '../../domain/program.ts';
import * as z from '../../domain/validation.ts';

/**
 * The console's sessions: an encrypted and authenticated cookie (AES-256-GCM), so a forged or
 * altered cookie decrypts to nothing and only signed-out sessions need a record (SignedOutSessions). The key is derived from the
 * link secret for this purpose alone (LinkSigner.keyFor). Node's own AES-GCM rather than a JWE
 * library: the format never leaves this module, and jose's 32 KB would put the console's Lambda
 * bundle over its 500 KB budget (test/infra/tandem-stack.test.ts).
 */

export const ROLES = ['hr', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** HR's group wins over ops when a person is in both; no known group means no access. */
export function roleFromGroups(groups: readonly string[]): Role | undefined {
  if (groups.includes('hr')) return 'hr';
  if (groups.includes('ops')) return 'ops';
  return undefined;
}

/** Ops read; only HR changes anything. */
export const canWrite = (role: Role): boolean => role === 'hr';

const sessionSchema = z.object({
  email: z.string().check(z.minLength(1), z.maxLength(320)),
  role: z.enum(ROLES),
  csrf: z.string().check(z.minLength(32), z.maxLength(64)),
  lang: z.enum(['pt-BR', 'en']),
});
export type ConsoleSession = z.infer<typeof sessionSchema>;

/** What the sign-in redirect must find again when the issuer sends the person back (PKCE, state, nonce). */
const signInSchema = z.object({
  state: z.string().check(z.minLength(16)),
  nonce: z.string().check(z.minLength(16)),
  verifier: z.string().check(z.minLength(43)),
  returnTo: z.string().check(z.regex(/^\/console(\/[A-Za-z0-9._~\-/]*)?$/)),
});
export type SignInTransaction = z.infer<typeof signInSchema>;

export const SESSION_COOKIE = 'tandem_console';
export const SIGN_IN_COOKIE = 'tandem_console_sign_in';
/** A working day: a stolen cookie is worthless by the next morning. */
export const SESSION_SECONDS = 8 * 3600;
export const SIGN_IN_SECONDS = 600;

export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/**
 * Sessions signed out before their cookie expired. A sealed cookie needs no table to be trusted,
 * but a copy of it (a shared computer's browser profile, a proxy's log) would outlive the sign-out;
 * this list is what the console checks on every request so that a sign-out ends every copy.
 */
export interface SignedOutSessions {
  /** Records the session as signed out until `until` (epoch seconds, its cookie's expiry); recording it twice is harmless. */
  signOut(sessionKey: string, until: number): Promise<void>;
  isSignedOut(sessionKey: string): Promise<boolean>;
}

/**
 * A session's key on that list: a hash of its CSRF token, random per sign-in, so the list never
 * holds a value that would let anyone post a form.
 */
export const sessionKeyOf = (session: ConsoleSession): string => createHash('sha256').update(session.csrf).digest('base64url');

/** Constant-time comparison of the form's token with the session's. */
export function csrfMatches(session: ConsoleSession, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

class SealedCookie<S extends z.ZodMiniType> {
  constructor(
    private readonly key: Uint8Array,
    private readonly audience: string,
    private readonly schema: S,
    private readonly seconds: number,
  ) {
    if (key.length !== 32) throw new RangeError('a console cookie key must be 32 bytes');
  }

  /**
   * `v1.<iv>.<ciphertext>.<tag>` (base64url); the audience is authenticated data, so a cookie made for one purpose opens for no other.
   * `expiresAt` (epoch seconds) keeps an earlier cookie's expiry when its value changes: re-sealing must never extend a session.
   */
  seal(value: z.output<S>, nowMs: number, expiresAt?: number): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(this.audience));
    const exp = Math.min(expiresAt ?? Infinity, Math.floor(nowMs / 1000) + this.seconds);
    const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp }), 'utf8'), cipher.final()]);
    return Promise.resolve(['v1', iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.'));
  }

  /** The value, or undefined for anything forged, altered, expired, made for another purpose or malformed. */
  open(token: string | undefined, nowMs: number): Promise<z.output<S> | undefined> {
    return Promise.resolve(this.openNow(token, nowMs)?.value);
  }

  /** As `open`, with the cookie's expiry (epoch seconds), for a change that seals it again (`seal`'s `expiresAt`). */
  openWithExpiry(token: string | undefined, nowMs: number): Promise<{ value: z.output<S>; expiresAt: number } | undefined> {
    return Promise.resolve(this.openNow(token, nowMs));
  }

  private openNow(token: string | undefined, nowMs: number): { value: z.output<S>; expiresAt: number } | undefined {
    if (!token || token.length > 4096) return undefined;
    const [version, iv, body, tag, ...rest] = token.split('.');
    if (version !== 'v1' || !iv || !body || !tag || rest.length) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(this.audience));
      const authTag = Buffer.from(tag, 'base64url');
      if (authTag.length !== 16) return undefined;
      decipher.setAuthTag(authTag);
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      const payload = JSON.parse(plain) as { v?: unknown; exp?: unknown };
      if (typeof payload.exp !== 'number' || payload.exp * 1000 <= nowMs) return undefined;
      const parsed = this.schema.safeParse(payload.v);
      return parsed.success ? { value: parsed.data, expiresAt: payload.exp } : undefined;
    } catch {
      return undefined;
    }
  }
}

const noticeSchema = z.string().check(z.maxLength(500));
export const NOTICE_COOKIE = 'tandem_console_notice';

export class SessionCookies {
  readonly session: SealedCookie<typeof sessionSchema>;
  readonly signIn: SealedCookie<typeof signInSchema>;
  /** What a POST did, shown once on the page it redirects to (sealed, so no one can put words in the console's mouth). */
  readonly notice: SealedCookie<typeof noticeSchema>;

  constructor(keys: { session: Uint8Array; signIn: Uint8Array }) {
    this.session = new SealedCookie(keys.session, 'tandem-console-session', sessionSchema, SESSION_SECONDS);
    this.signIn = new SealedCookie(keys.signIn, 'tandem-console-sign-in', signInSchema, SIGN_IN_SECONDS);
    this.notice = new SealedCookie(keys.session, 'tandem-console-notice', noticeSchema, 60);
  }
}

/** A Set-Cookie value: HttpOnly, Secure, SameSite=Lax (the issuer's redirect back is a top-level GET), scoped to /console. */
export function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/console; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

export const clearCookie = (name: string): string => cookie(name, '', 0);

export type { Language };
