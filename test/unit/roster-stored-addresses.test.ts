import { describe, expect, it } from 'vitest';
import { importRosterFile, RosterRejectedError } from '../../services/roster-files.ts';
import { importRoster } from '../../services/roster-import.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const program = sampleProgram('stored-addresses');
const HEADER = 'id,name,email,department,birth_year,languages';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const HELENA = 'p01,Helena Duarte,helena.duarte@example.com,Finance,1968,pt';
const RUI = 'p02,Rui Costa,rui.costa@example.com,IT,1998,pt';

async function storeWith(...rows: string[]) {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await importRosterFile(store, { programId: program.programId, text: csv(...rows), format: 'csv' });
  return store;
}

const ids = async (store: InMemoryStore) => (await store.listParticipants(program.programId)).map((p) => p.participantId).sort();

describe('an address the program holds under another id', () => {
  it('is refused, naming the line, the address and the id it is stored under, and nothing of the file is written', async () => {
    const store = await storeWith(HELENA);
    const importing = importRosterFile(store, {
      programId: program.programId,
      text: csv(RUI, 'x99,Helena Duarte,Helena.Duarte@example.com,Finance,1968,pt'),
      format: 'csv',
    });
    await expect(importing).rejects.toBeInstanceOf(RosterRejectedError);
    const report = ((await importing.catch((e: unknown) => e)) as RosterRejectedError).report;
    expect(report.issues).toEqual([
      {
        where: 'line 3: email',
        problem: `helena.duarte@example.com is stored under id p01 in program ${program.programId} already (this row has id x99); use p01 for this person, or change p01's address first`,
      },
    ]);
    expect(report.skipped).toBe(1);
    expect(await ids(store)).toEqual(['p01']);
  });

  it('is left out with --skip-bad-rows while the other rows are written', async () => {
    const store = await storeWith(HELENA);
    const result = await importRosterFile(store, {
      programId: program.programId,
      text: csv(RUI, 'x99,Helena Duarte,helena.duarte@example.com,Finance,1968,pt'),
      format: 'csv',
      skipBadRows: true,
    });
    expect(result).toMatchObject({ written: 1, skipped: 1, valid: 1 });
    expect(await ids(store)).toEqual(['p01', 'p02']);
  });

  it('is reported by a dry run too', async () => {
    const store = await storeWith(HELENA);
    await expect(
      importRosterFile(store, {
        programId: program.programId,
        text: csv('x99,Helena Duarte,helena.duarte@example.com,Finance,1968,pt'),
        format: 'csv',
        dryRun: true,
      }),
    ).rejects.toThrow('helena.duarte@example.com is stored under id p01');
  });

  it('is accepted when the same file moves the stored id to another address', async () => {
    const store = await storeWith(HELENA);
    const result = await importRosterFile(store, {
      programId: program.programId,
      text: csv('p01,Helena Duarte,helena.d@example.com,Finance,1968,pt', 'x99,Helena Two,helena.duarte@example.com,Finance,1970,pt'),
      format: 'csv',
    });
    expect(result.written).toBe(2);
  });

  it('is accepted under the same id, and in another program', async () => {
    const store = await storeWith(HELENA);
    expect((await importRosterFile(store, { programId: program.programId, text: csv(HELENA), format: 'csv' })).unchanged).toBe(1);
    const other = sampleProgram('stored-addresses-other');
    await store.putProgram(other);
    const elsewhere = await importRosterFile(store, { programId: other.programId, text: csv(HELENA.replace('p01', 'x99')), format: 'csv' });
    expect(elsewhere.written).toBe(1);
  });

  it('is refused by the plain roster import as well', async () => {
    const store = await storeWith(HELENA);
    await expect(
      importRoster(store, { programId: program.programId, text: csv('x99,Helena Duarte,helena.duarte@example.com,Finance,1968,pt'), format: 'csv' }),
    ).rejects.toThrow('line 2: email: helena.duarte@example.com is stored under id p01');
    expect(await ids(store)).toEqual(['p01']);
  });
});
