import { AsyncLocalStorage } from 'node:async_hooks';
import { ClientRequest } from 'node:http';
import { z } from 'zod';
import { FUNCTIONS } from '../functions/catalog.ts';

/**
 * Crashes of local Lambda invocations, for the fault suite: an armed crash lets an invocation of
 * a function make `afterRequests` calls that match it (an operation, texts in the body: say
 * DynamoDB PutItem calls claiming an email), then kills it at its next one, as a Lambda whose
 * process dies mid fan-out. Only the local runtime (local/lambda-runtime.ts) uses this; handlers
 * and services know nothing of it.
 *
 * A dying invocation is watched where its HTTP calls leave (ClientRequest's end()): from the crash
 * point on, its matching calls are held (never written to the socket, so no service sees them);
 * once no other call of it is in flight (what was under way, an email being handed to SES and
 * marked sent, finished), the invocation fails with Runtime.ExitError, as Lambda reports a process
 * that exited, its held calls are dropped and every later call it makes is cut before it leaves.
 */
export const crashFaultSchema = z.object({
  function: z.enum(FUNCTIONS.map((f) => f.name) as [string, ...string[]]),
  /** The X-Amz-Target operation of the calls that count (JSON-protocol services: DynamoDB), e.g. PutItem. */
  operation: z
    .string()
    .regex(/^[A-Za-z]+$/)
    .max(60)
    .optional(),
  /** Texts the call's body must all contain. */
  match: z.array(z.string().min(1).max(200)).min(1).max(5),
  afterRequests: z.number().int().min(0).max(10_000),
  /** How many invocations to crash, one after another. */
  crashes: z.number().int().min(1).max(10).default(1),
});
export type CrashFaultInput = z.input<typeof crashFaultSchema>;
type CrashFault = z.infer<typeof crashFaultSchema> & { crashed: number };

/** Quiet this long (no call in flight besides the held ones) before the process is taken to be dead. */
const QUIET_MS = 150;

class ProcessExited extends Error {
  override readonly name = 'Runtime.ExitError';
}

interface Invocation {
  functionName: string;
  fault: CrashFault | undefined;
  requests: number;
  state: 'alive' | 'dying' | 'dead';
  inFlight: number;
  held: ClientRequest[];
  quietTimer?: NodeJS.Timeout;
  die: (error: Error) => void;
}

const current = new AsyncLocalStorage<Invocation>();
const armed: CrashFault[] = [];
const crashLog: Array<{ function: string; requestsBeforeCrash: number; heldAtCrash: number }> = [];
let patched = false;

function checkQuiet(invocation: Invocation): void {
  clearTimeout(invocation.quietTimer);
  if (invocation.state !== 'dying' || invocation.inFlight > invocation.held.length) return;
  invocation.quietTimer = setTimeout(() => {
    if (invocation.state !== 'dying' || invocation.inFlight > invocation.held.length) return;
    invocation.state = 'dead';
    crashLog.push({ function: invocation.functionName, requestsBeforeCrash: invocation.requests, heldAtCrash: invocation.held.length });
    for (const request of invocation.held.splice(0)) request.destroy(new ProcessExited('the process exited'));
    invocation.die(new ProcessExited(`RequestId: local Error: Runtime exited (crash injected after ${invocation.requests} matching calls)`));
  }, QUIET_MS);
}

/** Decides, as a call of an invocation under watch is about to leave, whether it goes, is held, or is cut off. */
function leave(request: ClientRequest, invocation: Invocation, args: unknown[], end: (...args: unknown[]) => ClientRequest): ClientRequest {
  if (invocation.state === 'dead') {
    // The process is gone: nothing it would still do reaches a service.
    request.destroy(new ProcessExited('the process exited'));
    return request;
  }
  invocation.inFlight++;
  request.once('close', () => {
    invocation.inFlight--;
    checkQuiet(invocation);
  });
  const fault = invocation.fault;
  if (!fault) return end(...args);
  const operation = String(request.getHeader('x-amz-target') ?? '')
    .split('.')
    .pop();
  const [chunk] = args;
  const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
  const matches = (fault.operation === undefined || fault.operation === operation) && fault.match.every((part) => text.includes(part));
  if (!matches) return end(...args);
  if (invocation.state === 'alive' && invocation.requests < fault.afterRequests) {
    invocation.requests++;
    return end(...args);
  }
  if (invocation.state === 'alive') {
    invocation.state = 'dying';
    fault.crashed++;
    if (fault.crashed >= fault.crashes) armed.splice(armed.indexOf(fault), 1);
  }
  invocation.held.push(request);
  checkQuiet(invocation);
  return request;
}

/**
 * Wraps ClientRequest's end(), where the SDK hands over a call's whole body, once. Why not Node's
 * `http.client.request.start` diagnostics channel: on Node 20 it fires after the body is written,
 * too late to hold a call. Outside an invocation under watch, end() is untouched.
 */
function patchOnce(): void {
  if (patched) return;
  patched = true;
  const { end } = ClientRequest.prototype as unknown as { end: (this: ClientRequest, ...args: unknown[]) => ClientRequest };
  (ClientRequest.prototype as { end: unknown }).end = function (this: ClientRequest, ...args: unknown[]) {
    const invocation = current.getStore();
    if (!invocation) return end.apply(this, args);
    return leave(this, invocation, args, (...rest) => end.apply(this, rest));
  };
}

/** Arms a crash (validated); later invocations of the function crash as it says. */
export function armCrash(input: unknown): { ok: true } | { ok: false; message: string } {
  const parsed = crashFaultSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
  armed.push({ ...parsed.data, crashed: 0 });
  return { ok: true };
}

/** The crashes injected so far. */
export function crashesSoFar(): ReadonlyArray<{ function: string; requestsBeforeCrash: number; heldAtCrash: number }> {
  return crashLog;
}

/**
 * Runs one invocation under watch: it settles as the handler does, or fails with
 * Runtime.ExitError when an armed crash kills it (the handler's promise is then left behind,
 * every call it still makes cut off).
 */
export function runWatched<T>(functionName: string, run: () => Promise<T>): Promise<T> {
  const fault = armed.find((f) => f.function === functionName);
  if (!fault) return run();
  patchOnce();
  return new Promise<T>((resolve, reject) => {
    const invocation: Invocation = { functionName, fault, requests: 0, state: 'alive', inFlight: 0, held: [], die: reject };
    current.run(invocation, () => {
      run().then(
        (value) => {
          if (invocation.state !== 'dead') resolve(value);
        },
        (error: unknown) => {
          if (invocation.state !== 'dead') reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  });
}
