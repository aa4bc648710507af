import { TransientError } from '../../domain/errors.ts';

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
]);

/** Maps throttling and transient DynamoDB failures to TransientError (which the workflow retries); rethrows the rest. */
export function rethrowDynamo(error: unknown, action: string): never {
  const name = (error as { name?: string; code?: string })?.name ?? (error as { code?: string })?.code ?? '';
  if (TRANSIENT.has(name) || (error as { $retryable?: unknown })?.$retryable) {
    throw new TransientError(`DynamoDB ${action} failed transiently (${name})`, { cause: error });
  }
  throw error;
}

export const isConditionFailure = (error: unknown): boolean => (error as { name?: string })?.name === 'ConditionalCheckFailedException';
