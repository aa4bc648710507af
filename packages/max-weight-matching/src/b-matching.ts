import { maxWeightMatching, splitCapacities, type MatchingOptions, type MatchingSolution, type WeightedEdges } from './matching-solver.ts';

/**
 * Maximum-weight b-matching (each person in at most `capacity` pairs, each pair at most once)
 * in a general graph, reduced to maximum-weight matching:
 * - a person with capacity c becomes c copies;
 * - an edge between a person of capacity 1 and anyone becomes an edge to every copy of the
 *   other (the capacity-1 side can take only one of them, so the pair is formed at most once);
 * - an edge (u, v) between two people with capacity > 1 becomes a gadget u-copies — a — b — v-copies,
 *   all three links with the edge's weight w: either a–b is matched (pair not formed, weight w) or
 *   some u_i–a and b–v_j are (pair formed once, weight 2w). So the matching's weight is
 *   Σ gadgets w + the b-matching's weight, and no pair can be formed twice.
 */
export interface CapacitatedGraph {
  /** Number of people. */
  n: number;
  capacity: Int32Array;
  from: Int32Array;
  to: Int32Array;
  /** Non-negative integer weights. */
  weight: Float64Array;
}

export interface BMatchingResult {
  /** Indices of the chosen edges. */
  selected: number[];
  weight: number;
  /** The matching instance the graph was reduced to, and its optimal solution with the dual certificate. */
  reduced: WeightedEdges;
  solution: MatchingSolution;
  /** For each person, the reduced graph's vertices that stand for them (at most their capacity). */
  copies: number[][];
}

/** What a link of the reduced graph is, numbered as `splitCapacities` numbers them. */
const enum Role {
  Direct = 0,
  GadgetFrom = 1,
  GadgetMiddle = 2,
  GadgetTo = 3,
}

export interface BMatchingOptions {
  /** A `performance.now()` time after which the solver stops (see `MatchingSolution.complete`). */
  stopAt?: number;
  /**
   * A complete solve of a graph whose edges are the first edges of this one (same people and
   * capacities): the solve starts from its matching and duals instead of from scratch.
   */
  previous?: BMatchingResult;
}

/**
 * The reduction described at the top of this file, with each link's edge and role, for solving and
 * for reading the b-matching back. The links are made by the WebAssembly module (`splitCapacities`),
 * which a fresh process does not have to compile first.
 */
function reduce(g: CapacitatedGraph): { reduced: WeightedEdges; copies: number[][]; origin: Int32Array; role: Uint8Array } {
  const { reduced, origin, role } = splitCapacities(g.n, g.capacity, g.from, g.to, g.weight);
  // Every unit of capacity gets a copy, also unused ones, so that pricing and the bound see every copy a left-out edge would reach.
  const copies: number[][] = [];
  let vertex = 0;
  for (let v = 0; v < g.n; v++) {
    const list: number[] = [];
    for (let c = 0; c < (g.capacity[v] as number); c++) list.push(vertex++);
    copies.push(list);
  }
  return { reduced, copies, origin, role };
}

/**
 * The plain matching instance a b-matching is reduced to, for running another
 * matching solver on exactly the instance this one solves (reduction at the top of this file): an optimal matching of `reduced`
 * weighs the b-matching's optimum plus `gadgetWeight` (each gadget adds its edge's weight once).
 */
export function reduceToMatching(g: CapacitatedGraph): { reduced: WeightedEdges; copies: number[][]; gadgetWeight: number } {
  const { reduced, copies } = reduce(g);
  let gadgetWeight = 0;
  for (let k = 0; k < g.weight.length; k++) {
    if ((g.capacity[g.from[k] as number] as number) > 1 && (g.capacity[g.to[k] as number] as number) > 1) gadgetWeight += g.weight[k] as number;
  }
  return { reduced, copies, gadgetWeight };
}

export function maxWeightBMatching(g: CapacitatedGraph, options: BMatchingOptions = {}): BMatchingResult {
  const { reduced, copies, origin, role } = reduce(g);
  const vertices = reduced.vertexCount;
  const matchingOptions: MatchingOptions = { ...(options.stopAt === undefined ? {} : { stopAt: options.stopAt }) };
  if (options.previous !== undefined) matchingOptions.start = warmStart(options.previous, reduced, role);

  const solution = maxWeightMatching(reduced, matchingOptions);
  const selected: number[] = [];
  const gadgetSides = new Map<number, number>();
  let total = 0;
  for (let x = 0; x < vertices; x++) {
    const e = solution.matchedEdge[x] as number;
    if (e < 0 || (solution.mate[x] as number) < x) continue;
    const k = origin[e] as number;
    const r = role[e] as Role;
    if (r === Role.Direct) {
      selected.push(k);
      total += g.weight[k] as number;
    } else if (r === Role.GadgetFrom || r === Role.GadgetTo) {
      const sides = (gadgetSides.get(k) ?? 0) + 1;
      gadgetSides.set(k, sides);
      if (sides === 2) {
        selected.push(k);
        total += g.weight[k] as number;
      }
    }
  }
  selected.sort((a, b) => a - b);
  return { selected, weight: total, reduced, solution, copies };
}

