import { CreateEmailTemplateCommand, GetEmailTemplateCommand, SESv2Client, SendEmailCommand, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { TransientError } from '../../domain/errors.ts';
import type { Mailer, OutgoingEmail } from '../../services/ports.ts';

const TRANSIENT = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'SendingPausedException', 'InternalFailure', 'ServiceUnavailable']);

type Template = NonNullable<OutgoingEmail['template']>;

function transientOrThrow(error: unknown): never {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (TRANSIENT.has(name) || status === 429 || status >= 500 || (error as { $retryable?: unknown }).$retryable) {
    throw new TransientError(`SES could not send now (${name || status})`, { cause: error });
  }
  throw error;
}

const isNotFound = (error: unknown) => (error as { name?: string }).name === 'NotFoundException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
const isAlreadyExists = (error: unknown) => (error as { name?: string }).name === 'AlreadyExistsException';

/**
 * Sends email through SES v2 (on AWS, or aws-ses-v2-local through AWS_ENDPOINT_URL_SESV2).
 * Participant emails go as SES templates: a template is created at its first use in a container
 * (GetEmailTemplate; CreateEmailTemplate when missing, UpdateEmailTemplate when its content
 * differs). Template names carry a hash of their content, so a changed template is a new one.
 */
export class SesMailer implements Mailer {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly client = new SESv2Client({}),
    private readonly configurationSetName?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      if (email.template) await this.ensureTemplate(email.template);
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          Content: email.template
            ? { Template: { TemplateName: email.template.name, TemplateData: JSON.stringify(email.template.data) } }
            : {
                Simple: {
                  Subject: { Data: email.subject, Charset: 'UTF-8' },
                  Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
                },
              },
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
          ...(email.tags ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_-]/g, '_') })) } : {}),
        }),
      );
      return { messageId: result.MessageId ?? 'unknown' };
    } catch (error) {
      if (error instanceof TransientError) throw error;
      transientOrThrow(error);
    }
  }

  /** Creates the template if missing, updates it if its content differs; once per container and name. */
  ensureTemplate(template: Template): Promise<void> {
    let ensured = this.ensured.get(template.name);
    if (!ensured) {
      ensured = this.createOrUpdate(template).catch((error: unknown) => {
        this.ensured.delete(template.name);
        throw error;
      });
      this.ensured.set(template.name, ensured);
    }
    return ensured;
  }

  private async createOrUpdate(template: Template): Promise<void> {
    const content = { Subject: template.subject, Html: template.html, Text: template.text };
    try {
      const existing = await this.client.send(new GetEmailTemplateCommand({ TemplateName: template.name }));
      const same = existing.TemplateContent?.Subject === content.Subject && existing.TemplateContent?.Html === content.Html && existing.TemplateContent?.Text === content.Text;
      if (!same) await this.client.send(new UpdateEmailTemplateCommand({ TemplateName: template.name, TemplateContent: content }));
      return;
    } catch (error) {
      if (!isNotFound(error)) transientOrThrow(error);
    }
    try {
      await this.client.send(new CreateEmailTemplateCommand({ TemplateName: template.name, TemplateContent: content }));
    } catch (error) {
      // Another container created it in the meantime: same name, same content.
      if (!isAlreadyExists(error)) transientOrThrow(error);
    }
  }
}
