import { Command, CommanderError } from 'commander';
import {
  ConfigurationError,
  ConflictError,
  IncompleteError,
  NotFoundError,
  NotSupportedError,
  TandemError,
  ValidationError,
  type ValidationIssue,
} from '../domain/errors.ts';
import { MissingPrerequisiteError } from '../local/prerequisites.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCycleCommands } from './commands/cycle.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerExecutionsCommands } from './commands/executions.ts';
import { registerLocalCommands } from './commands/local.ts';
import { registerMatchCommand } from './commands/match-command.ts';
import { registerPairsCommands } from './commands/pairs.ts';
import { registerPersonCommands } from './commands/person.ts';
import { registerProgramCommands } from './commands/program.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerReviewCommands } from './commands/review.ts';
import { registerRosterCommands } from './commands/roster.ts';
import { registerSessionCommands } from './commands/session.ts';
import { EXIT, InterruptedError, type ExitCode } from './exit-codes.ts';
import { LOCAL_ENV_FILE, useLocalStack } from './support/target.ts';
import { reportFailure } from './support/output.ts';

// `tandem executions list | head`: a closed pipe ends the command quietly, as Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command('tandem')
  .description(
    'Tandem runs reverse-mentoring programs: identify, goal-setting, run, measure, feedback, review.\n\n' +
      'Target: AWS or the local stack, from the standard AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_<SERVICE>) and ' +
      `TANDEM_TABLE_NAME, TANDEM_STATE_MACHINE_ARN. When TANDEM_TABLE_NAME is unset and \`tandem local up\` runs, ${LOCAL_ENV_FILE} supplies them.`,
  )
  .option('--local', `use the local stack started by \`tandem local up\` (${LOCAL_ENV_FILE}) even when TANDEM_* variables are set`, false)
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    '\nExit codes: 0 done, 1 failed, 2 bad input, 3 not configured or unreachable, 4 unexpected, 5 not found, 6 conflict, 7 not supported by the target, 130 interrupted (Ctrl-C).\nMore: docs/cli.md',
  )
  .hook('preAction', (command) => useLocalStack(Boolean(command.opts().local)));

// Each command group lives in cli/commands/ and registers itself here.
const groups: Array<(program: Command) => void> = [
  registerReviewCommands, // first: it adds --apply-review to `cycle start` (cycleStartExtensions) before that command is built
  registerProgramCommands,
  registerRosterCommands,
  registerCycleCommands,
  registerPairsCommands,
  registerExecutionsCommands,
  registerReportCommands,
  registerSessionCommands,
  registerMatchCommand,
  registerDemoCommand,
  registerLocalCommands,
  registerAuditCommands,
  registerPersonCommands,
];
for (const register of groups) register(program);

const json = process.argv.includes('--json');

function fail(code: ExitCode, kind: string, message: string, issues?: ValidationIssue[], extra: Record<string, unknown> = {}): void {
  process.exitCode = code;
  reportFailure(json, { kind, exitCode: code, message, ...(issues?.length ? { issues } : {}), ...extra });
}

/** An SDK error that means the target is not there or not allowed: a prerequisite, not a bug. */
function targetProblem(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return `cannot reach the target (${e.message ?? code}): is the local stack up (tandem local up), or are AWS_ENDPOINT_URL_* and AWS_REGION right?`;
  }
  if (/Region is missing/i.test(e.message ?? ''))
    return 'no AWS region: set AWS_REGION (or AWS_PROFILE with a region in ~/.aws/config), or use the local stack (tandem local up)';
  if (e.name === 'CredentialsProviderError') return `no AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); ${e.message ?? ''}`;
  if (e.name === 'ResourceNotFoundException' && /table/i.test(e.message ?? ''))
    return `the DynamoDB table does not exist: check TANDEM_TABLE_NAME (${process.env.TANDEM_TABLE_NAME ?? 'unset'}) and the region`;
  if (e.name === 'StateMachineDoesNotExist')
    return `the state machine does not exist: check TANDEM_STATE_MACHINE_ARN (${process.env.TANDEM_STATE_MACHINE_ARN ?? 'unset'})`;
  if (e.name === 'AccessDeniedException' || e.name === 'UnrecognizedClientException' || e.name === 'ExpiredTokenException')
    return `AWS refused the request (${e.name}): ${e.message ?? ''}`;
  return undefined;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help); help and version are not errors. With --json the error is also on stdout, as every other one.
    const notAnError = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
    process.exitCode = notAnError ? EXIT.ok : EXIT.badInput;
    if (json && !notAnError) {
      const message = error.message.replace(/^error: /, '');
      process.stdout.write(`${JSON.stringify({ error: { kind: 'bad-input', exitCode: EXIT.badInput, message } }, null, 2)}\n`);
    }
  } else if (error instanceof IncompleteError) {
    // The message says what was stored and how to finish; a target that went away is named too, with its exit code.
    const progress = { done: error.progress.done, total: error.progress.total };
    const problem = error.progress.interrupted
      ? undefined
      : (targetProblem(error.cause) ?? targetProblem((error.cause as { cause?: unknown } | undefined)?.cause));
    if (error.progress.interrupted) fail(EXIT.interrupted, 'interrupted', error.message, undefined, progress);
    else if (problem) fail(EXIT.missingPrerequisite, 'missing-prerequisite', `${error.message}. ${problem}`, undefined, progress);
    else fail(EXIT.failed, 'failed', error.message, undefined, progress);
  } else if (error instanceof InterruptedError) {
    fail(EXIT.interrupted, 'interrupted', error.message);
  } else if (error instanceof MissingPrerequisiteError || error instanceof ConfigurationError) {
    fail(EXIT.missingPrerequisite, 'missing-prerequisite', error.message);
  } else if (error instanceof ValidationError) {
    fail(EXIT.badInput, 'bad-input', error.message, error.issues);
  } else if (error instanceof NotFoundError) {
    fail(EXIT.notFound, 'not-found', error.message);
  } else if (error instanceof ConflictError) {
    fail(EXIT.conflict, 'conflict', error.message);
  } else if (error instanceof NotSupportedError) {
    fail(EXIT.notSupported, 'not-supported', error.message);
  } else if (error instanceof TandemError && (targetProblem(error.cause) ?? targetProblem((error.cause as { cause?: unknown } | undefined)?.cause))) {
    // The store wraps an unreachable table as transient: for a command, that is the target missing, not a failed job.
    const problem = (targetProblem(error.cause) ?? targetProblem((error.cause as { cause?: unknown }).cause)) as string;
    // A service's error around the adapter's says what is already done (a session stored, moved or cancelled before
    // telling people stopped) and what to run next: those words stay, with the target's problem after them.
    fail(EXIT.missingPrerequisite, 'missing-prerequisite', error.cause instanceof TandemError ? `${error.message}. ${problem}` : problem);
  } else if (error instanceof TandemError) {
    fail(EXIT.failed, 'failed', `${error.name}: ${error.message}`);
  } else if (targetProblem(error)) {
    fail(EXIT.missingPrerequisite, 'missing-prerequisite', targetProblem(error) as string);
  } else {
    fail(EXIT.unexpected, 'unexpected', `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
