import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Program } from '../domain/program.ts';
import type { ProgramStore } from './ports.ts';

export async function createProgram(store: ProgramStore, program: Program): Promise<Program> {
  if (await store.getProgram(program.programId)) {
    throw new ConflictError(`program ${program.programId} exists already; change it with tandem program update`);
  }
  await store.putProgram(program);
  return program;
}

/** Replaces a program's settings. Running cycles keep the program as it was when they started. */
export async function updateProgram(store: ProgramStore, program: Program, expectedId?: string): Promise<{ program: Program; changed: string[] }> {
  if (expectedId && expectedId !== program.programId) {
    throw new ValidationError('the file names another program', [{ where: 'programId', problem: `is "${program.programId}", not "${expectedId}"` }]);
  }
  const existing = await store.getProgram(program.programId);
  if (!existing) throw new NotFoundError(`program ${program.programId} does not exist; create it with tandem program create`);
  const changed = Object.keys(program).filter((k) => stable(program[k as keyof Program]) !== stable(existing[k as keyof Program]));
  if (changed.length) await store.putProgram(program);
  return { program, changed };
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
