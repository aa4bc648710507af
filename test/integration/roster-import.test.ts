import { describe, expect, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { ValidationError } from '../../domain/errors.ts';
import { importRoster } from '../../services/roster-import.ts';
import { testProgram, testRosterCsv, uniqueTag } from '../support/fixtures.ts';

describe('roster import into the local DynamoDB', () => {
  it('writes a valid roster, and importing the same file again changes nothing', async () => {
    const tag = uniqueTag('roster');
    const { store } = container();
    await store.putProgram(testProgram(tag));
    const first = await importRoster(store, { programId: tag, text: testRosterCsv(tag), format: 'csv' });
    expect(first).toEqual({ rows: 24, written: 24, unchanged: 0, dryRun: false, keptOptedOut: [] });
    const again = await importRoster(store, { programId: tag, text: testRosterCsv(tag), format: 'csv' });
    expect(again).toEqual({ rows: 24, written: 0, unchanged: 24, dryRun: false, keptOptedOut: [] });
    expect(await store.listParticipants(tag)).toHaveLength(24);
  });

  it('writes nothing of a file with one bad row, and names the row and the reason', async () => {
    const tag = uniqueTag('roster-bad');
    const { store } = container();
    await store.putProgram(testProgram(tag));
    const lines = testRosterCsv(tag).split('\n');
    lines[5] = (lines[5] as string).replace(/,[^,]*@[^,]*,/, ',not-an-email,');
    const error = await importRoster(store, { programId: tag, text: lines.join('\n'), format: 'csv' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ where: 'line 6: email', problem: 'must be an email address' }]);
    expect(await store.listParticipants(tag)).toEqual([]);
  });

  it('a dry run validates without writing, and an unknown program is named', async () => {
    const tag = uniqueTag('roster-dry');
    const { store } = container();
    await store.putProgram(testProgram(tag));
    expect(await importRoster(store, { programId: tag, text: testRosterCsv(tag), format: 'csv', dryRun: true })).toEqual({
      rows: 24,
      written: 0,
      unchanged: 0,
      dryRun: true,
      keptOptedOut: [],
    });
    expect(await store.listParticipants(tag)).toEqual([]);
    await expect(importRoster(store, { programId: `${tag}-nope`, text: testRosterCsv(tag), format: 'csv' })).rejects.toThrow(/program .* does not exist/);
  });
});
