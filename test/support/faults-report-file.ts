import { resolve } from 'node:path';
import { z } from 'zod';

/** Where the fault suite writes its figures (ignored by git); scripts/faults-report.ts prints them as a table. */
export const FAULTS_REPORT_PATH = resolve(import.meta.dirname, '../../.tandem/faults-report.json');

export const faultFiguresSchema = z.object({
  scenario: z.string(),
  fault: z.string(),
  participants: z.number().int(),
  /** The execution's status and the cycle's. */
  outcome: z.string(),
  faultsInjected: z.number().int(),
  /** Steps that failed and were retried by the workflow, by error (the fault reached past the handler's own retries). */
  stepsRetried: z.string(),
  emailsAccepted: z.number().int(),
  emailsCountedSent: z.number().int(),
  /** Emails beyond the first with the same recipient and subject. */
  duplicates: z.number().int(),
  /** Per phase invitation: members who did not get exactly one. */
  membersWithoutExactlyOneInvitation: z.number().int(),
  answersPosted: z.number().int(),
  answersStored: z.number().int(),
  answersRefused: z.number().int(),
  seconds: z.number(),
  recordedAt: z.string(),
  loadAverage: z.string(),
});
export type FaultFigures = z.infer<typeof faultFiguresSchema>;

/** The report: each scenario's last figures, by scenario. */
export const faultsReportSchema = z.record(z.string(), faultFiguresSchema);
