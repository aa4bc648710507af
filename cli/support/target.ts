import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { container, resetContainer, type Container } from '../../adapters/container.ts';
import { StepFunctionsExecutionHistory } from '../../adapters/stepfunctions/sfn-executions.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { ConfigurationError } from '../../domain/errors.ts';
import { ExecutionsQuery } from '../../services/executions.ts';

/**
 * Where the CLI works: AWS or the local stack, from the standard AWS settings (profile, region,
 * AWS_ENDPOINT_URL_<SERVICE>) and Tandem's TANDEM_TABLE_NAME / TANDEM_STATE_MACHINE_ARN.
 *
 * When TANDEM_TABLE_NAME and TANDEM_STATE_MACHINE_ARN are unset and `tandem local up` is running, its
 * `.tandem/local/env.json` supplies all of them; `--local` uses that file even when the variables are set.
 */
export const LOCAL_ENV_FILE = '.tandem/local/env.json';

const repositoryRoot = resolve(import.meta.dirname, '../..');

/** TANDEM_LOCAL_ENV_FILE, when set, is the only candidate; else .tandem/local/env.json here, then in the repository. */
export function localEnvFile(): string | undefined {
  const candidates = process.env.TANDEM_LOCAL_ENV_FILE
    ? [process.env.TANDEM_LOCAL_ENV_FILE]
    : [resolve(process.cwd(), LOCAL_ENV_FILE), resolve(repositoryRoot, LOCAL_ENV_FILE)];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path));
}

/** The env file's entry naming the local stack's link-signing key file (not an environment variable). */
export const LINK_SIGNING_KEY_FILE = 'TANDEM_LOCAL_LINK_SIGNING_KEY_FILE';
/** The env file's entry naming the process of the stack that wrote it (not an environment variable). */
export const LOCAL_STACK_PID = 'TANDEM_LOCAL_STACK_PID';

/** The process id of a running local stack that owns `file`, if any. */
export function liveOwnerOf(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const pid = Number((JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[LOCAL_STACK_PID]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    // Unreadable, or no such process: nobody owns it.
    return undefined;
  }
}

function readLocalEnvFile(file: string): Record<string, string> {
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(
      `${file} is not the local stack's env file (${error instanceof Error ? error.message : String(error)}): delete it and start the stack again (tandem local up)`,
      { cause: error },
    );
  }
  if (!values || typeof values !== 'object' || Array.isArray(values) || Object.values(values).some((v) => typeof v !== 'string')) {
    throw new ConfigurationError(`${file} is not the local stack's env file (not an object of strings): delete it and start the stack again (tandem local up)`);
  }
  return values as Record<string, string>;
}

let forceLocal = false;
let resolved: { source: 'environment' | 'local-env-file'; file?: string } | undefined;

export function useLocalStack(value: boolean): void {
  forceLocal = value;
  resolved = undefined;
}

/**
 * Applies the local env file when asked or when nothing is configured; returns where the
 * configuration came from. Commands that only read Step Functions need no table: see stateMachineArn.
 */
export function resolveTarget(): { source: 'environment' | 'local-env-file'; file?: string } {
  const source = applyTarget();
  if (!process.env.TANDEM_TABLE_NAME) {
    // With the state machine set (a shell for AWS), the local stack's file is not read: saying "start it" would not help.
    const local = process.env.TANDEM_STATE_MACHINE_ARN
      ? `TANDEM_STATE_MACHINE_ARN is set, so ${LOCAL_ENV_FILE} is not read: unset it (or pass --local) to use the local stack.`
      : `or start the local stack with \`tandem local up\` in another shell (tandem then reads ${LOCAL_ENV_FILE}).`;
    throw new ConfigurationError(
      `TANDEM_TABLE_NAME is not set: set it to the DynamoDB table of your Tandem stack (the stack output TableName on AWS)${process.env.TANDEM_STATE_MACHINE_ARN ? '. ' : ', '}${local}`,
    );
  }
  return source;
}

function applyTarget(): { source: 'environment' | 'local-env-file'; file?: string } {
  if (resolved) return resolved;
  // A shell configured for AWS's Step Functions alone (ops reading executions) is not sent to a local stack's endpoints.
  const wantFile = forceLocal || (!process.env.TANDEM_TABLE_NAME && !process.env.TANDEM_STATE_MACHINE_ARN);
  const file = wantFile ? localEnvFile() : undefined;
  if (forceLocal && !file) {
    throw new ConfigurationError(
      `--local needs the local stack: start it with \`tandem local up\` (it writes ${LOCAL_ENV_FILE}), or set TANDEM_LOCAL_ENV_FILE`,
    );
  }
  if (file) {
    const { [LINK_SIGNING_KEY_FILE]: keyFile, [LOCAL_STACK_PID]: _owner, ...values } = readLocalEnvFile(file);
    for (const [key, value] of Object.entries(values)) if (forceLocal || process.env[key] === undefined) process.env[key] = value;
    // The key itself stays out of the env file (it is printed as export lines): the file names where the stack keeps it.
    const keyConfigured = process.env.TANDEM_LINK_SIGNING_KEY || process.env.TANDEM_LINK_SIGNING_KEY_SECRET;
    if (keyFile && (forceLocal || !keyConfigured) && existsSync(keyFile)) process.env.TANDEM_LINK_SIGNING_KEY = readFileSync(keyFile, 'utf8').trim();
    resetContainer();
    resolved = { source: 'local-env-file', file };
  } else {
    resolved = { source: 'environment' };
  }
  return resolved;
}

export function target(): Container {
  resolveTarget();
  return container();
}

/** Whether this shell names a table (after the local stack's env file, when it applies). */
export function hasTable(): boolean {
  applyTarget();
  return Boolean(process.env.TANDEM_TABLE_NAME);
}

export function stateMachineArn(): string {
  applyTarget();
  const arn = process.env.TANDEM_STATE_MACHINE_ARN?.trim();
  if (!arn) {
    throw new ConfigurationError(
      'TANDEM_STATE_MACHINE_ARN is not set: set it to the program-cycle state machine ARN (the stack output StateMachineArn on AWS), ' +
        `or start the local stack with \`tandem local up\` in another shell (tandem then reads ${LOCAL_ENV_FILE}).`,
    );
  }
  return arn;
}

let sfn: SFNClient | undefined;
export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

export function workflow(): StepFunctionsWorkflow {
  return new StepFunctionsWorkflow(stateMachineArn(), sfnClient());
}

export function executions(): ExecutionsQuery {
  return new ExecutionsQuery(new StepFunctionsExecutionHistory(stateMachineArn(), sfnClient()));
}
