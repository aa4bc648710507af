import { ConflictError, ValidationError, type ValidationIssue } from '../../../domain/errors.ts';
import { escapeHtml as e } from '../../../domain/html.ts';
import type { Language, Program } from '../../../domain/program.ts';
import { parseColumnMappingJson, type ColumnMapping } from '../../../domain/roster.ts';
import {
  deleteRosterMapping,
  findRosterMapping,
  parseRosterMappingName,
  rosterMappingFingerprint,
  savedRosterMapping,
  saveRosterMapping,
} from '../../roster-mappings.ts';
import {
  exportRoster,
  importRosterFile,
  rosterImportAuditDetails,
  RosterImportIncompleteError,
  RosterRejectedError,
  type RosterFileImportResult,
} from '../../roster-files.ts';
import { decodeText, type TextEncoding } from '../../text-files.ts';
import { postForm, serviceErrorBox } from '../layout.ts';
import { idFromPath, textField, type ConsolePage, type PageRequest, type PageResult } from '../page.ts';

const T = {
  title: { en: 'Roster', 'pt-BR': 'Participantes' },
  program: { en: 'Program', 'pt-BR': 'Programa' },
  file: { en: 'Roster file (CSV or JSON, at most 2 MB)', 'pt-BR': 'Arquivo de participantes (CSV ou JSON, até 2 MB)' },
  encoding: { en: 'Encoding', 'pt-BR': 'Codificação' },
  utf8: { en: 'UTF-8 (most files; "CSV UTF-8" in a spreadsheet)', 'pt-BR': 'UTF-8 (a maioria dos arquivos; "CSV UTF-8" numa planilha)' },
  latin1: { en: 'Latin-1 / Windows-1252 (older spreadsheet exports)', 'pt-BR': 'Latin-1 / Windows-1252 (exportações de planilhas antigas)' },
  mapping: { en: 'Column mapping (optional, as JSON; docs/cli.md)', 'pt-BR': 'Mapeamento de colunas (opcional, em JSON; docs/cli.md)' },
  check: { en: 'Check the file (nothing is written)', 'pt-BR': 'Verificar o arquivo (nada é gravado)' },
  importNow: { en: 'Import', 'pt-BR': 'Importar' },
  export: { en: 'Export', 'pt-BR': 'Exportar' },
  report: { en: 'Validation report', 'pt-BR': 'Relatório de validação' },
  where: { en: 'Where', 'pt-BR': 'Onde' },
  problem: { en: 'Problem', 'pt-BR': 'Problema' },
  rowsColumn: { en: 'Rows', 'pt-BR': 'Linhas' },
  ignored: { en: 'ignored', 'pt-BR': 'ignoradas' },
  problemCount: {
    en: (problems: string, rows: string) => `${problems} problem(s) in ${rows} row(s).`,
    'pt-BR': (problems: string, rows: string) => `${problems} problema(s) em ${rows} linha(s).`,
  },
  fileProblems: { en: (problems: string) => `${problems} problem(s).`, 'pt-BR': (problems: string) => `${problems} problema(s).` },
  byKind: { en: 'Problems by kind', 'pt-BR': 'Problemas por tipo' },
  otherKinds: {
    en: (kinds: string, problems: string) => `And ${kinds} other kind(s) of problem (${problems} problem(s)).`,
    'pt-BR': (kinds: string, problems: string) => `E mais ${kinds} outro(s) tipo(s) de problema (${problems} problema(s)).`,
  },
  listed: { en: 'Problems, in the order of the file', 'pt-BR': 'Problemas, na ordem do arquivo' },
  firstListed: {
    en: (listed: string, all: string) => `The first ${listed} of ${all} problems are listed. This command lists every one:`,
    'pt-BR': (listed: string, all: string) => `Os primeiros ${listed} de ${all} problemas estão listados. Este comando lista todos:`,
  },
  cliOptions: {
    en: 'with --mapping and the mapping as a file if you used one, and --encoding latin1 for a Latin-1 file.',
    'pt-BR': 'com --mapping e o mapeamento num arquivo, se usou um, e --encoding latin1 para um arquivo Latin-1.',
  },
  unknownSkills: {
    en: (count: string, skills: string) => `The program's skills catalog does not know ${count} skill(s) the file names: ${skills}.`,
    'pt-BR': (count: string, skills: string) => `O catálogo de habilidades do programa não conhece ${count} habilidade(s) que o arquivo cita: ${skills}.`,
  },
  addSkillsHere: {
    en: 'Add them to the catalog (skillsCatalog) on the program’s edit page, then check the file again:',
    'pt-BR': 'Inclua-as no catálogo (skillsCatalog) na página de edição do programa e verifique o arquivo de novo:',
  },
  editProgram: { en: 'edit', 'pt-BR': 'editar' },
  addSkillsCli: {
    en: 'or import the file with this command, which adds them to the catalog as they are written:',
    'pt-BR': 'ou importe o arquivo com este comando, que as inclui no catálogo como estão escritas:',
  },
  rejected: { en: 'The file cannot be imported as it is: nothing was written.', 'pt-BR': 'O arquivo não pode ser importado assim: nada foi gravado.' },
  ready: { en: 'valid rows are ready to import. Nothing has been written yet.', 'pt-BR': 'linhas válidas prontas para importar. Nada foi gravado ainda.' },
  imported: { en: 'Roster imported', 'pt-BR': 'Participantes importados' },
  keptOptedOut: {
    en: 'Kept opted-out: these people left through their own opt-out link; the file does not bring them back',
    'pt-BR': 'Continuam fora: estas pessoas saíram pelo próprio link de saída; o arquivo não as traz de volta',
  },
  reactivate: {
    en: 'Bring back people who opted out themselves (listed above): the file’s status is written for them',
    'pt-BR': 'Trazer de volta quem saiu por conta própria (listados acima): o status do arquivo é gravado para essas pessoas',
  },
  stopped: {
    en: (done: number, total: number) =>
      `The import stopped part-way on an error: at least ${done} of ${total} people are stored, the others are not. Import the same file again to finish: the people stored are left as they are.`,
    'pt-BR': (done: number, total: number) =>
      `A importação parou no meio por um erro: pelo menos ${done} de ${total} pessoas estão gravadas, as outras não. Importe o mesmo arquivo de novo para terminar: as pessoas já gravadas ficam como estão.`,
  },
  noProgram: { en: 'Create a program first.', 'pt-BR': 'Crie um programa primeiro.' },
  noFile: { en: 'Choose a file.', 'pt-BR': 'Escolha um arquivo.' },
  saved: { en: 'Saved column mapping (optional)', 'pt-BR': 'Mapeamento de colunas salvo (opcional)' },
  noSaved: { en: 'None', 'pt-BR': 'Nenhum' },
  saveAs: {
    en: 'Save the mapping above for this program as (optional name, e.g. export-rh)',
    'pt-BR': 'Salvar o mapeamento acima para este programa como (nome opcional, ex.: export-rh)',
  },
  mappingSaved: { en: 'Column mapping saved', 'pt-BR': 'Mapeamento de colunas salvo' },
  readOnly: { en: 'Exports are available to HR.', 'pt-BR': 'Exportações estão disponíveis para o RH.' },
  savedList: { en: 'Saved column mappings', 'pt-BR': 'Mapeamentos de colunas salvos' },
  delete: { en: 'Delete…', 'pt-BR': 'Excluir…' },
  deleteLabel: { en: 'Delete', 'pt-BR': 'Excluir' },
  savedAgain: {
    en: 'This mapping was saved again after the page you confirmed from was opened, and was not deleted. This is what it holds now:',
    'pt-BR': 'Este mapeamento foi salvo de novo depois que a página confirmada foi aberta, e não foi excluído. Ele diz agora:',
  },
  invalidName: { en: 'The mapping name is not valid.', 'pt-BR': 'O nome do mapeamento não é válido.' },
  deleteTitle: { en: 'Delete a saved column mapping', 'pt-BR': 'Excluir um mapeamento de colunas salvo' },
  deleteQuestion: {
    en: 'Delete this mapping? Imports that choose it will need it pasted again. It reads:',
    'pt-BR': 'Excluir este mapeamento? Importações que o escolhem vão precisar colá-lo de novo. Ele diz:',
  },
  deleteConfirm: { en: 'Delete the mapping', 'pt-BR': 'Excluir o mapeamento' },
  cancel: { en: 'Cancel', 'pt-BR': 'Cancelar' },
  deleted: { en: 'Column mapping deleted', 'pt-BR': 'Mapeamento de colunas excluído' },
  alreadyGone: {
    en: 'There was no saved column mapping by that name (deleted already?)',
    'pt-BR': 'Não havia mapeamento de colunas salvo com esse nome (já excluído?)',
  },
} as const;

