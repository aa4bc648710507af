import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { EnrollmentDeclaration } from '../../domain/enrollment.ts';
import type { Participant, ParticipantStatus } from '../../domain/participant.ts';
import type { Program } from '../../domain/program.ts';
import type { ParticipantDirectory, ProgramStore } from '../../services/ports.ts';
import { recordOf, type TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** Roster writes in flight at once: enough to import thousands of rows quickly, few enough not to be throttled. */
const WRITE_CONCURRENCY = 16;

/** Reads and conditional writes a program change gets before it gives up with a ConflictError (people editing one program rarely collide twice). */
const MODIFY_ATTEMPTS = 10;

/** Programs (`PROGRAM#<id> / PROGRAM`) and their rosters (`PARTICIPANT#<id>`, found by address through GSI1). */
export class ProgramRecords implements ProgramStore, ParticipantDirectory {
  constructor(private readonly table: TableClient) {}

  /** Every write gives the item a new random revision, so that a modifyProgram that read an older one fails its condition. */
  async putProgram(program: Program): Promise<void> {
    await this.table.put('PutProgram', { Item: this.programItem(program) });
  }

  async modifyProgram(programId: string, change: (current: Program) => Program | undefined): Promise<Program> {
    for (let attempt = 1; attempt <= MODIFY_ATTEMPTS; attempt++) {
      const item = await this.table.getItem('GetProgram', keys.program(programId));
      if (!item) throw new NotFoundError(`program ${programId} does not exist`);
      const current = recordOf<Program>(item);
      const next = change(current);
      if (next === undefined) return current;
      // Programs written before revisions existed have none: the condition is then that there still is none.
      const applied = await this.table.putIf('ModifyProgram', {
        Item: this.programItem(next),
        ...(typeof item.revision === 'string'
          ? { ConditionExpression: 'revision = :read', ExpressionAttributeValues: { ':read': item.revision } }
          : { ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revision)' }),
      });
      if (applied) return next;
    }
    throw new ConflictError(`program ${programId} kept changing while it was being saved (${MODIFY_ATTEMPTS} attempts); try again`);
  }

  private programItem(program: Program) {
    return { ...keys.program(program.programId), ...keys.programInList(program.programId), entity: 'program', ...program, revision: randomUUID() };
  }

  /** Programs written before the listing index existed appear once indexUnlistedPrograms has run (or they are saved again). */
  async listPrograms(): Promise<Program[]> {
    const items = await this.table.queryAll('ListPrograms', {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.allPrograms().GSI1PK },
    });
    return items.map((item) => recordOf<Program>(item)).sort((a, b) => a.programId.localeCompare(b.programId));
  }

  /**
   * The migration for programs stored before the console's listing index: each program item without GSI1
   * attributes gets them. Conditional, so running it again (or beside a save) changes nothing; a program deleted
   * meanwhile is not written back. It scans the table once: a migration, never on a request's path.
   */
  async indexUnlistedPrograms(): Promise<string[]> {
    const unlisted = await this.table.scanAll('FindUnlistedPrograms', {
      FilterExpression: 'SK = :sk AND attribute_not_exists(GSI1PK)',
      ExpressionAttributeValues: { ':sk': keys.program('').SK },
      ProjectionExpression: 'programId',
    });
    const programIds = unlisted.flatMap((item) => (typeof item.programId === 'string' ? [item.programId] : []));
    const limit = pLimit(WRITE_CONCURRENCY);
    const indexed = await Promise.all(
      programIds.map((programId) =>
        limit(async () => {
          const entry = keys.programInList(programId);
          const written = await this.table.updateIf('IndexProgram', {
            Key: keys.program(programId),
            UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI1PK)',
            ExpressionAttributeValues: { ':pk': entry.GSI1PK, ':sk': entry.GSI1SK },
          });
          return written ? [programId] : [];
        }),
      ),
    );
    return indexed.flat().sort();
  }

  async getProgram(programId: string): Promise<Program | undefined> {
    return this.table.get<Program>('GetProgram', keys.program(programId));
  }

  /** Each participant carries a fingerprint of its roster row, so a row written before is left alone and counted unchanged. */
  async putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }> {
    const limit = pLimit(WRITE_CONCURRENCY);
    const outcomes = await Promise.all(
      participants.map((participant) =>
        limit(() => {
          const fingerprint = createHash('sha256').update(JSON.stringify(participant)).digest('base64url');
          return this.table.putIf('PutParticipant', {
            Item: {
              ...keys.participant(programId, participant.participantId),
              ...keys.participantByEmail(participant.email, programId),
              entity: 'participant',
              fingerprint,
              programId,
              ...participant,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR fingerprint <> :fingerprint',
            ExpressionAttributeValues: { ':fingerprint': fingerprint },
          });
        }),
      ),
    );
    const written = outcomes.filter(Boolean).length;
    return { written, unchanged: outcomes.length - written };
  }

  async listParticipants(programId: string): Promise<Participant[]> {
    const stored = await this.table.queryPrefix<Participant & { programId: string }>('ListParticipants', keys.participantsOf(programId));
    return stored.map(({ programId: _program, ...participant }) => participant);
  }

  async getParticipant(programId: string, participantId: string): Promise<Participant | undefined> {
    const stored = await this.table.get<Participant & { programId: string }>('GetParticipant', keys.participant(programId, participantId));
    if (!stored) return undefined;
    const { programId: _program, ...participant } = stored;
    return participant;
  }

  /** Also drops the roster-row fingerprint: the item no longer matches its row, so a re-import writes the row again. */
  async setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus, ownOptOutAt?: number): Promise<void> {
    const own = ownOptOutAt !== undefined;
    const updated = await this.table.updateIf('SetParticipantStatus', {
      Key: keys.participant(programId, participantId),
      // A person's own opt-out keeps its first time (a retried request does not move it).
      UpdateExpression: own
        ? 'SET #status = :status, ownOptOutAt = if_not_exists(ownOptOutAt, :at) REMOVE fingerprint'
        : 'SET #status = :status REMOVE fingerprint',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: own ? { ':status': status, ':at': ownOptOutAt } : { ':status': status },
    });
    if (!updated) throw new NotFoundError(`participant ${participantId} is not in program ${programId}`);
  }

  /** Written by AnswerRecords.recordEnrollmentAnswer, in the transaction of the join. */
  async listDeclarations(programId: string): Promise<EnrollmentDeclaration[]> {
    return this.table.queryPrefix<EnrollmentDeclaration>('ListDeclarations', keys.declarationsOf(programId));
  }

  async getDeclaration(programId: string, participantId: string): Promise<EnrollmentDeclaration | undefined> {
    return this.table.get<EnrollmentDeclaration>('GetDeclaration', keys.declaration(programId, participantId));
  }

  /** Every program whose roster holds this email address. */
  async findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>> {
    const index = keys.programsWithEmail(email.trim().toLowerCase());
    const items = await this.table.queryAll('FindParticipantsByEmail', {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :sk)',
      ExpressionAttributeValues: { ':pk': index.GSI1PK, ':sk': index.GSI1SKPrefix },
      ProjectionExpression: 'programId, participantId',
    });
    return items.flatMap((item) =>
      typeof item.programId === 'string' && typeof item.participantId === 'string' ? [{ programId: item.programId, participantId: item.participantId }] : [],
    );
  }
}
