const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * Text as it may stand inside an isolate (a `<bdi>`, or U+2068 … U+2069 in an attribute): every pop directional isolate
 * (U+2069) that closes no isolate opened before it in the text is dropped. Such a stray one would close the isolate around
 * the text early, and an override after it (U+202E) would then reorder what follows the isolate. Isolates the text opens and
 * leaves open, and its embeddings and overrides, end where the isolate around it ends.
 */
export function withinIsolate(text: string): string {
  let open = 0;
  let out = '';
  for (const c of text) {
    if (c === '\u2066' || c === '\u2067' || c === '\u2068') open++;
    else if (c === '\u2069') {
      if (open === 0) continue;
      open--;
    }
    out += c;
  }
  return out;
}

/**
 * A value put into HTML text (a name, a skill label), escaped and bidi-isolated in a `<bdi>`: a value in a right-to-left
 * script, or one holding a direction override such as U+202E, cannot reorder the text around it.
 */
export const isolatedHtml = (value: string): string => `<bdi>${escapeHtml(withinIsolate(value))}</bdi>`;

/** The same for an attribute (an aria-label), where no element can go: the value between U+2068 and U+2069, not escaped. */
export const isolatedText = (value: string): string => `\u2068${withinIsolate(value)}\u2069`;

/** Explicit direction controls: embeddings, overrides and their pop (U+202A–U+202E), isolates and theirs (U+2066–U+2069). */
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * Stored text that carries values whose bounds are unknown (a service's message or a proposal quoting a skill label),
 * escaped, with every word (a run without white space) that holds an explicit direction control isolated in a `<bdi>`:
 * an override in a value reorders at most the word it is in, never the rest of the sentence. Where the values' bounds
 * are known, isolate each value with isolatedHtml instead.
 */
export function escapeHtmlIsolatingControls(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (DIRECTION_CONTROL.test(part) ? isolatedHtml(part) : escapeHtml(part)))
    .join('');
}
