import type middy from '@middy/core';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from './logger.ts';

type PageMiddleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** A server-rendered page: never cached (answers and progress change) and sent with no referrer (links carry tokens). */
export const htmlPage = (statusCode: number, body: string, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', ...headers },
  body,
});

/**
 * The one Content-Security-Policy of Tandem's pages (the survey and the ops page): no scripts but
 * the one named by its hash (the join page's skill filter), the pages' one inline style by its hash, and forms that post back to this origin or nowhere.
 */
export function pageSecurityHeaders(options: { styleHash: string; scriptHash?: string; formAction: "'self'" | "'none'" }): PageMiddleware {
  return httpSecurityHeaders({
    contentSecurityPolicy: {
      'default-src': "'none'",
      'style-src': `'${options.styleHash}'`,
      ...(options.scriptHash ? { 'script-src': `'${options.scriptHash}'` } : {}),
      'form-action': options.formAction,
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'require-trusted-types-for': "'script'",
      'trusted-types': "'none'",
      // middy's defaults that break server-rendered pages: a sandbox blocks form posts, navigate-to is obsolete (it
      // would block links), report-to names no endpoint, and upgrade-insecure-requests breaks the plain-HTTP local stack.
      sandbox: null,
      'navigate-to': null,
      'report-to': null,
      'upgrade-insecure-requests': null,
    } as unknown as Record<string, string>,
  }) as PageMiddleware;
}

/** Unexpected failures: the error's name and message go to the log; the person gets `page`, never internals. */
export function errorPage(logMessage: string, page: () => string): PageMiddleware {
  return {
    onError: (request) => {
      logger.error(logMessage, { error: request.error instanceof Error ? `${request.error.name}: ${request.error.message}` : String(request.error) });
      request.response = htmlPage(500, page());
      return request.response;
    },
  };
}
