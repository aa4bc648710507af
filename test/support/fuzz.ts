import fc from 'fast-check';
import { expect } from 'vitest';

/*
 * What the fuzz tests (test/unit/fuzz-*.test.ts, test/integration/fuzz-local-endpoints.test.ts)
 * share: how many runs, the hostile values, and the checks every refusal must pass.
 * fast-check picks the seed and prints it (with the path) when a property fails, so a failure reproduces.
 */

/** FUZZ_RUNS multiplies every target's runs: `FUZZ_RUNS=10 npm run test:fuzz` is the long pass. */
export const FUZZ_FACTOR = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);
export const runs = (base: number): number => Math.round(base * FUZZ_FACTOR);
/** Each fuzz test's time limit: generous, for a loaded machine (a limit, never an assertion about speed). */
export const FUZZ_TIMEOUT = 120_000 * FUZZ_FACTOR;

/** Texts a form or a file has no business holding, written out because random strings seldom hit them. */
export const HOSTILE_CONSTANTS = [
  '',
  ' ',
  '1e0',
  '1e1',
  '3e1',
  '0x3',
  '0x1E',
  '0b11',
  '0o7',
  '.5',
  '5.',
  '-0',
  '+3',
  ' 3 ',
  '3\u00a0',
  '٣',
  '３',
  'NaN',
  'Infinity',
  '-Infinity',
  '1_000',
  '99999999999999999999999',
  '1e308',
  '-1e308',
  '2027-02-30',
  '0000-00-00',
  '9999-12-31',
  '2027-13-01',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u202e\u2066evil\u2069',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u0007\u001b[31mred\u001b[0m',
  '\r\n',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x")',
  '+SUM(1,2)',
  '@cmd',
  '../../etc/passwd',
  '%',
  '%zz',
  '%E0%A4%A',
  '%FF%FE',
  '%00',
  '\ud800',
  '\udfff',
  'a'.repeat(10_000),
  'é'.repeat(3_000),
  '😀'.repeat(1_000),
];

/** One hostile text: random (any code point, lone surrogates included), control characters, long, or one of the constants. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_CONSTANTS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  {
    arbitrary: fc.string({
      unit: fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\u2066', '\ufffe', '\t', '\n', '\r'),
      maxLength: 20,
    }),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 300, maxLength: 3_000 }), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.double().map(String), weight: 1 },
);

/**
 * A raw urlencoded fragment as a browser would never send it: bad percent-escapes, bare `&` and `=`,
 * escaped bytes that are not UTF-8.
 */
export const rawFormFragment: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('%', '&', '=', '+', 'a', '0', 'F', 'E', ';', '%FF', '%C3', '%80', '%00', '%25'), maxLength: 40 }),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

/** What a page, a message or a stderr shown to a person must never contain: a stack frame, a source path, a runtime's error class. */
const INTERNALS = [
  /\n\s+at [^\n]+\(/,
  /\bat (async )?[\w.$<>]+ \([^)]*:\d+:\d+\)/,
  /node_modules/,
  /\.ts:\d+/,
  /\/work\//,
  /\b(TypeError|RangeError|SyntaxError|ReferenceError|ZodError|YAMLParseError|CsvError)\b/,
  /\[object Object\]/,
  /\(node:\d+\)|\bWarning: /,
];

/** Fails naming the leak when `text` shows internals. */
export function expectNoInternals(text: string, where: string): void {
  for (const pattern of INTERNALS) {
    const found = pattern.exec(text);
    expect(found?.[0], `${where} leaks internals (${String(pattern)})`).toBeUndefined();
  }
}

/**
 * A canonical JSON picture of an object's own state, Maps and Sets included (ordered by key), for
 * "the store is unchanged": compare the snapshot before and after a refused request.
 */
export function snapshot(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (v instanceof Map) return { '<Map>': [...v.entries()].map(([k, x]) => [String(k), x]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
    if (v instanceof Set) return { '<Set>': [...v].map(String).sort() };
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}