/**
 * The largest roster file the console takes: about 20,000 people. The import step posts the checked file
 * back in base64 (about 1.4 times its size), and on AWS the function's event carries a multipart body
 * in base64 again: 2 MB keeps both posts well under Lambda's 6 MB payload, so a file that checks
 * also imports. Larger files go through `tandem roster import` (50 MB).
 */
export const ROSTER_UPLOAD_MAX_BYTES = 2_000_000;

interface Upload {
  programId: string;
  text: string;
  /** The file as uploaded, in base64: the import step posts it back with its encoding, and reads it again as the check did. */
  bytes: string;
  encoding: TextEncoding;
  fileName: string;
  format: 'csv' | 'json';
  mappingText: string;
  savedMapping: string;
  saveMappingAs: string;
  /** The confirm form's checkbox: people who left through their own opt-out link come back as the file says. */
  reactivateOptedOut: boolean;
}

function programOptions(programs: readonly Program[], selected?: string): string {
  return programs
    .map((p) => `<option value="${e(p.programId)}"${p.programId === selected ? ' selected' : ''}>${e(p.programId)} — ${e(p.name)}</option>`)
    .join('');
}

/** The saved mappings of every program, grouped by program: the one chosen is looked up in the program chosen above it. */
function savedMappingOptions(request: PageRequest, programs: readonly Program[], selected?: string): string {
  const groups = programs
    .filter((p) => Object.keys(p.rosterMappings ?? {}).length)
    .map(
      (p) =>
        `<optgroup label="${e(p.programId)}">${Object.keys(p.rosterMappings ?? {})
          .map((name) => `<option value="${e(name)}"${name === selected ? ' selected' : ''}>${e(name)}</option>`)
          .join('')}</optgroup>`,
    )
    .join('');
  return `<option value="">${e(T.noSaved[request.lang])}</option>${groups}`;
}

