import { escapeHtml as e, isolatedHtml } from '../../../domain/html.ts';
import { listAuditOf } from '../../audit.ts';
import type { ConsolePage } from '../page.ts';

const T = {
  title: { en: 'Audit log', 'pt-BR': 'Registro de auditoria' },
  none: { en: 'Nothing recorded yet.', 'pt-BR': 'Nada registrado ainda.' },
  when: { en: 'When', 'pt-BR': 'Quando' },
  who: { en: 'Who', 'pt-BR': 'Quem' },
  via: { en: 'Via', 'pt-BR': 'Por' },
  action: { en: 'Action', 'pt-BR': 'Ação' },
  program: { en: 'Program', 'pt-BR': 'Programa' },
  cycle: { en: 'Cycle', 'pt-BR': 'Ciclo' },
  details: { en: 'Details', 'pt-BR': 'Detalhes' },
  all: { en: 'All programs', 'pt-BR': 'Todos os programas' },
  filter: { en: 'Show', 'pt-BR': 'Mostrar' },
} as const;

/** HR's actions, from the console, the CLI and the workflow, newest first. */
export const auditPage: ConsolePage = {
  segment: 'audit',
  title: T.title,
  roles: ['hr', 'ops'],
  async get(request) {
    const { lang, deps } = request;
    const programs = await deps.store.listPrograms();
    const chosen = programs.find((p) => p.programId === request.query.get('program'))?.programId;
    const entries = chosen
      ? await deps.store.listAudit({ programId: chosen, limit: 200 })
      : await listAuditOf(
          deps.store,
          programs.map((p) => p.programId),
        );
    const rows = entries
      .map(
        (x) =>
          `<tr><td>${e(
            new Date(x.at)
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, 'Z'),
          )}</td><td>${e(x.actor)}</td><td>${e(x.via)}</td><td><code>${e(x.action)}</code></td><td>${e(x.programId ?? '')}</td><td>${e(x.cycleId ?? '')}</td><td>${Object.entries(
            x.details,
          )
            // Each value isolated: a reason typed by HR or a file's column name must not reorder the details after it.
            .map(([k, v]) => `${e(k)}=${isolatedHtml(String(v))}`)
            .join(' ')}</td></tr>`,
      )
      .join('');
    const options = [
      `<option value="">${e(T.all[lang])}</option>`,
      ...programs.map((p) => `<option${p.programId === chosen ? ' selected' : ''}>${e(p.programId)}</option>`),
    ].join('');
    return {
      title: T.title[lang],
      main: `<h1>${e(T.title[lang])}</h1>
<form method="get" action="/console/audit"><label for="program">${e(T.program[lang])}</label><select id="program" name="program">${options}</select> <button type="submit">${e(T.filter[lang])}</button></form>
${
  entries.length
    ? `<div class="scroll"><table id="audit"><thead><tr>${[T.when, T.who, T.via, T.action, T.program, T.cycle, T.details].map((h) => `<th scope="col">${e(h[lang])}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p>${e(T.none[lang])}</p>`
}`,
    };
  },
};
