import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pRetry from 'p-retry';
import { cancellationReasons, isConditionFailure, isTransientCancellation, isWriteConflict, rethrowDynamo } from './errors.ts';
import type { ItemKey, KeyPrefix } from './table-design.ts';

const BATCH_SIZE = 25;
/** BatchGetItem reads at most 100 keys a call. */
const BATCH_GET_SIZE = 100;
/** A batch read serves an HTTP request (the survey API's 10 s timeout): unprocessed keys are asked again after 25, 50, 100, 200 ms, then it gives up. */
const BATCH_GET_RETRIES = 4;
const BATCH_GET_BACKOFF_MS = 25;
const BATCH_ATTEMPTS = 8;
/**
 * Retries of a transaction another one cancelled (TransactionConflict), or of a single write refused for one (TransactionConflictException): every answer's transaction
 * updates its cycle's counter, so concurrent answers to one cycle meet on that item. With jitter,
 * 20 ms doubling up to 320 ms a wait: under 1 s in all, well inside the survey API's 10 s timeout.
 */
const CONFLICT_RETRIES = 5;

export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
}

/** An item as the table holds it: the record's fields with its keys and the store's bookkeeping attributes. */
export type TableItem = Record<string, unknown>;

export type PutInput = Omit<PutCommandInput, 'TableName'>;
export type UpdateInput = Omit<UpdateCommandInput, 'TableName'>;
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;
export type ScanInput = Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>;
type TransactWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One action of a transaction; the table client names the table. */
export type TransactionItem =
  | { Put: Omit<NonNullable<TransactWrite['Put']>, 'TableName'> }
  | { Update: Omit<NonNullable<TransactWrite['Update']>, 'TableName'> }
  | { Delete: Omit<NonNullable<TransactWrite['Delete']>, 'TableName'> }
  | { ConditionCheck: Omit<NonNullable<TransactWrite['ConditionCheck']>, 'TableName'> };

/** The record an item holds, without its keys and bookkeeping attributes. */
export function recordOf<T>(item: TableItem): T;
export function recordOf<T>(item: TableItem | undefined): T | undefined;
export function recordOf<T>(item: TableItem | undefined): T | undefined {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, fingerprint: _f, expiresAt: _ttl, revision: _r, ...record } = item;
  return record as T;
}

/**
 * Tandem's one table, spoken to through the document client: every call maps throttling and
 * transient failures to TransientError (adapters/dynamodb/errors.ts), a failed condition to the
 * outcome its caller names, and a query to all of its pages.
 */
