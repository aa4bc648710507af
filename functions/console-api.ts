import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { required } from '../adapters/config.ts';
import { container } from '../adapters/container.ts';
import { SignedOutSessionRecords } from '../adapters/dynamodb/signed-out-session-records.ts';
import { configuredReportStore } from '../adapters/reports/report-stores.ts';
import { configuredExecutionHistory, type StepFunctionsExecutionHistory } from '../adapters/stepfunctions/sfn-executions.ts';
import { StepFunctionsWorkflow } from '../adapters/stepfunctions/sfn-workflow.ts';
import type { ReportStore } from '../services/ports.ts';
import { CONSOLE_SCRIPT_HASH, CONSOLE_STYLE_HASH, plainPage } from '../services/console/layout.ts';
import { CONSOLE_PAGES } from '../services/console/pages/index.ts';
import { ConsoleRouter, languageOf, type ConsoleRequest } from '../services/console/router.ts';
import { SessionCookies } from '../services/console/session.ts';
import { ConsoleSignIn } from '../services/console/sign-in.ts';
import { logger } from './middleware/logger.ts';

/**
 * The console (/console/*): reads the API Gateway event into a ConsoleRequest, lets the router
 * (services/console/router.ts) sign in, check the session, CSRF token and role, and run the page;
 * maps its answer back. Sign-in, sessions and pages are all in services/console/.
 */

let router: Promise<ConsoleRouter> | undefined;

function createRouter(): Promise<ConsoleRouter> {
  router ??= (async () => {
    const c = container();
    const { signer } = await c.links();
    const baseUrl = required(c.env, 'TANDEM_CONSOLE_BASE_URL', 'for the console’s sign-in redirect').replace(/\/$/, '');
    let workflow: StepFunctionsWorkflow | undefined;
    let executions: StepFunctionsExecutionHistory | undefined;
    let reports: ReportStore | undefined;
    return new ConsoleRouter({
      cookies: new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') }),
      signedOut: new SignedOutSessionRecords(c.table),
      signIn: new ConsoleSignIn({
        issuer: required(c.env, 'TANDEM_CONSOLE_ISSUER', 'to sign people in to the console'),
        clientId: required(c.env, 'TANDEM_CONSOLE_CLIENT_ID', 'to sign people in to the console'),
        redirectUri: `${baseUrl}/console/callback`,
        groupsClaim: c.env.TANDEM_CONSOLE_GROUPS_CLAIM ?? 'cognito:groups',
      }),
      pages: CONSOLE_PAGES,
      deps: {
        store: c.store,
        clock: c.clock,
        workflow: () => (workflow ??= new StepFunctionsWorkflow(required(c.env, 'TANDEM_STATE_MACHINE_ARN', 'to start and stop cycles'))),
        executions: () => (executions ??= configuredExecutionHistory(c.env)),
        reports: () => (reports ??= configuredReportStore(c.env)),
      },
      log: (message, details) => logger.warn(message, details),
    });
  })().catch((error: unknown) => {
    router = undefined;
    throw error;
  });
  return router;
}

/** A POST's fields: urlencoded or multipart (a roster upload), read with the platform's own form parser. */
async function readForm(event: APIGatewayProxyEventV2): Promise<FormData | undefined> {
  if (event.requestContext.http.method !== 'POST' || !event.body) return undefined;
  const contentType = event.headers['content-type'] ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(contentType)) return undefined;
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
  try {
    return await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

function cookiesOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const pairs = event.cookies ?? (event.headers.cookie ? event.headers.cookie.split(/;\s*/) : []);
  const jar: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0) jar[pair.slice(0, at).trim()] ??= pair.slice(at + 1).trim();
  }
  return jar;
}

async function handle(event: APIGatewayProxyEventV2, routerOf: () => Promise<ConsoleRouter>): Promise<APIGatewayProxyStructuredResultV2> {
  const form = await readForm(event);
  const request: ConsoleRequest = {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    cookies: cookiesOf(event),
    ...(event.headers['accept-language'] ? { acceptLanguage: event.headers['accept-language'] } : {}),
    ...(form ? { form } : {}),
  };
  const response = await (await routerOf()).handle(request);
  return {
    statusCode: response.status,
    headers: response.headers,
    ...(response.cookies.length ? { cookies: response.cookies } : {}),
    body: request.method === 'HEAD' ? '' : response.body,
  };
}

/**
 * The console's security headers, written out rather than through @middy/http-security-headers
 * (as the ops page does): its 4 KB would put this bundle over its 500 KB budget. No inline script or
 * style but the page's own by hash; forms post to the console only (the issuer is reached by GET navigations).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'none'",
    `style-src '${CONSOLE_STYLE_HASH}'`,
    `script-src '${CONSOLE_SCRIPT_HASH}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types console-refresh',
  ].join('; '),
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const securityHeaders: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  after: (request) => {
    if (request.response) request.response.headers = { ...request.response.headers, ...SECURITY_HEADERS };
  },
  onError: (request) => {
    if (request.response) request.response.headers = { ...request.response.headers, ...SECURITY_HEADERS };
  },
};

/**
 * The handler around a router (tests pass one over in-memory ports). middy runs the onError middlewares in the
 * reverse order of use(), and stops at the first that returns a response: so the error page comes after the
 * security headers here (its onError runs first) and sets the response without returning it, and the security
 * headers' onError then runs too. Every response, a 500 included, carries them.
 */
export function consoleHandler(routerOf: () => Promise<ConsoleRouter>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(securityHeaders)
    .use(consoleErrorPageOf())
    .handler((event) => handle(event, routerOf));
}

export const handler = consoleHandler(createRouter);

/** Unexpected failures: the error's name and message go to the log; the person gets a page with no internals. */
function consoleErrorPageOf(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error as Error | undefined;
      logger.error('console request failed', { error: error ? `${error.name}: ${error.message}` : 'unknown' });
      const headers = (request.event as APIGatewayProxyEventV2 | undefined)?.headers ?? {};
      const lang = languageOf(headers['accept-language']);
      const [heading, message, back] =
        lang === 'pt-BR'
          ? ['Algo deu errado', 'O pedido falhou. Tente de novo; o log da função tem a causa.', 'Voltar ao console']
          : ['Something went wrong', 'The request failed. Try again; the function log has the cause.', 'Back to the console'];
      // Set, not returned: a returned response would end the onError chain before securityHeaders.onError.
      request.response = {
        statusCode: 500,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        body: plainPage(lang, heading, `<h1>${heading}</h1><p>${message}</p><p><a href="/console">${back}</a></p>`),
      };
    },
  };
}
