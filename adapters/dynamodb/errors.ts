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

/** Reasons a transaction is cancelled that say nothing about its own items: another transaction held one of them, or DynamoDB was busy. */
const TRANSIENT_CANCELLATIONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'None']);

/**
 * A transaction cancelled only because another one was writing the same item (or for throttling):
 * DynamoDB documents it as safe to retry, though the SDK does not retry it itself.
 */
export function isTransientCancellation(error: unknown): boolean {
  if ((error as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const codes = ((error as { CancellationReasons?: Array<{ Code?: string } | undefined> }).CancellationReasons ?? []).map((reason) => reason?.Code ?? 'None');
  return codes.some((code) => code !== 'None') && codes.every((code) => TRANSIENT_CANCELLATIONS.has(code));
}

/** Maps throttling and transient DynamoDB failures to TransientError (which the workflow retries); rethrows the rest. */
export function rethrowDynamo(error: unknown, action: string): never {
  const name = (error as { name?: string; code?: string })?.name ?? (error as { code?: string })?.code ?? '';
  if (TRANSIENT.has(name) || (error as { $retryable?: unknown })?.$retryable || isTransientCancellation(error)) {
    throw new TransientError(`DynamoDB ${action} failed transiently (${name})`, { cause: error });
  }
  throw error;
}

/** A single write refused because a transaction was writing the same item: safe to try again. */
export const isWriteConflict = (error: unknown): boolean => (error as { name?: string })?.name === 'TransactionConflictException';

export const isConditionFailure = (error: unknown): boolean => (error as { name?: string })?.name === 'ConditionalCheckFailedException';
