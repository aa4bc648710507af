import { describe, expect, it } from 'vitest';
import { renderInvitationEmail } from '../../domain/email-template-content.ts';
import { summaryEmail, timeLeftInWords, type InvitationInput } from '../../domain/emails.ts';
import type { AnsweredPhase, Language } from '../../domain/program.ts';

const XSS = '"><script>alert(1)</script>';
const ESCAPED_XSS = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const PHASES: AnsweredPhase[] = ['goal-setting', 'run', 'measure', 'feedback'];
const LINK = 'https://survey.example.org/s/v1.eyJhIjoxfQ.mac-123_xyz?lang=en&x=1';
const GOALS = 'Close skill gaps on both sides.\nMeet every two weeks.';

const base = (kind: AnsweredPhase, language: Language, extra: Partial<InvitationInput> = {}): InvitationInput => ({
  kind,
  language,
  programName: 'Mentoria Reversa 2027',
  recipientName: 'Helena Duarte',
  partners: [{ name: 'Lucas Prado', role: 'mentor' }],
  link: LINK,
  deadline: new Date(Date.UTC(2027, 2, 15, 18, 0, 0)),
  ...(kind === 'goal-setting' ? { goalsAndExpectations: GOALS } : {}),
  ...(kind === 'run' ? { round: 2 } : {}),
  ...extra,
});

const subjects: Record<Language, Record<AnsweredPhase, string>> = {
  en: {
    enrollment: 'Mentoria Reversa 2027: join the mentoring program',
    'goal-setting': 'Mentoria Reversa 2027: meet your partner and set your goals',
    run: 'Mentoria Reversa 2027: check-in 2 — have you met?',
    measure: 'Mentoria Reversa 2027: how far did you get?',
    feedback: 'Mentoria Reversa 2027: tell us what worked',
  },
  'pt-BR': {
    enrollment: 'Mentoria Reversa 2027: participe do programa de mentoria',
    'goal-setting': 'Mentoria Reversa 2027: conheça sua dupla e defina suas metas',
    run: 'Mentoria Reversa 2027: acompanhamento 2 — vocês se encontraram?',
    measure: 'Mentoria Reversa 2027: até onde você chegou?',
    feedback: 'Mentoria Reversa 2027: conte o que funcionou',
  },
};

