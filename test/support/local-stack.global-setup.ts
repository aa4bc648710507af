import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    localStack: {
      env: Record<string, string>;
      endpoints: LocalStack['endpoints'];
      stateMachineArn: string;
      reportDir: string;
      consoleUsers: LocalStack['consoleUsers'];
    };
  }
}

interface SharedStack {
  stack: Promise<LocalStack>;
  users: number;
}
/** The stack every project of a run shares (integration and faults each run this setup; the handlers read one process's environment). */
const shared = globalThis as typeof globalThis & { tandemTestStack?: SharedStack };

/** One local stack for the whole test run: free ports, its own state folder, in-memory DynamoDB. */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const stateDir = `.tandem/test-${process.pid}`;
  shared.tandemTestStack ??= {
    stack: startLocalStack({
      ports: { dynamodb: 0, ses: 0, stepfunctions: 0, survey: 0, oidc: 0 },
      stateDir,
      tableName: 'tandem-test',
    }),
    users: 0,
  };
  const entry = shared.tandemTestStack;
  entry.users++;
  const stack = await entry.stack;
  project.provide('localStack', {
    env: stack.env,
    endpoints: stack.endpoints,
    stateMachineArn: stack.stateMachineArn,
    reportDir: stack.reportDir,
    consoleUsers: stack.consoleUsers,
  });
  return async () => {
    if (--entry.users > 0) return;
    shared.tandemTestStack = undefined;
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
