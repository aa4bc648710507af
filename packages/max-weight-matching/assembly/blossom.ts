/**
 * Maximum-weight matching in a general graph, in AssemblyScript: the single implementation of
 * the algorithm the package runs. It is compiled ahead of time to WebAssembly
 * (scripts/build-wasm.ts), so that V8 does not have to JIT-compile the solver in every fresh
 * process (a Lambda invocation, a CLI run) before it runs fast; src/matching-solver.ts is its host side:
 * it checks the input, copies it into this module's memory, and copies the results out.
 *
 * Edmonds' blossom algorithm with the primal-dual method of Galil ("Efficient algorithms for
 * finding maximum matching in graphs", 1986), O(n³): a typed-array port of Joris van
 * Rantwijk's public-domain reference implementation (mwmatching.py, the algorithm networkx's
 * max_weight_matching uses), written so that the optimal dual solution is returned with the
 * matching: anyone can check optimality with `verifyMatchingCertificate` (src/matching-solver.ts).
 *
 * Weights must be integers (scale them); then every dual stays an integer and the certificate
 * check is exact. Duals use the reference implementation's scale: a vertex dual is 2·y_v and a
 * blossom dual is z_B, so an edge (i, j, w) is dual feasible when
 * dual[i] + dual[j] + 2·Σ{z_B : i, j ∈ B} ≥ 2w.
 *
 * One solve, as the host runs it:
 *   setup(n, m, withStart);  write the edges at fromPtr(), toPtr(), weightPtr() (and the start
 *   at startMatchedEdgePtr(), startDualPtr());  solve(stopAt);  read the results at matePtr() etc.
 * The module holds one solve at a time in module globals. It runs on the stub runtime (a bump
 * allocator that never frees): setup() rewinds the heap, so each solve reuses the memory of the
 * last, and the previous solve's results are gone once the next one is set up.
 */

/** The host's clock (`performance.now()`), read only when a deadline is set. */
@external("env", "performanceNow")
declare function performanceNow(): f64;

// What solve() returns (src/matching-solver.ts mirrors these constants): the solve ran (to the end or to
// the deadline), or the start was no valid one, for the vertex or edge `errorIndex` returns.
const SOLVED: i32 = 0;
/** start: a vertex is matched through an edge that does not touch it. */
const START_EDGE_NOT_AT_VERTEX: i32 = 1;
/** start: an edge is not dual feasible. */
const START_EDGE_INFEASIBLE: i32 = 2;
/** start: a matched edge is not tight. */
const START_MATCHED_EDGE_NOT_TIGHT: i32 = 3;
// What checkEdges() returns besides SOLVED, for the edge `errorIndex` returns.
/** An edge's weight is not a non-negative integer (NaN and the infinities included). */
const EDGE_WEIGHT_NOT_WHOLE: i32 = 4;
/** An edge joins a vertex to itself. */
const EDGE_IS_LOOP: i32 = 5;
/** An edge's end is not one of the n vertices. */
const EDGE_END_OUT_OF_RANGE: i32 = 6;
// What splitCapacities() returns besides SOLVED, EDGE_IS_LOOP and EDGE_END_OUT_OF_RANGE (the vertex or edge in `errorIndex`).
/** A capacity is negative. */
const CAPACITY_NEGATIVE: i32 = 7;
/** The split graph would have more vertices or edges than a solve can hold (`MAX_SOLVED`). */
const SPLIT_TOO_LARGE: i32 = 8;
/**
 * The most vertices, and edges, a split graph may have: a solve allocates 2·n and 2·m doubles in one
 * array each, and an AssemblyScript array holds at most 2^30 bytes.
 */
const MAX_SOLVED: i64 = (1 << 26) - 1;

/** How many least-slack edges to other S-blossoms an S-vertex's rescan keeps in heap3 (see `pushBestSEdges`). */
const S_EDGE_BATCH: i32 = 4;

/** bestEdge of an unlabelled vertex whose least-slack edge led into a dissolved tree: recomputed when needed. */
const STALE: i32 = -2;

/** The sign of a vertex's lazy dual under its top-level blossom's label (S −1, T +1, else 0). */
@inline function vertexSign(l: i32): f64 {
  return l == 1 || l == 5 ? -1.0 : l == 2 ? 1.0 : 0.0;
}

/** list[index], counting a negative index from the end (the reference's Python indexing). */
@inline function cyclicAt(list: Array<i32>, index: i32): i32 {
  return list[index < 0 ? index + list.length : index];
}

/** A binary min-heap of (key, a, b) events, for the solver's lazily deleted dual-step candidates (typed arrays, doubled when full). */
class EventHeap {
  keys: Float64Array = new Float64Array(64);
  as: Int32Array = new Int32Array(64);
  bs: Int32Array = new Int32Array(64);
  size: i32 = 0;

  @inline topKey(): f64 {
    return this.keys[0];
  }

  @inline topA(): i32 {
    return this.as[0];
  }

  @inline topB(): i32 {
    return this.bs[0];
  }

  push(key: f64, a: i32, b: i32): void {
    if (this.size == this.keys.length) this.grow();
    const keys = this.keys;
    const as = this.as;
    const bs = this.bs;
    let at = this.size++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (keys[up] <= key) break;
      keys[at] = keys[up];
      as[at] = as[up];
      bs[at] = bs[up];
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
    this.siftDown(0, this.keys[size], this.as[size], this.bs[size]);
  }

