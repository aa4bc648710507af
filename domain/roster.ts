import { parse } from 'csv-parse/sync';
import { issuesFromZod, ValidationError, type ValidationIssue } from './errors.ts';
import { participantSchema, type Participant } from './participant.ts';
import { storedSkillSchema, type Language, type Skill } from './program.ts';
import { suggestSkills } from './skill-suggestions.ts';
import { reservedKeys } from './reserved-keys.ts';
import { catalogClashes, skillIdFromLabel, skillLabel, SkillResolver } from './skills.ts';
import { fromSpreadsheetCell, toSpreadsheetCsv } from './csv.ts';

export { ROSTER_COLUMNS, type RosterColumn, columnMappingSchema, type ColumnMapping } from './roster-mapping.ts';
import { ROSTER_COLUMNS, type RosterColumn, columnMappingSchema, type ColumnMapping } from './roster-mapping.ts';

export interface RosterParseResult {
  participants: Participant[];
  /** Every problem found, each with its line (CSV) or index (JSON). Empty when the roster is valid. */
  issues: ValidationIssue[];
  /** Rows read, valid or not. */
  rows: number;
  /** The rows that passed, even when others did not (what an import that skips bad rows writes). */
  valid?: Participant[];
  /** Where each of `valid` was read ("line 4", "participant 2"), in the same order. */
  validWhere?: string[];
  /** How many rows had at least one problem. */
  badRows?: number;
  /** CSV headers of the file that map to no Tandem column, as written in the file. */
  ignoredColumns?: string[];
  /** The CSV delimiter found (or given). */
  delimiter?: string;
  /** Rows with every cell empty (the `;;;;;;` line a spreadsheet export ends with): skipped, not counted in `rows`. */
  blankRows?: number;
  /** Skills the catalog does not know, each with where it was written and the closest catalog labels. */
  unknownSkills?: UnknownSkill[];
  /** Skills added to the catalog for unknown ones (addUnknownSkills): what the program's catalog gains. */
  addedSkills?: Skill[];
}

export interface UnknownSkill {
  /** As first written in the file. */
  text: string;
  /** Where it was written ("line 4", "participant 2"). */
  where: string[];
  /** Labels of the closest catalog skills, closest first, in the program's language. */
  suggestions: string[];
}

/** The columns a CSV roster must have (after mapping and defaults). */
export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['id', 'name', 'email', 'department', 'languages'];

/** A column mapping already read from its file (JSON or YAML: domain/roster-mapping-file.ts reads either); problems name the field. */
export function columnMappingFrom(data: unknown, fileName = 'mapping'): ColumnMapping {
  const reserved = reservedKeys(data);
  if (reserved.length) throw new ValidationError(`${fileName} is not a valid column mapping`, reserved);
  const parsed = columnMappingSchema.safeParse(data ?? {});
  if (!parsed.success) throw new ValidationError(`${fileName} is not a valid column mapping`, issuesFromZod(parsed.error));
  return parsed.data;
}

/** A column mapping written as JSON (the console takes JSON, so its function carries no YAML parser). */
export function parseColumnMappingJson(text: string, fileName = 'mapping.json'): ColumnMapping {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ValidationError(`${fileName} is not readable`, [{ where: 'file', problem: (error as Error).message.split('\n')[0] ?? 'unreadable' }]);
  }
  return columnMappingFrom(data, fileName);
}

export interface RosterParseOptions {
  mapping?: ColumnMapping;
  /** Add the skills the catalog does not know to it (see `addedSkills`) instead of reporting them as row errors. */
  addUnknownSkills?: boolean;
  /** The language suggestions for unknown skills are written in (the program's); default en. */
  language?: Language;
  /** The year birth and career-start years are checked against (none may be later); default the current year (UTC). */
  currentYear?: number;
  /**
   * What a problem naming an unknown skill says to do, in parentheses after it: by default the CLI's
   * `--add-unknown-skills adds it`; '' says nothing there (the console, which has no such option, says
   * what to do once, under its report).
   */
  unknownSkillHint?: string;
}

/** Lower case, no accents, single spaces: "Ano de Nascimento " and "ano de nascimento" are one header. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The delimiter of a CSV file: the one of , ; tab | that occurs most often outside quotes in the header line. */
export function detectDelimiter(text: string): string {
  const firstLine = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

const MAX_ROWS = 100_000;

/** A spreadsheet cell holds a list separated by commas; Tandem's own files use ";" or "|". */
const LIST_SEPARATOR = /[,;|]/;

function splitList(cell: string): string[] {
  return cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);
}

