import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkSigner, type LinkScope } from '../../domain/links.ts';

const KEY = 'k'.repeat(32);
const OTHER_KEY = 'another-link-signing-key-of-32-bytes!';
const scope: LinkScope = { cycleId: 'c-2026-1', participantId: 'p01', phaseKey: 'goal-setting', expiresAt: 1_800_000_000 };
const before = (scope.expiresAt - 3600) * 1000;

/** Re-encodes a token's body with one field changed, keeping the original version and mac. */
function withBody(token: string, change: (fields: [string, string, string, number]) => unknown[]): string {
  const [version, body, mac] = token.split('.') as [string, string, string];
  const fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [string, string, string, number];
  const forged = Buffer.from(JSON.stringify(change(fields))).toString('base64url');
  return `${version}.${forged}.${mac}`;
}

describe('LinkSigner', () => {
  const signer = new LinkSigner(KEY);

  it('verifies a token it signed and gives back exactly the scope', () => {
    const token = signer.sign(scope);
    expect(token.startsWith('v1.')).toBe(true);
    expect(token.split('.')).toHaveLength(3);
    expect(signer.verify(token, before)).toEqual({ ok: true, scope });
  });

  it('keeps a check-in round phase key such as "run#2" intact', () => {
    const runScope = { ...scope, phaseKey: 'run#2' };
    expect(signer.verify(signer.sign(runScope), before)).toEqual({ ok: true, scope: runScope });
  });

  it('verifies with a second signer built from the same key', () => {
    expect(new LinkSigner(KEY).verify(signer.sign(scope), before)).toEqual({ ok: true, scope });
  });

  it('calls a token whose body names another participant forged', () => {
    const token = withBody(signer.sign(scope), ([c, , ph, e]) => [c, 'p02', ph, e]);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token whose body names another cycle forged', () => {
    const token = withBody(signer.sign(scope), ([, p, ph, e]) => ['c-2026-2', p, ph, e]);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token whose body names another phase forged', () => {
    const token = withBody(signer.sign(scope), ([c, p, , e]) => [c, p, 'feedback', e]);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token whose expiry was pushed back forged', () => {
    const token = withBody(signer.sign(scope), ([c, p, ph, e]) => [c, p, ph, e + 365 * 86400]);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token with one character of its mac changed forged', () => {
    const token = signer.sign(scope);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(signer.verify(token.slice(0, -1) + last, before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token whose mac was cut short forged', () => {
    const token = signer.sign(scope);
    expect(signer.verify(token.slice(0, -5), before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token with its mac or body dropped malformed', () => {
    const [version, body, mac] = signer.sign(scope).split('.') as [string, string, string];
    expect(signer.verify(`${version}.${body}`, before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify(`${version}.${body}.`, before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify(`${version}..${mac}`, before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify(`${version}.${body}.${mac}.extra`, before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify('', before)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a token of another version malformed', () => {
    const token = signer.sign(scope);
    expect(signer.verify(token.replace(/^v1\./, 'v2.'), before)).toEqual({ ok: false, reason: 'malformed' });
    expect(signer.verify(token.replace(/^v1\./, 'V1.'), before)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts a token up to and at the second it expires, and refuses it just after, saying what it was for', () => {
    const token = signer.sign(scope);
    const expiresMs = scope.expiresAt * 1000;
    expect(signer.verify(token, expiresMs - 1000)).toEqual({ ok: true, scope });
    expect(signer.verify(token, expiresMs)).toEqual({ ok: true, scope });
    expect(signer.verify(token, expiresMs + 1)).toEqual({ ok: false, reason: 'expired', scope });
    expect(signer.verify(token, expiresMs + 86_400_000)).toEqual({ ok: false, reason: 'expired', scope });
  });

  it('checks the mac before the expiry, so a forged expired token is forged', () => {
    const token = withBody(signer.sign(scope), ([c, , ph, e]) => [c, 'p99', ph, e]);
    expect(signer.verify(token, (scope.expiresAt + 10) * 1000)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses keys shorter than 32 bytes and accepts 32 bytes, counting bytes not characters', () => {
    expect(() => new LinkSigner('')).toThrow(RangeError);
    expect(() => new LinkSigner('x'.repeat(31))).toThrow(/at least 32 bytes/);
    expect(() => new LinkSigner('x'.repeat(32))).not.toThrow();
    // 16 two-byte characters are 32 bytes; 15 are 30.
    expect(() => new LinkSigner('é'.repeat(16))).not.toThrow();
    expect(() => new LinkSigner('é'.repeat(15))).toThrow(RangeError);
  });

  it('calls a token signed with a different key forged', () => {
    const other = new LinkSigner(OTHER_KEY);
    expect(other.verify(signer.sign(scope), before)).toEqual({ ok: false, reason: 'forged' });
    expect(signer.verify(other.sign(scope), before)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a 2 KB token malformed even when it has the right shape', () => {
    const token = `v1.${'A'.repeat(1024)}.${'B'.repeat(1024)}`;
    expect(token.length).toBeGreaterThan(2000);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a long but genuinely signed token malformed once it exceeds 1024 characters', () => {
    const longScope = { ...scope, cycleId: 'c'.repeat(1000) };
    const token = signer.sign(longScope);
    expect(token.length).toBeGreaterThan(1024);
    expect(signer.verify(token, before)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never throws on arbitrary strings and never verifies them', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (token) => {
        const result = signer.verify(token, before);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary three-part v1 tokens and never verifies them', () => {
    const part = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ {}[]"'.split('')),
      minLength: 0,
      maxLength: 120,
    });
    fc.assert(
      fc.property(part, part, (body, mac) => {
        const result = signer.verify(`v1.${body}.${mac}`, before);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(['malformed', 'forged']).toContain(result.reason);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any scope and refuses it after any change of one character in the body', () => {
    const id = fc.string({ minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(id, id, id, fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }), fc.nat(), (cycleId, participantId, phaseKey, expiresAt, at) => {
        const s = { cycleId, participantId, phaseKey, expiresAt };
        const token = signer.sign(s);
        expect(signer.verify(token, (expiresAt - 1) * 1000)).toEqual({ ok: true, scope: s });
        const [v, body, mac] = token.split('.') as [string, string, string];
        const i = at % body.length;
        const swapped = body[i] === 'x' ? 'y' : 'x';
        const tampered = `${v}.${body.slice(0, i)}${swapped}${body.slice(i + 1)}.${mac}`;
        expect(signer.verify(tampered, (expiresAt - 1) * 1000)).toEqual({ ok: false, reason: 'forged' });
      }),
      { numRuns: 300 },
    );
  });
});
