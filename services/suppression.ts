import type { LinkSigner } from '../domain/links.ts';

/**
 * An address's key on the suppression list: an HMAC under a key derived from the deployment's
 * link-signing secret. A plain hash of an address could be recomputed from a guess (or a company
 * directory) and so would tell who asked for erasure; the keyed one cannot be without the secret,
 * yet the same address always gives the same key, so a send can be checked in one read, which the
 * email log does alongside each claim (EmailLog.claim; sendOnce then reports the email rejected).
 */
export function suppressionKeyOf(signer: LinkSigner): (email: string) => string {
  return (email) => signer.macFor('suppression', email.trim().toLowerCase());
}
