import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError, type ValidationIssue } from '../domain/errors.ts';
import type { Program } from '../domain/program.ts';
import type { ColumnMapping } from '../domain/roster-mapping.ts';
import { skillLabel } from '../domain/skills.ts';
import type { AuditAction } from './audit.ts';
import type { ProgramStore } from './ports.ts';

export async function createProgram(store: ProgramStore, program: Program): Promise<Program> {
  if (await store.getProgram(program.programId)) {
    throw new ConflictError(`program ${program.programId} exists already; change it with tandem program update`);
  }
  await store.putProgram(program);
  return program;
}

/** How an update was asked for: from a program file (the CLI) or from the console's edit form. */
export interface ProgramUpdateOptions {
  /** The program the caller means to change: settings naming another are refused. */
  expectedId?: string;
  /** The program as the editor showed it (programFingerprint): a program someone else changed meanwhile is refused with a ConflictError. */
  expectedFingerprint?: string;
  /**
   * Keep the roster mappings saved from the console's roster page when the new settings name none:
   * a program file kept by HR rarely lists them. The console's edit form shows them, so an emptied
   * field there means none.
   */
  keepSavedRosterMappings?: boolean;
  /**
   * Ask before removing or replacing saved roster mappings (the console's edit form): an update that
   * would is refused with a RosterMappingsRemovalError listing them, nothing written, unless
   * `confirmedMappingRemoval` is that error's fingerprint of exactly those mappings as stored.
   */
  askBeforeRemovingMappings?: boolean;
  confirmedMappingRemoval?: string;
}

/** A saved roster mapping an update removed (or replaced, when the new settings hold another under its name), as it was stored. */
export interface RemovedRosterMapping {
  name: string;
  mapping: ColumnMapping;
  replaced: boolean;
}

/**
 * Thrown when an update asked to ask first (askBeforeRemovingMappings) would remove or replace saved
 * roster mappings: nothing is written. `removed` is what the editor shows; `fingerprint`, sent back as
 * `confirmedMappingRemoval`, lets the same update through only while those are what it removes.
 */
export class RosterMappingsRemovalError extends ConflictError {
  override name = 'RosterMappingsRemovalError';
  constructor(
    readonly programId: string,
    readonly removed: readonly RemovedRosterMapping[],
    readonly fingerprint: string,
  ) {
    super(`saving program ${programId} would remove or replace its saved roster mapping(s) ${removed.map((r) => r.name).join(', ')}: confirm to save`);
  }
}

/** The saved mappings `existing` holds that `updated` lacks or holds otherwise, in their order. */
function removedMappings(existing: Program, updated: Program): RemovedRosterMapping[] {
  const kept = updated.rosterMappings ?? {};
  return Object.entries(existing.rosterMappings ?? {}).flatMap(([name, mapping]): RemovedRosterMapping[] => {
    if (!Object.hasOwn(kept, name)) return [{ name, mapping, replaced: false }];
    return stable(kept[name]) === stable(mapping) ? [] : [{ name, mapping, replaced: true }];
  });
}

/**
 * What the audit log records of an update that changed something, in order: each saved roster mapping
 * it removed or replaced as `roster.mapping-deleted` with the whole mapping (as the roster page's
 * Delete… records it: the entry is its only copy left), then `program.changed` with the fields.
 */
export function programUpdateAudit(result: { program: Program; changed: readonly string[]; removedMappings: readonly RemovedRosterMapping[] }): AuditAction[] {
  if (!result.changed.length) return [];
  const programId = result.program.programId;
  return [
    ...result.removedMappings.map((removed): AuditAction => ({
      action: 'roster.mapping-deleted',
      programId,
      details: { name: removed.name, mapping: JSON.stringify(removed.mapping), ...(removed.replaced ? { replaced: true } : {}) },
    })),
    { action: 'program.changed', programId, details: { fields: result.changed.join(',') } },
  ];
}

/** How many people a refusal names by id; the rest are counted. */
const NAMED_USERS = 5;

/** Thrown when new settings would take skills out of the catalog that people on the roster still offer or want: nothing is written. */
export class SkillsInUseError extends ValidationError {
  override name = 'SkillsInUseError';
}

/**
 * The people of a program's roster by the skill ids they offer or want there. What people declared when they last
 * joined is not counted: a cycle pairs them from its own enrollment answers, and an import never changes a
 * declaration, so counting them would keep a skill in the catalog for good; the join page offers only catalog skills.
 */
async function skillUsers(store: ProgramStore, programId: string): Promise<Map<string, Set<string>>> {
  const roster = await store.listParticipants(programId);
  const users = new Map<string, Set<string>>();
  for (const person of roster)
    for (const { skill } of [...person.skillsOffered, ...person.skillsWanted]) users.set(skill, (users.get(skill) ?? new Set()).add(person.participantId));
  return users;
}