export class TableClient {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get<T>(action: string, key: ItemKey, options: { consistent?: boolean } = {}): Promise<T | undefined> {
    const { Item } = await this.send(action, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ...(options.consistent ? { ConsistentRead: true } : {}) })),
    );
    return recordOf<T>(Item);
  }

  /** The item as the table holds it, keys and bookkeeping attributes (the TTL) included. */
  async getItem(action: string, key: ItemKey): Promise<TableItem | undefined> {
    const { Item } = await this.send(action, () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    return Item as TableItem | undefined;
  }

  /** Deletes an item; true when it existed. */
  async delete(action: string, key: ItemKey): Promise<boolean> {
    const { Attributes } = await this.send(action, () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key, ReturnValues: 'ALL_OLD' })));
    return Attributes !== undefined;
  }

  async put(action: string, input: PutInput): Promise<void> {
    await this.send(action, () => this.doc.send(new PutCommand({ ...input, TableName: this.tableName })));
  }

  async update(action: string, input: UpdateInput): Promise<void> {
    await this.send(action, () => this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName })));
  }

  /** A conditional put: true when it was applied, false when its condition did not hold. */
  async putIf(action: string, input: PutInput): Promise<boolean> {
    return this.writeIf(action, () => this.doc.send(new PutCommand({ ...input, TableName: this.tableName })));
  }

  /** A conditional update: true when it was applied, false when its condition did not hold. */
  async updateIf(action: string, input: UpdateInput): Promise<boolean> {
    return this.writeIf(action, () => this.doc.send(new UpdateCommand({ ...input, TableName: this.tableName })));
  }

  /**
   * A transaction whose first items carry conditions: `applied` when it went through, else the
   * outcome named for the first item whose condition did not hold (`whenConditionFails[i]` for
   * item i). A failed condition without an outcome, and any other failure, is rethrown.
   */
  async transact<R>(action: string, items: readonly TransactionItem[], applied: R, whenConditionFails: readonly R[] = []): Promise<R> {
    const TransactItems = items.map((item) =>
      'Put' in item
        ? { Put: { ...item.Put, TableName: this.tableName } }
        : 'Update' in item
          ? { Update: { ...item.Update, TableName: this.tableName } }
          : 'Delete' in item
            ? { Delete: { ...item.Delete, TableName: this.tableName } }
            : { ConditionCheck: { ...item.ConditionCheck, TableName: this.tableName } },
    );
    try {
      await pRetry(() => this.doc.send(new TransactWriteCommand({ TransactItems })), {
        retries: CONFLICT_RETRIES,
        minTimeout: 20,
        maxTimeout: 320,
        randomize: true,
        shouldRetry: ({ error }) => isTransientCancellation(error),
      });
      return applied;
    } catch (error) {
      const failed = cancellationReasons(error).indexOf('ConditionalCheckFailed');
      if (failed >= 0 && failed < whenConditionFails.length) return whenConditionFails[failed] as R;
      rethrowDynamo(error, action);
    }
  }

  /** A transaction whose conditions (if any) are not expected to fail: any failure is rethrown. */
  async transactAll(action: string, items: readonly TransactionItem[]): Promise<void> {
    await this.transact(action, items, undefined);
  }

  /** Puts items in batches of 25, retrying the ones DynamoDB leaves unprocessed with backoff. */
  async batchPut(action: string, items: readonly TableItem[]): Promise<void> {
    await this.batchWrite(
      action,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  /** Deletes items by key in batches of 25, like batchPut. */
  async batchDelete(action: string, keys: readonly ItemKey[]): Promise<void> {
    await this.batchWrite(
      action,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
  }

  private async batchWrite(action: string, writes: ReadonlyArray<{ PutRequest: { Item: TableItem } } | { DeleteRequest: { Key: ItemKey } }>): Promise<void> {
    for (let i = 0; i < writes.length; i += BATCH_SIZE) {
      let requests = writes.slice(i, i + BATCH_SIZE);
      for (let attempt = 0; requests.length > 0; attempt++) {
        const { UnprocessedItems } = await this.send(action, () => this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
        requests = (UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (requests.length && attempt >= BATCH_ATTEMPTS) rethrowDynamo({ name: 'ThrottlingException' }, action);
        if (requests.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  /**
   * Items by key in one BatchGetItem a hundred keys (a missing item is left out), asking again
   * for the keys DynamoDB leaves unprocessed, with a short backoff (BATCH_GET_RETRIES). One consistency for every key: `consistent`
   * reads each item as a strongly consistent GetItem would.
   */
  async batchGet(action: string, keys: readonly ItemKey[], options: { consistent?: boolean } = {}): Promise<TableItem[]> {
    const items: TableItem[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) {
      let requested: Array<Record<string, unknown>> = keys.slice(i, i + BATCH_GET_SIZE).map((key) => ({ ...key }));
      for (let attempt = 0; requested.length > 0; attempt++) {
        const request = { Keys: requested, ...(options.consistent ? { ConsistentRead: true } : {}) };
        const { Responses, UnprocessedKeys } = await this.send(action, () =>
          this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: request } })),
        );
        items.push(...((Responses?.[this.tableName] ?? []) as TableItem[]));
        requested = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (requested.length && attempt >= BATCH_GET_RETRIES) rethrowDynamo({ name: 'ThrottlingException' }, action);
        if (requested.length) await new Promise((resolve) => setTimeout(resolve, BATCH_GET_BACKOFF_MS * 2 ** attempt));
      }
    }
    return items;
  }

  /** Every item a query finds, page after page. */
  async queryAll(action: string, input: QueryInput): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send(action, () => this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey })));
      items.push(...((page.Items ?? []) as TableItem[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Every item a scan finds, page after page: for migrations only (it reads the whole table), never on a request's path. */
  async scanAll(action: string, input: ScanInput): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send(action, () => this.doc.send(new ScanCommand({ ...input, TableName: this.tableName, ExclusiveStartKey })));
      items.push(...((page.Items ?? []) as TableItem[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** The first `max` items a query finds (a page may hold fewer than its Limit when filtered by size). */
  async queryUpTo(action: string, input: QueryInput, max: number): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const Limit = max - items.length;
      const page = await this.send(action, () => this.doc.send(new QueryCommand({ ...input, Limit, TableName: this.tableName, ExclusiveStartKey })));
      items.push(...((page.Items ?? []) as TableItem[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < max);
    return items;
  }

  /** The records of one partition whose sort key starts with the prefix, in sort-key order (`consistent`: as strongly consistent reads). */
  async queryPrefix<T>(action: string, prefix: KeyPrefix, options: { consistent?: boolean } = {}): Promise<T[]> {
    const items = await this.queryAll(action, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': prefix.PK, ':sk': prefix.SKPrefix },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
    return items.map((item) => recordOf<T>(item));
  }

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      rethrowDynamo(error, action);
    }
  }

  private async writeIf(action: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      // A single write meeting a transaction on its item is refused with TransactionConflictException, which the SDK does not retry either.
      await pRetry(write, { retries: CONFLICT_RETRIES, minTimeout: 20, maxTimeout: 320, randomize: true, shouldRetry: ({ error }) => isWriteConflict(error) });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      rethrowDynamo(error, action);
    }
  }
}
