import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NotFoundError, ValidationError } from '../domain/errors.ts';

/**
 * The largest roster, mapping or program file read: 100,000 participants (the most a roster
 * takes) fit in about 20 MB of CSV. A larger file is refused before it is read, so a wrong or
 * corrupt file can neither fill the memory nor crash the command.
 */
export const MAX_INPUT_FILE_BYTES = 50 * 1_000_000;

/** 'utf-8' (a BOM is fine) or 'windows-1252' (Latin-1 exports). */
export type TextEncoding = 'utf-8' | 'windows-1252';

export interface TextDecodeOptions {
  encoding?: TextEncoding;
  /** What to tell a person whose file is not in that encoding. */
  encodingHint?: string;
  /** How to read a UTF-8 file given as Latin-1 as UTF-8 instead (the CLI's flag, the console's select). */
  utf8Hint?: string;
}

export interface TextFileOptions extends TextDecodeOptions {
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
  return decodeText(await readFile(file), file, options);
}

/**
 * A person's file as text, decoded strictly: never with replacement characters. UTF-16 (Excel's
 * "Unicode Text") is named as such, whatever the encoding asked for; bytes that are not text in
 * the encoding, and a UTF-8 file given as Latin-1, are refused with what to do. The CLI reads its
 * files with it, and the console its uploads, so both say the same.
 */
export function decodeText(bytes: Uint8Array, name: string, options: TextDecodeOptions = {}): string {
  refuseUtf16(name, bytes);
  if (options.encoding === 'windows-1252') refuseUtf8AsLatin1(name, bytes, options.utf8Hint ?? 'pass --encoding utf-8 (the default) instead');
  try {
    return new TextDecoder(options.encoding ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(
      `${name} is not ${options.encoding === 'windows-1252' ? 'Windows-1252' : 'UTF-8'} text: ${options.encodingHint ?? 'save it as UTF-8'}`,
    );
  }
}

/** How many leading bytes are looked at to tell UTF-16 without a byte-order mark. */
const UTF16_SAMPLE_BYTES = 4096;

/**
 * UTF-16 is neither encoding: read as UTF-8 it is refused as "not UTF-8" (whose hint, Latin-1,
 * would garble it), and without a byte-order mark its Latin letters are valid UTF-8 with a NUL
 * after (or before) each, which the CSV reader misreads row by row. Told by its byte-order mark,
 * or by a NUL on the same side of most two-byte units of the first few kilobytes (text has none).
 */
function refuseUtf16(name: string, bytes: Uint8Array): void {
  const bom = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (!bom) {
    const units = Math.floor(Math.min(bytes.length, UTF16_SAMPLE_BYTES) / 2);
    if (units < 2) return;
    let low = 0;
    let high = 0;
    for (let i = 0; i < units; i++) {
      const first = bytes[2 * i];
      const second = bytes[2 * i + 1];
      if (first !== 0 && second === 0) low++;
      else if (first === 0 && second !== 0) high++;
    }
    if (Math.max(low, high) < units / 2) return;
  }
  throw new ValidationError(`${name} is UTF-16 text, which Tandem does not read: save it as UTF-8 (in a spreadsheet, as "CSV UTF-8")`);
}

/**
 * Every byte sequence is some Windows-1252 text, so a UTF-8 file read as Latin-1 would come out
 * garbled ("João" as "JoÃ£o") and overwrite good rows. Bytes that are valid UTF-8 and hold
 * multibyte characters are almost never real Latin-1 text: refused, naming a word as it would read.
 */
function refuseUtf8AsLatin1(name: string, bytes: Uint8Array, utf8Hint: string): void {
  if (!bytes.some((b) => b >= 0x80)) return;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return;
  }
  const word = firstWordBeyondAscii(text.replace(/^\uFEFF/, ''));
  const example = word ? ` ("${word}" would read as "${new TextDecoder('windows-1252').decode(new TextEncoder().encode(word))}")` : '';
  throw new ValidationError(`${name} is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled${example}; ${utf8Hint}`);
}

const SEPARATOR = /[\s,;|\t"]/;

/**
 * The first word (between separators) holding a character beyond ASCII, cut to 40 characters. Found in
 * linear time: a pattern such as /[^\s,…]*[\u0080-\uffff]/ tries every start in a long run without
 * separators and took minutes over a 200,000-character cell, which an upload can hold.
 */
function firstWordBeyondAscii(text: string): string | undefined {
  const at = text.search(/[\u0080-\uffff]/);
  if (at < 0) return undefined;
  let start = at;
  while (start > 0 && !SEPARATOR.test(text[start - 1] as string)) start--;
  let end = at + 1;
  while (end < text.length && end - start < 40 && !SEPARATOR.test(text[end] as string)) end++;
  return text.slice(start, end).slice(0, 40);
}

/** Whether two paths name one file: the same path once resolved, or (links) the same file on disk. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [first, second] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return Boolean(first && second && first.dev === second.dev && first.ino === second.ino);
}
