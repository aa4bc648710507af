import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailLogEntry, ErasureSubject } from '../../domain/person-data.ts';
import type { ErasureRecord, TandemStore } from '../../services/ports.ts';
import { DynamoDbStore } from './dynamodb-store.ts';
import { PersonDataRecords } from './person-data-records.ts';
import { TableClient } from './table-client.ts';

/**
 * The DynamoDB store with privacy requests besides (export, erasure): what `tandem person` works
 * with. A class of its own so that erasure code stays out of every function's bundle.
 */
export class DynamoDbPrivacyStore extends DynamoDbStore implements TandemStore {
  private readonly personData: PersonDataRecords;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: ConstructorParameters<typeof DynamoDbStore>[2] = {}) {
    super(doc, tableName, options);
    this.personData = new PersonDataRecords(new TableClient(doc, tableName));
  }

  listEmailLog(cycleId: string): Promise<EmailLogEntry[]> {
    return this.personData.listEmailLog(cycleId);
  }
  getErasure(subjectKey: string): Promise<ErasureRecord | undefined> {
    return this.personData.getErasure(subjectKey);
  }
  startErasure(record: ErasureRecord): Promise<ErasureRecord> {
    return this.personData.startErasure(record);
  }
  completeErasure(subjectKey: string, erasureId: string, completedAt: number): Promise<void> {
    return this.personData.completeErasure(subjectKey, erasureId, completedAt);
  }
  isSuppressed(subjectKey: string): Promise<boolean> {
    return this.personData.isSuppressed(subjectKey);
  }
  eraseFromCycle(cycleId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    return this.personData.eraseFromCycle(cycleId, subject);
  }
  eraseFromProgram(programId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    return this.personData.eraseFromProgram(programId, subject);
  }
}
