import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sesLocal from 'aws-ses-v2-local';
import { keepIdleConnections, withoutConnectionHeaders } from './http-connections.ts';

type CompileTemplate = (source: string, options?: { strict?: boolean }) => (data: unknown) => string;

/**
 * aws-ses-v2-local compiles a template's subject, HTML and text with Handlebars on every send
 * (about 4 ms of CPU per email): in a 10,000-person cycle that was a quarter of the local stack's
 * CPU while invitations went out, in the process that also answers the survey pages. Its send
 * paths call `compileTemplate` through the module's exports, so a cache keyed by the template's
 * source (and strictness) there makes each template compile once; a changed template is new source.
 */
function cacheTemplateCompilation() {
  const require = createRequire(import.meta.url);
  const renderTemplate = require(join(dirname(require.resolve('aws-ses-v2-local')), 'v2', 'renderTemplate.js')) as {
    compileTemplate: CompileTemplate;
    cached?: true;
  };
  if (renderTemplate.cached) return;
  const compile = renderTemplate.compileTemplate;
  const compiled = new Map<string, ReturnType<CompileTemplate>>();
  renderTemplate.compileTemplate = (source, options = {}) => {
    const key = `${options.strict ? 'strict' : 'lenient'}:${source}`;
    let render = compiled.get(key);
    if (!render) {
      render = compile(source, options);
      // Templates are few (the email kinds, twice for the languages); a store of thousands of distinct ones is not worth keeping.
      if (compiled.size >= 1000) compiled.clear();
      compiled.set(key, render);
    }
    return render;
  };
  renderTemplate.cached = true;
}

/** The SES account the local stand-in plays: what GetAccount answers and, when `enforceRate`, the rate it enforces. */
export interface LocalSesAccount {
  /** Emails per second (GetAccount's SendQuota.MaxSendRate). */
  maxSendRate: number;
  max24HourSend: number;
  /** Sent before the stand-in started; the emails it accepts are added to it. */
  sentLast24Hours: number;
  /** Refuse sends beyond maxSendRate the way SES does (429 TooManyRequestsException, "Maximum sending rate exceeded."). */
  enforceRate: boolean;
}

/** Far above what the local stack sends, and not enforced: local runs are not slowed unless they ask for a rate. */
export const DEFAULT_LOCAL_SES_ACCOUNT: LocalSesAccount = { maxSendRate: 1000, max24HourSend: 1_000_000, sentLast24Hours: 0, enforceRate: false };

/** Sends the stand-in accepted and refused for the rate (SendEmail calls). */
export interface LocalSesSendingCounts {
  accepted: number;
  throttled: number;
}

export interface SesLocal {
  endpoint: string;
  stop: () => Promise<void>;
  /** The sends accepted and throttled so far (also at GET `<endpoint>/__tandem/ses/sending`). */
  sending: () => LocalSesSendingCounts;
  /** Plays another account from now on (its rate bucket starts full). */
  configure: (account: Partial<LocalSesAccount>) => void;
}

/**
 * Starts aws-ses-v2-local in this process, bound to the given host only, behind a small front
 * that adds what SES has and the package lacks: GetAccount with the account's quotas, and an
 * optional enforced maximum send rate. Its inbox is the endpoint's `/`, its JSON store `/store`.
 */
