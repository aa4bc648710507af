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
