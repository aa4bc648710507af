import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAction } from './api.ts';
import type { LocalStepFunctions } from './engine.ts';
import { RequestEntityTooLarge, SerializationException, StepFunctionsApiError, UnknownOperationException } from './errors.ts';

export interface StepFunctionsServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface StepFunctionsServer {
  /** For the SDK's `endpoint`, `AWS_ENDPOINT_URL_SFN` or the CLI's `--endpoint-url`. */
  readonly url: string;
  /** Stops listening; the engine is left as it is. */
  close: () => Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// Execution input may be 256 KiB and is sent as an escaped JSON string inside the body.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Serves the Step Functions API (AWS JSON 1.0: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`). */
export async function startStepFunctionsServer(
  engine: LocalStepFunctions,
  { host = '127.0.0.1', port = 8083 }: StepFunctionsServerOptions = {},
): Promise<StepFunctionsServer> {
  const server = createServer((request, response) => {
    void respond(engine, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function respond(engine: LocalStepFunctions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const action = actionOf(request);
    const body = await readJsonBody(request);
    send(response, 200, await handleAction(engine, action, body));
  } catch (error) {
    if (error instanceof StepFunctionsApiError) {
      send(response, error.statusCode, { __type: error.name, message: error.message });
    } else {
      console.error('local Step Functions: unexpected error', error);
      send(response, 500, { __type: 'InternalFailure', message: 'The request processing has failed because of an unknown error.' });
    }
  }
}

function actionOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) {
    throw new UnknownOperationException(`Unknown operation: ${request.method ?? ''} ${typeof target === 'string' ? target : '(no X-Amz-Target)'}`);
  }
  return target.slice(TARGET_PREFIX.length);
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RequestEntityTooLarge(`Request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SerializationException('Request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, epochSecondsForDates);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(text);
}

/** The JSON protocol sends timestamps as epoch seconds with fractional milliseconds. */
function epochSecondsForDates(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof Date ? original.getTime() / 1000 : value;
}
