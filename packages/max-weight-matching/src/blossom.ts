/**
 * Maximum-weight matching in a general graph: Edmonds' blossom algorithm with the
 * primal-dual method of Galil ("Efficient algorithms for finding maximum matching in
 * graphs", 1986), O(n³). This is a typed-array TypeScript port of Joris van Rantwijk's
 * public-domain reference implementation (mwmatching.py, the algorithm networkx's
 * max_weight_matching uses), written so that the optimal dual solution is returned with
 * the matching: anyone can check optimality with `verifyMatchingCertificate`.
 *
 * Weights must be integers (scale them); then every dual stays an integer and the
 * certificate check is exact. Duals use the reference implementation's scale: a vertex
 * dual is 2·y_v and a blossom dual is z_B, so an edge (i, j, w) is dual feasible when
 * dual[i] + dual[j] + 2·Σ{z_B : i, j ∈ B} ≥ 2w.
 */

export interface WeightedEdges {
  /** Number of vertices, numbered 0..vertexCount-1. */
  vertexCount: number;
  from: Int32Array;
  to: Int32Array;
  /** Non-negative integer weights. */
  weight: Float64Array;
}

export interface MatchingCertificate {
  /** 2·y_v for vertices [0, n) and z_B for blossoms [n, 2n) (unused blossom slots hold 0). */
  dual: Float64Array;
  /** Parent blossom of each vertex or blossom, -1 at the top. */
  blossomParent: Int32Array;
  /** Number of vertices inside each blossom still alive at the end, by blossom id; 0 for unused ids (and for vertices). */
  blossomSize: Int32Array;
}

export interface MatchingSolution {
  /** For each vertex, the index of its matched edge, or -1. */
  matchedEdge: Int32Array;
  /** For each vertex, its partner, or -1. */
  mate: Int32Array;
  /** Sum of the matched edges' weights. */
  weight: number;
  certificate: MatchingCertificate;
  /**
   * The work done, in counts that do not change with the machine's speed: dual steps
   * (substages), augmentations, and the length of every neighbour list the search read
   * (scans, rescans and least-slack searches).
   */
  stats: { substages: number; warmMatched: number; augmentations: number; edgeVisits: number };
  /**
   * False when the solve was stopped at `stopAt`: the matching is then valid but not
   * necessarily optimal, and the duals are feasible for every edge but are no certificate.
   */
  complete: boolean;
}

export interface MatchingOptions {
  /** A `performance.now()` time after which the solver stops and returns the matching it has. */
  stopAt?: number;
  /**
   * A state to start from instead of the jump start: a matched edge per vertex (-1 when
   * free) and vertex duals on the doubled scale, with every edge dual feasible
   * (dual[i] + dual[j] ≥ 2w), every matched edge tight and no dual negative. Free vertices
   * may have any dual: those above 0 grow alternating trees. For re-solving after edges were
   * added (see `warmStart` in b-matching.ts).
   */
  start?: { matchedEdge: Int32Array; dual: Float64Array };
}

export function maxWeightMatching(graph: WeightedEdges, options: MatchingOptions = {}): MatchingSolution {
  const { from: eu, to: ev, weight: ew } = graph;
  const m = ew.length;
  for (let k = 0; k < m; k++) {
    const w = ew[k] as number;
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`edge ${k} has weight ${w}: weights must be non-negative integers`);
    if ((eu[k] as number) === (ev[k] as number)) throw new RangeError(`edge ${k} is a loop`);
  }
  const solver = new BlossomSolver(graph, options.stopAt ?? Infinity);
  // Without a given start, a jump start (see `jumpStart`): duals from each vertex's heaviest
  // edge, lowered greedily, with tight edges between free vertices matched. It is valid because
  // free vertices may hold different duals (see the delta1 events).
  if (options.start !== undefined) solver.startFrom(options.start);
  else if (m > 0) solver.warmMatched = jumpStart(solver);
  solver.solve();
  return solver.solution();
}

/** How many least-slack edges to other S-blossoms an S-vertex's rescan keeps in heap3 (see `pushBestSEdges`). */
const S_EDGE_BATCH = 4;

/** bestEdge of an unlabelled vertex whose least-slack edge led into a dissolved tree: recomputed when needed. */
const STALE = -2;

/** The sign of a vertex's lazy dual under its top-level blossom's label (S −1, T +1, else 0). */
function vertexSign(l: number): number {
  return l === 1 || l === 5 ? -1 : l === 2 ? 1 : 0;
}

/** list[index], counting a negative index from the end (the reference's Python indexing). */
function cyclicAt(list: number[], index: number): number {
  return list[index < 0 ? index + list.length : index] as number;
}

/**
 * The state of one solve and the steps of the algorithm over it. A class with typed-array fields
 * rather than closures inside `maxWeightMatching`: its methods are shared by every solve, so code
 * V8 has compiled in one solve (a pricing round) stays compiled for the next, and every field keeps
 * one type, so property access stays monomorphic. Every field is assigned in the constructor, in
 * one order, so every solver has the same hidden class.
 */
class BlossomSolver {
  readonly n: number;
  readonly m: number;
  readonly eu: Int32Array;
  readonly ev: Int32Array;
  readonly ew: Float64Array;
  readonly stopAt: number;
  /** endpoint(p) for p = 2k is from[k], for p = 2k+1 is to[k]. */
  readonly endpoint: Int32Array;
  /** Neighbours as CSR of endpoint ids: the slots of vertex v are neighStart[v] .. neighStart[v + 1]. */
  readonly neighStart: Int32Array;
  readonly neighEnd: Int32Array;
  /**
   * The neighbour and twice the weight beside each endpoint id, so that the hot loops read them in
   * order instead of looking up endpoint[p] and ew[p >> 1] at scattered places.
   */
  readonly neighVertex: Int32Array;
  readonly neighWeight2: Float64Array;
  /** Endpoint index of the partner, as in the reference; -1 when free. */
  readonly mate: Int32Array;
  readonly label: Int8Array;
  readonly labelEnd: Int32Array;
  /**
   * Where to start looking up each vertex's top-level blossom (see `topOf`): the vertex itself, or a
   * blossom containing it. A new blossom links its sub-blossoms to itself (`alias`) instead of
   * relabelling every vertex inside them: around one giant blossom that grew a level at a time,
   * relabelling cost the size of the giant per new level (seed 45 at 5,000 people: 30,000 blossoms
   * formed, 372 million vertices relabelled).
   */
  readonly blossomLink: Int32Array;
  /** The blossom a vertex or sub-blossom was wrapped into while top-level, or -1 while it is top-level (for `topOf`). */
  readonly alias: Int32Array;
  readonly blossomParent: Int32Array;
  readonly blossomChilds: Array<number[] | null>;
  readonly blossomBase: Int32Array;
  readonly blossomEndps: Array<number[] | null>;
  readonly bestEdge: Int32Array;
  readonly unusedBlossoms: number[];
  readonly dual: Float64Array;
  readonly allowEdge: Uint8Array;
  readonly queue: number[];
  /** The free vertex at the root of the alternating tree of each labelled top-level blossom. */
  readonly treeRoot: Int32Array;
  readonly dissolveStamp: Int32Array;
  readonly gone: Uint8Array;
  /** The top-level blossoms labelled in each tree, by root (a superset: filtered when the tree is dissolved). */
  readonly treeMembers: Array<number[] | undefined>;
  /**
   * Lazy duals: every dual step adds delta to the clock `now` instead of touching each dual.
   * A vertex's dual is dual[v] + sign·(now − stamp[v]), the sign following the label of its
   * top-level blossom (S −1, T +1, else 0); a top-level blossom's is dual[b] − sign·(now − stamp[b]).
   * Before a label (or top-level blossom) changes, the duals concerned are materialised.
   */
  now: number;
  /** The slack of the edge bestEdgeToS last returned, less its vertex's own dual. */
  bestEdgeToSSlack = Infinity;
  readonly stamp: Float64Array;
  // Events of the next dual step, keyed so that keys do not move as the clock runs (lazy deletion):
  // delta2 (S to unlabelled: slack + now), delta3 (S to S: slack + 2·now), delta4 (T-blossom: z + now),
  // delta1 (an S-vertex's dual reaching 0: dual + now), for free vertices that need not share one dual.
  readonly heap1: EventHeap;
  readonly heap2: EventHeap;
  readonly heap3: EventHeap;
  /**
   * The least-slack edges to other S-blossoms that an S-vertex's last rescan pushed into heap3
   * (S_EDGE_BATCH slots per vertex, -1 when empty), with their keys: while one of them still
   * stands, a stale event of that vertex needs no rescan (see `pushBestSEdges`).
   */
  readonly sEdgeBatch: Int32Array;
  readonly sEdgeBatchKey: Float64Array;
  /** Where `bestEdgeToS` has `leastSlackSEdges` write its one edge. */
  readonly bestEdgeFound: Int32Array;
  readonly bestEdgeFoundSlack: Float64Array;
  readonly heap4: EventHeap;
  dissolveEpoch: number;
  readonly leafStack: number[];
  readonly expandLater: number[];
  readonly resetStack: number[];
  // Buffers reused by every dissolve (plain loops and no Set: small functions compile much faster).
  readonly dissolveTops: number[];
  readonly dissolveVertices: number[];
  readonly dissolveExpand: number[];
  /** For a vertex whose bestEdge is STALE: the key of its pending delta2 event, no later than any of its S-edges' keys. */
  readonly staleKey: Float64Array;
  // Iterative blossom augmentation (blossoms can nest thousands deep).
  readonly augmentFrames: number[];
  readonly augmentDone: number[];
  /**
   * The climb from a vertex up to the blossom being augmented, kept per blossom on the way (the
   * child below it towards vertex `chainOwner`, within augmentation `chainEpoch`): the frames
   * for the nested sub-blossoms on that path then read their child instead of climbing again from
   * the vertex, which cost depth² per augmentation through a blossom nested thousands deep.
   */
  readonly chainOwner: Int32Array;
  readonly chainBelow: Int32Array;
  readonly chainEpoch: Int32Array;
  augmentEpoch: number;
  warmMatched: number;
  augmentations: number;
  substages: number;
  edgeVisits: number;
  complete: boolean;
  /** What the chosen dual step does: the vertex that retires (delta1), the edge that turns tight (delta2, delta3), the blossom expanded (delta4). */
  stepVertex: number;
  stepEdge: number;
  stepBlossom: number;

