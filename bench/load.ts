/**
 * npm run bench:load — the survey API under a fixed load on the local stack: `--rate` requests a
 * second for `--seconds`, a mix of page views (GET) and answer posts (POST), every post from a
 * different participant's link so each one is a real write, never an idempotent replay.
 *
 * Starts the local stack (DynamoDB Local in memory, free ports), stores a program and a cycle with
 * enough members for every post, opens the measure phase (the workflow's open-phase function), and
 * signs real links with the signer the emails use. autocannon runs in a child process
 * (bench/load-driver.ts) against the local survey server, which calls the survey-api Lambda handler
 * as API Gateway would. Afterwards the store must hold exactly one answer per accepted post (and the
 * cycle's counter the same number). Prints p50/p90/p99/max latency and the achieved rate.
 * Exits 1 when a response was not 2xx/3xx, a socket failed, the answers stored differ, or the rate
 * was not held (achieved below 95 % of the target). A benchmark, not a test: measure on a quiet machine.
 *
 * Usage: npm run bench:load [-- --rate 200 --seconds 60 --post-share 0.3 --connections 100]
 *        Profile the server side (this process; the load generator is a child): node --cpu-prof --cpu-prof-dir .tandem/profiles --import tsx bench/load.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { container } from '../adapters/container.ts';
import { newCycle, type Member } from '../domain/cycle.ts';
import { programSchema, type ProgramInput } from '../domain/program.ts';
import { invokeFunction } from '../local/lambda-runtime.ts';
import { startLocalStack } from '../local/stack.ts';
import { formBinding } from '../services/form-binding.ts';
import type { DriverOutput, LoadPlan } from './load-driver.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    'post-share': { type: 'string', default: '0.3' },
    connections: { type: 'string', default: '100' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const postShare = Number(values['post-share']);
const connections = Number(values.connections);
if (!Number.isInteger(rate) || rate < 1 || !Number.isInteger(seconds) || seconds < 1 || !(postShare >= 0 && postShare <= 1) || !(connections >= 1)) {
  console.error('usage: npm run bench:load [-- --rate <requests a second> --seconds <whole number> --post-share <0..1, tenths> --connections <n>]');
  process.exit(2);
}
/** The rate counts as held when the run achieved at least this share of it. */
const HELD = 0.95;
const PHASE = 'measure';
/** Two skills each (one taught, one learned), so every form asks two ratings. */
const SKILLS = ['data-visualisation', 'cloud-tools'] as const;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const stateDir = `.tandem/bench-load-${process.pid}`;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const loadAverage = () => loadavg().map((n) => round(n, 2));

