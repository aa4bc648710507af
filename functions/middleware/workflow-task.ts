import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { ValidationError, issuesFromZod } from '../../domain/errors.ts';
import type * as z from '../../domain/validation.ts';
import type { WorkBudget } from '../../services/ports.ts';
import { logger } from './logger.ts';

/** Validates the workflow's input before the handler runs: a malformed state input fails fast with every problem named. */
const validateInput = <S extends z.ZodMiniType>(schema: S): middy.MiddlewareObj<unknown> => ({
  before: (request) => {
    const parsed = schema.safeParse(request.event);
    if (!parsed.success) throw new ValidationError('the workflow passed an invalid input', issuesFromZod(parsed.error));
    request.event = parsed.data;
  },
});

/** Logs a failure with its name and cause before it reaches Step Functions, whose Retry and Catch match on the name. */
const logFailures: middy.MiddlewareObj<unknown> = {
  onError: (request) => {
    const error = request.error as Error & { cause?: unknown };
    logger.error('task failed', { errorName: error?.name, reason: error?.message, cause: error?.cause instanceof Error ? error.cause.message : undefined });
  },
};

/** Stop work this long before the Lambda times out, and let the workflow call again. */
const SAFETY_MARGIN_MS = 30_000;

/** The time a step may spend before it stops and returns, to be called again (phase sends, a cycle's expiry). */
export const workBudget = (context: Context): WorkBudget => ({ remainingMs: () => context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS });

/**
 * A Lambda handler for a workflow Task: validated input, structured logs with the Lambda
 * context, and the domain result returned as the state's output.
 */
export function workflowTask<S extends z.ZodMiniType, R>(schema: S, run: (event: z.output<S>, context: Context) => Promise<R>) {
  return middy<z.output<S>, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(validateInput(schema) as middy.MiddlewareObj<z.output<S>, R>)
    .use(logFailures as middy.MiddlewareObj<z.output<S>, R>)
    .handler((event, context) => run(event, context));
}