  constructor(graph: WeightedEdges, stopAt: number) {
    const n = graph.vertexCount;
    const { from: eu, to: ev, weight: ew } = graph;
    const m = ew.length;
    this.n = n;
    this.m = m;
    this.eu = eu;
    this.ev = ev;
    this.ew = ew;
    this.stopAt = stopAt;
    let maxWeight = 0;
    for (let k = 0; k < m; k++) if ((ew[k] as number) > maxWeight) maxWeight = ew[k] as number;

    const endpoint = new Int32Array(2 * m);
    for (let k = 0; k < m; k++) {
      endpoint[2 * k] = eu[k] as number;
      endpoint[2 * k + 1] = ev[k] as number;
    }
    const degree = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) {
      degree[(eu[k] as number) + 1] = (degree[(eu[k] as number) + 1] as number) + 1;
      degree[(ev[k] as number) + 1] = (degree[(ev[k] as number) + 1] as number) + 1;
    }
    for (let v = 0; v < n; v++) degree[v + 1] = (degree[v + 1] as number) + (degree[v] as number);
    const neighStart = degree;
    const neighFill = neighStart.slice(0, n);
    const neighEnd = new Int32Array(2 * m);
    const neighVertex = new Int32Array(2 * m);
    const neighWeight2 = new Float64Array(2 * m);
    for (let k = 0; k < m; k++) {
      const i = eu[k] as number;
      const j = ev[k] as number;
      const w2 = 2 * (ew[k] as number);
      const at = neighFill[i] as number;
      neighEnd[at] = 2 * k + 1;
      neighVertex[at] = j;
      neighWeight2[at] = w2;
      neighFill[i] = at + 1;
      const bt = neighFill[j] as number;
      neighEnd[bt] = 2 * k;
      neighVertex[bt] = i;
      neighWeight2[bt] = w2;
      neighFill[j] = bt + 1;
    }
    this.endpoint = endpoint;
    this.neighStart = neighStart;
    this.neighEnd = neighEnd;
    this.neighVertex = neighVertex;
    this.neighWeight2 = neighWeight2;