function encodingOptions(lang: Language, selected: TextEncoding = 'utf-8'): string {
  return (['utf-8', 'windows-1252'] as const)
    .map((value) => `<option value="${value}"${value === selected ? ' selected' : ''}>${e((value === 'utf-8' ? T.utf8 : T.latin1)[lang])}</option>`)
    .join('');
}

async function uploadForm(request: PageRequest, upload?: Choices, programs?: readonly Program[]): Promise<string> {
  const { lang, session } = request;
  const listed = programs ?? (await request.deps.store.listPrograms());
  const options = programOptions(listed, upload?.programId);
  if (!options) return `<p>${e(T.noProgram[lang])}</p>`;
  const saved = savedMappingOptions(request, listed, upload?.savedMapping);
  return postForm(
    session,
    '/console/roster/check',
    `<label for="program">${e(T.program[lang])}</label><select id="program" name="programId">${options}</select>
<label for="file">${e(T.file[lang])}</label><input type="file" id="file" name="file" accept=".csv,.json,text/csv,application/json" required>
<label for="encoding">${e(T.encoding[lang])}</label><select id="encoding" name="encoding">${encodingOptions(lang, upload?.encoding)}</select>
<label for="saved-mapping">${e(T.saved[lang])}</label><select id="saved-mapping" name="savedMapping">${saved}</select>
<label for="mapping">${e(T.mapping[lang])}</label><textarea id="mapping" name="mapping">${e(upload?.mappingText ?? '')}</textarea>
<label for="save-mapping-as">${e(T.saveAs[lang])}</label><input type="text" id="save-mapping-as" name="saveMappingAs" maxlength="40" value="${e(upload?.saveMappingAs ?? '')}">
<p><button type="submit">${e(T.check[lang])}</button></p>`,
    { multipart: true },
  );
}

/** What a saved mapping does, in a line: its columns, then the names of what else it sets. */
function mappingSummary(mapping: ColumnMapping): string {
  // Headers come from HR's files: each is isolated, so a right-to-left one cannot reorder the rest of the line.
  const columns = Object.entries(mapping.columns ?? {}).map(([from, to]) => `<bdi>${e(from)}</bdi> → ${e(to)}`);
  const values = Object.keys(mapping.values ?? {});
  const defaults = Object.keys(mapping.defaults ?? {});
  return (
    [
      ...(columns.length ? [columns.join(', ')] : []),
      ...(values.length ? [`values: ${e(values.join(', '))}`] : []),
      ...(defaults.length ? [`defaults: ${e(defaults.join(', '))}`] : []),
      ...(mapping.delimiter ? [`delimiter: ${e(mapping.delimiter === '\t' ? 'tab' : mapping.delimiter)}`] : []),
    ].join('; ') || '—'
  );
}

