import type { AuditEntry, AuditLog } from '../../services/ports.ts';
import { recordOf, type TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** The audit log: `AUDIT#<programId or *> / <ISO time>#<auditId>`, queried newest first. */
export class AuditRecords implements AuditLog {
  constructor(private readonly table: TableClient) {}

  async recordAudit(entry: AuditEntry): Promise<void> {
    // Append-only: a retried request that records the same action again keeps the first entry.
    await this.table.putIf('RecordAudit', {
      Item: { ...keys.audit(entry.programId, entry.at, entry.auditId), entity: 'audit', ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  }

  async listAudit(query: { programId?: string; since?: number; limit?: number }): Promise<AuditEntry[]> {
    const input = {
      KeyConditionExpression: query.since === undefined ? 'PK = :pk' : 'PK = :pk AND SK >= :since',
      ExpressionAttributeValues: { ':pk': keys.auditOf(query.programId).PK, ...(query.since === undefined ? {} : { ':since': keys.auditSince(query.since) }) },
      ScanIndexForward: false,
    };
    const items = query.limit === undefined ? await this.table.queryAll('ListAudit', input) : await this.table.queryUpTo('ListAudit', input, query.limit);
    return items.map((item) => recordOf<AuditEntry>(item));
  }
}
