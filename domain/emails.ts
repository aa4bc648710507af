import { escapeHtml } from './html.ts';
import type { AnsweredPhase, Language } from './program.ts';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface InvitationInput {
  kind: AnsweredPhase;
  language: Language;
  programName: string;
  recipientName: string;
  /** The program's goals and expectations (goal-setting only). */
  goalsAndExpectations?: string;
  partners: Array<{ name: string; role: 'mentor' | 'mentee' }>;
  link: string;
  deadline: Date;
  round?: number;
  /** Set for a reminder: how long is left, in words. */
  reminderTimeLeft?: string;
}

const copy = {
  en: {
    greeting: (name: string) => `Hello ${name},`,
    partner: (names: string, count: number) => `Your partner${count > 1 ? 's' : ''} in this cycle: ${names}.`,
    deadline: (date: string) => `Please answer by ${date}.`,
    reminder: (left: string) => `Reminder: ${left} left to answer.`,
    subjects: {
      'goal-setting': (program: string) => `${program}: meet your partner and set your goals`,
      run: (program: string, round?: number) => `${program}: check-in${round ? ` ${round}` : ''} — have you met?`,
      measure: (program: string) => `${program}: how far did you get?`,
      feedback: (program: string) => `${program}: tell us what worked`,
    },
    bodies: {
      'goal-setting': 'Set one to three personal goals for this cycle and rate your skills today: the baseline you will compare against at the end.',
      run: 'A quick check-in: did you and your partner meet since the last one? One click is enough.',
      measure: 'The mentoring period is over. Rate your skills again and say how far you reached each goal.',
      feedback: 'What worked, what should we keep, what would you like more of? Which skills does the organization lack? Your answers shape the next cycle.',
    },
    goals: 'The program’s goals and expectations',
    action: { 'goal-setting': 'Set my goals', run: 'Check in', measure: 'Rate my progress', feedback: 'Give feedback' },
    leave: 'Do not want to take part? Reply to this email and HR will take you off the program.',
  },
  'pt-BR': {
    greeting: (name: string) => `Olá ${name},`,
    partner: (names: string, count: number) => `${count > 1 ? 'Suas duplas' : 'Sua dupla'} neste ciclo: ${names}.`,
    deadline: (date: string) => `Responda até ${date}.`,
    reminder: (left: string) => `Lembrete: falta(m) ${left} para responder.`,
    subjects: {
      'goal-setting': (program: string) => `${program}: conheça sua dupla e defina suas metas`,
      run: (program: string, round?: number) => `${program}: acompanhamento${round ? ` ${round}` : ''} — vocês se encontraram?`,
      measure: (program: string) => `${program}: até onde você chegou?`,
      feedback: (program: string) => `${program}: conte o que funcionou`,
    },
    bodies: {
      'goal-setting': 'Defina de uma a três metas pessoais para este ciclo e avalie suas habilidades hoje: é a linha de base para comparar no final.',
      run: 'Um acompanhamento rápido: você e sua dupla se encontraram desde o último? Um clique basta.',
      measure: 'O período de mentoria terminou. Avalie de novo suas habilidades e diga até onde chegou em cada meta.',
      feedback: 'O que funcionou, o que manter, do que você gostaria mais? Que habilidades faltam na organização? Suas respostas moldam o próximo ciclo.',
    },
    goals: 'Metas e expectativas do programa',
    action: { 'goal-setting': 'Definir minhas metas', run: 'Responder', measure: 'Avaliar meu progresso', feedback: 'Dar feedback' },
    leave: 'Não quer participar? Responda a este email e o RH tira você do programa.',
  },
} as const;

function formatDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

/** An invitation or reminder to answer one phase, in the participant's language. */
export function invitationEmail(input: InvitationInput): EmailContent {
  const c = copy[input.language];
  const subjectBase = c.subjects[input.kind](input.programName, input.round);
  const subject = input.reminderTimeLeft ? `${input.language === 'en' ? 'Reminder' : 'Lembrete'}: ${subjectBase}` : subjectBase;
  const partnerNames = input.partners.map((p) => p.name).join(', ');
  const paragraphs = [
    c.greeting(input.recipientName),
    ...(input.reminderTimeLeft ? [c.reminder(input.reminderTimeLeft)] : []),
    ...(partnerNames ? [c.partner(partnerNames, input.partners.length)] : []),
    c.bodies[input.kind],
    c.deadline(formatDate(input.deadline, input.language)),
  ];
  const goals = input.goalsAndExpectations ? `${c.goals}:\n${input.goalsAndExpectations}` : undefined;
  const text = [...paragraphs, ...(goals ? [goals] : []), `${c.action[input.kind]}: ${input.link}`, c.leave].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5;max-width:36rem">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(input.goalsAndExpectations
      ? [`<h2 style="font-size:1rem">${escapeHtml(c.goals)}</h2><p>${escapeHtml(input.goalsAndExpectations).replace(/\n/g, '<br>')}</p>`]
      : []),
    `<p><a href="${escapeHtml(input.link)}" style="display:inline-block;padding:.6rem 1rem;background:#0b5;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(c.action[input.kind])}</a></p>`,
    `<p style="color:#555;font-size:.85rem">${escapeHtml(c.leave)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Time left before a deadline, in words ("2 days", "3 hours", "45 seconds"). */
export function timeLeftInWords(ms: number, language: Language): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const units: Array<[number, string, string]> =
    language === 'en'
      ? [[86400, 'day', 'days'], [3600, 'hour', 'hours'], [60, 'minute', 'minutes'], [1, 'second', 'seconds']]
      : [[86400, 'dia', 'dias'], [3600, 'hora', 'horas'], [60, 'minuto', 'minutos'], [1, 'segundo', 'segundos']];
  for (const [size, one, many] of units) {
    if (seconds >= size || size === 1) {
      const n = Math.floor(seconds / size);
      return `${n} ${n === 1 ? one : many}`;
    }
  }
  return '';
}

export interface SummaryLine {
  label: string;
  value: string;
}

/** A plain summary email for HR or ops. */
export function summaryEmail(subject: string, intro: string, lines: SummaryLine[], footer?: string): EmailContent {
  const text = [intro, '', ...lines.map((l) => `${l.label}: ${l.value}`), ...(footer ? ['', footer] : [])].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(intro)}</p>`,
    '<table>',
    ...lines.map((l) => `<tr><th style="text-align:left;padding-right:1rem">${escapeHtml(l.label)}</th><td>${escapeHtml(l.value)}</td></tr>`),
    '</table>',
    ...(footer ? [`<p>${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
