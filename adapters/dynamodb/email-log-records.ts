import type { EmailClaim, EmailLog, SuppressionKeys } from '../../services/ports.ts';
import type { TableClient } from './table-client.ts';
import { keys } from './table-design.ts';

/** An email claimed this long ago and never marked sent is taken to have failed before reaching SES (unless configured otherwise). */
const DEFAULT_STALE_CLAIM_MS = 5 * 60 * 1000;

/** The email log: one item per idempotency key (`CYCLE#<id> / EMAIL#<key>`), and the cycle's `emailsSent` counter. */
export class EmailLogRecords implements EmailLog {
  constructor(
    private readonly table: TableClient,
    private readonly staleClaimMs = DEFAULT_STALE_CLAIM_MS,
    private readonly suppressionKeys: SuppressionKeys = () => Promise.resolve(undefined),
  ) {}

  async claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim> {
    const [claimed, suppressed] = await Promise.all([this.claimKey(cycleId, key, to, now), this.isSuppressed(to)]);
    if (suppressed) {
      if (claimed) await this.release(cycleId, key, 'the address is on the suppression list (its data was erased)');
      return 'suppressed';
    }
    if (claimed) return 'claimed';
    const entry = await this.table.get<{ status: string }>('GetEmail', keys.email(cycleId, key), { consistent: true });
    return entry?.status === 'sent' ? 'already-sent' : 'in-flight';
  }

  private async isSuppressed(to: string): Promise<boolean> {
    const keyOf = await this.suppressionKeys();
    return keyOf !== undefined && (await this.table.get('IsSuppressed', keys.suppression(keyOf(to)))) !== undefined;
  }

  private claimKey(cycleId: string, key: string, to: string, now: number): Promise<boolean> {
    return this.table.putIf('ClaimEmail', {
      Item: { ...keys.email(cycleId, key), entity: 'email', idempotencyKey: key, to, status: 'sending', claimedAt: now },
      ConditionExpression: 'attribute_not_exists(PK) OR #status = :failed OR (#status = :sending AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':stale': now - this.staleClaimMs },
    });
  }

  /** Marks the claim sent and counts the email, in one transaction; a claim no longer `sending` is left as it is. */
  async markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void> {
    await this.table.transact(
      'MarkEmailSent',
      [
        {
          Update: {
            Key: keys.email(cycleId, key),
            UpdateExpression: 'SET #status = :sent, messageId = :messageId, sentAt = :now',
            ConditionExpression: '#status = :sending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':messageId': messageId, ':now': now },
          },
        },
        { Update: { Key: keys.cycle(cycleId), UpdateExpression: 'ADD emailsSent :one', ExpressionAttributeValues: { ':one': 1 } } },
      ],
      'marked',
      ['not-sending'],
    );
  }

  /** Releases a claim whose send failed, so a retry sends the email; a claim no longer `sending` is left as it is. */
  async release(cycleId: string, key: string, reason: string): Promise<void> {
    await this.table.updateIf('ReleaseEmail', {
      Key: keys.email(cycleId, key),
      UpdateExpression: 'SET #status = :failed, failureReason = :reason',
      ConditionExpression: '#status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':reason': reason.slice(0, 500) },
    });
  }

  /** One query of the keys' range (consistent, so a send marked a moment ago counts), reading only the key and status. */
  async sentKeys(cycleId: string, keyPrefix: string): Promise<Set<string>> {
    const range = keys.emailsOf(cycleId, keyPrefix);
    const items = await this.table.queryAll('ListSentEmails', {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      FilterExpression: '#status = :sent',
      ProjectionExpression: 'idempotencyKey',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': range.PK, ':sk': range.SKPrefix, ':sent': 'sent' },
      ConsistentRead: true,
    });
    return new Set(items.map((item) => String(item.idempotencyKey)));
  }
}