function skillList(cell: string, field: 'level' | 'priority'): Array<Record<string, unknown>> {
  return splitList(cell).map((entry) => {
    const colon = entry.lastIndexOf(':');
    const skill = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    return { skill, [field]: value === '' ? 3 : Number(value) };
  });
}

const numberOrUndefined = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? undefined : Number(cell));
const textOrUndefined = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? undefined : cell.trim());

/** Turns one CSV record (header → cell) into the participant shape, leaving validation to the schema. */
export function participantFromRecord(record: Record<string, string>): Record<string, unknown> {
  return {
    participantId: record.id?.trim(),
    name: record.name,
    email: record.email,
    department: record.department,
    birthYear: numberOrUndefined(record.birth_year),
    careerStartYear: numberOrUndefined(record.career_start_year),
    seniority: numberOrUndefined(record.seniority),
    skillsOffered: skillList(record.skills_offered ?? '', 'level'),
    skillsWanted: skillList(record.skills_wanted ?? '', 'priority'),
    managerId: textOrUndefined(record.manager_id),
    languages: splitList(record.languages ?? ''),
    preferredLanguage: textOrUndefined(record.preferred_language),
    timeZone: textOrUndefined(record.time_zone),
    capacity: numberOrUndefined(record.capacity),
    status: textOrUndefined(record.status),
  };
}

/** Where each file header goes: a Tandem column, or nowhere (ignored). */
function planColumns(headers: readonly string[], mapping?: ColumnMapping): { targets: Array<RosterColumn | undefined>; ignored: string[] } {
  const mapped = new Map(Object.entries(mapping?.columns ?? {}).map(([from, to]) => [normaliseHeader(from), to]));
  const targets: Array<RosterColumn | undefined> = [];
  const ignored: string[] = [];
  const taken = new Set<RosterColumn>();
  for (const header of headers) {
    const key = normaliseHeader(header);
    const viaMapping = mapped.get(key);
    let target: RosterColumn | undefined;
    if (viaMapping === 'ignore') target = undefined;
    else if (viaMapping) target = viaMapping;
    else if ((ROSTER_COLUMNS as readonly string[]).includes(key.replace(/[ -]/g, '_'))) target = key.replace(/[ -]/g, '_') as RosterColumn;
    if (target && taken.has(target)) target = undefined;
    if (target) taken.add(target);
    else if (header.trim() !== '') ignored.push(header.trim());
    targets.push(target);
  }
  return { targets, ignored };
}

const LIST_COLUMNS = new Set<RosterColumn>(['languages', 'skills_offered', 'skills_wanted']);

function mapValue(column: RosterColumn, cell: string, mapping?: ColumnMapping): string {
  const table = mapping?.values[column];
  const value = cell.trim() === '' && mapping?.defaults[column] !== undefined ? mapping.defaults[column] : cell;
  if (!table) return value;
  const lookup = new Map(Object.entries(table).map(([from, to]) => [normaliseHeader(from), to]));
  const whole = lookup.get(normaliseHeader(value));
  if (whole !== undefined) return whole;
  if (!LIST_COLUMNS.has(column)) return value;
  return value
    .split(LIST_SEPARATOR)
    .map((part) => {
      const [name, level] = part.split(':');
      const to = lookup.get(normaliseHeader(name ?? ''));
      return to === undefined ? part.trim() : level === undefined ? to : `${to}:${level.trim()}`;
    })
    .join(';');
}

/**
 * Reads a CSV roster (comma, semicolon, tab or pipe delimited, UTF-8 with or without BOM, quoted
 * fields) and validates every row. A column mapping turns an HR system's headers and values
 * into Tandem's; headers that map to nothing are reported in `ignoredColumns`.
 */
