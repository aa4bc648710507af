import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a participant's link lets them do: answer one phase (or one check-in round) of one cycle, until it expires. */
export interface LinkScope {
  cycleId: string;
  participantId: string;
  /** A phase key: "goal-setting", "run#2", "measure", "feedback". */
  phaseKey: string;
  /** Epoch seconds after which the link is refused. */
  expiresAt: number;
}

/** An expired link still says what it was for (its signature held): a phase whose deadline moved may accept it. */
export type LinkVerification =
  { ok: true; scope: LinkScope } | { ok: false; reason: 'malformed' | 'forged' } | { ok: false; reason: 'expired'; scope: LinkScope };

/** A phase's links stay valid this long after its deadline, so that a late click gets a "phase closed" page, not "expired". */
export const PHASE_LINK_GRACE_SECONDS = 3 * 86400;

const VERSION = 'v1';

/** What else the secret keys, each under its own derived key: a MAC made for one purpose is worthless for another. */
export type KeyPurpose = 'form-binding' | 'keyed-id' | 'console-session' | 'console-sign-in' | 'suppression';

/**
 * Signs and verifies the tokens inside emailed links: HMAC-SHA256 over the scope,
 * compared in constant time. A token is `v1.<base64url scope>.<base64url mac>`.
 */
export class LinkSigner {
  private readonly derivedKeys = new Map<KeyPurpose, Buffer>();

  constructor(private readonly key: string) {
    if (Buffer.byteLength(key) < 32) throw new RangeError('the link-signing key must be at least 32 bytes');
  }

  /**
   * A MAC for another purpose than links (form bindings, keyed ids), under a key derived from
   * the secret with HKDF-SHA256 for that purpose alone. Links keep the secret itself, so links
   * already emailed stay valid.
   */
  macFor(purpose: KeyPurpose, data: string): string {
    return createHmac('sha256', this.keyFor(purpose)).update(data).digest('base64url');
  }

  /** The 32-byte key derived from the secret for one purpose alone (the console's session cookies are encrypted with theirs). */
  keyFor(purpose: KeyPurpose): Buffer {
    let key = this.derivedKeys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.key, 'tandem', `tandem ${purpose} ${VERSION}`, 32));
      this.derivedKeys.set(purpose, key);
    }
    return key;
  }

  sign(scope: LinkScope): string {
    const body = Buffer.from(JSON.stringify([scope.cycleId, scope.participantId, scope.phaseKey, scope.expiresAt])).toString('base64url');
    return `${VERSION}.${body}.${this.mac(body)}`;
  }

  verify(token: string, nowMs: number): LinkVerification {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2] || token.length > 1024) return { ok: false, reason: 'malformed' };
    const [, body, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    let fields: unknown;
    try {
      fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!Array.isArray(fields) || fields.length !== 4) return { ok: false, reason: 'malformed' };
    const [cycleId, participantId, phaseKey, expiresAt] = fields as [unknown, unknown, unknown, unknown];
    if (typeof cycleId !== 'string' || typeof participantId !== 'string' || typeof phaseKey !== 'string' || typeof expiresAt !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    if (nowMs / 1000 > expiresAt) return { ok: false, reason: 'expired', scope: { cycleId, participantId, phaseKey, expiresAt } };
    return { ok: true, scope: { cycleId, participantId, phaseKey, expiresAt } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}.${body}`).digest('base64url');
  }
}
