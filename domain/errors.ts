/**
 * Named errors. The workflow's Retry and Catch match on these names (a Lambda's error
 * type is its error's name), so renaming one is a change to workflows/ too. Each class
 * spells its name out: bundlers minify class names, and the workflow must still match.
 */
export class TandemError extends Error {
  override name = 'TandemError';
}

/** A dependency was throttled or briefly unavailable: the workflow retries with backoff. */
export class TransientError extends TandemError {
  override name = 'TransientError';
}

/**
 * SES refused a send because the account's maximum send rate was exceeded. The sending step
 * backs off and retries it itself; its name stays TransientError (no override) so that, when
 * the step gives up, the workflow's Retry on TransientError still matches.
 */
export class SendingThrottledError extends TransientError {}

/**
 * A cycle's items were not all set to expire within one invocation (a cycle of 10,000 people has
 * over 100,000). Its name stays TransientError, so the status change is delivered again, and the
 * next call goes on where this one stopped.
 */
export class RetentionIncompleteError extends TransientError {}

export interface ValidationIssue {
  /** Where the problem is: a field path, or "line 7: email". */
  where: string;
  problem: string;
}

/** Input that breaks a rule; lists every problem found, not only the first. */
export class ValidationError extends TandemError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(issues.length ? `${message}: ${issues.map((i) => `${i.where}: ${i.problem}`).join('; ')}` : message, options);
  }
}

export class NotFoundError extends TandemError {
  override name = 'NotFoundError';
}
export class ConflictError extends TandemError {
  override name = 'ConflictError';
}
/** The target answered that it does not offer this operation (the local Step Functions endpoint has no RedriveExecution). */
export class NotSupportedError extends TandemError {
  override name = 'NotSupportedError';
}
/**
 * A long job stopped part-way, interrupted (Ctrl-C) or by a failure (the cause): what it stored stays
 * stored, the message says how much and how to finish, and running it again finishes it.
 */
export class IncompleteError extends TandemError {
  override name = 'IncompleteError';
  constructor(
    message: string,
    readonly progress: { done: number; total: number; interrupted: boolean },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
export class ConfigurationError extends TandemError {
  override name = 'ConfigurationError';
}
/** The cohort cannot form a single pair: the cycle cannot go on. */
export class NoPairsError extends TandemError {
  override name = 'NoPairsError';
}

/** Turns zod issues into ValidationIssues with readable paths. */
export function issuesFromZod(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({
    where: [prefix, issue.path.map(String).join('.')].filter(Boolean).join(': ') || '(root)',
    problem: issue.message,
  }));
}
