/**
 * SES bounce and complaint events, delivered by the configuration set's EventBridge event
 * destination: each recipient who hard-bounced or complained is marked `unreachable` in every
 * program whose roster holds their address, so later phases stop emailing them.
 *
 * Event shape (EventBridge envelope around an SES event-publishing record):
 *   { source: "aws.ses", "detail-type": "Email Bounced" | "Email Complaint Received",
 *     detail: { eventType: "Bounce" | "Complaint", mail: {...},
 *               bounce?: { bounceType, bouncedRecipients: [{ emailAddress }] },
 *               complaint?: { complainedRecipients: [{ emailAddress }] } } }
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { container } from '../adapters/container.ts';
import { NotFoundError, ValidationError, issuesFromZod } from '../domain/errors.ts';
import type { ParticipantDirectory } from '../services/ports.ts';
import * as z from '../domain/validation.ts';
import { logger } from './middleware/logger.ts';

const recipientSchema = z.object({ emailAddress: z.string().check(z.trim(), z.minLength(3), z.maxLength(320)) });

const mailSchema = z.object({
  messageId: z.string().check(z.minLength(1)),
  tags: z.optional(z.record(z.string(), z.array(z.string()))),
});

const bounceEventSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.literal('Email Bounced'),
  detail: z.object({
    eventType: z.literal('Bounce'),
    mail: mailSchema,
    bounce: z.object({
      /** Permanent (hard), Transient (soft: SES gave up after retrying) or Undetermined. */
      bounceType: z.string().check(z.minLength(1)),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.array(recipientSchema).check(z.minLength(1)),
    }),
  }),
});

const complaintEventSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.literal('Email Complaint Received'),
  detail: z.object({
    eventType: z.literal('Complaint'),
    mail: mailSchema,
    complaint: z.object({
      complaintFeedbackType: z.optional(z.string()),
      complainedRecipients: z.array(recipientSchema).check(z.minLength(1)),
    }),
  }),
});

export const sesEventSchema = z.discriminatedUnion('detail-type', [bounceEventSchema, complaintEventSchema]);
export type SesEvent = z.infer<typeof sesEventSchema>;

/** The EventBridge detail-types this handler takes; infra/ routes exactly these to it. */
export const SES_EVENT_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

export interface UnreachableRecipients {
  reason: 'bounce' | 'complaint';
  messageId: string;
  /** Lower-cased, de-duplicated addresses to mark unreachable; empty when the event calls for nothing. */
  emails: string[];
  /** Why nothing is marked, when emails is empty. */
  ignored?: string;
}

/** Validates an event; throws a ValidationError naming every problem. */
export function parseSesEvent(event: unknown): SesEvent {
  const parsed = sesEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('not an SES bounce or complaint event', issuesFromZod(parsed.error));
  return parsed.data;
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
export function unreachableRecipients(event: SesEvent): UnreachableRecipients {
  const messageId = event.detail.mail.messageId;
  if (event['detail-type'] === 'Email Bounced') {
    const { bounceType, bouncedRecipients } = event.detail.bounce;
    if (bounceType !== 'Permanent') return { reason: 'bounce', messageId, emails: [], ignored: `${bounceType} bounce` };
    return { reason: 'bounce', messageId, emails: unique(bouncedRecipients.map((r) => normalizeAddress(r.emailAddress))) };
  }
  const { complainedRecipients, complaintFeedbackType } = event.detail.complaint;
  if (complaintFeedbackType === 'not-spam') return { reason: 'complaint', messageId, emails: [], ignored: 'not-spam feedback' };
  return { reason: 'complaint', messageId, emails: unique(complainedRecipients.map((r) => normalizeAddress(r.emailAddress))) };
}

const unique = (values: string[]): string[] => [...new Set(values.filter((v) => v.length > 0))];

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

export const handler = middy<unknown, { marked: number; unknown: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const recipients = unreachableRecipients(parseSesEvent(event));
    // Addresses are personal data: log counts and the SES message id, never the addresses.
    if (recipients.emails.length === 0) {
      logger.info('SES event needs no action', { reason: recipients.reason, messageId: recipients.messageId, ignored: recipients.ignored });
      return { marked: 0, unknown: 0 };
    }
    const result = await markUnreachable(recipients, container().store);
    logger.info('participants marked unreachable', {
      reason: recipients.reason,
      messageId: recipients.messageId,
      recipients: recipients.emails.length,
      ...result,
    });
    return result;
  });
