/**
 * npm run bench:cycle — runs the main job (`npm start`) for 24, 1,000 and 10,000 participants and
 * records the funnel (invited, joined, members, pairs, answers per phase), wall time, peak memory
 * (the Node process, the simulated participants' process and DynamoDB Local's JVM, sampled from /proc),
 * the execution's history events and its largest state input or output (the demo reads them from
 * the local engine's GetExecutionHistory), with the load average before and after.
 * Usage: npm run bench:cycle [-- 24 1000 10000]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { DemoSummary } from '../cli/demo/run-demo.ts';

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid);
  return found;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The whole local stack runs in the demo's one Node process, and the SES stand-in keeps every email in memory: 10,000 people need more than Node's default heap. */
const HEAP_MB = 6144;

async function run(participants: number) {
  const started = Date.now();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, 'cli/bin/tandem.js', 'demo', '--participants', String(participants), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  // The demo's progress lines (and any errors) go to this process's stderr, to follow a long run.
  child.stderr.pipe(process.stderr);
  let peakTotal = 0;
  let peakLargest = 0;
  const sampler = setInterval(() => {
    const sizes = descendants(child.pid as number).map(rssKb);
    peakTotal = Math.max(
      peakTotal,
      sizes.reduce((a, b) => a + b, 0),
    );
    peakLargest = Math.max(peakLargest, ...sizes);
  }, 200);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) || '{}') as Partial<DemoSummary>;
  return {
    participants,
    exitCode: code,
    status: summary.status,
    invited: summary.invited,
    joined: summary.joined,
    members: summary.participants,
    pairs: summary.pairs,
    emailsSent: summary.emailsSent,
    answers: summary.responses,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    peakMemoryMb: Math.round(peakTotal / 1024),
    largestProcessMb: Math.round(peakLargest / 1024),
    historyEvents: summary.history?.events,
    largestStatePayloadBytes: summary.history?.largestPayloadBytes,
    largestStatePayloadState: summary.history?.largestPayloadState,
    payloadsOver256KiB: summary.history?.truncatedPayloads,
    ...(summary.failure ? { failure: summary.failure } : {}),
    loadAverage: { before: loadBefore, after: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') },
  };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const size of sizes.length ? sizes : [24, 1000, 10_000]) {
  const result = await run(size);
  console.log(JSON.stringify(result));
}
