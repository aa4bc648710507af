import type { Language } from './program.ts';
import type { EmailTemplateKind } from './email-templates.ts';

/**
 * The words of every participant email, in each language, and the MJML and text sources of the
 * SES templates built from them (compiled by scripts/build-email-templates.ts, npm run build:emails).
 * Placeholders: see EmailTemplateData in email-templates.ts.
 */
export const EMAIL_COPY = {
  en: {
    greeting: 'Hello {{{name}}},',
    greetingHtml: 'Hello {{{h.name}}},',
    reminder: 'Reminder: {{{timeLeft}}} left to answer.',
    partner: '{{#if manyPartners}}Your partners{{else}}Your partner{{/if}} in this cycle: {{{partners}}}.',
    partnerHtml: '{{#if manyPartners}}Your partners{{else}}Your partner{{/if}} in this cycle: <strong>{{{h.partners}}}</strong>.',
    rematch: 'Your first partner could not take part, so we matched you again.',
    newPartner: 'A colleague’s first partner could not take part, so the two of you are now a pair.',
    askedAgain:
      'You had accepted your first pairing. Your goals and skill ratings are kept (they are about you), and you can change them; the new pairing needs your answer: accept your new partner, or decline.',
    askedAgainAction: 'Accept or decline my new partner',
    deadline: 'Please answer by {{{deadline}}}.',
    reminderPrefix: 'Reminder: ',
    nudgeSubject: '{{{program}}}: time for a first meeting',
    nudge:
      'No meeting is logged for your pair yet. Plan one with your partner this week; once you have met, log it on your pair page (or answer “we met” in your next check-in).',
    nudgeAction: 'Open my pair page',
    pairPage: 'Your pair page (partner, goals, meetings, next check-in)',
    subjects: {
      enrollment: '{{{program}}}: join the mentoring program',
      'goal-setting': '{{{program}}}: meet your partner and set your goals',
      run: '{{{program}}}: check-in {{{round}}} — have you met?',
      measure: '{{{program}}}: how far did you get?',
      feedback: '{{{program}}}: tell us what worked',
    },
    bodies: {
      enrollment:
        'You are invited to a mentoring program in which colleagues of different generations and departments teach each other. Tell us what you can teach and what you want to learn, or let us know that you cannot take part this time.',
      'goal-setting':
        'Accept your pairing, then set one to three personal goals for this cycle and rate your skills today: the baseline you will compare against at the end.',
      run: 'A quick check-in: did you and your partner meet since the last one? One click is enough.',
      measure: 'The mentoring period is over. Rate your skills again and say how far you reached each goal.',
      feedback: 'What worked, what should we keep, what would you like more of? Which skills does the organization lack? Your answers shape the next cycle.',
    },
    /** One-click answers under the button: the link opens the form with the answer chosen, to confirm. */
    quick: { enrollment: '', 'goal-setting': '', run: 'We met (log it in one click)', measure: '', feedback: '' },
    goals: 'The program’s goals and expectations',
    action: {
      enrollment: 'Join or decline',
      'goal-setting': 'Accept and set my goals',
      run: 'Check in',
      measure: 'Rate my progress',
      feedback: 'Give feedback',
    },
    leave: 'Do not want to take part any more? Leave the program',
    why: 'You receive this email because your organization enrolled you in this mentoring program.',
  },
  'pt-BR': {
    greeting: 'Olá {{{name}}},',
    greetingHtml: 'Olá {{{h.name}}},',
    reminder: 'Lembrete: falta(m) {{{timeLeft}}} para responder.',
    partner: '{{#if manyPartners}}Suas duplas{{else}}Sua dupla{{/if}} neste ciclo: {{{partners}}}.',
    partnerHtml: '{{#if manyPartners}}Suas duplas{{else}}Sua dupla{{/if}} neste ciclo: <strong>{{{h.partners}}}</strong>.',
    rematch: 'Sua primeira dupla não pôde participar, então formamos uma nova dupla para você.',
    newPartner: 'A primeira dupla de um(a) colega não pôde participar, então agora vocês formam uma dupla.',
    askedAgain:
      'Você tinha aceitado a primeira dupla. Suas metas e a avaliação das suas habilidades foram mantidas (são sobre você) e podem ser alteradas; a nova dupla precisa da sua resposta: aceite sua nova dupla, ou recuse.',
    askedAgainAction: 'Aceitar ou recusar a nova dupla',
    deadline: 'Responda até {{{deadline}}}.',
    reminderPrefix: 'Lembrete: ',
    nudgeSubject: '{{{program}}}: hora do primeiro encontro',
    nudge:
      'Ainda não há nenhum encontro registrado para a sua dupla. Combinem um encontro nesta semana; depois de se encontrarem, registrem na página da dupla (ou respondam “nos encontramos” no próximo acompanhamento).',
    nudgeAction: 'Abrir a página da dupla',
    pairPage: 'A página da sua dupla (dupla, metas, encontros, próximo acompanhamento)',
    subjects: {
      enrollment: '{{{program}}}: participe do programa de mentoria',
      'goal-setting': '{{{program}}}: conheça sua dupla e defina suas metas',
      run: '{{{program}}}: acompanhamento {{{round}}} — vocês se encontraram?',
      measure: '{{{program}}}: até onde você chegou?',
      feedback: '{{{program}}}: conte o que funcionou',
    },
    bodies: {
      enrollment:
        'Você foi convidado(a) para um programa de mentoria em que colegas de gerações e áreas diferentes ensinam uns aos outros. Conte o que você pode ensinar e o que quer aprender, ou avise que não pode participar desta vez.',
      'goal-setting':
        'Aceite a dupla e defina de uma a três metas pessoais para este ciclo; depois avalie suas habilidades hoje: é a linha de base para comparar no final.',
      run: 'Um acompanhamento rápido: você e sua dupla se encontraram desde o último? Um clique basta.',
      measure: 'O período de mentoria terminou. Avalie de novo suas habilidades e diga até onde chegou em cada meta.',
      feedback: 'O que funcionou, o que manter, do que você gostaria mais? Que habilidades faltam na organização? Suas respostas moldam o próximo ciclo.',
    },
    quick: { enrollment: '', 'goal-setting': '', run: 'Nos encontramos (registre com um clique)', measure: '', feedback: '' },
    goals: 'Metas e expectativas do programa',
    action: {
      enrollment: 'Participar ou recusar',
      'goal-setting': 'Aceitar e definir minhas metas',
      run: 'Responder',
      measure: 'Avaliar meu progresso',
      feedback: 'Dar feedback',
    },
    leave: 'Não quer mais participar? Sair do programa',
    why: 'Você recebe este email porque sua organização inscreveu você neste programa de mentoria.',
  },
} as const;