  siftDown(from: i32, key: f64, a: i32, b: i32): void {
    const keys = this.keys;
    const as = this.as;
    const bs = this.bs;
    const size = this.size;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && keys[right] < keys[left] ? right : left;
      if (keys[child] >= key) break;
      keys[at] = keys[child];
      as[at] = as[child];
      bs[at] = bs[child];
      at = child;
    }
    keys[at] = key;
    as[at] = a;
    bs[at] = b;
  }

  /** Restores the heap order after `retain` has dropped events in place. */
  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i], this.as[i], this.bs[i]);
  }

  grow(): void {
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

// ------------------------------------------------------------------------------------------------
// The state of one solve. Every global is (re)allocated by setup() and init(), after the heap is rewound;
// the empty arrays below only give each global its type (the first setup() discards them).

let n: i32 = 0;
let m: i32 = 0;
let eu = new Int32Array(0);
let ev = new Int32Array(0);
let ew = new Float64Array(0);
/** Whether the host gives a start (see `startFrom`): a matched edge per vertex (-1 when free) and the vertex duals. */
/**
 * The edges of the graph being solved: every edge, or in a dense graph the core and the left-out
 * edges pricing added (see `solve`). Neighbour lists, the jump start and the start's checks read
 * these; matched edges and the results keep the edges' own numbers.
 */
let active = new Int32Array(0);
let activeCount: i32 = 0;
/** 1 for the edges in `active`. */
let inActive = new Uint8Array(0);
/** Best-response passes of `approximateDuals`. */
const CORE_DUAL_PASSES: i32 = 3;
/** Each vertex's edges that make the first round's graph of a dense solve (see `chooseCore`); 0 solves every edge at once. */
let coreDegree: i32 = 0;
/** Rounds of solving and pricing (1 when every edge was solved at once). */
let rounds: i32 = 0;
let hasStart: bool = false;
let startMatchedEdge = new Int32Array(0);
let startDual = new Float64Array(0);
let stopAt: f64 = Infinity;
/** endpoint(p) for p = 2k is from[k], for p = 2k+1 is to[k]. */
let endpoint = new Int32Array(0);
/** Neighbours as CSR of endpoint ids: the slots of vertex v are neighStart[v] .. neighStart[v + 1]. */
let neighStart = new Int32Array(0);
let neighEnd = new Int32Array(0);
/**
 * The neighbour and twice the weight beside each endpoint id, so that the hot loops read them in
 * order instead of looking up endpoint[p] and ew[p >> 1] at scattered places.
 */
let neighVertex = new Int32Array(0);
let neighWeight2 = new Float64Array(0);
/** Endpoint index of the partner, as in the reference; -1 when free. */
let mate = new Int32Array(0);
let label = new Int32Array(0);
let labelEnd = new Int32Array(0);
/**
 * Where to start looking up each vertex's top-level blossom (see `topOf`): the vertex itself, or a
 * blossom containing it. A new blossom links its sub-blossoms to itself (`alias`) instead of
 * relabelling every vertex inside them: around one giant blossom that grew a level at a time,
 * relabelling cost the size of the giant per new level (seed 45 at 5,000 people: 30,000 blossoms
 * formed, 372 million vertices relabelled).
 */
let blossomLink = new Int32Array(0);
/** The blossom a vertex or sub-blossom was wrapped into while top-level, or -1 while it is top-level (for `topOf`). */
let alias = new Int32Array(0);
let blossomParent = new Int32Array(0);
let blossomChilds = new Array<Array<i32> | null>(0);
let blossomBase = new Int32Array(0);
let blossomEndps = new Array<Array<i32> | null>(0);
let bestEdge = new Int32Array(0);
let unusedBlossoms = new Array<i32>(0);
let dual = new Float64Array(0);
let allowEdge = new Uint8Array(0);
let queue = new Array<i32>(0);
/** The free vertex at the root of the alternating tree of each labelled top-level blossom. */
let treeRoot = new Int32Array(0);
let dissolveStamp = new Int32Array(0);
let gone = new Uint8Array(0);
/** The top-level blossoms labelled in each tree, by root (a superset: filtered when the tree is dissolved). */
let treeMembers = new Array<Array<i32> | null>(0);
/** Marks of the blossoms kept when `joinTree` filters a tree's members (a set without allocating one per call). */
let keptStamp = new Int32Array(0);
let keptEpoch: i32 = 0;
/**
 * Lazy duals: every dual step adds delta to the clock `now` instead of touching each dual.
 * A vertex's dual is dual[v] + sign·(now − stamp[v]), the sign following the label of its
 * top-level blossom (S −1, T +1, else 0); a top-level blossom's is dual[b] − sign·(now − stamp[b]).
 * Before a label (or top-level blossom) changes, the duals concerned are materialised.
 */
let now: f64 = 0;
let stamp = new Float64Array(0);
// Events of the next dual step, keyed so that keys do not move as the clock runs (lazy deletion):
// delta2 (S to unlabelled: slack + now), delta3 (S to S: slack + 2·now), delta4 (T-blossom: z + now),
// delta1 (an S-vertex's dual reaching 0: dual + now), for free vertices that need not share one dual.
let heap1 = new EventHeap();
let heap2 = new EventHeap();
let heap3 = new EventHeap();
let heap4 = new EventHeap();
/**
 * The least-slack edges to other S-blossoms that an S-vertex's last rescan pushed into heap3
 * (S_EDGE_BATCH slots per vertex, -1 when empty), with their keys: while one of them still
 * stands, a stale event of that vertex needs no rescan (see `pushBestSEdges`).
 */
let sEdgeBatch = new Int32Array(0);
let sEdgeBatchKey = new Float64Array(0);
/** Where `bestEdgeToS` has `leastSlackSEdges` write its one edge. */
let bestEdgeFound = new Int32Array(0);
let bestEdgeFoundSlack = new Float64Array(0);
let dissolveEpoch: i32 = 0;
let leafStack = new Array<i32>(0);
let expandLater = new Array<i32>(0);
let resetStack = new Array<i32>(0);
// Buffers reused by every dissolve.
let dissolveTops = new Array<i32>(0);
let dissolveVertices = new Array<i32>(0);
let dissolveExpand = new Array<i32>(0);
/** For a vertex whose bestEdge is STALE: the key of its pending delta2 event, no later than any of its S-edges' keys. */
let staleKey = new Float64Array(0);
/**
 * For a vertex whose bestEdge is an edge: that edge's slack plus the clock when it was chosen (the
 * key of its delta2 event). While the vertex's top-level blossom stays unlabelled and the edge's
 * other end stays an S-vertex, the slack falls as the clock runs, so the key stands for the slack
 * without reading both ends' duals (see `scanVertex`).
 */
let bestKey = new Float64Array(0);
// Iterative blossom augmentation (blossoms can nest thousands deep).
let augmentFrames = new Array<i32>(0);
let augmentDone = new Array<i32>(0);
/**
 * The climb from a vertex up to the blossom being augmented, kept per blossom on the way (the
 * child below it towards vertex `chainOwner`, within augmentation `chainEpoch`): the frames
 * for the nested sub-blossoms on that path then read their child instead of climbing again from
 * the vertex, which cost depth² per augmentation through a blossom nested thousands deep.
 */
let chainOwner = new Int32Array(0);
let chainBelow = new Int32Array(0);
let chainEpoch = new Int32Array(0);
let augmentEpoch: i32 = 0;
/** Matched edges at the start (half the vertices a given start matches). */
let warmMatched: f64 = 0;
let augmentations: i32 = 0;
let substages: i32 = 0;
let edgeVisits: f64 = 0;
/** False when the solve was stopped at `stopAt`. */
let complete: bool = true;
/** What the chosen dual step does: the vertex that retires (delta1), the edge that turns tight (delta2, delta3), the blossom expanded (delta4). */
let stepVertex: i32 = -1;
let stepEdge: i32 = -1;
let stepBlossom: i32 = -1;
/** The vertex or edge a rejected start was rejected for. */
let rejected: i32 = -1;

// The results of the last solve (see `solution`).
let weight: f64 = 0;
let outMate = new Int32Array(0);
let outMatchedEdge = new Int32Array(0);
let outDual = new Float64Array(0);
let outBlossomParent = new Int32Array(0);
let outBlossomSize = new Int32Array(0);

// ------------------------------------------------------------------------------------------------
// The interface to the host.

/**
 * Starts a solve of n vertices and m edges: rewinds the heap (everything the last solve allocated,
 * its results included, is gone) and allocates the input arrays for the host to fill.
 */
export function setup(vertexCount: i32, edgeCount: i32, withStart: bool, coreEdgesPerVertex: i32): void {
  // @ts-expect-error: the stub runtime's heap rewind (rt/stub.ts), which AssemblyScript's type declarations leave out
  __reset();
  n = vertexCount;
  m = edgeCount;
  coreDegree = coreEdgesPerVertex;
  eu = new Int32Array(m);
  ev = new Int32Array(m);
  ew = new Float64Array(m);
  hasStart = withStart;
  startMatchedEdge = new Int32Array(withStart ? n : 0);
  startDual = new Float64Array(withStart ? n : 0);
}

export function fromPtr(): usize {
  return eu.dataStart;
}
export function toPtr(): usize {
  return ev.dataStart;
}
export function weightPtr(): usize {
  return ew.dataStart;
}
export function startMatchedEdgePtr(): usize {
  return startMatchedEdge.dataStart;
}
export function startDualPtr(): usize {
  return startDual.dataStart;
}

/**
 * Checks the edges written after setup(), which the solve uses as indices and whose weights it
 * assumes whole: returns SOLVED, or the first edge's problem (the edge in `errorIndex`), in the
 * order weight, loop, ends. Here rather than in the host, where a fresh process ran the same loop
 * as JavaScript not yet compiled (10-15 ms of a 1,000-person solve of 115,000 edges).
 */
/** As Number.isInteger(w) && w >= 0: NaN fails the first test, the infinities the second. */
@inline function isWholeWeight(w: f64): bool {
  return w >= 0 && w != Infinity && Math.floor(w) == w;
}

export function checkEdges(): i32 {
  for (let k = 0; k < m; k++) {
    const w = ew[k];
    if (!isWholeWeight(w)) {
      rejected = k;
      return EDGE_WEIGHT_NOT_WHOLE;
    }
    const i = eu[k];
    const j = ev[k];
    if (i == j) {
      rejected = k;
      return EDGE_IS_LOOP;
    }
    if (<u32>i >= <u32>n || <u32>j >= <u32>n) {
      rejected = k;
      return EDGE_END_OUT_OF_RANGE;
    }
  }
  return SOLVED;
}

/**
 * Solves the instance set up, from the start written (when setup was told there is one) or else
 * from a jump start, stopping after the first check of the clock past `deadline` (a
 * `performance.now()` time; Infinity for none). Returns SOLVED, or why the edges (see
 * `checkEdges`, which the host calls first to report edges before the start) or the start were
 * rejected.
 */
export function solve(deadline: f64): i32 {
  const edgeProblem = checkEdges();
  if (edgeProblem != SOLVED) return edgeProblem;
  stopAt = deadline;
  endpoint = new Int32Array(2 * m);
  for (let k = 0; k < m; k++) {
    endpoint[2 * k] = eu[k];
    endpoint[2 * k + 1] = ev[k];
  }
  warmMatched = 0;
  augmentations = 0;
  substages = 0;
  edgeVisits = 0;
  rounds = 1;
  inActive = new Uint8Array(m);
  // A dense graph without a given start is solved on a core first: each vertex's coreDegree best
  // edges (`chooseCore`), a tenth of the edges at 1,000 people. The core's optimum is the graph's
  // when its duals are feasible for every left-out edge (the matching and the duals then meet
  // every optimality condition on the whole graph); otherwise the violated edges join the core
  // and the next round starts from the last one's solution (`flattenSolution`). A search visits
  // every neighbour of the vertices it scans, so a solve on 8 neighbours instead of 100 or more
  // does a fraction of the visits (a seventh of them, 1,000 people, seed 43).
  if (!hasStart && coreDegree > 0 && <i64>m > 2 * <i64>coreDegree * <i64>n) {
    chooseCore();
    solveAndPrice();
    return SOLVED;
  }
  for (let k = 0; k < m; k++) inActive[k] = 1;
  active = new Int32Array(m);
  for (let k = 0; k < m; k++) active[k] = k;
  activeCount = m;
  init(false);
  // Without a given start, a jump start (see `jumpStart`): duals from each vertex's heaviest
  // edge, lowered greedily, with tight edges between free vertices matched. It is valid because
  // free vertices may hold different duals (see the delta1 events).
  if (hasStart) {
    const rejection = startFrom();
    if (rejection != SOLVED) return rejection;
  } else if (m > 0) warmMatched = <f64>jumpStart();
  run();
  solution();
  return SOLVED;
}

/**
 * The core of a dense graph into `active`: every vertex's coreDegree best edges by weight less
 * both ends' approximate duals (the lower edge number first among equals), in the order of their
 * numbers. Each vertex keeps its choice in a min-heap of coreDegree slots, the worst at its top.
 */
function chooseCore(): void {
  approximateDuals();
  const slots = coreDegree;
  const chosen = new Int32Array(n * slots);
  const count = new Int32Array(n);
  for (let k = 0; k < m; k++) {
    offerToCore(chosen, count, eu[k], k, slots);
    offerToCore(chosen, count, ev[k], k, slots);
  }
  let total = 0;
  for (let v = 0; v < n; v++) {
    const base = v * slots;
    for (let t = 0; t < count[v]; t++) {
      const k = chosen[base + t];
      if (inActive[k] == 0) {
        inActive[k] = 1;
        total++;
      }
    }
  }
  active = new Int32Array(total);
  let at = 0;
  for (let k = 0; k < m; k++) if (inActive[k] == 1) active[at++] = k;
  activeCount = total;
}

/** Approximate vertex duals for choosing the core (see `approximateDuals`). */
let coreDual = new Float64Array(0);

/**
 * Vertex duals y that approximately solve the dual of the fractional matching LP, so that the core
 * takes the edges likely to be in the optimum: those whose weight is close to y_i + y_j
 * (complementary slackness), not only heavy ones, which crowd around the most sought-after
 * vertices. From half of each vertex's heaviest edge, CORE_DUAL_PASSES damped best responses: each
 * vertex moves halfway to the largest w − y_j over its edges.
 */
function approximateDuals(): void {
  coreDual = new Float64Array(n);
  const reply = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    const w = ew[k];
    if (w > reply[eu[k]]) reply[eu[k]] = w;
    if (w > reply[ev[k]]) reply[ev[k]] = w;
  }
  for (let v = 0; v < n; v++) coreDual[v] = reply[v] / 2;
  for (let pass = 0; pass < CORE_DUAL_PASSES; pass++) {
    reply.fill(0);
    for (let k = 0; k < m; k++) {
      const i = eu[k];
      const j = ev[k];
      const w = ew[k];
      if (w - coreDual[j] > reply[i]) reply[i] = w - coreDual[j];
      if (w - coreDual[i] > reply[j]) reply[j] = w - coreDual[i];
    }
    for (let v = 0; v < n; v++) coreDual[v] = (coreDual[v] + reply[v]) / 2;
  }
}

