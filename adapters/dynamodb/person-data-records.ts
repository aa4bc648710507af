import { erasedRecord, type EmailLogEntry, type ErasureSubject } from '../../domain/person-data.ts';
import type { ErasureRecord, PersonalDataStore } from '../../services/ports.ts';
import type { TableClient, TableItem, TransactionItem } from './table-client.ts';
import { keys } from './table-design.ts';
import { inBatches } from './retention-records.ts';

/**
 * Privacy requests over the table: the email log read back, erasure records (which are also the
 * suppression list, `SUPPRESSION#<keyed hash>`) and erasure of a person's items. Used by the CLI
 * only (DynamoDbPrivacyStore), so that no function's bundle carries it.
 */
export class PersonDataRecords implements Omit<PersonalDataStore, 'setCycleExpiry' | 'getCycleExpiry'> {
  constructor(private readonly table: TableClient) {}

  async listEmailLog(cycleId: string): Promise<EmailLogEntry[]> {
    return this.table.queryPrefix<EmailLogEntry>('ListEmailLog', keys.emailsOf(cycleId));
  }

  async getErasure(subjectKey: string): Promise<ErasureRecord | undefined> {
    return this.table.get<ErasureRecord>('GetErasure', keys.suppression(subjectKey), { consistent: true });
  }

  async startErasure(record: ErasureRecord): Promise<ErasureRecord> {
    const written = await this.table.putIf('StartErasure', {
      Item: { ...keys.suppression(record.subjectKey), entity: 'erasure', ...record },
      // A completed erasure may be started again (the person was imported anew); one in progress is resumed instead.
      ConditionExpression: 'attribute_not_exists(PK) OR #status = :completed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'completed' },
    });
    if (written) return record;
    return (await this.getErasure(record.subjectKey)) as ErasureRecord;
  }

  async completeErasure(subjectKey: string, erasureId: string, completedAt: number): Promise<void> {
    await this.table.updateIf('CompleteErasure', {
      Key: keys.suppression(subjectKey),
      UpdateExpression: 'SET #status = :completed, completedAt = :at, targets = :none',
      ConditionExpression: 'erasureId = :id AND #status = :started',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'completed', ':started': 'started', ':at': completedAt, ':none': [], ':id': erasureId },
    });
  }

  async isSuppressed(subjectKey: string): Promise<boolean> {
    return (await this.table.get('IsSuppressed', keys.suppression(subjectKey))) !== undefined;
  }

  async eraseFromCycle(cycleId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    const items = await this.table.queryAll('ListCycleItems', {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.cyclePartition(cycleId).PK },
    });
    return { rewritten: await this.rewriteAll(items, subject) };
  }

  async eraseFromProgram(programId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    let rewritten = 0;
    if (await this.table.delete('EraseParticipant', keys.participant(programId, subject.participantId))) rewritten++;
    if (await this.table.delete('EraseDeclaration', keys.declaration(programId, subject.participantId))) rewritten++;
    const program = await this.table.getItem('GetProgramItem', keys.program(programId));
    return { rewritten: rewritten + (program ? await this.rewriteAll([program], subject) : 0) };
  }

  /**
   * Each item into its erased form. An item whose key names the person moves: the erased item is
   * put and the old one deleted in one transaction. Any other changed item is updated attribute by
   * attribute, on the condition that what it rewrites is still what was read, so a concurrent
   * write (an answer counted on a running cycle) is never overwritten: the erasure fails instead,
   * stays `started`, and its re-run reads the item again.
   */
  private async rewriteAll(items: readonly TableItem[], subject: ErasureSubject): Promise<number> {
    let rewritten = 0;
    await inBatches(items, async (item) => {
      const erased = erasedRecord(item, subject);
      if (JSON.stringify(erased) === JSON.stringify(item)) return;
      rewritten++;
      if (erased.PK !== item.PK || erased.SK !== item.SK) {
        const moves: TransactionItem[] = [
          { Put: { Item: erased, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Delete: { Key: { PK: item.PK, SK: item.SK } } },
        ];
        await this.table.transactAll('MoveErasedItem', moves);
        return;
      }
      await this.table.update('EraseItemFields', updateOf(item, erased));
    });
    return rewritten;
  }
}

/** The update that turns `before` into `after` (same key): changed attributes set, dropped ones removed, each guarded by its value as read. */
function updateOf(before: TableItem, after: TableItem) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const guards: string[] = [];
  [...new Set([...Object.keys(before), ...Object.keys(after)])].forEach((attribute, i) => {
    if (JSON.stringify(before[attribute]) === JSON.stringify(after[attribute])) return;
    names[`#a${i}`] = attribute;
    if (attribute in before) {
      values[`:old${i}`] = before[attribute];
      guards.push(`#a${i} = :old${i}`);
    } else {
      guards.push(`attribute_not_exists(#a${i})`);
    }
    if (attribute in after) {
      values[`:new${i}`] = after[attribute];
      sets.push(`#a${i} = :new${i}`);
    } else {
      removes.push(`#a${i}`);
    }
  });
  return {
    Key: { PK: before.PK, SK: before.SK },
    UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
    ConditionExpression: guards.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
