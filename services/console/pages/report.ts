import { escapeHtml as e, escapeHtmlIsolatingControls } from '../../../domain/html.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyReview, loadReview, ReviewAppliedError } from '../../reshape.ts';
import { postForm } from '../layout.ts';
import { idFromPath, notFoundPage, type ConsolePage, type PageRequest, type PageResult } from '../page.ts';

const T = {
  title: { en: 'Reports', 'pt-BR': 'Relatórios' },
  none: { en: 'No reviewed cycles yet.', 'pt-BR': 'Nenhum ciclo revisado ainda.' },
  figures: { en: 'Headline figures', 'pt-BR': 'Números principais' },
  proposals: { en: 'Proposals for the next cycle', 'pt-BR': 'Propostas para o próximo ciclo' },
  evidence: { en: 'Evidence', 'pt-BR': 'Evidência' },
  change: { en: 'Change', 'pt-BR': 'Mudança' },
  advice: { en: 'advice, no configuration change', 'pt-BR': 'conselho, sem mudança de configuração' },
  apply: { en: 'Apply the chosen proposals and start the next cycle', 'pt-BR': 'Aplicar as propostas escolhidas e iniciar o próximo ciclo' },
  applied: { en: 'Applied: it started cycle', 'pt-BR': 'Aplicado: iniciou o ciclo' },
  appliedNotice: { en: 'Proposals applied; next cycle started', 'pt-BR': 'Propostas aplicadas; próximo ciclo iniciado' },
  appliedAlready: {
    en: (by: string | undefined, when: string, cycleId: string) =>
      `These proposals were applied already${by ? ` by ${by}` : ''} on ${when} UTC: they started cycle ${cycleId}, shown here. Nothing more was changed.`,
    'pt-BR': (by: string | undefined, when: string, cycleId: string) =>
      `Estas propostas já tinham sido aplicadas${by ? ` por ${by}` : ''} em ${when} UTC: elas iniciaram o ciclo ${cycleId}, mostrado aqui. Nada mais foi alterado.`,
  },
  noneChosen: { en: 'No proposals: no figure crossed a threshold.', 'pt-BR': 'Nenhuma proposta: nenhum número passou de um limite.' },
  report: { en: 'Full report', 'pt-BR': 'Relatório completo' },
  members: { en: 'Participants', 'pt-BR': 'Participantes' },
  pairs: { en: 'Pairs', 'pt-BR': 'Duplas' },
  atRisk: { en: 'Pairs at risk', 'pt-BR': 'Duplas em risco' },
  measureAnswered: { en: 'Measure answered', 'pt-BR': 'Responderam à medição' },
  acrossDepartments: { en: 'Pairs across departments', 'pt-BR': 'Duplas entre departamentos' },
  acrossGenerations: { en: 'Pairs across generations', 'pt-BR': 'Duplas entre gerações' },
  bothGained: { en: 'Both members gained', 'pt-BR': 'Os dois membros evoluíram' },
  checkInsMet: { en: 'Check-ins where pairs met', 'pt-BR': 'Acompanhamentos em que as duplas se encontraram' },
  netPromoter: { en: 'Net Promoter-style score', 'pt-BR': 'Pontuação no estilo Net Promoter' },
  noSuchPage: { en: 'There is no such page', 'pt-BR': 'Esta página não existe' },
  noFormHere: {
    en: 'Reports take no form at this address: a review’s proposals are applied from the review’s own page.',
    'pt-BR': 'Relatórios não recebem formulário neste endereço: as propostas de uma revisão são aplicadas pela página da revisão.',
  },
  inEnglish: {
    en: '',
    'pt-BR': 'As propostas são escritas pelo serviço em inglês:',
  },
} as const;

/**
 * A proposal's text: it quotes skill labels from the catalog and skills people named, as stored; a direction override in
 * one must not reverse the rest of the sentence.
 */
const shown = escapeHtmlIsolatingControls;

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

async function list(request: PageRequest): Promise<PageResult> {
  const { lang, deps } = request;
  const programs = await deps.store.listPrograms();
  const reviews = (await Promise.all(programs.map((p) => deps.store.listReviews(p.programId)))).flat().sort((a, b) => b.generatedAt - a.generatedAt);
  const items = reviews
    .map((r) => `<li><a href="/console/report/${encodeURIComponent(r.cycleId)}">${e(r.cycleId)}</a> (${e(r.programId)}) · ${r.proposals.length}</li>`)
    .join('');
  return { title: T.title[lang], main: `<h1>${e(T.title[lang])}</h1>${items ? `<ul id="reviews">${items}</ul>` : `<p>${e(T.none[lang])}</p>`}` };
}

