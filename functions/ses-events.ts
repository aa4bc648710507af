/**
 * SES bounce and complaint events, delivered by the configuration set's EventBridge event
 * destination. This handler validates the event; services/bounces.ts decides who becomes
 * `unreachable` and marks them.
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
import { ValidationError, issuesFromZod } from '../domain/errors.ts';
import { markUnreachable, unreachableRecipients, type DeliveryFeedback } from '../services/bounces.ts';
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

/** Validates an event and says what it reports; throws a ValidationError naming every problem. */
export function parseSesEvent(event: unknown): DeliveryFeedback {
  const parsed = sesEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError('not an SES bounce or complaint event', issuesFromZod(parsed.error));
  return deliveryFeedback(parsed.data);
}

function deliveryFeedback(event: SesEvent): DeliveryFeedback {
  const messageId = event.detail.mail.messageId;
  if (event['detail-type'] === 'Email Bounced') {
    const { bounceType, bouncedRecipients } = event.detail.bounce;
    return { kind: 'bounce', messageId, bounceType, recipients: bouncedRecipients.map((r) => r.emailAddress) };
  }
  const { complaintFeedbackType, complainedRecipients } = event.detail.complaint;
  return {
    kind: 'complaint',
    messageId,
    ...(complaintFeedbackType !== undefined ? { feedbackType: complaintFeedbackType } : {}),
    recipients: complainedRecipients.map((r) => r.emailAddress),
  };
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
