import { existsSync, statSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ValidationError } from '../../domain/errors.ts';

/**
 * Checks where an output option points before any work is done (an export is audited once written):
 * a file in a folder that exists, never a folder. Returns the absolute path.
 */
export function checkOutputPath(path: string, option = '--out'): string {
  const out = resolve(path);
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw new ValidationError(`${option} names a folder`, [{ where: option, problem: `${path} is a folder: name a file in it` }]);
  }
  const folder = dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ValidationError(`${option} names a file in a folder that does not exist`, [
      { where: option, problem: `create ${folder} first, or write elsewhere` },
    ]);
  }
  return out;
}

/** A file system refusal (permissions, a full disk) named with the path, instead of a stack trace. */
function refused(path: string, option: string, error: unknown): ValidationError {
  const code = (error as { code?: string }).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : (error as Error).message;
  return new ValidationError(`cannot write ${path}`, [{ where: option, problem: why }], { cause: error });
}

/** Writes an output option's file (checked with `checkOutputPath` first). */
export async function writeOutputFile(path: string, text: string, options: { mode?: number; option?: string } = {}): Promise<void> {
  try {
    await writeFile(path, text, { encoding: 'utf8', ...(options.mode === undefined ? {} : { mode: options.mode }) });
  } catch (error) {
    throw refused(path, options.option ?? '--out', error);
  }
}

/** Copies a file to an output option's path (checked with `checkOutputPath` first). */
export async function copyOutputFile(source: string, path: string, option = '--out'): Promise<void> {
  try {
    await copyFile(source, path);
  } catch (error) {
    throw refused(path, option, error);
  }
}
