import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LocalStack } from '../../local/stack.ts';
import { LINK_SIGNING_KEY_FILE, liveOwnerOf, LOCAL_ENV_FILE, LOCAL_STACK_PID } from './target.ts';

/** A running local stack made known to the `tandem` commands of other shells. */
export interface PublishedLocalStack {
  /** .tandem/local/env.json under the working directory. */
  envFile: string;
  /** False when another live stack owns the file: it is left alone, and this stack is reached through its variables. */
  ownsEnvFile: boolean;
  otherOwner?: number;
  /** The stack's variables, without the link-signing key itself. */
  shared: Record<string, string>;
  /** `export` lines for another shell, the key read from its file rather than printed. */
  exportLines: string[];
  /** Removes the env file if this stack still owns it (when the stack stops). */
  release(): void;
}

/**
 * Writes the env file through which `tandem` commands in other shells find the stack when
 * TANDEM_TABLE_NAME is unset (or with --local): what `tandem local up` and `tandem demo
 * --keep-running` leave behind while they run.
 */
export function publishLocalStack(stack: Pick<LocalStack, 'env' | 'endpoints' | 'linkSigningKeyFile'>): PublishedLocalStack {
  const envFile = resolve(LOCAL_ENV_FILE);
  mkdirSync(dirname(envFile), { recursive: true });
  // A second stack in the same folder (another --state-dir) must not take the first one's commands over, nor delete its file when it stops.
  const otherOwner = liveOwnerOf(envFile);
  const ownsEnvFile = otherOwner === undefined || otherOwner === process.pid;
  const shared = Object.fromEntries(Object.entries(stack.env).filter(([k]) => !k.startsWith('TANDEM_LINK_SIGNING')));
  const fileValues = {
    ...shared,
    TANDEM_SURVEY_URL: stack.endpoints.survey,
    [LINK_SIGNING_KEY_FILE]: stack.linkSigningKeyFile,
    [LOCAL_STACK_PID]: String(process.pid),
  };
  if (ownsEnvFile) writeFileSync(envFile, `${JSON.stringify(fileValues, null, 2)}\n`, { mode: 0o600 });
  // Single quotes, so that a path with spaces (TANDEM_REPORT_DIR under "My Projects") reads back as one word.
  const quoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  return {
    envFile,
    ownsEnvFile,
    ...(ownsEnvFile ? {} : { otherOwner }),
    shared,
    // person and session commands sign links with the key: exported variables must carry it, as the env file does.
    exportLines: [
      ...Object.entries(shared).map(([k, v]) => `export ${k}=${quoted(v)}`),
      `export TANDEM_LINK_SIGNING_KEY="$(cat ${quoted(stack.linkSigningKeyFile)})"`,
    ],
    release() {
      if (ownsEnvFile && liveOwnerOf(envFile) === process.pid) rmSync(envFile, { force: true });
    },
  };
}
