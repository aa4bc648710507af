import { describe, expect, it } from 'vitest';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer, TEMPLATE_HEADER } from '../../adapters/ses/ses-mailer.ts';
import { ConfigurationError, SendingThrottledError, TransientError } from '../../domain/errors.ts';

type Sent = { name: string; input: Record<string, unknown> };

/** A stand-in SES client: records commands; SendEmail with a template fails as SES does when the template is not in `templates`. */
function fakeSes(templates: Set<string>, fail?: (name: string) => Error | undefined) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const failure = fail?.(name);
      if (failure) throw failure;
      const templateName = (command.input as { Content?: { Template?: { TemplateName: string } } }).Content?.Template?.TemplateName;
      if (templateName && !templates.has(templateName))
        throw Object.assign(new Error('Template does not exist'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
      return { MessageId: `m${sent.length}` };
    },
  };
  return { client: client as unknown as SESv2Client, sent };
}

const template = { name: 'tandem-run-en-abc', data: { name: 'Ana', program: 'P', h: { name: 'Ana' } } };
const email = { from: 'hr@example.com', to: 'ana@example.com', template, tags: { cycle: 'c 1', kind: 'check-in' } };

describe('SesMailer', () => {
  it('sends a participant email as the name of a deployed template and the person’s data, and nothing else', async () => {
    const { client, sent } = fakeSes(new Set([template.name]));
    const result = await new SesMailer(client, 'tandem-config').send(email);
    expect(result.messageId).toBe('m1');
    expect(sent.map((s) => s.name)).toEqual(['SendEmailCommand']);
    const send = sent[0]?.input as {
      Content: { Template: { TemplateName: string; TemplateData: string; Headers: Array<{ Name: string; Value: string }> } };
      EmailTags: Array<{ Value: string }>;
      ConfigurationSetName: string;
    };
    expect(send.Content.Template.TemplateName).toBe('tandem-run-en-abc');
    expect(JSON.parse(send.Content.Template.TemplateData)).toEqual(template.data);
    expect(send.Content.Template.Headers).toEqual([{ Name: TEMPLATE_HEADER, Value: 'tandem-run-en-abc' }]);
    expect(send.EmailTags[0]?.Value).toBe('c_1');
    expect(send.ConfigurationSetName).toBe('tandem-config');
  });

  it('reports a template SES does not have as a ConfigurationError naming it, so the step fails for ops instead of skipping people', async () => {
    const { client } = fakeSes(new Set());
    const error = await new SesMailer(client).send(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('tandem-run-en-abc');
    expect((error as Error).message).toMatch(/deploy the stack/);
  });

  it('reports throttling and SES outages as TransientError, and refuses a bad address for good', async () => {
    const throttled = fakeSes(new Set([template.name]), () => Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }));
    await expect(new SesMailer(throttled.client).send(email)).rejects.toBeInstanceOf(TransientError);
    const down = fakeSes(new Set([template.name]), () => Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }));
    await expect(new SesMailer(down.client).send(email)).rejects.toBeInstanceOf(TransientError);
    const rejected = fakeSes(new Set([template.name]), () =>
      Object.assign(new Error('Illegal address'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } }),
    );
    const error = await new SesMailer(rejected.client).send(email).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(ConfigurationError);
  });

  it('reports a send whose connection was reset, refused or timed out before SES answered as TransientError, so the step sends it again', async () => {
    for (const failure of [
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }),
    ]) {
      const { client } = fakeSes(new Set([template.name]), () => failure);
      const error = await new SesMailer(client).send(email).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).cause).toBe(failure);
    }
  });

  it('tells a send SES refused for the account’s rate apart from an outage, still named TransientError for the workflow', async () => {
    for (const failure of [
      Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }),
      Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
    ]) {
      const error = await new SesMailer(fakeSes(new Set([template.name]), () => failure).client).send(email).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendingThrottledError);
      expect((error as Error).name).toBe('TransientError');
    }
    const down = fakeSes(new Set([template.name]), () => Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }));
    expect(await new SesMailer(down.client).send(email).catch((e: unknown) => e)).not.toBeInstanceOf(SendingThrottledError);
  });

  it('sends written emails (HR and ops summaries) as simple content', async () => {
    const { client, sent } = fakeSes(new Set());
    await new SesMailer(client).send({ from: 'a@example.com', to: 'b@example.com', subject: 's', html: 'h', text: 't' });
    expect(sent.map((s) => s.name)).toEqual(['SendEmailCommand']);
    expect((sent[0]?.input as { Content: { Simple: unknown } }).Content.Simple).toBeDefined();
  });

  it('sends Reply-To addresses and attachments with written and templated emails alike', async () => {
    const { client, sent } = fakeSes(new Set([template.name]));
    const extras = {
      replyTo: ['jack@example.com'],
      attachments: [{ fileName: 'first-meeting.ics', contentType: 'text/calendar; method=REQUEST', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' }],
    };
    await new SesMailer(client).send({ from: 'a@example.com', to: 'b@example.com', subject: 's', html: 'h', text: 't', ...extras });
    await new SesMailer(client).send({ ...email, ...extras });
    const [simple, templated] = sent.map(
      (s) =>
        s.input as {
          ReplyToAddresses: string[];
          Content: {
            Simple?: { Attachments: Array<{ FileName: string; ContentType: string; RawContent: Uint8Array }> };
            Template?: { Attachments: unknown[] };
          };
        },
    );
    expect(simple?.ReplyToAddresses).toEqual(['jack@example.com']);
    const attachment = simple?.Content.Simple?.Attachments[0];
    expect(attachment?.FileName).toBe('first-meeting.ics');
    expect(attachment?.ContentType).toBe('text/calendar; method=REQUEST');
    expect(new TextDecoder().decode(attachment?.RawContent)).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR');
    expect(templated?.ReplyToAddresses).toEqual(['jack@example.com']);
    expect(templated?.Content.Template?.Attachments).toHaveLength(1);
  });

  it('sends no Reply-To and no attachments when the email has none', async () => {
    const { client, sent } = fakeSes(new Set([template.name]));
    await new SesMailer(client).send(email);
    const input = sent[0]?.input as { ReplyToAddresses?: unknown; Content: { Template: { Attachments?: unknown } } };
    expect(input.ReplyToAddresses).toBeUndefined();
    expect(input.Content.Template.Attachments).toBeUndefined();
  });
});
