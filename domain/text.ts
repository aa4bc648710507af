/**
 * Characters that have no place in text a person typed, and that can harm whoever reads it later:
 * C0 and C1 control characters (an ESC sequence rewrites HR's terminal), DEL; the Unicode
 * bidirectional marks, embeddings, overrides and isolates (U+200E/U+200F, U+061C, U+202A–U+202E,
 * U+2066–U+2069: they reorder text on screen, hiding what it says); the line and paragraph
 * separators U+2028/U+2029 (a line break no one sees coming, in a subject line or a CSV); and the
 * invisible ones (U+200B zero-width space, U+2060–U+2064 word joiner and invisible operators,
 * U+FEFF, U+180E, and the soft hyphen U+00AD: a hyphenation hint, shown only at a line's end, that
 * splits a name for the redactor while it reads whole), which make look-alike names and hide words
 * from filters. The zero-width (non-)joiners U+200C/U+200D stay: emoji and Persian or Indic spelling
 * need them (the name redactor reads through them instead). Tab and line
 * feed stay; a carriage return is a line break from a browser's CRLF, and plainText turns the
 * Unicode separators into line feeds first.
 */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Typed text with line breaks made plain (\n) and the characters above removed. */
export function plainText(text: string): string {
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(UNSAFE_CHARACTERS, '');
}

/**
 * One line of typed text (a name, a title, a place: what lands in a subject line or a heading):
 * plain as above, every line break and tab a single space.
 */
export function oneLine(text: string): string {
  return plainText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\t/g, ' ');
}

/** Text for a terminal: line breaks and tabs kept, any other control or bidi character shown as a visible \u escape. */
export function terminalSafe(text: string): string {
  return text.replace(/\r(?!\n)/g, '\\r').replace(UNSAFE_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Replaces the cohort's names in free text, so that quotes are shown without names. */
export function redactNames(text: string, names: readonly string[]): string {
  return nameRedactor(names)(text);
}

const LETTERS_OR_DIGITS = /[\p{L}\p{N}]+/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;
// A key that case-insensitive (`iu`) matching treats alike: final and medial sigma, ẞ and ß, fold to one key.
const caseKey = (word: string) => word.toLowerCase().toUpperCase();

/**
 * A redactor for one cohort's names, built once and applied to every quote. Whole names always;
 * their parts (first name, surname) from three letters on, so that "de" or "da" stay. A name
 * matches only as whole words (no letter or digit right before or after it), in any letter case.
 *
 * One case-insensitive Unicode pattern per name cost a cohort of 7,000 minutes in its review:
 * compiling each takes about 2 ms (the case closure of every letter), and every text was tried
 * against every name. Here a text is read once: each word looks up the names that start with it,
 * and only those are compared there, longest first, without a pattern.
 *
 * The zero-width (non-)joiners U+200C/U+200D are kept in typed text (emoji and some scripts need
 * them), so a name typed with one inside ("Bea\u200Dtriz") is matched as if it were not there: the
 * words are read with the joiners left out, and only the name's own characters (its joiners with
 * them) become "[name]"; a joiner anywhere else stays where it was.
 */
export function nameRedactor(names: readonly string[]): (text: string) => string {
  const parts = [
    ...new Set(
      names
        .map((n) => n.replace(/[\u00AD\u200C\u200D]/g, ''))
        .flatMap((n) => [n.trim(), ...n.split(/\s+/).filter((p) => p.length >= 3)])
        .filter((p) => p.length >= 2),
    ),
  ].sort((a, b) => b.length - a.length);
  const byFirstWord = new Map<string, Array<{ length: number; key: string }>>();
  // Rare names that start with a sign (a bracket, a quote) have no first word; they are tried on the whole text with a pattern.
  const signed: RegExp[] = [];
  for (const part of parts) {
    const firstWord = LETTER_OR_DIGIT.test(part) ? part.match(LETTERS_OR_DIGITS)?.[0] : undefined;
    if (firstWord === undefined) {
      signed.push(new RegExp(`(?<![\\p{L}\\p{N}])${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu'));
      continue;
    }
    const list = byFirstWord.get(caseKey(firstWord)) ?? byFirstWord.set(caseKey(firstWord), []).get(caseKey(firstWord));
    list?.push({ length: part.length, key: caseKey(part) });
  }
  const endsAWord = (text: string, at: number) => at >= text.length || !LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at) as number));
  return (original) => {
    // `text` is what the words are read in (the joiners left out); `at[i]` is where its i-th code unit is in `original`.
    const { text, at } = withoutJoiners(original);
    let out = '';
    let copiedUpTo = 0;
    let readUpTo = 0;
    for (const word of text.matchAll(LETTERS_OR_DIGITS)) {
      const start = word.index;
      if (start < readUpTo) continue;
      const found = byFirstWord
        .get(caseKey(word[0]))
        ?.find((name) => endsAWord(text, start + name.length) && caseKey(text.slice(start, start + name.length)) === name.key);
      if (!found) continue;
      readUpTo = start + found.length;
      out += `${original.slice(copiedUpTo, at(start))}[name]`;
      copiedUpTo = at(readUpTo - 1) + 1;
    }
    out += original.slice(copiedUpTo);
    for (const pattern of signed) out = out.replace(pattern, '[name]');
    return out;
  };
}

// The soft hyphen too: text stored before plainText removed it is still read through.
const JOINERS = /[\u00AD\u200C\u200D]/;

/** The text without U+200C/U+200D (and U+00AD), and where each of its code units is in the text given (itself when it has none). */
function withoutJoiners(original: string): { text: string; at: (index: number) => number } {
  if (!JOINERS.test(original)) return { text: original, at: (index) => index };
  let text = '';
  const positions: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const unit = original[i] as string;
    if (JOINERS.test(unit)) continue;
    text += unit;
    positions.push(i);
  }
  return { text, at: (index) => positions[index] as number };
}
