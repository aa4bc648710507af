/**
 * What `tandem person export` writes (docs/privacy.md): a versioned document, described here so
 * that a reader can check what it was given. Used by the CLI and the service only.
 */
import type { EmailLogEntry } from './person-data.ts';
import * as z from './validation.ts';

/** The export's format version: a reader refuses a version it does not know. */
export const PERSON_EXPORT_VERSION = 1;

/** A stored record as Tandem keeps it (participant, member, answer, ...): listed whole, never trimmed. */
const storedRecord = z.record(z.string(), z.unknown());

/** The email log's entry for an email sent to the person (what was sent and when; the contents are rendered by SES and not kept). */
export const emailLogEntrySchema: z.ZodMiniType<EmailLogEntry> = z.object({
  idempotencyKey: z.string(),
  to: z.optional(z.string()),
  status: z.enum(['sending', 'sent', 'failed']),
  claimedAt: z.number(),
  messageId: z.optional(z.string()),
  sentAt: z.optional(z.number()),
  failureReason: z.optional(z.string()),
});

const cycleRecordsSchema = z.object({
  cycleId: z.string(),
  programId: z.string(),
  participantId: z.string(),
  startedAt: z.number(),
  status: z.string(),
  member: z.optional(storedRecord),
  pairs: z.array(storedRecord),
  responses: z.array(storedRecord),
  invitationDecision: z.optional(storedRecord),
  rematches: z.array(storedRecord),
  flags: z.array(storedRecord),
  meetings: z.array(storedRecord),
  sessionRegistrations: z.array(storedRecord),
  sessionsAttended: z.array(z.string()),
  votes: z.array(z.string()),
  emails: z.array(emailLogEntrySchema),
});

/** What `tandem person export` writes: everything Tandem holds on one address, version 1. */
export const personExportSchema = z.object({
  version: z.literal(PERSON_EXPORT_VERSION),
  exportedAt: z.string(),
  email: z.string(),
  /** The person's roster entry and enrollment declaration in each program that lists the address. */
  programs: z.array(z.object({ programId: z.string(), programName: z.string(), participant: storedRecord, declaration: z.optional(storedRecord) })),
  /** Every cycle the person took part in, with what it holds on them. */
  cycles: z.array(cycleRecordsSchema),
  /** Audit entries that name the person's ids (the log keeps ids and counts, never names or addresses). */
  auditEntries: z.array(storedRecord),
  /** Whether the address is on the suppression list (erased: nothing more is sent to it). */
  suppressed: z.boolean(),
});
export type PersonExport = z.infer<typeof personExportSchema>;
export type PersonCycleRecords = z.infer<typeof cycleRecordsSchema>;
