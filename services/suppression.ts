import { SuppressedAddressError } from '../domain/errors.ts';
import type { LinkSigner } from '../domain/links.ts';
import type { Mailer, OutgoingEmail, PersonalDataStore } from './ports.ts';

/**
 * An address's key on the suppression list: an HMAC under a key derived from the deployment's
 * link-signing secret. A plain hash of an address could be recomputed from a guess (or a company
 * directory) and so would tell who asked for erasure; the keyed one cannot be without the secret,
 * yet the same address always gives the same key, so a send can be checked in one read.
 */
export function suppressionKeyOf(signer: LinkSigner): (email: string) => string {
  return (email) => signer.macFor('suppression', email.trim().toLowerCase());
}

/**
 * Every email goes through this: an address on the suppression list is refused before SES sees it.
 * sendOnce (services/send-once.ts) takes the refusal as a permanent rejection, so the step goes on
 * with the others and a retry sends nothing either. Where no key is configured (a function that
 * only writes to HR and ops, which never hold the link-signing secret) there is no list to check.
 */
export class SuppressionCheckingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly list: Pick<PersonalDataStore, 'isSuppressed'>,
    private readonly keyOf: () => Promise<((email: string) => string) | undefined>,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const keyOf = await this.keyOf();
    if (keyOf && (await this.list.isSuppressed(keyOf(email.to))))
      throw new SuppressedAddressError('the address is on the suppression list (its data was erased)');
    return this.inner.send(email);
  }
}
