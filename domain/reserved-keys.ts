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
  const issues: ValidationIssue[] = [];
  const walk = (value: unknown, at: readonly string[]): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...at, String(i)]));
    else if (typeof value === 'object' && value !== null)
      // Object.keys lists a parsed "__proto__" key: JSON.parse and the YAML reader create it as an own property.
      for (const key of Object.keys(value)) {
        if (RESERVED_KEYS.has(key)) issues.push({ where: [...at, key].join('.'), problem: RESERVED_KEY_PROBLEM });
        else walk((value as Record<string, unknown>)[key], [...at, key]);
      }
  };
  walk(data, path);
  return issues;
}
