import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoDbStore } from '../../adapters/dynamodb/dynamodb-store.ts';
import { TransientError } from '../../domain/errors.ts';

/**
 * DynamoDB cancels a TransactWriteItems that meets a concurrent transaction on one of its items
 * (reason TransactionConflict). Every answer's transaction updates its cycle's counter, so answers
 * posted at the same moment to one cycle meet on that item. DynamoDB Local cancelled none of the
 * load bench's thousands of concurrent answers, so this endpoint answers TransactWriteItems with
 * the cancellations DynamoDB sends (its JSON protocol, through the real SDK), then with success.
 */
const JSON_TYPE = 'application/x-amz-json-1.0';
let server: Server;
let endpoint: string;
let transactions = 0;
/** The cancellation reason codes of the next TransactWriteItems answers, one list per call; success once they run out. */
let cancellations: string[][] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (!target.endsWith('.TransactWriteItems')) {
        response
          .writeHead(400, { 'content-type': JSON_TYPE })
          .end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: target }));
        return;
      }
      transactions++;
      const codes = cancellations.shift();
      if (!codes) {
        response.writeHead(200, { 'content-type': JSON_TYPE }).end('{}');
        return;
      }
      response.writeHead(400, { 'content-type': JSON_TYPE }).end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
          CancellationReasons: codes.map((Code) => (Code === 'None' ? { Code } : { Code, Message: Code })),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  transactions = 0;
  cancellations = [];
});

const store = () =>
  new DynamoDbStore(
    createDocumentClient(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })),
    'tandem',
  );
const response = { cycleId: 'c1', phaseKey: 'measure', participantId: 'p1', answer: { ratings: { sql: 3 } }, recordedAt: 1_700_000_000_000 };

describe('an answer whose transaction meets a concurrent one', () => {
  it('is stored once the conflicting transaction is gone, instead of failing the participant’s post', async () => {
    cancellations = [
      ['None', 'TransactionConflict'],
      ['None', 'TransactionConflict'],
    ];
    await expect(store().recordResponse(response)).resolves.toBe('recorded');
    expect(transactions).toBe(3);
  });

  it('is answered at once when a condition failed, even beside a conflict: the person answered already', async () => {
    cancellations = [['ConditionalCheckFailed', 'TransactionConflict']];
    await expect(store().recordResponse(response)).resolves.toBe('already-answered');
    expect(transactions).toBe(1);
  });

  it('becomes a TransientError after a bounded number of attempts when the conflicts do not end', async () => {
    cancellations = Array.from({ length: 20 }, () => ['None', 'TransactionConflict']);
    await expect(store().recordResponse(response)).rejects.toBeInstanceOf(TransientError);
    expect(transactions).toBe(6);
  });
});
