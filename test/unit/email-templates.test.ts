import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/build-email-templates.ts';
import { COMPILED_TEMPLATES } from '../../domain/generated/email-templates.generated.ts';
import { allTemplateKeys, emailTemplate, renderTemplate, type EmailTemplateParts } from '../../domain/email-templates.ts';
import { renderInvitationEmail } from '../../domain/email-template-content.ts';
import { EMAIL_TEMPLATE_NAMES } from '../../domain/generated/email-template-names.generated.ts';
import { invitationData, invitationEmail, type InvitationInput } from '../../domain/emails.ts';

const XSS = '"><script>alert(1)</script>';
const input = (extra: Partial<InvitationInput> = {}): InvitationInput => ({
  kind: 'goal-setting',
  language: 'en',
  programName: 'Mentoria & Co',
  recipientName: "Ana O'Neil",
  partners: [{ name: 'Lucas Prado', role: 'mentor' }],
  link: 'https://survey.example.org/s/v1.abc.def',
  optOutLink: 'https://survey.example.org/s/v1.opt.out',
  deadline: new Date(Date.UTC(2027, 2, 15, 18)),
  goalsAndExpectations: 'Close gaps.\nMeet often.',
  ...extra,
});

describe('the SES email templates', () => {
  it('are compiled from the MJML sources: domain/generated/email-templates.generated.ts and email-template-names.generated.ts are up to date', async () => {
    for (const file of await generatedFiles()) expect(readFileSync(file.path, 'utf8'), file.path).toBe(file.text);
  }, 60_000);

  it('are named in the sending code by the same content hash as the deployed content', () => {
    for (const { kind, language } of allTemplateKeys()) {
      expect(invitationEmail(input({ kind, language })).templateName).toBe(emailTemplate(kind, language, COMPILED_TEMPLATES).name);
    }
    expect(Object.keys(EMAIL_TEMPLATE_NAMES)).toHaveLength(10);
  });

  it('exist for every phase in both languages, with names that change when their content changes', () => {
    const names = allTemplateKeys().map(({ kind, language }) => emailTemplate(kind, language, COMPILED_TEMPLATES).name);
    expect(new Set(names).size).toBe(10);
    for (const name of names) expect(name).toMatch(/^tandem-(enrollment|goal-setting|run|measure|feedback)-(en|pt-br)-[0-9a-f]{10}$/);
    const changed = emailTemplate('run', 'en', { 'run/en': { ...(COMPILED_TEMPLATES['run/en'] as EmailTemplateParts), subject: 'other' } });
    expect(changed.name).not.toBe(emailTemplate('run', 'en', COMPILED_TEMPLATES).name);
  });

  it('render the same with Tandem’s renderer as with Handlebars (what SES uses), for every template and hostile data', () => {
    const hb = Handlebars.create();
    const cases: Array<Partial<InvitationInput>> = [
      {},
      {
        reminderTimeLeft: '2 days',
        rematch: true,
        partners: [
          { name: XSS, role: 'mentor' },
          { name: 'B', role: 'mentee' },
        ],
      },
      { recipientName: XSS, programName: XSS, goalsAndExpectations: XSS, partners: [], round: 3 },
    ];
    for (const { kind, language } of allTemplateKeys()) {
      const template = emailTemplate(kind, language, COMPILED_TEMPLATES);
      for (const extra of cases) {
        const data = invitationData(input({ kind, language, ...extra }));
        for (const part of ['subject', 'html', 'text'] as const) {
          expect(renderTemplate(template[part], data)).toBe(hb.compile(template[part], { noEscape: true })(data));
        }
      }
    }
  });

  it('keep the per-email data small: only this person’s details', () => {
    const data = JSON.stringify(invitationEmail(input()).data);
    expect(Object.keys(invitationEmail(input())).sort()).toEqual(['data', 'templateName']);
    expect(data.length).toBeLessThan(1500);
    expect(data).not.toContain('<table');
  });

  it('carry a way to leave the program, a single call to action and the plain-text part', () => {
    for (const language of ['en', 'pt-BR'] as const) {
      const email = renderInvitationEmail(input({ language }));
      expect(email.text).toContain(
        language === 'en' ? 'Leave the program: https://survey.example.org/s/v1.opt.out' : 'Sair do programa: https://survey.example.org/s/v1.opt.out',
      );
      expect(email.html).toContain('href="https://survey.example.org/s/v1.opt.out"');
      expect(email.html).toContain('<html lang="' + language + '"');
      expect(email.html).toContain('Mentoria &amp; Co');
      expect(email.html).toContain('Ana O&#39;Neil');
      expect(email.text).toContain("Ana O'Neil");
    }
  });

  it('tell a person who was paired again about it', () => {
    expect(renderInvitationEmail(input({ rematch: true })).text).toContain('Your first partner could not take part, so we matched you again.');
    expect(renderInvitationEmail(input({ rematch: true, language: 'pt-BR' })).text).toContain('Sua primeira dupla não pôde participar');
    expect(renderInvitationEmail(input()).text).not.toContain('first partner');
  });

  it('tell the new partner of a person paired again that the two are now a pair, not that they lost a partner', () => {
    const en = renderInvitationEmail(input({ kind: 'goal-setting', newPartner: true }));
    expect(en.text).toContain('A colleague’s first partner could not take part, so the two of you are now a pair.');
    expect(en.html).toContain('A colleague’s first partner could not take part, so the two of you are now a pair.');
    expect(en.text).not.toContain('Your first partner');
    const pt = renderInvitationEmail(input({ kind: 'goal-setting', newPartner: true, language: 'pt-BR' }));
    expect(pt.text).toContain('A primeira dupla de um(a) colega não pôde participar, então agora vocês formam uma dupla.');
    expect(pt.text).not.toContain('Sua primeira dupla');
  });

  it('tell a person who had accepted their first partner that their goals are kept and the new pairing needs their answer', () => {
    const en = renderInvitationEmail(input({ kind: 'goal-setting', rematch: true, askedAgain: true }));
    expect(en.text).toContain('Your goals and skill ratings are kept');
    expect(en.text).toContain('Accept or decline my new partner:');
    expect(en.text).not.toContain('set one to three personal goals');
    expect(en.html).toContain('Accept or decline my new partner');
    const pt = renderInvitationEmail(input({ kind: 'goal-setting', rematch: true, askedAgain: true, language: 'pt-BR' }));
    expect(pt.text).toContain('Suas metas e a avaliação das suas habilidades foram mantidas');
    expect(pt.text).toContain('Aceitar ou recusar a nova dupla:');
    expect(renderInvitationEmail(input({ kind: 'goal-setting', rematch: true })).text).not.toContain('kept');
  });

  it('are refused by the renderer when malformed', () => {
    expect(() => renderTemplate('{{#if a}}x', {})).toThrow(/does not parse/);
    expect(() => renderTemplate('x{{/if}}', {})).toThrow(SyntaxError);
  });
});
