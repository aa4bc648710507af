import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NotFoundError, ValidationError } from '../domain/errors.ts';

/**
 * The largest roster, mapping or program file read: 100,000 participants (the most a roster
 * takes) fit in about 20 MB of CSV. A larger file is refused before it is read, so a wrong or
 * corrupt file can neither fill the memory nor crash the command.
 */
export const MAX_INPUT_FILE_BYTES = 50 * 1_000_000;

export interface TextFileOptions {
  /** 'utf-8' (a BOM is fine) or 'windows-1252' (Latin-1 exports). */
  encoding?: 'utf-8' | 'windows-1252';
  /** What to tell a person whose file is not in that encoding. */
  encodingHint?: string;
  maxBytes?: number;
}

/** Reads a person's text file: missing, a folder, too large or not in its encoding are each refused with what to do. */
export async function readTextFile(file: string, options: TextFileOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new NotFoundError(`file ${file} does not exist`);
    throw error;
  });
  if (!info.isFile()) throw new ValidationError(`${file} is not a file`);
  if (info.size > maxBytes) {
    throw new ValidationError(
      `${file} is ${(info.size / 1_000_000).toFixed(1)} MB; Tandem reads files of at most ${maxBytes / 1_000_000} MB (100,000 participants fit in about 20 MB): check it is the right file, or split it`,
    );
  }
  const bytes = await readFile(file);
  if (options.encoding === 'windows-1252') refuseUtf8AsLatin1(file, bytes);
  try {
    return new TextDecoder(options.encoding ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(
      `${file} is not ${options.encoding === 'windows-1252' ? 'Windows-1252' : 'UTF-8'} text: ${options.encodingHint ?? 'save it as UTF-8'}`,
    );
  }
}

/**
 * Every byte sequence is some Windows-1252 text, so a UTF-8 file read as Latin-1 would come out
 * garbled ("João" as "JoÃ£o") and overwrite good rows. Bytes that are valid UTF-8 and hold
 * multibyte characters are almost never real Latin-1 text: refused, naming a word as it would read.
 */
function refuseUtf8AsLatin1(file: string, bytes: Uint8Array): void {
  if (!bytes.some((b) => b >= 0x80)) return;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return;
  }
  const word = /[^\s,;|\t"]*[\u0080-\uffff][^\s,;|\t"]*/.exec(text.replace(/^\uFEFF/, ''))?.[0]?.slice(0, 40);
  const example = word ? ` ("${word}" would read as "${new TextDecoder('windows-1252').decode(new TextEncoder().encode(word))}")` : '';
  throw new ValidationError(
    `${file} is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled${example}; pass --encoding utf-8 (the default) instead`,
  );
}

/** Whether two paths name one file: the same path once resolved, or (links) the same file on disk. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [first, second] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return Boolean(first && second && first.dev === second.dev && first.ino === second.ino);
}
