import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { SendingThrottledError, TransientError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import { programSchema, type ProgramInput } from '../../domain/program.ts';
import { advancePhase, openPhase, type SendingDeps } from '../../services/phases/engine.ts';
import { pacingSlots, SendingPace } from '../../services/phases/pacing.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';
import { cohortIds, memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const T0 = Date.UTC(2027, 2, 1, 9);
const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
const program = programSchema.parse({ ...sample, phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' } });
const plenty = { remainingMs: () => 600_000 };
const emailTo = (to: string): OutgoingEmail => ({ from: 'hr@example.com', to, subject: 's', html: 'h', text: 't' });

/** Records when each email reached "SES" (fake time); `refuse` makes SES refuse an attempt with the error it returns. */
class TimedMailer implements Mailer {
  readonly sentAt: number[] = [];
  readonly sentTo: string[] = [];
  attempts = 0;
  constructor(private readonly refuse: (email: OutgoingEmail, attempt: number) => Error | undefined = () => undefined) {}
  async send(email: OutgoingEmail) {
    this.attempts++;
    const refusal = this.refuse(email, this.attempts);
    if (refusal) throw refusal;
    this.sentAt.push(Date.now());
    this.sentTo.push(email.to);
    return { messageId: `m-${this.sentAt.length}` };
  }
}

/** The most sends any one second (a window [t, t + 1000 ms) starting at a send) holds. */
function busiestSecond(times: readonly number[]): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the sending pace', () => {
  it('cuts a rate into slots of a fifth of a second, one email at least', () => {
    expect(pacingSlots(14)).toEqual({ perSlot: 2, slotMs: 2000 / 14 });
    expect(pacingSlots(50)).toEqual({ perSlot: 10, slotMs: 200 });
    expect(pacingSlots(1)).toEqual({ perSlot: 1, slotMs: 1000 });
    expect(pacingSlots(0.5)).toEqual({ perSlot: 1, slotMs: 2000 });
    expect(() => pacingSlots(0)).toThrow(/positive number of emails per second/);
  });

  it.each([1, 14, 50])('never lets more than %i emails a second reach SES, however many are asked for at once', async (rate) => {
    const ses = new TimedMailer();
    const mailer = new SendingPace(rate).mailer(ses, plenty);
    const asked = rate * 6;
    const all = Promise.all(Array.from({ length: asked }, (_, i) => mailer.send(emailTo(`p${i}@example.com`))));
    await vi.runAllTimersAsync();
    await all;
    expect(ses.sentAt).toHaveLength(asked);
    expect(busiestSecond(ses.sentAt)).toBeLessThanOrEqual(rate);
    // Paced, not starved: the busiest second is full.
    expect(busiestSecond(ses.sentAt)).toBeGreaterThanOrEqual(rate - 1);
  });

  it('keeps the pace while SES answers slowly, with never more than a second of sends waiting for SES at once', async () => {
    /** An SES that answers after `latencyMs`, recording when each send started and how many waited at most. */
    const slowSes = (latencyMs: number) => {
      const seen = { startedAt: [] as number[], waiting: 0, mostWaiting: 0 };
      const mailer: Mailer = {
        send: async () => {
          seen.startedAt.push(Date.now());
          seen.mostWaiting = Math.max(seen.mostWaiting, ++seen.waiting);
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
          seen.waiting--;
          return { messageId: `m-${seen.startedAt.length}` };
        },
      };
      return { mailer, seen };
    };
    const sendAll = async (ses: Mailer, prefix: string) => {
      const mailer = new SendingPace(14).mailer(ses, plenty);
      const all = Promise.all(Array.from({ length: 84 }, (_, i) => mailer.send(emailTo(`${prefix}${i}@example.com`))));
      await vi.runAllTimersAsync();
      await all;
    };

    const slow = slowSes(600);
    await sendAll(slow.mailer, 'p');
    expect(busiestSecond(slow.seen.startedAt)).toBe(14);
    expect(slow.seen.mostWaiting).toBeLessThanOrEqual(14);

    // An answer that takes longer than a second: what waits for SES stays within a second of sends.
    const verySlow = slowSes(3000);
    await sendAll(verySlow.mailer, 'q');
    expect(verySlow.seen.startedAt).toHaveLength(84);
    expect(verySlow.seen.mostWaiting).toBe(14);
  });

  it('backs off and sends again a send SES throttled, inside the step', async () => {
    const ses = new TimedMailer((_email, attempt) => (attempt <= 2 ? new SendingThrottledError('Maximum sending rate exceeded.') : undefined));
    const sending = new SendingPace(14).mailer(ses, plenty).send(emailTo('ana@example.com'));
    await vi.runAllTimersAsync();
    expect(await sending).toEqual({ messageId: 'm-1' });
    expect(ses.attempts).toBe(3);
    // The first retry waits at least the first backoff.
    expect(ses.sentAt[0]).toBeGreaterThanOrEqual(T0 + 500);
  });

  it('hands a throttled send back to the workflow when the step has no time left to wait', async () => {
    const ses = new TimedMailer(() => new SendingThrottledError('Maximum sending rate exceeded.'));
    const sending = new SendingPace(14)
      .mailer(ses, { remainingMs: () => 5_000 })
      .send(emailTo('ana@example.com'))
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await sending).toBeInstanceOf(SendingThrottledError);
    expect(ses.attempts).toBe(1);
  });

  it('leaves other failures (an SES outage) to the workflow’s retry, untried again', async () => {
    const ses = new TimedMailer(() => new TransientError('SES could not send now (500)'));
    const sending = new SendingPace(14)
      .mailer(ses, plenty)
      .send(emailTo('ana@example.com'))
      .catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = await sending;
    expect(error).toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(SendingThrottledError);
    expect(ses.attempts).toBe(1);
  });
});

describe('a phase step at a pace', () => {
  const ids = cohortIds(60);
  let store: InMemoryStore;
  let ses: TimedMailer;
  let pace: SendingPace;
  const deps = (): SendingDeps => ({
    store,
    emailLog: store,
    mailer: ses,
    clock: { now: () => Date.now() },
    links: { signer: new LinkSigner('a link-signing key of at least 32 bytes'), baseUrl: 'https://tandem.example.com' },
    pace,
  });

  beforeEach(async () => {
    store = new InMemoryStore();
    ses = new TimedMailer();
    pace = new SendingPace(10);
    await store.createCycle(newCycle(program, 'c1', T0));
    await store.putCohort(
      'c1',
      ids.map((id) => memberOf(id)),
      [],
    );
    await openPhase(deps(), 'c1', 'goal-setting');
  });

  it('sends at most about rate × budget emails, then stops and asks to be called again at once; the next step sends the rest', async () => {
    const stopAt = Date.now() + 2_000;
    const step = advancePhase(deps(), 'c1', 'goal-setting', { remainingMs: () => stopAt - Date.now() });
    await vi.runAllTimersAsync();
    const first = await step;
    // 2 s at 10 a second and the slot at the start (2), plus the two seconds' worth (20) in flight, claimed and waiting for their slot, when time ran out.
    expect(first.emailsSent).toBeGreaterThanOrEqual(15);
    expect(first.emailsSent).toBeLessThanOrEqual(2 * 10 + 2 + 2 * 10);
    expect(first).toMatchObject({ complete: false, waitSeconds: 0 });

    const next = advancePhase(deps(), 'c1', 'goal-setting', plenty);
    await vi.runAllTimersAsync();
    expect(first.emailsSent + (await next).emailsSent).toBe(ids.length);
    expect(new Set(ses.sentTo).size).toBe(ids.length);
    // One pace for both steps, as in one container: the second step adds no burst to the first one's last second.
    expect(busiestSecond(ses.sentAt)).toBeLessThanOrEqual(10);
  });
});