/**
 * A valid start for the enlarged reduced instance from the previous optimum: blossoms are
 * flattened (each vertex takes the z of the blossoms around it, which keeps every old edge
 * feasible), matched edges that are then no longer tight are freed, a new gadget's middle
 * link is matched when its two middle vertices can take duals that make it tight, and every
 * other new edge still infeasible has one end's dual raised (freeing that end if matched).
 * Copies and gadget vertices keep their numbers because edges are only appended.
 */
function warmStart(previous: BMatchingResult, reduced: WeightedEdges, role: Uint8Array): { matchedEdge: Int32Array; dual: Float64Array } {
  const n = reduced.vertexCount;
  const { from, to, weight } = reduced;
  const oldN = previous.reduced.vertexCount;
  const oldM = previous.reduced.weight.length;
  const { dual: oldDual, blossomParent } = previous.solution.certificate;
  const dual = new Float64Array(n);
  const matchedEdge = new Int32Array(n).fill(-1);
  // Σ z of the blossoms above each node, filled top-down along each vertex's chain.
  const zAbove = new Float64Array(2 * oldN).fill(-1);
  const chain: number[] = [];
  for (let x = 0; x < oldN; x++) {
    let b = blossomParent[x] as number;
    while (b !== -1 && (zAbove[b] as number) < 0) {
      chain.push(b);
      b = blossomParent[b] as number;
    }
    let z = b === -1 ? 0 : (zAbove[b] as number) + (oldDual[b] as number);
    for (let t = chain.length - 1; t >= 0; t--) {
      const c = chain[t] as number;
      zAbove[c] = z;
      z += oldDual[c] as number;
    }
    chain.length = 0;
    dual[x] = (oldDual[x] as number) + z;
    matchedEdge[x] = previous.solution.matchedEdge[x] as number;
  }
  const unmatch = (x: number) => {
    const k = matchedEdge[x] as number;
    if (k < 0) return;
    matchedEdge[from[k] as number] = -1;
    matchedEdge[to[k] as number] = -1;
  };
  for (let x = 0; x < oldN; x++) {
    const k = matchedEdge[x] as number;
    if (k >= 0 && (dual[from[k] as number] as number) + (dual[to[k] as number] as number) !== 2 * (weight[k] as number)) unmatch(x);
  }
  // New gadgets (each is GadgetFrom links, one GadgetMiddle link, GadgetTo links, in this order).
  for (let k = oldM; k < weight.length; k++) {
    if (role[k] !== Role.GadgetMiddle) continue;
    const a = from[k] as number;
    const b = to[k] as number;
    const twoW = 2 * (weight[k] as number);
    let needA = 0;
    let needB = 0;
    for (let q = k - 1; q >= oldM && role[q] === Role.GadgetFrom; q--) needA = Math.max(needA, twoW - (dual[from[q] as number] as number));
    for (let q = k + 1; q < weight.length && role[q] === Role.GadgetTo; q++) needB = Math.max(needB, twoW - (dual[to[q] as number] as number));
    dual[a] = needA;
    if (needA + needB <= twoW) {
      dual[b] = twoW - needA;
      matchedEdge[a] = k;
      matchedEdge[b] = k;
    } else dual[b] = needB;
  }
  for (let k = oldM; k < weight.length; k++) {
    const x = from[k] as number;
    const y = to[k] as number;
    const missing = 2 * (weight[k] as number) - (dual[x] as number) - (dual[y] as number);
    if (missing <= 0) continue;
    const raised = (matchedEdge[x] as number) === -1 ? x : y;
    unmatch(raised);
    dual[raised] = (dual[raised] as number) + missing;
  }
  return { matchedEdge, dual };
}

/**
 * Pricing: whether an edge (u, v, w) left out of the graph would keep the solution optimal
 * if it were added, judged from the reduced instance's duals, and by how much its dual
 * constraint is violated (which bounds how much it could add). Every person has `capacity`
 * copies in the reduced instance, so a left-out edge between two people joins existing
 * vertices (or, between two people of capacity > 1, a new gadget whose two middle vertices
 * can take any duals). When no left-out edge is violated, the duals are feasible for the whole
 * graph and the b-matching is optimal for it (complementary slackness is untouched: left-out
 * edges are unmatched).
 */