export function parseRosterCsv(text: string, skills?: readonly Skill[], options: RosterParseOptions = {}): RosterParseResult {
  const delimiter = options.mapping?.delimiter ?? detectDelimiter(text);
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(text, { bom: true, delimiter, skip_empty_lines: true, info: true, trim: true, relax_column_count: false }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      participants: [],
      rows: 0,
      delimiter,
      issues: [{ where: line ? `line ${line}` : 'file', problem: `not readable as CSV: ${(error as Error).message}` }],
    };
  }
  const [headerRow, ...withBlanks] = rows;
  // Spreadsheets end an export with a row of empty cells (";;;;;;"): nobody is on it.
  const records = withBlanks.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  const blankRows = withBlanks.length - records.length;
  if (!headerRow) return { participants: [], rows: 0, delimiter, issues: [{ where: 'file', problem: 'is empty' }] };
  const { targets, ignored } = planColumns(headerRow.record, options.mapping);
  const present = new Set([...targets.filter((t): t is RosterColumn => t !== undefined), ...(Object.keys(options.mapping?.defaults ?? {}) as RosterColumn[])]);
  const base = { delimiter, ignoredColumns: ignored, blankRows };
  if (records.length > MAX_ROWS)
    return validateRows(
      records.map(() => ({ where: '', value: undefined })),
      skills,
      options,
    );
  if (records.length === 0) return { ...base, participants: [], rows: 0, issues: [{ where: 'file', problem: 'has no participant rows under the header' }] };
  const missing = REQUIRED_COLUMNS.filter((c) => !present.has(c));
  if (missing.length) {
    const hint = ignored.length
      ? ` (the file's columns ${ignored.map((h) => `"${h}"`).join(', ')} map to none; a column-mapping file (--mapping) can map them)`
      : '';
    return { ...base, participants: [], rows: records.length, issues: [{ where: 'line 1', problem: `missing column(s): ${missing.join(', ')}${hint}` }] };
  }
  const defaults = Object.entries(options.mapping?.defaults ?? {}) as Array<[RosterColumn, string]>;
  const result = validateRows(
    records.map((r) => {
      const record: Record<string, string> = {};
      for (const [column, value] of defaults) record[column] = value;
      r.record.forEach((cell, i) => {
        const column = targets[i];
        if (column) record[column] = mapValue(column, fromSpreadsheetCell(cell), options.mapping);
      });
      const where = `line ${r.info.lines}`;
      return { where, value: participantFromRecord(record), issues: [...nulCells(r.record, targets, where), ...textInNumberColumns(record, where)] };
    }),
    skills,
    options,
  );
  return { ...result, ...base };
}

/** Writes participants as a CSV roster in Tandem's columns, which parseRosterCsv reads back to the same participants. */
export function rosterToCsv(participants: readonly Participant[]): string {
  const lines: string[][] = [[...ROSTER_COLUMNS]];
  for (const p of participants) {
    const cells: Record<RosterColumn, string> = {
      id: p.participantId,
      name: p.name,
      email: p.email,
      department: p.department,
      birth_year: p.birthYear?.toString() ?? '',
      career_start_year: p.careerStartYear?.toString() ?? '',
      seniority: p.seniority === undefined ? '' : String(p.seniority),
      skills_offered: p.skillsOffered.map((s) => `${s.skill}:${s.level}`).join(';'),
      skills_wanted: p.skillsWanted.map((s) => `${s.skill}:${s.priority}`).join(';'),
      manager_id: p.managerId ?? '',
      languages: p.languages.join(';'),
      preferred_language: p.preferredLanguage ?? '',
      time_zone: p.timeZone ?? '',
      capacity: String(p.capacity),
      status: p.status,
    };
    lines.push(ROSTER_COLUMNS.map((c) => cells[c]));
  }
  return toSpreadsheetCsv(lines);
}

/** Reads a JSON roster: an array of participants, or { "participants": [...] }. */
export function parseRosterJson(text: string, skills?: readonly Skill[], options: Omit<RosterParseOptions, 'mapping'> = {}): RosterParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { participants: [], rows: 0, issues: [{ where: 'file', problem: `not valid JSON: ${(error as Error).message}` }] };
  }
  const list: unknown = Array.isArray(data) ? data : (data as { participants?: unknown })?.participants;
  if (!Array.isArray(list))
    return { participants: [], rows: 0, issues: [{ where: 'file', problem: 'expected an array of participants or { "participants": [...] }' }] };
  // As an empty CSV file is: an import of nobody is a mistake, not a success.
  if (list.length === 0) return { participants: [], rows: 0, issues: [{ where: 'file', problem: 'has no participants' }] };
  return validateRows(
    (list as unknown[]).map((value, i) => ({ where: `participant ${i + 1}`, value, issues: nulValues(value, `participant ${i + 1}`) })),
    skills,
    options,
  );
}

const NUMBER_COLUMNS = [
  { column: 'birth_year', field: 'birthYear' },
  { column: 'career_start_year', field: 'careerStartYear' },
  { column: 'seniority', field: 'seniority' },
  { column: 'capacity', field: 'capacity' },
] as const;

/** Text where a number belongs ("Estagiária" as seniority) is named as written, with how a mapping turns it into a number. */
function textInNumberColumns(record: Record<string, string>, where: string): RowIssue[] {
  return NUMBER_COLUMNS.flatMap(({ column, field }) => {
    const cell = record[column]?.trim() ?? '';
    return cell !== '' && Number.isNaN(Number(cell))
      ? [
          {
            where: `${where}: ${column}`,
            field,
            problem: `"${cell}" is not a number; a column mapping can turn it into one (values: { ${column}: { "${cell}": 2 } })`,
          },
        ]
      : [];
  });
}

