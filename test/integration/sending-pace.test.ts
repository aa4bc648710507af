import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { SesMailer } from '../../adapters/ses/ses-mailer.ts';
import { sesMaxSendRate } from '../../adapters/ses/sending-quota.ts';
import { newCycle } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { capturedEmails, localSesSendingCounts, startSesLocal, type SesLocal } from '../../local/ses-local.ts';
import { createEmailTemplates } from '../../local/ses-templates.ts';
import { advancePhase, openPhase } from '../../services/phases/engine.ts';
import { SendingPace } from '../../services/phases/pacing.ts';
import { cohortIds, memberOf } from '../support/cohort-fixtures.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';

const RATE = 20;
const COHORT = 60;
const plenty = { remainingMs: () => 600_000 };

/** A local SES of its own that plays an account allowed RATE emails a second and refuses the excess as SES does. */
let ses: SesLocal;
let client: SESv2Client;
beforeAll(async () => {
  ses = await startSesLocal({ host: '127.0.0.1', port: 0, account: { maxSendRate: RATE, max24HourSend: 50_000, sentLast24Hours: 120, enforceRate: true } });
  await createEmailTemplates(ses.endpoint);
  client = new SESv2Client({ endpoint: ses.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await ses.stop();
});

/** A cycle of `size` members stored in DynamoDB Local, its goal-setting phase open. */
async function openedCycle(tag: string, size = COHORT) {
  const { store } = container();
  const program = testProgram(tag, { phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' } });
  const cycle = newCycle(program, `${tag}-c1`, Date.now());
  expect(await store.createCycle(cycle)).toBe(true);
  const members = cohortIds(size).map((id) => memberOf(id, { email: `${id}@${tag}.example.com` }));
  await store.putCohort(cycle.cycleId, members, []);
  const deps = {
    store,
    emailLog: store,
    mailer: new SesMailer(client),
    clock: { now: () => Date.now() },
    links: { signer: new LinkSigner('a link-signing key of at least 32 bytes'), baseUrl: 'http://127.0.0.1:3000' },
  };
  await openPhase(deps, cycle.cycleId, 'goal-setting');
  return { cycle, deps };
}

const sentTo = async (tag: string, endpoint = ses.endpoint) =>
  (await capturedEmails(endpoint)).filter((e) => e.destination.to.some((to) => to.endsWith(`@${tag}.example.com`)));

describe('sending paced to the SES account’s rate', () => {
  it('reads the account’s quotas from GetAccount', async () => {
    expect(await sesMaxSendRate(client)).toBe(RATE);
  });

  it('sends a whole phase at the account’s rate with no call throttled', async () => {
    const tag = uniqueTag('pace');
    const { cycle, deps } = await openedCycle(tag);
    const before = await localSesSendingCounts(ses.endpoint);
    const progress = await advancePhase({ ...deps, pace: new SendingPace((await sesMaxSendRate(client)) as number) }, cycle.cycleId, 'goal-setting', plenty);
    const after = await localSesSendingCounts(ses.endpoint);
    expect(progress.emailsSent).toBe(COHORT);
    expect(after.accepted - before.accepted).toBe(COHORT);
    expect(after.throttled - before.throttled).toBe(0);
    expect(new Set((await sentTo(tag)).flatMap((e) => e.destination.to)).size).toBe(COHORT);
  });

  it('still sends every email, backing off inside the step, when SES throttles a sender that goes faster than the account allows', async () => {
    // An account of 2 a second and a pace of 40: the first slot alone asks for 8 at once, whatever the machine's speed.
    ses.configure({ maxSendRate: 2 });
    try {
      const tag = uniqueTag('overpace');
      const { cycle, deps } = await openedCycle(tag, 12);
      const before = await localSesSendingCounts(ses.endpoint);
      const progress = await advancePhase({ ...deps, pace: new SendingPace(40) }, cycle.cycleId, 'goal-setting', plenty);
      const after = await localSesSendingCounts(ses.endpoint);
      // The stand-in did refuse calls (so the 0 above means something), and the step recovered from each.
      expect(after.throttled - before.throttled).toBeGreaterThan(0);
      expect(progress.emailsSent).toBe(12);
      expect(after.accepted - before.accepted).toBe(12);
      expect((await sentTo(tag)).length).toBe(12);
    } finally {
      ses.configure({ maxSendRate: RATE });
    }
  });

  it('answers GetAccount with what the account sent in the last 24 hours, its sends included', async () => {
    const account = await fetch(`${ses.endpoint}/v2/email/account`).then((r) => r.json() as Promise<{ SendQuota: Record<string, number> }>);
    const { accepted } = await localSesSendingCounts(ses.endpoint);
    expect(account.SendQuota).toEqual({ MaxSendRate: RATE, Max24HourSend: 50_000, SentLast24Hours: 120 + accepted });
  });
});
