import type { Cycle, Member } from '../domain/cycle.ts';
import { escapeHtml } from '../domain/html.ts';
import type { Language } from '../domain/program.ts';
import { sessionSkillLabels, sessionTime } from '../domain/session-emails.ts';
import { sessionIdOfLinkKey, waitingLine, waitingPosition, type InfoSession, type SessionRegistration } from '../domain/sessions.ts';
import { formFields } from '../domain/surveys.ts';
import { bindingMatches, formBinding } from './form-binding.ts';
import type { PageResult } from './phases/survey-types.ts';
import { leftTheProgram } from './phases/members.ts';
import { sendSessionEmail, type SessionMailDeps } from './session-mail.ts';
import { activeOnRoster, declineAndPromote, registerInTurn } from './session-seats.ts';
import { hiddenFields, layout, noticePage } from './survey-pages.ts';

/**
 * The session page behind a session link (`/session/<token>`): what the session is, the person's
 * place (registered, waiting, declined) and the seats left. GET only renders; POST registers
 * (a seat, or the waiting list when the seats are taken or people wait) or declines — a freed seat
 * goes to the first active person in line, who is told by email (services/session-seats.ts).
 */

const t = {
  en: {
    when: 'When',
    where: 'Where',
    video: 'Video link',
    skills: 'Skills',
    minutes: (n: number) => `${n} minutes`,
    seats: (free: number, capacity: number) =>
      free > 0 ? `${free} of ${capacity} seats free.` : `All seats (${capacity}) are taken; you can join the waiting list.`,
    status: {
      none: 'You have not answered yet.',
      registered: 'You are registered. See you there!',
      waitlisted: (n: number) => `You are on the waiting list (number ${n} in line). If a seat comes free, it is yours and we will email you.`,
      waitlistedUnreachable:
        'You are on the waiting list, but our emails to your address could not be delivered: until HR corrects it, a seat that comes free goes to the next person in line.',
      declined: 'You declined this session. You can still register while seats or the waiting list are open.',
    },
    register: 'Register',
    join: 'Join the waiting list',
    decline: 'I will not attend',
    leave: 'Free my seat',
    leaveLine: 'Leave the waiting list',
    yourAnswer: 'Your answer',
    over: 'This session has started, so registration is closed.',
    cycleEnded: 'The program cycle this session belongs to has ended, so the session takes no more answers.',
    cancelled: 'This session was cancelled, so it takes no answers. Why:',
    done: {
      registered: 'Done: you are registered.',
      waitlisted: 'The seats were taken, so you are on the waiting list.',
      declined: 'Done: your answer is recorded.',
      'already-registered': 'You were registered already; nothing changed.',
      'already-waitlisted': 'You were on the waiting list already; nothing changed.',
      'already-declined': 'You had declined already; nothing changed.',
    },
  },
  'pt-BR': {
    when: 'Quando',
    where: 'Onde',
    video: 'Link do vídeo',
    skills: 'Habilidades',
    minutes: (n: number) => `${n} minutos`,
    seats: (free: number, capacity: number) =>
      free > 0 ? `${free} de ${capacity} vagas livres.` : `Todas as vagas (${capacity}) estão ocupadas; você pode entrar na lista de espera.`,
    status: {
      none: 'Você ainda não respondeu.',
      registered: 'Sua inscrição está confirmada. Até lá!',
      waitlisted: (n: number) => `Você está na lista de espera (posição ${n}). Se uma vaga for liberada, ela é sua e avisaremos por email.`,
      waitlistedUnreachable:
        'Você está na lista de espera, mas nossos emails para o seu endereço não foram entregues: até o RH corrigi-lo, uma vaga liberada vai para a próxima pessoa da lista.',
      declined: 'Você recusou esta sessão. Ainda pode se inscrever enquanto houver vagas ou lista de espera.',
    },
    register: 'Inscrever-me',
    join: 'Entrar na lista de espera',
    decline: 'Não vou participar',
    leave: 'Liberar minha vaga',
    leaveLine: 'Sair da lista de espera',
    yourAnswer: 'Sua resposta',
    over: 'Esta sessão já começou, então as inscrições estão encerradas.',
    cycleEnded: 'O ciclo do programa a que esta sessão pertence terminou, então a sessão não recebe mais respostas.',
    cancelled: 'Esta sessão foi cancelada, então não recebe mais respostas. Motivo:',
    done: {
      registered: 'Pronto: sua inscrição está confirmada.',
      waitlisted: 'As vagas acabaram, então você entrou na lista de espera.',
      declined: 'Pronto: sua resposta foi registrada.',
      'already-registered': 'Você já estava inscrito; nada mudou.',
      'already-waitlisted': 'Você já estava na lista de espera; nada mudou.',
      'already-declined': 'Você já tinha recusado; nada mudou.',
    },
  },
} as const;

type DoneKind = keyof (typeof t)['en']['done'];