/** Whether edge a ranks below edge b for a vertex's core: a lower weight less both ends' approximate duals, or the same with a higher number. */
@inline function lighter(a: i32, b: i32): bool {
  const wa = ew[a] - coreDual[eu[a]] - coreDual[ev[a]];
  const wb = ew[b] - coreDual[eu[b]] - coreDual[ev[b]];
  return wa < wb || (wa == wb && a > b);
}

/** Offers edge k to vertex v's heap of its best edges (`chooseCore`). */
function offerToCore(chosen: Int32Array, count: Int32Array, v: i32, k: i32, slots: i32): void {
  const base = v * slots;
  let size = count[v];
  let at: i32;
  if (size < slots) {
    // Sift up from the new last slot.
    at = size;
    count[v] = size + 1;
    while (at > 0) {
      const up = (at - 1) >> 1;
      const above = chosen[base + up];
      if (!lighter(k, above)) break;
      chosen[base + at] = above;
      at = up;
    }
    chosen[base + at] = k;
    return;
  }
  if (!lighter(chosen[base], k)) return;
  // Replace the worst and sift down.
  at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    let child = left;
    const right = left + 1;
    if (right < size && lighter(chosen[base + right], chosen[base + left])) child = right;
    const below = chosen[base + child];
    if (!lighter(below, k)) break;
    chosen[base + at] = below;
    at = child;
  }
  chosen[base + at] = k;
}

/**
 * Solves the core, then prices every left-out edge against the optimal duals and solves again
 * with the violated ones, until none is violated (see `solve`). Each round after the first starts
 * from the last round's matching and duals, flattened (`flattenSolution`, `raiseToCover`).
 */
function solveAndPrice(): void {
  startMatchedEdge = new Int32Array(n);
  startDual = new Float64Array(n);
  const violated = new Array<i32>(0);
  // The last complete round's matching: a deadline in a later round returns it if it is heavier
  // than what that round has rebuilt (the start from it frees the vertices around blossoms).
  let keptWeight: f64 = -1;
  let keptMate = new Int32Array(0);
  let keptMatchedEdge = new Int32Array(0);
  for (;;) {
    init(rounds > 1);
    if (rounds == 1) warmMatched = <f64>jumpStart();
    else {
      const jumpStartMatched = warmMatched;
      if (startFrom() != SOLVED) abort('pricing: the start from the last round is no valid start');
      warmMatched = jumpStartMatched;
    }
    run();
    solution();
    if (complete) {
      priceLeftOut(violated);
      if (violated.length == 0) return;
      if (stopAt == Infinity || performanceNow() <= stopAt) {
        keptWeight = weight;
        keptMate = outMate.slice();
        keptMatchedEdge = outMatchedEdge.slice();
        flattenSolution(true);
        const added = new Int32Array(activeCount + violated.length);
        added.set(active.subarray(0, activeCount));
        for (let t = 0; t < violated.length; t++) {
          const k = violated[t];
          added[activeCount + t] = k;
          inActive[k] = 1;
          raiseToCover(k, true);
        }
        active = added;
        activeCount = added.length;
        violated.length = 0;
        rounds++;
        continue;
      }
      // The deadline passed between two rounds: this round's optimum of the core is the result.
      complete = false;
    }
    stopWithFeasibleDuals();
    if (keptWeight > weight) {
      outMate = keptMate;
      outMatchedEdge = keptMatchedEdge;
      weight = keptWeight;
    }
    return;
  }
}

/**
 * Stopped at the deadline: the matching is valid, and the duals are made feasible for the
 * left-out edges too (flattened, with one end raised where an edge is short), as a stopped
 * solve's duals are for every edge, whichever valid matching goes with them.
 */
function stopWithFeasibleDuals(): void {
  flattenSolution(false);
  for (let k = 0; k < m; k++) {
    if (inActive[k] == 0) raiseToCover(k, false);
  }
  for (let v = 0; v < n; v++) outDual[v] = startDual[v];
  for (let b = n; b < 2 * n; b++) {
    outDual[b] = 0;
    outBlossomParent[b] = -1;
    outBlossomSize[b] = 0;
  }
  for (let v = 0; v < n; v++) outBlossomParent[v] = -1;
}

/**
 * Σ z_B of the blossoms around each node of the last solution, the node's own z included (for a
 * blossom), each node's depth and top-level blossom: measured by `solution` for the blossom sizes,
 * and read by pricing and the flattened start.
 */
let zWithin = new Float64Array(0);
let nodeDepth = new Int32Array(0);
/** The top-level blossom of each node of the last solution (the node itself at the top). */
let nodeTop = new Int32Array(0);
let deepest: i32 = 0;
/**
 * Ancestors for the innermost common blossom of two nodes (binary lifting): at jump[l·2n + x] the
 * blossom 2^l levels above x, or -1. Blossoms nest thousands deep around most of a cohort (1,000
 * people, seed 43), where climbing one level at a time took 7.8 million steps a solve.
 */
let jump = new Int32Array(0);
let jumpLevels: i32 = 0;

function measureBlossoms(): void {
  zWithin = new Float64Array(2 * n);
  nodeDepth = new Int32Array(2 * n).fill(-1);
  nodeTop = new Int32Array(2 * n);
  deepest = 0;
  jumpLevels = 0;
  const climb = new Array<i32>(0);
  for (let x = 0; x < 2 * n; x++) {
    let y = x;
    while (nodeDepth[y] < 0 && outBlossomParent[y] != -1) {
      climb.push(y);
      y = outBlossomParent[y];
    }
    if (nodeDepth[y] < 0) {
      nodeDepth[y] = 0;
      zWithin[y] = y >= n ? outDual[y] : 0;
      nodeTop[y] = y;
    }
    while (climb.length > 0) {
      const c = climb.pop();
      const p = outBlossomParent[c];
      nodeDepth[c] = nodeDepth[p] + 1;
      if (nodeDepth[c] > deepest) deepest = nodeDepth[c];
      nodeTop[c] = nodeTop[p];
      zWithin[c] = (c >= n ? outDual[c] : 0) + zWithin[p];
    }
  }
}

/**
 * The left-out edges the last solution's duals do not cover, into `violated`: edge (i, j, w) is
 * covered when dual[i] + dual[j] + 2·Σ{z_B : i, j ∈ B} ≥ 2w. The blossoms around both ends are
 * looked at only for edges the vertex duals alone leave short, and climbed to the innermost common
 * one only when neither the top-level blossom's z (counted in any case) nor the smaller of the two
 * chains' totals (at most what counts) settles the question.
 */
function priceLeftOut(violated: Array<i32>): void {
  for (let k = 0; k < m; k++) {
    if (inActive[k] == 1) continue;
    const i = eu[k];
    const j = ev[k];
    const twoW = 2 * ew[k];
    const vertexSum = outDual[i] + outDual[j];
    if (vertexSum >= twoW) continue;
    let a = outBlossomParent[i];
    let b = outBlossomParent[j];
    if (a == -1 || b == -1 || nodeTop[a] != nodeTop[b] || vertexSum + 2 * Math.min(zWithin[a], zWithin[b]) < twoW) {
      violated.push(k);
      continue;
    }
    if (vertexSum + 2 * zWithin[nodeTop[a]] >= twoW) continue;
    if (vertexSum + 2 * zWithin[innermostCommon(a, b)] < twoW) violated.push(k);
  }
}

/** The innermost blossom that holds both a and b, two blossoms under the same top-level one. */
function innermostCommon(a0: i32, b0: i32): i32 {
  const size = 2 * n;
  if (jumpLevels == 0) {
    jumpLevels = 1;
    while ((1 << jumpLevels) <= deepest) jumpLevels++;
    jump = new Int32Array(jumpLevels * size);
    for (let x = 0; x < size; x++) jump[x] = outBlossomParent[x];
    for (let l = 1; l < jumpLevels; l++) {
      const row = l * size;
      const below = row - size;
      for (let x = 0; x < size; x++) {
        const half = jump[below + x];
        jump[row + x] = half == -1 ? -1 : jump[below + half];
      }
    }
  }
  let a = a0;
  let b = b0;
  if (nodeDepth[a] < nodeDepth[b]) {
    a = b0;
    b = a0;
  }
  let rise = nodeDepth[a] - nodeDepth[b];
  for (let l = 0; rise > 0; l++, rise >>= 1) if ((rise & 1) != 0) a = jump[l * size + a];
  if (a == b) return a;
  for (let l = jumpLevels - 1; l >= 0; l--) {
    const up = jump[l * size + a];
    if (up != jump[l * size + b]) {
      a = up;
      b = jump[l * size + b];
    }
  }
  return outBlossomParent[a];
}

/**
 * The last solution as a start, into startMatchedEdge and startDual: each vertex takes the z of the
 * blossoms around it into its dual (which keeps every solved edge feasible), and, when `unmatch`,
 * matched edges that are then no longer tight are freed.
 */
function flattenSolution(unmatch: bool): void {
  for (let v = 0; v < n; v++) {
    const p = outBlossomParent[v];
    startDual[v] = outDual[v] + (p == -1 ? 0 : zWithin[p]);
    startMatchedEdge[v] = outMatchedEdge[v];
  }
  if (!unmatch) return;
  for (let v = 0; v < n; v++) {
    const k = startMatchedEdge[v];
    if (k >= 0 && startDual[eu[k]] + startDual[ev[k]] != 2 * ew[k]) {
      startMatchedEdge[eu[k]] = -1;
      startMatchedEdge[ev[k]] = -1;
    }
  }
}

/** Raises one end's start dual so that edge k is feasible: a free end if there is one; when `unmatch`, the raised end is freed. */
function raiseToCover(k: i32, unmatch: bool): void {
  const i = eu[k];
  const j = ev[k];
  const missing = 2 * ew[k] - startDual[i] - startDual[j];
  if (missing <= 0) return;
  const raised = startMatchedEdge[i] == -1 ? i : j;
  const matched = startMatchedEdge[raised];
  if (unmatch && matched >= 0) {
    startMatchedEdge[eu[matched]] = -1;
    startMatchedEdge[ev[matched]] = -1;
  }
  startDual[raised] = startDual[raised] + missing;
}

