import type { ValidationIssue } from '../../../domain/errors.ts';
import { checkProgram } from '../../../domain/program-check.ts';
import { escapeHtml as e, escapeHtmlIsolatingControls } from '../../../domain/html.ts';
import { programSchema, type Language } from '../../../domain/program.ts';
import { createProgram, programFingerprint, programUpdateAudit, RosterMappingsRemovalError, updateProgram, type RemovedRosterMapping } from '../../programs.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/errors.ts';
import { postForm } from '../layout.ts';
import { idFromPath, notFoundPage, type ConsolePage, type PageRequest, type PageResult } from '../page.ts';
import { formFields, problemsByField, readFields, renderFields, type Field } from '../schema-form.ts';

const T = {
  title: { en: 'Programs', 'pt-BR': 'Programas' },
  none: { en: 'No programs yet.', 'pt-BR': 'Nenhum programa ainda.' },
  create: { en: 'Create a program', 'pt-BR': 'Criar um programa' },
  edit: { en: 'Edit', 'pt-BR': 'Editar' },
  save: { en: 'Save', 'pt-BR': 'Salvar' },
  id: { en: 'Id', 'pt-BR': 'Id' },
  name: { en: 'Name', 'pt-BR': 'Nome' },
  language: { en: 'Language', 'pt-BR': 'Idioma' },
  skills: { en: 'Skills', 'pt-BR': 'Habilidades' },
  problems: { en: 'The program was not saved. Fix the fields marked below:', 'pt-BR': 'O programa não foi salvo. Corrija os campos indicados:' },
  created: { en: 'Program created.', 'pt-BR': 'Programa criado.' },
  saved: { en: 'Program saved.', 'pt-BR': 'Programa salvo.' },
  unchanged: { en: 'Nothing changed.', 'pt-BR': 'Nada mudou.' },
  lines: { en: 'One per line.', 'pt-BR': 'Um por linha.' },
  json: { en: 'JSON, as in a program file (docs/cli.md).', 'pt-BR': 'JSON, como num arquivo de programa (docs/cli.md).' },
  removeTitle: { en: 'Saved column mappings this save removes', 'pt-BR': 'Mapeamentos de colunas salvos que este salvamento remove' },
  removeQuestion: {
    en: 'Saving these settings removes the saved column mappings below, or replaces them with the ones in the form: roster imports that choose them will need them pasted again. Each is kept, whole, in the audit log. Save again to confirm, or cancel to keep them:',
    'pt-BR':
      'Salvar estas configurações remove os mapeamentos de colunas salvos abaixo, ou os substitui pelos do formulário: importações que os escolhem vão precisar colá-los de novo. Cada um fica, inteiro, no registro de auditoria. Salve de novo para confirmar, ou cancele para mantê-los:',
  },
  replaced: { en: 'replaced by the one in the form', 'pt-BR': 'substituído pelo do formulário' },
  removed: { en: 'removed', 'pt-BR': 'removido' },
  saveRemoving: { en: 'Save and remove the mappings listed above', 'pt-BR': 'Salvar e remover os mapeamentos listados acima' },
  cancel: { en: 'Cancel', 'pt-BR': 'Cancelar' },
  noSuchPage: { en: 'There is no such page', 'pt-BR': 'Esta página não existe' },
  noPageHere: { en: 'Programs has no page at this address.', 'pt-BR': 'Programas não tem página neste endereço.' },
  noSuchProgram: { en: 'There is no such program', 'pt-BR': 'Este programa não existe' },
  noProgram: {
    en: (id: string) => `No program has the id ${id}: check the link, or choose the program from the list.`,
    'pt-BR': (id: string) => `Nenhum programa tem o id ${id}: confira o link ou escolha o programa na lista.`,
  },
} as const;

const FIELDS: Field[] = formFields(programSchema);

function labels(lang: Language) {
  return (f: Field) => ({
    label: f.name,
    ...(f.kind === 'lines' ? { hint: T.lines[lang] } : f.kind === 'json' ? { hint: T.json[lang] } : {}),
  });
}

