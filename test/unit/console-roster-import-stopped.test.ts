import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../domain/errors.ts';
import { LinkSigner } from '../../domain/links.ts';
import type { Participant } from '../../domain/participant.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { rosterToCsv } from '../../domain/roster.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { consoleRouter } from '../support/console-router.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const program = { ...sampleProgram('console-import-stopped'), skillsCatalog: SAMPLE_SKILLS };

/** The in-memory store with DynamoDB failing from the second roster batch on, past the SDK's retries. */
class FailingFromSecondBatch extends InMemoryStore {
  private batches = 0;
  override async putParticipants(programId: string, participants: readonly Participant[]) {
    if (++this.batches > 1) throw new TransientError('DynamoDB: InternalServerError (arn:aws:dynamodb:eu-west-1:123456789012:table/tandem)');
    return super.putParticipants(programId, participants);
  }
}

describe("the console's roster import stopped by the store part-way", () => {
  it('says at least how many people are stored and to import the same file again, without the store error, and records it in the audit log', async () => {
    const store = new FailingFromSecondBatch();
    await store.putProgram(program);
    const { router } = consoleRouter(store, cookies, NOW);
    const csv = rosterToCsv(generateRoster({ size: 600, seed: 3, skills: SAMPLE_SKILLS }));
    const form = new FormData();
    form.append('csrf', hr.csrf);
    form.append('programId', program.programId);
    form.append('fileName', 'roster.csv');
    form.append('text', Buffer.from(csv, 'utf8').toString('base64'));

    const response = await router.handle({
      method: 'POST',
      path: '/console/roster/import',
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: await cookies.session.seal(hr, NOW) },
      form,
    });

    expect(response.status).toBe(503);
    expect(response.body).toContain('at least 250 of 600 people are stored');
    expect(response.body).toContain('Import the same file again to finish');
    expect(response.body).not.toContain('arn:aws');
    expect(await store.listParticipants(program.programId)).toHaveLength(250);
    const [entry] = await store.listAudit({ programId: program.programId });
    expect(entry).toMatchObject({ action: 'roster.import-stopped', actor: hr.email, details: { written: 250, stored: 250, total: 600, interrupted: false } });
  });
});
