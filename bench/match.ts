/**
 * `npm run bench:match` — time, peak memory and quality of the matchers on generated rosters.
 *
 *   tsx bench/match.ts [--sizes 100,1000,5000,10000] [--seed 42] [--mode reverse|mutual] [--objective best-score|max-pairs]
 *                      [--rounds N] [--candidates K] [--deadline SECONDS] [--full-graph-up-to PAIRS]
 *                      [--no-greedy] [--no-pin] [--reference lemon] [--repeat N]
 *
 * `--seed` takes a list (42,43,44). `--reference lemon` also runs LEMON's MaxWeightedMatching
 * (C++, Debian package liblemon-dev; bench/lemon-reference.ts compiles bench/lemon-matching.cpp
 * at run time) on the instance Tandem's solver proves its result against: every allowed pair of
 * the cohort, capacities split as in @tandem/max-weight-matching. It prints both totals (which
 * must be equal) and both times, for sizes up to 5,000 people (the full graph of 10,000 people
 * has about 9 million edges).
 *
 * `--repeat N` runs each measurement N times (alternating Tandem and LEMON, as each run does
 * both) and keeps the least CPU time of each, so that ratios measured on a loaded machine are fair.
 *
 * Every measurement runs in its own Node process (so each peak RSS is that run's own), pinned
 * to one core with `taskset -c 0` when taskset exists. Prints a Markdown table (for
 * docs/matching.md) and, with --json, one JSON line per run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { reduceToMatching } from '@tandem/max-weight-matching';
import { GreedyMatcher } from '../domain/matching/greedy-matcher.ts';
import type { MatchContext, Matcher } from '../domain/matching/matcher.ts';
import { OptimalMatcher, type OptimalMatchResult } from '../domain/matching/optimal-matcher.ts';
import { matchingSettingsSchema } from '../domain/program.ts';
import { compileCohort, forEachAllowedPair } from '../domain/matching/scoring.ts';
import { generateRoster, SAMPLE_SKILLS } from '../domain/roster-generator.ts';
import { lemonBinary, runLemon, runTandemSolver, type LemonRun } from './lemon-reference.ts';
import type { SolverRun } from './solve-instance.ts';

interface Run {
  matcher: string;
  size: number;
  seed: number;
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
  /** The solver's work over all rounds, in counts that do not change with the machine's speed. */
  work?: OptimalMatchResult['stats']['work'];
  /**
   * LEMON on every allowed pair: its run, whether its optimum equals Tandem's result, and Tandem's
   * solver alone on the same instance in a fresh process (whose weight must equal LEMON's).
   */
  lemon?: LemonRun & { totalScore: number; equal: boolean; solver: SolverRun };
}

/** Every allowed pair with the weights the matcher gives the solver, solved by LEMON. */
function lemonReference(binary: string, roster: ReturnType<typeof generateRoster>, ctx: MatchContext, pairs: number, totalScore: number): Run['lemon'] {
  const c = compileCohort(roster, ctx);
  const from: number[] = [];
  const to: number[] = [];
  const cents: number[] = [];
  let maxCents = 0;
  forEachAllowedPair(c, (mentor, mentee, w) => {
    from.push(mentor);
    to.push(mentee);
    cents.push(w);
    maxCents = Math.max(maxCents, w);
  });
  let totalCapacity = 0;
  for (const cap of c.capacity) totalCapacity += cap;
  // As in OptimalMatcher: under max-pairs each pair carries a bonus above any total score.
  const bonus = ctx.settings.objective === 'max-pairs' ? maxCents * Math.floor(totalCapacity / 2) + 1 : 0;
  const graph = { n: c.n, capacity: c.capacity, from: Int32Array.from(from), to: Int32Array.from(to), weight: Float64Array.from(cents, (w) => w + bonus) };
  const { reduced, gadgetWeight } = reduceToMatching(graph);
  const run = runLemon(binary, reduced);
  const solver = runTandemSolver(reduced);
  const bMatchingWeight = run.weight - gadgetWeight;
  return {
    ...run,
    solver,
    totalScore: (bMatchingWeight % (bonus || Infinity)) / 100,
    equal: bMatchingWeight === Math.round(totalScore * 100) + bonus * pairs && solver.weight === run.weight,
  };
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
  const seed = Number(option('seed', '42'));
  const roster = generateRoster({ size, seed });
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
    seed,
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
          work: stats.work,
        }
      : {}),
  };
  const binary = option('lemon-binary', '');
  if (binary) run.lemon = lemonReference(binary, roster, ctx, run.pairs, run.totalScore);
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

