import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../../adapters/ses/ses-mailer.ts';
import { attachmentText } from '../../local/ses-local.ts';
import { emailsFor, uniqueTag } from '../support/fixtures.ts';

describe('the local SES inbox', () => {
  it('keeps the Reply-To addresses and the attachments SesMailer sends, so tests and the demo can read them', async () => {
    const tag = uniqueTag('attach');
    const calendar = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nEND:VCALENDAR\r\n';
    await new SesMailer(new SESv2Client({})).send({
      from: `tandem@${tag}.example.com`,
      to: `ana@${tag}.example.com`,
      replyTo: [`jack@${tag}.example.com`],
      subject: 'Meet Jack',
      html: '<p>Meet Jack</p>',
      text: 'Meet Jack',
      attachments: [{ fileName: 'first-meeting.ics', contentType: 'text/calendar; method=REQUEST', content: calendar }],
    });
    const [captured] = await emailsFor(tag);
    expect(captured?.replyTo).toEqual([`jack@${tag}.example.com`]);
    expect(captured?.attachments.map((a) => [a.filename, a.contentType])).toEqual([['first-meeting.ics', 'text/calendar; method=REQUEST']]);
    expect(attachmentText(captured?.attachments[0] as never)).toBe(calendar);
  });

  it('renders a template again for each send, with that send’s data, once its compiled form is kept', async () => {
    const tag = uniqueTag('template');
    const ses = new SESv2Client({});
    const template = { Subject: 'Hello {{name}}', Html: '<p>Your code is {{code}}</p>', Text: 'Your code is {{code}}' };
    for (const [name, code] of [
      ['Ana', '111'],
      ['Jack', '222'],
    ] as const)
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: `tandem@${tag}.example.com`,
          Destination: { ToAddresses: [`${name.toLowerCase()}@${tag}.example.com`] },
          Content: { Template: { TemplateContent: template, TemplateData: JSON.stringify({ name, code }) } },
        }),
      );
    const captured = await emailsFor(tag);
    expect(captured.map((e) => [e.subject, e.body.text, e.body.html])).toEqual([
      ['Hello Ana', 'Your code is 111', '<p>Your code is 111</p>'],
      ['Hello Jack', 'Your code is 222', '<p>Your code is 222</p>'],
    ]);
  });
});
