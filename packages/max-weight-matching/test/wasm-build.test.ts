import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBlossom } from '../scripts/build-wasm.ts';
import { BLOSSOM_WASM_BASE64 } from '../src/blossom-wasm.generated.ts';
import { createMatchingSolver, maxWeightMatching, splitCapacities, type MatchingSolution, type WeightedEdges } from '../src/matching-solver.ts';

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
  expect(b.matchedEdge).toEqual(a.matchedEdge);
  expect(b.certificate).toEqual(a.certificate);
  expect(b.stats).toEqual(a.stats);
  expect(b.complete).toBe(a.complete);
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

  it('solves a graph of 3,000 vertices and 45,000 edges, cold, from a given start, on a core and priced, and stopped at a deadline, exactly as its bounds-checked build does', () => {
    const graph = sparseGraph(3000, 30, 45);
    const cold = maxWeightMatching(graph);
    sameSolve(cold, checked.maxWeightMatching(graph));
    const start = foldedStart(graph, cold);
    const warm = maxWeightMatching(graph, { start });
    expect(warm.stats.warmMatched, 'the start keeps matched edges').toBeGreaterThan(0);
    sameSolve(warm, checked.maxWeightMatching(graph, { start }));
    const stopped = maxWeightMatching(graph, { stopAt: 0 });
    expect(stopped.complete).toBe(false);
    sameSolve(stopped, checked.maxWeightMatching(graph, { stopAt: 0 }));
    // 15 edges per vertex: dense enough for a core of 5 to be solved first and the rest priced.
    const cored = maxWeightMatching(graph, { coreDegree: 5 });
    expect(cored.stats.rounds, 'pricing added left-out edges').toBeGreaterThan(1);
    expect(cored.weight).toBe(cold.weight);
    sameSolve(cored, checked.maxWeightMatching(graph, { coreDegree: 5 }));
    sameSolve(maxWeightMatching(graph, { coreDegree: 5, stopAt: 0 }), checked.maxWeightMatching(graph, { coreDegree: 5, stopAt: 0 }));
  });

  it('splits capacities exactly as its bounds-checked build does', () => {
    const graph = sparseGraph(600, 20, 46);
    const capacity = Int32Array.from({ length: graph.vertexCount }, (_, v) => v % 4);
    const release = splitCapacities(graph.vertexCount, capacity, graph.from, graph.to, graph.weight);
    const bounded = checked.splitCapacities(graph.vertexCount, capacity, graph.from, graph.to, graph.weight);
    expect(bounded).toEqual(release);
    expect(new Set(release.role), 'direct links and gadgets').toEqual(new Set([0, 1, 2, 3]));
  });

  it('refuses the same edges as its bounds-checked build, with the same messages, before reading any as an index', () => {
    const path: WeightedEdges = { vertexCount: 3, from: Int32Array.from([0, 1]), to: Int32Array.from([1, 2]), weight: Float64Array.from([5, 6]) };
    const refused: WeightedEdges[] = [
      { ...path, to: Int32Array.from([1, 1_000_000]) },
      { ...path, from: Int32Array.from([-7, 1]) },
      { ...path, to: Int32Array.from([0, 2]) },
      { ...path, weight: Float64Array.from([5, 1.5]) },
    ];
    for (const graph of refused) {
      const message = (() => {
        try {
          maxWeightMatching(graph);
        } catch (error) {
          return String(error);
        }
        return 'solved';
      })();
      expect(message).toMatch(/^RangeError: edge \d/);
      expect(() => checked.maxWeightMatching(graph)).toThrow(message.replace(/^RangeError: /, ''));
    }
  });

  it("takes the JavaScript solver's exact path on a 3,000-vertex graph: its weight and work counts, recorded from it at commit b6ec46d", () => {
    const solution = maxWeightMatching(sparseGraph(3000, 30, 45));
    expect(solution.weight).toBe(7_090_013);
    expect(solution.stats).toEqual({ substages: 1595, warmMatched: 1230, augmentations: 270, edgeVisits: 735_886, rounds: 1, solvedEdges: 44_765 });
  });
});

describe("the solver's host side", () => {
  const path: WeightedEdges = { vertexCount: 3, from: Int32Array.from([0, 1]), to: Int32Array.from([1, 2]), weight: Float64Array.from([5, 6]) };
  const start = (matchedEdge: number[], dual: number[]) => ({ start: { matchedEdge: Int32Array.from(matchedEdge), dual: Float64Array.from(dual) } });

  it('refuses, with what is wrong, every input the unchecked module would read or write out of range', () => {
    expect(() => maxWeightMatching({ ...path, vertexCount: 2.5 })).toThrow(/vertexCount is 2.5: it must be a whole number/);
    expect(() => maxWeightMatching({ ...path, vertexCount: Number.NaN })).toThrow(RangeError);
    expect(() => maxWeightMatching({ ...path, vertexCount: -1 })).toThrow(RangeError);
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([1]) })).toThrow(/from and to have 2 and 1 entries for 2 weights/);
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([1, 3]) })).toThrow(/edge 1 joins 1 and 3: vertices are numbered 0..2/);
    expect(() => maxWeightMatching({ ...path, from: Int32Array.from([-1, 1]) })).toThrow(/edge 0 joins -1 and 1: vertices are numbered 0..2/);
    for (const weight of [2.5, -1, Number.NaN, Infinity, -Infinity]) {
      expect(() => maxWeightMatching({ ...path, weight: Float64Array.from([5, weight]) })).toThrow(
        new RegExp(`edge 1 has weight ${weight}: weights must be non-negative integers`),
      );
    }
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([0, 2]) })).toThrow(/edge 0 is a loop/);
    // In the order the edges come, each edge's weight before its ends, and the edges before the start.
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([0, 9]), weight: Float64Array.from([5, 0.5]) })).toThrow(/edge 0 is a loop/);
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([1, 9]), weight: Float64Array.from([5, 0.5]) })).toThrow(/edge 1 has weight 0.5/);
    expect(() => maxWeightMatching({ ...path, to: Int32Array.from([1, 9]) }, start([0, -1], [10, 0]))).toThrow(/edge 1 joins 1 and 9/);
    expect(() => maxWeightMatching(path, start([0, -1], [10, 0]))).toThrow(/need an entry for each of the 3 vertices/);
    expect(() => maxWeightMatching(path, start([0, -1, -1], [5, 5, 12]))).toThrow(/vertex 0 is matched through edge 0, but its other end, vertex 1, is not/);
    expect(() => maxWeightMatching(path, start([1, -1, 1], [10, 12, 12]))).toThrow(/vertex 0 is matched through edge 1, which does not touch it/);
    expect(() => maxWeightMatching(path, start([-1, 2, 2], [10, 12, 12]))).toThrow(/which is not one of the graph.s 2 edges/);
    expect(() => maxWeightMatching(path, start([-1, -1, -1], [-4, 14, -2]))).toThrow(/vertex 0 has dual -4: duals must be finite and non-negative/);
    expect(() => maxWeightMatching(path, start([-1, -1, -1], [Number.NaN, 14, 12]))).toThrow(/vertex 0 has dual NaN/);
  });

  it('solves again after refusing an input, with the same module', () => {
    expect(() => maxWeightMatching(path, start([-1, -1, -1], [4, 4, 4]))).toThrow(/edge 0 is not dual feasible/);
    const solution = maxWeightMatching(path);
    expect(solution.weight).toBe(6);
    expect(Array.from(solution.mate)).toEqual([-1, 2, 1]);
  });
});