/** A problem found before the participant schema runs; `field` is left out of the schema's own report of the same field. */
type RowIssue = ValidationIssue & { field?: string };

/**
 * A NUL character is in no one's name or address: it comes from a damaged file or a binary or UTF-16
 * export, and some fields (a time zone, a language) would store it as it is while a name would lose it
 * unseen. The row is refused, naming the column; what else it holds is not read into the roster.
 */
const NUL_PROBLEM =
  'holds a NUL character (U+0000), which no text has: the file is damaged or was not saved as text (save it as "CSV UTF-8"), or remove the character';

/** The cells of a CSV row that hold a NUL, by the Tandem column they map to (a column mapped to none is not read). */
function nulCells(cells: readonly string[], targets: ReadonlyArray<RosterColumn | undefined>, where: string): RowIssue[] {
  return cells.flatMap((cell, i) => {
    const column = targets[i];
    return column && cell.includes('\u0000') ? [{ where: `${where}: ${column}`, problem: NUL_PROBLEM }] : [];
  });
}

/** How deep a JSON participant is searched for NULs: its fields nest three levels (availability); a deeper value is the schema's to refuse. */
const NUL_SEARCH_DEPTH = 6;

/** The text values of a JSON participant that hold a NUL, by their path ("skillsOffered.0.skill"). */
function nulValues(value: unknown, where: string, path: string[] = []): RowIssue[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ where: path.length ? `${where}: ${path.join('.')}` : `${where}: row`, problem: NUL_PROBLEM }] : [];
  if (!value || typeof value !== 'object' || path.length >= NUL_SEARCH_DEPTH) return [];
  return Object.entries(value).flatMap(([key, inner]) => nulValues(inner, where, [...path, key]));
}

const SKILL_LISTS = [
  { field: 'skillsOffered', column: 'skills_offered' },
  { field: 'skillsWanted', column: 'skills_wanted' },
] as const;

/**
 * Reads the skills of every row against the catalog: each written skill becomes the id of the
 * catalog skill it names; the ones the catalog does not know are collected with suggestions
 * (or, with addUnknownSkills, added to the catalog so that later rows find them too).
 */
class SkillReader {
  private readonly resolver: SkillResolver;
  readonly unknown = new Map<string, UnknownSkill>();
  readonly added: Skill[] = [];

  constructor(
    catalog: readonly Skill[],
    private readonly options: Pick<RosterParseOptions, 'addUnknownSkills' | 'language' | 'unknownSkillHint'>,
  ) {
    this.resolver = new SkillResolver(catalog);
  }

  /** The row with its skills as ids; unknown skills are left out of it and returned as problems. */
  read(row: { where: string; value: unknown }): { value: unknown; issues: ValidationIssue[] } {
    if (!row.value || typeof row.value !== 'object') return { value: row.value, issues: [] };
    const value: Record<string, unknown> = { ...(row.value as Record<string, unknown>) };
    const issues: ValidationIssue[] = [];
    for (const { field, column } of SKILL_LISTS) {
      const list = value[field];
      if (!Array.isArray(list)) continue;
      const seen = new Set<string>();
      value[field] = list.flatMap((entry: unknown) => {
        const written = (entry as { skill?: unknown } | null)?.skill;
        if (typeof written !== 'string') return [entry];
        const skill = this.resolver.resolve(written) ?? this.addOrReport(written, `${row.where}: ${column}`, issues);
        if (!skill || seen.has(skill.id)) return [];
        seen.add(skill.id);
        return [{ ...(entry as object), skill: skill.id }];
      });
    }
    return { value, issues };
  }

