import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../adapters/dynamodb/dynamodb-store.ts';
import { createDocumentClient } from '../../adapters/dynamodb/table-client.ts';
import { keys } from '../../adapters/dynamodb/table-design.ts';
import { ensureTable } from '../../local/dynamodb-local.ts';
import { testProgram, uniqueTag } from '../support/fixtures.ts';
import { stackEnv, tandem } from './cli-support.ts';

// A reindex scans the whole table, and the store contract (dynamodb-store.test.ts) reindexes the shared one from
// another worker: on a table of its own, what this test's reindex reports depends on this test alone.
const tableName = uniqueTag('reindex-table');
const client = new DynamoDBClient({});
const doc = createDocumentClient(client);
const store = new DynamoDbStore(doc, tableName);
const env = stackEnv({ TANDEM_TABLE_NAME: tableName });

beforeAll(() => ensureTable(client, tableName));
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  doc.destroy();
});

/** A program item as Tandem wrote it before the console's program list: no GSI1 entry. */
async function putProgramWithoutListEntry(programId: string) {
  const program = testProgram(programId);
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.program(programId), entity: 'program', ...program } }));
  return program;
}

const listedIds = async () => (await store.listPrograms()).map((p) => p.programId);

describe('tandem program reindex on programs stored before the console', () => {
  it('puts them in the program list once, with their settings untouched, and changes nothing when run again', async () => {
    const listedAlready = testProgram(uniqueTag('listed'));
    await store.putProgram(listedAlready);
    const [old, older] = [uniqueTag('legacy-a'), uniqueTag('legacy-b')];
    const programs = await Promise.all([old, older].map(putProgramWithoutListEntry));
    expect(await listedIds()).toEqual([listedAlready.programId]);

    const first = await tandem(['program', 'reindex', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json<{ indexed: string[] }>().indexed.sort()).toEqual([old, older].sort());
    expect((await listedIds()).sort()).toEqual([listedAlready.programId, old, older].sort());
    for (const program of programs) expect(await store.getProgram(program.programId)).toEqual(program);

    const again = await tandem(['program', 'reindex'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain(old);
    expect(again.stdout).toContain('Every program is listed already.');
  });
});
