import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A pass-through proxy in front of a local service that can be told to fail the next N
 * requests whose body contains a given text, the way AWS throttles. Tests use it to prove
 * that the workflow's retries recover; in normal use it forwards every request untouched.
 * Control: POST /__tandem/faults {"match": "...", "failures": 2, "status": 429, "errorType": "TooManyRequestsException"}.
 */
const faultSchema = z.object({
  match: z.string().min(1).max(200),
  failures: z.number().int().min(1).max(100),
  status: z.number().int().min(400).max(599).default(429),
  errorType: z.string().min(1).max(100).default('TooManyRequestsException'),
});
type Fault = z.infer<typeof faultSchema> & { injected: number };

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(options: { host: string; port: number; target: string }) {
  const faults: Fault[] = [];
  const target = new URL(options.target);
  const server = createServer((request, response) => {
    // A bad request must never take the stack down: answer it and keep serving.
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { message: `fault proxy: ${error instanceof Error ? error.message : String(error)}` });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readAll(request);
    if (request.url === '/__tandem/faults') {
      if (request.method === 'GET') return json(response, 200, { faults });
      if (request.method !== 'POST') return json(response, 405, { message: 'use GET to list faults or POST to add one' });
      let candidate: unknown;
      try {
        candidate = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return json(response, 400, { message: 'the body is not JSON: expected {"match": "...", "failures": N}' });
      }
      const parsed = faultSchema.safeParse(candidate);
      if (!parsed.success) return json(response, 400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      faults.push({ ...parsed.data, injected: 0 });
      return json(response, 201, { ok: true });
    }
    const text = body.toString('utf8');
    const fault = faults.find((f) => f.injected < f.failures && text.includes(f.match));
    if (fault) {
      fault.injected++;
      response.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.errorType });
      return response.end(JSON.stringify({ message: 'Maximum sending rate exceeded (injected by the local stack)' }));
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
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

/** Asks a fault proxy to fail the next `failures` requests whose body contains `match`. */
export async function injectFaults(proxyEndpoint: string, fault: z.input<typeof faultSchema>): Promise<void> {
  const response = await fetch(`${proxyEndpoint}/__tandem/faults`, { method: 'POST', body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(`fault injection refused: ${await response.text()}`);
}
