import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const KEY_MODULE = 'adapters/dynamodb/table-design.ts';

/** A table key's prefix (`CYCLE#…`), the index's `#CYCLES` suffix, or a fixed sort key (`CYCLE`, `PROGRAM`, `REVIEW`) in a string of code. */
const KEY_PREFIX = /\b(PROGRAM|PARTICIPANT|CYCLE|MEMBER|PAIR|RESPONSE|EMAIL|INVITATION|REMATCH|FLAG|SUGGESTION|VOTE)#|#CYCLES\b/;
const FIXED_SORT_KEYS = new Set(['PROGRAM', 'CYCLE', 'REVIEW']);

function typeScriptFiles(folder: string): string[] {
  return readdirSync(resolve(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** The key-like string literals and template pieces of a file's code (comments are not code). */
function keyLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(resolve(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (KEY_PREFIX.test(node.text) || FIXED_SORT_KEYS.has(node.text))
        found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('table keys', () => {
  it('are written only in the key module, nowhere else in adapters/ or services/', () => {
    const files = [...typeScriptFiles('adapters'), ...typeScriptFiles('services')].filter((file) => relative(root, resolve(root, file)) !== KEY_MODULE);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(keyLiterals)).toEqual([]);
  });

  it('are recognised where they are written, in the key module', () => {
    const literals = keyLiterals(KEY_MODULE).map((line) => line.slice(line.indexOf(' ') + 1));
    expect(literals).toEqual(expect.arrayContaining(['PROGRAM#', 'CYCLE#', 'EMAIL#', 'PARTICIPANT#', 'RESPONSE#', '#CYCLES', 'REVIEW', 'CYCLE', 'PROGRAM']));
  });
});
