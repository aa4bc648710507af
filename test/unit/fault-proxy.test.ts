import { createServer, type Server } from 'node:http';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFaults, injectFaults, listFaults, startFaultProxy } from '../../local/fault-injection.ts';

/** A stand-in for DynamoDB behind the proxy: every call it receives succeeds with an empty answer. */
let upstream: Server;
let calls = 0;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls++;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end('{}');
    });
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  const { port } = upstream.address() as { port: number };
  proxy = await startFaultProxy({
    host: '127.0.0.1',
    port: 0,
    target: `http://127.0.0.1:${port}`,
    protocol: { kind: 'aws-json', typePrefix: 'com.amazonaws.dynamodb.v20120810' },
  });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((done) => upstream.close(done));
});

/**
 * Three attempts, as the SDK's default, but 10 ms apart: the SDK's own backoff (from 500 ms for
 * throttling, doubling with jitter) would make these tests wait seconds for what they do not check.
 * ConfiguredRetryStrategy is imported from the SDK's own @smithy/core, the copy the client retries with.
 */
const client = () =>
  new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    retryStrategy: new ConfiguredRetryStrategy(3, 10),
  });
const getItem = new GetItemCommand({ TableName: 't', Key: { PK: { S: 'CASE#1' }, SK: { S: 'X' } } });
const transaction = new TransactWriteItemsCommand({
  TransactItems: [
    { Put: { TableName: 't', Item: { PK: { S: 'CASE#2' }, SK: { S: 'A' } } } },
    {
      Update: { TableName: 't', Key: { PK: { S: 'CASE#2' }, SK: { S: 'B' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } },
    },
  ],
});

describe('the fault proxy in front of DynamoDB', () => {
  it('throttles as DynamoDB does: the SDK reads the error by name and retries it', async () => {
    await clearFaults(proxy.endpoint);
    calls = 0;
    await injectFaults(proxy.endpoint, { match: 'CASE#1', failures: 2, status: 400, errorType: 'ProvisionedThroughputExceededException' });
    const answer = await client().send(getItem);
    expect(answer.$metadata.attempts).toBe(3);
    expect(calls).toBe(1);

    await injectFaults(proxy.endpoint, { operation: 'GetItem', failures: 3, status: 400, errorType: 'ThrottlingException' });
    await expect(client().send(getItem)).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } });
  });

  it('cancels a transaction for a conflict with one reason per action, which the SDK does not retry', async () => {
    await clearFaults(proxy.endpoint);
    await injectFaults(proxy.endpoint, { operation: 'TransactWriteItems', failures: 1, kind: 'transaction-conflict' });
    await expect(client().send(transaction)).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      $metadata: { attempts: 1 },
    });
    await injectFaults(proxy.endpoint, { operation: 'GetItem', failures: 1, kind: 'transaction-conflict' });
    await expect(client().send(getItem)).rejects.toMatchObject({ name: 'TransactionConflictException' });
  });

  it('fails only every Nth matching call after the ones it skips, and counts what it saw', async () => {
    await clearFaults(proxy.endpoint);
    await injectFaults(proxy.endpoint, { match: 'CASE#1', skip: 1, every: 2, failures: 2, status: 500, errorType: 'InternalServerError' });
    const one = client();
    const attempts: number[] = [];
    for (let i = 0; i < 4; i++) attempts.push((await one.send(getItem)).$metadata.attempts ?? 0);
    // Calls seen: 1 skipped; 2 passes; 3 fails (retried as 4, which passes); 5 fails, and the fault is spent (the retry goes through unseen).
    expect(attempts).toEqual([1, 1, 2, 2]);
    expect(await listFaults(proxy.endpoint)).toEqual([expect.objectContaining({ seen: 5, injected: 2 })]);
  });

  it('refuses a fault that names neither a body text nor an operation, and goes on serving', async () => {
    const refused = await fetch(`${proxy.endpoint}/__tandem/faults`, { method: 'POST', body: JSON.stringify({ failures: 1 }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/match: name a body text \(match\) or an operation/);
    await clearFaults(proxy.endpoint);
    expect((await client().send(getItem)).$metadata.httpStatusCode).toBe(200);
  });
});
