import { describe, expect, inject, it } from 'vitest';
import { keys } from '../../adapters/dynamodb/table-design.ts';
import { injectFaults, listFaults } from '../../local/fault-injection.ts';
import { runFaultCycle } from '../support/fault-cycle.ts';

/** Faults injected by the DynamoDB proxy (`endpoints.dynamodbApi`) that mention the tag (in the cycle id, the program id, email addresses). */
async function dynamoFaultsInjected(tag: string): Promise<number> {
  const faults = await listFaults(inject('localStack').endpoints.dynamodbApi);
  return faults.filter((f) => JSON.stringify(f.match ?? '').includes(tag)).reduce((sum, f) => sum + f.injected, 0);
}

/** Texts in the bodies of the calls to fail: an answer's item key, an email log item's key (the table's own key design). */
const ANSWER_KEY = keys.responsesOf('', '').SKPrefix;
const EMAIL_KEY = keys.email('', '').SK;

describe('a whole cycle while DynamoDB fails', () => {
  it('completes when DynamoDB throttles every fifth call and fails a burst with 500: each email goes once, every answer is stored', async () => {
    const { figures } = await runFaultCycle(
      'DynamoDB throttling',
      'every 5th call of the cycle (up to 60): 400 ProvisionedThroughputExceededException; 2 TransactWriteItems in a row: 400 ThrottlingException; 2 calls in a row: 500 InternalServerError',
      async (tag) => {
        const { dynamodbApi } = inject('localStack').endpoints;
        await injectFaults(dynamodbApi, { match: tag, every: 5, failures: 60, status: 400, errorType: 'ProvisionedThroughputExceededException' });
        await injectFaults(dynamodbApi, { match: tag, operation: 'TransactWriteItems', failures: 2, status: 400, errorType: 'ThrottlingException' });
        await injectFaults(dynamodbApi, { match: tag, skip: 40, failures: 2, status: 500, errorType: 'InternalServerError' });
      },
      dynamoFaultsInjected,
    );
    expect(figures.faultsInjected).toBeGreaterThan(10);
  });

  it('completes when answers and email claims meet transaction conflicts: each email goes once, every answer is stored', async () => {
    const { figures } = await runFaultCycle(
      'DynamoDB transaction conflicts',
      'every 2nd answer transaction and every 3rd email claim and mark-sent transaction (up to 12 each): TransactionCanceledException [TransactionConflict] / TransactionConflictException',
      async (tag) => {
        const { dynamodbApi } = inject('localStack').endpoints;
        await injectFaults(dynamodbApi, { match: [tag, ANSWER_KEY], operation: 'TransactWriteItems', every: 2, failures: 12, kind: 'transaction-conflict' });
        await injectFaults(dynamodbApi, { match: [tag, EMAIL_KEY], operation: 'PutItem', every: 3, failures: 12, kind: 'transaction-conflict' });
        await injectFaults(dynamodbApi, { match: [tag, EMAIL_KEY], operation: 'TransactWriteItems', every: 3, failures: 12, kind: 'transaction-conflict' });
      },
      dynamoFaultsInjected,
    );
    expect(figures.faultsInjected).toBeGreaterThan(10);
  });
});