/** Every program's saved mappings, each with what it maps and a button that asks before deleting it. */
function savedMappingsSection(request: PageRequest, programs: readonly Program[]): string {
  const { lang, session } = request;
  const items = programs.flatMap((p) =>
    Object.entries(p.rosterMappings ?? {}).map(([name, mapping]) => {
      const ask = postForm(
        session,
        '/console/roster/mapping-delete',
        `<input type="hidden" name="programId" value="${e(p.programId)}"><input type="hidden" name="name" value="${e(name)}"><button type="submit" aria-label="${e(`${T.deleteLabel[lang]} ${name} (${p.programId})`)}">${e(T.delete[lang])}</button>`,
        { inline: true },
      );
      return `<li><strong>${e(name)}</strong> (${e(p.programId)}): ${mappingSummary(mapping)} ${ask}</li>`;
    }),
  );
  if (!items.length) return '';
  return `<section aria-labelledby="saved-mappings-title"><h2 id="saved-mappings-title">${e(T.savedList[lang])}</h2><ul id="saved-mappings">${items.join('')}</ul></section>`;
}

/** The question before deleting a mapping, showing all of it; the answer carries its fingerprint, so that only what was shown is deleted. */
function askToDelete(request: PageRequest, programId: string, name: string, mapping: ColumnMapping, savedAgain: boolean): PageResult {
  const { lang, session } = request;
  const confirm = postForm(
    session,
    '/console/roster/mapping-delete',
    `<input type="hidden" name="programId" value="${e(programId)}"><input type="hidden" name="name" value="${e(name)}"><input type="hidden" name="fingerprint" value="${e(rosterMappingFingerprint(mapping))}"><input type="hidden" name="confirm" value="yes">
<p><button type="submit">${e(T.deleteConfirm[lang])}</button> <a href="/console/roster">${e(T.cancel[lang])}</a></p>`,
  );
  const question = savedAgain ? `<div class="errors" role="alert"><p>${e(T.savedAgain[lang])}</p></div>` : `<p>${e(T.deleteQuestion[lang])}</p>`;
  return {
    ...(savedAgain ? { status: 409 } : {}),
    title: T.deleteTitle[lang],
    main: `<h1>${e(T.deleteTitle[lang])}</h1><p>${e(programId)} · <strong>${e(name)}</strong></p>${question}<pre>${e(JSON.stringify(mapping, null, 2))}</pre>${confirm}`,
  };
}

/**
 * Deleting a saved mapping takes two posts: the first shows the mapping and asks, the second
 * (with confirm=yes and the fingerprint of what was shown) deletes it. A mapping already gone is
 * said so, not treated as an error; one saved again meanwhile is shown again, not deleted.
 */
async function deleteSavedMapping(request: PageRequest): Promise<PageResult> {
  const { lang, deps } = request;
  const programId = textField(request.form, 'programId');
  const name = parseRosterMappingName(textField(request.form, 'name'));
  const current = () => findRosterMapping(deps.store, programId, name);
  const gone: PageResult = { redirect: '/console/roster', notice: `${T.alreadyGone[lang]}: ${name}` };
  if (textField(request.form, 'confirm') !== 'yes') {
    const mapping = await current();
    return mapping ? askToDelete(request, programId, name, mapping, false) : gone;
  }
  try {
    const result = await deleteRosterMapping(deps.store, { programId, name, expectedFingerprint: textField(request.form, 'fingerprint') });
    if (!result.changed || !result.deleted) return gone;
    // The whole mapping goes into the audit entry: it is the only copy left, should HR want it back.
    await request.audit({ action: 'roster.mapping-deleted', programId, details: { name, mapping: JSON.stringify(result.deleted) } });
    return { redirect: '/console/roster', notice: `${T.deleted[lang]}: ${name} (${programId})` };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const mapping = await current();
    return mapping ? askToDelete(request, programId, name, mapping, true) : gone;
  }
}

