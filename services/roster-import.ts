import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { parseRosterCsv, parseRosterJson } from '../domain/roster.ts';
import type { ProgramStore } from './ports.ts';
import { addressesStoredUnderOtherIds, keepOwnOptOuts, type KeptOptOut } from './roster-files.ts';

export interface RosterImportResult {
  rows: number;
  written: number;
  unchanged: number;
  dryRun: boolean;
  /** People the file marks active who left through their own opt-out link, kept opted-out (services/roster-files.ts). */
  keptOptedOut: KeptOptOut[];
}

/**
 * Validates a whole roster file before writing any of it: an invalid file writes nothing and
 * the error lists every bad row with its line. Re-importing the same file changes nothing.
 */
export async function importRoster(
  store: ProgramStore,
  request: { programId: string; text: string; format: 'csv' | 'json'; dryRun?: boolean; reactivateOptedOut?: boolean },
): Promise<RosterImportResult> {
  const program = await store.getProgram(request.programId);
  if (!program) throw new NotFoundError(`program ${request.programId} does not exist; create it first`);
  const parsed = request.format === 'csv' ? parseRosterCsv(request.text, program.skillsCatalog) : parseRosterJson(request.text, program.skillsCatalog);
  const taken = parsed.issues.length ? undefined : await addressesStoredUnderOtherIds(store, program.programId, parsed.participants, parsed.validWhere);
  if (taken) parsed.issues.push(...taken.issues);
  if (parsed.issues.length) throw new ValidationError(`the roster has ${parsed.issues.length} problem(s); nothing was imported`, parsed.issues);
  const own = keepOwnOptOuts(taken?.stored ?? [], parsed.participants, parsed.validWhere ?? [], request.reactivateOptedOut);
  if (request.dryRun) return { rows: parsed.rows, written: 0, unchanged: 0, dryRun: true, keptOptedOut: own.kept };
  const { written, unchanged } = await store.putParticipants(program.programId, own.participants);
  return { rows: parsed.rows, written, unchanged, dryRun: false, keptOptedOut: own.kept };
}
