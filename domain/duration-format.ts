import prettyMilliseconds from 'pretty-ms';
import type { Language } from './program.ts';

/**
 * Durations as people read them, in one place: elapsed times for ops (the CLI and the ops pages
 * print the same text) and time left in words for participants' emails, in their language.
 */

/** Elapsed time, compact: "98ms", "37.5s", "1m 5s", "1h 2m", "2d 3h"; empty when unknown. */
export function formatElapsed(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  return prettyMilliseconds(Math.max(0, ms), { secondsDecimalDigits: 1, unitCount: 2 });
}

/**
 * Time left before a deadline in the largest whole unit, in words: "2 days", "1 hora", "45 seconds".
 * Hand-written on purpose: humanize-duration gives the same words but carries every language it
 * knows and cannot be tree-shaken; it added 19.3 KB to 7 of the 9 Lambda bundles (review reached
 * 478.5 KB of its 500 KB budget, `npm run bench:bundles -- --top 8`) for eight words in two languages.
 */
export function timeLeftInWords(ms: number, language: Language): string {
  // Whole seconds first (1.5 s is "2 seconds"), then the largest unit rounded down (36 hours is "1 day").
  const seconds = Math.max(0, Math.round(ms / 1000));
  for (const [size, one, many] of UNIT_WORDS[language]) {
    // Seconds, the last unit, also says "0 seconds".
    if (seconds >= size || size === 1) {
      const n = Math.floor(seconds / size);
      return `${n} ${n === 1 ? one : many}`;
    }
  }
  return '';
}

type UnitWords = readonly [seconds: number, one: string, many: string];
const UNIT_WORDS: Record<Language, readonly UnitWords[]> = {
  en: [
    [86_400, 'day', 'days'],
    [3_600, 'hour', 'hours'],
    [60, 'minute', 'minutes'],
    [1, 'second', 'seconds'],
  ],
  'pt-BR': [
    [86_400, 'dia', 'dias'],
    [3_600, 'hora', 'horas'],
    [60, 'minuto', 'minutos'],
    [1, 'segundo', 'segundos'],
  ],
};
