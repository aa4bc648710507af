/**
 * npm run bench:pages — server-side time of every participant page on the local stack.
 *
 * Starts the local stack (free ports, in-memory DynamoDB Local), stores a program with a
 * generated roster (1,000 people by default), identifies the pairs, opens every answered phase,
 * then plays `sample` members through every page: invitation (GET), accept with goals (POST),
 * check-in (GET, POST), measure (GET, POST), feedback with the forum (GET, POST), a vote (POST)
 * and the opt-out confirm page (GET). Each request goes through the survey-api Lambda handler as
 * on AWS; "server" is the handler's time (DynamoDB calls included), "http" the round trip through
 * the local HTTP server. Prints p50/p95/max per page; the first 5 members only warm up.
 *
 * Usage: npx tsx bench/pages.ts [participants=1000] [sample=200]
 */
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { quantile } from 'd3-array';
import { container } from '../adapters/container.ts';
import { demoProgram } from '../cli/demo/run-demo.ts';
import { newCycle } from '../domain/cycle.ts';
import { generateRoster, SAMPLE_SKILLS } from '../domain/roster-generator.ts';
import { invokeFunction } from '../local/lambda-runtime.ts';
import { startLocalStack } from '../local/stack.ts';

const participants = Number(process.argv[2] ?? 1000);
const sample = Number(process.argv[3] ?? 200);
/** The first members warm the handler up (module loading, connections); their times are not counted. */
const WARM_UP = 5;

const server = new Map<string, number[]>();
const http = new Map<string, number[]>();
const record = (map: Map<string, number[]>, label: string, ms: number) => map.set(label, [...(map.get(label) ?? []), ms]);

