import { ValidationError } from '../../../domain/errors.ts';
import { escapeHtml as e } from '../../../domain/html.ts';
import { sessionTime } from '../../../domain/session-emails.ts';
import { cycleStatus, listProgramCycles, stopCycle } from '../../cycles.ts';
import { answeredPhaseModule } from '../../phases/registry.ts';
import { startCycle } from '../../start-cycle.ts';
import { postForm } from '../layout.ts';
import { idFromPath, notFoundPage, textField, type ConsolePage, type PageRequest, type PageResult } from '../page.ts';

const T = {
  title: { en: 'Cycles', 'pt-BR': 'Ciclos' },
  start: { en: 'Start a cycle', 'pt-BR': 'Iniciar um ciclo' },
  program: { en: 'Program', 'pt-BR': 'Programa' },
  cycle: { en: 'Cycle', 'pt-BR': 'Ciclo' },
  status: { en: 'Status', 'pt-BR': 'Situação' },
  phase: { en: 'Phase', 'pt-BR': 'Fase' },
  started: { en: 'Started', 'pt-BR': 'Início' },
  stop: { en: 'Stop this cycle', 'pt-BR': 'Interromper este ciclo' },
  reason: { en: 'Reason (recorded)', 'pt-BR': 'Motivo (registrado)' },
  none: { en: 'No cycles yet.', 'pt-BR': 'Nenhum ciclo ainda.' },
  live: { en: 'Live status', 'pt-BR': 'Situação ao vivo' },
  refresh: { en: 'Refresh', 'pt-BR': 'Atualizar' },
  signedOut: {
    en: 'Your session ended, so the live status stopped: sign in again',
    'pt-BR': 'Sua sessão terminou e a situação ao vivo parou: entre novamente',
  },
  participants: { en: 'Participants', 'pt-BR': 'Participantes' },
  pairs: { en: 'Pairs', 'pt-BR': 'Duplas' },
  atRisk: { en: 'Pairs at risk', 'pt-BR': 'Duplas em risco' },
  emails: { en: 'Emails sent', 'pt-BR': 'E-mails enviados' },
  bounces: { en: 'Bounces', 'pt-BR': 'Devoluções' },
  expected: { en: 'Expected', 'pt-BR': 'Esperadas' },
  received: { en: 'Received', 'pt-BR': 'Recebidas' },
  deadline: { en: 'Deadline', 'pt-BR': 'Prazo' },
  execution: { en: 'Execution', 'pt-BR': 'Execução' },
  startedNotice: { en: 'Cycle started', 'pt-BR': 'Ciclo iniciado' },
  stoppedNotice: { en: 'Cycle stopped', 'pt-BR': 'Ciclo interrompido' },
  failed: { en: 'Failed', 'pt-BR': 'Falhou' },
  meetingsLogged: { en: 'Meetings logged', 'pt-BR': 'Encontros registrados' },
  pairsMet: { en: 'Pairs that met at least once', 'pt-BR': 'Duplas que se encontraram ao menos uma vez' },
  sessions: { en: 'Informational sessions', 'pt-BR': 'Sessões informativas' },
  session: { en: 'Session', 'pt-BR': 'Sessão' },
  when: { en: 'When', 'pt-BR': 'Quando' },
  seats: { en: 'Seats taken', 'pt-BR': 'Vagas ocupadas' },
  waiting: { en: 'Waiting', 'pt-BR': 'Na lista de espera' },
  declinedSession: { en: 'Declined', 'pt-BR': 'Recusaram' },
  attended: { en: 'Attended', 'pt-BR': 'Compareceram' },
  cancelled: { en: 'Cancelled', 'pt-BR': 'Cancelada' },
  moved: { en: 'Moved', 'pt-BR': 'Alterada' },
  rounds: { en: 'rounds', 'pt-BR': 'rodadas' },
  noSuchPage: { en: 'There is no such page', 'pt-BR': 'Esta página não existe' },
  noFormHere: {
    en: 'Cycles take no form at this address: a cycle is started from the list of cycles, and stopped from its own page.',
    'pt-BR': 'Ciclos não recebem formulário neste endereço: um ciclo é iniciado pela lista de ciclos e interrompido pela sua própria página.',
  },
  noSessions: {
    en: 'No informational session in this cycle. HR schedules them with the CLI: tandem session add.',
    'pt-BR': 'Nenhuma sessão informativa neste ciclo. O RH as agenda pela linha de comando: tandem session add.',
  },
} as const;

