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

export const keys = {
  program: (programId: string) => ({ PK: `PROGRAM#${programId}`, SK: 'PROGRAM' }),
  participant: (programId: string, participantId: string) => ({ PK: `PROGRAM#${programId}`, SK: `PARTICIPANT#${participantId}` }),
  participantsOf: (programId: string) => ({ PK: `PROGRAM#${programId}`, SKPrefix: 'PARTICIPANT#' }),
  cycle: (cycleId: string) => ({ PK: `CYCLE#${cycleId}`, SK: 'CYCLE' }),
  cyclesOfProgram: (programId: string) => ({ GSI1PK: `PROGRAM#${programId}#CYCLES` }),
  member: (cycleId: string, participantId: string) => ({ PK: `CYCLE#${cycleId}`, SK: `MEMBER#${participantId}` }),
  pair: (cycleId: string, pairId: string) => ({ PK: `CYCLE#${cycleId}`, SK: `PAIR#${pairId}` }),
  response: (cycleId: string, phaseKey: string, participantId: string) => ({ PK: `CYCLE#${cycleId}`, SK: `RESPONSE#${phaseKey}#${participantId}` }),
  email: (cycleId: string, idempotencyKey: string) => ({ PK: `CYCLE#${cycleId}`, SK: `EMAIL#${idempotencyKey}` }),
  participantByEmail: (email: string) => ({ GSI1PK: `EMAIL#${email}` }),
} as const;
