import { maxWeightMatching, type MatchingSolution, type WeightedEdges } from './blossom.ts';

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

const enum Role {
  Direct = 0,
  GadgetFrom = 1,
  GadgetMiddle = 2,
  GadgetTo = 3,
}

export function maxWeightBMatching(g: CapacitatedGraph): BMatchingResult {
  const m = g.weight.length;
  const degree = new Int32Array(g.n);
  for (let k = 0; k < m; k++) {
    degree[g.from[k] as number] = (degree[g.from[k] as number] as number) + 1;
    degree[g.to[k] as number] = (degree[g.to[k] as number] as number) + 1;
  }
  const copies: number[][] = [];
  let vertices = 0;
  for (let v = 0; v < g.n; v++) {
    const count = Math.min(g.capacity[v] as number, degree[v] as number);
    const list: number[] = [];
    for (let c = 0; c < count; c++) list.push(vertices++);
    copies.push(list);
  }
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const origin: number[] = [];
  const role: number[] = [];
  const link = (x: number, y: number, w: number, k: number, r: Role) => {
    from.push(x);
    to.push(y);
    weight.push(w);
    origin.push(k);
    role.push(r);
  };
  let gadgetWeight = 0;
  for (let k = 0; k < m; k++) {
    const u = g.from[k] as number;
    const v = g.to[k] as number;
    const w = g.weight[k] as number;
    const cu = copies[u] as number[];
    const cv = copies[v] as number[];
    if ((g.capacity[u] as number) > 1 && (g.capacity[v] as number) > 1) {
      const a = vertices++;
      const b = vertices++;
      for (const x of cu) {
        link(x, a, w, k, Role.GadgetFrom);
      }
      link(a, b, w, k, Role.GadgetMiddle);
      for (const y of cv) {
        link(b, y, w, k, Role.GadgetTo);
      }
      gadgetWeight += w;
    } else {
      for (const x of cu) {
        for (const y of cv) {
          link(x, y, w, k, Role.Direct);
        }
      }
    }
  }
  const reduced: WeightedEdges = {
    vertexCount: vertices,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    weight: Float64Array.from(weight),
  };
  const solution = maxWeightMatching(reduced);
  const selected: number[] = [];
  const gadgetSides = new Map<number, number>();
  let total = 0;
  for (let x = 0; x < vertices; x++) {
    const e = solution.matchedEdge[x] as number;
    if (e < 0 || (solution.mate[x] as number) < x) continue;
    const k = origin[e] as number;
    const r = role[e] as number;
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
  if (solution.weight !== gadgetWeight + total) {
    // Cannot happen for an optimal matching (a half-used gadget ties with an unused one and is decoded as unused).
    total = solution.weight - gadgetWeight;
  }
  selected.sort((a, b) => a - b);
  return { selected, weight: total, reduced, solution, copies };
}

/**
 * Pricing: whether an edge (u, v, w) left out of the graph would keep the solution optimal
 * if it were added, judged from the reduced instance's optimal duals. A person with fewer
 * copies than capacity has unused copies, which are free and so have dual 0. When this holds
 * for every left-out edge, the duals are feasible for the whole graph and the b-matching is
 * optimal for it (complementary slackness is untouched: left-out edges are unmatched).
 */
export class DualPricer {
  private readonly dual: Float64Array;
  private readonly parent: Int32Array;
  /** Doubled dual of each person's cheapest copy (0 when a copy is unused). */
  private readonly minDual: Float64Array;

  constructor(
    private readonly g: CapacitatedGraph,
    private readonly result: BMatchingResult,
  ) {
    this.dual = result.solution.certificate.dual;
    this.parent = result.solution.certificate.blossomParent;
    this.minDual = new Float64Array(g.n);
    for (let v = 0; v < g.n; v++) {
      const list = result.copies[v] as number[];
      let min = list.length < (g.capacity[v] as number) ? 0 : Infinity;
      for (const x of list) min = Math.min(min, this.dual[x] as number);
      this.minDual[v] = min === Infinity ? 0 : min;
    }
  }

  /** Dual of a person's cheapest copy (y_v, the LP scale). */
  personDual(v: number): number {
    return (this.minDual[v] as number) / 2;
  }

  /** The same on the solver's doubled scale (2·y_v). */
  doubledDual(v: number): number {
    return this.minDual[v] as number;
  }

  /** Blossoms containing x, outermost first, and the running sum of their duals (cached per vertex). */
  private readonly chains = new Map<number, { blossoms: Int32Array; zPrefix: Float64Array }>();

  private chainOf(x: number): { blossoms: Int32Array; zPrefix: Float64Array } {
    let chain = this.chains.get(x);
    if (chain === undefined) {
      const up: number[] = [];
      for (let b = this.parent[x] as number; b !== -1; b = this.parent[b] as number) up.push(b);
      up.reverse();
      const zPrefix = new Float64Array(up.length);
      let z = 0;
      up.forEach((b, i) => {
        z += this.dual[b] as number;
        zPrefix[i] = z;
      });
      chain = { blossoms: Int32Array.from(up), zPrefix };
      this.chains.set(x, chain);
    }
    return chain;
  }

  /** Σ z over the blossoms containing both x and y (the common outermost part of their chains). */
  private zBetween(x: number, y: number): number {
    if ((this.parent[x] as number) === -1 || (this.parent[y] as number) === -1) return 0;
    const cx = this.chainOf(x);
    const cy = this.chainOf(y);
    const depth = Math.min(cx.blossoms.length, cy.blossoms.length);
    let common = 0;
    while (common < depth && cx.blossoms[common] === cy.blossoms[common]) common++;
    return common === 0 ? 0 : (cx.zPrefix[common - 1] as number);
  }

  /** True when the edge satisfies its dual constraint (so adding it cannot improve the solution). */
  feasible(u: number, v: number, w: number): boolean {
    const twoW = 2 * w;
    // Quick sufficient test: the cheapest copies already cover the edge.
    if ((this.minDual[u] as number) + (this.minDual[v] as number) >= twoW) return true;
    const gadget = (this.g.capacity[u] as number) > 1 && (this.g.capacity[v] as number) > 1;
    if (gadget) return false;
    const cu = this.result.copies[u] as number[];
    const cv = this.result.copies[v] as number[];
    // An unused copy (dual 0, in no blossom) stands against the cheapest copy of the other side.
    if (cu.length < (this.g.capacity[u] as number) || cv.length < (this.g.capacity[v] as number)) return false;
    for (const x of cu) {
      for (const y of cv) {
        if ((this.dual[x] as number) + (this.dual[y] as number) + 2 * this.zBetween(x, y) < twoW) return false;
      }
    }
    return true;
  }
}
