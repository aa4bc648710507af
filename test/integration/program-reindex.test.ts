import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { createDocumentClient } from '../../adapters/dynamodb/table-client.ts';
import { keys } from '../../adapters/dynamodb/table-design.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';
import { tandem } from './cli-support.ts';

/** A program item as Tandem wrote it before the console's program list: no GSI1 entry. */
async function putProgramWithoutListEntry(programId: string) {
  const program = testProgram(programId);
  const doc = createDocumentClient();
  try {
    await doc.send(new PutCommand({ TableName: process.env.TANDEM_TABLE_NAME, Item: { ...keys.program(programId), entity: 'program', ...program } }));
  } finally {
    doc.destroy();
  }
  return program;
}

const listedIds = async () => (await container().store.listPrograms()).map((p) => p.programId);

describe('tandem program reindex on programs stored before the console', () => {
  it('puts them in the program list once, with their settings untouched, and changes nothing when run again', async () => {
    const [old, older] = [uniqueTag('legacy-a'), uniqueTag('legacy-b')];
    const programs = await Promise.all([old, older].map(putProgramWithoutListEntry));
    expect(await listedIds()).not.toContain(old);

    const first = await tandem(['program', 'reindex', '--json']);
    expect(first.code, first.stderr).toBe(0);
    // The reindex scans the whole shared table, and the store contract (dynamodb-store.test.ts, maybe running in
    // another worker) reindexes it too: either run may list these two, so the report names each program at most
    // once, and both are listed afterwards.
    const indexed = first.json<{ indexed: string[] }>().indexed;
    expect(new Set(indexed).size).toBe(indexed.length);
    expect(await listedIds()).toEqual(expect.arrayContaining([old, older]));
    for (const program of programs) expect(await container().store.getProgram(program.programId)).toEqual(program);

    const again = await tandem(['program', 'reindex']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain(old);
    expect(again.stdout).toContain('Every program is listed already.');
  });
});
