import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { keepIdleConnections, withoutConnectionHeaders } from './http-connections.ts';

/**
 * A pass-through proxy in front of a local service (SES, DynamoDB) that can be told to fail
 * requests the way AWS does: the next N whose body contains a text or whose operation is named,
 * every Nth of them, or each with a probability. Tests use it to prove that retries recover; in
 * normal use it forwards every request untouched.
 *
 * Control: POST /__tandem/faults with a fault (faultSchema), GET lists them with their counts,
 * DELETE removes them all. Examples:
 *   {"match": "acme.example.com", "failures": 2, "status": 429, "errorType": "TooManyRequestsException"}
 *   {"operation": "TransactWriteItems", "failures": 3, "kind": "transaction-conflict"}
 *   {"operation": "PutItem", "every": 5, "failures": 40, "status": 400, "errorType": "ProvisionedThroughputExceededException"}
 */
const faultSchema = z
  .object({
    /** Text the request's body must contain (an email domain, a table key, a cycle id), or several texts it must all contain. */
    match: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(5)]).optional(),
    /** The operation, for JSON-protocol services (DynamoDB): the X-Amz-Target header ends with `.<operation>`. */
    operation: z
      .string()
      .regex(/^[A-Za-z]+$/, 'an operation name such as TransactWriteItems')
      .max(60)
      .optional(),
    /** Injections at most; the fault is spent after that many. */
    failures: z.number().int().min(1).max(10_000),
    /** Let this many matching requests through before the first injection. */
    skip: z.number().int().min(0).max(10_000).default(0),
    /** Inject on every Nth matching request only (a burst spread across a whole cycle). */
    every: z.number().int().min(1).max(1000).default(1),
    /** Inject on a matching request with this probability (after `skip` and `every`). */
    probability: z.number().gt(0).max(1).default(1),
    /** `error`: the status and error type given; `transaction-conflict`: DynamoDB's TransactionCanceledException (TransactWriteItems) or TransactionConflictException. */
    kind: z.enum(['error', 'transaction-conflict']).default('error'),
    status: z.number().int().min(400).max(599).default(429),
    errorType: z
      .string()
      .regex(/^[A-Za-z.]+$/, 'an error type such as ThrottlingException')
      .max(100)
      .default('TooManyRequestsException'),
    message: z.string().min(1).max(300).default('Injected by the local stack'),
  })
  .refine((fault) => fault.match !== undefined || fault.operation !== undefined, { message: 'name a body text (match) or an operation', path: ['match'] });
export type FaultInput = z.input<typeof faultSchema>;
type Fault = z.infer<typeof faultSchema> & { seen: number; injected: number };

/** How the service behind the proxy writes its errors: a header (REST JSON, SES v2) or `__type` in the body (JSON 1.0, DynamoDB). */
export type FaultProtocol = { kind: 'rest-json' } | { kind: 'aws-json'; typePrefix: string };

/** A control route besides the faults' own (the local stack adds its crash control this way): a POST's parsed JSON body, or undefined for a GET. */
export type ControlRoute = (body: unknown) => { status: number; body: unknown };

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const issuesOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');

