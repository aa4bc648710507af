import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../functions/catalog.ts';
import { runWatched } from './invocation-crashes.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const repositoryRoot = resolve(import.meta.dirname, '..');
const loaded = new Map<string, Promise<Handler>>();

/** Imports a function's handler module once, as a Lambda container would. */
function handlerOf(name: FunctionName): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    const spec = FUNCTIONS.find((f) => f.name === name);
    if (!spec) throw new Error(`no function named ${name} in functions/catalog.ts`);
    handler = import(pathToFileURL(resolve(repositoryRoot, spec.entry)).href).then((module: { handler?: Handler }) => {
      if (typeof module.handler !== 'function') throw new Error(`${spec.entry} does not export a handler`);
      return module.handler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

/** A Lambda context good enough for the handlers: request id, function name, remaining time. */
function contextFor(name: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `tandem-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:tandem-${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/tandem-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invokes a function by name the way Lambda does: its exported handler with the event and a context (crashed if a fault says so, local/invocation-crashes.ts). */
export async function invokeFunction(name: FunctionName, event: unknown, timeoutMs = 300_000): Promise<unknown> {
  const handler = await handlerOf(name);
  return runWatched(name, () => handler(event, contextFor(name, timeoutMs)));
}

/** Resolves a Lambda ARN from the workflow definition ("...:function:tandem-identify") to the function it names. */
export function functionNameOfArn(arn: string): FunctionName {
  const name = /:function:tandem-([a-z-]+)(?::.*)?$/.exec(arn)?.[1];
  const spec = FUNCTIONS.find((f) => f.name === name);
  if (!spec) throw new Error(`the workflow calls ${arn}, which is not a Tandem function`);
  return spec.name;
}
