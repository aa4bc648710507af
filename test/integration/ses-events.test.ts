import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { handler } from '../../functions/ses-events.ts';
import { importRoster } from '../../services/roster-import.ts';
import { testProgram, testRosterCsv, uniqueTag } from '../support/fixtures.ts';

const context = { functionName: 'tandem-ses-events', awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

function sesEvent(detailType: 'Email Bounced' | 'Email Complaint Received', recipients: string[], bounceType = 'Permanent') {
  const mail = {
    timestamp: new Date().toISOString(),
    source: 'tandem@example.com',
    messageId: `m-${Date.now()}`,
    destination: recipients,
    tags: { 'ses:configuration-set': ['tandem'] },
  };
  return {
    version: '0',
    id: 'e-1',
    'detail-type': detailType,
    source: 'aws.ses',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [],
    detail:
      detailType === 'Email Bounced'
        ? {
            eventType: 'Bounce',
            mail,
            bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress })) },
          }
        : { eventType: 'Complaint', mail, complaint: { complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })) } },
  };
}

describe('SES bounces and complaints against the local DynamoDB', () => {
  it('marks a hard-bounced participant unreachable in every program whose roster holds the address, and nobody else', async () => {
    const tag = uniqueTag('bounce');
    const { store } = container();
    const programs = [`${tag}-a`, `${tag}-b`];
    for (const programId of programs) {
      await store.putProgram(testProgram(programId));
      // Both programs take the same roster, so the same people (same addresses) are on both.
      await importRoster(store, { programId, text: testRosterCsv(tag), format: 'csv' });
    }
    const [someone, other] = await store.listParticipants(programs[0] as string);
    expect(await store.findParticipantsByEmail(someone!.email.toUpperCase())).toEqual(
      programs.map((programId) => ({ programId, participantId: someone!.participantId })).sort((a, b) => a.programId.localeCompare(b.programId)),
    );

    const result = await handler(sesEvent('Email Bounced', [someone!.email.toUpperCase()]), context);
    expect(result).toEqual({ marked: 2, unknown: 0 });
    for (const programId of programs) {
      const roster = await store.listParticipants(programId);
      expect(roster.find((p) => p.participantId === someone!.participantId)?.status).toBe('unreachable');
      expect(roster.find((p) => p.participantId === other!.participantId)?.status).toBe('active');
    }

    // EventBridge delivers at least once: the same event again changes nothing more.
    expect(await handler(sesEvent('Email Bounced', [someone!.email]), context)).toEqual({ marked: 2, unknown: 0 });
  });

  it('marks a complaining participant unreachable and ignores a soft bounce and an address on no roster', async () => {
    const tag = uniqueTag('complaint');
    const { store } = container();
    await store.putProgram(testProgram(tag));
    await importRoster(store, { programId: tag, text: testRosterCsv(tag), format: 'csv' });
    const [someone, other] = await store.listParticipants(tag);

    expect(await handler(sesEvent('Email Bounced', [other!.email], 'Transient'), context)).toEqual({ marked: 0, unknown: 0 });
    expect(await handler(sesEvent('Email Complaint Received', [someone!.email, `nobody@${tag}.example.com`]), context)).toEqual({ marked: 1, unknown: 1 });
    const roster = await store.listParticipants(tag);
    expect(roster.find((p) => p.participantId === someone!.participantId)?.status).toBe('unreachable');
    expect(roster.find((p) => p.participantId === other!.participantId)?.status).toBe('active');
  });
});
