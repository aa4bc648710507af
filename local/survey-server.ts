import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { invokeFunction } from './lambda-runtime.ts';

/**
 * Participants' pages post small forms: locally anything larger is refused with 413 before a handler
 * runs, as a guard. The console takes roster files (services/console/pages/roster.ts, at most 2 MB,
 * posted back in base64 to import): its posts may be as large as Lambda's 6 MB request payload, the
 * limit on AWS (API Gateway's HTTP API takes up to 10 MB).
 */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_CONSOLE_BODY_BYTES = 6 * 1024 * 1024;

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(`at most ${maxBytes / 1024} KB`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(`at most ${maxBytes / 1024} KB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Turns a local HTTP request into the API Gateway HTTP API (payload 2.0) event the survey function receives on AWS. */
function toEvent(request: IncomingMessage, raw: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  // As API Gateway's payload 2.0: the Cookie header arrives as `cookies`, and a body that is not text (a multipart upload) as base64.
  const { cookie, ...rest } = request.headers;
  const headers = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const cookies = cookie ? cookie.split(/;\s*/).filter(Boolean) : undefined;
  const binary = /^multipart\//i.test(headers['content-type'] ?? '');
  const body = binary ? raw.toString('base64') : raw.toString('utf8');
  const method = request.method ?? 'GET';
  return {
    ...(cookies ? { cookies } : {}),
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${Date.now()}`,
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: binary,
  };
}

/** The survey HTTP API (and the ops page at /ops) on the local stack: every request goes through the same Lambda handler as on AWS. */
export async function startSurveyServer(options: { host: string; port: number }): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    void (async () => {
      try {
        // The local equivalent of the API's routes: /ops (IAM-authorized on AWS) goes to the ops page, /session/ to the sessions' page, the rest to the survey.
        const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
        const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
        const fn = under('/ops') ? 'ops-api' : under('/console') ? 'console' : path.startsWith('/session/') ? 'session-api' : 'survey-api';
        const body = request.method === 'POST' ? await readBody(request, fn === 'console' ? MAX_CONSOLE_BODY_BYTES : MAX_BODY_BYTES) : Buffer.alloc(0);
        const result = (await invokeFunction(fn, toEvent(request, body), 30_000)) as APIGatewayProxyStructuredResultV2;
        // API Gateway drops headers a middleware unset (set to undefined); Node would throw on them.
        const headers = Object.fromEntries(
          Object.entries(result.headers ?? {})
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        );
        // API Gateway turns the result's `cookies` into one Set-Cookie header each.
        response.writeHead(result.statusCode ?? 200, { ...headers, ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}) });
        response.end(result.body ?? '');
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          // Answer before the rest of the body arrives, then close: the client must not keep streaming.
          response.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
          response.end(`Request body too large: ${error.message}.`);
          return;
        }
        console.error('survey server:', error instanceof Error ? error.message : error);
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('internal error');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
