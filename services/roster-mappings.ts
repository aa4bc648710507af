import { ConflictError, issuesFromZod, ValidationError } from '../domain/errors.ts';
import type { Program } from '../domain/program.ts';
import { rosterMappingNameSchema } from '../domain/roster-mapping.ts';
import type { ColumnMapping } from '../domain/roster.ts';
import { fingerprintOf, getProgramOrFail } from './programs.ts';
import type { ProgramStore } from './ports.ts';

/** A program's saved column mappings, by name (none when it has saved none). */
export async function listRosterMappings(store: ProgramStore, programId: string): Promise<Record<string, ColumnMapping>> {
  return (await getProgramOrFail(store, programId)).rosterMappings ?? {};
}

/** The mapping of that name among a program's mappings: own keys only, so that a name such as "toString" or "__proto__" never finds what every object inherits. */
function mappingNamed(mappings: Readonly<Record<string, ColumnMapping>>, name: string): ColumnMapping | undefined {
  return Object.hasOwn(mappings, name) ? mappings[name] : undefined;
}

/** The saved mapping of that name, or undefined when the program has none by that name. */
export async function findRosterMapping(store: ProgramStore, programId: string, name: string): Promise<ColumnMapping | undefined> {
  return mappingNamed(await listRosterMappings(store, programId), name);
}

/** The saved mapping of that name, or a ValidationError naming the field when the program has none by that name. */
export async function savedRosterMapping(store: ProgramStore, programId: string, name: string): Promise<ColumnMapping> {
  const mapping = await findRosterMapping(store, programId, name);
  if (!mapping) throw new ValidationError('no such saved mapping', [{ where: 'savedMapping', problem: `program ${programId} has no mapping named "${name}"` }]);
  return mapping;
}

/**
 * Saves a column mapping with the program under a name (replacing one of that name). Saving the same
 * mapping again writes the same program: the result says whether anything changed.
 */
export async function saveRosterMapping(
  store: ProgramStore,
  request: { programId: string; name: string; mapping: ColumnMapping },
): Promise<{ program: Program; changed: boolean }> {
  const name = parseRosterMappingName(request.name);
  await getProgramOrFail(store, request.programId);
  let changed = false;
  // Applied to the program as stored at the write, so that a mapping saved meanwhile under another name stays.
  const program = await store.modifyProgram(request.programId, (current) => {
    changed = JSON.stringify(mappingNamed(current.rosterMappings ?? {}, name)) !== JSON.stringify(request.mapping);
    return changed ? { ...current, rosterMappings: { ...current.rosterMappings, [name]: request.mapping } } : undefined;
  });
  return { program, changed };
}

/** A short digest of a saved mapping: the console's delete confirmation sends it back to say which version it showed. */
export function rosterMappingFingerprint(mapping: ColumnMapping): string {
  return fingerprintOf(mapping);
}

/** A mapping name as HR gives it, or a ValidationError naming the field `mappingName`. */
export function parseRosterMappingName(name: string): string {
  const parsed = rosterMappingNameSchema.safeParse(name);
  if (!parsed.success) throw new ValidationError('the mapping name is not valid', issuesFromZod(parsed.error, 'mappingName'));
  return parsed.data;
}

/**
 * Deletes the saved mapping of that name. Deleting one that is not there (deleted meanwhile, or a
 * second click) writes nothing and says so: the result's `changed` is false. With
 * `expectedFingerprint` (the mapping as a confirmation page showed it), a mapping saved again under
 * that name since is not deleted: a ConflictError says so, carrying nothing of it.
 */
export async function deleteRosterMapping(
  store: ProgramStore,
  request: { programId: string; name: string; expectedFingerprint?: string },
): Promise<{ program: Program; changed: boolean; deleted: ColumnMapping | undefined }> {
  const name = parseRosterMappingName(request.name);
  await getProgramOrFail(store, request.programId);
  let deleted: ColumnMapping | undefined;
  // Applied to the program as stored at the write, so that a mapping saved meanwhile under another name stays.
  const program = await store.modifyProgram(request.programId, (current) => {
    const mappings = current.rosterMappings ?? {};
    deleted = mappingNamed(mappings, name);
    if (!deleted) return undefined;
    if (request.expectedFingerprint !== undefined && rosterMappingFingerprint(deleted) !== request.expectedFingerprint) {
      deleted = undefined;
      throw new ConflictError(
        `the mapping ${name} of program ${request.programId} was saved again after this page was opened; look at it again before deleting it`,
      );
    }
    const { [name]: _gone, ...rest } = mappings;
    const { rosterMappings: _all, ...withoutMappings } = current;
    return Object.keys(rest).length ? { ...current, rosterMappings: rest } : withoutMappings;
  });
  return { program, changed: deleted !== undefined, deleted };
}
