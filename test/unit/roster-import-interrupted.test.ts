import { describe, expect, it } from 'vitest';
import { importRosterFile, rosterImportAuditDetails, RosterImportIncompleteError } from '../../services/roster-files.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const program = sampleProgram('import-interrupted');

async function storeWithProgram() {
  const store = new InMemoryStore();
  await store.putProgram(program);
  return store;
}

describe('an interrupted roster import', () => {
  it('stops after the batch being written, says how many of how many people are stored, and the same import again stores the rest', async () => {
    const store = await storeWithProgram();
    const stop = new AbortController();
    const importing = importRosterFile(store, {
      programId: program.programId,
      text: SAMPLE_ROSTER_CSV,
      format: 'csv',
      batchSize: 10,
      signal: stop.signal,
      onProgress: (done) => {
        if (done === 10) stop.abort();
      },
    });
    const error = await importing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterImportIncompleteError);
    const incomplete = error as RosterImportIncompleteError;
    expect(incomplete.progress).toEqual({ done: 10, total: 24, interrupted: true });
    expect(incomplete.report).toMatchObject({ written: 10, unchanged: 0 });
    expect(incomplete.message).toContain('10 of 24 people are stored');
    expect(incomplete.message).toContain('rerun the same command to finish');
    expect(await store.listParticipants(program.programId)).toHaveLength(10);

    const rerun = await importRosterFile(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv', batchSize: 10 });
    expect(rerun).toMatchObject({ written: 14, unchanged: 10 });
    expect(await store.listParticipants(program.programId)).toHaveLength(24);
  });

  it('keeps what an earlier import stored when interrupted before its first batch', async () => {
    const store = await storeWithProgram();
    await importRosterFile(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
    const before = await store.listParticipants(program.programId);
    const stop = new AbortController();
    stop.abort();
    const changed = SAMPLE_ROSTER_CSV.replace('Helena Duarte', 'Helena Duarte Lima');
    await expect(importRosterFile(store, { programId: program.programId, text: changed, format: 'csv', signal: stop.signal })).rejects.toMatchObject({
      progress: { done: 0, total: 24, interrupted: true },
    });
    expect(await store.listParticipants(program.programId)).toEqual(before);
  });

  it('adds no skill to the catalog when interrupted before it writes', async () => {
    const store = await storeWithProgram();
    const stop = new AbortController();
    stop.abort();
    const withNewSkill = SAMPLE_ROSTER_CSV.replace('Negociação:5', 'Tricô:5');
    await expect(
      importRosterFile(store, { programId: program.programId, text: withNewSkill, format: 'csv', addUnknownSkills: true, signal: stop.signal }),
    ).rejects.toBeInstanceOf(RosterImportIncompleteError);
    expect(await store.getProgram(program.programId)).toEqual(program);
    expect(await store.listParticipants(program.programId)).toEqual([]);
  });
});

describe('what the audit log records of a roster import', () => {
  it('records an import stopped before its first batch that had already added a skill to the catalog', async () => {
    const store = await storeWithProgram();
    const stop = new AbortController();
    const withNewSkill = SAMPLE_ROSTER_CSV.replace('Negociação:5', 'Tricô:5');
    const error = await importRosterFile(store, {
      programId: program.programId,
      text: withNewSkill,
      format: 'csv',
      addUnknownSkills: true,
      signal: stop.signal,
      // Called once the catalog is written, before the first batch of people.
      onProgress: (done) => {
        if (done === 0) stop.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterImportIncompleteError);
    const { report, progress } = error as RosterImportIncompleteError;
    const added = (await store.getProgram(program.programId))?.skillsCatalog.filter((s) => !program.skillsCatalog.some((k) => k.id === s.id));
    expect(added?.map((s) => s.id)).toHaveLength(1);
    expect(rosterImportAuditDetails(report, { stored: progress.done, total: progress.total, interrupted: true })).toEqual({
      written: 0,
      unchanged: 0,
      skipped: 0,
      catalogAdded: added?.[0]?.id,
      stored: 0,
      total: 24,
      interrupted: true,
    });
  });

  it('records nothing for an import that changed nothing, and no catalogAdded when the skills were in the catalog already', async () => {
    const store = await storeWithProgram();
    const withNewSkill = SAMPLE_ROSTER_CSV.replace('Negociação:5', 'Tricô:5');
    const first = await importRosterFile(store, { programId: program.programId, text: withNewSkill, format: 'csv', addUnknownSkills: true });
    expect(rosterImportAuditDetails(first)).toMatchObject({ written: 24, catalogAdded: expect.any(String) });
    const again = await importRosterFile(store, { programId: program.programId, text: withNewSkill, format: 'csv', addUnknownSkills: true });
    expect(again).toMatchObject({ written: 0, unchanged: 24 });
    expect(rosterImportAuditDetails(again)).toBeUndefined();
  });
});
