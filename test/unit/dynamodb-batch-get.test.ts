import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoDbStore } from '../../adapters/dynamodb/dynamodb-store.ts';
import { keys } from '../../adapters/dynamodb/table-design.ts';
import { TransientError } from '../../domain/errors.ts';

/**
 * DynamoDB may leave some keys of a BatchGetItem unprocessed (UnprocessedKeys) when a partition is
 * busy; DynamoDB Local never does. This endpoint speaks DynamoDB's JSON protocol to the real SDK and
 * answers each BatchGetItem with at most `perCall` of the keys asked, the rest unprocessed.
 */
const JSON_TYPE = 'application/x-amz-json-1.0';
const TABLE = 'tandem';
let server: Server;
let endpoint: string;
let requests: Array<{ Keys: Array<Record<string, { S: string }>>; ConsistentRead?: boolean }> = [];
let perCall = 100;

const cycle = { cycleId: 'c1', programId: 'prog', status: 'running' };
const member = { participantId: 'p1', name: 'Ana' };
const goals = { cycleId: 'c1', phaseKey: 'goal-setting', participantId: 'p1', answer: { goals: ['one'] }, recordedAt: 1 };
const stored = [
  { ...keys.cycle('c1'), entity: 'cycle', ...cycle },
  { ...keys.member('c1', 'p1'), entity: 'member', ...member },
  { ...keys.response('c1', 'goal-setting', 'p1'), entity: 'response', ...goals },
];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (!target.endsWith('.BatchGetItem')) {
        response
          .writeHead(400, { 'content-type': JSON_TYPE })
          .end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: target }));
        return;
      }
      const asked = (JSON.parse(body) as { RequestItems: Record<string, (typeof requests)[number]> }).RequestItems[TABLE];
      if (!asked) throw new Error('the batch named another table');
      requests.push(asked);
      const served = asked.Keys.slice(0, perCall);
      const left = asked.Keys.slice(perCall);
      const found = served.flatMap((key) => stored.filter((item) => item.PK === key.PK?.S && item.SK === key.SK?.S)).map((item) => marshall(item));
      response.writeHead(200, { 'content-type': JSON_TYPE }).end(
        JSON.stringify({
          Responses: { [TABLE]: found },
          UnprocessedKeys: left.length ? { [TABLE]: { ...asked, Keys: left } } : {},
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
  perCall = 100;
});

const store = () =>
  new DynamoDbStore(
    createDocumentClient(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })),
    TABLE,
  );

describe('reading what a survey link needs in one batch', () => {
  it('asks once for the cycle, the member and each answer, strongly consistent', async () => {
    const view = await store().getParticipantView('c1', 'p1', ['goal-setting', 'measure']);
    expect(view).toEqual({ cycle, member, answers: new Map([['goal-setting', goals]]) });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.ConsistentRead).toBe(true);
    expect(requests[0]?.Keys).toHaveLength(4);
  });

  it('asks again for the keys DynamoDB left unprocessed, strongly consistent again, until it has them all', async () => {
    perCall = 1;
    const view = await store().getParticipantView('c1', 'p1', ['goal-setting', 'measure']);
    expect(view).toEqual({ cycle, member, answers: new Map([['goal-setting', goals]]) });
    expect(requests.map((r) => r.Keys.length)).toEqual([4, 3, 2, 1]);
    expect(requests.every((r) => r.ConsistentRead === true)).toBe(true);
  });

  it('becomes a TransientError after a few attempts when DynamoDB keeps leaving keys unprocessed', async () => {
    perCall = 0;
    await expect(store().getParticipantView('c1', 'p1', [])).rejects.toBeInstanceOf(TransientError);
    expect(requests).toHaveLength(5);
  });
});