export function errorIndex(): i32 {
  return rejected;
}
export function matchingWeight(): f64 {
  return weight;
}
export function isComplete(): bool {
  return complete;
}
export function statSubstages(): f64 {
  return <f64>substages;
}
export function statWarmMatched(): f64 {
  return warmMatched;
}
export function statAugmentations(): f64 {
  return <f64>augmentations;
}
export function statEdgeVisits(): f64 {
  return edgeVisits;
}
export function statRounds(): i32 {
  return rounds;
}
export function statSolvedEdges(): i32 {
  return activeCount;
}
export function matePtr(): usize {
  return outMate.dataStart;
}
export function matchedEdgePtr(): usize {
  return outMatchedEdge.dataStart;
}
export function dualPtr(): usize {
  return outDual.dataStart;
}
export function blossomParentPtr(): usize {
  return outBlossomParent.dataStart;
}
export function blossomSizePtr(): usize {
  return outBlossomSize.dataStart;
}

// ------------------------------------------------------------------------------------------------
// Setting up: the neighbour lists, the empty state, and a start.

/**
 * The neighbour lists of the active edges, no edge matched, no blossom, every vertex's dual the
 * heaviest active edge's weight, and no label, tree or pending event. With `reuse` (a later round of
 * the same solve, whose arrays have the same sizes), the arrays of the last round are reset in place
 * instead of allocated again: the module's heap is rewound only by setup(), and four rounds used to
 * take four times the memory of one.
 */
function init(reuse: bool): void {
  let maxWeight: f64 = 0;
  for (let t = 0; t < activeCount; t++) {
    const k = active[t];
    if (ew[k] > maxWeight) maxWeight = ew[k];
  }

  const degree = new Int32Array(n + 1);
  for (let t = 0; t < activeCount; t++) {
    const k = active[t];
    degree[eu[k] + 1] = degree[eu[k] + 1] + 1;
    degree[ev[k] + 1] = degree[ev[k] + 1] + 1;
  }
  for (let v = 0; v < n; v++) degree[v + 1] = degree[v + 1] + degree[v];
  neighStart = degree;
  const neighFill = neighStart.slice(0, n);
  neighEnd = new Int32Array(2 * activeCount);
  neighVertex = new Int32Array(2 * activeCount);
  neighWeight2 = new Float64Array(2 * activeCount);
  for (let t = 0; t < activeCount; t++) {
    const k = active[t];
    const i = eu[k];
    const j = ev[k];
    const w2 = 2 * ew[k];
    const at = neighFill[i];
    neighEnd[at] = 2 * k + 1;
    neighVertex[at] = j;
    neighWeight2[at] = w2;
    neighFill[i] = at + 1;
    const bt = neighFill[j];
    neighEnd[bt] = 2 * k;
    neighVertex[bt] = i;
    neighWeight2[bt] = w2;
    neighFill[j] = bt + 1;
  }

  if (reuse) resetState(maxWeight);
  else allocateState(maxWeight);
  keptEpoch = 0;
  now = 0;
  dissolveEpoch = 0;
  augmentEpoch = 0;
  complete = true;
  stepVertex = -1;
  stepEdge = -1;
  stepBlossom = -1;
  rejected = -1;
}

function allocateState(maxWeight: f64): void {
  mate = new Int32Array(n).fill(-1);
  label = new Int32Array(2 * n);
  labelEnd = new Int32Array(2 * n).fill(-1);
  blossomLink = new Int32Array(n);
  for (let v = 0; v < n; v++) blossomLink[v] = v;
  alias = new Int32Array(2 * n).fill(-1);
  blossomParent = new Int32Array(2 * n).fill(-1);
  blossomChilds = new Array<Array<i32> | null>(2 * n);
  blossomBase = new Int32Array(2 * n).fill(-1);
  for (let v = 0; v < n; v++) blossomBase[v] = v;
  blossomEndps = new Array<Array<i32> | null>(2 * n);
  bestEdge = new Int32Array(2 * n).fill(-1);
  unusedBlossoms = new Array<i32>(0);
  for (let b = n; b < 2 * n; b++) unusedBlossoms.push(b);
  dual = new Float64Array(2 * n);
  for (let v = 0; v < n; v++) dual[v] = maxWeight;
  allowEdge = new Uint8Array(m);
  queue = new Array<i32>(0);
  treeRoot = new Int32Array(2 * n).fill(-1);
  dissolveStamp = new Int32Array(2 * n);
  gone = new Uint8Array(n);
  treeMembers = new Array<Array<i32> | null>(n);
  keptStamp = new Int32Array(2 * n);
  stamp = new Float64Array(2 * n);
  heap1 = new EventHeap();
  heap2 = new EventHeap();
  heap3 = new EventHeap();
  heap4 = new EventHeap();
  sEdgeBatch = new Int32Array(S_EDGE_BATCH * n).fill(-1);
  sEdgeBatchKey = new Float64Array(S_EDGE_BATCH * n);
  bestEdgeFound = new Int32Array(1);
  bestEdgeFoundSlack = new Float64Array(1);
  leafStack = new Array<i32>(0);
  expandLater = new Array<i32>(0);
  resetStack = new Array<i32>(0);
  dissolveTops = new Array<i32>(0);
  dissolveVertices = new Array<i32>(0);
  dissolveExpand = new Array<i32>(0);
  staleKey = new Float64Array(n);
  bestKey = new Float64Array(n);
  augmentFrames = new Array<i32>(0);
  augmentDone = new Array<i32>(0);
  chainOwner = new Int32Array(2 * n).fill(-1);
  chainBelow = new Int32Array(2 * n).fill(-1);
  chainEpoch = new Int32Array(2 * n);
}

/** allocateState's values, written into the arrays it allocated for an earlier round of this solve. */
function resetState(maxWeight: f64): void {
  mate.fill(-1);
  label.fill(0);
  labelEnd.fill(-1);
  for (let v = 0; v < n; v++) blossomLink[v] = v;
  alias.fill(-1);
  blossomParent.fill(-1);
  for (let b = 0; b < 2 * n; b++) {
    blossomChilds[b] = null;
    blossomEndps[b] = null;
  }
  blossomBase.fill(-1);
  for (let v = 0; v < n; v++) blossomBase[v] = v;
  bestEdge.fill(-1);
  unusedBlossoms.length = 0;
  for (let b = n; b < 2 * n; b++) unusedBlossoms.push(b);
  dual.fill(0);
  for (let v = 0; v < n; v++) dual[v] = maxWeight;
  allowEdge.fill(0);
  queue.length = 0;
  treeRoot.fill(-1);
  dissolveStamp.fill(0);
  gone.fill(0);
  for (let v = 0; v < n; v++) treeMembers[v] = null;
  keptStamp.fill(0);
  stamp.fill(0);
  heap1.size = 0;
  heap2.size = 0;
  heap3.size = 0;
  heap4.size = 0;
  sEdgeBatch.fill(-1);
  sEdgeBatchKey.fill(0);
  leafStack.length = 0;
  expandLater.length = 0;
  resetStack.length = 0;
  dissolveTops.length = 0;
  dissolveVertices.length = 0;
  dissolveExpand.length = 0;
  staleKey.fill(0);
  bestKey.fill(0);
  augmentFrames.length = 0;
  augmentDone.length = 0;
  chainOwner.fill(-1);
  chainBelow.fill(-1);
  chainEpoch.fill(0);
}

/**
 * Takes the given start (a matched edge per vertex, -1 when free, and vertex duals on the doubled
 * scale), after checking that it is one: every edge dual feasible and every matched edge tight.
 * Returns SOLVED, or why it is no start (with the vertex or edge in `rejected`).
 */
function startFrom(): i32 {
  let matchedEnds = 0;
  for (let v = 0; v < n; v++) {
    const k = startMatchedEdge[v];
    dual[v] = startDual[v];
    if (k < 0) continue;
    if (k >= m || (eu[k] != v && ev[k] != v)) {
      rejected = v;
      return START_EDGE_NOT_AT_VERTEX;
    }
    mate[v] = eu[k] == v ? 2 * k + 1 : 2 * k;
    matchedEnds++;
  }
  warmMatched = <f64>matchedEnds / 2;
  for (let t = 0; t < activeCount; t++) {
    const k = active[t];
    const tightness = dual[eu[k]] + dual[ev[k]] - 2 * ew[k];
    if (tightness < 0) {
      rejected = k;
      return START_EDGE_INFEASIBLE;
    }
    if (mate[eu[k]] == 2 * k + 1 && tightness != 0) {
      rejected = k;
      return START_MATCHED_EDGE_NOT_TIGHT;
    }
  }
  return SOLVED;
}

// ------------------------------------------------------------------------------------------------
// The algorithm.

function joinTree(b: i32): void {
  const r = treeRoot[b];
  let members = treeMembers[r];
  if (members === null) {
    members = new Array<i32>(0);
    treeMembers[r] = members;
  }
  members.push(b);
  if (members.length > 2 * n + 64) {
    // Long-lived trees collect stale entries; keep the blossoms still labelled in this tree, once
    // each, in the order first seen.
    keptEpoch++;
    const kept = new Array<i32>(0);
    for (let t = 0; t < members.length; t++) {
      const x = members[t];
      if ((label[x] == 1 || label[x] == 2) && blossomParent[x] == -1 && treeRoot[x] == r && keptStamp[x] != keptEpoch) {
        keptStamp[x] = keptEpoch;
        kept.push(x);
      }
    }
    if (keptStamp[b] != keptEpoch) kept.push(b);
    treeMembers[r] = kept;
  }
}

/** The top-level blossom containing vertex x (or x itself), shortening the links it follows. */
@inline function topOf(x: i32): i32 {
  const b = blossomLink[x];
  return alias[b] == -1 ? b : followAlias(x, b);
}