const ifBlock = (flag: string, body: string) => `<mj-raw>{{#if ${flag}}}</mj-raw>${body}<mj-raw>{{/if}}</mj-raw>`;

/** The subject line of a template (Handlebars). */
export function subjectSource(kind: EmailTemplateKind, language: Language): string {
  const c = EMAIL_COPY[language];
  return `{{#if nudge}}${c.nudgeSubject}{{else}}{{#if reminder}}${c.reminderPrefix}{{/if}}${c.subjects[kind]}{{/if}}`;
}

/** The plain-text part of a template (Handlebars). */
export function textSource(kind: EmailTemplateKind, language: Language): string {
  const c = EMAIL_COPY[language];
  return [
    c.greeting,
    '',
    '{{#if reminder}}',
    c.reminder,
    '',
    '{{/if}}',
    '{{#if rematch}}',
    c.rematch,
    '',
    '{{/if}}',
    '{{#if newPartner}}',
    c.newPartner,
    '',
    '{{/if}}',
    '{{#if partners}}',
    c.partner,
    '',
    '{{/if}}',
    '{{#if nudge}}',
    c.nudge,
    '',
    '{{else}}',
    '{{#if askedAgain}}',
    c.askedAgain,
    '{{else}}',
    c.bodies[kind],
    '{{/if}}',
    '',
    c.deadline,
    '',
    '{{/if}}',
    '{{#if goals}}',
    `${c.goals}:`,
    '{{{goals}}}',
    '',
    '{{/if}}',
    `{{#if nudge}}${c.nudgeAction}{{else}}{{#if askedAgain}}${c.askedAgainAction}{{else}}${c.action[kind]}{{/if}}{{/if}}: {{{link}}}`,
    '',
    ...(c.quick[kind] ? ['{{#unless nudge}}', `${c.quick[kind]}: {{{link}}}?answer=met`, '', '{{/unless}}'] : []),
    // The nudge's button already opens the pair page.
    '{{#unless nudge}}',
    '{{#if pairPage}}',
    `${c.pairPage}: {{{pairPage}}}`,
    '',
    '{{/if}}',
    '{{/unless}}',
    '--',
    `${c.leave}: {{{optOut}}}`,
    c.why,
    '',
  ].join('\n');
}

