/**
 * `npm run bench:match` — time, peak memory and quality of the matchers on generated rosters.
 *
 *   tsx bench/match.ts [--sizes 100,1000,5000,10000] [--seed 42] [--mode reverse|mutual] [--objective best-score|max-pairs]
 *                      [--rounds N] [--candidates K] [--deadline SECONDS] [--full-graph-up-to PAIRS]
 *                      [--no-greedy] [--no-pin]
 *
 * Every measurement runs in its own Node process (so each peak RSS is that run's own), pinned
 * to one core with `taskset -c 0` when taskset exists. Prints a Markdown table (for
 * docs/matching.md) and, with --json, one JSON line per run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GreedyMatcher } from '../domain/matching/greedy-matcher.ts';
import type { MatchContext, Matcher } from '../domain/matching/matcher.ts';
import { OptimalMatcher, type OptimalMatchResult } from '../domain/matching/optimal-matcher.ts';
import { matchingSettingsSchema } from '../domain/program.ts';
import { generateRoster, SAMPLE_SKILLS } from '../domain/roster-generator.ts';

interface Run {
  matcher: string;
  size: number;
  eligible: number;
  pairs: number;
  totalScore: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  proven?: boolean;
  upperBound?: number;
  pricingRounds?: number;
  stoppedAtDeadline?: boolean;
  allowedPairs?: number;
  solvedPairs?: number;
  timings?: OptimalMatchResult['stats']['timings'];
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? (args[at + 1] as string) : fallback;
};

function context(): MatchContext {
  return {
    settings: matchingSettingsSchema.parse({
      mode: option('mode', 'reverse'),
      objective: option('objective', 'best-score'),
      favouredDepartmentPairs: [
        ['Sales', 'Marketing'],
        ['Customer Relations', 'Product Marketing'],
      ],
    }),
    skillsCatalog: SAMPLE_SKILLS,
    recentPairs: [],
    referenceYear: 2025,
  };
}

/** One measurement, in this process. */
function child(): void {
  const size = Number(option('size', '1000'));
  const which = option('matcher', 'optimal');
  const roster = generateRoster({ size, seed: Number(option('seed', '42')) });
  const ctx = context();
  const rounds = option('rounds', '');
  const candidates = option('candidates', '');
  const deadline = option('deadline', '');
  const fullGraphUpTo = option('full-graph-up-to', '');
  const matcher: Matcher =
    which === 'greedy'
      ? new GreedyMatcher()
      : new OptimalMatcher({
          ...(rounds ? { maxPricingRounds: Number(rounds) } : {}),
          ...(candidates ? { candidatesPerPerson: Number(candidates) } : {}),
          ...(deadline ? { deadlineMs: Number(deadline) * 1000 } : {}),
          ...(fullGraphUpTo ? { fullGraphUpTo: Number(fullGraphUpTo) } : {}),
        });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = matcher.match(roster, ctx);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stats = (result as Partial<OptimalMatchResult>).stats;
  const run: Run = {
    matcher:
      which === 'greedy'
        ? 'greedy'
        : rounds
          ? `optimal (≤${rounds} pricing round${rounds === '1' ? '' : 's'})`
          : deadline
            ? `optimal (deadline ${deadline} s)`
            : 'optimal (exact)',
    size,
    eligible: roster.filter((p) => p.status === 'active').length,
    pairs: result.pairs.length,
    totalScore: Math.round(result.pairs.reduce((sum, p) => sum + p.score * 100, 0)) / 100,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...(stats
      ? {
          proven: stats.proven,
          upperBound: stats.upperBound,
          pricingRounds: stats.pricingRounds,
          stoppedAtDeadline: stats.stoppedAtDeadline,
          allowedPairs: stats.allowedPairs,
          solvedPairs: stats.solvedPairs,
          timings: stats.timings,
        }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function measure(extra: string[]): Run | undefined {
  const self = fileURLToPath(import.meta.url);
  const node = [process.execPath, '--import', 'tsx', self, '--child', ...extra];
  const pin = !flag('no-pin') && spawnSync('taskset', ['--version']).status === 0;
  const command = pin ? ['taskset', '-c', '0', ...node] : node;
  const out = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) {
    process.stderr.write(`run ${extra.join(' ')} failed:\n${out.stderr}\n`);
    return undefined;
  }
  const line = out.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Run;
}

function main(): void {
  const sizes = option('sizes', '100,1000,5000,10000').split(',').map(Number);
  const common = ['--seed', option('seed', '42'), '--mode', option('mode', 'reverse'), '--objective', option('objective', 'best-score')];
  const rounds = option('rounds', '');
  const candidates = option('candidates', '');
  const deadline = option('deadline', '');
  const fullGraphUpTo = option('full-graph-up-to', '');
  const rows: string[] = [];
  rows.push('| people | matcher | pairs | total score | vs optimum | proven gap | time (s) | CPU (s) | peak RSS (MB) |');
  rows.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const size of sizes) {
    const optimal = measure([
      ...common,
      '--size',
      String(size),
      '--matcher',
      'optimal',
      ...(rounds ? ['--rounds', rounds] : []),
      ...(candidates ? ['--candidates', candidates] : []),
      ...(deadline ? ['--deadline', deadline] : []),
      ...(fullGraphUpTo ? ['--full-graph-up-to', fullGraphUpTo] : []),
    ]);
    const greedy = flag('no-greedy') ? undefined : measure([...common, '--size', String(size), '--matcher', 'greedy']);
    for (const run of [optimal, greedy]) {
      if (!run) continue;
      if (flag('json')) process.stdout.write(`${JSON.stringify(run)}\n`);
      const best = optimal?.proven ? optimal.totalScore : undefined;
      const versus = best
        ? `${((run.totalScore / best) * 100).toFixed(2)} %`
        : optimal?.upperBound
          ? `≥ ${((run.totalScore / optimal.upperBound) * 100).toFixed(2)} %`
          : '';
      const gap =
        run.proven === undefined
          ? ''
          : run.proven
            ? '0 (proven optimal)'
            : `≤ ${(run.upperBound ?? 0) - run.totalScore > 0 ? ((((run.upperBound ?? 0) - run.totalScore) / run.totalScore) * 100).toFixed(2) : '0'} %`;
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${run.matcher} | ${run.pairs} | ${run.totalScore.toFixed(2)} | ${versus} | ${gap} | ${run.seconds.toFixed(2)} | ${run.cpuSeconds.toFixed(2)} | ${Math.round(run.maxRssMb)} |`,
      );
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

if (flag('child')) child();
else main();
