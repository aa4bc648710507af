import type { ValidationIssue } from './errors.ts';
import * as z from './validation.ts';

/*
 * Names JavaScript gives a meaning of its own on every object. Data that uses one as a key is read
 * wrongly by the code that handles objects generically: zod's records drop a "__proto__" key without
 * a word, and DynamoDB's marshaller takes an object with its own "constructor" for a class instance
 * and refuses it (a 500 where the person should have been told). So a key or an id that becomes a
 * key (a skill's id keys a person's ratings) is refused, by name, where data comes in.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const RESERVED_KEY_PROBLEM = 'is a name JavaScript reserves for its own use ("__proto__", "constructor", "prototype"); choose another';

/** A check for a string used as a key or an id: refuses the reserved names. */
export const notReservedKey = z.refine<string>((key) => !RESERVED_KEYS.has(key), RESERVED_KEY_PROBLEM);

/** Every key of parsed data (a file, a posted JSON field), at any depth, that is a reserved name, named by its path. */
export function reservedKeys(data: unknown, path: readonly string[] = []): ValidationIssue[] {
  type Step = { value: unknown; key: string | undefined; parent: Step | undefined };
  const pathOf = (step: Step, key: string): string => {
    const keys = [key];
    for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) keys.push(at.key);
    return [...path, ...keys.reverse()].join('.');
  };
  const issues: ValidationIssue[] = [];
  // A loop, not recursion: a hostile file nests thousands of levels deep.
  const pending: Step[] = [{ value: data, key: undefined, parent: undefined }];
  for (let step = pending.pop(); step; step = pending.pop()) {
    const { value } = step;
    if (typeof value !== 'object' || value === null) continue;
    // Object.keys lists a parsed "__proto__" key: JSON.parse and the YAML reader create it as an own property.
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (RESERVED_KEYS.has(key)) issues.push({ where: pathOf(step, key), problem: RESERVED_KEY_PROBLEM });
      else pending.push({ value: (value as Record<string, unknown>)[key], key, parent: step });
    }
  }
  return issues.sort((x, y) => (x.where < y.where ? -1 : x.where > y.where ? 1 : 0));
}