/** The most problems the report lists, in the file's order: a 2 MB file can have 40,000, and the page must stay far below Lambda's 6 MB response. */
export const REPORT_LISTED_PROBLEMS = 200;
/** The most kinds of problem the summary names, the most frequent first; the others are counted together. */
const REPORT_KINDS = 20;
/** Text from the file (a cell, a header, a skill) is shown up to this many characters, so one huge cell cannot make the page huge. */
const REPORT_TEXT_CHARS = 240;

/** Text cut to `max` characters with an ellipsis (never half a surrogate pair). */
function clip(text: string, max = REPORT_TEXT_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : text;
}

/** Where a problem is, as its row ("line 4", "participant 2") and the rest ("skills_offered"); a file-level problem has no row. */
function rowAndPlace(where: string): { row?: string; place: string } {
  const found = /^((?:line|participant) \d+)(?::\s*([^]*))?$/.exec(where);
  return found?.[1] ? { row: found[1], place: found[2] ?? '' } : { place: where };
}

/** The problems grouped by what they say apart from their row (its column kept), each with the rows it is on: the most frequent first, then in the file's order. */
function problemKinds(issues: readonly ValidationIssue[]): Array<{ kind: string; rows: number; problems: number }> {
  const kinds = new Map<string, { rows: Set<string>; problems: number }>();
  for (const issue of issues) {
    const { row, place } = rowAndPlace(issue.where);
    const kind = place ? `${place}: ${issue.problem}` : issue.problem;
    const found = kinds.get(kind) ?? kinds.set(kind, { rows: new Set(), problems: 0 }).get(kind);
    if (!found) continue;
    found.problems++;
    found.rows.add(row ?? `#${found.problems}`);
  }
  return [...kinds.entries()].map(([kind, { rows, problems }]) => ({ kind, rows: rows.size, problems })).sort((a, b) => b.rows - a.rows);
}

/**
 * The validation report. Its size is bounded whatever the file: the first REPORT_LISTED_PROBLEMS problems
 * are listed, every problem is counted in a summary by kind (REPORT_KINDS of them named), the CLI command
 * that lists them all is given, and text from the file is cut short. Skills the catalog does not know are
 * said once, with what the console can do about them (the program's edit page) and the CLI's option.
 */
function reportHtml(lang: Language, report: RosterFileImportResult, issues: readonly ValidationIssue[]): string {
  const numbers = new Intl.NumberFormat(lang);
  const n = (value: number) => numbers.format(value);
  const code = (command: string) => `<code>${e(command)}</code>`;
  const cli = `tandem roster import FILE --program ${report.programId}`;
  const ignored = report.ignoredColumns.length
    ? ` · ${e(T.ignored[lang])}: ${e(
        report.ignoredColumns
          .slice(0, REPORT_KINDS)
          .map((h) => clip(h, 80))
          .join(', '),
      )}${report.ignoredColumns.length > REPORT_KINDS ? ` (+${n(report.ignoredColumns.length - REPORT_KINDS)})` : ''}`
    : '';
  const head = `<section aria-labelledby="report-title" id="report"><h2 id="report-title">${e(T.report[lang])}</h2>
<p>${e(n(report.rows))} · ${e(report.programId)}${ignored}</p>${keptOptedOutHtml(lang, report)}`;
  if (!issues.length) return `${head}</section>`;
  const kinds = problemKinds(issues);
  const named = kinds.slice(0, REPORT_KINDS);
  const others = kinds.slice(REPORT_KINDS);
  const kindRows = named.map((k) => `<tr><td>${e(clip(k.kind))}</td><td class="num">${e(n(k.rows))}</td></tr>`).join('');
  const rows = issues
    .slice(0, REPORT_LISTED_PROBLEMS)
    .map((i) => `<tr><td>${e(clip(i.where, 80))}</td><td>${e(clip(i.problem))}</td></tr>`)
    .join('');
  const skills = report.unknownSkills;
  const unknown = skills.length
    ? `<div id="unknown-skills"><p>${e(
        T.unknownSkills[lang](
          n(skills.length),
          skills
            .slice(0, 10)
            .map((s) => `"${clip(s.text, 80)}"`)
            .join(', ') + (skills.length > 10 ? ` (+${n(skills.length - 10)})` : ''),
        ),
      )}</p>
<p>${e(T.addSkillsHere[lang])} <a href="/console/programs/edit/${encodeURIComponent(report.programId)}">${e(T.editProgram[lang])} ${e(report.programId)}</a>; ${e(T.addSkillsCli[lang])} ${code(`${cli} --add-unknown-skills`)}</p></div>`
    : '';
  const all =
    issues.length > REPORT_LISTED_PROBLEMS
      ? `<p id="report-all">${e(T.firstListed[lang](n(REPORT_LISTED_PROBLEMS), n(issues.length)))} ${code(`${cli} --dry-run --json`)} (${e(T.cliOptions[lang])})</p>`
      : '';
  return `${head}
<p>${e(report.skipped ? T.problemCount[lang](n(issues.length), n(report.skipped)) : T.fileProblems[lang](n(issues.length)))}</p>
<h3 id="kinds-title">${e(T.byKind[lang])}</h3>
<div class="scroll"><table id="problem-kinds" aria-labelledby="kinds-title"><thead><tr><th scope="col">${e(T.problem[lang])}</th><th scope="col" class="num">${e(T.rowsColumn[lang])}</th></tr></thead><tbody>${kindRows}</tbody></table></div>
${others.length ? `<p>${e(T.otherKinds[lang](n(others.length), n(others.reduce((sum, k) => sum + k.problems, 0))))}</p>` : ''}
${unknown}
<h3 id="issues-title">${e(T.listed[lang])}</h3>
<div class="scroll"><table id="issues" aria-labelledby="issues-title"><thead><tr><th scope="col">${e(T.where[lang])}</th><th scope="col">${e(T.problem[lang])}</th></tr></thead><tbody>${rows}</tbody></table></div>
${all}</section>`;
}