export async function startFaultProxy(options: {
  host: string;
  port: number;
  target: string;
  protocol?: FaultProtocol;
  controls?: Record<string, ControlRoute>;
  random?: () => number;
}) {
  const faults: Fault[] = [];
  const protocol = options.protocol ?? { kind: 'rest-json' };
  const random = options.random ?? Math.random;
  const target = new URL(options.target);
  const server = createServer((request, response) => {
    // A bad request must never take the stack down: answer it and keep serving.
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { message: `fault proxy: ${error instanceof Error ? error.message : String(error)}` });
      else response.destroy();
    });
  });
  keepIdleConnections(server);

  function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(body.toString('utf8') || '{}') };
    } catch {
      return { ok: false };
    }
  }

  function control(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    if (request.method === 'GET') return json(response, 200, { faults });
    if (request.method === 'DELETE') {
      const removed = faults.splice(0).length;
      return json(response, 200, { removed });
    }
    if (request.method !== 'POST') return json(response, 405, { message: 'use GET to list faults, POST to add one or DELETE to remove them all' });
    const candidate = parseJson(body);
    if (!candidate.ok) return json(response, 400, { message: 'the body is not JSON: expected {"match": "...", "failures": N}' });
    const parsed = faultSchema.safeParse(candidate.value);
    if (!parsed.success) return json(response, 400, { message: issuesOf(parsed.error) });
    faults.push({ ...parsed.data, seen: 0, injected: 0 });
    return json(response, 201, { ok: true });
  }

  /** The fault this request falls under, counted; undefined when it goes through. */
  function faultFor(request: IncomingMessage, text: string): Fault | undefined {
    const operation = String(request.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    for (const fault of faults) {
      if (fault.injected >= fault.failures) continue;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      if (fault.match !== undefined && ![fault.match].flat().every((part) => text.includes(part))) continue;
      fault.seen++;
      if (fault.seen <= fault.skip || (fault.seen - fault.skip) % fault.every !== 0 || random() >= fault.probability) continue;
      fault.injected++;
      return fault;
    }
    return undefined;
  }

  function inject(response: ServerResponse, fault: Fault, text: string) {
    const conflict = fault.kind === 'transaction-conflict';
    const status = conflict ? 400 : fault.status;
    if (protocol.kind === 'rest-json') {
      response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.errorType });
      return response.end(JSON.stringify({ message: fault.message }));
    }
    // DynamoDB's shape: `__type` names the error with the service's prefix; the SDK reads the name from it.
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${fault.injected}` });
    if (!conflict) return response.end(JSON.stringify({ __type: `${protocol.typePrefix}#${fault.errorType}`, message: fault.message }));
    const transactItems = (parseJson(Buffer.from(text)) as { ok: boolean; value?: { TransactItems?: unknown[] } }).value?.TransactItems;
    if (!Array.isArray(transactItems)) {
      return response.end(JSON.stringify({ __type: `${protocol.typePrefix}#TransactionConflictException`, message: 'Transaction is ongoing for the item' }));
    }
    // One reason per action, in order, as DynamoDB answers: the first conflicts, the others were not evaluated.
    const reasons = transactItems.map((_, i) => (i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
    return response.end(
      JSON.stringify({
        __type: `${protocol.typePrefix}#TransactionCanceledException`,
        Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        CancellationReasons: reasons,
      }),
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readAll(request);
    if (request.url === '/__tandem/faults') return control(request, response, body);
    const route = request.url ? options.controls?.[request.url] : undefined;
    if (route) {
      if (request.method === 'GET') {
        const listed = route(undefined);
        return json(response, listed.status, listed.body);
      }
      if (request.method !== 'POST') return json(response, 405, { message: 'use GET to list or POST to add' });
      const candidate = parseJson(body);
      if (!candidate.ok || candidate.value === undefined) return json(response, 400, { message: 'the body is not JSON' });
      const answer = route(candidate.value);
      return json(response, answer.status, answer.body);
    }
    const text = body.toString('utf8');
    const fault = faultFor(request, text);
    if (fault) return inject(response, fault, text);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, withoutConnectionHeaders(reply.headers));
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => json(response, 502, { message: `upstream failed: ${error.message}` }));
    upstream.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Asks a fault proxy to fail requests as `fault` says. */
export async function injectFaults(proxyEndpoint: string, fault: FaultInput): Promise<void> {
  const response = await fetch(`${proxyEndpoint}/__tandem/faults`, { method: 'POST', body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(`fault injection refused: ${await response.text()}`);
}

/** The faults a proxy holds, with how many matching requests each saw and how many it failed. */
export async function listFaults(proxyEndpoint: string): Promise<Array<FaultInput & { seen: number; injected: number }>> {
  const response = await fetch(`${proxyEndpoint}/__tandem/faults`);
  if (!response.ok) throw new Error(`cannot list the faults: ${await response.text()}`);
  return ((await response.json()) as { faults: Array<FaultInput & { seen: number; injected: number }> }).faults;
}

/** Removes every fault a proxy holds. */
export async function clearFaults(proxyEndpoint: string): Promise<void> {
  const response = await fetch(`${proxyEndpoint}/__tandem/faults`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`cannot clear the faults: ${await response.text()}`);
}
