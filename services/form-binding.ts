import { createHash, timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from '../domain/links.ts';

/**
 * Binds a page's forms to the link they were served from: a hidden `_bind` field holds a keyed
 * MAC of the link's token, checked in constant time on POST. A POST body captured from one
 * link (or a form copied from another person's page) is refused on any other link.
 * The MAC comes from the link signer (HMAC-SHA256 under the link-signing key) over a scope that
 * can never be a real link's (phase key "form-binding").
 */
export function formBinding(signer: LinkSigner, token: string): string {
  const digest = createHash('sha256').update(token).digest('base64url');
  return signer.sign({ cycleId: 'form-binding', participantId: digest, phaseKey: 'form-binding', expiresAt: 0 }).split('.')[2] as string;
}

export function bindingMatches(signer: LinkSigner, token: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(formBinding(signer, token));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A keyed, stable, one-way id (for forum suggestions: the author cannot be read back from it). */
export function keyedId(signer: LinkSigner, ...parts: string[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  return (signer.sign({ cycleId: 'keyed-id', participantId: digest, phaseKey: 'keyed-id', expiresAt: 0 }).split('.')[2] as string).slice(0, 22);
}