/** Labels of the counts a phase module adds to its status (statusDetail); a count without a label shows its key. */
const DETAIL_LABELS: Record<string, { en: string; 'pt-BR': string }> = {
  invited: { en: 'invited', 'pt-BR': 'convidados' },
  joined: { en: 'joined', 'pt-BR': 'aderiram' },
  declined: { en: 'declined', 'pt-BR': 'recusaram' },
  noAnswer: { en: 'no answer', 'pt-BR': 'sem resposta' },
};

/** The values the status shows, in the reader's language (English shows them as the CLI does). */
const STATUS: Record<string, { en: string; 'pt-BR': string }> = {
  running: { en: 'running', 'pt-BR': 'em andamento' },
  succeeded: { en: 'succeeded', 'pt-BR': 'concluído' },
  failed: { en: 'failed', 'pt-BR': 'falhou' },
  stopped: { en: 'stopped', 'pt-BR': 'interrompido' },
};
const EXECUTION: Record<string, { en: string; 'pt-BR': string }> = {
  RUNNING: { en: 'RUNNING', 'pt-BR': 'execução em andamento' },
  SUCCEEDED: { en: 'SUCCEEDED', 'pt-BR': 'execução concluída' },
  FAILED: { en: 'FAILED', 'pt-BR': 'execução falhou' },
  TIMED_OUT: { en: 'TIMED_OUT', 'pt-BR': 'execução expirou' },
  ABORTED: { en: 'ABORTED', 'pt-BR': 'execução interrompida' },
  PENDING_REDRIVE: { en: 'PENDING_REDRIVE', 'pt-BR': 'execução aguardando nova tentativa' },
};
const PHASES: Record<string, { en: string; 'pt-BR': string }> = {
  enrollment: { en: 'enrollment', 'pt-BR': 'adesão' },
  identify: { en: 'identify', 'pt-BR': 'formação dos pares' },
  approval: { en: 'approval', 'pt-BR': 'aprovação' },
  'goal-setting': { en: 'goal-setting', 'pt-BR': 'definição de metas' },
  run: { en: 'run', 'pt-BR': 'mentoria' },
  measure: { en: 'measure', 'pt-BR': 'medição' },
  feedback: { en: 'feedback', 'pt-BR': 'feedback' },
  review: { en: 'review', 'pt-BR': 'revisão' },
};
/** A value from one of the tables above in the reader's language; one the table does not know is shown as it is. */
const said = (table: Record<string, { en: string; 'pt-BR': string }>, value: string, lang: 'en' | 'pt-BR') => table[value]?.[lang] ?? value;

