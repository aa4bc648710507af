import { CreateEmailTemplateCommand, SESv2Client, UpdateEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { emailTemplatesToCreate } from '../domain/email-template-content.ts';

/**
 * Creates Tandem's participant email templates in the local SES, as the stack's deployment does
 * on AWS (infra/constructs/mailer.ts): the sending functions only name them.
 */
export async function createEmailTemplates(endpoint: string): Promise<number> {
  const client = new SESv2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const templates = emailTemplatesToCreate();
    for (const template of templates) {
      const input = { TemplateName: template.name, TemplateContent: { Subject: template.subject, Html: template.html, Text: template.text } };
      try {
        await client.send(new CreateEmailTemplateCommand(input));
      } catch (error) {
        // aws-ses-v2-local answers without an error type the SDK knows (it names it "Unknown"); its message says what happened.
        const exists = (error as { name?: string }).name === 'AlreadyExistsException' || /already exists/i.test((error as Error).message);
        if (!exists) throw error;
        await client.send(new UpdateEmailTemplateCommand(input));
      }
    }
    return templates.length;
  } finally {
    client.destroy();
  }
}