    this.mate = new Int32Array(n).fill(-1);
    this.label = new Int8Array(2 * n);
    this.labelEnd = new Int32Array(2 * n).fill(-1);
    this.blossomLink = new Int32Array(n);
    for (let v = 0; v < n; v++) this.blossomLink[v] = v;
    this.alias = new Int32Array(2 * n).fill(-1);
    this.blossomParent = new Int32Array(2 * n).fill(-1);
    this.blossomChilds = new Array<number[] | null>(2 * n).fill(null);
    this.blossomBase = new Int32Array(2 * n).fill(-1);
    for (let v = 0; v < n; v++) this.blossomBase[v] = v;
    this.blossomEndps = new Array<number[] | null>(2 * n).fill(null);
    this.bestEdge = new Int32Array(2 * n).fill(-1);
    this.unusedBlossoms = [];
    for (let b = n; b < 2 * n; b++) this.unusedBlossoms.push(b);
    this.dual = new Float64Array(2 * n);
    for (let v = 0; v < n; v++) this.dual[v] = maxWeight;
    this.allowEdge = new Uint8Array(m);
    this.queue = [];
    this.treeRoot = new Int32Array(2 * n).fill(-1);
    this.dissolveStamp = new Int32Array(2 * n);
    this.gone = new Uint8Array(n);
    this.treeMembers = new Array<number[] | undefined>(n);
    this.now = 0;
    this.stamp = new Float64Array(2 * n);
    this.heap1 = new EventHeap();
    this.heap2 = new EventHeap();
    this.heap3 = new EventHeap();
    this.sEdgeBatch = new Int32Array(S_EDGE_BATCH * n).fill(-1);
    this.sEdgeBatchKey = new Float64Array(S_EDGE_BATCH * n);
    this.bestEdgeFound = new Int32Array(1);
    this.bestEdgeFoundSlack = new Float64Array(1);
    this.heap4 = new EventHeap();
    this.dissolveEpoch = 0;
    this.leafStack = [];
    this.expandLater = [];
    this.resetStack = [];
    this.dissolveTops = [];
    this.dissolveVertices = [];
    this.dissolveExpand = [];
    this.staleKey = new Float64Array(n);
    this.augmentFrames = [];
    this.augmentDone = [];
    this.chainOwner = new Int32Array(2 * n).fill(-1);
    this.chainBelow = new Int32Array(2 * n).fill(-1);
    this.chainEpoch = new Int32Array(2 * n);
    this.augmentEpoch = 0;
    this.warmMatched = 0;
    this.augmentations = 0;
    this.substages = 0;
    this.edgeVisits = 0;
    this.complete = true;
    this.stepVertex = -1;
    this.stepEdge = -1;
    this.stepBlossom = -1;
  }

  /** Takes a given start (see `MatchingOptions.start`), after checking that it is one. */
  startFrom(start: { matchedEdge: Int32Array; dual: Float64Array }): void {
    const { n, m, eu, ev, ew, dual, mate } = this;
    let warmMatched = 0;
    for (let v = 0; v < n; v++) {
      const k = start.matchedEdge[v] as number;
      dual[v] = start.dual[v] as number;
      if (k < 0) continue;
      const i = eu[k] as number;
      if (i !== v && (ev[k] as number) !== v) throw new RangeError(`start: vertex ${v} is matched through edge ${k}, which does not touch it`);
      mate[v] = i === v ? 2 * k + 1 : 2 * k;
      warmMatched++;
    }
    this.warmMatched = warmMatched / 2;
    for (let k = 0; k < m; k++) {
      const tightness = (dual[eu[k] as number] as number) + (dual[ev[k] as number] as number) - 2 * (ew[k] as number);
      if (tightness < 0) throw new RangeError(`start: edge ${k} is not dual feasible`);
      if ((mate[eu[k] as number] as number) === 2 * k + 1 && tightness !== 0) throw new RangeError(`start: matched edge ${k} is not tight`);
    }
  }

  joinTree(b: number): void {
    const { label, blossomParent, treeRoot, treeMembers, n } = this;
    const r = treeRoot[b] as number;
    const members = (treeMembers[r] ??= []);
    members.push(b);
    if (members.length > 2 * n + 64) {
      // Long-lived trees collect stale entries; keep the blossoms still labelled in this tree, once each.
      const kept = new Set(
        members.filter(
          (x) => ((label[x] as number) === 1 || (label[x] as number) === 2) && (blossomParent[x] as number) === -1 && (treeRoot[x] as number) === r,
        ),
      );
      kept.add(b);
      treeMembers[r] = [...kept];
    }
  }

  /** The top-level blossom containing vertex x (or x itself), shortening the links it follows. */
  topOf(x: number): number {
    const b = this.blossomLink[x] as number;
    return (this.alias[b] as number) === -1 ? b : this.followAlias(x, b);
  }

  followAlias(x: number, b: number): number {
    const alias = this.alias;
    let top = b;
    while ((alias[top] as number) !== -1) top = alias[top] as number;
    // Path compression: what links here was inside `top` all along, and is reset when `top` is expanded.
    let c = b;
    while (c !== top) {
      const next = alias[c] as number;
      if (next !== top) alias[c] = top;
      c = next;
    }
    this.blossomLink[x] = top;
    return top;
  }

  dualOf(v: number): number {
    return (this.dual[v] as number) + vertexSign(this.label[this.topOf(v)] as number) * (this.now - (this.stamp[v] as number));
  }

  blossomDualOf(b: number): number {
    const dual = this.dual;
    return (this.blossomParent[b] as number) === -1
      ? (dual[b] as number) - vertexSign(this.label[b] as number) * (this.now - (this.stamp[b] as number))
      : (dual[b] as number);
  }

  settleVertex(v: number): void {
    this.dual[v] = this.dualOf(v);
    this.stamp[v] = this.now;
  }

  settleBlossom(b: number): void {
    this.dual[b] = this.blossomDualOf(b);
    this.stamp[b] = this.now;
  }

  slack(k: number): number {
    return this.dualOf(this.eu[k] as number) + this.dualOf(this.ev[k] as number) - 2 * (this.ew[k] as number);
  }

  /** Appends the vertices inside blossom b to out. */
  leaves(b: number, out: number[]): number[] {
    const { n, leafStack, blossomChilds } = this;
    if (b < n) {
      out.push(b);
      return out;
    }
    leafStack.length = 0;
    leafStack.push(b);
    while (leafStack.length > 0) {
      const x = leafStack.pop() as number;
      if (x < n) out.push(x);
      else {
        const childs = blossomChilds[x] as number[];
        for (let t = childs.length - 1; t >= 0; t--) leafStack.push(childs[t] as number);
      }
    }
    return out;
  }

  assignLabel(w0: number, t0: number, p0: number): void {
    const { n, treeRoot, blossomBase, endpoint, label, labelEnd, bestEdge, queue, heap1, heap4, dual, mate } = this;
    let w = w0;
    let t = t0;
    let p = p0;
    for (;;) {
      const b = this.topOf(w);
      let inside: number[] | undefined;
      if (b < n) this.settleVertex(b);
      else {
        inside = this.leaves(b, []);
        for (const x of inside) this.settleVertex(x);
        this.settleBlossom(b);
      }
      treeRoot[b] = p === -1 ? (blossomBase[b] as number) : (treeRoot[this.topOf(endpoint[p] as number)] as number);
      this.joinTree(b);
      label[w] = t;
      label[b] = t;
      labelEnd[w] = p;
      labelEnd[b] = p;
      bestEdge[w] = -1;
      bestEdge[b] = -1;
      if (t === 1) {
        if (inside === undefined) {
          queue.push(b);
          heap1.push((dual[b] as number) + this.now, b, 0);
        } else {
          for (const x of inside) {
            queue.push(x);
            heap1.push((dual[x] as number) + this.now, x, 0);
          }
        }
        return;
      }
      if (b >= n) heap4.push((dual[b] as number) + this.now, b, 0);
      // t === 2: b became a T-blossom; its base's mate becomes an S-vertex.
      const base = blossomBase[b] as number;
      const mb = mate[base] as number;
      w = endpoint[mb] as number;
      t = 1;
      p = mb ^ 1;
    }
  }

  scanBlossom(v0: number, w0: number): number {
    const { label, labelEnd, blossomBase, endpoint } = this;
    const path: number[] = [];
    let base = -1;
    let v = v0;
    let w = w0;
    while (v !== -1 || w !== -1) {
      let b = this.topOf(v);
      if ((label[b] as number) & 4) {
        base = blossomBase[b] as number;
        break;
      }
      path.push(b);
      label[b] = 5;
      if ((labelEnd[b] as number) === -1) v = -1;
      else {
        v = endpoint[labelEnd[b] as number] as number;
        b = this.topOf(v);
        v = endpoint[labelEnd[b] as number] as number;
      }
      if (w !== -1) {
        const tmp = v;
        v = w;
        w = tmp;
      }
    }
    for (const b of path) label[b] = 1;
    return base;
  }

  addBlossom(base: number, k: number): void {
    const { n, alias, blossomBase, blossomParent, labelEnd, endpoint, blossomChilds, blossomEndps, treeRoot, label, dual, stamp, queue, heap1 } = this;
    let v = this.eu[k] as number;
    let w = this.ev[k] as number;
    const bb = this.topOf(base);
    let bv = this.topOf(v);
    let bw = this.topOf(w);
    const b = this.unusedBlossoms.pop() as number;
    blossomBase[b] = base;
    blossomParent[b] = -1;
    if (bb >= n) this.settleBlossom(bb);
    blossomParent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      if (bv >= n) this.settleBlossom(bv);
      blossomParent[bv] = b;
      path.push(bv);
      endps.push(labelEnd[bv] as number);
      v = endpoint[labelEnd[bv] as number] as number;
      bv = this.topOf(v);
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      if (bw >= n) this.settleBlossom(bw);
      blossomParent[bw] = b;
      path.push(bw);
      endps.push((labelEnd[bw] as number) ^ 1);
      w = endpoint[labelEnd[bw] as number] as number;
      bw = this.topOf(w);
    }
    blossomChilds[b] = path;
    blossomEndps[b] = endps;
    treeRoot[b] = treeRoot[bb] as number;
    this.joinTree(b);
    label[b] = 1;
    labelEnd[b] = labelEnd[bb] as number;
    dual[b] = 0;
    stamp[b] = this.now;
    const inside: number[] = [];
    alias[b] = -1;
    for (let t = 0; t < path.length; t++) {
      const s = path[t] as number;
      // Vertices of T sub-blossoms become S-vertices: their duals change direction, and they are scanned.
      if ((label[s] as number) === 2) {
        this.leaves(s, inside);
        for (let i = 0; i < inside.length; i++) {
          const x = inside[i] as number;
          this.settleVertex(x);
          queue.push(x);
          heap1.push((dual[x] as number) + this.now, x, 0);
        }
        inside.length = 0;
      }
    }
    // Only then: the labels above were read through the sub-blossoms' own top-level entries.
    for (let t = 0; t < path.length; t++) alias[path[t] as number] = b;
    this.bestEdge[b] = -1;
  }

  expandBlossom(b: number, endStage: boolean): void {
    this.expandOne(b, endStage);
    const expandLater = this.expandLater;
    while (expandLater.length > 0) this.expandOne(expandLater.pop() as number, true);
  }

  expandOne(b: number, endStage: boolean): void {
    const { n, blossomChilds, treeRoot, stamp, blossomParent, blossomLink, alias, dual, expandLater, label } = this;
    const childs = blossomChilds[b] as number[];
    const inside = this.leaves(b, []);
    for (const x of inside) this.settleVertex(x);
    this.settleBlossom(b);
    for (const s of childs) {
      treeRoot[s] = treeRoot[b] as number;
      stamp[s] = this.now;
      blossomParent[s] = -1;
      alias[s] = -1;
      if (s < n) blossomLink[s] = s;
      else {
        for (const x of this.leaves(s, [])) blossomLink[x] = s;
        // Expanded after this one (iteratively: zero-dual blossoms can nest deeply).
        if (endStage && (dual[s] as number) === 0) expandLater.push(s);
      }
    }
    if (!endStage && (label[b] as number) === 2) this.relabelExpandedT(b, childs, inside);
    label[b] = -1;
    this.labelEnd[b] = -1;
    blossomChilds[b] = null;
    this.blossomEndps[b] = null;
    this.blossomBase[b] = -1;
    this.bestEdge[b] = -1;
    this.unusedBlossoms.push(b);
  }

  /** Labels the sub-blossoms of T-blossom b, expanded in mid-stage, along the path its tree takes through it. */
  relabelExpandedT(b: number, childs: number[], inside: number[]): void {
    const { n, bestEdge, heap2, label, labelEnd, endpoint, allowEdge, mate, blossomBase } = this;
    // Vertices of the expanded T-blossom that end up unlabelled keep their least-slack edge
    // to an S-blossom (as in the reference): put them back among the delta2 candidates.
    for (const x of inside) {
      let kx = bestEdge[x] as number;
      if (kx === STALE) {
        kx = this.bestEdgeToS(x);
        bestEdge[x] = kx;
      }
      if (kx !== -1) heap2.push(this.slack(kx) + this.now, x, kx);
    }
    const endps = this.blossomEndps[b] as number[];
    const entryChild = this.topOf(endpoint[(labelEnd[b] as number) ^ 1] as number);
    let j = childs.indexOf(entryChild);
    let jStep: number;
    let endTrick: number;
    const len = childs.length;
    if (j & 1) {
      j -= len;
      jStep = 1;
      endTrick = 0;
    } else {
      jStep = -1;
      endTrick = 1;
    }
    let p = labelEnd[b] as number;
    while (j !== 0) {
      label[endpoint[p ^ 1] as number] = 0;
      label[endpoint[cyclicAt(endps, j - endTrick) ^ endTrick ^ 1] as number] = 0;
      this.assignLabel(endpoint[p ^ 1] as number, 2, p);
      allowEdge[cyclicAt(endps, j - endTrick) >> 1] = 1;
      j += jStep;
      p = cyclicAt(endps, j - endTrick) ^ endTrick;
      allowEdge[p >> 1] = 1;
      j += jStep;
    }
    const bv0 = cyclicAt(childs, j);
    label[endpoint[p ^ 1] as number] = 2;
    label[bv0] = 2;
    labelEnd[endpoint[p ^ 1] as number] = p;
    labelEnd[bv0] = p;
    bestEdge[bv0] = -1;
    this.joinTree(bv0);
    if (bv0 >= n) this.heap4.push((this.dual[bv0] as number) + this.now, bv0, 0);
    j += jStep;
    while (cyclicAt(childs, j) !== entryChild) {
      const bv = cyclicAt(childs, j);
      if ((label[bv] as number) === 1) {
        j += jStep;
        continue;
      }
      let found = -1;
      for (const x of this.leaves(bv, [])) {
        if ((label[x] as number) !== 0) {
          found = x;
          break;
        }
      }
      if (found !== -1) {
        label[found] = 0;
        label[endpoint[mate[blossomBase[bv] as number] as number] as number] = 0;
        this.assignLabel(found, 2, labelEnd[found] as number);
      }
      j += jStep;
    }
  }

  /** Least-slack edge from vertex v to an S-blossom other than v's own, or -1 (its slack less v's dual in `bestEdgeToSSlack`). */
  bestEdgeToS(v: number): number {
    const found = this.leastSlackSEdges(v, this.bestEdgeFound, this.bestEdgeFoundSlack, 0, 1);
    this.bestEdgeToSSlack = found === 0 ? Infinity : (this.bestEdgeFoundSlack[0] as number);
    return found === 0 ? -1 : (this.bestEdgeFound[0] as number);
  }

  /**
   * The `limit` least-slack edges from vertex v to S-blossoms other than v's own, least first (on a
   * tie, the first in v's neighbour list), written to edges[at..] with their slack less v's own dual
   * (the same for every edge here, w being an S-vertex) to slacks[at..]. Returns how many there are.
   */
  leastSlackSEdges(v: number, edges: Int32Array, slacks: Float64Array, at: number, limit: number): number {
    const { neighStart, neighVertex, neighWeight2, neighEnd, label, dual, stamp } = this;
    const now = this.now;
    const bv = this.topOf(v);
    let count = 0;
    const end = neighStart[v + 1] as number;
    this.edgeVisits += end - (neighStart[v] as number);
    for (let q = neighStart[v] as number; q < end; q++) {
      const w = neighVertex[q] as number;
      const bw = this.topOf(w);
      if (bw === bv || (label[bw] as number) !== 1) continue;
      const sl = (dual[w] as number) - (now - (stamp[w] as number)) - (neighWeight2[q] as number);
      if (count === limit && sl >= (slacks[at + count - 1] as number)) continue;
      let i = count < limit ? count++ : count - 1;
      while (i > 0 && (slacks[at + i - 1] as number) > sl) {
        slacks[at + i] = slacks[at + i - 1] as number;
        edges[at + i] = edges[at + i - 1] as number;
        i--;
      }
      slacks[at + i] = sl;
      edges[at + i] = (neighEnd[q] as number) >> 1;
    }
    return count;
  }

  resetSubtree(top: number): void {
    const { n, resetStack, label, labelEnd, bestEdge, blossomChilds } = this;
    resetStack.push(top);
    while (resetStack.length > 0) {
      const b = resetStack.pop() as number;
      label[b] = 0;
      labelEnd[b] = -1;
      bestEdge[b] = -1;
      if (b >= n) {
        for (const s of blossomChilds[b] as number[]) resetStack.push(s);
      }
    }
  }

  /** Moves the top-level blossoms still labelled in the tree rooted at r into dissolveTops, once each. */
  collectTree(r: number): void {
    const { treeMembers, label, blossomParent, treeRoot, dissolveStamp, dissolveTops } = this;
    const epoch = this.dissolveEpoch;
    const members = treeMembers[r];
    treeMembers[r] = undefined;
    if (members === undefined) return;
    for (let t = 0; t < members.length; t++) {
      const b = members[t] as number;
      const l = label[b] as number;
      if ((l === 1 || l === 2) && (blossomParent[b] as number) === -1 && (treeRoot[b] as number) === r && (dissolveStamp[b] as number) !== epoch) {
        dissolveStamp[b] = epoch;
        dissolveTops.push(b);
      }
    }
  }

  /**
   * After an augmentation between the trees rooted at r1 and r2: those trees are no longer
   * alternating trees, so their vertices become unlabelled (as at the start of a stage, with
   * zero-dual S-blossoms expanded); every other tree is untouched and stays.
   */
  dissolveTrees(r1: number, r2: number): void {
    this.dissolveEpoch++;
    const tops = this.dissolveTops;
    tops.length = 0;
    this.collectTree(r1);
    if (r2 !== r1) this.collectTree(r2);
    const vertices = this.dissolveVertices;
    vertices.length = 0;
    for (let t = 0; t < tops.length; t++) this.leaves(tops[t] as number, vertices);
    for (let t = 0; t < vertices.length; t++) this.settleVertex(vertices[t] as number);
    this.unlabelTops();
    this.rescanDissolved();
  }

  /** Resets the labels of the dissolved trees' top-level blossoms and expands their S-blossoms with dual 0. */
  unlabelTops(): void {
    const { n, dissolveTops: tops, dissolveExpand, label, dual } = this;
    dissolveExpand.length = 0;
    for (let t = 0; t < tops.length; t++) {
      const b = tops[t] as number;
      if (b < n) continue;
      this.settleBlossom(b);
      if ((label[b] as number) === 1 && (dual[b] as number) === 0) dissolveExpand.push(b);
    }
    for (let t = 0; t < tops.length; t++) this.resetSubtree(tops[t] as number);
    for (let t = 0; t < dissolveExpand.length; t++) this.expandBlossom(dissolveExpand[t] as number, true);
  }

  /**
   * One pass over the dissolved vertices' edges: forget which were allowed, find each one's
   * least-slack edge to a remaining S-blossom, and fix the marks elsewhere that pointed at them.
   */
  rescanDissolved(): void {
    const { dissolveVertices: vertices, gone, neighStart, neighEnd, neighVertex, neighWeight2, allowEdge, label, labelEnd } = this;
    const { dual, stamp, endpoint, bestEdge, staleKey, heap2, queue, eu, ev } = this;
    const now = this.now;
    const count = vertices.length;
    for (let t = 0; t < count; t++) gone[vertices[t] as number] = 1;
    for (let t = 0; t < count; t++) {
      const v = vertices[t] as number;
      const end = neighStart[v + 1] as number;
      this.edgeVisits += end - (neighStart[v] as number);
      let best = -1;
      let bestSlack = Infinity;
      for (let q = neighStart[v] as number; q < end; q++) {
        const k = (neighEnd[q] as number) >> 1;
        allowEdge[k] = 0;
        const x = neighVertex[q] as number;
        if ((gone[x] as number) === 1) continue;
        const bx = this.topOf(x);
        const lx = label[bx] as number;
        if (lx === 1) {
          const sl = (dual[x] as number) - (now - (stamp[x] as number)) - (neighWeight2[q] as number);
          if (sl < bestSlack) {
            bestSlack = sl;
            best = k;
          }
        }
        // A vertex inside a T-blossom of another tree, marked as reached from a dissolved S-vertex:
        // that mark is gone with the tree (the reference clears every mark at each stage).
        if (bx !== x && (label[x] as number) === 2 && (labelEnd[x] as number) >= 0 && endpoint[labelEnd[x] as number] === v) {
          label[x] = 0;
          labelEnd[x] = -1;
        }
        // (An S-vertex's least-slack edge to another S-blossom is in heap3, which finds the next one when it stops being S-S.)
        if ((bestEdge[x] as number) === k && lx !== 1) {
          if (lx === 0) {
            bestEdge[x] = STALE;
            staleKey[x] = this.slack(k) + now;
          } else bestEdge[x] = this.bestEdgeToS(x); // x is inside a T-blossom, and the S-vertex it led to is gone
          // An unlabelled x is recomputed only when needed: its delta2 event (keyed staleKey, no later
          // than any remaining S-edge, which were all at least as slack) recomputes it when it comes
          // up; until then a scanned edge replaces it only when keyed no later than that.
        }
      }
      bestEdge[v] = best;
      if (best !== -1) {
        const sl = this.slack(best);
        heap2.push(sl + now, v, best);
        if (sl <= 0) {
          // Already tight to a remaining S-blossom: let that side scan it again.
          allowEdge[best] = 1;
          queue.push((eu[best] as number) === v ? (ev[best] as number) : (eu[best] as number));
        }
      }
    }
    for (let t = 0; t < count; t++) gone[vertices[t] as number] = 0;
  }

  // Iterative (blossoms can nest thousands deep): each frame flips the path inside one blossom
  // and queues its sub-blossoms; bases are set afterwards, innermost first, as a blossom's base
  // is its first child's.
  augmentBlossom(b0: number, v0: number): void {
    const { augmentFrames, augmentDone, blossomBase, blossomChilds } = this;
    // Parent links do not change while one blossom is augmented, so climbs recorded in this epoch stay true.
    this.augmentEpoch++;
    augmentFrames.push(b0, v0);
    while (augmentFrames.length > 0) {
      const v = augmentFrames.pop() as number;
      const b = augmentFrames.pop() as number;
      this.augmentBlossomStep(b, v);
      augmentDone.push(b);
    }
    while (augmentDone.length > 0) {
      const b = augmentDone.pop() as number;
      blossomBase[b] = blossomBase[(blossomChilds[b] as number[])[0] as number] as number;
    }
  }

  augmentBlossomStep(b: number, v: number): void {
    const { n, blossomParent, blossomChilds, blossomEndps, augmentFrames, endpoint, mate, chainOwner, chainBelow, chainEpoch } = this;
    const epoch = this.augmentEpoch;
    let t: number;
    if ((chainEpoch[b] as number) === epoch && (chainOwner[b] as number) === v) t = chainBelow[b] as number;
    else {
      t = v;
      while ((blossomParent[t] as number) !== b) {
        const up = blossomParent[t] as number;
        chainEpoch[up] = epoch;
        chainOwner[up] = v;
        chainBelow[up] = t;
        t = up;
      }
    }
    if (t >= n) augmentFrames.push(t, v);
    const childs = blossomChilds[b] as number[];
    const endps = blossomEndps[b] as number[];
    const i = childs.indexOf(t);
    let j = i;
    let jStep: number;
    let endTrick: number;
    if (i & 1) {
      j -= childs.length;
      jStep = 1;
      endTrick = 0;
    } else {
      jStep = -1;
      endTrick = 1;
    }
    while (j !== 0) {
      j += jStep;
      let tt = cyclicAt(childs, j);
      const p = cyclicAt(endps, j - endTrick) ^ endTrick;
      if (tt >= n) augmentFrames.push(tt, endpoint[p] as number);
      j += jStep;
      tt = cyclicAt(childs, j);
      if (tt >= n) augmentFrames.push(tt, endpoint[p ^ 1] as number);
      mate[endpoint[p] as number] = p ^ 1;
      mate[endpoint[p ^ 1] as number] = p;
    }
    blossomChilds[b] = childs.slice(i).concat(childs.slice(0, i));
    blossomEndps[b] = endps.slice(i).concat(endps.slice(0, i));
  }

  /** Flips the alternating path from S-vertex s (now matched through endpoint p, or freed when p is -1) up to its tree's root. */
  flipPathToRoot(start: number, startEndpoint: number): void {
    const { n, mate, labelEnd, endpoint } = this;
    let s = start;
    let p = startEndpoint;
    for (;;) {
      const bs = this.topOf(s);
      if (bs >= n) this.augmentBlossom(bs, s);
      mate[s] = p;
      if ((labelEnd[bs] as number) === -1) break;
      const t = endpoint[labelEnd[bs] as number] as number;
      const bt = this.topOf(t);
      s = endpoint[labelEnd[bt] as number] as number;
      const j = endpoint[(labelEnd[bt] as number) ^ 1] as number;
      if (bt >= n) this.augmentBlossom(bt, j);
      mate[j] = labelEnd[bt] as number;
      p = (labelEnd[bt] as number) ^ 1;
    }
  }

  augmentMatching(k: number): void {
    this.flipPathToRoot(this.eu[k] as number, 2 * k + 1);
    this.flipPathToRoot(this.ev[k] as number, 2 * k);
    this.augmentations++;
  }

  /**
   * S-vertex v's dual reached 0: flip the alternating path from v to its tree's root (every
   * edge on it is tight, so the matching keeps its weight and stays complementary), which frees
   * v at dual 0 and matches the root; then the tree is dissolved.
   */
  retire(v: number): void {
    const root = this.treeRoot[this.topOf(v)] as number;
    this.flipPathToRoot(v, -1);
    this.dissolveTrees(root, root);
  }

  /** Scans S-vertex v's edges: grows its tree, forms blossoms, augments, or records least-slack edges. */
  scanVertex(v: number): void {
    const { neighStart, neighVertex, neighEnd, neighWeight2, allowEdge, label, labelEnd, mate, blossomBase, treeRoot, bestEdge, staleKey } = this;
    const now = this.now;
    // v stays an S-vertex and the clock stands still while v is scanned, so its dual is fixed.
    const dualV = this.dualOf(v);
    const end = neighStart[v + 1] as number;
    this.edgeVisits += end - (neighStart[v] as number);
    let bestS = -1;
    let bestSSlack = Infinity;
    for (let q = neighStart[v] as number; q < end; q++) {
      const w = neighVertex[q] as number;
      const bv = this.topOf(v);
      const bw = this.topOf(w);
      if (bv === bw) continue;
      const p = neighEnd[q] as number;
      const k = p >> 1;
      let kSlack = 0;
      if (!allowEdge[k]) {
        kSlack = dualV + this.dualOf(w) - (neighWeight2[q] as number);
        if (kSlack <= 0) allowEdge[k] = 1;
      }
      if (allowEdge[k]) {
        const lw = label[bw] as number;
        if (lw === 0 && (mate[blossomBase[bw] as number] as number) === -1) {
          // A free vertex (or blossom) at dual 0: augment to it.
          const r1 = treeRoot[bv] as number;
          labelEnd[bw] = -1;
          this.augmentMatching(k);
          this.dissolveTrees(r1, r1);
          return;
        } else if (lw === 0) this.assignLabel(w, 2, p ^ 1);
        else if (lw === 1) {
          const base = this.scanBlossom(v, w);
          if (base >= 0) this.addBlossom(base, k);
          else {
            // Augmenting path: flip it, then dissolve only the two trees it joined.
            const r1 = treeRoot[this.topOf(this.eu[k] as number)] as number;
            const r2 = treeRoot[this.topOf(this.ev[k] as number)] as number;
            this.augmentMatching(k);
            this.dissolveTrees(r1, r2);
            return;
          }
        } else if ((label[w] as number) === 0) {
          label[w] = 2;
          labelEnd[w] = p ^ 1;
        }
      } else if ((label[bw] as number) === 1) {
        if (kSlack < bestSSlack) {
          bestSSlack = kSlack;
          bestS = k;
        }
      } else if ((label[w] as number) === 0) {
        const cur = bestEdge[w] as number;
        if (cur === STALE) {
          if (kSlack + now <= (staleKey[w] as number)) {
            bestEdge[w] = k;
            this.heap2.push(kSlack + now, w, k);
          }
        } else if (cur === -1 || kSlack < this.slack(cur)) {
          bestEdge[w] = k;
          this.heap2.push(kSlack + now, w, k);
        }
      }
    }
    if (bestS !== -1) this.heap3.push(bestSSlack + 2 * now, bestS, v);
    // v's S-edges are seen afresh: an earlier batch says nothing about the edges that turned S-S since.
    this.sEdgeBatch[v * S_EDGE_BATCH] = -1;
  }

  /** Scans queued S-vertices until no tight edge is left to follow. */
  drainQueue(): void {
    const { queue, label } = this;
    while (queue.length > 0) {
      const v = queue.pop() as number;
      if ((label[this.topOf(v)] as number) === 1) this.scanVertex(v);
    }
  }

  /** Lazy deletion leaves stale events behind; on long runs they would pile up without bound. */
  compactHeaps(): void {
    const { heap1, heap2, heap3, heap4, label, bestEdge, blossomParent, blossomBase } = this;
    const heapLimit = 4 * (this.m + this.n) + 4096;
    if (heap1.size > heapLimit) heap1.retain((key, v) => (label[this.topOf(v)] as number) === 1 && this.dualOf(v) + this.now === key);
    if (heap2.size > heapLimit)
      heap2.retain((_, v, k) => (label[this.topOf(v)] as number) === 0 && ((bestEdge[v] as number) === k || (bestEdge[v] as number) === STALE));
    if (heap3.size > heapLimit) heap3.retain((key, k, v) => this.isSEdgeEvent(key, k) || (label[this.topOf(v)] as number) === 1);
    if (heap4.size > heapLimit) {
      heap4.retain(
        (key, b) =>
          (blossomBase[b] as number) >= 0 && (blossomParent[b] as number) === -1 && (label[b] as number) === 2 && this.blossomDualOf(b) + this.now === key,
      );
    }
  }

  /** delta1: the least dual of an S-vertex (it must not go below 0); sets stepVertex. */
  delta1(): number {
    const { heap1, label } = this;
    while (heap1.size > 0) {
      const key = heap1.topKey();
      const v = heap1.topA();
      if ((label[this.topOf(v)] as number) !== 1 || this.dualOf(v) + this.now !== key) {
        heap1.pop();
        continue;
      }
      this.stepVertex = v;
      return key - this.now;
    }
    return Infinity;
  }

  /** delta2: the least slack from an S-blossom to an unlabelled vertex; sets stepEdge. */
  delta2(): number {
    const { heap2, bestEdge, label, eu, ev } = this;
    while (heap2.size > 0) {
      const key = heap2.topKey();
      const v = heap2.topA();
      const k = heap2.topB();
      const current = bestEdge[v] as number;
      if ((label[this.topOf(v)] as number) !== 0 || (current !== k && current !== STALE)) {
        heap2.pop();
        continue;
      }
      const other = (eu[k] as number) === v ? (ev[k] as number) : (eu[k] as number);
      if (current === STALE || (label[this.topOf(other)] as number) !== 1 || this.slack(k) + this.now !== key) {
        heap2.pop();
        const fresh = this.bestEdgeToS(v);
        bestEdge[v] = fresh;
        if (fresh !== -1) heap2.push(this.slack(fresh) + this.now, v, fresh);
        continue;
      }
      this.stepEdge = k;
      return key - this.now;
    }
    return Infinity;
  }

  /** Whether a heap3 event (key, edge) still stands: the edge joins two different S-blossoms and its slack has not moved other than with the clock. */
  isSEdgeEvent(key: number, k: number): boolean {
    const i = this.eu[k] as number;
    const j = this.ev[k] as number;
    const bi = this.topOf(i);
    const bj = this.topOf(j);
    const { label, dual, stamp } = this;
    if (bi === bj || (label[bi] as number) !== 1 || (label[bj] as number) !== 1) return false;
    // slack(k) + 2·now with both ends S-vertices (their lazy duals fall with the clock).
    return (dual[i] as number) + (stamp[i] as number) + (dual[j] as number) + (stamp[j] as number) - 2 * (this.ew[k] as number) === key;
  }

  /**
   * Pushes S-vertex v's S_EDGE_BATCH least-slack edges to other S-blossoms into heap3 (owned by v).
   * When the least goes stale (its ends now share a blossom, or one left S), the next is already
   * there and is still v's least among the edges v saw (keys do not move while both ends stay S);
   * edges that turned S-S since are covered from their other end, whose scan found them, and a
   * scan of v itself (v S again) empties the batch. So v's neighbours are scanned
   * again only once all of them are stale: a rescan of every neighbour per stale event cost 110
   * million neighbour visits in seed 45's fourth round at 10,000 people.
   */
  pushBestSEdges(v: number): void {
    const { sEdgeBatch, sEdgeBatchKey } = this;
    const base = v * S_EDGE_BATCH;
    // The batch's keys start as slacks less v's dual, then take v's dual and the clock.
    const count = this.leastSlackSEdges(v, sEdgeBatch, sEdgeBatchKey, base, S_EDGE_BATCH);
    const own = this.dualOf(v) + 2 * this.now;
    for (let i = 0; i < S_EDGE_BATCH; i++) {
      if (i >= count) {
        sEdgeBatch[base + i] = -1;
        continue;
      }
      const key = (sEdgeBatchKey[base + i] as number) + own;
      sEdgeBatchKey[base + i] = key;
      this.heap3.push(key, sEdgeBatch[base + i] as number, v);
    }
  }

  /** Whether one of the edges of v's last batch (see `pushBestSEdges`) still stands. */
  hasStandingSEdge(v: number): boolean {
    const base = v * S_EDGE_BATCH;
    for (let i = 0; i < S_EDGE_BATCH; i++) {
      const k = this.sEdgeBatch[base + i] as number;
      if (k === -1) return false;
      if (this.isSEdgeEvent(this.sEdgeBatchKey[base + i] as number, k)) return true;
    }
    return false;
  }

  /** delta3: half the least slack between two S-blossoms; sets stepEdge. */
  delta3(): number {
    const heap3 = this.heap3;
    while (heap3.size > 0) {
      const key = heap3.topKey();
      const k = heap3.topA();
      if (!this.isSEdgeEvent(key, k)) {
        const owner = heap3.topB();
        heap3.pop();
        // The owner's least-slack edge to another S-blossom is gone: find its next one, if it is still an S-vertex.
        if ((this.label[this.topOf(owner)] as number) === 1 && !this.hasStandingSEdge(owner)) this.pushBestSEdges(owner);
        continue;
      }
      this.stepEdge = k;
      return (key - 2 * this.now) / 2;
    }
    return Infinity;
  }

  /** delta4: the least dual of a T-blossom; sets stepBlossom. */
  delta4(): number {
    const { heap4, blossomBase, blossomParent, label } = this;
    while (heap4.size > 0) {
      const key = heap4.topKey();
      const b = heap4.topA();
      if ((blossomBase[b] as number) < 0 || (blossomParent[b] as number) !== -1 || (label[b] as number) !== 2 || this.blossomDualOf(b) + this.now !== key) {
        heap4.pop();
        continue;
      }
      this.stepBlossom = b;
      return key - this.now;
    }
    return Infinity;
  }

  solve(): void {
    const { n, mate, dual, eu, ev, label, allowEdge, queue } = this;
    // Free vertices with dual 0 already meet complementary slackness and wait unlabelled (an
    // alternating tree that reaches one augments to it); the others root alternating trees.
    for (let v = 0; v < n; v++) if ((mate[v] as number) === -1 && (dual[v] as number) > 0) this.assignLabel(v, 1, -1);
    for (;;) {
      this.drainQueue();
      this.substages++;
      this.compactHeaps();
      // Between two dual steps the matching is valid and the duals feasible, so stopping here is safe.
      if (this.stopAt !== Infinity && (this.substages & 15) === 1 && performance.now() > this.stopAt) {
        this.complete = false;
        break;
      }
      // No augmenting path with tight edges: change the duals by the largest safe delta (the
      // earliest of the four kinds of event; on a tie the lower kind, as each delta is read in turn).
      let deltaType = 0;
      let delta = Infinity;
      const d1 = this.delta1();
      if (d1 < delta) {
        delta = d1;
        deltaType = 1;
      }
      const d2 = this.delta2();
      if (d2 < delta) {
        delta = d2;
        deltaType = 2;
      }
      const edge2 = this.stepEdge;
      const d3 = this.delta3();
      if (d3 < delta) {
        delta = d3;
        deltaType = 3;
      }
      const d4 = this.delta4();
      if (d4 < delta) {
        delta = d4;
        deltaType = 4;
      }
      if (deltaType === 0) break; // no alternating tree left: every free vertex has dual 0
      this.now += delta;
      if (deltaType === 1) {
        this.heap1.pop();
        this.retire(this.stepVertex);
      } else if (deltaType === 2) {
        allowEdge[edge2] = 1;
        let i = eu[edge2] as number;
        if ((label[this.topOf(i)] as number) === 0) i = ev[edge2] as number;
        queue.push(i);
      } else if (deltaType === 3) {
        allowEdge[this.stepEdge] = 1;
        queue.push(eu[this.stepEdge] as number);
      } else {
        this.expandBlossom(this.stepBlossom, false);
      }
    }
  }

  /** The matching, its weight and its certificate, with every dual materialised. */
  solution(): MatchingSolution {
    const { n, mate, endpoint, ew, blossomBase, blossomParent, dual } = this;
    for (let v = 0; v < n; v++) this.settleVertex(v);
    for (let b = n; b < 2 * n; b++) if ((blossomBase[b] as number) >= 0) this.settleBlossom(b);

    const matchedEdge = new Int32Array(n).fill(-1);
    const partner = new Int32Array(n).fill(-1);
    let weight = 0;
    for (let v = 0; v < n; v++) {
      const p = mate[v] as number;
      if (p >= 0) {
        matchedEdge[v] = p >> 1;
        partner[v] = endpoint[p] as number;
        if (v < (endpoint[p] as number)) weight += ew[p >> 1] as number;
      }
    }
    // Sizes bottom-up, children before parents (blossoms can nest thousands deep, so no leaf lists per blossom).
    const blossomSize = new Int32Array(2 * n);
    const depth = new Int32Array(2 * n).fill(-1);
    const climb: number[] = [];
    let deepest = 0;
    for (let x = 0; x < 2 * n; x++) {
      let y = x;
      while ((depth[y] as number) < 0 && (blossomParent[y] as number) !== -1) {
        climb.push(y);
        y = blossomParent[y] as number;
      }
      if ((depth[y] as number) < 0) depth[y] = 0;
      while (climb.length > 0) {
        const c = climb.pop() as number;
        depth[c] = (depth[blossomParent[c] as number] as number) + 1;
        deepest = Math.max(deepest, depth[c]);
      }
    }
    const byDepth: number[][] = Array.from({ length: deepest + 1 }, () => []);
    for (let x = 0; x < 2 * n; x++) if (x < n || (blossomBase[x] as number) >= 0) (byDepth[depth[x] as number] as number[]).push(x);
    for (let d = deepest; d >= 0; d--) {
      for (const x of byDepth[d] as number[]) {
        const p = blossomParent[x] as number;
        if (p !== -1) blossomSize[p] = (blossomSize[p] as number) + (x < n ? 1 : (blossomSize[x] as number));
      }
    }
    const finalDual = dual.slice();
    for (let b = n; b < 2 * n; b++) if ((blossomBase[b] as number) < 0) finalDual[b] = 0;
    return {
      matchedEdge,
      mate: partner,
      weight,
      certificate: { dual: finalDual, blossomParent: blossomParent.slice(), blossomSize },
      stats: { substages: this.substages, warmMatched: this.warmMatched, augmentations: this.augmentations, edgeVisits: this.edgeVisits },
      complete: this.complete,
    };
  }
}

