import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { container } from '../adapters/container.ts';
import { configuredExecutionHistory, type StepFunctionsExecutionHistory } from '../adapters/stepfunctions/sfn-executions.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { ExecutionsQuery, EXECUTION_STATUSES } from '../services/executions.ts';
import { OPS_STYLE_HASH, opsErrorPage, opsExecutionPage, opsListPage } from '../services/ops-pages.ts';
import { countBounces } from '../services/cycles.ts';
import { errorPage, htmlPage, pageSecurityHeaders } from './middleware/html-pages.ts';
import { logger } from './middleware/logger.ts';

/**
 * The ops page: GET /ops lists the program-cycle executions, GET /ops/executions/<name> shows one
 * as a timeline of phases with the participants' progress (counts only) and any failure with its
 * cause. It reads executions through the Step Functions API, never a copy; on AWS the route is
 * behind IAM authorization.
 */
const EXECUTION_PATH = /^\/ops\/executions\/([A-Za-z0-9._-]{1,80})\/?$/;

let executions: StepFunctionsExecutionHistory | undefined;

function query(): ExecutionsQuery {
  executions ??= configuredExecutionHistory(container().env);
  return new ExecutionsQuery(executions);
}

async function route(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  if (method !== 'GET' && method !== 'HEAD') return htmlPage(405, opsErrorPage(405, 'Only GET is allowed here.'), { allow: 'GET, HEAD' });
  const respond = (status: number, body: string) => htmlPage(status, method === 'HEAD' ? '' : body);
  const path = event.rawPath.replace(/\/+$/, '') || '/';
  if (path === '/ops') {
    const status = event.queryStringParameters?.status?.toUpperCase();
    const filter = status && (EXECUTION_STATUSES as readonly string[]).includes(status) ? status : undefined;
    const executions = await query().list({ limit: 200, ...(filter ? { status: filter } : {}) });
    return respond(200, opsListPage({ executions, ...(filter ? { status: filter } : {}) }));
  }
  const match = EXECUTION_PATH.exec(event.rawPath);
  if (!match) return respond(404, opsErrorPage(404, 'There is no such page.'));
  const name = match[1] as string;
  const q = query();
  try {
    const [description, history] = await Promise.all([q.describe(name), q.history(name)]);
    const { store } = container();
    const cycle = await store.getCycle(name);
    const bounces = cycle ? await countBounces(store, cycle) : undefined;
    return respond(200, opsExecutionPage({ description, history, ...(cycle ? { cycle } : {}), ...(bounces !== undefined ? { bounces } : {}) }));
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ValidationError) return respond(404, opsErrorPage(404, `There is no execution named ${name}.`));
    throw error;
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpHeaderNormalizer())
  .use(pageSecurityHeaders({ styleHash: OPS_STYLE_HASH, formAction: "'none'" }))
  .use(errorPage('ops request failed', () => opsErrorPage(500, 'The executions could not be read just now. Try again; the function log has the cause.')))
  .handler(route);
