import { IncompleteError, issuesFromZod, NotFoundError, ValidationError, type ValidationIssue } from '../domain/errors.ts';
import type { Participant } from '../domain/participant.ts';
import { programSchema, type Skill } from '../domain/program.ts';
import { parseRosterCsv, parseRosterJson, rosterToCsv, type ColumnMapping, type RosterParseResult, type UnknownSkill } from '../domain/roster.ts';
import type { ProgramStore } from './ports.ts';

export interface RosterFileImportRequest {
  programId: string;
  text: string;
  format: 'csv' | 'json';
  mapping?: ColumnMapping;
  dryRun?: boolean;
  /** Import the valid rows of a file that has bad ones (they are reported, not written). */
  skipBadRows?: boolean;
  /** Add skills the catalog does not know to the program's catalog (listed in the result; a dry run writes nothing). */
  addUnknownSkills?: boolean;
  /** What the problem of an unknown skill says to do (RosterParseOptions.unknownSkillHint): the CLI's flag unless told otherwise. */
  unknownSkillHint?: string;
  /** Called after each batch is written: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Participants per write batch (progress granularity). */
  batchSize?: number;
  /**
   * Let the file's `active` (or `unreachable`) bring back people who left through their own opt-out
   * link. Without it they stay `opted-out` and the report lists them (`keptOptedOut`).
   */
  reactivateOptedOut?: boolean;
  /** Aborted (Ctrl-C): the batch being written is finished, no other is started, and a RosterImportIncompleteError says how far it got. */
  signal?: AbortSignal;
}

export interface RosterFileImportResult {
  programId: string;
  rows: number;
  valid: number;
  /** Rows with at least one problem (skipped with skipBadRows, else nothing was written). */
  skipped: number;
  written: number;
  unchanged: number;
  dryRun: boolean;
  delimiter?: string;
  ignoredColumns: string[];
  /** Rows with every cell empty, skipped. */
  blankRows: number;
  /** Skills the catalog does not know (row errors unless addUnknownSkills). */
  unknownSkills: UnknownSkill[];
  /** Skills added to the program's catalog (to be added, in a dry run). */
  addedSkills: Skill[];
  /** The ids of the skills this import added to the stored catalog (none when another import or an edit had added them already). */
  catalogAdded?: string[];
  issues: ValidationIssue[];
  /** People the file marks active who left through their own opt-out link: kept `opted-out` (no `reactivateOptedOut`). */
  keptOptedOut: KeptOptOut[];
}

/** A row whose person stays opted out: where it is in the file, who, and why. */
export interface KeptOptOut {
  where: string;
  participantId: string;
  reason: string;
}

/**
 * A person's own opt-out (the link in every email, `ownOptOutAt` on the stored roster) is theirs:
 * a file that still says `active` for them (HR's usual export, made before they left) does not
 * bring them back. Each such row is written `opted-out`, its mark kept, and listed with its line.
 * With `reactivate`, HR says they really come back: the file's status is written and the mark
 * dropped. A mark in the file itself is never taken (only the opt-out link sets it).
 */
export function keepOwnOptOuts(
  stored: readonly Participant[],
  participants: readonly Participant[],
  where: readonly string[],
  reactivate = false,
): { participants: Participant[]; kept: KeptOptOut[] } {
  const ownOptOut = new Map(stored.flatMap((p) => (p.status === 'opted-out' && p.ownOptOutAt !== undefined ? [[p.participantId, p.ownOptOutAt]] : [])));
  const kept: KeptOptOut[] = [];
  const out = participants.map((row, i) => {
    const { ownOptOutAt: _fromFile, ...person } = row;
    const at = ownOptOut.get(person.participantId);
    if (at === undefined) return person;
    if (person.status === 'opted-out') return { ...person, ownOptOutAt: at };
    if (reactivate) return person;
    kept.push({
      where: where[i] ?? `participant ${person.participantId}`,
      participantId: person.participantId,
      reason: `${person.participantId} left the program through their own opt-out link on ${new Date(at).toISOString().slice(0, 10)}; kept opted-out (the file says ${person.status}). To bring them back, import again with --reactivate-opted-out (console: "Bring back people who opted out")`,
    });
    return { ...person, status: 'opted-out' as const, ownOptOutAt: at };
  });
  return { participants: out, kept };
}

/**
 * What the audit log records of an import that changed the store (people written, or skills added
 * to the catalog, which a file of people already stored can do alone), or undefined when it changed
 * nothing. One shape for the CLI and the console, whether the import finished or stopped part-way.
 */
