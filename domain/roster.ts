import { parse } from 'csv-parse/sync';
import { issuesFromZod, type ValidationIssue } from './errors.ts';
import { participantSchema, type Participant } from './participant.ts';
import type { Skill } from './program.ts';

/** The CSV columns Tandem reads; lists inside a cell are separated by ";" or "|", and skills carry ":level" or ":priority". */
export const ROSTER_COLUMNS = [
  'id',
  'name',
  'email',
  'department',
  'birth_year',
  'career_start_year',
  'seniority',
  'skills_offered',
  'skills_wanted',
  'manager_id',
  'languages',
  'preferred_language',
  'time_zone',
  'capacity',
  'status',
] as const;

export interface RosterParseResult {
  participants: Participant[];
  /** Every problem found, each with its line (CSV) or index (JSON). Empty when the roster is valid. */
  issues: ValidationIssue[];
  /** Rows read, valid or not. */
  rows: number;
}

const MAX_ROWS = 100_000;

function splitList(cell: string): string[] {
  return cell
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function skillList(cell: string, field: 'level' | 'priority'): Array<Record<string, unknown>> {
  return splitList(cell).map((entry) => {
    const [skill, value] = entry.split(':').map((s) => s.trim());
    return { skill, [field]: value === undefined || value === '' ? 3 : Number(value) };
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

/** Reads a CSV roster (comma or semicolon, with or without BOM, quoted fields) and validates every row. */
export function parseRosterCsv(text: string, skills?: readonly Skill[]): RosterParseResult {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), delimiter, skip_empty_lines: true, info: true, trim: true, relax_column_count: false });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { participants: [], rows: 0, issues: [{ where: line ? `line ${line}` : 'file', problem: `not readable as CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { participants: [], rows: 0, issues: [{ where: 'file', problem: 'has no participant rows under the header' }] };
  const header = Object.keys(records[0]?.record ?? {});
  const missing = ['id', 'name', 'email', 'department', 'seniority', 'languages'].filter((c) => !header.includes(c));
  if (missing.length) return { participants: [], rows: records.length, issues: [{ where: 'line 1', problem: `missing column(s): ${missing.join(', ')}` }] };
  return validateRows(
    records.map((r) => ({ where: `line ${r.info.lines}`, value: participantFromRecord(r.record) })),
    skills,
  );
}

/** Reads a JSON roster: an array of participants, or { "participants": [...] }. */
export function parseRosterJson(text: string, skills?: readonly Skill[]): RosterParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { participants: [], rows: 0, issues: [{ where: 'file', problem: `not valid JSON: ${(error as Error).message}` }] };
  }
  const list = Array.isArray(data) ? data : (data as { participants?: unknown })?.participants;
  if (!Array.isArray(list)) return { participants: [], rows: 0, issues: [{ where: 'file', problem: 'expected an array of participants or { "participants": [...] }' }] };
  return validateRows(list.map((value, i) => ({ where: `participant ${i + 1}`, value })), skills);
}

function validateRows(rows: Array<{ where: string; value: unknown }>, skills?: readonly Skill[]): RosterParseResult {
  if (rows.length > MAX_ROWS) return { participants: [], rows: rows.length, issues: [{ where: 'file', problem: `more than ${MAX_ROWS} rows` }] };
  const issues: ValidationIssue[] = [];
  const participants: Participant[] = [];
  const known = skills ? new Set(skills.map((s) => s.id)) : undefined;
  const seenIds = new Map<string, string>();
  const seenEmails = new Map<string, string>();
  for (const row of rows) {
    const parsed = participantSchema.safeParse(row.value);
    if (!parsed.success) {
      issues.push(...issuesFromZod(parsed.error).map((i) => ({ where: `${row.where}: ${i.where.replace(/^\(root\)$/, 'row')}`, problem: i.problem })));
      continue;
    }
    const p = parsed.data;
    const duplicateId = seenIds.get(p.participantId);
    if (duplicateId) issues.push({ where: `${row.where}: id`, problem: `"${p.participantId}" is used again (first on ${duplicateId})` });
    const duplicateEmail = seenEmails.get(p.email);
    if (duplicateEmail) issues.push({ where: `${row.where}: email`, problem: `${p.email} is used again (first on ${duplicateEmail})` });
    seenIds.set(p.participantId, row.where);
    seenEmails.set(p.email, row.where);
    if (known) {
      for (const s of [...p.skillsOffered, ...p.skillsWanted]) {
        if (!known.has(s.skill)) issues.push({ where: `${row.where}: skills`, problem: `"${s.skill}" is not in the program's skills catalog` });
      }
    }
    participants.push(p);
  }
  return { participants: issues.length ? [] : participants, issues, rows: rows.length };
}