  private addOrReport(written: string, where: string, issues: ValidationIssue[]): Skill | undefined {
    const text = written.trim();
    if (text === '') return undefined;
    if (this.options.addUnknownSkills) {
      const id = skillIdFromLabel(text);
      const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
      if (!id) {
        issues.push({ where, problem: `"${shown}" cannot be added to the skills catalog: it has no letter or digit` });
        return undefined;
      }
      const skill: Skill = { id, labels: { 'pt-BR': text, en: text }, aliases: [], digital: false };
      // Checked as the program will check it when the catalog is saved, so the import refuses the row instead of failing later.
      const stored = storedSkillSchema.safeParse(skill);
      const problem = stored.success ? catalogClashes([...this.resolver.catalog, skill])[0] : issuesFromZod(stored.error)[0]?.problem;
      if (problem !== undefined) {
        issues.push({ where, problem: `"${shown}" cannot be added to the skills catalog: ${problem}` });
        return undefined;
      }
      this.resolver.add(skill);
      this.added.push(skill);
      return skill;
    }
    const language = this.options.language ?? 'en';
    const key = text.toLowerCase();
    const known = this.unknown.get(key) ?? { text, where: [], suggestions: suggestSkills(this.resolver.catalog, text).map((s) => skillLabel(s, language)) };
    known.where.push(where.replace(/:.*$/, ''));
    this.unknown.set(key, known);
    const hint = known.suggestions.length ? `; closest: ${known.suggestions.map((l) => `"${l}"`).join(', ')}` : '';
    const todo = this.options.unknownSkillHint ?? '--add-unknown-skills adds it';
    issues.push({ where, problem: `"${text}" is not in the program's skills catalog${hint}${todo ? ` (${todo})` : ''}` });
    return undefined;
  }
}

/** A birth or career-start year after this year, or a career that starts before its person was born: a typo in the file. */
function implausibleYears(p: Participant, where: string, currentYear: number): ValidationIssue[] {
  // A CSV row is named by its line and its columns; a JSON participant by its index and its fields.
  const csv = where.startsWith('line ');
  const birth = csv ? 'birth_year' : 'birthYear';
  const career = csv ? 'career_start_year' : 'careerStartYear';
  const issues: ValidationIssue[] = [];
  if (p.birthYear !== undefined && p.birthYear > currentYear) issues.push({ where: `${where}: ${birth}`, problem: `${p.birthYear} is in the future` });
  if (p.careerStartYear !== undefined && p.careerStartYear > currentYear)
    issues.push({ where: `${where}: ${career}`, problem: `${p.careerStartYear} is in the future` });
  if (p.birthYear !== undefined && p.careerStartYear !== undefined && p.careerStartYear < p.birthYear)
    issues.push({ where: `${where}: ${career}`, problem: `${p.careerStartYear} is before the birth year (${birth} ${p.birthYear})` });
  return issues;
}

function validateRows(
  rows: Array<{ where: string; value: unknown; issues?: RowIssue[] }>,
  skills: readonly Skill[] | undefined,
  options: RosterParseOptions,
): RosterParseResult {
  if (rows.length > MAX_ROWS) return { participants: [], rows: rows.length, issues: [{ where: 'file', problem: `more than ${MAX_ROWS} rows` }] };
  const issues: ValidationIssue[] = [];
  const participants: Participant[] = [];
  const reader = skills ? new SkillReader(skills, options) : undefined;
  const seenIds = new Map<string, string>();
  const seenEmails = new Map<string, string>();
  const valid: Participant[] = [];
  const validWhere: string[] = [];
  let badRows = 0;
  for (const row of rows) {
    const before = issues.length;
    const withIds = reader ? reader.read(row) : { value: row.value, issues: [] };
    const found = new Set((row.issues ?? []).map((i) => i.field));
    issues.push(...(row.issues ?? []).map(({ where, problem }) => ({ where, problem })), ...withIds.issues);
    const parsed = participantSchema.safeParse(withIds.value);
    if (!parsed.success) {
      issues.push(
        ...issuesFromZod(parsed.error)
          .filter((i) => !found.has(i.where))
          .map((i) => ({ where: `${row.where}: ${i.where.replace(/^\(root\)$/, 'row')}`, problem: i.problem })),
      );
      badRows++;
      continue;
    }
    const p = parsed.data;
    issues.push(...implausibleYears(p, row.where, options.currentYear ?? new Date().getUTCFullYear()));
    const duplicateId = seenIds.get(p.participantId);
    if (duplicateId) issues.push({ where: `${row.where}: id`, problem: `"${p.participantId}" is used again (first on ${duplicateId})` });
    const duplicateEmail = seenEmails.get(p.email);
    if (duplicateEmail) issues.push({ where: `${row.where}: email`, problem: `${p.email} is used again (first on ${duplicateEmail})` });
    seenIds.set(p.participantId, row.where);
    seenEmails.set(p.email, row.where);
    participants.push(p);
    if (issues.length === before) {
      valid.push(p);
      validWhere.push(row.where);
    } else badRows++;
  }
  return {
    participants: issues.length ? [] : participants,
    issues,
    rows: rows.length,
    valid,
    validWhere,
    badRows,
    ...(reader ? { unknownSkills: [...reader.unknown.values()], addedSkills: reader.added } : {}),
  };
}