function followAlias(x: i32, b: i32): i32 {
  let top = b;
  while (alias[top] != -1) top = alias[top];
  // Path compression: what links here was inside `top` all along, and is reset when `top` is expanded.
  let c = b;
  while (c != top) {
    const next = alias[c];
    if (next != top) alias[c] = top;
    c = next;
  }
  blossomLink[x] = top;
  return top;
}

function dualOf(v: i32): f64 {
  const d = dual[v];
  return d + vertexSign(label[topOf(v)]) * (now - stamp[v]);
}

function blossomDualOf(b: i32): f64 {
  return blossomParent[b] == -1 ? dual[b] - vertexSign(label[b]) * (now - stamp[b]) : dual[b];
}

function settleVertex(v: i32): void {
  dual[v] = dualOf(v);
  stamp[v] = now;
}

function settleBlossom(b: i32): void {
  dual[b] = blossomDualOf(b);
  stamp[b] = now;
}

function slack(k: i32): f64 {
  const a = dualOf(eu[k]);
  return a + dualOf(ev[k]) - 2 * ew[k];
}

/** Appends the vertices inside blossom b to out. */
function leaves(b: i32, out: Array<i32>): Array<i32> {
  if (b < n) {
    out.push(b);
    return out;
  }
  leafStack.length = 0;
  leafStack.push(b);
  while (leafStack.length > 0) {
    const x = leafStack.pop();
    if (x < n) out.push(x);
    else {
      const childs = blossomChilds[x]!;
      for (let t = childs.length - 1; t >= 0; t--) leafStack.push(childs[t]);
    }
  }
  return out;
}

function assignLabel(w0: i32, t0: i32, p0: i32): void {
  let w = w0;
  let t = t0;
  let p = p0;
  for (;;) {
    const b = topOf(w);
    let inside: Array<i32> | null = null;
    if (b < n) settleVertex(b);
    else {
      const vertices = leaves(b, new Array<i32>(0));
      for (let i = 0; i < vertices.length; i++) settleVertex(vertices[i]);
      settleBlossom(b);
      inside = vertices;
    }
    treeRoot[b] = p == -1 ? blossomBase[b] : treeRoot[topOf(endpoint[p])];
    joinTree(b);
    label[w] = t;
    label[b] = t;
    labelEnd[w] = p;
    labelEnd[b] = p;
    bestEdge[w] = -1;
    bestEdge[b] = -1;
    if (t == 1) {
      if (inside === null) {
        queue.push(b);
        heap1.push(dual[b] + now, b, 0);
      } else {
        for (let i = 0; i < inside.length; i++) {
          const x = inside[i];
          queue.push(x);
          heap1.push(dual[x] + now, x, 0);
        }
      }
      return;
    }
    if (b >= n) heap4.push(dual[b] + now, b, 0);
    // t == 2: b became a T-blossom; its base's mate becomes an S-vertex.
    const mb = mate[blossomBase[b]];
    w = endpoint[mb];
    t = 1;
    p = mb ^ 1;
  }
}

function scanBlossom(v0: i32, w0: i32): i32 {
  const path = new Array<i32>(0);
  let base = -1;
  let v = v0;
  let w = w0;
  while (v != -1 || w != -1) {
    let b = topOf(v);
    if (label[b] & 4) {
      base = blossomBase[b];
      break;
    }
    path.push(b);
    label[b] = 5;
    if (labelEnd[b] == -1) v = -1;
    else {
      v = endpoint[labelEnd[b]];
      b = topOf(v);
      v = endpoint[labelEnd[b]];
    }
    if (w != -1) {
      const tmp = v;
      v = w;
      w = tmp;
    }
  }
  for (let i = 0; i < path.length; i++) label[path[i]] = 1;
  return base;
}

function addBlossom(base: i32, k: i32): void {
  let v = eu[k];
  let w = ev[k];
  const bb = topOf(base);
  let bv = topOf(v);
  let bw = topOf(w);
  const b = unusedBlossoms.pop();
  blossomBase[b] = base;
  blossomParent[b] = -1;
  if (bb >= n) settleBlossom(bb);
  blossomParent[bb] = b;
  const path = new Array<i32>(0);
  const endps = new Array<i32>(0);
  while (bv != bb) {
    if (bv >= n) settleBlossom(bv);
    blossomParent[bv] = b;
    path.push(bv);
    endps.push(labelEnd[bv]);
    v = endpoint[labelEnd[bv]];
    bv = topOf(v);
  }
  path.push(bb);
  path.reverse();
  endps.reverse();
  endps.push(2 * k);
  while (bw != bb) {
    if (bw >= n) settleBlossom(bw);
    blossomParent[bw] = b;
    path.push(bw);
    endps.push(labelEnd[bw] ^ 1);
    w = endpoint[labelEnd[bw]];
    bw = topOf(w);
  }
  blossomChilds[b] = path;
  blossomEndps[b] = endps;
  treeRoot[b] = treeRoot[bb];
  joinTree(b);
  label[b] = 1;
  labelEnd[b] = labelEnd[bb];
  dual[b] = 0;
  stamp[b] = now;
  const inside = new Array<i32>(0);
  alias[b] = -1;
  for (let t = 0; t < path.length; t++) {
    const s = path[t];
    // Vertices of T sub-blossoms become S-vertices: their duals change direction, and they are scanned.
    if (label[s] == 2) {
      leaves(s, inside);
      for (let i = 0; i < inside.length; i++) {
        const x = inside[i];
        settleVertex(x);
        queue.push(x);
        heap1.push(dual[x] + now, x, 0);
      }
      inside.length = 0;
    }
  }
  // Only then: the labels above were read through the sub-blossoms' own top-level entries.
  for (let t = 0; t < path.length; t++) alias[path[t]] = b;
  bestEdge[b] = -1;
}

function expandBlossom(b: i32, endStage: bool): void {
  expandOne(b, endStage);
  while (expandLater.length > 0) expandOne(expandLater.pop(), true);
}

function expandOne(b: i32, endStage: bool): void {
  const childs = blossomChilds[b]!;
  const inside = leaves(b, new Array<i32>(0));
  for (let i = 0; i < inside.length; i++) settleVertex(inside[i]);
  settleBlossom(b);
  for (let c = 0; c < childs.length; c++) {
    const s = childs[c];
    treeRoot[s] = treeRoot[b];
    stamp[s] = now;
    blossomParent[s] = -1;
    alias[s] = -1;
    if (s < n) blossomLink[s] = s;
    else {
      const vertices = leaves(s, new Array<i32>(0));
      for (let i = 0; i < vertices.length; i++) blossomLink[vertices[i]] = s;
      // Expanded after this one (iteratively: zero-dual blossoms can nest deeply).
      if (endStage && dual[s] == 0) expandLater.push(s);
    }
  }
  if (!endStage && label[b] == 2) relabelExpandedT(b, childs, inside);
  label[b] = -1;
  labelEnd[b] = -1;
  blossomChilds[b] = null;
  blossomEndps[b] = null;
  blossomBase[b] = -1;
  bestEdge[b] = -1;
  unusedBlossoms.push(b);
}

/** Labels the sub-blossoms of T-blossom b, expanded in mid-stage, along the path its tree takes through it. */
function relabelExpandedT(b: i32, childs: Array<i32>, inside: Array<i32>): void {
  // Vertices of the expanded T-blossom that end up unlabelled keep their least-slack edge
  // to an S-blossom (as in the reference): put them back among the delta2 candidates.
  for (let i = 0; i < inside.length; i++) {
    const x = inside[i];
    let kx = bestEdge[x];
    if (kx == STALE) {
      kx = bestEdgeToS(x);
      bestEdge[x] = kx;
    }
    if (kx != -1) {
      const key = slack(kx) + now;
      bestKey[x] = key;
      heap2.push(key, x, kx);
    }
  }
  const endps = blossomEndps[b]!;
  const entryChild = topOf(endpoint[labelEnd[b] ^ 1]);
  let j = childs.indexOf(entryChild);
  let jStep: i32;
  let endTrick: i32;
  if (j & 1) {
    j -= childs.length;
    jStep = 1;
    endTrick = 0;
  } else {
    jStep = -1;
    endTrick = 1;
  }
  let p = labelEnd[b];
  while (j != 0) {
    label[endpoint[p ^ 1]] = 0;
    label[endpoint[cyclicAt(endps, j - endTrick) ^ endTrick ^ 1]] = 0;
    assignLabel(endpoint[p ^ 1], 2, p);
    allowEdge[cyclicAt(endps, j - endTrick) >> 1] = 1;
    j += jStep;
    p = cyclicAt(endps, j - endTrick) ^ endTrick;
    allowEdge[p >> 1] = 1;
    j += jStep;
  }
  const bv0 = cyclicAt(childs, j);
  label[endpoint[p ^ 1]] = 2;
  label[bv0] = 2;
  labelEnd[endpoint[p ^ 1]] = p;
  labelEnd[bv0] = p;
  bestEdge[bv0] = -1;
  joinTree(bv0);
  if (bv0 >= n) heap4.push(dual[bv0] + now, bv0, 0);
  j += jStep;
  while (cyclicAt(childs, j) != entryChild) {
    const bv = cyclicAt(childs, j);
    if (label[bv] == 1) {
      j += jStep;
      continue;
    }
    let found = -1;
    const vertices = leaves(bv, new Array<i32>(0));
    for (let i = 0; i < vertices.length; i++) {
      const x = vertices[i];
      if (label[x] != 0) {
        found = x;
        break;
      }
    }
    if (found != -1) {
      label[found] = 0;
      label[endpoint[mate[blossomBase[bv]]]] = 0;
      assignLabel(found, 2, labelEnd[found]);
    }
    j += jStep;
  }
}

/** Least-slack edge from vertex v to an S-blossom other than v's own, or -1. */
function bestEdgeToS(v: i32): i32 {
  return leastSlackSEdges(v, bestEdgeFound, bestEdgeFoundSlack, 0, 1) == 0 ? -1 : bestEdgeFound[0];
}

/**
 * The `limit` least-slack edges from vertex v to S-blossoms other than v's own, least first (on a
 * tie, the first in v's neighbour list), written to edges[at..] with their slack less v's own dual
 * (the same for every edge here, w being an S-vertex) to slacks[at..]. Returns how many there are.
 */
