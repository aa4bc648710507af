import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod } from 'ical-generator';
import type { MeetingSlot } from './availability.ts';
import { durationToSeconds } from './duration.ts';
import { timeLeftInWords } from './duration-format.ts';
import { escapeHtml } from './html.ts';
import type { Language } from './program.ts';
import type { EmailContent } from './summary-email.ts';

/**
 * The introduction each member of a pair receives once both accepted: who the partner is and how
 * to reach them, what each teaches and learns, both members' goals, what the program expects, an
 * agenda for the first meeting and a proposed time for it (the .ics). It is written out rather than
 * an SES template because almost all of it is this pair's own text, and it carries an attachment.
 */

export const DEFAULT_FIRST_MEETING_AGENDA: Record<Language, string> = {
  'pt-BR':
    '1. Apresentem-se: trajetória, área e o que cada um faz no dia a dia (10 min).\n' +
    '2. Leiam as metas de cada um e escolham por onde começar (15 min).\n' +
    '3. Combinem como e quando vão se encontrar (presencial ou vídeo, a cada quanto tempo) (10 min).\n' +
    '4. Marquem o próximo encontro antes de sair (5 min).',
  en:
    '1. Introduce yourselves: career, department and what each of you does day to day (10 min).\n' +
    '2. Read each other’s goals and choose where to start (15 min).\n' +
    '3. Agree how and when you will meet (in person or video, how often) (10 min).\n' +
    '4. Book the next meeting before you leave (5 min).',
};

/** How long the proposed first meeting lasts. */
export const FIRST_MEETING_MINUTES = 45;

export interface IntroductionPerson {
  name: string;
  email: string;
  department: string;
  language: Language;
  timeZone: string;
  goals: readonly string[];
}

export interface IntroductionInput {
  programName: string;
  /** Cycle and pair: the calendar event's stable uid. */
  cycleId: string;
  pairId: string;
  recipient: IntroductionPerson;
  partner: IntroductionPerson;
  /** Skill labels in the recipient's language. */
  teaches: readonly string[];
  learns: readonly string[];
  checkInCadence: string;
  runDuration: string;
  agenda: string;
  hrContact: string;
  /** The proposed first meeting; none when the two share no available time in the next weeks. */
  meeting?: MeetingSlot;
  /** The recipient's signed pair page (contact, goals, meetings, logging a meeting). */
  pairPage?: string;
}

const LANGUAGE_NAMES: Record<Language, Record<Language, string>> = {
  en: { en: 'English', 'pt-BR': 'Portuguese (Brazil)' },
  'pt-BR': { en: 'inglês', 'pt-BR': 'português (Brasil)' },
};

const texts = {
  en: {
    subject: (partner: string) => `Meet ${partner}, your mentoring partner`,
    greeting: (name: string) => `Hello ${name},`,
    intro: (partner: string, program: string) => `You and ${partner} have both accepted your pairing in ${program}. Time to meet!`,
    partnerHeading: 'Your partner',
    email: 'Email',
    department: 'Department',
    language: 'Preferred language',
    replyHint: 'Replying to this email reaches your partner.',
    teaches: 'You teach',
    learns: 'You learn',
    yourGoals: 'Your goals',
    partnerGoals: (partner: string) => `${partner}’s goals`,
    noGoals: 'not set yet',
    expectationsHeading: 'What the program expects',
    expectations: (cadence: string, duration: string) => `Meet at least once every ${cadence}, for ${duration}. Each check-in email asks whether you met.`,
    agendaHeading: 'Agenda for your first meeting',
    meetingHeading: 'Proposed first meeting',
    meeting: (when: string, zone: string) =>
      `${when} (${zone}). The calendar file attached adds it to your calendar; either of you can move it — just agree on a new time.`,
    noMeeting: 'Your available hours do not overlap in the next weeks: agree on a time together.',
    help: (hr: string) => `Need help? Write to HR at ${hr}.`,
    pairPageHeading: 'Your pair page',
    pairPage: 'Your pair’s page shows all of this, the meetings you log and the next check-in; log a meeting there any time:',
    eventTitle: (partner: string) => `Mentoring: first meeting with ${partner}`,
  },
  'pt-BR': {
    subject: (partner: string) => `Conheça ${partner}, sua dupla de mentoria`,
    greeting: (name: string) => `Olá, ${name},`,
    intro: (partner: string, program: string) => `Você e ${partner} aceitaram a dupla em ${program}. Hora de se encontrarem!`,
    partnerHeading: 'Sua dupla',
    email: 'E-mail',
    department: 'Área',
    language: 'Idioma preferido',
    replyHint: 'Responder a este e-mail chega à sua dupla.',
    teaches: 'Você ensina',
    learns: 'Você aprende',
    yourGoals: 'Suas metas',
    partnerGoals: (partner: string) => `Metas de ${partner}`,
    noGoals: 'ainda não definidas',
    expectationsHeading: 'O que o programa espera',
    expectations: (cadence: string, duration: string) =>
      `Encontrem-se pelo menos uma vez a cada ${cadence}, durante ${duration}. Cada e-mail de acompanhamento pergunta se vocês se encontraram.`,
    agendaHeading: 'Pauta do primeiro encontro',
    meetingHeading: 'Primeiro encontro proposto',
    meeting: (when: string, zone: string) =>
      `${when} (${zone}). O arquivo de calendário anexo o adiciona à sua agenda; qualquer um dos dois pode mudá-lo — basta combinar outro horário.`,
    noMeeting: 'Seus horários disponíveis não coincidem nas próximas semanas: combinem um horário juntos.',
    help: (hr: string) => `Precisa de ajuda? Escreva para o RH em ${hr}.`,
    pairPageHeading: 'A página da sua dupla',
    pairPage: 'A página da sua dupla mostra tudo isto, os encontros registrados e o próximo acompanhamento; registre um encontro lá a qualquer momento:',
    eventTitle: (partner: string) => `Mentoria: primeiro encontro com ${partner}`,
  },
} satisfies Record<Language, unknown>;

