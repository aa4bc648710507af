import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { container } from '../adapters/container.ts';
import { showSessionPage, submitSessionPage } from '../services/session-pages.ts';
import { noticePage, PAGE_STYLE_HASH } from '../services/survey-pages.ts';
import { errorPage, htmlPage, pageSecurityHeaders } from './middleware/html-pages.ts';
import { logger } from './middleware/logger.ts';

const MAX_BODY_BYTES = 16 * 1024;
const TOKEN_PATH = /^\/session\/([A-Za-z0-9._-]{1,1024})$/;

/** An informational session's page (`/session/<token>`): GET renders it, POST registers or declines. */
async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const match = TOKEN_PATH.exec(event.rawPath);
  if (!match) return htmlPage(404, noticePage('both', 'invalid'));
  const token = match[1] as string;
  const { store, clock, mailer, links } = container();
  const deps = { store, emailLog: store, mailer, clock, links: await links() };
  // The forms post back to the same path: a relative action keeps the page working behind any stage or domain.
  const action = `./${token}`;
  if (method === 'GET' || method === 'HEAD') {
    const page = await showSessionPage(deps, token, action);
    return htmlPage(page.status, method === 'HEAD' ? '' : page.html);
  }
  if (method === 'POST') {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) return htmlPage(413, noticePage('both', 'too-large'));
    const page = await submitSessionPage(deps, token, body, action);
    // Never the path or the token: outcomes only.
    logger.info('session answer', { status: page.status });
    return htmlPage(page.status, page.html);
  }
  const refused = htmlPage(405, noticePage('both', 'invalid'));
  return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD, POST' } };
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(httpHeaderNormalizer())
  .use(pageSecurityHeaders({ styleHash: PAGE_STYLE_HASH, formAction: "'self'" }))
  .use(errorPage('session request failed', () => noticePage('both', 'error')))
  .handler(route);