/** The MJML source of a template's HTML part: one column, one button, readable from 320 px up. */
export function mjmlSource(kind: EmailTemplateKind, language: Language): string {
  // In the HTML part every value comes from `h`, the HTML-escaped copy of the data.
  return mjmlWithRawValues(kind, language).replace(/\{\{\{(?!h\.)([\w]+)\}\}\}/g, '{{{h.$1}}}');
}

function mjmlWithRawValues(kind: EmailTemplateKind, language: Language): string {
  const c = EMAIL_COPY[language];
  return `<mjml lang="${language}">
  <mj-head>
    <mj-title>${c.subjects[kind]}</mj-title>
    <mj-preview>${c.bodies[kind]}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Arial, Helvetica, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#1a1a1a" padding="6px 24px" />
      <mj-button background-color="#00664d" color="#ffffff" font-size="17px" font-weight="bold" border-radius="6px" inner-padding="14px 24px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f2f4f3" width="600px">
    <mj-section padding="16px 0 0"><mj-column><mj-text font-size="14px" color="#3d4a45" padding="6px 24px">{{{h.program}}}</mj-text></mj-column></mj-section>
    <mj-section background-color="#ffffff" padding="16px 0" border-radius="8px">
      <mj-column>
        <mj-text>${c.greetingHtml}</mj-text>
        ${ifBlock('reminder', `<mj-text><strong>${c.reminder}</strong></mj-text>`)}
        ${ifBlock('rematch', `<mj-text>${c.rematch}</mj-text>`)}
        ${ifBlock('newPartner', `<mj-text>${c.newPartner}</mj-text>`)}
        ${ifBlock('partners', `<mj-text>${c.partnerHtml}</mj-text>`)}
        <mj-raw>{{#if nudge}}</mj-raw><mj-text>${c.nudge}</mj-text><mj-raw>{{else}}</mj-raw>
        <mj-raw>{{#if askedAgain}}</mj-raw><mj-text>${c.askedAgain}</mj-text><mj-raw>{{else}}</mj-raw><mj-text>${c.bodies[kind]}</mj-text><mj-raw>{{/if}}</mj-raw>
        <mj-text>${c.deadline}</mj-text><mj-raw>{{/if}}</mj-raw>
        ${ifBlock('goals', `<mj-text><h2 style="font-size:17px;margin:8px 0 4px">${c.goals}</h2><p style="margin:0;white-space:pre-line">{{{h.goals}}}</p></mj-text>`)}
        <mj-button href="{{{h.link}}}" padding="16px 24px">{{#if nudge}}${c.nudgeAction}{{else}}{{#if askedAgain}}${c.askedAgainAction}{{else}}${c.action[kind]}{{/if}}{{/if}}</mj-button>
        ${c.quick[kind] ? `<mj-raw>{{#unless nudge}}</mj-raw><mj-text align="center"><a href="{{{h.link}}}?answer=met" style="color:#00664d">${c.quick[kind]}</a></mj-text><mj-raw>{{/unless}}</mj-raw>` : ''}
        <mj-raw>{{#unless nudge}}{{#if pairPage}}</mj-raw><mj-text align="center"><a href="{{{h.pairPage}}}" style="color:#00664d">${c.pairPage}</a></mj-text><mj-raw>{{/if}}{{/unless}}</mj-raw>
      </mj-column>
    </mj-section>
    <mj-section padding="8px 0 16px">
      <mj-column>
        <mj-text font-size="13px" color="#3d4a45"><a href="{{{h.optOut}}}" style="color:#3d4a45">${c.leave}</a>. ${c.why}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}