function leastSlackSEdges(v: i32, edges: Int32Array, slacks: Float64Array, at: i32, limit: i32): i32 {
  const clock = now;
  const bv = topOf(v);
  let count = 0;
  const end = neighStart[v + 1];
  edgeVisits += <f64>(end - neighStart[v]);
  for (let q = neighStart[v]; q < end; q++) {
    const w = neighVertex[q];
    const bw = topOf(w);
    if (bw == bv || label[bw] != 1) continue;
    const sl = dual[w] - (clock - stamp[w]) - neighWeight2[q];
    if (count == limit && sl >= slacks[at + count - 1]) continue;
    let i = count < limit ? count++ : count - 1;
    while (i > 0 && slacks[at + i - 1] > sl) {
      slacks[at + i] = slacks[at + i - 1];
      edges[at + i] = edges[at + i - 1];
      i--;
    }
    slacks[at + i] = sl;
    edges[at + i] = neighEnd[q] >> 1;
  }
  return count;
}

function resetSubtree(top: i32): void {
  resetStack.push(top);
  while (resetStack.length > 0) {
    const b = resetStack.pop();
    label[b] = 0;
    labelEnd[b] = -1;
    bestEdge[b] = -1;
    if (b >= n) {
      const childs = blossomChilds[b]!;
      for (let i = 0; i < childs.length; i++) resetStack.push(childs[i]);
    }
  }
}

