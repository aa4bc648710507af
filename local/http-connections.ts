import type { IncomingMessage, Server } from 'node:http';

/**
 * How long the local stand-ins (SES, the fault-injection proxies) keep an idle connection open.
 * Node's servers close one after 5 s; AWS endpoints keep them far longer. At 5 s the SDK, which
 * pools connections, now and then sends on one just as the server closes it: a "socket hang up"
 * that AWS itself would not cause, and the paced SES client (one attempt) does not retry it
 * within the call.
 */
export const IDLE_CONNECTION_MS = 65_000;

/** Keeps the server's idle connections open IDLE_CONNECTION_MS. */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
}

/** The headers about the connection itself (RFC 9110, 7.6.1): a proxy answers with its own, not the upstream's. */
export function withoutConnectionHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}
