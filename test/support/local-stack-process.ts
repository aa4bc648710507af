import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbStore } from '../../adapters/dynamodb/dynamodb-store.ts';
import { createDocumentClient } from '../../adapters/dynamodb/table-client.ts';
import { keepIdleConnections, withoutConnectionHeaders } from '../../local/http-connections.ts';

/**
 * Helpers for tests that run `tandem local up` as a process of its own (to kill it and start it
 * again): start it, reach its table and workflows, and an SES proxy that holds the sends.
 */

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'cli/bin/tandem.js');
/** Claims older than this are stale in the stack process: what a killed fan-out claimed is sent again soon after the restart. */
export const CLAIM_TIMEOUT_SECONDS = 3;

export interface StackProcess {
  child: ChildProcess;
  env: Record<string, string>;
  resumedExecutions: string[];
}

/**
 * SES, as the stack's handlers reach it, through a proxy that can hold every SendEmail call from
 * some point on: the fan-out then waits mid-way, as it would on a slow SES, for the kill.
 */
export class HoldingSesProxy {
  sends = 0;
  private holdFrom = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  private readonly held: ServerResponse[] = [];
  private heldReached: (() => void) | undefined;
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    // As the local SES keeps idle connections (local/ses-local.ts): a 5 s idle close would race the stack's sends.
    keepIdleConnections(this.server);
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  /** Resolves once the `send`-th SendEmail call has arrived and every earlier one has been answered. */
  holdFromSend(send: number): Promise<void> {
    this.holdFrom = send;
    return new Promise((resolveHeld) => (this.heldReached = resolveHeld));
  }

  /** Drops the held calls (their sender is dead) and lets every later call through. */
  release(): number {
    this.holdFrom = Number.POSITIVE_INFINITY;
    const dropped = this.held.splice(0);
    for (const response of dropped) response.destroy();
    return dropped.length;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const isSend = request.method === 'POST' && (request.url ?? '').startsWith('/v2/email/outbound-emails');
    if (isSend && ++this.sends >= this.holdFrom) {
      this.held.push(response);
      this.checkHeld();
      return;
    }
    this.inFlight++;
    const target = new URL(this.target);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, withoutConnectionHeaders(reply.headers));
        reply.pipe(response);
        reply.once('end', () => {
          this.inFlight--;
          this.checkHeld();
        });
      },
    );
    upstream.once('error', () => {
      this.inFlight--;
      response.destroy();
    });
    upstream.end(Buffer.concat(chunks));
  }

  private checkHeld(): void {
    if (this.held.length > 0 && this.inFlight === 0) this.heldReached?.();
  }
}

/** Starts `tandem local up` as its own process and reads the line it prints once the stack is up. */
export async function startStack(cwd: string, stateDir: string, ports: Record<'dynamodb' | 'stepfunctions' | 'survey' | 'oidc', number>, sesEndpoint: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TANDEM_') && !k.startsWith('AWS_')) env[k] = v;
  const args = [
    bin,
    'local',
    'up',
    '--json',
    '--state-dir',
    stateDir,
    '--ses-endpoint',
    sesEndpoint,
    '--dynamodb-port',
    String(ports.dynamodb),
    '--stepfunctions-port',
    String(ports.stepfunctions),
    '--survey-port',
    String(ports.survey),
    '--oidc-port',
    String(ports.oidc),
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      ...env,
      TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS: String(CLAIM_TIMEOUT_SECONDS),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  // Resumed steps start at once and may log before the stack prints its line: the line is the one with the endpoints.
  const up = await new Promise<{ env: Record<string, string>; resumedExecutions: string[] }>((resolveLine, reject) => {
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { endpoints?: unknown; env: Record<string, string>; resumedExecutions: string[] };
        if (parsed.endpoints) resolveLine(parsed);
      } catch {
        // Not the stack's line.
      }
    });
    child.once('exit', (code) => reject(new Error(`tandem local up exited (${code}) before it was up:\n${stderr}`)));
  });
  return { child, env: up.env, resumedExecutions: up.resumedExecutions } satisfies StackProcess;
}

export function storeOf(stack: StackProcess): DynamoDbStore {
  const client = new DynamoDBClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return new DynamoDbStore(createDocumentClient(client), stack.env.TANDEM_TABLE_NAME as string);
}

export function sfnOf(stack: StackProcess): SFNClient {
  return new SFNClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_SFN,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
