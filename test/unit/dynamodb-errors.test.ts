import { describe, expect, it } from 'vitest';
import { rethrowDynamo } from '../../adapters/dynamodb/errors.ts';
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
});
