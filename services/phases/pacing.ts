import pLimit from 'p-limit';
import pRetry from 'p-retry';
import pThrottle from 'p-throttle';
import { SendingThrottledError } from '../../domain/errors.ts';
import type { Mailer, OutgoingEmail } from '../ports.ts';

/**
 * Sends are released in slots of this length: a burst is at most a fifth of a second's worth of
 * the rate, so SES never sees a second's quota at once, and timer lateness (a millisecond or two
 * per slot) costs about one percent of the rate.
 */
export const PACING_SLOT_MS = 200;
/** A throttled send (another sender on the account) waits 0.5 s, 1 s, 2 s ... up to 8 s between tries. */
const THROTTLED_RETRIES = 8;
const FIRST_BACKOFF_MS = 500;
const LONGEST_BACKOFF_MS = 8_000;

/** How many emails go out per slot, and the slot's length, for a rate in emails per second. */
export function pacingSlots(maxPerSecond: number): { perSlot: number; slotMs: number } {
  if (!(maxPerSecond > 0) || !Number.isFinite(maxPerSecond))
    throw new RangeError(`the send rate must be a positive number of emails per second, not ${maxPerSecond}`);
  const perSlot = Math.max(1, Math.floor((maxPerSecond * PACING_SLOT_MS) / 1000));
  return { perSlot, slotMs: (perSlot * 1000) / maxPerSecond };
}

/**
 * The pace of one sender (a Lambda container, or the local stack's process): SES is never called
 * faster than `maxPerSecond` (p-throttle, strict: no window of a slot's length ever holds more
 * than a slot's emails). The pace is a rate of starts: a send waiting for SES's answer holds no
 * slot. But no more than a second's worth of sends is ever waiting for SES at once: calls held up
 * on the way (a busy network or host) must not reach SES together as more than the one second of
 * sends it lets through in a burst. One pace serves every step the container runs, so a step that
 * starts right after another does not add its own burst to the last second of the one before.
 */
export class SendingPace {
  private readonly throttled: <T>(send: () => Promise<T>) => Promise<T>;

  constructor(readonly maxPerSecond: number) {
    const { perSlot, slotMs } = pacingSlots(maxPerSecond);
    const throttle = pThrottle({ limit: perSlot, interval: slotMs, strict: true });
    const atSes = pLimit(Math.max(1, Math.floor(maxPerSecond)));
    const run = throttle((send: () => Promise<unknown>) => atSes(send));
    this.throttled = <T>(send: () => Promise<T>) => run(send) as Promise<T>;
  }

  /**
   * The mailer a step sends through: paced, and retrying a send SES still throttles (another
   * sender on the account) after a backoff, inside the step, while the step has time for it;
   * otherwise the SendingThrottledError goes up and the workflow retries the step.
   */
  mailer(mailer: Mailer, budget: { remainingMs: () => number }): Mailer {
    return {
      send: (email: OutgoingEmail) =>
        pRetry(() => this.throttled(() => mailer.send(email)), {
          retries: THROTTLED_RETRIES,
          minTimeout: FIRST_BACKOFF_MS,
          maxTimeout: LONGEST_BACKOFF_MS,
          factor: 2,
          randomize: true,
          // randomize may double a backoff: retry only when the step would still have time after the longest wait.
          shouldRetry: ({ error }) => error instanceof SendingThrottledError && budget.remainingMs() > 2 * LONGEST_BACKOFF_MS,
        }),
    };
  }
}