async function show(request: PageRequest, cycleId: string): Promise<PageResult> {
  const { lang, deps, session } = request;
  const r = await loadReview(deps.store, cycleId);
  const s = r.summary;
  const figures: Array<[string, string | number]> = [
    [T.members[lang], s.members],
    [T.pairs[lang], s.pairs],
    [T.atRisk[lang], s.atRiskPairs],
    [T.measureAnswered[lang], pct(s.responseRate.measure)],
    [T.acrossDepartments[lang], pct(s.crossDepartmentShare)],
    [T.acrossGenerations[lang], pct(s.crossGenerationShare)],
    [T.bothGained[lang], pct(s.bothWaysShare)],
    [T.checkInsMet[lang], pct(s.checkInAdherence)],
    [T.netPromoter[lang], s.netPromoterScore ?? '—'],
  ];
  const canApply = session.role === 'hr' && !r.appliedTo && r.proposals.length > 0;
  const proposals = r.proposals
    .map(
      (
        p,
      ) => `<li>${canApply ? `<input type="checkbox" id="p-${e(p.id)}" name="proposal" value="${e(p.id)}" checked> <label class="inline" for="p-${e(p.id)}">${shown(p.title)}</label>` : `<strong>${shown(p.title)}</strong>`}
<p>${shown(p.reason)}</p><p>${e(T.evidence[lang])}: ${shown(p.evidence.figure)} = ${shown(String(p.evidence.value))}</p>
<p>${e(T.change[lang])}: ${p.change ? `<code>${e(`${p.change.op} ${p.change.path} ${JSON.stringify(p.change.value)}`)}</code>` : e(T.advice[lang])}</p></li>`,
    )
    .join('');
  // The proposals' titles, reasons and evidence are the review's own text, in English: marked so that a screen reader reads them as English.
  const list = proposals
    ? `${lang === 'en' ? '' : `<p>${e(T.inEnglish[lang])}</p>`}<ol id="proposals" lang="en">${proposals}</ol>`
    : `<p>${e(T.noneChosen[lang])}</p>`;
  return {
    title: `${T.title[lang]} ${cycleId}`,
    main: `<h1>${e(T.title[lang])}: ${e(cycleId)}</h1>
<h2>${e(T.figures[lang])}</h2><dl>${figures.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
<h2>${e(T.proposals[lang])}</h2>
${r.appliedTo ? `<p>${e(T.applied[lang])} <a href="/console/cycles/${encodeURIComponent(r.appliedTo.cycleId)}">${e(r.appliedTo.cycleId)}</a>.</p>` : ''}
${canApply ? postForm(session, `/console/report/${encodeURIComponent(cycleId)}/apply`, `${list}<p><button type="submit">${e(T.apply[lang])}</button></p>`) : list}`,
  };
}

/** How long the answer to a second apply waits for the first's audit entry, which names who applied (it is written just after the review is marked). */
const WHO_APPLIED_WAIT_MS = 2_000;

/** Who applied a review's proposals, from the audit log's `proposals.applied` entry, when it is there. */
async function whoApplied(request: PageRequest, reviewed: string, appliedAt: number): Promise<string | undefined> {
  const review = await request.deps.store.getReview(reviewed);
  if (!review) return undefined;
  const deadline = Date.now() + WHO_APPLIED_WAIT_MS;
  for (;;) {
    const entries = await request.deps.store.listAudit({ programId: review.programId, since: appliedAt - 60_000 });
    const entry = entries.find((a) => a.action === 'proposals.applied' && a.cycleId === reviewed);
    if (entry || Date.now() >= deadline) return entry?.actor;
    await sleep(100);
  }
}

export const reportPage: ConsolePage = {
  segment: 'report',
  title: T.title,
  roles: ['hr', 'ops'],
  get(request) {
    return request.subpath ? show(request, idFromPath(request.subpath, 'review')) : list(request);
  },
  async post(request) {
    const { lang, deps } = request;
    const cycleId = /^([^/]+)\/apply$/.exec(request.subpath)?.[1];
    if (!cycleId) return notFoundPage(lang, T.noSuchPage[lang], T.noFormHere[lang], { href: '/console/report', label: T.title[lang] });
    const reviewed = idFromPath(cycleId, 'review');
    const only = (request.form?.getAll('proposal') ?? []).map(String);
    let applied: Awaited<ReturnType<typeof applyReview>>;
    try {
      applied = await applyReview({ store: deps.store, clock: deps.clock, workflow: deps.workflow() }, reviewed, { only });
    } catch (error) {
      // A double click on Apply, or another HR person first: the cycle they started is where this click would have gone.
      if (!(error instanceof ReviewAppliedError)) throw error;
      const { cycleId: started, appliedAt } = error.appliedTo;
      const when = new Date(appliedAt).toISOString().replace('T', ' ').slice(0, 16);
      return {
        redirect: `/console/cycles/${encodeURIComponent(started)}`,
        notice: T.appliedAlready[lang](await whoApplied(request, reviewed, appliedAt), when, started),
      };
    }
    const { plan, cycle } = applied;
    await request.audit({
      action: 'proposals.applied',
      programId: plan.programId,
      cycleId: reviewed,
      details: { proposals: plan.proposals.map((p) => p.id).join(','), changedPaths: plan.diff.length, nextCycle: cycle.cycleId },
    });
    return { redirect: `/console/cycles/${encodeURIComponent(cycle.cycleId)}`, notice: `${T.appliedNotice[lang]}: ${cycle.cycleId}` };
  },
};
