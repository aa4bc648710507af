import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { expectNoInternals, FUZZ_TIMEOUT, hostileText, rawFormFragment, runs } from '../support/fuzz.ts';

/*
 * Hostile request bodies at the running local stack's endpoints (issue #15): the fault-injection
 * control endpoint in front of SES, the SES v2 stand-in, the Step Functions endpoint, and the survey
 * server (participant links, session pages, the console, the ops page). Properties: never a 5xx (AWS
 * answers these requests with 4xx too: malformed JSON, validation, unknown operations or resources),
 * no internals in the answer, and every endpoint still answers after the run.
 *
 * Nothing here may disturb the other integration tests sharing the stack: a fault the fuzz manages to
 * register only matches a text no real request holds; emails go to @fuzz.example.com; executions are
 * only started with input that is not JSON (refused), and stopped or redriven only under names no test uses.
 */

const stack = () => inject('localStack');

async function send(url: string, init: RequestInit): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  return { status: response.status, text: await response.text() };
}

/** Percent-encodes any text, lone surrogates included (as U+FFFD, the way a browser sends them); encodeURIComponent throws on those. */
const uri = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

function expectNoServerError(answer: { status: number; text: string }, where: string): void {
  expect(answer.status, `${where}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expectNoInternals(answer.text, where);
}

/** A body in any of the ways a client can get one wrong: any bytes, any text, any JSON. */
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.json().map((j) => j),
  hostileText,
);

describe('hostile bodies at the local stack’s endpoints', () => {
  it('the fault-injection control endpoint refuses what is not a fault with a 4xx naming the field', { timeout: FUZZ_TIMEOUT }, async () => {
    const url = `${stack().endpoints.sesApi}/__tandem/faults`;
    const shaped = fc
      .record(
        {
          match: hostileText.map((t) => `fuzz-never-${randomUUID()}-${t}`),
          failures: fc.oneof(fc.integer(), fc.double(), hostileText, fc.constant(null)),
          status: fc.oneof(fc.integer({ min: 0, max: 1000 }), hostileText, fc.constant(undefined)),
          errorType: fc.oneof(hostileText, fc.json(), fc.constant(undefined)),
        },
        { requiredKeys: ['match'] },
      )
      .map((r) => JSON.stringify(r));
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody, shaped), fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'), async (body, method) => {
        const answer = await send(url, { method, body });
        expectNoServerError(answer, `faults ${method}`);
        if (answer.status === 400) expect(answer.text).toMatch(/"message":"[^"]+/);
      }),
      { numRuns: runs(60) },
    );
  });

  it('the SES v2 stand-in answers hostile SendEmail, template and unknown calls without a 5xx', { timeout: FUZZ_TIMEOUT }, async () => {
    const sesApi = stack().endpoints.sesApi;
    const address = fc.oneof(hostileText, fc.constant('someone@fuzz.example.com')).map((a) => (a.includes('@') ? a : `${a}@fuzz.example.com`));
    const sendEmail = fc
      .record({
        FromEmailAddress: fc.oneof(address, fc.json()),
        Destination: fc.oneof(fc.record({ ToAddresses: fc.array(address, { maxLength: 3 }) }), hostileText, fc.json()),
        Content: fc.oneof(
          fc.record({ Simple: fc.record({ Subject: fc.record({ Data: hostileText }), Body: fc.record({ Text: fc.record({ Data: hostileText }) }) }) }),
          fc.record({ Template: fc.record({ TemplateName: hostileText, TemplateData: fc.oneof(hostileText, fc.json()) }) }),
          fc.record({ Raw: fc.record({ Data: hostileText }) }),
          fc.json(),
        ),
      })
      .map((r) => JSON.stringify(r));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/v2/email/outbound-emails',
          '/v2/email/outbound-bulk-emails',
          '/v2/email/templates',
          `/v2/email/templates/fuzz-${randomUUID()}`,
          '/v2/nope',
          '/',
        ),
        fc.constantFrom('POST', 'PUT'),
        fc.oneof(anyBody, sendEmail),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        async (path, method, body, contentType) => {
          const answer = await send(`${sesApi}${path}`, { method, body, headers: contentType ? { 'content-type': contentType } : {} });
          expectNoServerError(answer, `SES ${method} ${path}`);
        },
      ),
      { numRuns: runs(80) },
    );
  });

  it('the Step Functions endpoint answers hostile requests with AWS’s 4xx errors, never a 5xx', { timeout: FUZZ_TIMEOUT }, async () => {
    const { endpoints, stateMachineArn } = stack();
    const executionArn = stateMachineArn.replace(':stateMachine:', ':execution:');
    const arn = fc.oneof(
      hostileText,
      fc.constant(stateMachineArn),
      hostileText.map((t) => `${executionArn}:fuzz-${randomUUID()}${t}`),
    );
    const notJson = hostileText.map((t) => `not json ${t}`);
    const request = fc.oneof(
      fc.record({ stateMachineArn: arn, name: fc.oneof(hostileText, fc.constant(undefined)), input: notJson }).map((r) => ['StartExecution', r] as const),
      fc.record({ stateMachineArn: hostileText, input: fc.oneof(hostileText, fc.constant('{}')) }).map((r) => ['StartExecution', r] as const),
      fc.record({ executionArn: arn }).map((r) => ['DescribeExecution', r] as const),
      fc
        .record({ stateMachineArn: arn, maxResults: fc.oneof(fc.integer(), fc.double(), hostileText), nextToken: hostileText, statusFilter: hostileText })
        .map((r) => ['ListExecutions', r] as const),
      fc
        .record({
          executionArn: arn,
          maxResults: fc.oneof(fc.integer(), hostileText),
          reverseOrder: fc.oneof(fc.boolean(), hostileText),
          nextToken: hostileText,
        })
        .map((r) => ['GetExecutionHistory', r] as const),
      fc
        .record({ executionArn: hostileText.map((t) => `${executionArn}:fuzz-${randomUUID()}${t}`), error: hostileText, cause: hostileText })
        .map((r) => ['StopExecution', r] as const),
      fc
        .record({ executionArn: hostileText.map((t) => `${executionArn}:fuzz-${randomUUID()}${t}`), clientToken: hostileText })
        .map((r) => ['RedriveExecution', r] as const),
      fc.record({ maxResults: fc.oneof(fc.integer(), hostileText), nextToken: hostileText }).map((r) => ['ListStateMachines', r] as const),
      fc.tuple(hostileText, fc.json()).map(([action, body]) => [action, body] as const),
    );
    await fc.assert(
      fc.asyncProperty(request, fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: anyBody, weight: 1 }), async ([action, body], raw) => {
        const answer = await send(endpoints.stepfunctions, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action.replace(/[^\x20-\x7e]/g, '?')}` },
          body: raw ?? JSON.stringify(body),
        });
        expectNoServerError(answer, `Step Functions ${action}`);
        if (answer.status >= 400) expect(answer.text).toMatch(/"__type":"\w+"/);
      }),
      { numRuns: runs(80) },
    );
  });

  it('the survey server (links, session pages, console, ops page) answers hostile requests without a 5xx', { timeout: FUZZ_TIMEOUT }, async () => {
    const base = stack().endpoints.survey;
    const path = fc.oneof(
      fc.constantFrom('/s/', '/session/', '/console/', '/console/programs', '/console/roster', '/ops', '/ops/executions/'),
      hostileText.map((t) => `/s/${uri(t)}`),
      hostileText.map((t) => `/session/${uri(t)}`),
      hostileText.map((t) => `/console/${uri(t)}`),
      fc.string({ unit: fc.constantFrom('A', 'z', '0', '.', '_', '-'), minLength: 1, maxLength: 1200 }).map((t) => `/s/${t}`),
    );
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'multipart/form-data; boundary=',
      'text/plain',
      'application/json',
      '',
    );
    const body = fc.oneof(anyBody, rawFormFragment, fc.constant('--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid\r\n--x--'));
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
        body,
        contentType,
        hostileText,
        hostileText,
        async (p, method, b, type, query, cookie) => {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          const printable = (t: string) => t.replace(/[^\x20-\x7e]/g, '');
          if (printable(cookie)) headers.cookie = `tandem_console=${printable(cookie)}`;
          const answer = await send(`${base}${p}?answer=${uri(query)}`, {
            method,
            headers,
            ...(method === 'GET' || method === 'HEAD' ? {} : { body: b }),
          });
          expectNoServerError(answer, `survey server ${method} ${p.slice(0, 80)}`);
        },
      ),
      { numRuns: runs(80) },
    );
  });

  it('leaves every endpoint answering after the fuzz', async () => {
    const { endpoints } = stack();
    expect((await send(`${endpoints.sesApi}/__tandem/faults`, { method: 'GET' })).status).toBe(200);
    expect((await send(`${endpoints.ses}/v2/email/account`, { method: 'GET' })).status).toBe(200);
    const machines = await send(endpoints.stepfunctions, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}',
    });
    expect(machines.status).toBe(200);
    expect((await send(`${endpoints.survey}/s/not-a-token`, { method: 'GET' })).status).toBe(403);
  });
});
