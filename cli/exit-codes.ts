/**
 * Exit codes of the `tandem` command (documented in docs/cli.md and the README).
 * Scripts can rely on them: they are never renumbered, only added to.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The job ran and failed (e.g. a cycle followed with --wait did not succeed). */
  failed: 1,
  /** Bad input: a malformed or invalid file, a bad option or argument. Nothing was written. */
  badInput: 2,
  /** A prerequisite is missing: Java, the target's configuration (TANDEM_TABLE_NAME, ...), credentials, or the target cannot be reached. */
  missingPrerequisite: 3,
  /** An unexpected error (a bug, or an AWS error Tandem does not know). */
  unexpected: 4,
  /** What the command names does not exist: an unknown program, cycle, execution or report. */
  notFound: 5,
  /** The request conflicts with the current state: the program exists already, the execution is not running (stopped, finished), or it cannot be redriven. */
  conflict: 6,
  /** The target does not offer the operation (a Step Functions endpoint without RedriveExecution). */
  notSupported: 7,
  /** Interrupted (Ctrl-C, SIGINT) before the job ended: what was done is kept and the message says what to do next; 128 + SIGINT's number, as shells report it. */
  interrupted: 130,
} as const;

/** Ctrl-C stopped a command before its job ended; the message says what state it left behind. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