/** The people the import keeps opted out (they left through their own link), at most as many rows as the report lists. */
function keptOptedOutHtml(lang: Language, report: RosterFileImportResult): string {
  const kept = report.keptOptedOut;
  if (!kept.length) return '';
  const rows = kept
    .slice(0, REPORT_LISTED_PROBLEMS)
    .map((k) => `<tr><td>${e(clip(k.where, 80))}</td><td>${e(clip(k.reason))}</td></tr>`)
    .join('');
  const more = kept.length > REPORT_LISTED_PROBLEMS ? `<p>+${kept.length - REPORT_LISTED_PROBLEMS}</p>` : '';
  return `<h3>${e(T.keptOptedOut[lang])}</h3><div class="scroll"><table id="kept-opted-out"><thead><tr><th scope="col">${e(T.where[lang])}</th><th scope="col">${e(T.problem[lang])}</th></tr></thead><tbody>${rows}</tbody></table></div>${more}`;
}

/** The encoding chosen for the file: UTF-8 unless Latin-1 (Windows-1252) was chosen; an import step from before the choice carried UTF-8. */
function encodingOf(form: FormData): TextEncoding {
  const chosen = textField(form, 'encoding');
  if (chosen === '' || chosen === 'utf-8') return 'utf-8';
  if (chosen === 'windows-1252') return 'windows-1252';
  throw new ValidationError('no such encoding', [{ where: 'encoding', problem: 'must be utf-8 or windows-1252 (Latin-1)' }]);
}

async function readUpload(form: FormData): Promise<Upload> {
  const programId = textField(form, 'programId');
  const file = form.get('file');
  const carried = form.get('text');
  const encoding = encodingOf(form);
  let bytes: Uint8Array;
  let fileName: string;
  if (file instanceof Blob && file.size > 0) {
    bytes = new Uint8Array(await file.arrayBuffer());
    fileName = (file as File).name || 'roster.csv';
  } else if (typeof carried === 'string' && carried) {
    // The import step carries the checked file back as it was uploaded, with its encoding, so what is imported is what was checked.
    bytes = Buffer.from(carried, 'base64');
    fileName = textField(form, 'fileName') || 'roster.csv';
  } else {
    throw new ValidationError('no roster file', [{ where: 'file', problem: 'choose a CSV or JSON file' }]);
  }
  if (bytes.length > ROSTER_UPLOAD_MAX_BYTES) {
    throw new ValidationError('the roster file is too large', [
      {
        where: 'file',
        problem: `${fileName} is ${(bytes.length / 1_000_000).toFixed(1)} MB; the console takes files of at most ${ROSTER_UPLOAD_MAX_BYTES / 1_000_000} MB (about 20,000 people): import a larger one with tandem roster import`,
      },
    ]);
  }
  // Decoded strictly, as tandem roster import reads a file: never garbled, with the same messages, naming this page's choice instead of the flag.
  const text = decodeText(bytes, fileName, {
    encoding,
    encodingHint: 'save it as "CSV UTF-8" in the spreadsheet, or choose Latin-1 (Windows-1252) as its encoding if it was exported as Latin-1/Windows-1252',
    utf8Hint: 'choose UTF-8 (the default) as its encoding instead',
  });
  return {
    programId,
    text,
    bytes: Buffer.from(bytes).toString('base64'),
    encoding,
    fileName,
    format: /\.json$/i.test(fileName) ? 'json' : 'csv',
    mappingText: textField(form, 'mapping').trim(),
    reactivateOptedOut: form.get('reactivateOptedOut') === 'yes',
    savedMapping: textField(form, 'savedMapping').trim(),
    saveMappingAs: textField(form, 'saveMappingAs').trim(),
  };
}