function inWords(isoDuration: string, language: Language): string {
  return timeLeftInWords(durationToSeconds(isoDuration) * 1000, language);
}

function meetingTime(slot: MeetingSlot, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(slot.start);
}

/** The introduction's subject and bodies, in the recipient's language. */
export function introductionEmail(input: IntroductionInput): EmailContent {
  const { recipient, partner } = input;
  const language = recipient.language;
  const c = texts[language];
  const goals = (list: readonly string[]) => (list.length ? list : [c.noGoals]);
  const sections: Array<{ heading: string; lines: readonly string[] }> = [
    {
      heading: c.partnerHeading,
      lines: [
        partner.name,
        `${c.email}: ${partner.email}`,
        `${c.department}: ${partner.department}`,
        `${c.language}: ${LANGUAGE_NAMES[language][partner.language]}`,
        c.replyHint,
      ],
    },
    ...(input.teaches.length ? [{ heading: c.teaches, lines: [input.teaches.join(', ')] }] : []),
    ...(input.learns.length ? [{ heading: c.learns, lines: [input.learns.join(', ')] }] : []),
    { heading: c.yourGoals, lines: goals(recipient.goals) },
    { heading: c.partnerGoals(partner.name), lines: goals(partner.goals) },
    { heading: c.expectationsHeading, lines: [c.expectations(inWords(input.checkInCadence, language), inWords(input.runDuration, language))] },
    { heading: c.agendaHeading, lines: input.agenda.split('\n') },
    {
      heading: c.meetingHeading,
      lines: [input.meeting ? c.meeting(meetingTime(input.meeting, language, recipient.timeZone), recipient.timeZone) : c.noMeeting],
    },
    ...(input.pairPage ? [{ heading: c.pairPageHeading, lines: [c.pairPage, input.pairPage] }] : []),
  ];
  const intro = [c.greeting(recipient.name), c.intro(partner.name, input.programName)];
  const footer = c.help(input.hrContact);
  const text = [...intro, '', ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `  ${l}`), '']), footer].join('\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif;line-height:1.5;max-width:40rem">`,
    ...intro.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...sections.map(
      (s) =>
        `<h2 style="font-size:1.1rem">${escapeHtml(s.heading)}</h2>${s.lines.map((l) => `<p style="margin:0.2rem 0">${/^https?:\/\//.test(l) ? `<a href="${escapeHtml(l)}">${escapeHtml(l)}</a>` : escapeHtml(l)}</p>`).join('')}`,
    ),
    `<p>${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: c.subject(partner.name), text, html };
}

/**
 * The first meeting as an iCalendar file, written by ical-generator, Tandem's one calendar writer (no dependencies;
 * `ics`, used before for sessions, pulls in yup and pushed the phase-tick bundle over its budget). Published (METHOD:PUBLISH) rather
 * than sent as an organizer's request: each member owns their copy and can move it.
 */
export function firstMeetingCalendar(input: IntroductionInput & { meeting: MeetingSlot }): string {
  const c = texts[input.recipient.language];
  const calendar = ical({ prodId: { company: 'Tandem', product: 'introductions' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: `${input.cycleId}.${input.pairId}.first-meeting@tandem`,
    summary: c.eventTitle(input.partner.name),
    description: input.agenda,
    start: new Date(input.meeting.start),
    end: new Date(input.meeting.end),
    attendees: [input.recipient, input.partner].map((p) => ({
      name: p.name,
      email: p.email,
      rsvp: true,
      status: ICalAttendeeStatus.NEEDSACTION,
      role: ICalAttendeeRole.REQ,
    })),
  });
  return calendar.toString();
}
