/**
 * Characters that have no place in text a person typed, and that can harm whoever reads it later:
 * C0 and C1 control characters (an ESC sequence rewrites HR's terminal), DEL, and the Unicode
 * bidirectional embeddings, overrides and isolates (they reorder text on screen, hiding what it
 * says). Tab and line feed stay; a carriage return is a line break from a browser's CRLF.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Typed text with line breaks made plain (\n) and the characters above removed. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARACTERS, '');
}

/** Text for a terminal: line breaks and tabs kept, any other control or bidi character shown as a visible \u escape. */
export function terminalSafe(text: string): string {
  return text.replace(/\r(?!\n)/g, '\\r').replace(UNSAFE_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Replaces the cohort's names in free text, so that quotes are shown without names. */
export function redactNames(text: string, names: readonly string[]): string {
  let out = text;
  // Whole names always; their parts (first name, surname) from three letters on, so that "de" or "da" stay.
  const parts = [...new Set(names.flatMap((n) => [n.trim(), ...n.split(/\s+/).filter((p) => p.length >= 3)]).filter((p) => p.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const part of parts) {
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'), '[name]');
  }
  return out;
}
