/**
 * The LEMON reference for `npm run bench:match -- --reference lemon`: compiles bench/lemon-matching.cpp
 * against liblemon-dev (once per source version, into the system temp folder; never committed) and
 * runs it on a matching instance written as a binary edge list.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WeightedEdges } from '@tandem/max-weight-matching';
import type { SolverRun } from './solve-instance.ts';

export interface LemonRun {
  weight: number;
  size: number;
  buildCpuSeconds: number;
  solveCpuSeconds: number;
  solveWallSeconds: number;
}

const SOURCE = fileURLToPath(new URL('./lemon-matching.cpp', import.meta.url));
const SOLVE_INSTANCE = fileURLToPath(new URL('./solve-instance.ts', import.meta.url));

/** Path of the compiled reference program, compiling it first when this source version has not been compiled yet. */
export function lemonBinary(): string {
  const source = readFileSync(SOURCE);
  const folder = join(tmpdir(), 'tandem-bench', `lemon-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  const binary = join(folder, 'lemon-matching');
  if (existsSync(binary)) return binary;
  if (!existsSync('/usr/include/lemon/matching.h')) {
    throw new Error('LEMON is not installed: install it with `apt-get install -y liblemon-dev` (Debian/Ubuntu; g++ is needed too), then run again.');
  }
  mkdirSync(folder, { recursive: true });
  const compiled = spawnSync('g++', ['-O2', '-std=c++17', SOURCE, '-o', `${binary}.partial`, '-llemon'], { encoding: 'utf8' });
  if (compiled.error || compiled.status !== 0) {
    throw new Error(`compiling ${SOURCE} against LEMON failed (is g++ installed?):\n${compiled.error?.message ?? compiled.stderr}`);
  }
  writeFileSync(binary, readFileSync(`${binary}.partial`), { mode: 0o755 });
  rmSync(`${binary}.partial`);
  return binary;
}

/** Writes `graph` as the binary edge list bench/lemon-matching.cpp reads, runs `use` on its path, and removes it. */
function withEdgeList<T>(graph: WeightedEdges, use: (path: string) => T): T {
  const m = graph.weight.length;
  const file = Buffer.alloc(8 + m * 16);
  file.writeInt32LE(graph.vertexCount, 0);
  file.writeInt32LE(m, 4);
  Buffer.from(graph.from.buffer, graph.from.byteOffset, m * 4).copy(file, 8);
  Buffer.from(graph.to.buffer, graph.to.byteOffset, m * 4).copy(file, 8 + m * 4);
  Buffer.from(graph.weight.buffer, graph.weight.byteOffset, m * 8).copy(file, 8 + m * 8);
  const folder = mkdtempSync(join(tmpdir(), 'tandem-lemon-'));
  try {
    const path = join(folder, 'edges.bin');
    writeFileSync(path, file);
    return use(path);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Runs the reference program on `graph` (in this process's CPU affinity) and returns what it measured. */
export function runLemon(binary: string, graph: WeightedEdges): LemonRun {
  return withEdgeList(graph, (path) => {
    const run = spawnSync(binary, [path], { encoding: 'utf8' });
    if (run.error || run.status !== 0) throw new Error(`the LEMON reference failed: ${run.error?.message ?? run.stderr}`);
    return JSON.parse(run.stdout.trim()) as LemonRun;
  });
}

/** Runs Tandem's solver alone on `graph` in a fresh process (bench/solve-instance.ts, in this process's CPU affinity). */
export function runTandemSolver(graph: WeightedEdges): SolverRun {
  return withEdgeList(graph, (path) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', SOLVE_INSTANCE, path], { encoding: 'utf8' });
    if (run.error || run.status !== 0) throw new Error(`Tandem's solver failed on the reference instance: ${run.error?.message ?? run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as SolverRun;
  });
}
