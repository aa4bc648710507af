import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import * as z from '../domain/validation.ts';
import { showSurvey, submitSurvey } from '../services/surveys.ts';
import { noticePage, PAGE_SCRIPT_HASH, PAGE_STYLE_HASH } from '../services/survey-pages.ts';
import { errorPage, htmlPage, pageSecurityHeaders } from './middleware/html-pages.ts';
import { logger } from './middleware/logger.ts';

const MAX_BODY_BYTES = 64 * 1024;
/** Pairs a partner again after a decline (the same matcher as the identify phase). */
const matcher = new OptimalMatcher({ deadlineMs: 2_000 }); // runs inside an HTTP request (10 s Lambda timeout)
/** `?answer=` from an email's quick-answer link: a short word; a bad one is ignored (the page asks anyway). */
const preselectSchema = z.optional(z.string().check(z.regex(/^[a-z-]{1,20}$/)));
const TOKEN_PATH = /^\/s\/([A-Za-z0-9._-]{1,1024})$/;

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const match = TOKEN_PATH.exec(event.rawPath);
  if (!match) return htmlPage(404, noticePage('both', 'invalid'));
  const token = match[1] as string;
  const { store, clock, links } = container();
  const { signer } = await links();
  const deps = { store, clock, signer, matcher };
  // The form posts back to the same path: a relative action keeps the page working behind any stage or domain.
  const action = `./${token}`;
  if (method === 'GET' || method === 'HEAD') {
    const preselect = preselectSchema.safeParse(event.queryStringParameters?.answer);
    const page = await showSurvey(deps, token, action, preselect.success ? preselect.data : undefined);
    return htmlPage(page.status, method === 'HEAD' ? '' : page.html);
  }
  if (method === 'POST') {
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) return htmlPage(413, noticePage('both', 'too-large'));
    const page = await submitSurvey(deps, token, body, action);
    // Never the path or the token: ids and outcomes only.
    logger.info('survey answer', { status: page.status });
    return htmlPage(page.status, page.html);
  }
  const refused = htmlPage(405, noticePage('both', 'invalid'));
  return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD, POST' } };
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(httpHeaderNormalizer())
  .use(pageSecurityHeaders({ styleHash: PAGE_STYLE_HASH, scriptHash: PAGE_SCRIPT_HASH, formAction: "'self'" }))
  .use(errorPage('survey request failed', () => noticePage('both', 'error')))
  .handler(route);
