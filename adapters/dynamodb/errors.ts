import { TransientError } from '../../domain/errors.ts';
import { failureCode, isTransientSdkError } from '../aws-errors.ts';

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);

/** Why DynamoDB cancelled each action of a transaction ('None' for those it would have applied). */
export function cancellationReasons(error: unknown): Array<string | undefined> {
  return ((error as { CancellationReasons?: Array<{ Code?: string } | undefined> })?.CancellationReasons ?? []).map((reason) => reason?.Code);
}

/** A transaction's reasons that say "try again" (another transaction held an item, or capacity ran short), never "this cannot apply". */
const TRANSIENT_CANCELLATION = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * A transaction cancelled only because of other requests in flight: DynamoDB cancels a
 * TransactWriteItems that meets a concurrent transaction on one of its items (TransactionConflict)
 * and leaves the retry to the caller; the SDK does not retry a TransactionCanceledException.
 * A failed condition among the reasons is an answer, not a conflict.
 */
export function isTransientCancellation(error: unknown): boolean {
  if ((error as { name?: string })?.name !== 'TransactionCanceledException') return false;
  const reasons = cancellationReasons(error);
  return reasons.some((code) => code !== undefined && TRANSIENT_CANCELLATION.has(code)) && !reasons.includes('ConditionalCheckFailed');
}

/** Maps throttling and transient DynamoDB failures to TransientError (which the workflow retries); rethrows the rest. */
export function rethrowDynamo(error: unknown, action: string): never {
  const name = (error as { name?: string })?.name ?? '';
  // The SDK's classification covers what never got DynamoDB's answer: a connection reset or refused (the error's `code`), a timeout, a 5xx.
  if (TRANSIENT.has(name) || isTransientCancellation(error) || isTransientSdkError(error)) {
    throw new TransientError(`DynamoDB ${action} failed transiently (${failureCode(error, name)})`, { cause: error });
  }
  throw error;
}

/** A single write refused because a transaction was writing the same item: safe to try again. */
export const isWriteConflict = (error: unknown): boolean => (error as { name?: string })?.name === 'TransactionConflictException';

export const isConditionFailure = (error: unknown): boolean => (error as { name?: string })?.name === 'ConditionalCheckFailedException';
