import * as z from './validation.ts';

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in an ISO-8601 duration limited to weeks, days, hours, minutes and seconds ("P14D", "PT8S"). */
export function durationToSeconds(value: string): number {
  const match = ISO_DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) {
    throw new RangeError(`"${value}" is not an ISO-8601 duration such as P14D, PT12H or PT30S`);
  }
  const [, w, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return (w ?? 0) * 604800 + (d ?? 0) * 86400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

export const isoDuration = z.string().check(
  z.refine((value) => {
    try {
      return durationToSeconds(value) > 0;
    } catch {
      return false;
    }
  }, 'must be a positive ISO-8601 duration such as P14D, PT12H or PT30S'),
);
