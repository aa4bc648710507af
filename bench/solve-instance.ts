/**
 * Tandem's solver alone on a matching instance, in a fresh process, for the LEMON comparison of
 * `npm run bench:match -- --reference lemon` (bench/lemon-reference.ts runs it on the edge list it
 * gives LEMON):
 *
 *   node --import tsx bench/solve-instance.ts EDGE_LIST_FILE
 *
 * The file is LEMON's format (see bench/lemon-matching.cpp). Prints one JSON line: the matching's
 * weight and size, and the CPU seconds from before the solver's WebAssembly module is compiled
 * (as a fresh identify invocation pays it) to the solution, which includes building the solver's
 * own adjacency lists, as LEMON's build and solve times together do.
 */
import { readFileSync } from 'node:fs';
import { maxWeightMatching } from '@tandem/max-weight-matching';

export interface SolverRun {
  weight: number;
  size: number;
  cpuSeconds: number;
}

const path = process.argv[2];
if (!path) throw new Error('usage: node --import tsx bench/solve-instance.ts EDGE_LIST_FILE');
const file = readFileSync(path);
const vertexCount = file.readInt32LE(0);
const m = file.readInt32LE(4);
// Copied out of the file's buffer: the typed arrays need their own aligned storage.
const bytes = file.buffer.slice(file.byteOffset, file.byteOffset + file.length);
const graph = {
  vertexCount,
  from: new Int32Array(bytes, 8, m),
  to: new Int32Array(bytes, 8 + 4 * m, m),
  weight: new Float64Array(bytes, 8 + 8 * m, m),
};
const cpu0 = process.cpuUsage();
const solution = maxWeightMatching(graph);
const cpu = process.cpuUsage(cpu0);
let size = 0;
for (const k of solution.matchedEdge) if (k >= 0) size++;
const run: SolverRun = { weight: solution.weight, size: size / 2, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
process.stdout.write(`${JSON.stringify(run)}\n`);
