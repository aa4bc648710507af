import { SESv2Client, SendEmailCommand, type Attachment } from '@aws-sdk/client-sesv2';
import { ConfigurationError, SendingThrottledError, TransientError } from '../../domain/errors.ts';
import type { EmailAttachment, Mailer, OutgoingEmail } from '../../services/ports.ts';
import { failureCode, isTransientSdkError } from '../aws-errors.ts';

const TRANSIENT = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'LimitExceededException',
  'SendingPausedException',
  'InternalFailure',
  'ServiceUnavailable',
]);

/** What SES answers when the account's maximum send rate is exceeded (the developer guide names ThrottlingException; the v2 API models TooManyRequestsException). */
const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException']);

function transientOrThrow(error: unknown): never {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (THROTTLED.has(name) || status === 429) throw new SendingThrottledError(`SES is throttling this account's sending (${name || status})`, { cause: error });
  // The SDK's own classification adds what never reached SES's answer: a connection reset or refused, a timeout (the paced
  // client makes one attempt). SES may have sent a message whose answer was lost, so its retry can send it twice: a rare
  // duplicate, documented in docs/reliability.md, where taking it for a refused address would leave the person without it.
  if (TRANSIENT.has(name) || status === 429 || status >= 500 || isTransientSdkError(error)) {
    throw new TransientError(`SES could not send now (${failureCode(error, name || status)})`, { cause: error });
  }
  throw error;
}

/**
 * The header naming the SES template an email was rendered from: with content-hashed template
 * names it says exactly which version of the text a person received.
 */
export const TEMPLATE_HEADER = 'X-Tandem-Template';

/** SES v2 attachments: the SDK base64-encodes the raw bytes itself. */
function sesAttachments(attachments: readonly EmailAttachment[] | undefined): { Attachments?: Attachment[] } {
  if (!attachments?.length) return {};
  return {
    Attachments: attachments.map((a) => ({
      FileName: a.fileName,
      ContentType: a.contentType,
      ContentDisposition: 'ATTACHMENT',
      RawContent: new TextEncoder().encode(a.content),
    })),
  };
}

const isNotFound = (error: unknown) =>
  (error as { name?: string }).name === 'NotFoundException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/**
 * Sends email through SES v2 (on AWS, or aws-ses-v2-local through AWS_ENDPOINT_URL_SESV2).
 * Participant emails name an SES template and carry only the person's data: the templates are
 * created with the stack (infra/constructs/mailer.ts) and by the local stack, never here, so
 * that the sending functions stay small and need no right to change templates.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client = new SESv2Client({}),
    private readonly configurationSetName?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          Content:
            'template' in email
              ? {
                  Template: {
                    TemplateName: email.template.name,
                    TemplateData: JSON.stringify(email.template.data),
                    Headers: [{ Name: TEMPLATE_HEADER, Value: email.template.name }],
                    ...sesAttachments(email.attachments),
                  },
                }
              : {
                  Simple: {
                    Subject: { Data: email.subject, Charset: 'UTF-8' },
                    Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
                    ...sesAttachments(email.attachments),
                  },
                },
          ...(email.replyTo?.length ? { ReplyToAddresses: [...email.replyTo] } : {}),
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
          ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_-]/g, '_') })) } : {}),
        }),
      );
      return { messageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      // A missing template fails every email alike: a deployment fault for ops, not one bad address.
      if ('template' in email && isNotFound(error)) {
        throw new ConfigurationError(
          `SES has no email template named ${email.template.name}: deploy the stack that matches this code (it creates the templates), or restart the local stack`,
          { cause: error },
        );
      }
      transientOrThrow(error);
    }
  }
}
