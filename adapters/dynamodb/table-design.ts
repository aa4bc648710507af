/**
 * Tandem's single DynamoDB table: its key attributes and the one secondary index.
 * infra/ and the local stack both create the table from this, so they cannot drift.
 * Access patterns are written down in docs/data-model.md.
 */
export const TABLE_DESIGN = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAt',
  indexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
} as const;

/** A table item's primary key. */
export interface ItemKey {
  PK: string;
  SK: string;
}

/** The items of one partition whose sort key starts with a prefix. */
export interface KeyPrefix {
  PK: string;
  SKPrefix: string;
}

const programPK = (programId: string) => `PROGRAM#${programId}`;
const cyclePK = (cycleId: string) => `CYCLE#${cycleId}`;
const emailGSI1PK = (email: string) => `EMAIL#${email}`;

/**
 * Every key of the table, and the only place one is spelled out: stored data depends on these
 * strings, so changing one is a data migration (docs/data-model.md lists them).
 */
export const keys = {
  program: (programId: string): ItemKey => ({ PK: programPK(programId), SK: 'PROGRAM' }),
  /** GSI1 attributes of a program item: every program sits under one partition, by id. */
  programInList: (programId: string) => ({ GSI1PK: 'PROGRAMS', GSI1SK: programPK(programId) }),
  allPrograms: () => ({ GSI1PK: 'PROGRAMS' }),

  participant: (programId: string, participantId: string): ItemKey => ({ PK: programPK(programId), SK: `PARTICIPANT#${participantId}` }),
  participantsOf: (programId: string): KeyPrefix => ({ PK: programPK(programId), SKPrefix: 'PARTICIPANT#' }),
  /** What a person declared when they last joined through enrollment (kept for the next cycle's join page). */
  declaration: (programId: string, participantId: string): ItemKey => ({ PK: programPK(programId), SK: `DECLARATION#${participantId}` }),
  declarationsOf: (programId: string): KeyPrefix => ({ PK: programPK(programId), SKPrefix: 'DECLARATION#' }),
  /** GSI1 attributes of a participant item: every program's entry for an address sits under that address. */
  participantByEmail: (email: string, programId: string) => ({ GSI1PK: emailGSI1PK(email), GSI1SK: programPK(programId) }),
  /** GSI1: the participant entries of an address, in every program. */
  programsWithEmail: (email: string) => ({ GSI1PK: emailGSI1PK(email), GSI1SKPrefix: programPK('') }),

  cycle: (cycleId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: 'CYCLE' }),
  /** GSI1 attributes of a cycle item: a program's cycles sort by start time. */
  cycleOfProgram: (programId: string, cycleId: string, startedAt: number) => ({
    GSI1PK: `${programPK(programId)}#CYCLES`,
    GSI1SK: `${new Date(startedAt).toISOString()}#${cycleId}`,
  }),
  cyclesOfProgram: (programId: string) => ({ GSI1PK: `${programPK(programId)}#CYCLES` }),

  member: (cycleId: string, participantId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `MEMBER#${participantId}` }),
  membersOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'MEMBER#' }),
  pair: (cycleId: string, pairId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `PAIR#${pairId}` }),
  pairsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'PAIR#' }),

  response: (cycleId: string, phaseKey: string, participantId: string): ItemKey => ({
    PK: cyclePK(cycleId),
    SK: `RESPONSE#${phaseKey}#${participantId}`,
  }),
  /** Answers whose phase key starts with the prefix (`run#` finds every check-in round). */
  responsesOf: (cycleId: string, phaseKeyPrefix: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: `RESPONSE#${phaseKeyPrefix}` }),

  email: (cycleId: string, idempotencyKey: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `EMAIL#${idempotencyKey}` }),
  /** The email log entries whose idempotency key starts with the prefix (every entry of the cycle without one). */
  emailsOf: (cycleId: string, idempotencyKeyPrefix = ''): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: `EMAIL#${idempotencyKeyPrefix}` }),
  /** Every item of a cycle (erasure and retention rewrite them all). */
  cyclePartition: (cycleId: string): { PK: string } => ({ PK: cyclePK(cycleId) }),

  /**
   * An erasure request and the address's entry on the suppression list, under the keyed hash of
   * the address (services/suppression.ts): never the address itself.
   */
  suppression: (subjectKey: string): ItemKey => ({ PK: `SUPPRESSION#${subjectKey}`, SK: 'SUPPRESSION' }),

  /** Audit entries sort by time within their program (or the across-programs scope `*`). */
  audit: (programId: string | undefined, at: number, auditId: string): ItemKey => ({
    PK: `AUDIT#${programId ?? '*'}`,
    SK: `${new Date(at).toISOString()}#${auditId}`,
  }),
  auditOf: (programId: string | undefined): { PK: string } => ({ PK: `AUDIT#${programId ?? '*'}` }),
  /** The sort key from which entries at or after a time sort. */
  auditSince: (at: number): string => new Date(at).toISOString(),

  review: (cycleId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: 'REVIEW' }),

  /** A console session signed out before its cookie expired, under a hash of the session's token (never the token). */
  signedOutConsoleSession: (sessionKey: string): ItemKey => ({ PK: `CONSOLESESSION#${sessionKey}`, SK: 'SIGNEDOUT' }),

  invitation: (cycleId: string, participantId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `INVITATION#${participantId}` }),
  invitationsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'INVITATION#' }),
  rematch: (cycleId: string, rematchId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `REMATCH#${rematchId}` }),
  rematchesOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'REMATCH#' }),
  flag: (cycleId: string, pairId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `FLAG#${pairId}` }),
  flagsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'FLAG#' }),
  suggestion: (cycleId: string, suggestionId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `SUGGESTION#${suggestionId}` }),
  suggestionsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'SUGGESTION#' }),
  vote: (cycleId: string, voterId: string, suggestionId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `VOTE#${voterId}#${suggestionId}` }),
  votesOf: (cycleId: string, voterId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: `VOTE#${voterId}#` }),
  meeting: (cycleId: string, pairId: string, meetingId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `MEETING#${pairId}#${meetingId}` }),
  meetingsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'MEETING#' }),
  meetingsOfPair: (cycleId: string, pairId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: `MEETING#${pairId}#` }),
  /** A pair's tally of one day's meetings (not under `MEETING#`: listing the meetings does not see it). */
  meetingDay: (cycleId: string, pairId: string, date: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `MEETINGDAY#${pairId}#${date}` }),

  // Informational sessions and their registrations (a registration's prefix is not the session's, so listing sessions skips them).
  session: (cycleId: string, sessionId: string): ItemKey => ({ PK: cyclePK(cycleId), SK: `SESSION#${sessionId}` }),
  sessionsOf: (cycleId: string): KeyPrefix => ({ PK: cyclePK(cycleId), SKPrefix: 'SESSION#' }),
  sessionRegistration: (cycleId: string, sessionId: string, participantId: string): ItemKey => ({
    PK: cyclePK(cycleId),
    SK: `SESSIONREG#${sessionId}#${participantId}`,
  }),
  /** Registrations of one session, or of every session of the cycle without a session id. */
  sessionRegistrationsOf: (cycleId: string, sessionId?: string): KeyPrefix => ({
    PK: cyclePK(cycleId),
    SKPrefix: sessionId === undefined ? 'SESSIONREG#' : `SESSIONREG#${sessionId}#`,
  }),
} as const;