function event(method: string, path: string, body = ''): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: '127.0.0.1',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${performance.now()}`,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** One request through the handler (timed as server time), then the same through HTTP for the round trip (GET only: a GET changes nothing). */
async function request(label: string, baseUrl: string, method: 'GET' | 'POST', path: string, body = ''): Promise<string> {
  const started = performance.now();
  const result = (await invokeFunction('survey-api', event(method, path, body), 30_000)) as APIGatewayProxyStructuredResultV2;
  record(server, label, performance.now() - started);
  if (method === 'GET') {
    const t = performance.now();
    await (await fetch(`${baseUrl}${path}`)).text();
    record(http, label, performance.now() - t);
  }
  if ((result.statusCode ?? 500) >= 400) throw new Error(`${label} answered ${result.statusCode}`);
  return String(result.body ?? '');
}

const attr = (attrs: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
/** The body a person would post for the form with this action: hidden fields, plus a value for each control. */
function fill(html: string, action: string, value: (name: string, type: string) => string | undefined): string {
  for (const [, inner] of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const controls = [...(inner ?? '').matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map(([, tag, attrs]) => ({
      name: attr(attrs ?? '', 'name'),
      type: tag === 'input' ? attr(attrs ?? '', 'type') || 'text' : (tag as string),
      value: attr(attrs ?? '', 'value'),
    }));
    if (!controls.some((c) => c.name === '_action' && c.value === action)) continue;
    const form = new URLSearchParams();
    const done = new Set<string>();
    for (const c of controls) {
      if (c.type === 'hidden') form.append(c.name, c.value);
      else if (!done.has(c.name)) {
        done.add(c.name);
        const v = value(c.name, c.type);
        if (v !== undefined) form.append(c.name, v);
      }
    }
    return form.toString();
  }
  throw new Error(`no form with _action=${action}`);
}

const answers = (name: string): string | undefined => {
  if (name === 'goal') return 'Lead a data review';
  if (name.startsWith('baseline:') || name.startsWith('rating:')) return '3';
  if (name.startsWith('attainment:')) return '60';
  if (name === 'status') return 'met';
  if (name === 'satisfaction') return '8';
  if (['worked', 'keep', 'more', 'explore', 'improve'].includes(name)) return `Idea ${Math.floor(Math.random() * 50)}`;
  if (name === 'missingSkills') return 'SQL';
  return '';
};

const percentile = (values: number[], p: number): number => quantile(values, p / 100) ?? NaN;

async function main() {
  const stack = await startLocalStack({
    ports: { dynamodb: 0, ses: 0, stepfunctions: 0, survey: 0 },
    stateDir: '.tandem/bench-pages',
    tableName: 'tandem-bench-pages',
  });
  try {
    const { store, links } = container();
    const { signer } = await links();
    const program = {
      ...demoProgram(participants, true),
      programId: `bench-pages-${Date.now()}`,
      phaseWindows: { goalSetting: 'PT1H', run: 'PT1H', measure: 'PT1H', feedback: 'PT1H' },
      checkInCadence: 'PT10M',
    };
    await store.putProgram(program);
    await store.putParticipants(program.programId, generateRoster({ size: participants, seed: 42, skills: SAMPLE_SKILLS }));
    const cycle = newCycle(program, `${program.programId}-c1`, Date.now());
    await store.createCycle(cycle);
    await invokeFunction('identify', { cycleId: cycle.cycleId });
    for (const phase of ['goal-setting', 'run', 'measure', 'feedback']) await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase });
    const members = (await store.listMembers(cycle.cycleId)).slice(0, sample + WARM_UP);
    console.log(
      `${participants} people on the roster, ${(await store.getCycle(cycle.cycleId))?.participants} in the cycle; ${members.length} of them play every page.`,
    );
    const expiresAt = Math.floor(Date.now() / 1000) + 7200;
    const path = (participantId: string, phaseKey: string) => `/s/${signer.sign({ cycleId: cycle.cycleId, participantId, phaseKey, expiresAt })}`;

    for (const [i, m] of members.entries()) {
      if (i === WARM_UP) {
        server.clear();
        http.clear();
      }
      const goal = path(m.participantId, 'goal-setting');
      const invitation = await request('invitation GET', stack.endpoints.survey, 'GET', goal);
      await request('accept + goals POST', stack.endpoints.survey, 'POST', goal, fill(invitation, 'answer', answers));
      const checkIn = path(m.participantId, 'run#1');
      await request(
        'check-in POST',
        stack.endpoints.survey,
        'POST',
        checkIn,
        fill(await request('check-in GET', stack.endpoints.survey, 'GET', checkIn), 'answer', answers),
      );
      const measure = path(m.participantId, 'measure');
      await request(
        'measure POST',
        stack.endpoints.survey,
        'POST',
        measure,
        fill(await request('measure GET', stack.endpoints.survey, 'GET', measure), 'answer', answers),
      );
      const feedback = path(m.participantId, 'feedback');
      const after = await request(
        'feedback POST',
        stack.endpoints.survey,
        'POST',
        feedback,
        fill(await request('feedback GET', stack.endpoints.survey, 'GET', feedback), 'answer', answers),
      );
      if (after.includes('name="suggestion"'))
        await request(
          'vote POST',
          stack.endpoints.survey,
          'POST',
          feedback,
          fill(after, 'vote', () => undefined),
        );
      await request('opt-out GET', stack.endpoints.survey, 'GET', path(m.participantId, 'opt-out'));
    }

    const rows = [...server.entries()].map(([label, times]) => {
      const round = http.get(label);
      return `| ${label} | ${times.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${Math.max(...times).toFixed(1)} | ${round ? percentile(round, 95).toFixed(1) : '—'} |`;
    });
    const all = [...server.values()].flat();
    console.log(
      `\n| Page | Requests | Server p50 (ms) | Server p95 (ms) | Server max (ms) | HTTP round trip p95 (ms) |\n|---|---|---|---|---|---|\n${rows.join('\n')}`,
    );
    console.log(
      `\nAll pages: ${all.length} requests, server p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms (budget 50 ms).`,
    );
    if (percentile(all, 95) > 50) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

await main();
