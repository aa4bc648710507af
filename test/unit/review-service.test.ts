import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { programSchema, type ProgramInput } from '../../domain/program.ts';
import type { Mailer, OutgoingEmail, ReportStore, WrittenEmail } from '../../services/ports.ts';
import { reviewCycle } from '../../services/review.ts';
import { cohortIds, consecutivePairs, memberOf } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const T0 = Date.UTC(2027, 2, 1, 9);
const sample = JSON.parse(readFileSync(new URL('../../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
const program = programSchema.parse({ ...sample, retentionDays: 90 });

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async send(email: OutgoingEmail) {
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

class RecordingReports implements ReportStore {
  readonly saved: string[] = [];
  async save(cycleId: string, fileName: string) {
    this.saved.push(`${cycleId}/${fileName}`);
    return `/reports/${cycleId}/${fileName}`;
  }
}

async function reviewedCycle() {
  const store = new InMemoryStore();
  const mailer = new RecordingMailer();
  const reports = new RecordingReports();
  const ids = cohortIds(4);
  await store.createCycle(newCycle(program, 'c1', T0));
  await store.putCohort(
    'c1',
    ids.map((id) => memberOf(id)),
    consecutivePairs(ids),
  );
  const deps = { store, emailLog: store, mailer, clock: { now: () => T0 + 100 * 86_400_000 }, reports };
  return { store, mailer, reports, review: (remainingMs: number) => reviewCycle(deps, 'c1', { remainingMs: () => remainingMs }) };
}

describe('the review step', () => {
  it('reviews the cycle once and, called again after its budget ran out, only goes on setting its items to expire', async () => {
    const { store, mailer, reports, review } = await reviewedCycle();

    const first = await review(0);
    expect(first).toMatchObject({ reportPath: '/reports/c1/report.html', participants: 4, pairs: 2, retentionComplete: false });
    expect((await store.getCycle('c1'))?.status).toBe('succeeded');
    expect(await store.getCycleExpiry('c1')).toBeUndefined();

    const second = await review(60_000);
    expect(second).toEqual({ ...first, retentionComplete: true });
    expect(await store.getCycleExpiry('c1')).toBe((T0 + 100 * 86_400_000) / 1000 + 90 * 86_400);
    expect(reports.saved).toEqual(['c1/report.html']);
    expect(mailer.sent.filter((e) => e.tags?.kind === 'review').map((e) => e.to)).toEqual(program.hrContacts);
  });

  it('writes the whole review again when it was interrupted before the cycle was marked succeeded, and emails HR once', async () => {
    const { store, mailer, reports, review } = await reviewedCycle();
    const markSucceeded = store.markSucceeded.bind(store);
    store.markSucceeded = async () => {
      throw new Error('the process died here');
    };
    await expect(review(60_000)).rejects.toThrow('the process died here');
    store.markSucceeded = markSucceeded;

    expect(await review(60_000)).toMatchObject({ retentionComplete: true });
    expect((await store.getCycle('c1'))?.status).toBe('succeeded');
    expect(reports.saved).toHaveLength(2);
    expect(mailer.sent.filter((e) => e.tags?.kind === 'review')).toHaveLength(program.hrContacts.length);
  });

  it('counts in HR’s email the sessions held and, apart, those cancelled', async () => {
    const { store, mailer, review } = await reviewedCycle();
    const session = {
      cycleId: 'c1',
      title: 'A talk',
      description: 'About it',
      skills: ['ai-tools'],
      startsAt: T0 + 10 * 86_400_000,
      timeZone: 'UTC',
      durationMinutes: 60,
      place: 'Room 4',
      capacity: 5,
      audience: 'everyone' as const,
      createdAt: T0,
      seatsTaken: 0,
    };
    await store.createSession({ ...session, sessionId: 'held' });
    await store.createSession({ ...session, sessionId: 'called-off' });
    await store.cancelSession('c1', 'called-off', 'The speaker is ill', T0 + 86_400_000);
    await review(60_000);
    const email = mailer.sent.find((e) => e.tags?.kind === 'review') as WrittenEmail | undefined;
    expect(email?.text).toMatch(/Informational sessions: 1 \(0 registered; attendance not recorded yet\); 1 cancelled/);
  });
});
