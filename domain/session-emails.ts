import { escapeHtml } from './html.ts';
import type { Language, Skill } from './program.ts';
import type { InfoSession, SessionPlacing } from './sessions.ts';
import { skillLabel } from './skills.ts';
import type { EmailContent } from './summary-email.ts';

/**
 * The session emails, written out rather than SES templates: each carries one session's own texts
 * (title, description, place) and its calendar file, so a template would hold no more than the
 * words below while adding a deployed resource per session kind and language.
 */

export type SessionEmailKind = 'announcement' | 'promoted' | 'cancelled' | 'moved';

/** Where the reader of a moved session's email stands: their seat, their place in line, or invited and yet to answer. */
export type SessionStanding = 'registered' | 'waitlisted' | 'invited';

const words = {
  en: {
    subject: {
      announcement: (t: string) => `Informational session: ${t}`,
      promoted: (t: string) => `A seat is yours: ${t}`,
      cancelled: (t: string) => `Cancelled: ${t}`,
      moved: (t: string) => `Changed: ${t}`,
    },
    greeting: (name: string) => `Hello ${name},`,
    intro: {
      announcement: (program: string) => `${program} invites you to an informational session, a chance to learn next to your mentoring pair.`,
      promoted: () => 'A seat became free and you were first on the waiting list: you are now registered for this session.',
      cancelled: () => 'This informational session, for which you had a seat or a place on the waiting list, has been cancelled.',
      cancelledInvited: () => 'This informational session, to which you were invited, has been cancelled.',
      moved: () => 'This informational session has changed: below are its date, time and place as they are now.',
    },
    reason: 'Why',
    originally: 'First announced for',
    when: 'When',
    duration: (minutes: number) => `${minutes} minutes`,
    where: 'Where',
    video: 'Video link',
    skills: 'Skills',
    seats: (n: number) => `${n} seats; when they are taken you can join the waiting list.`,
    action: {
      announcement: 'Register or decline on the session page:',
      promoted: 'If you can no longer come, free your seat on the session page:',
      cancelled: 'Nothing to do: your seat or place in line is released.',
      cancelledInvited: 'Nothing to do: there is nothing left to answer.',
      moved: {
        registered: 'Your seat is kept. If you can no longer come, free it on the session page:',
        waitlisted: 'Your place on the waiting list is kept. To leave the line, answer on the session page:',
        invited: 'Register or decline on the session page:',
      },
    },
    calendar: {
      announcement: 'The attached calendar file adds the session to your calendar.',
      promoted: 'The attached calendar file adds the session to your calendar.',
      cancelled: 'The attached calendar file cancels the event in your calendar (open it if your calendar does not do so by itself).',
      moved: 'The attached calendar file moves the event in your calendar, or adds it (open it if your calendar does not update by itself).',
    },
  },
  'pt-BR': {
    subject: {
      announcement: (t: string) => `Sessão informativa: ${t}`,
      promoted: (t: string) => `Sua vaga está garantida: ${t}`,
      cancelled: (t: string) => `Cancelada: ${t}`,
      moved: (t: string) => `Alterada: ${t}`,
    },
    greeting: (name: string) => `Olá, ${name},`,
    intro: {
      announcement: (program: string) => `${program} convida você para uma sessão informativa, uma oportunidade de aprender além da sua dupla de mentoria.`,
      promoted: () => 'Uma vaga foi liberada e você era a primeira pessoa da lista de espera: agora sua inscrição nesta sessão está confirmada.',
      cancelled: () => 'Esta sessão informativa, para a qual você tinha uma vaga ou um lugar na lista de espera, foi cancelada.',
      cancelledInvited: () => 'Esta sessão informativa, para a qual você recebeu um convite, foi cancelada.',
      moved: () => 'Esta sessão informativa mudou: abaixo estão a data, o horário e o local como estão agora.',
    },
    reason: 'Motivo',
    originally: 'Anunciada inicialmente para',
    when: 'Quando',
    duration: (minutes: number) => `${minutes} minutos`,
    where: 'Onde',
    video: 'Link do vídeo',
    skills: 'Habilidades',
    seats: (n: number) => `${n} vagas; quando acabarem, você pode entrar na lista de espera.`,
    action: {
      announcement: 'Inscreva-se ou recuse na página da sessão:',
      promoted: 'Se não puder mais ir, libere sua vaga na página da sessão:',
      cancelled: 'Nada a fazer: sua vaga ou seu lugar na lista foi liberado.',
      cancelledInvited: 'Nada a fazer: não há mais nada a responder.',
      moved: {
        registered: 'Sua vaga continua garantida. Se não puder mais ir, libere-a na página da sessão:',
        waitlisted: 'Seu lugar na lista de espera continua. Para sair da lista, responda na página da sessão:',
        invited: 'Inscreva-se ou recuse na página da sessão:',
      },
    },
    calendar: {
      announcement: 'O arquivo de calendário anexo adiciona a sessão à sua agenda.',
      promoted: 'O arquivo de calendário anexo adiciona a sessão à sua agenda.',
      cancelled: 'O arquivo de calendário anexo cancela o evento na sua agenda (abra-o se a agenda não fizer isso sozinha).',
      moved: 'O arquivo de calendário anexo muda o evento na sua agenda, ou o adiciona (abra-o se a agenda não se atualizar sozinha).',
    },
  },
} as const;

/**
 * A session's date and time in its own time zone, in the reader's language ("10 de março de 2027 14:00
 * (America/Sao_Paulo)"). When the clocks go back, an hour of wall-clock time happens twice (1:30 AM
 * on 7 November 2027 in New York, first at UTC-04:00, then at UTC-05:00): such a time also names its
 * offset, so that the two read apart.
 */
