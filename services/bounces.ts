import { NotFoundError } from '../domain/errors.ts';
import type { ParticipantDirectory } from './ports.ts';

/**
 * Bounces and complaints: a recipient whose mail hard-bounced, or who reported it as spam, is
 * marked `unreachable` in every program whose roster holds their address, so later phases stop
 * emailing them. The handler (functions/ses-events.ts) validates SES's event and hands over what
 * it says as a DeliveryFeedback.
 */

/** What a mail provider reported back about one sent message. */
export type DeliveryFeedback =
  | {
      kind: 'bounce';
      messageId: string;
      /** Permanent (hard), Transient (soft: the provider gave up after retrying) or Undetermined. */
      bounceType: string;
      recipients: string[];
    }
  | {
      kind: 'complaint';
      messageId: string;
      /** abuse, fraud, not-spam, …; most feedback loops send none. */
      feedbackType?: string;
      recipients: string[];
    };

export interface UnreachableRecipients {
  reason: 'bounce' | 'complaint';
  messageId: string;
  /** Lower-cased, de-duplicated addresses to mark unreachable; empty when the feedback calls for nothing. */
  emails: string[];
  /** Why nothing is marked, when emails is empty. */
  ignored?: string;
}

/** `"Name" <a@b.example>` or `a@b.example` → `a@b.example`. */
export function normalizeAddress(address: string): string {
  const inBrackets = /<([^<>]+)>\s*$/.exec(address);
  return (inBrackets?.[1] ?? address).trim().toLowerCase();
}

/**
 * Who becomes unreachable. A permanent (hard) bounce and a complaint do; a transient or
 * undetermined bounce does not (a full mailbox or an out-of-office reply is no reason to stop
 * writing to someone for the rest of the program), and neither does a "not-spam" report.
 */
export function unreachableRecipients(feedback: DeliveryFeedback): UnreachableRecipients {
  const { messageId } = feedback;
  if (feedback.kind === 'bounce') {
    if (feedback.bounceType !== 'Permanent') return { reason: 'bounce', messageId, emails: [], ignored: `${feedback.bounceType} bounce` };
    return { reason: 'bounce', messageId, emails: uniqueAddresses(feedback.recipients) };
  }
  if (feedback.feedbackType === 'not-spam') return { reason: 'complaint', messageId, emails: [], ignored: 'not-spam feedback' };
  return { reason: 'complaint', messageId, emails: uniqueAddresses(feedback.recipients) };
}

const uniqueAddresses = (addresses: readonly string[]): string[] => [...new Set(addresses.map(normalizeAddress).filter((a) => a.length > 0))];

/** Marks every roster entry of every recipient unreachable; repeats of the same event change nothing. */
export async function markUnreachable(recipients: UnreachableRecipients, store: ParticipantDirectory): Promise<{ marked: number; unknown: number }> {
  let marked = 0;
  let unknown = 0;
  for (const email of recipients.emails) {
    const entries = await store.findParticipantsByEmail(email);
    if (entries.length === 0) unknown++;
    for (const { programId, participantId } of entries) {
      try {
        await store.setParticipantStatus(programId, participantId, 'unreachable');
        marked++;
      } catch (error) {
        // Removed from the roster between the query and the update: nothing left to mark.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
  }
  return { marked, unknown };
}
