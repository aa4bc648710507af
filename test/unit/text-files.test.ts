import { mkdtempSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { loadRosterFile } from '../../services/match-preview.ts';
import { decodeText, MAX_INPUT_FILE_BYTES, readTextFile } from '../../services/text-files.ts';

const folder = mkdtempSync(join(tmpdir(), 'tandem-files-'));

describe('reading a file a person hands Tandem', () => {
  it('refuses a file over the size limit before reading it, naming its size', async () => {
    const huge = join(folder, 'huge.csv');
    writeFileSync(huge, '');
    // A sparse file: its size is real to stat, and costs no disk.
    truncateSync(huge, MAX_INPUT_FILE_BYTES + 1_000_000);
    const error = await readTextFile(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/huge\.csv is 51\.0 MB; Tandem reads files of at most 50 MB/);
  });

  it('says a missing file does not exist, and that a folder is not a file', async () => {
    await expect(readTextFile(join(folder, 'nope.csv'))).rejects.toBeInstanceOf(NotFoundError);
    mkdirSync(join(folder, 'a-folder'));
    await expect(readTextFile(join(folder, 'a-folder'))).rejects.toThrow(/is not a file/);
  });

  it('refuses text that is not in its encoding instead of garbling it, and reads Latin-1 when told', async () => {
    const latin1 = join(folder, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('id,name\np1,Jo\xe3o\n', 'latin1'));
    await expect(readTextFile(latin1, { encodingHint: 'save it as UTF-8' })).rejects.toThrow(/latin1\.csv is not UTF-8 text: save it as UTF-8/);
    expect(await readTextFile(latin1, { encoding: 'windows-1252' })).toContain('João');
  });

  it('refuses a UTF-8 file read as Latin-1, naming a word as it would be garbled, instead of storing "JoÃ£o"', async () => {
    const utf8 = join(folder, 'utf8.csv');
    writeFileSync(utf8, 'id,name\np1,João Simões\n', 'utf8');
    await expect(readTextFile(utf8, { encoding: 'windows-1252' })).rejects.toThrow(
      'utf8.csv is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled ("João" would read as "JoÃ£o"); pass --encoding utf-8 (the default) instead',
    );
    writeFileSync(utf8, '\uFEFFid,name\np1,Ana\n', 'utf8');
    await expect(readTextFile(utf8, { encoding: 'windows-1252' })).rejects.toThrow(/is UTF-8 text, not Latin-1/);
    // Plain ASCII reads the same either way.
    writeFileSync(utf8, 'id,name\np1,Ana\n', 'utf8');
    expect(await readTextFile(utf8, { encoding: 'windows-1252' })).toBe('id,name\np1,Ana\n');
  });

  it('refuses a UTF-8 file read as Latin-1 at once when a long run without separators comes before its first accent', { timeout: 10_000 }, () => {
    const bytes = Buffer.from(`id,name\n${'x'.repeat(200_000)},João\n`, 'utf8');
    expect(() => decodeText(bytes, 'roster.csv', { encoding: 'windows-1252', utf8Hint: 'choose UTF-8' })).toThrow(
      'roster.csv is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled ("João" would read as "JoÃ£o"); choose UTF-8',
    );
    const long = Buffer.from(`id,name\n${'x'.repeat(200_000)}ç\n`, 'utf8');
    expect(() => decodeText(long, 'roster.csv', { encoding: 'windows-1252' })).toThrow(`("${'x'.repeat(40)}" would read as "${'x'.repeat(40)}")`);
  });

  it('says a UTF-16 file is UTF-16 and to save it as UTF-8, whichever encoding it was given, with or without a byte-order mark', async () => {
    const saved = {
      'utf16le-bom.csv': Buffer.from('\uFEFFid,name\np1,João\n', 'utf16le'),
      'utf16be-bom.csv': Buffer.from('\uFEFFid,name\np1,João\n', 'utf16le').swap16(),
      'utf16le.csv': Buffer.from('id,name\np1,João\n', 'utf16le'),
    };
    for (const [name, bytes] of Object.entries(saved)) {
      const file = join(folder, name);
      writeFileSync(file, bytes);
      for (const encoding of ['utf-8', 'windows-1252'] as const)
        await expect(readTextFile(file, { encoding, encodingHint: 'pass --encoding latin1' })).rejects.toThrow(
          `${file} is UTF-16 text, which Tandem does not read: save it as UTF-8 (in a spreadsheet, as "CSV UTF-8")`,
        );
    }
  });

  it('decodes bytes already in memory (a console upload) with the same checks and the hints of its caller', () => {
    const latin1 = Buffer.from('id,name\np1,Concei\xe7\xe3o\n', 'latin1');
    expect(() => decodeText(latin1, 'roster.csv', { encodingHint: 'choose Latin-1' })).toThrow('roster.csv is not UTF-8 text: choose Latin-1');
    expect(decodeText(latin1, 'roster.csv', { encoding: 'windows-1252' })).toContain('Conceição');
    expect(() => decodeText(Buffer.from('id,name\np1,João\n', 'utf8'), 'roster.csv', { encoding: 'windows-1252', utf8Hint: 'choose UTF-8' })).toThrow(
      'roster.csv is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled ("João" would read as "JoÃ£o"); choose UTF-8',
    );
  });

  it('gives tandem match --roster the same checks as roster import', async () => {
    await expect(loadRosterFile(join(folder, 'missing-roster.csv'), [])).rejects.toBeInstanceOf(NotFoundError);
    const latin1 = join(folder, 'roster-latin1.csv');
    writeFileSync(latin1, Buffer.from('id,name\np1,Jo\xe3o\n', 'latin1'));
    await expect(loadRosterFile(latin1, [])).rejects.toThrow(/is not UTF-8 text: save it as "CSV UTF-8"/);
  });
});
