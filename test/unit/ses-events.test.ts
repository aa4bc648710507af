import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { ParticipantStatus } from '../../domain/participant.ts';
import { parseSesEvent } from '../../functions/ses-events.ts';
import { markUnreachable, normalizeAddress, unreachableRecipients } from '../../services/bounces.ts';
import type { ParticipantDirectory } from '../../services/ports.ts';

/** The EventBridge envelope SES puts around an event-publishing record (configuration set → default bus). */
function envelope(detailType: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id: 'c3d4e5f6-a7b8-9012-cdef-123456789012',
    'detail-type': detailType,
    source: 'aws.ses',
    account: '123456789012',
    time: '2026-03-02T10:30:02Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

const mail = {
  timestamp: '2026-03-02T10:30:00.000Z',
  source: 'Tandem <tandem@example.org>',
  sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.org',
  sendingAccountId: '123456789012',
  messageId: '0102018e-bounce-000000',
  destination: ['Ada.Lovelace@Example.ORG'],
  headersTruncated: false,
  tags: { 'ses:configuration-set': ['tandem-mail'], cycle: ['c-2026-1'], kind: ['invitation'] },
};

const bounce = (bounceType: string, recipients = ['Ada.Lovelace@Example.ORG']) =>
  envelope('Email Bounced', {
    eventType: 'Bounce',
    mail,
    bounce: {
      bounceType,
      bounceSubType: 'General',
      bouncedRecipients: recipients.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: '2026-03-02T10:30:02.000Z',
      feedbackId: '0102018e-feedback-000000',
      reportingMTA: 'dsn; a8-21.smtp-out.amazonses.com',
    },
  });

const complaint = (complaintFeedbackType?: string) =>
  envelope('Email Complaint Received', {
    eventType: 'Complaint',
    mail,
    complaint: {
      complainedRecipients: [{ emailAddress: 'grace@example.org' }],
      timestamp: '2026-03-02T11:00:00.000Z',
      feedbackId: '0102018e-complaint-000000',
      userAgent: 'Mozilla/5.0',
      ...(complaintFeedbackType ? { complaintFeedbackType } : {}),
      arrivalDate: '2026-03-02T10:59:58.000Z',
    },
  });

class FakeDirectory implements ParticipantDirectory {
  readonly updates: Array<[string, string, ParticipantStatus]> = [];
  readonly lookups: string[] = [];
  constructor(
    private readonly roster: Record<string, Array<{ programId: string; participantId: string }>>,
    private readonly missing = new Set<string>(),
  ) {}
  async findParticipantsByEmail(email: string) {
    this.lookups.push(email);
    return this.roster[email] ?? [];
  }
  async setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus) {
    if (this.missing.has(`${programId}/${participantId}`)) throw new NotFoundError(`participant ${participantId} is not in program ${programId}`);
    this.updates.push([programId, participantId, status]);
  }
}

describe('parsing SES events from EventBridge', () => {
  it('accepts a hard bounce and names its recipients in lower case', () => {
    const recipients = unreachableRecipients(parseSesEvent(bounce('Permanent')));
    expect(recipients).toEqual({ reason: 'bounce', messageId: '0102018e-bounce-000000', emails: ['ada.lovelace@example.org'] });
  });

  it('accepts a complaint and names the complaining recipient', () => {
    const recipients = unreachableRecipients(parseSesEvent(complaint('abuse')));
    expect(recipients.reason).toBe('complaint');
    expect(recipients.emails).toEqual(['grace@example.org']);
  });

  it('accepts a complaint without a feedback type (most feedback loops send none)', () => {
    expect(unreachableRecipients(parseSesEvent(complaint())).emails).toEqual(['grace@example.org']);
  });

  it('marks nobody for a transient or undetermined bounce', () => {
    for (const bounceType of ['Transient', 'Undetermined']) {
      const recipients = unreachableRecipients(parseSesEvent(bounce(bounceType)));
      expect(recipients.emails).toEqual([]);
      expect(recipients.ignored).toBe(`${bounceType} bounce`);
    }
  });

  it('marks nobody for a not-spam feedback report', () => {
    expect(unreachableRecipients(parseSesEvent(complaint('not-spam'))).emails).toEqual([]);
  });

  it('lists each bounced address once, whatever its case or display name', () => {
    const event = bounce('Permanent', ['ada@example.org', 'ADA@example.org', '"Alan T" <Alan@Example.org>']);
    expect(unreachableRecipients(parseSesEvent(event)).emails).toEqual(['ada@example.org', 'alan@example.org']);
  });

  it('rejects an event from another source or of another detail-type, naming the problem', () => {
    expect(() => parseSesEvent({ ...bounce('Permanent'), source: 'aws.s3' })).toThrow(ValidationError);
    expect(() => parseSesEvent(envelope('Email Delivered', { eventType: 'Delivery', mail }))).toThrow(/detail-type/);
  });

  it('rejects a bounce that names no recipient', () => {
    expect(() => parseSesEvent(bounce('Permanent', []))).toThrow(/bouncedRecipients/);
  });

  it('rejects something that is not an event at all', () => {
    expect(() => parseSesEvent(undefined)).toThrow(ValidationError);
    expect(() => parseSesEvent('Email Bounced')).toThrow(ValidationError);
  });

  it('strips a display name from an address and keeps a bare address as it is, lower-cased', () => {
    expect(normalizeAddress('  Bob@Example.org ')).toBe('bob@example.org');
    expect(normalizeAddress('Bob B <Bob@Example.org>')).toBe('bob@example.org');
  });
});

describe('marking recipients unreachable', () => {
  it('marks the participant unreachable in every program whose roster holds the address', async () => {
    const store = new FakeDirectory({
      'ada@example.org': [
        { programId: 'p-eu', participantId: 'ada' },
        { programId: 'p-us', participantId: 'a-17' },
      ],
    });
    const result = await markUnreachable({ reason: 'bounce', messageId: 'm', emails: ['ada@example.org'] }, store);
    expect(result).toEqual({ marked: 2, unknown: 0 });
    expect(store.updates).toEqual([
      ['p-eu', 'ada', 'unreachable'],
      ['p-us', 'a-17', 'unreachable'],
    ]);
  });

  it('counts an address on no roster as unknown and changes nothing', async () => {
    const store = new FakeDirectory({});
    expect(await markUnreachable({ reason: 'complaint', messageId: 'm', emails: ['nobody@example.org'] }, store)).toEqual({ marked: 0, unknown: 1 });
    expect(store.updates).toEqual([]);
  });

  it('skips a participant removed from the roster since the lookup', async () => {
    const store = new FakeDirectory({ 'ada@example.org': [{ programId: 'p', participantId: 'ada' }] }, new Set(['p/ada']));
    expect(await markUnreachable({ reason: 'bounce', messageId: 'm', emails: ['ada@example.org'] }, store)).toEqual({ marked: 0, unknown: 0 });
  });

  it('lets any other store failure through, so that the event is retried', async () => {
    const store = new FakeDirectory({ 'ada@example.org': [{ programId: 'p', participantId: 'ada' }] });
    store.setParticipantStatus = async () => {
      throw new Error('throttled');
    };
    await expect(markUnreachable({ reason: 'bounce', messageId: 'm', emails: ['ada@example.org'] }, store)).rejects.toThrow('throttled');
  });
});