export function rosterImportAuditDetails(
  report: RosterFileImportResult,
  stopped?: { stored: number; total: number; interrupted: boolean },
): Record<string, string | number | boolean> | undefined {
  const catalogAdded = report.catalogAdded ?? [];
  if (report.written === 0 && catalogAdded.length === 0) return undefined;
  return {
    written: report.written,
    unchanged: report.unchanged,
    skipped: report.skipped,
    // The audit log's details are flat: the ids in one text.
    ...(catalogAdded.length ? { catalogAdded: catalogAdded.join(', ') } : {}),
    ...(stopped ?? {}),
  };
}

/** Thrown when a file has bad rows and skipBadRows is not set: nothing was written. `report` holds the whole validation report. */
export class RosterRejectedError extends ValidationError {
  override name = 'RosterRejectedError';
  constructor(
    readonly report: RosterFileImportResult,
    fileLevel = false,
  ) {
    super(
      fileLevel
        ? 'the roster file cannot be imported; nothing was imported'
        : `the roster has ${report.issues.length} problem(s) in ${report.skipped} row(s); nothing was imported (--skip-bad-rows imports the valid rows)`,
      report.issues,
    );
  }
}

/**
 * Thrown when an import stops part-way (`signal` aborted, or a write failed: the cause). Nothing is
 * rolled back: every person stored is stored as the file has them, `report` counts them, and importing
 * the same file again stores the rest (the people stored already count as unchanged).
 */
export class RosterImportIncompleteError extends IncompleteError {
  override name = 'RosterImportIncompleteError';
  constructor(
    readonly report: RosterFileImportResult,
    total: number,
    options: { interrupted: boolean; cause?: unknown },
  ) {
    const stored = report.written + report.unchanged;
    // After a failed write the batch it was in may be partly stored: only the batches before it are known to be.
    const count = options.interrupted ? `${stored} of ${total}` : `at least ${stored} of ${total}`;
    const why = options.interrupted
      ? 'was interrupted'
      : `stopped on an error (${options.cause instanceof Error ? options.cause.message : String(options.cause)})`;
    super(
      `the roster import into ${report.programId} ${why}: ${count} people are stored (${report.written} written, ${report.unchanged} unchanged), the others are not; ` +
        `rerun the same command to finish (the people stored already are left as they are)`,
      { done: stored, total, interrupted: options.interrupted },
      options.cause === undefined ? undefined : { cause: options.cause },
    );
  }
}

/**
 * Imports a roster file as `tandem roster import` does: validates all of it first; an invalid
 * file writes nothing unless skipBadRows; writes in batches so a progress bar can follow; the
 * store's fingerprints make re-importing the same file change nothing.
 */
