import { describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rethrowDynamo } from '../../adapters/dynamodb/errors.ts';
import { TableClient } from '../../adapters/dynamodb/table-client.ts';
import { TransientError } from '../../domain/errors.ts';

/** A cancelled transaction as the SDK reports it: one reason per action. */
function cancelled(...codes: string[]) {
  return Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
}

describe('DynamoDB failures the workflow retries', () => {
  it('takes a transaction cancelled by a conflict with another one for a passing failure', () => {
    expect(() => rethrowDynamo(cancelled('TransactionConflict', 'None'), 'RecordAnswer')).toThrow(TransientError);
    expect(() => rethrowDynamo(cancelled('None', 'ThrottlingError'), 'RecordAnswer')).toThrow(TransientError);
  });

  it('rethrows a transaction cancelled because a condition did not hold, as it is', () => {
    const error = cancelled('ConditionalCheckFailed', 'TransactionConflict');
    expect(() => rethrowDynamo(error, 'RecordAnswer')).toThrow(error);
    expect(() => rethrowDynamo(cancelled('ValidationError'), 'RecordAnswer')).not.toThrow(TransientError);
  });

  it('takes throttling and a conflict on a single write for passing failures', () => {
    expect(() => rethrowDynamo(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }), 'ClaimEmail')).toThrow(
      TransientError,
    );
    expect(() => rethrowDynamo(Object.assign(new Error('busy'), { name: 'TransactionConflictException' }), 'ClaimEmail')).toThrow(TransientError);
  });

  it('takes a request that lost its connection or timed out before DynamoDB answered for a passing failure, naming the cause', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(() => rethrowDynamo(reset, 'ClaimEmail')).toThrow(/ClaimEmail failed transiently \(ECONNRESET\)/);
    expect(() => rethrowDynamo(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }), 'GetCycle')).toThrow(TransientError);
    expect(() => rethrowDynamo(Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }), 'GetCycle')).toThrow(TransientError);
    expect(() => rethrowDynamo(Object.assign(new Error('oops'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }), 'GetCycle')).toThrow(
      TransientError,
    );
  });

  it('rethrows a request DynamoDB refused as invalid, as it is', () => {
    const invalid = Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(() => rethrowDynamo(invalid, 'PutProgram')).toThrow(invalid);
  });
});

describe('the table client trying a write again', () => {
  /** A document client whose first `conflicts` sends are refused with TransactionConflictException. */
  function conflictingClient(conflicts: number) {
    let calls = 0;
    const send = async () => {
      calls++;
      if (calls <= conflicts) throw Object.assign(new Error('Transaction is ongoing for the item'), { name: 'TransactionConflictException' });
      return {};
    };
    return { client: { send } as unknown as DynamoDBDocumentClient, calls: () => calls };
  }
  const claim = { Item: { PK: 'CYCLE#c', SK: 'EMAIL#k' }, ConditionExpression: 'attribute_not_exists(PK)' };

  it('writes a conditional put that met a transaction on its item on a later try, without failing the step', async () => {
    const { client, calls } = conflictingClient(2);
    await expect(new TableClient(client, 'tandem').putIf('ClaimEmail', claim)).resolves.toBe(true);
    expect(calls()).toBe(3);
  });

  it('gives up after a few tries with a passing failure the workflow retries', async () => {
    const { client, calls } = conflictingClient(10);
    await expect(new TableClient(client, 'tandem').putIf('ClaimEmail', claim)).rejects.toThrow(TransientError);
    expect(calls()).toBe(6);
  });
});
