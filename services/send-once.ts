import pRetry from 'p-retry';
import { ConfigurationError, TransientError } from '../domain/errors.ts';
import type { Clock, EmailLog, Mailer, OutgoingEmail } from './ports.ts';

/** Tries, after the table client's own, to record an email SES accepted (0.2, 0.4, 0.8 s apart, randomized). */
const MARK_SENT_RETRIES = 3;

/** rejected: SES refused this message for good (a bad address, say); the step goes on with the others. */
export type SendOutcome = 'sent' | 'already-sent' | 'in-flight' | 'rejected';

/**
 * Sends an email at most once per idempotency key: the key is claimed in the email log
 * before SES is called and marked sent after. A retried step finds the key sent and skips it.
 */
export async function sendOnce(
  deps: { emailLog: EmailLog; mailer: Mailer; clock: Clock },
  cycleId: string,
  idempotencyKey: string,
  email: OutgoingEmail,
): Promise<SendOutcome> {
  const claim = await deps.emailLog.claim(cycleId, idempotencyKey, email.to, deps.clock.now());
  // An erased person's address: refused for good, like an address SES rejects.
  if (claim === 'suppressed') return 'rejected';
  if (claim !== 'claimed') return claim;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    // Release the claim so that the retry of this step sends the email.
    await deps.emailLog.release(cycleId, idempotencyKey, error instanceof Error ? error.message : String(error));
    // Transient: the step's retry sends it. Configuration (a missing template, say): every email would fail alike, so the step fails for ops to see.
    if (error instanceof TransientError || error instanceof ConfigurationError) throw error;
    return 'rejected';
  }
  // SES has the email now: a mark lost here leaves the claim `sending`, and once it goes stale a retried step sends the email again.
  await pRetry(() => deps.emailLog.markSent(cycleId, idempotencyKey, messageId, deps.clock.now()), {
    retries: MARK_SENT_RETRIES,
    minTimeout: 200,
    factor: 2,
    randomize: true,
    shouldRetry: ({ error }) => error instanceof TransientError,
  });
  return 'sent';
}
