import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../domain/roster-generator.ts';
import { bootstrapMeanInterval, mean, median, netPromoter, quantileSorted, share, summarize } from '../../domain/statistics.ts';

describe('mean, median and quantiles', () => {
  it('computes them by hand-checkable rules', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNull();
    expect(median([4, 1, 3, 2])).toBe(2.5); // (2 + 3) / 2
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
    // Type 7: h = (n − 1)p = 3 × 0.25 = 0.75 → 1 + 0.75 × (2 − 1) = 1.75
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(() => quantileSorted([1], 1.5)).toThrow(RangeError);
    expect(share(1, 4)).toBe(0.25);
    expect(share(1, 0)).toBeNull();
  });
});

describe('bootstrapMeanInterval', () => {
  it('gives a zero-width interval on constant data', () => {
    const ci = bootstrapMeanInterval([3, 3, 3, 3, 3]);
    expect(ci).toMatchObject({ low: 3, high: 3, level: 0.95, resamples: 2000 });
  });

  it('is null without data', () => {
    expect(bootstrapMeanInterval([])).toBeNull();
  });

  it('spans [0, 1] for the data {0, 1}: resample means are 0, ½ or 1, and 0 and 1 each come up a quarter of the time (far above 2.5%)', () => {
    const ci = bootstrapMeanInterval([0, 1]);
    expect(ci?.low).toBe(0);
    expect(ci?.high).toBe(1);
  });

  it('with one resample, both ends are that resample’s mean, drawn with seededRandom(seed)', () => {
    // seededRandom(7) draws 0.0117, 0.0620, 0.9769 → indexes ⌊3r⌋ = 0, 0, 2 → values 10, 10, 30 → mean 50/3.
    const ci = bootstrapMeanInterval([10, 20, 30], { resamples: 1, seed: 7 });
    expect(ci?.low).toBeCloseTo(50 / 3, 12);
    expect(ci?.high).toBeCloseTo(50 / 3, 12);
    expect(ci).toMatchObject({ resamples: 1, seed: 7 });
  });

  it('is deterministic for a seed and reports the number of resamples', () => {
    const data = [1, 4, 2, 5, 3, 3, 0, 2];
    expect(bootstrapMeanInterval(data, { seed: 11 })).toEqual(bootstrapMeanInterval(data, { seed: 11 }));
    expect(bootstrapMeanInterval(data, { seed: 11, resamples: 500 })?.resamples).toBe(500);
  });

  it('contains the sample mean and lies within the data’s range', () => {
    const data = [1, 4, 2, 5, 3, 3, 0, 2];
    const ci = bootstrapMeanInterval(data) as NonNullable<ReturnType<typeof bootstrapMeanInterval>>;
    expect(ci.low).toBeLessThanOrEqual(mean(data) as number);
    expect(ci.high).toBeGreaterThanOrEqual(mean(data) as number);
    expect(ci.low).toBeGreaterThanOrEqual(0);
    expect(ci.high).toBeLessThanOrEqual(5);
  });

  it('covers the true mean about 95% of the time (200 samples of 30 uniform values; the percentile bootstrap runs a little narrow)', () => {
    const random = seededRandom(99);
    let covered = 0;
    for (let s = 0; s < 200; s++) {
      const sample = Array.from({ length: 30 }, () => random());
      const ci = bootstrapMeanInterval(sample, { resamples: 400, seed: s + 1 });
      if (ci && ci.low <= 0.5 && ci.high >= 0.5) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
  });

  it('refuses a resample count that is not a positive whole number', () => {
    expect(() => bootstrapMeanInterval([1, 2], { resamples: 0 })).toThrow(RangeError);
  });
});

describe('summarize and the privacy rule', () => {
  it('suppresses a group of fewer than five people, keeping only its size', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ n: 4, suppressed: true });
    expect(summarize([])).toEqual({ n: 0, suppressed: true });
  });

  it('shows mean, median and interval from five people on', () => {
    const s = summarize([1, 2, 3, 4, 10]);
    expect(s).toMatchObject({ n: 5, suppressed: false, mean: 4, median: 3 });
    if (s.suppressed) throw new Error('unexpected');
    expect(s.ci95?.resamples).toBe(2000);
  });
});

describe('netPromoter', () => {
  it('counts promoters (9-10), passives (7-8) and detractors (0-6)', () => {
    // 10, 9 promoters; 7, 8 passives; 3 detractor → (2 − 1) / 5 = 20%
    expect(netPromoter([10, 9, 7, 8, 3])).toEqual({ n: 5, promoters: 2, passives: 2, detractors: 1, score: 20 });
    expect(netPromoter([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null });
  });
});