/** The hidden field an edit form carries: the program as the page showed it (programFingerprint), so a save never overwrites a change made meanwhile. */
const FINGERPRINT_FIELD = 'programFingerprint';
/** The hidden field of an edit form posted again after HR was shown the saved mappings it removes: their fingerprint, as shown. */
const CONFIRM_REMOVAL_FIELD = 'confirmMappingRemoval';

function form(request: PageRequest, action: string, value: unknown, issues: readonly ValidationIssue[], fingerprint?: string, confirmRemoval?: string): string {
  const { lang, session } = request;
  const { byField } = problemsByField(FIELDS, issues);
  const summary = issues.length
    ? `<div class="errors" role="alert"><p>${e(T.problems[lang])}</p><ul>${issues.map((i) => `<li>${e(i.where)}: ${escapeHtmlIsolatingControls(i.problem)}</li>`).join('')}</ul></div>`
    : '';
  const editing = fingerprint !== undefined;
  const hidden =
    (editing ? `<input type="hidden" name="${FINGERPRINT_FIELD}" value="${e(fingerprint)}">` : '') +
    (confirmRemoval ? `<input type="hidden" name="${CONFIRM_REMOVAL_FIELD}" value="${e(confirmRemoval)}">` : '');
  const button = confirmRemoval ? T.saveRemoving[lang] : T.save[lang];
  return `${summary}${postForm(session, action, `${hidden}${renderFields(FIELDS, value, byField, labels(lang), editing ? new Set(['programId']) : new Set())}<p><button type="submit">${e(button)}</button></p>`)}`;
}

/**
 * The question before a save that removes or replaces saved column mappings: each shown whole, above
 * the form as posted, whose save carries their fingerprint; a save that would remove others asks again.
 */
function askToRemoveMappings(request: PageRequest, value: unknown, fingerprint: string | undefined, error: RosterMappingsRemovalError): PageResult {
  const { lang } = request;
  const editPath = `/console/programs/edit/${encodeURIComponent(error.programId)}`;
  const items = error.removed
    .map(
      (m: RemovedRosterMapping) =>
        `<li><strong>${e(m.name)}</strong> (${e((m.replaced ? T.replaced : T.removed)[lang])})<pre>${e(JSON.stringify(m.mapping, null, 2))}</pre></li>`,
    )
    .join('');
  return {
    title: `${T.edit[lang]} ${error.programId}`,
    main: `<h1>${e(T.edit[lang])} ${e(error.programId)}</h1>
<section aria-labelledby="remove-title" id="mappings-to-remove"><h2 id="remove-title">${e(T.removeTitle[lang])}</h2><p>${e(T.removeQuestion[lang])}</p><ul>${items}</ul><p><a href="${e(editPath)}">${e(T.cancel[lang])}</a></p></section>
${form(request, editPath, value, [], fingerprint, error.fingerprint)}`,
  };
}

