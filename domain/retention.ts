import * as z from './validation.ts';

/** Cycle data is kept this many days after the cycle ends unless the program says otherwise (two years: a review compares with earlier cycles). */
export const DEFAULT_RETENTION_DAYS = 730;
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;

export const retentionDaysSchema = z._default(
  z
    .number()
    .check(
      z.int('must be a whole number of days'),
      z.gte(MIN_RETENTION_DAYS, `must be at least ${MIN_RETENTION_DAYS} days`),
      z.lte(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`),
    ),
  DEFAULT_RETENTION_DAYS,
);

/** When a cycle's items expire (the DynamoDB TTL attribute): epoch seconds, `retentionDays` after the cycle ended. */
export function cycleExpiresAt(endedAt: number, retentionDays: number | undefined): number {
  return Math.floor(endedAt / 1000) + (retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400;
}