interface SessionVisit {
  cycle: Cycle;
  member: Member;
  session: InfoSession;
  language: Language;
  /** Whether the person is active on the roster: an unreachable one is passed over by the waiting list (services/session-seats.ts). */
  active: boolean;
  token: string;
  action: string;
  /** The forms' binding to this link (services/form-binding.ts). */
  binding: string;
  now: number;
}

const refused = (language: Language | 'both', kind: Parameters<typeof noticePage>[1], status: number): PageResult => ({
  status,
  html: noticePage(language, kind),
});

/** Checks a session link and finds its session and person; anything wrong is a clear page that changes nothing. */
async function resolveVisit(deps: SessionMailDeps, token: string, action: string): Promise<{ visit: SessionVisit } | { page: PageResult }> {
  const now = deps.clock.now();
  const verified = deps.links.signer.verify(token, now);
  if (!verified.ok) return { page: verified.reason === 'expired' ? refused('both', 'expired', 410) : refused('both', 'invalid', 403) };
  const { cycleId, participantId, phaseKey } = verified.scope;
  const sessionId = sessionIdOfLinkKey(phaseKey);
  if (!sessionId) return { page: refused('both', 'invalid', 403) };
  const [cycle, member, session] = await Promise.all([
    deps.store.getCycle(cycleId),
    deps.store.getMember(cycleId, participantId),
    deps.store.getSession(cycleId, sessionId),
  ]);
  if (!cycle || !session) return { page: refused('both', 'missing', 404) };
  if (!member) return { page: refused(cycle.program.language, 'missing', 404) };
  // Someone who left the program is told so, whatever they had answered; nothing changes.
  const entry = await deps.store.getParticipant(cycle.programId, participantId);
  if (leftTheProgram(entry)) return { page: refused(member.language, 'opted-out', 200) };
  const active = entry === undefined || entry.status === 'active';
  return { visit: { cycle, member, session, language: member.language, active, token, action, binding: formBinding(deps.links.signer, token), now } };
}

/** Where the person stands in line, and who ahead of them is passed over (not active on the roster). */
interface LineView {
  registrations: readonly SessionRegistration[];
  passedOver: ReadonlySet<string>;
}

function render(visit: SessionVisit, { registrations, passedOver }: LineView, done?: DoneKind): string {
  const c = t[visit.language];
  const s = visit.session;
  const mine = registrations.find((r) => r.participantId === visit.member.participantId);
  const free = Math.max(0, s.capacity - s.seatsTaken);
  const details: Array<[string, string]> = [
    [c.when, `${sessionTime(s, visit.language)} · ${c.minutes(s.durationMinutes)}`],
    ...(s.place ? [[c.where, s.place] as [string, string]] : []),
    [c.skills, sessionSkillLabels(s, visit.cycle.program.skillsCatalog, visit.language).join(', ')],
  ];
  // A cancelled session's call will not take place: its link is left out.
  const video =
    s.videoLink && s.cancelledAt === undefined
      ? `<dt>${escapeHtml(c.video)}</dt><dd><a href="${escapeHtml(s.videoLink)}">${escapeHtml(s.videoLink)}</a></dd>`
      : '';
  const status =
    mine?.status === 'registered'
      ? c.status.registered
      : mine?.status === 'waitlisted'
        ? visit.active
          ? c.status.waitlisted(waitingPosition(registrations, visit.member.participantId, passedOver) ?? 1)
          : c.status.waitlistedUnreachable
        : mine?.status === 'declined'
          ? c.status.declined
          : c.status.none;
  const button = (act: 'register' | 'decline', label: string, secondary = false) =>
    `<form method="post" action="${escapeHtml(visit.action)}">${hiddenFields(act, visit.binding)}<button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`;
  const started = s.startsAt <= visit.now;
  // Once the cycle is no longer running nothing is taken: neither the seats nor where the person stands can change.
  const ended = s.cancelledAt === undefined && visit.cycle.status !== 'running';
  const forms =
    s.cancelledAt !== undefined || ended
      ? []
      : started
        ? [`<p>${escapeHtml(c.over)}</p>`]
        : mine?.status === 'registered'
          ? [button('decline', c.leave, true)]
          : mine?.status === 'waitlisted'
            ? [button('decline', c.leaveLine, true)]
            : [button('register', free > 0 ? c.register : c.join), ...(mine?.status === 'declined' ? [] : [button('decline', c.decline, true)])];
  const cancelled =
    s.cancelledAt !== undefined
      ? `<div class="errors" role="alert"><p>${escapeHtml(c.cancelled)}</p><p class="goals">${escapeHtml(s.cancelReason ?? '')}</p></div>`
      : '';
  const open = s.cancelledAt === undefined && !ended;
  const body = [
    cancelled,
    ended ? `<div class="errors" role="alert"><p>${escapeHtml(c.cycleEnded)}</p></div>` : '',
    done && open ? `<p role="status"><strong>${escapeHtml(c.done[done])}</strong></p>` : '',
    `<p class="goals">${escapeHtml(s.description)}</p>`,
    `<dl>${details.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}${video}</dl>`,
    open ? `<p>${escapeHtml(c.seats(free, s.capacity))}</p>` : '',
    open ? `<h2>${escapeHtml(c.yourAnswer)}</h2>` : '',
    open ? `<p>${escapeHtml(status)}</p>` : '',
    ...forms,
  ];
  return layout(visit.language, s.title, body.filter(Boolean).join('\n'), visit.cycle.program.name);
}