/** The run with the least CPU time of `repeat` runs, carrying the least LEMON solve time and the least time of Tandem's solver alone of those runs. */
function measureBest(extra: string[], repeat: number): Run | undefined {
  let best: Run | undefined;
  let bestLemon: Run['lemon'];
  let bestSolver: SolverRun | undefined;
  // The least times may come from different runs: "equal" must then hold in every run.
  let everyRunEqual = true;
  for (let r = 0; r < repeat; r++) {
    const run = measure(extra);
    if (!run) return undefined;
    if (!best || run.cpuSeconds < best.cpuSeconds) best = run;
    if (run.lemon && (!bestLemon || run.lemon.solveCpuSeconds < bestLemon.solveCpuSeconds)) bestLemon = run.lemon;
    if (run.lemon && (!bestSolver || run.lemon.solver.cpuSeconds < bestSolver.cpuSeconds)) bestSolver = run.lemon.solver;
    if (run.lemon) everyRunEqual &&= run.lemon.equal;
  }
  return best && bestLemon && bestSolver ? { ...best, lemon: { ...bestLemon, solver: bestSolver, equal: everyRunEqual } } : best;
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
  const seeds = option('seed', '42').split(',');
  const reference = option('reference', '');
  if (reference && reference !== 'lemon') throw new Error(`unknown reference ${reference}: the one reference is lemon`);
  const binary = reference ? lemonBinary() : '';
  const referenceUpTo = 5000;
  const rounds = option('rounds', '');
  const candidates = option('candidates', '');
  const deadline = option('deadline', '');
  const fullGraphUpTo = option('full-graph-up-to', '');
  const repeat = Math.max(1, Number(option('repeat', '1')));
  const rows: string[] = [];
  const referenceRows: string[] = [];
  rows.push('| people | seed | matcher | pairs | total score | vs optimum | proven gap | time (s) | CPU (s) | peak RSS (MB) |');
  rows.push('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  referenceRows.push(
    '| people | seed | Tandem total | LEMON total | equal | Tandem CPU (s) | of which solve + pricing (wall s) | LEMON solve CPU (s) | LEMON graph build CPU (s) | Tandem solver alone on this instance, CPU (s) |',
  );
  referenceRows.push('| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const seed of seeds) {
    const common = ['--seed', seed, '--mode', option('mode', 'reverse'), '--objective', option('objective', 'best-score')];
    for (const size of sizes) {
      const optimal = measureBest(
        [
          ...common,
          '--size',
          String(size),
          '--matcher',
          'optimal',
          ...(rounds ? ['--rounds', rounds] : []),
          ...(candidates ? ['--candidates', candidates] : []),
          ...(deadline ? ['--deadline', deadline] : []),
          ...(fullGraphUpTo ? ['--full-graph-up-to', fullGraphUpTo] : []),
          ...(binary && size <= referenceUpTo ? ['--lemon-binary', binary] : []),
        ],
        repeat,
      );
      const greedy = flag('no-greedy') ? undefined : measureBest([...common, '--size', String(size), '--matcher', 'greedy'], repeat);
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
          `| ${size.toLocaleString('en-US')} | ${seed} | ${run.matcher} | ${run.pairs} | ${run.totalScore.toFixed(2)} | ${versus} | ${gap} | ${run.seconds.toFixed(2)} | ${run.cpuSeconds.toFixed(2)} | ${Math.round(run.maxRssMb)} |`,
        );
        if (run.lemon) {
          const solving = ((run.timings?.solveMs ?? 0) + (run.timings?.pricingMs ?? 0)) / 1000;
          referenceRows.push(
            `| ${size.toLocaleString('en-US')} | ${seed} | ${run.totalScore.toFixed(2)} | ${run.lemon.totalScore.toFixed(2)} | ${run.lemon.equal ? 'yes' : '**NO**'} | ${run.cpuSeconds.toFixed(2)} | ${solving.toFixed(2)} | ${run.lemon.solveCpuSeconds.toFixed(2)} | ${run.lemon.buildCpuSeconds.toFixed(2)} | ${run.lemon.solver.cpuSeconds.toFixed(2)} |`,
          );
        }
      }
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
  if (binary)
    process.stdout.write(
      `\nLEMON reference (MaxWeightedMatching on every allowed pair, up to ${referenceUpTo.toLocaleString('en-US')} people):\n${referenceRows.join('\n')}\n`,
    );
}

if (flag('child')) child();
else main();
