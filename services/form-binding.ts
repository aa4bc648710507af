import { timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from '../domain/links.ts';

/**
 * Binds a page's forms to the link they were served from: a hidden `_bind` field holds a keyed
 * MAC of the link's token, checked in constant time on POST. A POST body captured from one
 * link (or a form copied from another person's page) is refused on any other link.
 * The MAC is HMAC-SHA256 under a key derived for form bindings alone, never the link key.
 */
export function formBinding(signer: LinkSigner, token: string): string {
  return signer.macFor('form-binding', token);
}

export function bindingMatches(signer: LinkSigner, token: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(formBinding(signer, token));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A keyed, stable, one-way id (for forum suggestions: the author cannot be read back from it). */
export function keyedId(signer: LinkSigner, ...parts: string[]): string {
  return signer.macFor('keyed-id', JSON.stringify(parts)).slice(0, 22);
}