/** The page as it stands now; after an answer (`done`) to a session cancelled meanwhile, a 410 that shows the cancel and no confirmation. */
async function pageOf(deps: SessionMailDeps, visit: SessionVisit, done?: DoneKind): Promise<PageResult> {
  const [session, registrations] = await Promise.all([
    deps.store.getSession(visit.cycle.cycleId, visit.session.sessionId),
    deps.store.listSessionRegistrations(visit.cycle.cycleId, visit.session.sessionId),
  ]);
  const current = session ?? visit.session;
  const status = done !== undefined && current.cancelledAt !== undefined ? 410 : 200;
  return { status, html: render({ ...visit, session: current }, { registrations, passedOver: await passedOverAhead(deps, visit, registrations) }, done) };
}

/** Who waits ahead of the person and is not active on the roster: their position counts only the people a freed seat would go to. */
async function passedOverAhead(deps: SessionMailDeps, visit: SessionVisit, registrations: readonly SessionRegistration[]): Promise<Set<string>> {
  const line = waitingLine(registrations);
  const mine = line.findIndex((r) => r.participantId === visit.member.participantId);
  if (mine <= 0) return new Set();
  const mayTakeSeat = activeOnRoster(deps.store, visit.cycle.programId);
  const ahead = line.slice(0, mine).map((r) => r.participantId);
  const active = await Promise.all(ahead.map(mayTakeSeat));
  return new Set(ahead.filter((_, i) => !active[i]));
}

/** GET: the session page. Never changes anything (mail scanners open links too). */
export async function showSessionPage(deps: SessionMailDeps, token: string, action: string): Promise<PageResult> {
  const resolved = await resolveVisit(deps, token, action);
  if ('page' in resolved) return resolved.page;
  return pageOf(deps, resolved.visit);
}

/** POST: registers or declines (each at most once in effect), then shows the page with what happened. */
export async function submitSessionPage(deps: SessionMailDeps, token: string, body: string, action: string): Promise<PageResult> {
  const resolved = await resolveVisit(deps, token, action);
  if ('page' in resolved) return resolved.page;
  const { visit } = resolved;
  const fields = formFields(body);
  if (!bindingMatches(deps.links.signer, token, fields._bind?.[0])) return refused(visit.language, 'wrong-form', 403);
  // A cancelled session, a session that has started or one whose cycle ended shows the page as it is, saying why it takes
  // no answer (the cancel's reason, the start, the cycle's end): nothing is recorded.
  if (visit.session.cancelledAt !== undefined || visit.session.startsAt <= visit.now || visit.cycle.status !== 'running')
    return { ...(await pageOf(deps, visit)), status: 410 };
  const act = fields._action?.[0];
  const { cycleId } = visit.cycle;
  const { sessionId } = visit.session;
  const participantId = visit.member.participantId;
  if (act === 'register') {
    const { outcome, promoted } = await registerInTurn(deps.store, visit.cycle.programId, cycleId, sessionId, participantId, visit.now);
    if (outcome === 'no-session') return refused(visit.language, 'missing', 404);
    if (outcome === 'cancelled') return { ...(await pageOf(deps, visit)), status: 410 };
    for (const id of promoted) await tellPromoted(deps, visit, id);
    return pageOf(deps, visit, outcome);
  }
  if (act === 'decline') {
    const { outcome, promoted } = await declineAndPromote(deps.store, visit.cycle.programId, cycleId, sessionId, participantId, visit.now);
    if (outcome === 'no-session') return refused(visit.language, 'missing', 404);
    for (const id of promoted) await tellPromoted(deps, visit, id);
    return pageOf(deps, visit, outcome);
  }
  return refused(visit.language, 'wrong-form', 400);
}

/** The first active person in line, promoted to a freed seat, is told by email (once per promotion); never someone no longer active. */
async function tellPromoted(deps: SessionMailDeps, visit: SessionVisit, promoted: string): Promise<void> {
  const { cycleId } = visit.cycle;
  const [member, session, entry] = await Promise.all([
    deps.store.getMember(cycleId, promoted),
    deps.store.getSession(cycleId, visit.session.sessionId),
    deps.store.getParticipant(visit.cycle.programId, promoted),
  ]);
  // Promoted just before a cancel: the cancel's email tells them, and "a seat is yours" must not follow it.
  if (!member || !session || session.cancelledAt !== undefined) return;
  // Left the program or bounced since the line reached them (sessions email no one of them: services/session-mail.ts).
  if (entry !== undefined && entry.status !== 'active') return;
  try {
    await sendSessionEmail(deps, visit.cycle, session, member, 'promoted', `session#${session.sessionId}#promoted#${promoted}#${visit.now}`);
  } catch {
    // The seat is theirs whether or not SES took the email now: their session page says so, and the decline stays recorded.
  }
}
