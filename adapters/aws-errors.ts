import { isTransientError } from '@smithy/core/retry';

/**
 * Whether the AWS SDK's own retry strategy takes this error as transient: a throttle, a 5xx, a
 * timeout, or a connection reset or refused before the service answered (`code` ECONNRESET,
 * "socket hang up" on a reused keep-alive connection). Each adapter adds its service's own names.
 */
export function isTransientSdkError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && isTransientError(error as Parameters<typeof isTransientError>[0]);
}

/** What to name in a message: a network error's `code` (ECONNRESET) when it has one, else the given name or status. */
export function failureCode(error: unknown, otherwise: string | number): string | number {
  return (error as { code?: string } | undefined)?.code ?? otherwise;
}