export function sessionTime(session: Pick<InfoSession, 'startsAt' | 'timeZone'>, language: Language): string {
  const formatted = new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short', timeZone: session.timeZone }).format(new Date(session.startsAt));
  const offset = repeatedWallTime(session.startsAt, session.timeZone) ? `, UTC${offsetText(offsetMinutes(session.startsAt, session.timeZone))}` : '';
  return `${formatted} (${session.timeZone}${offset})`;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** A time zone's offset from UTC at an instant, in minutes (-180 for São Paulo). */
function offsetMinutes(epochMs: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  // "GMT-03:00", or "GMT" at UTC itself.
  const name = format.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** "-04:00", "+05:30", "+00:00". */
const offsetText = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

/**
 * Whether the wall-clock time of an instant also shows at another instant in its zone: within hours
 * of a change of offset, the same wall time under the other offset is a real instant too.
 */
function repeatedWallTime(epochMs: number, timeZone: string): boolean {
  const here = offsetMinutes(epochMs, timeZone);
  const HOURS = 6 * 3_600_000;
  return [epochMs - HOURS, epochMs + HOURS].some((probe) => {
    const other = offsetMinutes(probe, timeZone);
    return other !== here && offsetMinutes(epochMs + (here - other) * 60_000, timeZone) === other;
  });
}

/** The skills a session covers, as the reader reads them. */
export function sessionSkillLabels(session: Pick<InfoSession, 'skills'>, catalog: readonly Skill[], language: Language): string[] {
  return session.skills.map((id) => {
    const skill = catalog.find((s) => s.id === id);
    return skill ? skillLabel(skill, language) : id;
  });
}

export interface SessionEmailInput {
  kind: SessionEmailKind;
  language: Language;
  programName: string;
  recipientName: string;
  session: InfoSession;
  catalog: readonly Skill[];
  link: string;
  /** For a moved session: where the reader stands, and where and when it was first announced (shown when its time or place changed since). */
  moved?: { standing: SessionStanding; original?: SessionPlacing };
  /** For a cancelled session: where the reader stood (someone invited who never answered had no seat to release). */
  standing?: SessionStanding;
}

/** An announcement of a session, the news that a waiting person got a seat, that it was cancelled or moved, in the reader's language. */
export function sessionEmail(input: SessionEmailInput): EmailContent {
  const w = words[input.language];
  const s = input.session;
  // Where and when it was first announced, when a move changed that (every reader got the first announcement): a new video link alone needs none.
  const original = input.moved?.original;
  const placeChanged = original?.place !== undefined && original.place !== s.place;
  const originalTime =
    original && `${sessionTime({ startsAt: original.startsAt, timeZone: s.timeZone }, input.language)}, ${w.duration(original.durationMinutes)}`;
  const earlier: Array<[string, string]> =
    original && (original.startsAt !== s.startsAt || original.durationMinutes !== s.durationMinutes || placeChanged)
      ? [[w.originally, `${originalTime}${placeChanged ? ` · ${original.place}` : ''}`]]
      : [];
  const details: Array<[string, string]> = [
    [w.when, `${sessionTime(s, input.language)}, ${w.duration(s.durationMinutes)}`],
    ...earlier,
    ...(s.place ? [[w.where, s.place] as [string, string]] : []),
    // A cancelled session's call will not take place: its link is left out.
    ...(s.videoLink && input.kind !== 'cancelled' ? [[w.video, s.videoLink] as [string, string]] : []),
    [w.skills, sessionSkillLabels(s, input.catalog, input.language).join(', ')],
  ];
  const cancelled = input.kind === 'cancelled';
  const invited = cancelled && input.standing === 'invited';
  const intro = input.kind === 'announcement' ? w.intro.announcement(input.programName) : invited ? w.intro.cancelledInvited() : w.intro[input.kind]();
  // A cancellation names HR's reason and carries no link: there is nothing left to answer on the session page.
  const reason = cancelled && s.cancelReason ? [[w.reason, s.cancelReason] as [string, string]] : [];
  const action = input.kind === 'moved' ? w.action.moved[input.moved?.standing ?? 'invited'] : invited ? w.action.cancelledInvited : w.action[input.kind];
  const text = [
    w.greeting(input.recipientName),
    '',
    intro,
    '',
    s.title,
    ...(cancelled ? [] : [s.description]),
    '',
    ...[...reason, ...details].map(([k, v]) => `${k}: ${v}`),
    ...(input.kind === 'announcement' ? [w.seats(s.capacity)] : []),
    '',
    action,
    ...(cancelled ? [] : [input.link]),
    '',
    w.calendar[input.kind],
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${input.language}"><body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">`,
    `<p>${escapeHtml(w.greeting(input.recipientName))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h1 style="font-size:1.3rem">${escapeHtml(s.title)}</h1>`,
    ...(cancelled ? [] : [`<p style="white-space:pre-line">${escapeHtml(s.description)}</p>`]),
    '<table>',
    ...[...reason, ...details].map(
      ([k, v]) =>
        `<tr><th style="text-align:left;padding-right:1rem;vertical-align:top">${escapeHtml(k)}</th><td style="white-space:pre-line">${escapeHtml(v)}</td></tr>`,
    ),
    '</table>',
    ...(input.kind === 'announcement' ? [`<p>${escapeHtml(w.seats(s.capacity))}</p>`] : []),
    cancelled ? `<p>${escapeHtml(action)}</p>` : `<p>${escapeHtml(action)}<br><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>`,
    `<p style="color:#3d4a45">${escapeHtml(w.calendar[input.kind])}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: w.subject[input.kind](s.title), text, html };
}
