import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBlossom } from '../scripts/build-wasm.ts';
import { BLOSSOM_WASM_BASE64 } from '../src/blossom-wasm.generated.ts';
import { createMatchingSolver, maxWeightMatching, type MatchingSolution, type WeightedEdges } from '../src/blossom.ts';

/** Random simple graphs of up to maxN vertices, each possible edge present or not, integer weights. */
const randomGraph = (maxN: number, maxW: number) =>
  fc.integer({ min: 1, max: maxN }).chain((n) => {
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    return fc
      .array(fc.option(fc.integer({ min: 0, max: maxW }), { nil: undefined, freq: 2 }), { minLength: pairs.length, maxLength: pairs.length })
      .map((ws): WeightedEdges => {
        const kept = pairs.flatMap(([i, j], k) => (ws[k] === undefined ? [] : [[i, j, ws[k]] as const]));
        return {
          vertexCount: n,
          from: Int32Array.from(kept, (e) => e[0]),
          to: Int32Array.from(kept, (e) => e[1]),
          weight: Float64Array.from(kept, (e) => e[2]),
        };
      });
  });

/** A sparse random graph of `n` vertices and about `degree`·n/2 edges, from a seeded generator (mulberry32). */
function sparseGraph(n: number, degree: number, seed: number): WeightedEdges {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const seen = new Set<number>();
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < (n * degree) / 2; k++) {
    const u = Math.floor(random() * n);
    const v = Math.floor(random() * n);
    if (u === v || seen.has(Math.min(u, v) * n + Math.max(u, v))) continue;
    seen.add(Math.min(u, v) * n + Math.max(u, v));
    from.push(u);
    to.push(v);
    weight.push(Math.floor(random() * 5000));
  }
  return { vertexCount: n, from: Int32Array.from(from), to: Int32Array.from(to), weight: Float64Array.from(weight) };
}

/**
 * A valid start from a solved state, as a warm start after added edges makes one: each blossom's
 * dual folded into its vertices' (every edge stays feasible), matched edges no longer tight set
 * free, and every other matched pair set free too (free vertices may hold any dual).
 */
function foldedStart(graph: WeightedEdges, solution: MatchingSolution): { matchedEdge: Int32Array; dual: Float64Array } {
  const n = graph.vertexCount;
  const { dual, blossomParent } = solution.certificate;
  const folded = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let sum = dual[v] as number;
    for (let b = blossomParent[v] as number; b !== -1; b = blossomParent[b] as number) sum += 2 * (dual[b] as number);
    folded[v] = sum;
  }
  const matchedEdge = Int32Array.from(solution.matchedEdge);
  let keep = false;
  for (let v = 0; v < n; v++) {
    const k = matchedEdge[v] as number;
    const mate = solution.mate[v] as number;
    if (k < 0 || mate < v) continue;
    keep = !keep;
    if (!keep || (folded[v] as number) + (folded[mate] as number) !== 2 * (graph.weight[k] as number)) {
      matchedEdge[v] = -1;
      matchedEdge[mate] = -1;
    }
  }
  return { matchedEdge, dual: folded };
}

const sameSolve = (a: MatchingSolution, b: MatchingSolution) => {
  expect(b.weight).toBe(a.weight);
  expect(b.mate).toEqual(a.mate);
  expect(b.certificate.dual).toEqual(a.certificate.dual);
  expect(b.stats).toEqual(a.stats);
};

describe('the WebAssembly build of the solver', () => {
  let checked: ReturnType<typeof createMatchingSolver>;
  beforeAll(async () => {
    checked = createMatchingSolver(await compileBlossom('checked'));
  }, 120_000);

  it('embeds the release build of the current AssemblyScript source (run `npm run build:wasm -w @tandem/max-weight-matching` when not)', async () => {
    const fresh = Buffer.from(await compileBlossom('release'));
    expect(Buffer.from(BLOSSOM_WASM_BASE64, 'base64').equals(fresh), 'src/blossom-wasm.generated.ts is not the build of assembly/blossom.ts').toBe(true);
  }, 120_000);

  it('solves random graphs, cold and from a given start, exactly as its bounds-checked build does', () => {
    fc.assert(
      fc.property(randomGraph(40, 1000), (graph) => {
        const cold = maxWeightMatching(graph);
        sameSolve(cold, checked.maxWeightMatching(graph));
        const start = foldedStart(graph, cold);
        sameSolve(maxWeightMatching(graph, { start }), checked.maxWeightMatching(graph, { start }));
      }),
      { numRuns: 200 },
    );
  });

  it('solves a graph of 3,000 vertices and 45,000 edges, cold and from a given start, exactly as its bounds-checked build does', () => {
    const graph = sparseGraph(3000, 30, 45);
    const cold = maxWeightMatching(graph);
    sameSolve(cold, checked.maxWeightMatching(graph));
    const start = foldedStart(graph, cold);
    sameSolve(maxWeightMatching(graph, { start }), checked.maxWeightMatching(graph, { start }));
  });
});