export class DualPricer {
  private readonly dual: Float64Array;
  /** Doubled dual of each person's cheapest copy. */
  private readonly minDual: Float64Array;
  /** Σ z from the top of the blossom forest down to each node (a vertex or a blossom). */
  private readonly zDown: Float64Array;
  /** Each vertex's position among the vertices listed in depth-first order of the blossom forest. */
  private readonly leafPos: Int32Array;
  /**
   * Sparse table (level k at offset k·L) of minima over runs of the array whose entry i is
   * Σ z of the blossoms shared by the i-th and (i+1)-th vertices in that order.
   */
  private readonly sharedZ: Float64Array;
  private readonly leafCount: number;

  constructor(
    private readonly g: CapacitatedGraph,
    private readonly result: BMatchingResult,
  ) {
    const { dual, blossomParent: parent } = result.solution.certificate;
    this.dual = dual;
    this.minDual = new Float64Array(g.n);
    for (let v = 0; v < g.n; v++) {
      let min = Infinity;
      for (const x of result.copies[v] as number[]) min = Math.min(min, dual[x] as number);
      this.minDual[v] = min === Infinity ? 0 : min;
    }
    const nodes = parent.length;
    const vertices = nodes / 2;
    // zDown[x] = Σ z over x and the blossoms around it.
    this.zDown = new Float64Array(nodes).fill(-1);
    const path: number[] = [];
    for (let x = 0; x < nodes; x++) {
      let y = x;
      while ((this.zDown[y] as number) < 0 && (parent[y] as number) !== -1) {
        path.push(y);
        y = parent[y] as number;
      }
      if ((this.zDown[y] as number) < 0) this.zDown[y] = y >= vertices ? (dual[y] as number) : 0;
      while (path.length > 0) {
        const c = path.pop() as number;
        this.zDown[c] = (this.zDown[parent[c] as number] as number) + (c >= vertices ? (dual[c] as number) : 0);
      }
    }
    // The blossoms two vertices share are the ancestors of their lowest common one, and zDown only grows going down
    // (z ≥ 0), so in a depth-first order of the forest's vertices the Σ z two vertices share is the least of the
    // values shared by consecutive vertices between them: a range minimum, answered from a sparse table in O(1).
    // (Binary-lifting ancestors, used before, took ~2·log(depth) scattered reads per pair, and blossoms nest
    // thousands deep on some rosters.)
    const childStart = new Int32Array(nodes + 1);
    for (let x = 0; x < nodes; x++) {
      const p = parent[x] as number;
      if (p !== -1) childStart[p + 1] = (childStart[p + 1] as number) + 1;
    }
    for (let x = 0; x < nodes; x++) childStart[x + 1] = (childStart[x + 1] as number) + (childStart[x] as number);
    const children = new Int32Array(childStart[nodes] as number);
    const fill = childStart.slice(0, nodes);
    for (let x = 0; x < nodes; x++) {
      const p = parent[x] as number;
      if (p === -1) continue;
      children[fill[p] as number] = x;
      fill[p] = (fill[p] as number) + 1;
    }
    this.leafPos = new Int32Array(vertices);
    const shared = new Float64Array(Math.max(1, vertices));
    const stack = new Int32Array(nodes);
    let count = 0;
    let pendingZ = 0;
    let afterLeaf = false;
    for (let r = 0; r < nodes; r++) {
      if ((parent[r] as number) !== -1 || (r >= vertices && childStart[r] === childStart[r + 1])) continue;
      let top = 0;
      stack[top++] = r;
      while (top > 0) {
        const x = stack[--top] as number;
        if (afterLeaf) {
          // The first node after a vertex hangs below the lowest blossom it shares with the next vertex (none for a root).
          pendingZ = x === r ? 0 : (this.zDown[parent[x] as number] as number);
          afterLeaf = false;
        }
        if (x < vertices) {
          if (count > 0) shared[count - 1] = pendingZ;
          this.leafPos[x] = count++;
          afterLeaf = true;
        } else for (let q = childStart[x + 1] as number; q > (childStart[x] as number);) stack[top++] = children[--q] as number;
      }
    }
    this.leafCount = count;
    let levels = 1;
    while (1 << levels < count) levels++;
    this.sharedZ = new Float64Array(levels * Math.max(1, count));
    this.sharedZ.set(shared.subarray(0, count));
    for (let k = 1; k < levels; k++) {
      const below = (k - 1) * count;
      const here = k * count;
      const half = 1 << (k - 1);
      for (let i = 0; i + (1 << k) <= count; i++) {
        this.sharedZ[here + i] = Math.min(this.sharedZ[below + i] as number, this.sharedZ[below + i + half] as number);
      }
    }
  }