async function list(request: PageRequest): Promise<PageResult> {
  const { lang, deps, session } = request;
  const programs = await deps.store.listPrograms();
  const rows = programs
    .map(
      (p) =>
        `<tr><td><code>${e(p.programId)}</code></td><td>${e(p.name)}</td><td>${e(p.language)}</td><td class="num">${p.skillsCatalog.length}</td>${
          session.role === 'hr'
            ? `<td><a href="/console/programs/edit/${encodeURIComponent(p.programId)}">${e(T.edit[lang])}<span class="visually-hidden"> ${e(p.programId)}</span></a></td>`
            : ''
        }</tr>`,
    )
    .join('');
  return {
    title: T.title[lang],
    main: `<h1>${e(T.title[lang])}</h1>
${
  programs.length
    ? `<div class="scroll"><table id="programs"><thead><tr><th scope="col">${e(T.id[lang])}</th><th scope="col">${e(T.name[lang])}</th><th scope="col">${e(T.language[lang])}</th><th scope="col" class="num">${e(T.skills[lang])}</th>${session.role === 'hr' ? `<th scope="col">${e(T.edit[lang])}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p>${e(T.none[lang])}</p>`
}
${session.role === 'hr' ? `<p><a href="/console/programs/new">${e(T.create[lang])}</a></p>` : ''}`,
  };
}

export const programsPage: ConsolePage = {
  segment: 'programs',
  title: T.title,
  roles: ['hr', 'ops'],
  async get(request) {
    const { lang, deps } = request;
    if (request.subpath === '' || request.session.role !== 'hr') return list(request);
    if (request.subpath === 'new') return { title: T.create[lang], main: `<h1>${e(T.create[lang])}</h1>${form(request, '/console/programs/new', {}, [])}` };
    const programs = { href: '/console/programs', label: T.title[lang] };
    const edited = /^edit\/([^/]+)$/.exec(request.subpath)?.[1];
    if (!edited) return notFoundPage(lang, T.noSuchPage[lang], T.noPageHere[lang], programs);
    const programId = idFromPath(edited, 'program');
    const program = await deps.store.getProgram(programId);
    if (!program) return notFoundPage(lang, T.noSuchProgram[lang], T.noProgram[lang](programId), programs);
    return {
      title: `${T.edit[lang]} ${program.programId}`,
      main: `<h1>${e(T.edit[lang])} ${e(program.programId)}</h1>${form(request, `/console/programs/edit/${encodeURIComponent(program.programId)}`, program, [], programFingerprint(program))}`,
    };
  },
  async post(request) {
    const { lang, deps } = request;
    const editing = request.subpath.startsWith('edit/');
    const posted = request.form ?? new FormData();
    const { value, issues } = readFields(FIELDS, posted);
    const sentFingerprint = posted.get(FINGERPRINT_FIELD);
    // An edit form without its fingerprint (an older page, a hand-made post) is checked against nothing, as before.
    const fingerprint = editing ? (typeof sentFingerprint === 'string' ? sentFingerprint : '') : undefined;
    // The program file's check, so a key pasted into a JSON field that no setting has is refused as `tandem program update` refuses it.
    const checked = checkProgram(value);
    const all = [...issues, ...checked.issues];
    const again = (problems: ValidationIssue[]) => ({
      status: 400,
      title: editing ? T.edit[lang] : T.create[lang],
      main: `<h1>${e(editing ? T.edit[lang] : T.create[lang])}</h1>${form(request, `/console/programs/${request.subpath}`, value, problems, fingerprint)}`,
    });
    if (all.length || !checked.program) return again(all);
    try {
      if (editing) {
        const confirmed = posted.get(CONFIRM_REMOVAL_FIELD);
        const result = await updateProgram(deps.store, checked.program, {
          expectedId: idFromPath(request.subpath.slice(5), 'program'),
          ...(fingerprint ? { expectedFingerprint: fingerprint } : {}),
          // The form shows the saved mappings, so an emptied field removes them: asked first, and each kept in the audit log.
          askBeforeRemovingMappings: true,
          ...(typeof confirmed === 'string' && confirmed ? { confirmedMappingRemoval: confirmed } : {}),
        });
        const { program, changed } = result;
        if (!changed.length) return { redirect: '/console/programs', notice: T.unchanged[lang] };
        for (const action of programUpdateAudit(result)) await request.audit(action);
        return { redirect: '/console/programs', notice: `${T.saved[lang]} ${program.programId}: ${changed.join(', ')}` };
      }
      const created = await createProgram(deps.store, checked.program);
      await request.audit({ action: 'program.created', programId: created.programId, details: { skills: created.skillsCatalog.length } });
      return { redirect: '/console/programs', notice: `${T.created[lang]} ${created.programId}` };
    } catch (error) {
      if (error instanceof ValidationError) return again(error.issues);
      if (error instanceof RosterMappingsRemovalError) return askToRemoveMappings(request, value, fingerprint, error);
      if (error instanceof ConflictError || error instanceof NotFoundError) return again([{ where: 'programId', problem: error.message }]);
      throw error;
    }
  },
};