/** Moves the top-level blossoms still labelled in the tree rooted at r into dissolveTops, once each. */
function collectTree(r: i32): void {
  const epoch = dissolveEpoch;
  const members = treeMembers[r];
  treeMembers[r] = null;
  if (members === null) return;
  for (let t = 0; t < members.length; t++) {
    const b = members[t];
    const l = label[b];
    if ((l == 1 || l == 2) && blossomParent[b] == -1 && treeRoot[b] == r && dissolveStamp[b] != epoch) {
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
function dissolveTrees(r1: i32, r2: i32): void {
  dissolveEpoch++;
  dissolveTops.length = 0;
  collectTree(r1);
  if (r2 != r1) collectTree(r2);
  dissolveVertices.length = 0;
  for (let t = 0; t < dissolveTops.length; t++) leaves(dissolveTops[t], dissolveVertices);
  for (let t = 0; t < dissolveVertices.length; t++) settleVertex(dissolveVertices[t]);
  unlabelTops();
  rescanDissolved();
}

/** Resets the labels of the dissolved trees' top-level blossoms and expands their S-blossoms with dual 0. */
function unlabelTops(): void {
  const tops = dissolveTops;
  dissolveExpand.length = 0;
  for (let t = 0; t < tops.length; t++) {
    const b = tops[t];
    if (b < n) continue;
    settleBlossom(b);
    if (label[b] == 1 && dual[b] == 0) dissolveExpand.push(b);
  }
  for (let t = 0; t < tops.length; t++) resetSubtree(tops[t]);
  for (let t = 0; t < dissolveExpand.length; t++) expandBlossom(dissolveExpand[t], true);
}

/**
 * One pass over the dissolved vertices' edges: forget which were allowed, find each one's
 * least-slack edge to a remaining S-blossom, and fix the marks elsewhere that pointed at them.
 */
function rescanDissolved(): void {
  const vertices = dissolveVertices;
  const clock = now;
  const count = vertices.length;
  for (let t = 0; t < count; t++) gone[vertices[t]] = 1;
  for (let t = 0; t < count; t++) {
    const v = vertices[t];
    const end = neighStart[v + 1];
    edgeVisits += <f64>(end - neighStart[v]);
    let best = -1;
    let bestSlack: f64 = Infinity;
    for (let q = neighStart[v]; q < end; q++) {
      const k = neighEnd[q] >> 1;
      allowEdge[k] = 0;
      const x = neighVertex[q];
      if (gone[x] == 1) continue;
      const bx = topOf(x);
      const lx = label[bx];
      if (lx == 1) {
        const sl = dual[x] - (clock - stamp[x]) - neighWeight2[q];
        if (sl < bestSlack) {
          bestSlack = sl;
          best = k;
        }
      }
      // A vertex inside a T-blossom of another tree, marked as reached from a dissolved S-vertex:
      // that mark is gone with the tree (the reference clears every mark at each stage).
      if (bx != x && label[x] == 2 && labelEnd[x] >= 0 && endpoint[labelEnd[x]] == v) {
        label[x] = 0;
        labelEnd[x] = -1;
      }
      // (An S-vertex's least-slack edge to another S-blossom is in heap3, which finds the next one when it stops being S-S.)
      if (bestEdge[x] == k && lx != 1) {
        if (lx == 0) {
          bestEdge[x] = STALE;
          staleKey[x] = slack(k) + clock;
        } else {
          // x is inside a T-blossom, and the S-vertex it led to is gone.
          const fresh = bestEdgeToS(x);
          bestEdge[x] = fresh;
          if (fresh != -1) bestKey[x] = slack(fresh) + clock;
        }
        // An unlabelled x is recomputed only when needed: its delta2 event (keyed staleKey, no later
        // than any remaining S-edge, which were all at least as slack) recomputes it when it comes
        // up; until then a scanned edge replaces it only when keyed no later than that.
      }
    }
    bestEdge[v] = best;
    if (best != -1) {
      const sl = slack(best);
      bestKey[v] = sl + clock;
      heap2.push(sl + clock, v, best);
      if (sl <= 0) {
        // Already tight to a remaining S-blossom: let that side scan it again.
        allowEdge[best] = 1;
        queue.push(eu[best] == v ? ev[best] : eu[best]);
      }
    }
  }
  for (let t = 0; t < count; t++) gone[vertices[t]] = 0;
}

// Iterative (blossoms can nest thousands deep): each frame flips the path inside one blossom
// and queues its sub-blossoms; bases are set afterwards, innermost first, as a blossom's base
// is its first child's.
function augmentBlossom(b0: i32, v0: i32): void {
  // Parent links do not change while one blossom is augmented, so climbs recorded in this epoch stay true.
  augmentEpoch++;
  augmentFrames.push(b0);
  augmentFrames.push(v0);
  while (augmentFrames.length > 0) {
    const v = augmentFrames.pop();
    const b = augmentFrames.pop();
    augmentBlossomStep(b, v);
    augmentDone.push(b);
  }
  while (augmentDone.length > 0) {
    const b = augmentDone.pop();
    blossomBase[b] = blossomBase[blossomChilds[b]![0]];
  }
}

function augmentBlossomStep(b: i32, v: i32): void {
  const epoch = augmentEpoch;
  let t: i32;
  if (chainEpoch[b] == epoch && chainOwner[b] == v) t = chainBelow[b];
  else {
    t = v;
    while (blossomParent[t] != b) {
      const up = blossomParent[t];
      chainEpoch[up] = epoch;
      chainOwner[up] = v;
      chainBelow[up] = t;
      t = up;
    }
  }
  if (t >= n) {
    augmentFrames.push(t);
    augmentFrames.push(v);
  }
  const childs = blossomChilds[b]!;
  const endps = blossomEndps[b]!;
  const i = childs.indexOf(t);
  let j = i;
  let jStep: i32;
  let endTrick: i32;
  if (i & 1) {
    j -= childs.length;
    jStep = 1;
    endTrick = 0;
  } else {
    jStep = -1;
    endTrick = 1;
  }
  while (j != 0) {
    j += jStep;
    let tt = cyclicAt(childs, j);
    const p = cyclicAt(endps, j - endTrick) ^ endTrick;
    if (tt >= n) {
      augmentFrames.push(tt);
      augmentFrames.push(endpoint[p]);
    }
    j += jStep;
    tt = cyclicAt(childs, j);
    if (tt >= n) {
      augmentFrames.push(tt);
      augmentFrames.push(endpoint[p ^ 1]);
    }
    mate[endpoint[p]] = p ^ 1;
    mate[endpoint[p ^ 1]] = p;
  }
  blossomChilds[b] = childs.slice(i).concat(childs.slice(0, i));
  blossomEndps[b] = endps.slice(i).concat(endps.slice(0, i));
}

/** Flips the alternating path from S-vertex s (now matched through endpoint p, or freed when p is -1) up to its tree's root. */
function flipPathToRoot(start: i32, startEndpoint: i32): void {
  let s = start;
  let p = startEndpoint;
  for (;;) {
    const bs = topOf(s);
    if (bs >= n) augmentBlossom(bs, s);
    mate[s] = p;
    if (labelEnd[bs] == -1) break;
    const t = endpoint[labelEnd[bs]];
    const bt = topOf(t);
    s = endpoint[labelEnd[bt]];
    const j = endpoint[labelEnd[bt] ^ 1];
    if (bt >= n) augmentBlossom(bt, j);
    mate[j] = labelEnd[bt];
    p = labelEnd[bt] ^ 1;
  }
}

function augmentMatching(k: i32): void {
  flipPathToRoot(eu[k], 2 * k + 1);
  flipPathToRoot(ev[k], 2 * k);
  augmentations++;
}

/**
 * S-vertex v's dual reached 0: flip the alternating path from v to its tree's root (every
 * edge on it is tight, so the matching keeps its weight and stays complementary), which frees
 * v at dual 0 and matches the root; then the tree is dissolved.
 */
function retire(v: i32): void {
  const root = treeRoot[topOf(v)];
  flipPathToRoot(v, -1);
  dissolveTrees(root, root);
}

/** Scans S-vertex v's edges: grows its tree, forms blossoms, augments, or records least-slack edges. */
function scanVertex(v: i32): void {
  const clock = now;
  // v stays an S-vertex and the clock stands still while v is scanned, so its dual is fixed.
  const dualV = dualOf(v);
  const end = neighStart[v + 1];
  edgeVisits += <f64>(end - neighStart[v]);
  let bestS = -1;
  let bestSSlack: f64 = Infinity;
  // v's top-level blossom changes only when v's scan forms a blossom around it (addBlossom below).
  let bv = topOf(v);
  for (let q = neighStart[v]; q < end; q++) {
    const w = neighVertex[q];
    const bw = topOf(w);
    if (bv == bw) continue;
    const p = neighEnd[q];
    const k = p >> 1;
    const lw = label[bw];
    let kSlack: f64 = 0;
    if (allowEdge[k] == 0) {
      // dualOf(w), with w's top-level blossom already looked up.
      kSlack = dualV + (dual[w] + vertexSign(lw) * (clock - stamp[w])) - neighWeight2[q];
      if (kSlack <= 0) allowEdge[k] = 1;
    }
    if (allowEdge[k] != 0) {
      if (lw == 0 && mate[blossomBase[bw]] == -1) {
        // A free vertex (or blossom) at dual 0: augment to it.
        const r1 = treeRoot[bv];
        labelEnd[bw] = -1;
        augmentMatching(k);
        dissolveTrees(r1, r1);
        return;
      } else if (lw == 0) assignLabel(w, 2, p ^ 1);
      else if (lw == 1) {
        const base = scanBlossom(v, w);
        if (base >= 0) {
          addBlossom(base, k);
          bv = topOf(v);
        } else {
          // Augmenting path: flip it, then dissolve only the two trees it joined.
          const r1 = treeRoot[topOf(eu[k])];
          const r2 = treeRoot[topOf(ev[k])];
          augmentMatching(k);
          dissolveTrees(r1, r2);
          return;
        }
      } else if (label[w] == 0) {
        label[w] = 2;
        labelEnd[w] = p ^ 1;
      }
    } else if (lw == 1) {
      if (kSlack < bestSSlack) {
        bestSSlack = kSlack;
        bestS = k;
      }
    } else if (label[w] == 0) {
      const cur = bestEdge[w];
      if (cur == STALE) {
        if (kSlack + clock <= staleKey[w]) {
          bestEdge[w] = k;
          bestKey[w] = kSlack + clock;
          heap2.push(kSlack + clock, w, k);
        }
      } else if (cur == -1 || (lw == 0 ? kSlack + clock < bestKey[w] : kSlack < slack(cur))) {
        // (Inside a T-blossom, w's dual rises as the clock runs and the key no longer stands for the slack.)
        bestEdge[w] = k;
        bestKey[w] = kSlack + clock;
        heap2.push(kSlack + clock, w, k);
      }
    }
  }
  if (bestS != -1) heap3.push(bestSSlack + 2 * clock, bestS, v);
  // v's S-edges are seen afresh: an earlier batch says nothing about the edges that turned S-S since.
  sEdgeBatch[v * S_EDGE_BATCH] = -1;
}

/** Scans queued S-vertices until no tight edge is left to follow. */
function drainQueue(): void {
  while (queue.length > 0) {
    const v = queue.pop();
    if (label[topOf(v)] == 1) scanVertex(v);
  }
}

/** Whether heap `which`'s event (key, a, b) still stands (one predicate per heap, chosen by number: AssemblyScript has no closures to pass). */
function isLive(which: i32, key: f64, a: i32, b: i32): bool {
  if (which == 1) return label[topOf(a)] == 1 && dualOf(a) + now == key;
  if (which == 2) return label[topOf(a)] == 0 && (bestEdge[a] == b || bestEdge[a] == STALE);
  if (which == 3) return isSEdgeEvent(key, a) || label[topOf(b)] == 1;
  return blossomBase[a] >= 0 && blossomParent[a] == -1 && label[a] == 2 && blossomDualOf(a) + now == key;
}

/** Drops the stale events of heap `which` and restores the heap order. */
function retain(heap: EventHeap, which: i32): void {
  const keys = heap.keys;
  const as = heap.as;
  const bs = heap.bs;
  let size = 0;
  for (let i = 0; i < heap.size; i++) {
    if (!isLive(which, keys[i], as[i], bs[i])) continue;
    keys[size] = keys[i];
    as[size] = as[i];
    bs[size] = bs[i];
    size++;
  }
  heap.size = size;
  heap.heapify();
}

/** Lazy deletion leaves stale events behind; on long runs they would pile up without bound. */
function compactHeaps(): void {
  const heapLimit = 4 * (activeCount + n) + 4096;
  if (heap1.size > heapLimit) retain(heap1, 1);
  if (heap2.size > heapLimit) retain(heap2, 2);
  if (heap3.size > heapLimit) retain(heap3, 3);
  if (heap4.size > heapLimit) retain(heap4, 4);
}

/** delta1: the least dual of an S-vertex (it must not go below 0); sets stepVertex. */
function delta1(): f64 {
  while (heap1.size > 0) {
    const key = heap1.topKey();
    const v = heap1.topA();
    if (label[topOf(v)] != 1 || dualOf(v) + now != key) {
      heap1.pop();
      continue;
    }
    stepVertex = v;
    return key - now;
  }
  return Infinity;
}

/** delta2: the least slack from an S-blossom to an unlabelled vertex; sets stepEdge. */
function delta2(): f64 {
  while (heap2.size > 0) {
    const key = heap2.topKey();
    const v = heap2.topA();
    const k = heap2.topB();
    const current = bestEdge[v];
    if (label[topOf(v)] != 0 || (current != k && current != STALE)) {
      heap2.pop();
      continue;
    }
    const other = eu[k] == v ? ev[k] : eu[k];
    if (current == STALE || label[topOf(other)] != 1 || slack(k) + now != key) {
      heap2.pop();
      const fresh = bestEdgeToS(v);
      bestEdge[v] = fresh;
      if (fresh != -1) {
        const freshKey = slack(fresh) + now;
        bestKey[v] = freshKey;
        heap2.push(freshKey, v, fresh);
      }
      continue;
    }
    stepEdge = k;
    return key - now;
  }
  return Infinity;
}

/** Whether a heap3 event (key, edge) still stands: the edge joins two different S-blossoms and its slack has not moved other than with the clock. */
function isSEdgeEvent(key: f64, k: i32): bool {
  const i = eu[k];
  const j = ev[k];
  const bi = topOf(i);
  const bj = topOf(j);
  if (bi == bj || label[bi] != 1 || label[bj] != 1) return false;
  // slack(k) + 2·now with both ends S-vertices (their lazy duals fall with the clock).
  return dual[i] + stamp[i] + dual[j] + stamp[j] - 2 * ew[k] == key;
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
function pushBestSEdges(v: i32): void {
  const base = v * S_EDGE_BATCH;
  // The batch's keys start as slacks less v's dual, then take v's dual and the clock.
  const count = leastSlackSEdges(v, sEdgeBatch, sEdgeBatchKey, base, S_EDGE_BATCH);
  const own = dualOf(v) + 2 * now;
  for (let i = 0; i < S_EDGE_BATCH; i++) {
    if (i >= count) {
      sEdgeBatch[base + i] = -1;
      continue;
    }
    const key = sEdgeBatchKey[base + i] + own;
    sEdgeBatchKey[base + i] = key;
    heap3.push(key, sEdgeBatch[base + i], v);
  }
}

/** Whether one of the edges of v's last batch (see `pushBestSEdges`) still stands. */
function hasStandingSEdge(v: i32): bool {
  const base = v * S_EDGE_BATCH;
  for (let i = 0; i < S_EDGE_BATCH; i++) {
    const k = sEdgeBatch[base + i];
    if (k == -1) return false;
    if (isSEdgeEvent(sEdgeBatchKey[base + i], k)) return true;
  }
  return false;
}

/** delta3: half the least slack between two S-blossoms; sets stepEdge. */
function delta3(): f64 {
  while (heap3.size > 0) {
    const key = heap3.topKey();
    const k = heap3.topA();
    if (!isSEdgeEvent(key, k)) {
      const owner = heap3.topB();
      heap3.pop();
      // The owner's least-slack edge to another S-blossom is gone: find its next one, if it is still an S-vertex.
      if (label[topOf(owner)] == 1 && !hasStandingSEdge(owner)) pushBestSEdges(owner);
      continue;
    }
    stepEdge = k;
    return (key - 2 * now) / 2;
  }
  return Infinity;
}

/** delta4: the least dual of a T-blossom; sets stepBlossom. */
function delta4(): f64 {
  while (heap4.size > 0) {
    const key = heap4.topKey();
    const b = heap4.topA();
    if (blossomBase[b] < 0 || blossomParent[b] != -1 || label[b] != 2 || blossomDualOf(b) + now != key) {
      heap4.pop();
      continue;
    }
    stepBlossom = b;
    return key - now;
  }
  return Infinity;
}

function run(): void {
  // Free vertices with dual 0 already meet complementary slackness and wait unlabelled (an
  // alternating tree that reaches one augments to it); the others root alternating trees.
  for (let v = 0; v < n; v++) if (mate[v] == -1 && dual[v] > 0) assignLabel(v, 1, -1);
  for (;;) {
    drainQueue();
    substages++;
    compactHeaps();
    // Between two dual steps the matching is valid and the duals feasible, so stopping here is safe.
    if (stopAt != Infinity && (substages & 15) == 1 && performanceNow() > stopAt) {
      complete = false;
      break;
    }
    // No augmenting path with tight edges: change the duals by the largest safe delta (the
    // earliest of the four kinds of event; on a tie the lower kind, as each delta is read in turn).
    let deltaType = 0;
    let delta: f64 = Infinity;
    const d1 = delta1();
    if (d1 < delta) {
      delta = d1;
      deltaType = 1;
    }
    const d2 = delta2();
    if (d2 < delta) {
      delta = d2;
      deltaType = 2;
    }
    const edge2 = stepEdge;
    const d3 = delta3();
    if (d3 < delta) {
      delta = d3;
      deltaType = 3;
    }
    const d4 = delta4();
    if (d4 < delta) {
      delta = d4;
      deltaType = 4;
    }
    if (deltaType == 0) break; // no alternating tree left: every free vertex has dual 0
    now += delta;
    if (deltaType == 1) {
      heap1.pop();
      retire(stepVertex);
    } else if (deltaType == 2) {
      allowEdge[edge2] = 1;
      let i = eu[edge2];
      if (label[topOf(i)] == 0) i = ev[edge2];
      queue.push(i);
    } else if (deltaType == 3) {
      allowEdge[stepEdge] = 1;
      queue.push(eu[stepEdge]);
    } else {
      expandBlossom(stepBlossom, false);
    }
  }
}

/** The matching, its weight and its certificate, with every dual materialised, into the out* globals. */
function solution(): void {
  for (let v = 0; v < n; v++) settleVertex(v);
  for (let b = n; b < 2 * n; b++) if (blossomBase[b] >= 0) settleBlossom(b);

  outMatchedEdge = new Int32Array(n).fill(-1);
  outMate = new Int32Array(n).fill(-1);
  weight = 0;
  for (let v = 0; v < n; v++) {
    const p = mate[v];
    if (p >= 0) {
      outMatchedEdge[v] = p >> 1;
      outMate[v] = endpoint[p];
      if (v < endpoint[p]) weight += ew[p >> 1];
    }
  }
  outDual = dual.slice();
  for (let b = n; b < 2 * n; b++) if (blossomBase[b] < 0) outDual[b] = 0;
  outBlossomParent = blossomParent;
  measureBlossoms();
  // Sizes bottom-up, children before parents (blossoms can nest thousands deep, so no leaf lists per blossom).
  const blossomSize = new Int32Array(2 * n);
  const byDepth = new Array<Array<i32>>(0);
  for (let d = 0; d <= deepest; d++) byDepth.push(new Array<i32>(0));
  for (let x = 0; x < 2 * n; x++) if (x < n || blossomBase[x] >= 0) byDepth[nodeDepth[x]].push(x);
  for (let d = deepest; d >= 0; d--) {
    const list = byDepth[d];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      const p = blossomParent[x];
      if (p != -1) blossomSize[p] = blossomSize[p] + (x < n ? 1 : blossomSize[x]);
    }
  }
  outBlossomSize = blossomSize;
}

// ------------------------------------------------------------------------------------------------
// The jump start.

/** Decreasing dual, then increasing vertex number. */
function byDualDescending(a: i32, b: i32): i32 {
  const da = dual[a];
  const db = dual[b];
  if (db > da) return 1;
  if (db < da) return -1;
  return a - b;
}

/**
 * A start for the solver without searching (a "jump start"): every vertex takes its heaviest
 * edge's weight as its (doubled) dual, which makes every edge dual feasible; then, in order of
 * decreasing dual, each free vertex lowers its dual as far as its edges allow, which makes at
 * least one of them tight (or the dual 0), and takes a free partner across a tight edge. Matched
 * edges are tight, every edge stays feasible and no dual is negative: a valid start, as the
 * solver lets free vertices hold different duals. Returns the number of edges matched.
 */
function jumpStart(): i32 {
  for (let v = 0; v < n; v++) dual[v] = 0;
  for (let t = 0; t < activeCount; t++) {
    const k = active[t];
    const w = ew[k];
    const i = eu[k];
    const j = ev[k];
    if (w > dual[i]) dual[i] = w;
    if (w > dual[j]) dual[j] = w;
  }
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[v] = v;
  order.sort(byDualDescending);
  let matched = 0;
  // A second pass lowers vertices whose neighbours were lowered after them (rarely more than that).
  for (let pass = 0; pass < 2; pass++) {
    let changed = false;
    for (let t = 0; t < n; t++) {
      const v = order[t];
      if (mate[v] != -1 || dual[v] == 0) continue;
      const end = neighStart[v + 1];
      let need: f64 = 0;
      for (let q = neighStart[v]; q < end; q++) {
        const s = neighWeight2[q] - dual[neighVertex[q]];
        if (s > need) need = s;
      }
      if (need < dual[v]) changed = true;
      dual[v] = need;
      if (need == 0) continue;
      for (let q = neighStart[v]; q < end; q++) {
        const x = neighVertex[q];
        if (mate[x] == -1 && neighWeight2[q] - dual[x] == need) {
          const p = neighEnd[q];
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
    const v = order[t];
    if (mate[v] != -1 || dual[v] == 0) continue;
    matched += augmentShort(v, exhausted);
  }
  return matched;
}

/** Looks for a tight path free v – u = u' – x free and flips it; returns 1 if it did. */
function augmentShort(v: i32, exhausted: Uint8Array): i32 {
  const dv = dual[v];
  const end = neighStart[v + 1];
  for (let q = neighStart[v]; q < end; q++) {
    const u = neighVertex[q];
    const mu = mate[u];
    if (mu == -1 || dv + dual[u] != neighWeight2[q]) continue;
    const p = neighEnd[q];
    const u2 = endpoint[mu];
    if (exhausted[u2] == 1) continue;
    const du2 = dual[u2];
    const end2 = neighStart[u2 + 1];
    let reachesV = false;
    for (let r = neighStart[u2]; r < end2; r++) {
      const x = neighVertex[r];
      if (mate[x] != -1 || du2 + dual[x] != neighWeight2[r]) continue;
      if (x == v) {
        reachesV = true;
        continue;
      }
      const p2 = neighEnd[r];
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

// ------------------------------------------------------------------------------------------------
// Splitting capacities: the reduction of a b-matching to a matching (src/b-matching.ts describes
// it). Here rather than in the host for the solver's reason: a fresh process ran the host's loop
// over 87,000 pairs in V8's interpreter, 15-30 ms of a 1,000-person match. The host copies the
// links out, and gives them back to setup() like any graph.

let capacity = new Int32Array(0);
let splitVertices: i32 = 0;
let linkFrom = new Int32Array(0);
let linkTo = new Int32Array(0);
let linkWeight = new Float64Array(0);
/** The pair each link comes from. */
let linkOrigin = new Int32Array(0);
/** What each link is: 0 a direct link between copies, 1 a gadget's link from a copy of the pair's first person, 2 the gadget's middle link, 3 its link to a copy of the second. */
let linkRole = new Uint8Array(0);

/** Starts a split of n people and m pairs: rewinds the heap and allocates the inputs (capacities, and the pairs at fromPtr() etc.). */
export function setupSplit(people: i32, pairs: i32): void {
  // @ts-expect-error: the stub runtime's heap rewind (rt/stub.ts), which AssemblyScript's type declarations leave out
  __reset();
  n = people;
  m = pairs;
  capacity = new Int32Array(people);
  eu = new Int32Array(pairs);
  ev = new Int32Array(pairs);
  ew = new Float64Array(pairs);
}

export function capacityPtr(): usize {
  return capacity.dataStart;
}

/**
 * Splits the capacities set up: person v becomes capacity[v] copies, numbered person by person;
 * a pair with a person of capacity 1 becomes a link between every copy of one and every copy of
 * the other; a pair of two people of capacity > 1 becomes a gadget, two new vertices a and b with
 * links copy–a, a–b and b–copy. Every link weighs its pair's weight. Returns SOLVED, or the first
 * problem (capacities first, then pairs in order: an end out of range, a loop, a weight that is not
 * a whole number ≥ 0), or SPLIT_TOO_LARGE.
 */
export function splitCapacities(): i32 {
  for (let v = 0; v < n; v++) {
    if (capacity[v] < 0) {
      rejected = v;
      return CAPACITY_NEGATIVE;
    }
  }
  for (let k = 0; k < m; k++) {
    const i = eu[k];
    const j = ev[k];
    if (<u32>i >= <u32>n || <u32>j >= <u32>n) {
      rejected = k;
      return EDGE_END_OUT_OF_RANGE;
    }
    if (i == j) {
      rejected = k;
      return EDGE_IS_LOOP;
    }
    const w = ew[k];
    // Checked here as checkEdges does, for the pair's own number (a link's would mean nothing to the caller).
    if (!isWholeWeight(w)) {
      rejected = k;
      return EDGE_WEIGHT_NOT_WHOLE;
    }
  }
  const firstCopy = new Int32Array(n + 1);
  let copies: i64 = 0;
  for (let v = 0; v < n; v++) {
    copies += <i64>capacity[v];
    if (copies > MAX_SOLVED) return SPLIT_TOO_LARGE;
    firstCopy[v + 1] = <i32>copies;
  }
  let links: i64 = 0;
  let vertices: i64 = copies;
  for (let k = 0; k < m; k++) {
    const cu = <i64>capacity[eu[k]];
    const cv = <i64>capacity[ev[k]];
    if (cu > 1 && cv > 1) {
      links += cu + 1 + cv;
      vertices += 2;
    } else links += cu * cv;
  }
  if (vertices > MAX_SOLVED || links > MAX_SOLVED) return SPLIT_TOO_LARGE;
  const count = <i32>links;
  linkFrom = new Int32Array(count);
  linkTo = new Int32Array(count);
  linkWeight = new Float64Array(count);
  linkOrigin = new Int32Array(count);
  linkRole = new Uint8Array(count);
  let next = <i32>copies;
  let at = 0;
  for (let k = 0; k < m; k++) {
    const w = ew[k];
    const uFrom = firstCopy[eu[k]];
    const uTo = firstCopy[eu[k] + 1];
    const vFrom = firstCopy[ev[k]];
    const vTo = firstCopy[ev[k] + 1];
    if (uTo - uFrom > 1 && vTo - vFrom > 1) {
      const a = next++;
      const b = next++;
      for (let x = uFrom; x < uTo; x++) at = link(at, x, a, w, k, 1);
      at = link(at, a, b, w, k, 2);
      for (let y = vFrom; y < vTo; y++) at = link(at, b, y, w, k, 3);
    } else {
      for (let x = uFrom; x < uTo; x++) {
        for (let y = vFrom; y < vTo; y++) at = link(at, x, y, w, k, 0);
      }
    }
  }
  splitVertices = next;
  return SOLVED;
}

@inline function link(at: i32, x: i32, y: i32, w: f64, k: i32, role: u8): i32 {
  linkFrom[at] = x;
  linkTo[at] = y;
  linkWeight[at] = w;
  linkOrigin[at] = k;
  linkRole[at] = role;
  return at + 1;
}

export function splitVertexCount(): i32 {
  return splitVertices;
}
export function splitLinkCount(): i32 {
  return linkWeight.length;
}
export function linkFromPtr(): usize {
  return linkFrom.dataStart;
}
export function linkToPtr(): usize {
  return linkTo.dataStart;
}
export function linkWeightPtr(): usize {
  return linkWeight.dataStart;
}
export function linkOriginPtr(): usize {
  return linkOrigin.dataStart;
}
export function linkRolePtr(): usize {
  return linkRole.dataStart;
}
