import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { PageResult } from '../../services/phases/survey-types.ts';
import { noticePage, PAGE_STYLE_HASH } from '../../services/survey-pages.ts';
import { errorPage, htmlPage, pageSecurityHeaders } from './html-pages.ts';
import { logger } from './logger.ts';

/** What a signed-link page needs besides its dependencies: the token from the path and the form's relative action. */
export interface SignedLinkRequest {
  token: string;
  action: string;
  event: APIGatewayProxyEventV2;
}

export interface SignedLinkRouteOptions<Deps> {
  /** The path's fixed start, e.g. `/s/` or `/session/`; the token follows it and nothing else. */
  pathPrefix: string;
  maxBodyBytes: number;
  /** Names the page in log lines, e.g. `survey` (logs `survey answer`, `survey request failed`). */
  name: string;
  /** The hash of the page's one inline script, when it has one. */
  scriptHash?: string;
  /** Built per request, after the token is known to be well formed (the links' keys are loaded lazily). */
  deps: () => Promise<Deps>;
  /** GET and HEAD: renders the page; never changes state (mail scanners pre-fetch links). */
  show: (deps: Deps, request: SignedLinkRequest) => Promise<PageResult>;
  /** POST: the form's urlencoded body, already decoded and within `maxBodyBytes`. */
  submit: (deps: Deps, request: SignedLinkRequest, body: string) => Promise<PageResult>;
}

type PageHandler = middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The one Lambda handler shape behind every emailed link (`<prefix><token>`): GET/HEAD render, POST submits
 * (base64 bodies decoded, over-large ones refused with 413), anything else is 405; the page's security headers,
 * and a notice page that never shows internals when something fails.
 */
export function signedLinkRoute<Deps>(options: SignedLinkRouteOptions<Deps>): PageHandler {
  const tokenPath = new RegExp(`^${escapeRegExp(options.pathPrefix)}([A-Za-z0-9._-]{1,1024})$`);

  async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const method = event.requestContext.http.method;
    const match = tokenPath.exec(event.rawPath);
    if (!match) return htmlPage(404, noticePage('both', 'invalid'));
    const token = match[1] as string;
    // The forms post back to the same path: a relative action keeps the page working behind any stage or domain.
    const request: SignedLinkRequest = { token, action: `./${token}`, event };
    if (method === 'GET' || method === 'HEAD') {
      const page = await options.show(await options.deps(), request);
      return htmlPage(page.status, method === 'HEAD' ? '' : page.html);
    }
    if (method === 'POST') {
      const raw = event.body ?? '';
      const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (Buffer.byteLength(body) > options.maxBodyBytes) return htmlPage(413, noticePage('both', 'too-large'));
      const page = await options.submit(await options.deps(), request, body);
      // Never the path or the token: outcomes only.
      logger.info(`${options.name} answer`, { status: page.status });
      return htmlPage(page.status, page.html);
    }
    return htmlPage(405, noticePage('both', 'invalid'), { allow: 'GET, HEAD, POST' });
  }

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(httpHeaderNormalizer())
    .use(pageSecurityHeaders({ styleHash: PAGE_STYLE_HASH, ...(options.scriptHash ? { scriptHash: options.scriptHash } : {}), formAction: "'self'" }))
    .use(errorPage(`${options.name} request failed`, () => noticePage('both', 'error')))
    .handler(route);
}