const stack = await startLocalStack({ ports: { dynamodb: 0, ses: 0, stepfunctions: 0, survey: 0, oidc: 0 }, stateDir, tableName: 'tandem-bench-load' });
try {
  const sample = JSON.parse(readFileSync(new URL('../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
  const program = programSchema.parse({
    ...sample,
    programId: 'bench-load',
    phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' },
  });
  const cycle = newCycle(program, 'bench-load-c1', Date.now());
  // One member per post (with a tenth spare: autocannon's mix is exact, but a spare costs nothing).
  const memberCount = Math.max(10, Math.ceil(rate * seconds * postShare * 1.1));
  const members: Member[] = Array.from({ length: memberCount }, (_, i) => ({
    participantId: `p${String(i + 1).padStart(6, '0')}`,
    name: `Participant ${i + 1}`,
    email: `p${i + 1}@bench.example.com`,
    department: 'IT',
    language: i % 2 ? 'en' : 'pt-BR',
    skillsOffered: [SKILLS[i % 2] as string],
    skillsWanted: [SKILLS[(i + 1) % 2] as string],
    teaches: [SKILLS[i % 2] as string],
    learns: [SKILLS[(i + 1) % 2] as string],
    partners: [],
  }));
  const { store, links } = container();
  const { signer } = await links();
  await store.putProgram(program);
  await store.createCycle(cycle);
  await store.putCohort(cycle.cycleId, members, []);
  await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase: PHASE });

  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const linkOf = (m: Member) => signer.sign({ cycleId: cycle.cycleId, participantId: m.participantId, phaseKey: PHASE, expiresAt });
  const tokens = members.map(linkOf);
  const plan: LoadPlan = {
    url: stack.endpoints.survey,
    rate,
    durationSeconds: seconds,
    connections,
    postShare,
    pages: tokens.map((token) => `/s/${token}`),
    posts: members.map((m, i) => {
      const token = tokens[i] as string;
      const form = new URLSearchParams({ _bind: formBinding(signer, token), _action: 'answer' });
      for (const skill of [...m.teaches, ...m.learns]) form.append(`rating:${skill}`, String(1 + (i % 5)));
      return { path: `/s/${token}`, body: form.toString() };
    }),
  };
  const planFile = resolve(stateDir, 'load-plan.json');
  writeFileSync(planFile, JSON.stringify(plan));

  // Warm the handler up (module loading, the DynamoDB connection pool) with page views only: they change nothing.
  for (const path of plan.pages.slice(0, 20)) await (await fetch(`${stack.endpoints.survey}${path}`)).text();

  const loadBefore = loadAverage();
  console.error(
    `${memberCount} members in cycle ${cycle.cycleId}; driving ${rate} req/s for ${seconds} s (${Math.round(postShare * 100)}% answer posts, ${connections} connections)…`,
  );
  const output = await drive(planFile);
  const loadAfter = loadAverage();

  const { result, statuses } = output;
  const stored = (await store.listResponses(cycle.cycleId, PHASE)).length;
  const counter = (await store.getCycle(cycle.cycleId))?.responses?.[PHASE] ?? 0;
  const ok = (counts: Record<string, number>) => Object.entries(counts).reduce((n, [status, c]) => n + (Number(status) < 400 ? c : 0), 0);
  const acceptedPosts = ok(statuses.post);
  const badResponses = result.non2xx - count(statuses, (s) => s >= 300 && s < 400);
  const achievedRate = result.requests.total / result.duration;
  const report = {
    date: new Date().toISOString(),
    command: `npm run bench:load -- --rate ${rate} --seconds ${seconds} --post-share ${postShare} --connections ${connections}`,
    targetRate: rate,
    achievedRate: round(achievedRate),
    requests: result.requests.total,
    pageViews: output.pagesSent,
    answerPosts: output.postsSent,
    statuses,
    non2xxOr3xx: badResponses,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean) },
    answersStored: stored,
    cycleCounter: counter,
    acceptedPosts,
    loadAverage: { before: loadBefore, after: loadAfter },
    cpus: (await import('node:os')).cpus().length,
  };
  console.log(JSON.stringify(report, null, 2));
  const problems = [
    badResponses > 0 && `${badResponses} responses were neither 2xx nor 3xx`,
    result.errors > 0 && `${result.errors} socket errors (${result.timeouts} timeouts)`,
    output.postsExhausted && 'the plan ran out of distinct participants for posts',
    stored !== acceptedPosts && `${stored} answers stored for ${acceptedPosts} accepted posts`,
    counter !== stored && `the cycle counts ${counter} answers, the store holds ${stored}`,
    achievedRate < rate * HELD && `the rate was not held: ${round(achievedRate)} of ${rate} req/s`,
  ].filter(Boolean);
  for (const problem of problems) console.error(`FAILED: ${problem}`);
  if (problems.length) process.exitCode = 1;
} finally {
  await stack.stop();
  await rm(stateDir, { recursive: true, force: true });
}

function count(statuses: DriverOutput['statuses'], which: (status: number) => boolean): number {
  return Object.values(statuses)
    .flatMap((counts) => Object.entries(counts))
    .reduce((n, [status, c]) => n + (which(Number(status)) ? c : 0), 0);
}

/** Runs the load generator in its own Node process (tsx as a loader) and reads its one line of JSON. */
function drive(planFile: string): Promise<DriverOutput> {
  return new Promise((resolveOutput, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'load-driver.ts'), planFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}`));
      try {
        resolveOutput(JSON.parse(stdout) as DriverOutput);
      } catch (error) {
        reject(new Error('the load generator printed no result', { cause: error }));
      }
    });
  });
}
