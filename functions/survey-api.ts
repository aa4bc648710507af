import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import { showSurvey, submitSurvey } from '../services/surveys.ts';
import { noticePage, PAGE_STYLE_HASH } from '../services/survey-pages.ts';
import { logger } from './middleware/logger.ts';

const MAX_BODY_BYTES = 64 * 1024;
/** Pairs a partner again after a decline (the same matcher as the identify phase). */
const matcher = new OptimalMatcher({ deadlineMs: 2_000 }); // runs inside an HTTP request (10 s Lambda timeout)
const TOKEN_PATH = /^\/s\/([A-Za-z0-9._-]{1,1024})$/;

const html = (statusCode: number, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  },
  body,
});

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const match = TOKEN_PATH.exec(event.rawPath);
  if (!match) return html(404, noticePage('both', 'invalid'));
  const token = match[1] as string;
  const { store, clock, links } = container();
  const { signer } = await links();
  const deps = { store, clock, signer, matcher };
  // The form posts back to the same path: a relative action keeps the page working behind any stage or domain.
  const action = `./${token}`;
  if (method === 'GET' || method === 'HEAD') {
    const page = await showSurvey(deps, token, action);
    return html(page.status, method === 'HEAD' ? '' : page.html);
  }
  if (method === 'POST') {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) return html(413, noticePage('both', 'too-large'));
    const page = await submitSurvey(deps, token, body, action);
    // Never the path or the token: ids and outcomes only.
    logger.info('survey answer', { status: page.status });
    return html(page.status, page.html);
  }
  const refused = html(405, noticePage('both', 'invalid'));
  return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD, POST' } };
}

/** Unexpected failures become a plain apology page; the cause goes to the log, never to the participant. */
const apologiseOnError: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  onError: (request) => {
    logger.error('survey request failed', { error: request.error instanceof Error ? `${request.error.name}: ${request.error.message}` : String(request.error) });
    request.response = html(500, noticePage('both', 'error'));
    return request.response;
  },
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(httpHeaderNormalizer())
  .use(
    httpSecurityHeaders({
      // One policy, set here: no scripts at all, the pages' one inline style by its hash, forms post back to this origin only.
      contentSecurityPolicy: {
        'default-src': "'none'",
        'style-src': `'${PAGE_STYLE_HASH}'`,
        'form-action': "'self'",
        'base-uri': "'none'",
        'frame-ancestors': "'none'",
        'require-trusted-types-for': "'script'",
        'trusted-types': "'none'",
        // middy's defaults that break a server-rendered form: a sandbox blocks form posts, navigate-to is obsolete,
        // report-to names no endpoint, and upgrade-insecure-requests breaks the plain-HTTP local stack.
        sandbox: null,
        'navigate-to': null,
        'report-to': null,
        'upgrade-insecure-requests': null,
      } as unknown as Record<string, string>,
    }),
  )
  .use(apologiseOnError)
  .handler(route);
