import { mean as d3Mean, median as d3Median, quantile as d3Quantile, quantileSorted as d3QuantileSorted } from 'd3-array';
import { seededRandom } from './roster-generator.ts';

/**
 * Statistics for the review: mean, median and quantiles (d3-array), a deterministic
 * percentile-bootstrap confidence interval of the mean, the Net Promoter-style score, and the
 * privacy rule (no figure about a group of fewer than five people).
 */

/** No figure about a group of fewer than this many people is shown. */
export const MIN_GROUP_SIZE = 5;
/** Bootstrap resamples used for every interval in the report. */
export const DEFAULT_RESAMPLES = 2000;
/** The seed of every bootstrap in the report, so the same answers always give the same intervals. */
export const DEFAULT_SEED = 20270101;

export function mean(values: readonly number[]): number | null {
  return d3Mean(values) ?? null;
}

/** The p-quantile (0 ≤ p ≤ 1) of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, R's default, as d3-array computes it). */
export function quantileSorted(sorted: readonly number[], p: number): number | null {
  // d3 clamps p to [0, 1]; a p outside it here is a bug in the caller, not a request for the extremes.
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile ${p} is not between 0 and 1`);
  // d3's type asks for a mutable array, but it only reads it.
  return d3QuantileSorted(sorted as number[], p) ?? null;
}

export function median(values: readonly number[]): number | null {
  return d3Median(values) ?? null;
}

export interface Interval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
  resamples: number;
  seed: number;
  method: 'percentile bootstrap of the mean';
}

/**
 * Percentile bootstrap interval of the mean: draws `resamples` samples of the same size with
 * replacement (indexes from `seededRandom(seed)`), takes each sample's mean, and returns the
 * (1−level)/2 and (1+level)/2 quantiles (type 7) of those means. Deterministic for a given seed.
 */
export function bootstrapMeanInterval(values: readonly number[], options: { resamples?: number; seed?: number; level?: number } = {}): Interval | null {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const level = options.level ?? 0.95;
  if (values.length === 0) return null;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('resamples must be a positive whole number');
  const random = seededRandom(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)] as number;
    means[r] = sum / n;
  }
  return {
    low: d3Quantile(means, (1 - level) / 2) as number,
    high: d3Quantile(means, (1 + level) / 2) as number,
    level,
    resamples,
    seed,
    method: 'percentile bootstrap of the mean',
  };
}

/** A figure about a group: its numbers, or only its size when the group is too small to show. */
export type Summary = { n: number; suppressed: true } | { n: number; suppressed: false; mean: number; median: number; ci95: Interval | null };

/**
 * Mean, median and the 95% bootstrap interval of one value per person; suppressed (only `n`)
 * when fewer than `minGroupSize` people gave a value.
 */
export function summarize(values: readonly number[], options: { minGroupSize?: number; resamples?: number; seed?: number } = {}): Summary {
  const n = values.length;
  if (n < (options.minGroupSize ?? MIN_GROUP_SIZE) || n === 0) return { n, suppressed: true };
  return {
    n,
    suppressed: false,
    mean: mean(values) as number,
    median: median(values) as number,
    ci95: bootstrapMeanInterval(values, { resamples: options.resamples, seed: options.seed }),
  };
}

export interface NetPromoter {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters (9-10) minus % detractors (0-6), rounded to a whole number; null when nobody answered. */
  score: number | null;
}

export function netPromoter(scores: readonly number[]): NetPromoter {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return {
    n: scores.length,
    promoters,
    passives: scores.length - promoters - detractors,
    detractors,
    score: scores.length ? Math.round(((promoters - detractors) / scores.length) * 100) : null,
  };
}

/** A share n/of, or null when there is nothing to divide by. */
export const share = (n: number, of: number): number | null => (of > 0 ? n / of : null);