/**
 * A start for the solver without searching (a "jump start"): every vertex takes its heaviest
 * edge's weight as its (doubled) dual, which makes every edge dual feasible; then, in order of
 * decreasing dual, each free vertex lowers its dual as far as its edges allow, which makes at
 * least one of them tight (or the dual 0), and takes a free partner across a tight edge. Matched
 * edges are tight, every edge stays feasible and no dual is negative: a valid start, as the
 * solver lets free vertices hold different duals. Returns the number of edges matched.
 */
function jumpStart(solver: BlossomSolver): number {
  const { n, m, eu, ev, ew, endpoint, neighStart, neighEnd, neighVertex, neighWeight2, mate, dual } = solver;
  for (let v = 0; v < n; v++) dual[v] = 0;
  for (let k = 0; k < m; k++) {
    const w = ew[k] as number;
    const i = eu[k] as number;
    const j = ev[k] as number;
    if (w > (dual[i] as number)) dual[i] = w;
    if (w > (dual[j] as number)) dual[j] = w;
  }
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[v] = v;
  order.sort((a, b) => (dual[b] as number) - (dual[a] as number) || a - b);
  let matched = 0;
  // A second pass lowers vertices whose neighbours were lowered after them (rarely more than that).
  for (let pass = 0; pass < 2; pass++) {
    let changed = false;
    for (let t = 0; t < n; t++) {
      const v = order[t] as number;
      if ((mate[v] as number) !== -1 || (dual[v] as number) === 0) continue;
      const end = neighStart[v + 1] as number;
      let need = 0;
      for (let q = neighStart[v] as number; q < end; q++) {
        const s = (neighWeight2[q] as number) - (dual[neighVertex[q] as number] as number);
        if (s > need) need = s;
      }
      if (need < (dual[v] as number)) changed = true;
      dual[v] = need;
      if (need === 0) continue;
      for (let q = neighStart[v] as number; q < end; q++) {
        const x = neighVertex[q] as number;
        if ((mate[x] as number) === -1 && (neighWeight2[q] as number) - (dual[x] as number) === need) {
          const p = neighEnd[q] as number;
          mate[v] = p;
          mate[x] = p ^ 1;
          matched++;
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  // Short augmenting paths of tight edges: free v – u = u' – x free (flipping them keeps every
  // matched edge tight and matches two more vertices).
  // A matched vertex found with no free neighbour across a tight edge never gets one (vertices are
  // only matched here, and duals stay put), so it is marked and not scanned again: without this the
  // search visited deg² edges per free vertex (12 % of a 2,000-person solve).
  const exhausted = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const v = order[t] as number;
    if ((mate[v] as number) !== -1 || (dual[v] as number) === 0) continue;
    matched += augmentShort(v, endpoint, neighStart, neighEnd, neighVertex, neighWeight2, mate, dual, exhausted);
  }
  return matched;
}

/** Looks for a tight path free v – u = u' – x free and flips it; returns 1 if it did. */
function augmentShort(
  v: number,
  endpoint: Int32Array,
  neighStart: Int32Array,
  neighEnd: Int32Array,
  neighVertex: Int32Array,
  neighWeight2: Float64Array,
  mate: Int32Array,
  dual: Float64Array,
  exhausted: Uint8Array,
): number {
  const dv = dual[v] as number;
  const end = neighStart[v + 1] as number;
  for (let q = neighStart[v] as number; q < end; q++) {
    const u = neighVertex[q] as number;
    const mu = mate[u] as number;
    if (mu === -1 || dv + (dual[u] as number) !== (neighWeight2[q] as number)) continue;
    const p = neighEnd[q] as number;
    const u2 = endpoint[mu] as number;
    if ((exhausted[u2] as number) === 1) continue;
    const du2 = dual[u2] as number;
    const end2 = neighStart[u2 + 1] as number;
    let reachesV = false;
    for (let r = neighStart[u2] as number; r < end2; r++) {
      const x = neighVertex[r] as number;
      if ((mate[x] as number) !== -1 || du2 + (dual[x] as number) !== (neighWeight2[r] as number)) continue;
      if (x === v) {
        reachesV = true;
        continue;
      }
      const p2 = neighEnd[r] as number;
      mate[v] = p;
      mate[u] = p ^ 1;
      mate[u2] = p2;
      mate[x] = p2 ^ 1;
      return 1;
    }
    // v itself stays free (and tight to u2), so u2 is spent only when v was not among its tight free neighbours.
    if (!reachesV) exhausted[u2] = 1;
  }
  return 0;
}

/**
 * A binary min-heap of (key, a, b) events, for the solver's lazily deleted dual-step candidates.
 * Typed arrays (doubled when full): keys that are sometimes integers and sometimes not would
 * otherwise switch a plain array's element kind and throw V8's optimized code away.
 */
class EventHeap {
  private keys = new Float64Array(64);
  private as = new Int32Array(64);
  private bs = new Int32Array(64);
  size = 0;

  /** Drops the events `keep` rejects (stale ones, under lazy deletion) and restores the heap order. */
  retain(keep: (key: number, a: number, b: number) => boolean): void {
    const { keys, as, bs } = this;
    let size = 0;
    for (let i = 0; i < this.size; i++) {
      if (!keep(keys[i] as number, as[i] as number, bs[i] as number)) continue;
      keys[size] = keys[i] as number;
      as[size] = as[i] as number;
      bs[size] = bs[i] as number;
      size++;
    }
    this.size = size;
    for (let i = (size >> 1) - 1; i >= 0; i--) this.siftDown(i, keys[i] as number, as[i] as number, bs[i] as number);
  }

  topKey(): number {
    return this.keys[0] as number;
  }

  topA(): number {
    return this.as[0] as number;
  }

  topB(): number {
    return this.bs[0] as number;
  }

  push(key: number, a: number, b: number): void {
    if (this.size === this.keys.length) this.grow();
    const { keys, as, bs } = this;
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if ((keys[up] as number) <= key) break;
      keys[at] = keys[up] as number;
      as[at] = as[up] as number;
      bs[at] = bs[up] as number;
      at = up;
    }
    keys[at] = key;
    as[at] = a;
    bs[at] = b;
  }

  pop(): void {
    const size = --this.size;
    if (size <= 0) {
      this.size = 0;
      return;
    }
    this.siftDown(0, this.keys[size] as number, this.as[size] as number, this.bs[size] as number);
  }

  private siftDown(from: number, key: number, a: number, b: number): void {
    const { keys, as, bs } = this;
    const size = this.size;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && (keys[right] as number) < (keys[left] as number) ? right : left;
      if ((keys[child] as number) >= key) break;
      keys[at] = keys[child] as number;
      as[at] = as[child] as number;
      bs[at] = bs[child] as number;
      at = child;
    }
    keys[at] = key;
    as[at] = a;
    bs[at] = b;
  }

  private grow(): void {
    const capacity = 2 * this.keys.length;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    const as = new Int32Array(capacity);
    as.set(this.as);
    const bs = new Int32Array(capacity);
    bs.set(this.bs);
    this.keys = keys;
    this.as = as;
    this.bs = bs;
  }
}

/**
 * Checks, independently of the solver, that a matching is optimal: the duals are feasible
 * for every edge, and the matching's weight equals the dual objective
 * Σ y_v + Σ z_B·⌊|B|/2⌋ (weak duality then makes both optimal). Returns the problems found.
 */
export function verifyMatchingCertificate(graph: WeightedEdges, solution: Pick<MatchingSolution, 'mate' | 'matchedEdge' | 'certificate'>): string[] {
  const n = graph.vertexCount;
  const { dual, blossomParent } = solution.certificate;
  const problems: string[] = [];
  const chain = (v: number): number[] => {
    const out: number[] = [];
    for (let b = blossomParent[v] as number; b !== -1; b = blossomParent[b] as number) out.push(b);
    return out;
  };
  for (let v = 0; v < n; v++) {
    if ((dual[v] as number) < 0) problems.push(`vertex ${v} has a negative dual`);
    const partner = solution.mate[v] as number;
    if (partner === -1 && (dual[v] as number) !== 0) problems.push(`unmatched vertex ${v} has a non-zero dual ${dual[v]}`);
    if (partner !== -1 && solution.mate[partner] !== v) problems.push(`vertex ${v} and ${partner} disagree on their match`);
  }
  for (let b = n; b < 2 * n; b++) if ((dual[b] as number) < 0) problems.push(`blossom ${b} has a negative dual`);
  for (let k = 0; k < graph.weight.length; k++) {
    const i = graph.from[k] as number;
    const j = graph.to[k] as number;
    const w = graph.weight[k] as number;
    const ci = new Set(chain(i));
    let zSum = 0;
    for (const b of chain(j)) if (ci.has(b)) zSum += dual[b] as number;
    const s = (dual[i] as number) + (dual[j] as number) + 2 * zSum - 2 * w;
    if (s < 0) problems.push(`edge ${k} (${i}-${j}) violates its dual constraint by ${-s}`);
  }
  let primal = 0;
  for (let v = 0; v < n; v++) {
    const k = solution.matchedEdge[v] as number;
    const partner = solution.mate[v] as number;
    if (k === -1) continue;
    const ends = [graph.from[k], graph.to[k]];
    if (!ends.includes(v) || !ends.includes(partner)) problems.push(`vertex ${v} is matched through edge ${k}, which does not join it to ${partner}`);
    if (v < partner) primal += graph.weight[k] as number;
  }
  let dualObjective = 0;
  for (let v = 0; v < n; v++) dualObjective += (dual[v] as number) / 2;
  // Blossom sizes counted here from the parent links, not taken from the solver.
  const sizeOf = new Int32Array(2 * n);
  for (let v = 0; v < n; v++) for (const b of chain(v)) sizeOf[b] = (sizeOf[b] as number) + 1;
  for (let b = n; b < 2 * n; b++) {
    const size = sizeOf[b] as number;
    if (size > 0 && (dual[b] as number) > 0) {
      if (size % 2 === 0) problems.push(`blossom ${b} has an even number of vertices`);
      dualObjective += (dual[b] as number) * Math.floor(size / 2);
    }
  }
  if (primal !== dualObjective) problems.push(`matching weight ${primal} differs from the dual objective ${dualObjective}`);
  return problems;
}