/** A pasted mapping wins over a saved one; neither means the file's own headers. */
async function mappingOf(request: PageRequest, upload: Upload): Promise<ColumnMapping | undefined> {
  if (upload.mappingText) return parseColumnMappingJson(upload.mappingText);
  return upload.savedMapping ? savedRosterMapping(request.deps.store, upload.programId, upload.savedMapping) : undefined;
}

/** What the form asked besides the file: shown again on every error page, so that a check after the error goes where the first one went. */
type Choices = Pick<Upload, 'programId' | 'mappingText' | 'savedMapping' | 'saveMappingAs'> & { encoding?: TextEncoding };

function choicesOf(form: FormData | undefined): Choices {
  const encoding = textField(form, 'encoding');
  return {
    ...(encoding === 'utf-8' || encoding === 'windows-1252' ? { encoding } : {}),
    programId: textField(form, 'programId'),
    mappingText: textField(form, 'mapping').trim(),
    savedMapping: textField(form, 'savedMapping').trim(),
    saveMappingAs: textField(form, 'saveMappingAs').trim(),
  };
}

export const rosterPage: ConsolePage = {
  segment: 'roster',
  title: T.title,
  roles: ['hr'],
  async get(request): Promise<PageResult> {
    const { lang, deps } = request;
    const exported = /^export\/([^/]+)$/.exec(request.subpath)?.[1];
    if (exported) {
      const format = request.query.get('format') === 'json' ? 'json' : 'csv';
      const programId = idFromPath(exported, 'program');
      const { text } = await exportRoster(deps.store, programId, format);
      // A byte-order mark tells Excel the CSV is UTF-8 (without it, accents open garbled); Tandem's own import skips it.
      const body = format === 'csv' ? `\ufeff${text}` : text;
      return { file: { name: `${programId}-roster.${format}`, contentType: format === 'json' ? 'application/json' : 'text/csv; charset=utf-8', body } };
    }
    const programs = await deps.store.listPrograms();
    const exports = programs
      .map(
        (p) =>
          `<li>${e(p.programId)}: <a href="/console/roster/export/${encodeURIComponent(p.programId)}">CSV</a> · <a href="/console/roster/export/${encodeURIComponent(p.programId)}?format=json">JSON</a></li>`,
      )
      .join('');
    return {
      title: T.title[lang],
      main: `<h1>${e(T.title[lang])}</h1>${await uploadForm(request, undefined, programs)}${savedMappingsSection(request, programs)}${exports ? `<h2>${e(T.export[lang])}</h2><ul>${exports}</ul>` : ''}`,
    };
  },
  async post(request): Promise<PageResult> {
    const { lang, deps, session } = request;
    if (request.subpath === 'mapping-delete') {
      try {
        return await deleteSavedMapping(request);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return {
          status: 400,
          title: T.title[lang],
          main: `<h1>${e(T.title[lang])}</h1><div class="errors" role="alert"><p>${e(T.invalidName[lang])}</p><ul>${error.issues.map((i) => `<li>${e(i.where)}: ${e(i.problem)}</li>`).join('')}</ul></div><p><a href="/console/roster">${e(T.title[lang])}</a></p>`,
        };
      }
    }
    const importing = request.subpath === 'import';
    let upload: Upload | undefined;
    try {
      upload = await readUpload(request.form ?? new FormData());
      const mapping = await mappingOf(request, upload);
      const saveMapping = !importing && upload.saveMappingAs;
      if (saveMapping && !mapping) throw new ValidationError('no mapping to save', [{ where: 'mapping', problem: 'paste a column mapping to save it' }]);
      const result = await importRosterFile(deps.store, {
        programId: upload.programId,
        text: upload.text,
        format: upload.format,
        ...(mapping ? { mapping } : {}),
        dryRun: !importing,
        // The console has no --add-unknown-skills: its report says once what to do instead (reportHtml).
        unknownSkillHint: '',
        reactivateOptedOut: importing && upload.reactivateOptedOut,
      });
      // Saved only once the file reads well with it: a refused preview leaves the program as it was.
      let savedNotice = '';
      if (saveMapping && mapping) {
        const saved = await saveRosterMapping(deps.store, { programId: upload.programId, name: upload.saveMappingAs, mapping });
        if (saved.changed) await request.audit({ action: 'roster.mapping-saved', programId: upload.programId, details: { name: upload.saveMappingAs } });
        savedNotice = `<p class="notice" role="status">${e(T.mappingSaved[lang])}: ${e(upload.saveMappingAs)}</p>`;
      }
      if (importing) {
        const details = rosterImportAuditDetails(result);
        if (details) await request.audit({ action: 'roster.imported', programId: result.programId, details });
        return { redirect: '/console/roster', notice: `${T.imported[lang]}: ${result.programId} · ${result.written} + ${result.unchanged} (=)` };
      }
      // The mapping the file was checked with travels with it (a saved one as its content): saving that name again meanwhile changes nothing here.
      const checkedMapping = upload.mappingText || (mapping ? JSON.stringify(mapping) : '');
      const confirm = postForm(
        session,
        '/console/roster/import',
        `<input type="hidden" name="programId" value="${e(upload.programId)}"><input type="hidden" name="fileName" value="${e(upload.fileName)}">
<input type="hidden" name="text" value="${e(upload.bytes)}"><input type="hidden" name="encoding" value="${e(upload.encoding)}"><input type="hidden" name="mapping" value="${e(checkedMapping)}">
<p><strong>${e(result.valid)}</strong> ${e(T.ready[lang])}</p>${
          result.keptOptedOut.length
            ? `<p><label class="check"><input type="checkbox" name="reactivateOptedOut" value="yes"> ${e(T.reactivate[lang])}</label></p>`
            : ''
        }<p><button type="submit">${e(T.importNow[lang])} (${e(result.valid)})</button></p>`,
      );
      return {
        title: T.title[lang],
        main: `<h1>${e(T.title[lang])}</h1>${savedNotice}${reportHtml(lang, result, [])}${confirm}${await uploadForm(request, upload)}`,
      };
    } catch (error) {
      // A file missing or too large leaves no upload: the form keeps the program and mapping chosen all the same.
      const chosen = upload ?? choicesOf(request.form);
      if (error instanceof RosterRejectedError) {
        return {
          status: 400,
          title: T.title[lang],
          main: `<h1>${e(T.title[lang])}</h1><div class="errors" role="alert"><p>${e(T.rejected[lang])}</p></div>${reportHtml(lang, error.report, error.report.issues)}${await uploadForm(request, chosen)}`,
        };
      }
      if (error instanceof ValidationError) {
        return {
          status: 400,
          title: T.title[lang],
          main: `<h1>${e(T.title[lang])}</h1>${serviceErrorBox(lang, 400, error.message, error.issues)}${await uploadForm(request, chosen)}`,
        };
      }
      if (error instanceof RosterImportIncompleteError) {
        const { report, progress } = error;
        const details = rosterImportAuditDetails(report, { stored: progress.done, total: progress.total, interrupted: false });
        if (details) {
          try {
            await request.audit({ action: 'roster.import-stopped', programId: report.programId, details });
          } catch {
            // The store that stopped the import may refuse this entry too: the page must still say where the roster stands.
          }
        }
        // The cause stays out of the page (it is the store's own error); the counts and what to do are what HR needs.
        return {
          status: 503,
          title: T.title[lang],
          main: `<h1>${e(T.title[lang])}</h1><div class="errors" role="alert"><p>${e(T.stopped[lang](progress.done, progress.total))}</p></div>${await uploadForm(request, chosen)}`,
        };
      }
      throw error;
    }
  },
};