describe('invitationEmail', () => {
  for (const language of ['en', 'pt-BR'] as const) {
    for (const kind of PHASES) {
      it(`writes the ${kind} invitation in ${language}, with the link in both text and html`, () => {
        const email = renderInvitationEmail(base(kind, language));
        expect(email.subject).toBe(subjects[language][kind]);
        expect(email.text).toContain(LINK);
        expect(email.html).toContain(`href="${LINK.replace(/&/g, '&amp;')}"`);
        expect(email.text.startsWith(language === 'en' ? 'Hello Helena Duarte,' : 'Olá Helena Duarte,')).toBe(true);
        expect(email.text).toContain(language === 'en' ? 'Your partner in this cycle: Lucas Prado.' : 'Sua dupla neste ciclo: Lucas Prado.');
        expect(email.html).toContain('Lucas Prado');
        expect(email.html.startsWith('<!doctype html>')).toBe(true);
      });
    }
  }

  it.each(['en', 'pt-BR'] as const)('writes the enrollment invitation in %s with the program’s goals and the join link, and no partner line', (language) => {
    const email = renderInvitationEmail({ ...base('enrollment', language), partners: [], goalsAndExpectations: GOALS });
    expect(email.subject).toBe(subjects[language].enrollment);
    expect(email.text).toContain(LINK);
    expect(email.text).toContain(GOALS.split('\n')[0]);
    expect(email.text).toContain(language === 'en' ? 'Join or decline: ' : 'Participar ou recusar: ');
    expect(email.text).not.toMatch(/Your partner|Sua dupla/);
  });

  const PAIR_PAGE = 'https://survey.example.org/s/v1.pair-token?lang=en&x=2';
  for (const language of ['en', 'pt-BR'] as const) {
    it.each(PHASES)(`links the member’s pair page in the %s email in ${language}, in both text and html`, (kind) => {
      const email = renderInvitationEmail(base(kind, language, { pairPage: PAIR_PAGE }));
      expect(email.text).toContain(`${language === 'en' ? 'Your pair page' : 'A página da sua dupla'} (`);
      expect(email.text).toContain(PAIR_PAGE);
      expect(email.html).toContain(`href="${PAIR_PAGE.replace(/&/g, '&amp;')}"`);
    });
  }

  it.each(['en', 'pt-BR'] as const)('has no pair-page line in an email to someone without a partner (%s)', (language) => {
    const email = renderInvitationEmail({ ...base('enrollment', language), partners: [] });
    expect(email.text).not.toMatch(/Your pair page|A página da sua dupla/);
    expect(email.html).not.toMatch(/Your pair page|A página da sua dupla/);
  });

  it('does not repeat the pair page under the nudge, whose button already opens it', () => {
    const email = renderInvitationEmail(base('run', 'en', { nudge: true, link: PAIR_PAGE, pairPage: PAIR_PAGE }));
    expect(email.text.split(PAIR_PAGE)).toHaveLength(2);
    expect(email.html.split(`href="${PAIR_PAGE.replace(/&/g, '&amp;')}"`)).toHaveLength(2);
  });

  it('gives the deadline as a date in the recipient’s language, in UTC', () => {
    expect(renderInvitationEmail(base('measure', 'en')).text).toContain('Please answer by March 15, 2027');
    expect(renderInvitationEmail(base('measure', 'en')).text).toMatch(/Please answer by March 15, 2027[^\n]*6:00\s?PM UTC\./);
    expect(renderInvitationEmail(base('measure', 'pt-BR')).text).toMatch(/Responda até 15 de março de 2027[^\n]*18:00 UTC\./);
  });

  it('includes the program’s goals and expectations at goal-setting, in text and html', () => {
    const en = renderInvitationEmail(base('goal-setting', 'en'));
    expect(en.text).toContain(`The program’s goals and expectations:\n${GOALS}`);
    expect(en.html).toContain('white-space:pre-line">Close skill gaps on both sides.\nMeet every two weeks.</p>');
    const pt = renderInvitationEmail(base('goal-setting', 'pt-BR'));
    expect(pt.text).toContain(`Metas e expectativas do programa:\n${GOALS}`);
  });

  it.each(['run', 'measure', 'feedback'] as const)('leaves the goals section out of the %s invitation', (kind) => {
    for (const language of ['en', 'pt-BR'] as const) {
      const email = renderInvitationEmail(base(kind, language));
      expect(email.text).not.toContain('goals and expectations');
      expect(email.text).not.toContain('Metas e expectativas');
      expect(email.text).not.toContain('Close skill gaps');
      expect(email.html).not.toContain('<h2');
    }
  });

  it('asks the right action per phase, in each language', () => {
    expect(renderInvitationEmail(base('goal-setting', 'en')).text).toContain(`Accept and set my goals: ${LINK}`);
    expect(renderInvitationEmail(base('run', 'en')).text).toContain(`Check in: ${LINK}`);
    expect(renderInvitationEmail(base('measure', 'pt-BR')).text).toContain(`Avaliar meu progresso: ${LINK}`);
    expect(renderInvitationEmail(base('feedback', 'pt-BR')).html).toMatch(/>\s*Dar feedback\s*<\/a>/);
    // One call to action: exactly one button-like link besides the opt-out link.
    const html = renderInvitationEmail(base('measure', 'en', { optOutLink: 'https://x.example/s/opt' })).html;
    expect([...html.matchAll(/<a\b[^>]*href="([^"]+)"/g)].map((m) => m[1])).toEqual([LINK.replace(/&/g, '&amp;'), 'https://x.example/s/opt']);
  });

  it('prefixes a reminder’s subject and says how much time is left, in English', () => {
    const email = renderInvitationEmail(base('measure', 'en', { reminderTimeLeft: '2 days' }));
    expect(email.subject).toBe('Reminder: Mentoria Reversa 2027: how far did you get?');
    expect(email.text.split('\n\n')[1]).toBe('Reminder: 2 days left to answer.');
    expect(email.html).toContain('<strong>Reminder: 2 days left to answer.</strong>');
  });

  it('prefixes a reminder’s subject and says how much time is left, in Portuguese', () => {
    const email = renderInvitationEmail(base('feedback', 'pt-BR', { reminderTimeLeft: '5 horas' }));
    expect(email.subject).toBe('Lembrete: Mentoria Reversa 2027: conte o que funcionou');
    expect(email.text).toContain('Lembrete: falta(m) 5 horas para responder.');
  });

  it('offers a one-click “we met” link in check-ins only, which opens the form with the answer chosen', () => {
    const en = renderInvitationEmail(base('run', 'en', { round: 2 }));
    expect(en.text).toContain(`We met (log it in one click): ${LINK}?answer=met`);
    expect(en.html).toContain('?answer=met');
    expect(renderInvitationEmail(base('run', 'pt-BR', { round: 2 })).text).toContain('Nos encontramos (registre com um clique)');
    expect(renderInvitationEmail(base('measure', 'en')).text).not.toContain('?answer=');
    expect(renderInvitationEmail(base('run', 'en', { round: 1, nudge: true })).text).not.toContain('?answer=');
  });

  it('words the run’s meeting nudge as its own email, with the pair page as its one button, in both languages', () => {
    const en = renderInvitationEmail(base('run', 'en', { round: 1, nudge: true }));
    expect(en.subject).toBe('Mentoria Reversa 2027: time for a first meeting');
    expect(en.text).toContain('No meeting is logged for your pair yet.');
    expect(en.text).not.toContain('check-in:');
    expect(en.text).not.toContain('Please answer by');
    expect(en.html).toMatch(/>\s*Open my pair page\s*<\/a>/);
    const pt = renderInvitationEmail(base('run', 'pt-BR', { round: 1, nudge: true }));
    expect(pt.subject).toBe('Mentoria Reversa 2027: hora do primeiro encontro');
    expect(pt.text).toContain('Ainda não há nenhum encontro registrado para a sua dupla.');
    expect(pt.html).toMatch(/>\s*Abrir a página da dupla\s*<\/a>/);
    expect(renderInvitationEmail(base('run', 'en', { round: 1 })).subject).toContain('check-in 1');
  });

  it('does not mark a first invitation as a reminder', () => {
    const email = renderInvitationEmail(base('measure', 'en'));
    expect(email.subject.startsWith('Reminder')).toBe(false);
    expect(email.text).not.toContain('Reminder');
    expect(renderInvitationEmail(base('measure', 'pt-BR')).text).not.toContain('Lembrete');
  });

  it('names several partners, and says "partners" in English', () => {
    const email = renderInvitationEmail(
      base('run', 'en', {
        partners: [
          { name: 'Lucas Prado', role: 'mentor' },
          { name: 'Ana Souza', role: 'mentee' },
        ],
      }),
    );
    expect(email.text).toContain('Your partners in this cycle: Lucas Prado, Ana Souza.');
  });

  it('says "partner" for a single partner even when their name contains a comma', () => {
    const email = renderInvitationEmail(base('run', 'en', { partners: [{ name: 'Prado, Lucas', role: 'mentor' }] }));
    expect(email.text).toContain('Your partner in this cycle: Prado, Lucas.');
  });

  it('leaves out the partner line when there is no partner', () => {
    const email = renderInvitationEmail(base('feedback', 'en', { partners: [] }));
    expect(email.text).not.toContain('Your partner');
    expect(renderInvitationEmail(base('feedback', 'pt-BR', { partners: [] })).text).not.toContain('Sua dupla');
  });

  it('escapes hostile names, goals and links in the html but keeps them verbatim in the text', () => {
    for (const language of ['en', 'pt-BR'] as const) {
      const email = renderInvitationEmail(
        base('goal-setting', language, {
          recipientName: XSS,
          partners: [
            { name: `<img src=x onerror=alert(1)>`, role: 'mentor' },
            { name: XSS, role: 'mentee' },
          ],
          goalsAndExpectations: `Goals ${XSS}`,
          link: `https://x.example/"><script>alert(1)</script>`,
          reminderTimeLeft: XSS,
        }),
      );
      expect(email.html.toLowerCase()).not.toContain('<script');
      expect(email.html).not.toContain('<img');
      expect(email.html).toContain(ESCAPED_XSS);
      expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(email.html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;');
      expect(email.text).toContain(XSS);
    }
  });
});

describe('timeLeftInWords', () => {
  it.each([
    [2 * 86_400_000, 'en', '2 days'],
    [86_400_000, 'en', '1 day'],
    [36 * 3_600_000, 'en', '1 day'],
    [86_399_000, 'en', '23 hours'],
    [3_600_000, 'en', '1 hour'],
    [90 * 60_000, 'en', '1 hour'],
    [59 * 60_000, 'en', '59 minutes'],
    [60_000, 'en', '1 minute'],
    [45_000, 'en', '45 seconds'],
    [1_000, 'en', '1 second'],
    [1_499, 'en', '1 second'],
    [1_500, 'en', '2 seconds'],
    [0, 'en', '0 seconds'],
    [-5_000, 'en', '0 seconds'],
    [2 * 86_400_000, 'pt-BR', '2 dias'],
    [86_400_000, 'pt-BR', '1 dia'],
    [5 * 3_600_000, 'pt-BR', '5 horas'],
    [3_600_000, 'pt-BR', '1 hora'],
    [60_000, 'pt-BR', '1 minuto'],
    [120_000, 'pt-BR', '2 minutos'],
    [1_000, 'pt-BR', '1 segundo'],
    [0, 'pt-BR', '0 segundos'],
  ] as const)('says %i ms in %s is "%s"', (ms, language, words) => {
    expect(timeLeftInWords(ms, language)).toBe(words);
  });
});

describe('summaryEmail', () => {
  it('lists each line as "label: value" in text and as a table row in html', () => {
    const email = summaryEmail(
      'Cycle c-1 finished',
      'The cycle is over.',
      [
        { label: 'Pairs', value: '12' },
        { label: 'NPS', value: '40' },
      ],
      'Report: s3://bucket/c-1.json',
    );
    expect(email.subject).toBe('Cycle c-1 finished');
    expect(email.text).toBe('The cycle is over.\n\nPairs: 12\nNPS: 40\n\nReport: s3://bucket/c-1.json');
    expect(email.html).toContain('<tr><th style="text-align:left;padding-right:1rem">Pairs</th><td>12</td></tr>');
    expect(email.html).toContain('<p>Report: s3://bucket/c-1.json</p>');
  });

  it('leaves out the footer when there is none', () => {
    const email = summaryEmail('S', 'Intro', [{ label: 'A', value: 'B' }]);
    expect(email.text).toBe('Intro\n\nA: B');
    expect(email.html.match(/<p>/g)).toHaveLength(1);
  });

  it('escapes intro, labels, values and footer in the html', () => {
    const email = summaryEmail('S', `Intro ${XSS}`, [{ label: XSS, value: `<img src=x onerror=alert(1)>` }], `Footer ${XSS}`);
    expect(email.html.toLowerCase()).not.toContain('<script');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain(`<p>Intro ${ESCAPED_XSS}</p>`);
    expect(email.html).toContain(`<th style="text-align:left;padding-right:1rem">${ESCAPED_XSS}</th><td>&lt;img src=x onerror=alert(1)&gt;</td>`);
    expect(email.html).toContain(`<p>Footer ${ESCAPED_XSS}</p>`);
    expect(email.text).toContain(`${XSS}: <img src=x onerror=alert(1)>`);
  });
});