export async function startSesLocal(options: { host: string; port: number; account?: Partial<LocalSesAccount> }): Promise<SesLocal> {
  let account = { ...DEFAULT_LOCAL_SES_ACCOUNT, ...options.account };
  if (!(account.maxSendRate > 0)) throw new RangeError(`the local SES needs a maximum send rate above 0, not ${account.maxSendRate}`);
  cacheTemplateCompilation();
  const start = (sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal;
  const inner: Server = await start({ host: options.host, port: 0 });
  const innerPort = (inner.address() as AddressInfo).port;
  const counts: LocalSesSendingCounts = { accepted: 0, throttled: 0 };
  let bucket = sendingRateBucket(account.maxSendRate);

  const front = createServer((request, response) => {
    // A bad request must never take the stack down: answer it and keep serving.
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { message: `local SES: ${error instanceof Error ? error.message : String(error)}` });
      else response.destroy();
    });
  });

  // Both servers: the front's connections to the inner one are pooled too (Node's global agent, which lets them go after 5 s idle).
  for (const server of [front, inner]) keepIdleConnections(server);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/__tandem/ses/sending') return json(response, 200, counts);
    if (request.method === 'GET' && path === '/v2/email/account') return json(response, 200, getAccountAnswer(account, counts.accepted));
    const body = await readAll(request);
    if (request.method === 'POST' && path === '/v2/email/outbound-emails') {
      if (account.enforceRate && !bucket.take(Date.now())) {
        counts.throttled++;
        response.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        return response.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      }
      const status = await forward(request, response, body);
      if (status === 200) counts.accepted++;
      return;
    }
    await forward(request, response, body);
  }

  function forward(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<number> {
    return new Promise((resolve) => {
      const upstream = httpRequest(
        {
          host: options.host,
          port: innerPort,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: `${options.host}:${innerPort}` },
        },
        (reply) => {
          const status = reply.statusCode ?? 502;
          if (status >= 400 && /^text\/html/i.test(reply.headers['content-type'] ?? '')) {
            // aws-ses-v2-local's web framework answers a body it cannot read (malformed JSON) with an HTML page
            // holding the stack trace; SES answers with a JSON error and no internals, and so does the stand-in.
            reply.resume();
            reply.on('end', () => {
              const type = status >= 500 ? 'InternalFailure' : 'BadRequestException';
              response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
              response.end(JSON.stringify({ message: `The request could not be read (HTTP ${status}): check that the body is valid JSON for the operation.` }));
              resolve(status);
            });
            return;
          }
          response.writeHead(status, withoutConnectionHeaders(reply.headers));
          reply.pipe(response);
          reply.on('end', () => resolve(status));
        },
      );
      upstream.on('error', (error) => {
        json(response, 502, { message: `local SES failed: ${error.message}` });
        resolve(502);
      });
      upstream.end(body);
    });
  }

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await close(inner);
    throw error;
  }
  const { port } = front.address() as AddressInfo;
  return {
    endpoint: `http://${options.host}:${port}`,
    stop: async () => {
      await close(front);
      await close(inner);
    },
    sending: () => ({ ...counts }),
    configure: (changes) => {
      const next = { ...account, ...changes };
      if (!(next.maxSendRate > 0)) throw new RangeError(`the local SES needs a maximum send rate above 0, not ${next.maxSendRate}`);
      account = next;
      bucket = sendingRateBucket(account.maxSendRate);
    },
  };
}

/** A file the local inbox kept with an email, its content base64-encoded as aws-ses-v2-local stores it. */
export interface CapturedAttachment {
  filename?: string;
  contentType: string;
  content: string;
  size: number;
}

/** What SES v2 GetAccount answers for this account (the fields the SDK reads; the rest as a production account has them). */
function getAccountAnswer(account: LocalSesAccount, accepted: number) {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: account.max24HourSend, MaxSendRate: account.maxSendRate, SentLast24Hours: account.sentLast24Hours + accepted },
    SuppressionAttributes: { SuppressedReasons: [] },
  };
}

/**
 * A token bucket holding one second of sends, refilled at the rate: "N emails per second" with
 * no burst beyond a second's worth. SES does not publish how it measures the rate; this is the
 * usual reading of an AWS rate quota. Hand-written because it must decide synchronously, per
 * request, and count what it refused; rate-limiter libraries queue or delay instead.
 */
function sendingRateBucket(perSecond: number) {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = Date.now();
  return {
    take(now: number): boolean {
      tokens = Math.min(capacity, tokens + ((now - last) / 1000) * perSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Reads a local SES stand-in's counts of accepted and throttled sends. */
export async function localSesSendingCounts(endpoint: string): Promise<LocalSesSendingCounts> {
  const response = await fetch(`${endpoint}/__tandem/ses/sending`);
  if (!response.ok) throw new Error(`the local SES answered ${response.status} for its sending counts`);
  return (await response.json()) as LocalSesSendingCounts;
}

export interface CapturedEmail {
  messageId: string;
  from: string;
  /** aws-ses-v2-local keeps SendEmail's ReplyToAddresses and Attachments (simple and templated content) as they are. */
  replyTo: string[];
  attachments: CapturedAttachment[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

/** Reads the emails aws-ses-v2-local captured, optionally only those since an epoch second. */
export async function capturedEmails(endpoint: string, sinceEpochSeconds?: number): Promise<CapturedEmail[]> {
  const response = await fetch(`${endpoint}/store${sinceEpochSeconds === undefined ? '' : `?since=${sinceEpochSeconds}`}`);
  if (!response.ok) throw new Error(`the local SES inbox answered ${response.status}`);
  return ((await response.json()) as { emails: CapturedEmail[] }).emails;
}

/** The text of a captured attachment (calendar files are text). */
export function attachmentText(attachment: CapturedAttachment): string {
  return Buffer.from(attachment.content, 'base64').toString('utf8');
}