function skillsInUse(existing: Program, updated: Program, users: ReadonlyMap<string, ReadonlySet<string>>): ValidationIssue[] {
  const kept = new Set(updated.skillsCatalog.map((skill) => skill.id));
  return existing.skillsCatalog
    .filter((skill) => !kept.has(skill.id) && (users.get(skill.id)?.size ?? 0) > 0)
    .map((skill) => {
      const ids = [...(users.get(skill.id) ?? [])].sort();
      const named = ids.slice(0, NAMED_USERS).join(', ') + (ids.length > NAMED_USERS ? ` and ${ids.length - NAMED_USERS} more` : '');
      return {
        where: 'skillsCatalog',
        problem:
          `"${skill.id}" (${skillLabel(skill, existing.language)}) cannot be removed: ${ids.length === 1 ? '1 person on the roster uses it' : `${ids.length} people on the roster use it`} (${named}); ` +
          'keep it in the catalog, or first import their rows without it',
      };
    });
}

/** Replaces a program's settings. Running cycles keep the program as it was when they started. */
export async function updateProgram(
  store: ProgramStore,
  program: Program,
  options: ProgramUpdateOptions = {},
): Promise<{ program: Program; changed: string[]; removedMappings: RemovedRosterMapping[] }> {
  const { expectedId, expectedFingerprint } = options;
  if (expectedId && expectedId !== program.programId) {
    throw new ValidationError('the file names another program', [{ where: 'programId', problem: `is "${program.programId}", not "${expectedId}"` }]);
  }
  let changed: string[] = [];
  let removed: RemovedRosterMapping[] = [];
  let updated = program;
  // The roster is read only when the stored catalog has skills the new one lacks; a change made meanwhile is checked again below.
  const before = await store.getProgram(program.programId);
  const removedFrom = (current: Program) =>
    current.skillsCatalog.filter((skill) => !program.skillsCatalog.some((kept) => kept.id === skill.id)).map((skill) => skill.id);
  const checked = new Set(before ? removedFrom(before) : []);
  const users = checked.size ? await skillUsers(store, program.programId) : new Map<string, Set<string>>();
  try {
    await store.modifyProgram(program.programId, (existing) => {
      if (expectedFingerprint !== undefined && programFingerprint(existing) !== expectedFingerprint) {
        throw new ConflictError(`program ${program.programId} was changed by someone else after this page was opened; open it again to see their change`);
      }
      if (removedFrom(existing).some((id) => !checked.has(id)))
        throw new ConflictError(`program ${program.programId} gained skills while it was being updated; run the update again`);
      const inUse = skillsInUse(existing, program, users);
      if (inUse.length) throw new SkillsInUseError(`program ${program.programId} was not changed: its roster still uses skills the new settings remove`, inUse);
      updated =
        options.keepSavedRosterMappings && program.rosterMappings === undefined && existing.rosterMappings
          ? { ...program, rosterMappings: existing.rosterMappings }
          : program;
      removed = removedMappings(existing, updated);
      if (options.askBeforeRemovingMappings && removed.length) {
        const fingerprint = fingerprintOf(removed);
        if (fingerprint !== options.confirmedMappingRemoval) throw new RosterMappingsRemovalError(program.programId, removed, fingerprint);
      }
      const fields = new Set([...Object.keys(updated), ...Object.keys(existing)]);
      changed = [...fields].filter((k) => stable(updated[k as keyof Program]) !== stable(existing[k as keyof Program]));
      return changed.length ? updated : undefined;
    });
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new NotFoundError(`program ${program.programId} does not exist; create it with tandem program create`, { cause: error });
    throw error;
  }
  return { program: updated, changed, removedMappings: changed.length ? removed : [] };
}

/** A short digest of a program's settings (key order aside): an editor sends it back to say which version it changed. */
export function programFingerprint(program: Program): string {
  return fingerprintOf(program);
}

/** A short digest of any settings value, key order aside (a program, one of its saved column mappings). */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(stable(value)).digest('base64url').slice(0, 22);
}

/** True when two programs hold the same settings, whatever the order of their keys. */
export function sameProgram(a: Program, b: Program): boolean {
  return stable(a) === stable(b);
}

/** JSON with object keys sorted, so that the store's key order does not count as a change. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export async function getProgramOrFail(store: ProgramStore, programId: string): Promise<Program> {
  const program = await store.getProgram(programId);
  if (!program) throw new NotFoundError(`program ${programId} does not exist (tandem program create --file <program.yaml> creates one)`);
  return program;
}
