import { describe, expect, it } from 'vitest';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from '../../adapters/ses/ses-mailer.ts';
import { TransientError } from '../../domain/errors.ts';

type Sent = { name: string; input: Record<string, unknown> };

/** A stand-in SES client: records commands, answers GetEmailTemplate from a map. */
function fakeSes(templates: Map<string, { Subject: string; Html: string; Text: string }>, fail?: (name: string) => unknown) {
  const sent: Sent[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ name, input: command.input });
      const failure = fail?.(name);
      if (failure) throw failure;
      if (name === 'GetEmailTemplateCommand') {
        const found = templates.get(command.input.TemplateName as string);
        if (!found) throw Object.assign(new Error('not found'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
        return { TemplateContent: found };
      }
      if (name === 'CreateEmailTemplateCommand') templates.set(command.input.TemplateName as string, command.input.TemplateContent as never);
      if (name === 'SendEmailCommand') return { MessageId: `m${sent.length}` };
      return {};
    },
  };
  return { client: client as unknown as SESv2Client, sent };
}

const template = { name: 'tandem-run-en-abc', subject: 'S {{{program}}}', html: '<p>{{{h.name}}}</p>', text: '{{{name}}}', data: { name: 'Ana', program: 'P', h: { name: 'Ana' } } };
const email = { from: 'hr@example.com', to: 'ana@example.com', subject: 'S P', html: '<p>Ana</p>', text: 'Ana', template, tags: { cycle: 'c 1', kind: 'check-in' } };

describe('SesMailer with templates', () => {
  it('creates a missing template once per container, then sends with the template name and small data', async () => {
    const { client, sent } = fakeSes(new Map());
    const mailer = new SesMailer(client);
    await mailer.send(email);
    await mailer.send({ ...email, to: 'bob@example.com' });
    expect(sent.map((s) => s.name)).toEqual(['GetEmailTemplateCommand', 'CreateEmailTemplateCommand', 'SendEmailCommand', 'SendEmailCommand']);
    const send = sent[2]?.input as { Content: { Template: { TemplateName: string; TemplateData: string } }; EmailTags: Array<{ Value: string }> };
    expect(send.Content.Template.TemplateName).toBe('tandem-run-en-abc');
    expect(JSON.parse(send.Content.Template.TemplateData)).toEqual(template.data);
    expect(send.EmailTags[0]?.Value).toBe('c_1');
  });

  it('updates a template whose content differs, and leaves an identical one alone', async () => {
    const stale = fakeSes(new Map([[template.name, { Subject: 'old', Html: template.html, Text: template.text }]]));
    await new SesMailer(stale.client).send(email);
    expect(stale.sent.map((s) => s.name)).toEqual(['GetEmailTemplateCommand', 'UpdateEmailTemplateCommand', 'SendEmailCommand']);
    const same = fakeSes(new Map([[template.name, { Subject: template.subject, Html: template.html, Text: template.text }]]));
    await new SesMailer(same.client).send(email);
    expect(same.sent.map((s) => s.name)).toEqual(['GetEmailTemplateCommand', 'SendEmailCommand']);
  });

  it('accepts a template created by another container in the meantime', async () => {
    const { client, sent } = fakeSes(new Map(), (name) => (name === 'CreateEmailTemplateCommand' ? Object.assign(new Error('exists'), { name: 'AlreadyExistsException' }) : undefined));
    await new SesMailer(client).send(email);
    expect(sent.at(-1)?.name).toBe('SendEmailCommand');
  });

  it('reports throttling as a TransientError and tries the template again on the next send', async () => {
    let throttle = true;
    const { client, sent } = fakeSes(new Map(), (name) => (name === 'GetEmailTemplateCommand' && throttle ? Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }) : undefined));
    const mailer = new SesMailer(client);
    await expect(mailer.send(email)).rejects.toBeInstanceOf(TransientError);
    throttle = false;
    await mailer.send(email);
    expect(sent.filter((s) => s.name === 'GetEmailTemplateCommand')).toHaveLength(2);
  });

  it('still sends plain emails (HR and ops summaries) as simple content', async () => {
    const { client, sent } = fakeSes(new Map());
    await new SesMailer(client).send({ from: 'a@example.com', to: 'b@example.com', subject: 's', html: 'h', text: 't' });
    expect(sent.map((s) => s.name)).toEqual(['SendEmailCommand']);
    expect((sent[0]?.input as { Content: { Simple: unknown } }).Content.Simple).toBeDefined();
  });
});