const time = (iso: string | undefined) => (iso ? e(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : '—');

/** The cycle's informational sessions as HR reads them (read only: they are scheduled, moved and cancelled with `tandem session`). */
async function sessionsSection(request: PageRequest, cycleId: string): Promise<string> {
  const { lang, deps } = request;
  const [sessions, registrations] = await Promise.all([deps.store.listSessions(cycleId), deps.store.listSessionRegistrations(cycleId)]);
  const heading = `<h2 id="sessions-title">${e(T.sessions[lang])}</h2>`;
  if (!sessions.length) return `<section aria-labelledby="sessions-title">${heading}<p>${e(T.noSessions[lang])}</p></section>`;
  // By start, as HR plans them; the store lists them by id.
  const rows = [...sessions]
    .sort((a, b) => a.startsAt - b.startsAt || a.sessionId.localeCompare(b.sessionId))
    .map((s) => {
      const answers = registrations.filter((r) => r.sessionId === s.sessionId);
      const counted = (status: string) => answers.filter((r) => r.status === status).length;
      const state =
        s.cancelledAt !== undefined
          ? `${e(T.cancelled[lang])}: ${e(s.cancelReason ?? '')}`
          : s.movedAt !== undefined
            ? `${e(T.moved[lang])} (${s.sequence ?? 1}×)`
            : '';
      return `<tr data-session="${e(s.sessionId)}"><th scope="row"><bdi>${e(s.title)}</bdi><br><small>${e(s.sessionId)}</small></th><td>${e(sessionTime(s, lang))}</td><td class="num">${s.seatsTaken} / ${s.capacity}</td><td class="num">${counted('waitlisted')}</td><td class="num">${counted('declined')}</td><td class="num">${s.attendanceRecordedAt === undefined ? '—' : (s.attended?.length ?? 0)}</td><td>${state}</td></tr>`;
    });
  const headers = [T.session, T.when, T.seats, T.waiting, T.declinedSession, T.attended, T.status]
    .map((label, i) => `<th scope="col"${i >= 2 && i <= 5 ? ' class="num"' : ''}>${e(label[lang])}</th>`)
    .join('');
  // The scrolling table is the labelled region (keyboard users scroll it); a section labelled the same would be a second landmark of that name.
  return `<section>${heading}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="sessions-title"><table id="sessions"><thead><tr>${headers}</tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

async function overview(request: PageRequest): Promise<PageResult> {
  const { lang, deps, session } = request;
  const programs = await deps.store.listPrograms();
  const cycles = (
    await Promise.all(programs.map((p) => listProgramCycles(deps.store, p.programId).then((list) => list.map((c) => ({ ...c, programId: p.programId })))))
  )
    .flat()
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const rows = cycles
    .map(
      (c) =>
        `<tr><td><a href="/console/cycles/${encodeURIComponent(c.cycleId)}">${e(c.cycleId)}</a></td><td>${e(c.programId)}</td><td>${e(said(STATUS, c.status, lang))}</td><td>${e(said(PHASES, c.currentPhase, lang))}</td><td>${time(c.startedAt)}</td></tr>`,
    )
    .join('');
  const start =
    session.role === 'hr' && programs.length
      ? `<h2>${e(T.start[lang])}</h2>${postForm(
          session,
          '/console/cycles/start',
          `<label for="program">${e(T.program[lang])}</label><select id="program" name="programId">${programs.map((p) => `<option value="${e(p.programId)}">${e(p.programId)} — \u2068${e(p.name)}\u2069</option>`).join('')}</select><p><button type="submit">${e(T.start[lang])}</button></p>`,
        )}`
      : '';
  return {
    title: T.title[lang],
    main: `<h1>${e(T.title[lang])}</h1>${
      cycles.length
        ? `<div class="scroll"><table id="cycles"><thead><tr><th scope="col">${e(T.cycle[lang])}</th><th scope="col">${e(T.program[lang])}</th><th scope="col">${e(T.status[lang])}</th><th scope="col">${e(T.phase[lang])}</th><th scope="col">${e(T.started[lang])}</th></tr></thead><tbody>${rows}</tbody></table></div>`
        : `<p>${e(T.none[lang])}</p>`
    }${start}`,
  };
}

async function detail(request: PageRequest, cycleId: string): Promise<PageResult> {
  const { lang, deps, session } = request;
  const s = await cycleStatus({ store: deps.store, workflow: deps.workflow() }, cycleId);
  const atRisk = new Set((await deps.store.listPairFlags(cycleId)).map((f) => f.pairId)).size;
  const facts: Array<[string, string | number]> = [
    [T.status[lang], `${said(STATUS, s.status, lang)}${s.executionStatus ? ` (${said(EXECUTION, s.executionStatus, lang)})` : ''}`],
    [T.phase[lang], said(PHASES, s.currentPhase, lang)],
    [T.started[lang], time(s.startedAt)],
    [T.participants[lang], s.participants],
    [T.pairs[lang], s.pairs],
    [T.atRisk[lang], atRisk],
    [T.emails[lang], s.emailsSent],
    [T.bounces[lang], s.bounces],
    ...(s.meetings
      ? ([
          [T.meetingsLogged[lang], s.meetings.logged],
          [T.pairsMet[lang], s.meetings.pairsMet],
        ] as Array<[string, number]>)
      : []),
  ];
  const phases = s.phases
    .map(
      (p) =>
        `<tr><th scope="row">${e(said(PHASES, p.phase, lang))}</th><td>${time(p.deadline)}</td><td class="num">${e(p.expected ?? '—')}</td><td>${
          p.detail
            ? `<ul class="detail" data-phase-detail="${e(p.phase)}">${Object.entries(p.detail)
                .map(([key, count]) => `<li data-count="${e(key)}">${count} ${e(DETAIL_LABELS[key]?.[lang] ?? key)}</li>`)
                .join('')}</ul>`
            : p.rounds && Object.keys(p.rounds).length
              ? `${p.responses} (${Object.keys(p.rounds).length} ${e(T.rounds[lang])})`
              : e(answeredPhaseModule(p.phase).statusCell({ responses: p.responses }))
        }</td></tr>`,
    )
    .join('');
  const sessions = await sessionsSection(request, cycleId);
  const stop =
    session.role === 'hr' && s.status === 'running'
      ? `<h2>${e(T.stop[lang])}</h2>${postForm(session, `/console/cycles/${encodeURIComponent(cycleId)}/stop`, `<label for="reason">${e(T.reason[lang])}</label><input type="text" id="reason" name="reason" required maxlength="500"><p><button type="submit">${e(T.stop[lang])}</button></p>`)}`
      : '';
  return {
    title: `${T.cycle[lang]} ${cycleId}`,
    main: `<h1>${e(T.cycle[lang])} ${e(cycleId)}</h1>
<section aria-labelledby="live-title"><h2 id="live-title">${e(T.live[lang])}</h2>
<div id="status"${s.status === 'running' ? ` data-refresh="4000" data-signed-out="${e(T.signedOut[lang])}"` : ''} aria-live="polite">
<dl>${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd data-fact="${e(k)}">${typeof v === 'number' ? v : v}</dd>`).join('')}</dl>
<div class="scroll"><table id="phases"><thead><tr><th scope="col">${e(T.phase[lang])}</th><th scope="col">${e(T.deadline[lang])}</th><th scope="col" class="num">${e(T.expected[lang])}</th><th scope="col">${e(T.received[lang])}</th></tr></thead><tbody>${phases}</tbody></table></div>
${s.failure ? `<p class="problem">${e(T.failed[lang])}: ${e(s.failure.error)}</p>` : ''}
</div>
<p><a href="/console/cycles/${encodeURIComponent(cycleId)}">${e(T.refresh[lang])}</a> · <a href="/console/ops/executions/${encodeURIComponent(cycleId)}">${e(T.execution[lang])}</a></p>
</section>${sessions}${stop}`,
  };
}

export const cyclesPage: ConsolePage = {
  segment: 'cycles',
  title: T.title,
  roles: ['hr', 'ops'],
  get(request) {
    return request.subpath ? detail(request, idFromPath(request.subpath, 'cycle')) : overview(request);
  },
  async post(request) {
    const { lang, deps } = request;
    if (request.subpath === 'start') {
      const programId = textField(request.form, 'programId');
      const cycle = await startCycle({ store: deps.store, clock: deps.clock, workflow: deps.workflow() }, { programId });
      await request.audit({ action: 'cycle.started', programId, cycleId: cycle.cycleId, details: {} });
      return { redirect: `/console/cycles/${encodeURIComponent(cycle.cycleId)}`, notice: `${T.startedNotice[lang]}: ${cycle.cycleId}` };
    }
    const stopped = /^([^/]+)\/stop$/.exec(request.subpath)?.[1];
    if (!stopped) return notFoundPage(lang, T.noSuchPage[lang], T.noFormHere[lang], { href: '/console/cycles', label: T.title[lang] });
    // Checked before anything reaches the store, as every id in a console address is.
    const cycleId = idFromPath(stopped, 'cycle');
    const reason = textField(request.form, 'reason').trim().slice(0, 500);
    // The form asks for it; spaces alone would pass the browser's check and leave the audit log without a why.
    if (!reason) throw new ValidationError('the cycle was not stopped', [{ where: 'reason', problem: 'say why the cycle stops: it is recorded' }]);
    const result = await stopCycle(
      { store: deps.store, clock: deps.clock, workflow: deps.workflow() },
      { cycleId, reason: `stopped in the console by ${request.session.email}: ${reason}` },
    );
    await request.audit({ action: 'cycle.stopped', programId: result.programId, cycleId: result.cycleId, details: { reason } });
    return { redirect: `/console/cycles/${encodeURIComponent(result.cycleId)}`, notice: `${T.stoppedNotice[lang]}: ${result.cycleId}` };
  },
};
