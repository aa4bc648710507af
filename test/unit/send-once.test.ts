import { describe, expect, it } from 'vitest';
import { TransientError } from '../../domain/errors.ts';
import type { EmailLog, Mailer } from '../../services/ports.ts';
import { sendOnce } from '../../services/send-once.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const email = { from: 'mentoria@example.com', to: 'ana@example.com', subject: 'Oi', text: 'Oi', html: '<p>Oi</p>' } as const;

/** An email log whose first `failures` marks fail as DynamoDB throttling past the SDK's retries does. */
function flakyMarks(store: InMemoryStore, failures: number): EmailLog & { marks: () => number } {
  let marks = 0;
  return {
    claim: (...args) => store.claim(...args),
    release: (...args) => store.release(...args),
    sentKeys: (...args) => store.sentKeys(...args),
    markSent: async (...args) => {
      if (++marks <= failures) throw new TransientError('DynamoDB MarkEmailSent failed transiently (ThrottlingException)');
      return store.markSent(...args);
    },
    marks: () => marks,
  };
}

describe('sending an email once', () => {
  it('records an email SES accepted even when marking it sent fails for a moment, so a retried step never sends it again', async () => {
    const store = new InMemoryStore();
    const emailLog = flakyMarks(store, 2);
    const sent: string[] = [];
    const mailer: Mailer = { send: async (e) => (sent.push(e.to), { messageId: `ses-${sent.length}` }) };
    const deps = { emailLog, mailer, clock: { now: () => NOW } };

    expect(await sendOnce(deps, 'c1', 'goal-setting#invitation#p01', email)).toBe('sent');
    expect(emailLog.marks()).toBe(3);
    expect(await sendOnce(deps, 'c1', 'goal-setting#invitation#p01', email)).toBe('already-sent');
    expect(sent).toEqual(['ana@example.com']);
  });
});
