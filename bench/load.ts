/**
 * npm run bench:load — the survey API under a fixed load on the local stack: `--rate` requests a
 * second for `--seconds`, a mix of page views (GET) and answer posts (POST), every post from a
 * different participant's link so each one is a real write, never an idempotent replay.
 *
 * Starts the local stack (DynamoDB Local in memory, free ports), stores a program and a cycle with
 * enough members for every post (and 300 more who view and answer first, to warm both processes up
 * outside the figures), opens the measure phase (the workflow's open-phase function), and
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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { container } from '../adapters/container.ts';
import type { Member } from '../domain/cycle.ts';
import { formBinding } from '../services/form-binding.ts';
import { benchMember, openBenchCycle, startBenchStack } from './bench-stack.ts';
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
/** Members who view and answer before the measured run, so neither process is measured cold. */
const WARM_UP = 300;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const loadAverage = () => loadavg().map((n) => round(n, 2));

const bench = await startBenchStack('load');
const { stack, stateDir } = bench;
try {
  // One member per post (with a tenth spare: autocannon's mix is exact, but a spare costs nothing), after those who warm up.
  const memberCount = Math.max(10, Math.ceil(rate * seconds * postShare * 1.1));
  const members: Member[] = Array.from({ length: WARM_UP + memberCount }, (_, i) =>
    benchMember(i, i < WARM_UP ? `w${String(i + 1).padStart(6, '0')}` : `p${String(i + 1 - WARM_UP).padStart(6, '0')}`, {
      teaches: SKILLS[i % 2] as string,
      learns: SKILLS[(i + 1) % 2] as string,
    }),
  );
  const cycle = await openBenchCycle('load', members, PHASE);
  const { store, links } = container();
  const { signer } = await links();

  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const linkOf = (m: Member) => signer.sign({ cycleId: cycle.cycleId, participantId: m.participantId, phaseKey: PHASE, expiresAt });
  const requestsOf = (m: Member, i: number) => {
    const token = linkOf(m);
    const form = new URLSearchParams({ _bind: formBinding(signer, token), _action: 'answer' });
    for (const skill of [...m.teaches, ...m.learns]) form.append(`rating:${skill}`, String(1 + (i % 5)));
    return { page: `/s/${token}`, post: { path: `/s/${token}`, body: form.toString() } };
  };
  const warmUp = members.slice(0, WARM_UP).map(requestsOf);
  const measured = members.slice(WARM_UP).map(requestsOf);
  const plan: LoadPlan = {
    url: stack.endpoints.survey,
    rate,
    durationSeconds: seconds,
    connections,
    postShare,
    pages: measured.map((r) => r.page),
    posts: measured.map((r) => r.post),
  };
  const planFile = resolve(stateDir, 'load-plan.json');
  writeFileSync(planFile, JSON.stringify(plan));

  // Warm up (module loading, connection pools, and above all the JIT of DynamoDB Local's JVM) with members of their own, outside the figures.
  const limit = pLimit(10);
  await Promise.all(
    warmUp.map(({ page, post }) =>
      limit(async () => {
        await (await fetch(`${stack.endpoints.survey}${page}`)).text();
        const posted = await fetch(`${stack.endpoints.survey}${post.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: post.body,
        });
        if (posted.status !== 200) throw new Error(`a warm-up answer was refused with ${posted.status}: ${await posted.text()}`);
      }),
    ),
  );

  const dynamoDbCalls = countDynamoDbCalls();
  const dynamoDbLocal = dynamoDbLocalPid(new URL(stack.endpoints.dynamodb).port);
  const cpuBefore = { server: process.cpuUsage(), dynamodb: cpuSecondsOf(dynamoDbLocal) };
  const loadBefore = loadAverage();
  console.error(
    `${memberCount} members in cycle ${cycle.cycleId}; driving ${rate} req/s for ${seconds} s (${Math.round(postShare * 100)}% answer posts, ${connections} connections)…`,
  );
  const output = await drive(planFile);
  const loadAfter = loadAverage();
  const serverCpu = process.cpuUsage(cpuBefore.server);
  const dynamodbCpu = cpuSecondsOf(dynamoDbLocal);
  const callsDuringRun = dynamoDbCalls.stop();

  const { result, statuses } = output;
  const answers = await store.listResponses(cycle.cycleId, PHASE);
  const stored = answers.length - WARM_UP;
  const counter = ((await store.getCycle(cycle.cycleId))?.responses?.[PHASE] ?? 0) - WARM_UP;
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
    cpus: cpus().length,
    // CPU time per request of each process: what the target rate needs in cores on a machine of its own.
    cpuMsPerRequest: {
      server: round((serverCpu.user + serverCpu.system) / 1e3 / result.requests.total, 2),
      dynamodbLocal:
        dynamodbCpu === undefined || cpuBefore.dynamodb === undefined ? null : round(((dynamodbCpu - cpuBefore.dynamodb) * 1e3) / result.requests.total, 2),
      loadGenerator: round((output.cpuSeconds * 1e3) / result.requests.total, 2),
    },
    // DynamoDB calls the server made while the load ran, per request and by operation (each costs DynamoDB Local CPU, and the SDK's own).
    dynamodbCallsPerRequest: round(Object.values(callsDuringRun).reduce((a, b) => a + b, 0) / result.requests.total, 2),
    dynamodbCalls: callsDuringRun,
    itemBytes: {
      cycle: itemBytes(await store.getCycle(cycle.cycleId)),
      member: itemBytes(members[0]),
      answer: itemBytes(answers[0]),
    },
  };
  console.log(JSON.stringify(report, null, 2));
  const problems = [
    badResponses > 0 && `${badResponses} responses were neither 2xx nor 3xx`,
    result.errors > 0 && `${result.errors} socket errors (${result.timeouts} timeouts)`,
    output.postsExhausted && 'the plan ran out of distinct participants for posts',
    stored !== acceptedPosts &&
      `${stored} answers stored for ${acceptedPosts} accepted posts (${output.postsSent - acceptedPosts} posts had no 2xx/3xx answer in time; the server may have stored them after autocannon gave up)`,
    counter !== stored && `the cycle counts ${counter} answers, the store holds ${stored}`,
    achievedRate < rate * HELD && `the rate was not held: ${round(achievedRate)} of ${rate} req/s`,
  ].filter(Boolean);
  for (const problem of problems) console.error(`FAILED: ${problem}`);
  if (problems.length) process.exitCode = 1;
} finally {
  await bench.stop();
}

/**
 * Counts the DynamoDB commands this process sends until stopped, by command name. Both the low-level
 * client and the document client (a separate client class) send through the SDK's base Client,
 * whose `send` is wrapped here: a bench measuring itself, not code that ships.
 */
function countDynamoDbCalls(): { stop(): Record<string, number> } {
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (this: object, command: object, ...rest: unknown[]) => unknown };
  const send = base.send;
  const counts: Record<string, number> = {};
  base.send = function (this: object, command: object, ...rest: unknown[]) {
    const name = command.constructor.name;
    if (this.constructor.name.startsWith('DynamoDB')) counts[name] = (counts[name] ?? 0) + 1;
    return send.call(this, command, ...rest);
  };
  return {
    stop() {
      base.send = send;
      return counts;
    },
  };
}

/** The DynamoDB Local (Java) process serving this port, found in /proc (Linux); undefined elsewhere. */
function dynamoDbLocalPid(port: string): number | undefined {
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.includes('DynamoDBLocal')) && args[args.indexOf('-port') + 1] === port) return Number(pid);
    }
  } catch {
    // No /proc (not Linux), or a process ended while listed: the figure is left out.
  }
  return undefined;
}

/** User + system CPU seconds of a process from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** An item's size as DynamoDB counts it, roughly: its attribute names and values as JSON text (keys and bookkeeping attributes not included). */
function itemBytes(record: unknown): number {
  return Buffer.byteLength(JSON.stringify(record ?? {}));
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