export async function importRosterFile(store: ProgramStore, request: RosterFileImportRequest): Promise<RosterFileImportResult> {
  const program = await store.getProgram(request.programId);
  if (!program) throw new NotFoundError(`program ${request.programId} does not exist; create it first (tandem program create --file <program.yaml>)`);
  if (request.mapping && request.format === 'json') throw new ValidationError('a column mapping applies to CSV files only');
  // Stored programs from before skills had labels are read as they were written: parsing upgrades their catalog.
  const stored = programSchema.shape.skillsCatalog.safeParse(program.skillsCatalog);
  if (!stored.success)
    throw new ValidationError(`program ${program.programId}'s skills catalog needs fixing first (tandem program update)`, issuesFromZod(stored.error));
  const catalog = stored.data;
  const options = {
    addUnknownSkills: Boolean(request.addUnknownSkills),
    language: program.language,
    ...(request.unknownSkillHint === undefined ? {} : { unknownSkillHint: request.unknownSkillHint }),
  };
  const parsed: RosterParseResult =
    request.format === 'csv'
      ? parseRosterCsv(request.text, catalog, { ...options, ...(request.mapping ? { mapping: request.mapping } : {}) })
      : parseRosterJson(request.text, catalog, options);
  const read = parsed.issues.length ? (parsed.valid ?? []) : parsed.participants;
  // An address the program holds under another id (an HR export that renumbered its ids) would put one person in a cycle twice.
  const taken = await addressesStoredUnderOtherIds(store, program.programId, read, parsed.validWhere ?? []);
  parsed.issues.push(...taken.issues);
  const validWhere = (parsed.validWhere ?? []).filter((_, i) => !taken.participantIds.has(read[i]?.participantId ?? ''));
  const own = keepOwnOptOuts(
    taken.stored,
    read.filter((p) => !taken.participantIds.has(p.participantId)),
    validWhere,
    request.reactivateOptedOut,
  );
  const valid = own.participants;
  const report: RosterFileImportResult = {
    programId: program.programId,
    rows: parsed.rows,
    valid: valid.length,
    skipped: parsed.issues.length ? (parsed.badRows ?? 0) + taken.participantIds.size : 0,
    written: 0,
    unchanged: 0,
    dryRun: Boolean(request.dryRun),
    ...(parsed.delimiter ? { delimiter: parsed.delimiter } : {}),
    ignoredColumns: parsed.ignoredColumns ?? [],
    blankRows: parsed.blankRows ?? 0,
    unknownSkills: parsed.unknownSkills ?? [],
    addedSkills: parsed.addedSkills ?? [],
    issues: parsed.issues,
    keptOptedOut: own.kept,
  };
  // A file-level problem (unreadable, missing columns) leaves no rows to import, whatever the options.
  const fileLevel = parsed.issues.length > 0 && read.length === 0;
  if (parsed.issues.length && (!request.skipBadRows || fileLevel)) throw new RosterRejectedError(report, fileLevel);
  if (request.dryRun) return report;
  if (request.signal?.aborted) throw new RosterImportIncompleteError(report, valid.length, { interrupted: true });
  if (report.addedSkills.length) {
    // The catalog first: the participants written next name the new skills by id. Writing the same catalog again changes nothing.
    // Added to the catalog as stored at the write, so that a change made to the program meanwhile stays.
    const added = report.addedSkills;
    await store.modifyProgram(program.programId, (current) => {
      const known = new Set(current.skillsCatalog.map((skill) => skill.id));
      const missing = added.filter((skill) => !known.has(skill.id));
      // Set on every attempt: a modification retried after another write keeps the last attempt's, the one written.
      report.catalogAdded = [];
      if (missing.length === 0) return undefined;
      const updated = programSchema.safeParse({ ...current, skillsCatalog: [...current.skillsCatalog, ...missing] });
      if (!updated.success) throw new ValidationError('the skills to add do not fit in the program; nothing was imported', issuesFromZod(updated.error));
      report.catalogAdded = missing.map((skill) => skill.id);
      return updated.data;
    });
  }
  const batch = request.batchSize ?? 250;
  request.onProgress?.(0, valid.length);
  for (let i = 0; i < valid.length; i += batch) {
    if (request.signal?.aborted) throw new RosterImportIncompleteError(report, valid.length, { interrupted: true });
    const slice: Participant[] = valid.slice(i, i + batch);
    let outcome: { written: number; unchanged: number };
    try {
      outcome = await store.putParticipants(program.programId, slice);
    } catch (error) {
      throw new RosterImportIncompleteError(report, valid.length, { interrupted: false, cause: error });
    }
    report.written += outcome.written;
    report.unchanged += outcome.unchanged;
    request.onProgress?.(Math.min(valid.length, i + batch), valid.length);
  }
  return report;
}

/**
 * The rows whose address the program's stored roster holds under another id (and the stored roster, read for it), each named by its
 * line, its address and the id it is stored under. An id the file also holds counts with the
 * file's address (the file moves that person to another address); the file's own duplicates are
 * found by the parser.
 */
export async function addressesStoredUnderOtherIds(
  store: ProgramStore,
  programId: string,
  participants: readonly Participant[],
  where: readonly string[] = [],
): Promise<{ issues: ValidationIssue[]; participantIds: Set<string>; stored: Participant[] }> {
  const issues: ValidationIssue[] = [];
  const participantIds = new Set<string>();
  if (participants.length === 0) return { issues, participantIds, stored: [] };
  const inFile = new Set(participants.map((p) => p.participantId));
  const storedUnder = new Map<string, string>();
  const roster = await store.listParticipants(programId);
  for (const stored of roster) if (!inFile.has(stored.participantId)) storedUnder.set(stored.email, stored.participantId);
  participants.forEach((p, i) => {
    const other = storedUnder.get(p.email);
    if (other === undefined) return;
    participantIds.add(p.participantId);
    issues.push({
      where: `${where[i] ?? `participant ${p.participantId}`}: email`,
      problem: `${p.email} is stored under id ${other} in program ${programId} already (this row has id ${p.participantId}); use ${other} for this person, or change ${other}'s address first`,
    });
  });
  return { issues, participantIds, stored: roster };
}

/** The roster as stored, as CSV in Tandem's columns (importable as it is) or as JSON. */
export async function exportRoster(store: ProgramStore, programId: string, format: 'csv' | 'json'): Promise<{ text: string; count: number }> {
  if (!(await store.getProgram(programId))) throw new NotFoundError(`program ${programId} does not exist`);
  const roster = (await store.listParticipants(programId)).sort((a, b) => a.participantId.localeCompare(b.participantId));
  return { text: format === 'csv' ? rosterToCsv(roster) : `${JSON.stringify(roster, null, 2)}\n`, count: roster.length };
}