  /**
   * y_v for the fractional b-matching LP from these duals, feasible for every solved edge: each
   * copy takes the z of the blossoms around it (an edge inside a blossom is then covered by its
   * ends alone) and the person takes their cheapest copy. LP scale.
   */
  flattenedPersonDual(v: number): number {
    let min = Infinity;
    for (const x of this.result.copies[v] as number[]) min = Math.min(min, (this.dual[x] as number) + (this.zDown[x] as number));
    return min === Infinity ? 0 : min / 2;
  }

  /** Dual of a person's cheapest copy (y_v, the LP scale). */
  personDual(v: number): number {
    return (this.minDual[v] as number) / 2;
  }

  /** The same on the solver's doubled scale (2·y_v). */
  doubledDual(v: number): number {
    return this.minDual[v] as number;
  }

  /** Σ z over the blossoms containing both vertices x and y (z of their lowest common blossom, summed up to the top). */
  private zBetween(x: number, y: number): number {
    if (x === y) return 0;
    let i = this.leafPos[x] as number;
    let j = this.leafPos[y] as number;
    if (i > j) [i, j] = [j, i];
    const k = 31 - Math.clz32(j - i);
    const row = k * this.leafCount;
    return Math.min(this.sharedZ[row + i] as number, this.sharedZ[row + j - (1 << k)] as number);
  }

  /**
   * How far the left-out edge (u, v, w) is from satisfying its dual constraints, in weight
   * units: 0 when adding it cannot improve the solution. Σ over the reduced edges it would add
   * of their positive excess, with a gadget's two middle vertices given the best duals that
   * keep its middle link tight (their cost, w, is the weight every gadget adds anyway), so
   * the dual objective plus this excess, over all left-out edges, bounds the whole graph's
   * best b-matching from above.
   */
  excess(u: number, v: number, w: number): number {
    const twoW = 2 * w;
    if ((this.minDual[u] as number) + (this.minDual[v] as number) >= twoW) return 0;
    const cu = this.result.copies[u] as number[];
    const cv = this.result.copies[v] as number[];
    if ((this.g.capacity[u] as number) > 1 && (this.g.capacity[v] as number) > 1) {
      // Middle duals t (next to u) and w − t (next to v), LP scale; the excess is convex in t, so its minimum is at a breakpoint.
      const cost = (t: number) => {
        let sum = 0;
        for (const x of cu) sum += Math.max(0, w - (this.dual[x] as number) / 2 - t);
        for (const y of cv) sum += Math.max(0, t - (this.dual[y] as number) / 2);
        return sum;
      };
      let best = Infinity;
      for (const x of cu) best = Math.min(best, cost(Math.min(w, Math.max(0, w - (this.dual[x] as number) / 2))));
      for (const y of cv) best = Math.min(best, cost(Math.min(w, Math.max(0, (this.dual[y] as number) / 2))));
      return best;
    }
    let sum = 0;
    for (const x of cu) {
      for (const y of cv) {
        const slack = (this.dual[x] as number) + (this.dual[y] as number) + 2 * this.zBetween(x, y) - twoW;
        if (slack < 0) sum -= slack / 2;
      }
    }
    return sum;
  }

  /** True when the edge satisfies its dual constraint (so adding it cannot improve the solution). */
  feasible(u: number, v: number, w: number): boolean {
    return this.excess(u, v, w) === 0;
  }
}

/** The dual objective Σ y + Σ z·⌊|B|/2⌋ of the reduced instance's current duals, minus the weight the gadgets add: with every left-out edge's excess, an upper bound on the b-matching. */
export function dualBound(g: CapacitatedGraph, result: BMatchingResult): number {
  const { dual, blossomSize } = result.solution.certificate;
  const n = result.reduced.vertexCount;
  let sum = 0;
  for (let x = 0; x < n; x++) sum += (dual[x] as number) / 2;
  for (let b = n; b < 2 * n; b++) {
    const size = blossomSize[b] as number;
    if (size > 0) sum += (dual[b] as number) * Math.floor(size / 2);
  }
  let gadgets = 0;
  for (let k = 0; k < g.weight.length; k++) {
    if ((g.capacity[g.from[k] as number] as number) > 1 && (g.capacity[g.to[k] as number] as number) > 1) gadgets += g.weight[k] as number;
  }
  return sum - gadgets;
}
