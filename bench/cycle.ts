/**
 * npm run bench:cycle — runs the main job (`npm start`) for 24 and 1,000 participants and
 * records wall time and peak memory (the Node process and DynamoDB Local's JVM, sampled from /proc).
 * Usage: npm run bench:cycle [-- 24 1000]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

async function run(participants: number) {
  const started = Date.now();
  const child = spawn(process.execPath, ['cli/bin/tandem.js', 'demo', '--participants', String(participants), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', () => undefined);
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
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    status?: string;
    pairs?: number;
    emailsSent?: number;
    responses?: Record<string, number>;
  };
  return {
    participants,
    exitCode: code,
    status: summary.status,
    pairs: summary.pairs,
    emailsSent: summary.emailsSent,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    peakMemoryMb: Math.round(peakTotal / 1024),
    largestProcessMb: Math.round(peakLargest / 1024),
  };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const size of sizes.length ? sizes : [24, 1000]) {
  const result = await run(size);
  console.log(JSON.stringify(result));
}
