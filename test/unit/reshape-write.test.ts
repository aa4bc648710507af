import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../domain/errors.ts';
import type { Program } from '../../domain/program.ts';
import { parseColumnMappingJson } from '../../domain/roster.ts';
import { writeReshapedProgram, type ReshapePlan } from '../../services/reshape.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const program: Program = sampleProgram('reshape-write');
const planFrom = (before: Program): ReshapePlan => ({
  review: {} as ReshapePlan['review'],
  programId: before.programId,
  proposals: [],
  skipped: [],
  diff: [],
  before,
  after: { ...before, name: 'Reshaped' },
});

describe('writing the program a review reshaped', () => {
  it('writes the reshaped program when the program is as the plan read it', async () => {
    const store = new InMemoryStore();
    await store.putProgram(program);
    await writeReshapedProgram(store, planFrom((await store.getProgram(program.programId)) as Program));
    expect((await store.getProgram(program.programId))?.name).toBe('Reshaped');
  });

  it('refuses, and keeps the change, when the program was changed after the plan was worked out', async () => {
    const store = new InMemoryStore();
    await store.putProgram(program);
    const plan = planFrom((await store.getProgram(program.programId)) as Program);
    await saveRosterMapping(store, { programId: program.programId, name: 'export-rh', mapping: parseColumnMappingJson('{}') });

    await expect(writeReshapedProgram(store, plan)).rejects.toBeInstanceOf(ConflictError);
    const kept = await store.getProgram(program.programId);
    expect(kept?.name).toBe(program.name);
    expect(Object.keys(kept?.rosterMappings ?? {})).toEqual(['export-rh']);
  });
});
