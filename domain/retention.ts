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

/**
 * S3 lifecycle rules expire objects after a fixed number of days per rule, so a program's retention
 * maps to one of these classes (the longest not above it), each a tag-filtered rule on the report
 * bucket (infra/constructs/report-archive.ts). A report never outlives its program's retention;
 * the deployment's `reportRetentionDays` caps every class (S3 applies the earliest expiration).
 */
export const REPORT_RETENTION_CLASSES = [30, 90, 180, 365, 730, 1095, 1825, 3650] as const;
/** The object tag whose value is the report's retention class, in days. */
export const REPORT_RETENTION_TAG = 'tandem-retention-days';

export function reportRetentionClass(retentionDays: number | undefined): number {
  const days = retentionDays ?? DEFAULT_RETENTION_DAYS;
  return [...REPORT_RETENTION_CLASSES].reverse().find((c) => c <= days) ?? REPORT_RETENTION_CLASSES[0];
}
