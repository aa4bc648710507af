import { escapeHtml as e } from '../../../domain/html.ts';
import { OptimalMatcher } from '../../../domain/matching/optimal-matcher.ts';
import { parsePairReviewForm, renderPairReview } from '../../phases/approval/page.ts';
import { CycleNotRunningError, PairsChangedError, pairReview, runPairReviewCommand } from '../../phases/approval/review.ts';
import { idFromPath, type ConsolePage, type PageRequest, type PageResult } from '../page.ts';
import { canWrite } from '../session.ts';

const T = {
  title: { en: 'Pairs', 'pt-BR': 'Pares' },
  waiting: { en: 'Cycles whose pairs wait for approval', 'pt-BR': 'Ciclos com pares aguardando aprovação' },
  none: { en: 'No cycle is waiting for HR to approve its pairs.', 'pt-BR': 'Nenhum ciclo aguarda a aprovação dos pares pelo RH.' },
  until: { en: 'until', 'pt-BR': 'até' },
  done: { en: 'Done', 'pt-BR': 'Feito' },
  unchanged: { en: 'Nothing to change', 'pt-BR': 'Nada a mudar' },
  changed: {
    en: 'The pairs changed since you opened this page (someone else acted on them meanwhile), so nothing was done. Look again: below are the pairs as they are now.',
    'pt-BR':
      'Os pares mudaram desde que você abriu esta página (outra pessoa agiu sobre eles), por isso nada foi feito. Olhe de novo: abaixo estão os pares como estão agora.',
  },
  ended: {
    en: 'Nothing was done: this cycle is no longer running (it was stopped, or it failed), so its pairs can no longer be changed or approved.',
    'pt-BR':
      'Nada foi feito: este ciclo não está mais em andamento (foi interrompido ou falhou), por isso os pares não podem mais ser alterados nem aprovados.',
  },
} as const;

/** Re-solving runs inside an HTTP request: the same bound as the survey API's rematch (10 s Lambda timeout). */
const matcher = new OptimalMatcher({ deadlineMs: 5_000 });

async function waitingCycles(request: PageRequest): Promise<PageResult> {
  const { lang, deps } = request;
  const programs = await deps.store.listPrograms();
  const cycles = (await Promise.all(programs.map((p) => deps.store.listCycles(p.programId)))).flat();
  const pending = cycles.filter((c) => c.status === 'running' && c.approval?.status === 'pending');
  const items = pending
    .map(
      (c) =>
        `<li><a href="/console/pairs/${encodeURIComponent(c.cycleId)}">${e(c.cycleId)}</a> (${e(c.programId)}) · ${e(T.until[lang])} ${e(
          new Date(c.approval?.deadline ?? 0).toISOString().replace('T', ' ').slice(0, 16),
        )} UTC</li>`,
    )
    .join('');
  return {
    title: T.title[lang],
    main: `<h1>${e(T.title[lang])}</h1><h2>${e(T.waiting[lang])}</h2>${items ? `<ul id="waiting-cycles">${items}</ul>` : `<p>${e(T.none[lang])}</p>`}`,
  };
}

/** HR's review of a cycle's proposed pairs: forbid, lock, exclude, re-solve, approve (services/phases/approval/). */
export const pairsPage: ConsolePage = {
  segment: 'pairs',
  title: T.title,
  roles: ['hr', 'ops'],
  async get(request) {
    const cycleId = request.subpath.split('/')[0];
    if (!cycleId) return waitingCycles(request);
    const view = await pairReview(request.deps, idFromPath(cycleId, 'cycle'));
    return {
      title: `${T.title[request.lang]} · ${view.cycleId}`,
      main: renderPairReview(view, request.lang, request.session.csrf, { readOnly: !canWrite(request.session.role) }),
    };
  },
  async post(request) {
    const fields: Record<string, string> = {};
    for (const [name, value] of request.form?.entries() ?? []) if (typeof value === 'string') fields[name] = value;
    // The command names its cycle; the page's address only says where to come back to.
    const command = parsePairReviewForm(fields);
    let outcome;
    try {
      outcome = await runPairReviewCommand({ ...request.deps, matcher }, command, { actor: request.session.email, via: 'console' });
    } catch (error) {
      if (!(error instanceof PairsChangedError) && !(error instanceof CycleNotRunningError)) throw error;
      // Refused, nothing written: show the pairs as they are now, under the reason, so the person decides on what they see.
      const view = await pairReview(request.deps, command.cycleId);
      const [id, reason] = error instanceof PairsChangedError ? ['pairs-changed', T.changed] : ['cycle-ended', T.ended];
      return {
        status: 409,
        title: `${T.title[request.lang]} · ${view.cycleId}`,
        main: `<div class="errors" role="alert" id="${id}"><p>${e(reason[request.lang])}</p></div>${renderPairReview(view, request.lang, request.session.csrf, { readOnly: !canWrite(request.session.role) })}`,
      };
    }
    return {
      redirect: `/console/pairs/${encodeURIComponent(command.cycleId)}`,
      notice: outcome === 'unchanged' ? T.unchanged[request.lang] : T.done[request.lang],
    };
  },
};
