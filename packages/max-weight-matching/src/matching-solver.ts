/**
 * Maximum-weight matching in a general graph: Edmonds' blossom algorithm with the primal-dual
 * method of Galil, returning the optimal dual solution with the matching, so that anyone can
 * check optimality with `verifyMatchingCertificate`.
 *
 * The solver itself is assembly/blossom.ts, AssemblyScript compiled to WebAssembly (see its module
 * comment for the algorithm); this file is its host side: the types, the input checks, copying
 * the input into the module's memory and the results out of it, and the certificate check, which
 * stays in JavaScript as a checker independent of the solver.
 *
 * Weights must be integers (scale them); then every dual stays an integer and the
 * certificate check is exact. Duals use the reference implementation's scale: a vertex
 * dual is 2·y_v and a blossom dual is z_B, so an edge (i, j, w) is dual feasible when
 * dual[i] + dual[j] + 2·Σ{z_B : i, j ∈ B} ≥ 2w.
 */
import { BLOSSOM_WASM_BASE64 } from './blossom-wasm.generated.ts';

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
  stats: {
    substages: number;
    warmMatched: number;
    augmentations: number;
    edgeVisits: number;
    /** Solves of a growing part of the graph (1 when every edge was solved at once; see `coreDegree`). */
    rounds: number;
    /** Edges in the last round's graph (all of them when `rounds` is 1 and no core was taken). */
    solvedEdges: number;
  };
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
  /**
   * In a graph with more than 2·coreDegree edges per vertex, solved without a start, the first
   * solve takes only each vertex's coreDegree best edges (by weight less approximate duals); every
   * left-out edge is then priced against that optimum's duals, and the violated ones join the next
   * solve, until none is: the result is the optimum of the whole graph, with a certificate for
   * every edge. Default 8 (`DEFAULT_CORE_DEGREE`); 0 solves every edge at once.
   */
  coreDegree?: number;
}

/**
 * Each vertex's edges in the first solve of a dense graph (see `MatchingOptions.coreDegree`). 8
 * rather than 6, 12 or 16 from LEMON's instances at 1,000 and 2,000 people (docs/matching-journal.md,
 * 4 December, evening): 6 and 8 were fastest, and 8 leaves fewer edges violated.
 */
export const DEFAULT_CORE_DEGREE = 8;

/**
 * The WebAssembly solver stopped inside a solve: a failed internal check (the bounds-checked build)
 * or a trap, such as memory that could not grow. Input errors are RangeErrors, thrown before.
 */
export class MatchingSolverError extends Error {
  override readonly name = 'MatchingSolverError';
}

/** A b-matching's graph split into a matching instance (see `splitCapacities`). */
export interface CapacitySplit {
  /** Each person's copies, numbered person by person, then two vertices per gadget; links weigh their pair's weight. */
  reduced: WeightedEdges;
  /** The pair each link comes from. */
  origin: Int32Array;
  /** What each link is: 0 a direct link between copies, 1 a gadget's link from a copy of the pair's first person, 2 the gadget's middle link, 3 its link to a copy of the second. */
  role: Uint8Array;
}

export interface MatchingSolver {
  maxWeightMatching(graph: WeightedEdges, options?: MatchingOptions): MatchingSolution;
  /**
   * Splits capacities, for a b-matching (src/b-matching.ts describes the reduction): person v
   * becomes capacity[v] copies; a pair with a person of capacity 1 links every copy of one to
   * every copy of the other; a pair of two people of capacity > 1 becomes a gadget of two new
   * vertices. Throws a RangeError for a negative capacity, a pair of a person with themselves,
   * or an end that is no person.
   */
  splitCapacities(people: number, capacity: Int32Array, from: Int32Array, to: Int32Array, weight: Float64Array): CapacitySplit;
}

/**
 * The parts of the WebAssembly JavaScript API used here, which the project's types (the ES2023
 * library and @types/node 20, without the DOM's) do not declare.
 */
interface WebAssemblyApi {
  Module: new (bytes: ArrayBuffer | ArrayBufferView) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The exports of assembly/blossom.ts (its module comment gives the order of the calls in one solve). */
interface BlossomExports {
  /** The module's memory: its buffer is replaced whenever the memory grows. */
  memory: { readonly buffer: ArrayBuffer };
  setup(vertexCount: number, edgeCount: number, withStart: number, coreDegree: number): void;
  fromPtr(): number;
  toPtr(): number;
  weightPtr(): number;
  startMatchedEdgePtr(): number;
  startDualPtr(): number;
  checkEdges(): number;
  solve(deadline: number): number;
  errorIndex(): number;
  matchingWeight(): number;
  isComplete(): number;
  statSubstages(): number;
  statWarmMatched(): number;
  statAugmentations(): number;
  statEdgeVisits(): number;
  statRounds(): number;
  statSolvedEdges(): number;
  setupSplit(people: number, pairs: number): void;
  capacityPtr(): number;
  splitCapacities(): number;
  splitVertexCount(): number;
  splitLinkCount(): number;
  linkFromPtr(): number;
  linkToPtr(): number;
  linkWeightPtr(): number;
  linkOriginPtr(): number;
  linkRolePtr(): number;
  matePtr(): number;
  matchedEdgePtr(): number;
  dualPtr(): number;
  blossomParentPtr(): number;
  blossomSizePtr(): number;
}

// What the module's solve() returns: solved, or why the given start is no valid one.
const SOLVED = 0;
const START_EDGE_NOT_AT_VERTEX = 1;
const START_EDGE_INFEASIBLE = 2;
const START_MATCHED_EDGE_NOT_TIGHT = 3;
const EDGE_WEIGHT_NOT_WHOLE = 4;
const EDGE_IS_LOOP = 5;
const EDGE_END_OUT_OF_RANGE = 6;
const CAPACITY_NEGATIVE = 7;
const SPLIT_TOO_LARGE = 8;

/**
 * Most vertices, and most edges, a solve may have (the module's MAX_SOLVED): it allocates 2·n and
 * 2·m doubles in one array each, and an AssemblyScript array holds at most 2^30 bytes.
 */
const MAX_SOLVED = 2 ** 26 - 1;

/**
 * The shape of a start, which the module trusts: an entry per vertex, every dual a finite number ≥ 0,
 * and every matched edge an edge of the graph that both its ends name. (Whether the duals are
 * feasible and the matched edges tight needs the graph's adjacency; the module checks that.)
 */
function checkStart(graph: WeightedEdges, start: NonNullable<MatchingOptions['start']>): void {
  const n = graph.vertexCount;
  const m = graph.weight.length;
  if (start.matchedEdge.length < n || start.dual.length < n) throw new RangeError(`start: matchedEdge and dual need an entry for each of the ${n} vertices`);
  for (let v = 0; v < n; v++) {
    const dual = start.dual[v] as number;
    if (!(dual >= 0 && dual < Infinity)) throw new RangeError(`start: vertex ${v} has dual ${dual}: duals must be finite and non-negative`);
    const k = start.matchedEdge[v] as number;
    if (k === -1) continue;
    if (k < -1 || k >= m) throw new RangeError(`start: vertex ${v} is matched through edge ${k}, which is not one of the graph's ${m} edges`);
    const other = graph.from[k] === v ? (graph.to[k] as number) : graph.to[k] === v ? (graph.from[k] as number) : -1;
    if (other === -1) throw new RangeError(`start: vertex ${v} is matched through edge ${k}, which does not touch it`);
    if (start.matchedEdge[other] !== k) throw new RangeError(`start: vertex ${v} is matched through edge ${k}, but its other end, vertex ${other}, is not`);
  }
}

/** The RangeError for an edge the module's checkEdges() refused. */
function edgeError(problem: number, k: number, graph: WeightedEdges): RangeError {
  if (problem === EDGE_WEIGHT_NOT_WHOLE) return new RangeError(`edge ${k} has weight ${graph.weight[k]}: weights must be non-negative integers`);
  if (problem === EDGE_IS_LOOP) return new RangeError(`edge ${k} is a loop`);
  if (problem === EDGE_END_OUT_OF_RANGE)
    return new RangeError(`edge ${k} joins ${graph.from[k]} and ${graph.to[k]}: vertices are numbered 0..${graph.vertexCount - 1}`);
  return new RangeError(`edge ${k} was refused by the solver (problem ${problem})`);
}

/**
 * A solver running the given build of assembly/blossom.ts: the module is compiled and instantiated
 * once, and the instance serves every solve (each solve starts by rewinding the module's heap, so
 * its memory grows to the largest solve's needs and no further). Inputs are copied into the
 * module's memory and results copied out, so callers own plain typed arrays.
 */
export function createMatchingSolver(wasm: ArrayBuffer | ArrayBufferView): MatchingSolver {
  const instance = new Instance(new Module(wasm), {
    env: {
      abort(message: number, fileName: number, line: number, column: number): never {
        throw new MatchingSolverError(`blossom solver aborted: ${text(message)} at ${text(fileName)}:${line}:${column}`);
      },
      performanceNow: () => performance.now(),
    },
  });
  const solver = instance.exports as BlossomExports;
  /** An AssemblyScript string in the module's memory: UTF-16, its byte length in the header word before it. */
  const text = (pointer: number): string => {
    if (pointer === 0) return '';
    const buffer = solver.memory.buffer;
    const bytes = new Uint32Array(buffer, pointer - 4, 1)[0] as number;
    return new TextDecoder('utf-16le').decode(new Uint8Array(buffer, pointer, bytes));
  };
  /** Runs `call` on the module: its own aborts pass through, anything else (a trap, memory that could not grow) becomes a MatchingSolverError saying what stopped. */
  const inModule = <T>(what: string, call: () => T): T => {
    try {
      return call();
    } catch (error) {
      if (error instanceof MatchingSolverError) throw error;
      throw new MatchingSolverError(`${what} stopped: ${String(error)}`, { cause: error });
    }
  };
  /** Copies m edges (or pairs) into the arrays the last setup allocated. */
  const writeEdges = (from: Int32Array, to: Int32Array, weight: Float64Array, m: number): void => {
    const buffer = solver.memory.buffer;
    new Int32Array(buffer, solver.fromPtr(), m).set(from.subarray(0, m));
    new Int32Array(buffer, solver.toPtr(), m).set(to.subarray(0, m));
    new Float64Array(buffer, solver.weightPtr(), m).set(weight.subarray(0, m));
  };

  return {
    maxWeightMatching(graph: WeightedEdges, options: MatchingOptions = {}): MatchingSolution {
      const n = graph.vertexCount;
      const { from: eu, to: ev, weight: ew } = graph;
      const m = ew.length;
      // The release build does not check its indices: every input that could send one out of range is refused, here or by checkEdges().
      if (!Number.isInteger(n) || n < 0 || n > MAX_SOLVED) throw new RangeError(`vertexCount is ${n}: it must be a whole number from 0 to ${MAX_SOLVED}`);
      if (m > MAX_SOLVED) throw new RangeError(`the graph has ${m} edges: a solve takes at most ${MAX_SOLVED}`);
      if (eu.length < m || ev.length < m)
        throw new RangeError(`from and to have ${eu.length} and ${ev.length} entries for ${m} weights: every edge needs both ends`);
      const start = options.start;
      const coreDegree = options.coreDegree ?? DEFAULT_CORE_DEGREE;
      if (!Number.isInteger(coreDegree) || coreDegree < 0 || coreDegree > MAX_SOLVED)
        throw new RangeError(`coreDegree is ${coreDegree}: it must be a whole number from 0 to ${MAX_SOLVED}`);
      // The edges are checked by the module once copied in (weights, loops, and ends out of range,
      // which it would read and write past its arrays), before the start is.
      const what = `blossom solver on ${n} vertices and ${m} edges`;
      const edgeProblem = inModule(what, () => {
        solver.setup(n, m, start === undefined ? 0 : 1, coreDegree);
        writeEdges(eu, ev, ew, m);
        return solver.checkEdges();
      });
      if (edgeProblem !== SOLVED) throw edgeError(edgeProblem, solver.errorIndex(), graph);
      if (start !== undefined) checkStart(graph, start);

      const result = inModule(what, () => {
        const buffer = solver.memory.buffer;
        if (start !== undefined) {
          new Int32Array(buffer, solver.startMatchedEdgePtr(), n).set(start.matchedEdge.subarray(0, n));
          new Float64Array(buffer, solver.startDualPtr(), n).set(start.dual.subarray(0, n));
        }
        return solver.solve(options.stopAt ?? Infinity);
      });
      if (result !== SOLVED) {
        const at = solver.errorIndex();
        if (result === START_EDGE_NOT_AT_VERTEX) {
          throw new RangeError(`start: vertex ${at} is matched through edge ${start?.matchedEdge[at]}, which does not touch it`);
        }
        if (result === START_EDGE_INFEASIBLE) throw new RangeError(`start: edge ${at} is not dual feasible`);
        if (result === START_MATCHED_EDGE_NOT_TIGHT) throw new RangeError(`start: matched edge ${at} is not tight`);
        throw new MatchingSolverError(`blossom solver: unknown result ${result}`);
      }

      // The solve may have grown the memory, which replaces its buffer.
      const buffer = solver.memory.buffer;
      return {
        matchedEdge: new Int32Array(buffer, solver.matchedEdgePtr(), n).slice(),
        mate: new Int32Array(buffer, solver.matePtr(), n).slice(),
        weight: solver.matchingWeight(),
        certificate: {
          dual: new Float64Array(buffer, solver.dualPtr(), 2 * n).slice(),
          blossomParent: new Int32Array(buffer, solver.blossomParentPtr(), 2 * n).slice(),
          blossomSize: new Int32Array(buffer, solver.blossomSizePtr(), 2 * n).slice(),
        },
        stats: {
          substages: solver.statSubstages(),
          warmMatched: solver.statWarmMatched(),
          augmentations: solver.statAugmentations(),
          edgeVisits: solver.statEdgeVisits(),
          rounds: solver.statRounds(),
          solvedEdges: solver.statSolvedEdges(),
        },
        complete: solver.isComplete() !== 0,
      };
    },

    splitCapacities(people: number, capacity: Int32Array, from: Int32Array, to: Int32Array, weight: Float64Array): CapacitySplit {
      const m = weight.length;
      if (!Number.isInteger(people) || people < 0 || people > MAX_SOLVED)
        throw new RangeError(`the graph has ${people} people: it must be a whole number from 0 to ${MAX_SOLVED}`);
      if (capacity.length < people) throw new RangeError(`capacity has ${capacity.length} entries for ${people} people: every person needs one`);
      if (from.length < m || to.length < m)
        throw new RangeError(`from and to have ${from.length} and ${to.length} entries for ${m} weights: every pair needs both people`);
      if (m > MAX_SOLVED) throw new RangeError(`the graph has ${m} pairs: a split takes at most ${MAX_SOLVED}`);
      const problem = inModule(`splitting the capacities of ${people} people and ${m} pairs`, () => {
        solver.setupSplit(people, m);
        new Int32Array(solver.memory.buffer, solver.capacityPtr(), people).set(capacity.subarray(0, people));
        writeEdges(from, to, weight, m);
        return solver.splitCapacities();
      });
      const at = solver.errorIndex();
      if (problem === CAPACITY_NEGATIVE) throw new RangeError(`person ${at} has capacity ${capacity[at]}: capacities must be whole numbers, 0 or more`);
      if (problem === EDGE_IS_LOOP) throw new RangeError(`pair ${at} joins person ${from[at]} with themselves`);
      if (problem === EDGE_WEIGHT_NOT_WHOLE) throw new RangeError(`pair ${at} has weight ${weight[at]}: weights must be whole numbers, 0 or more`);
      if (problem === EDGE_END_OUT_OF_RANGE) throw new RangeError(`pair ${at} joins ${from[at]} and ${to[at]}: people are numbered 0..${people - 1}`);
      if (problem === SPLIT_TOO_LARGE)
        throw new RangeError(`splitting the capacities of ${people} people and ${m} pairs would make more than ${MAX_SOLVED} vertices or links`);
      if (problem !== SOLVED) throw new MatchingSolverError(`splitting capacities: unknown result ${problem}`);
      const buffer = solver.memory.buffer;
      const links = solver.splitLinkCount();
      return {
        reduced: {
          vertexCount: solver.splitVertexCount(),
          from: new Int32Array(buffer, solver.linkFromPtr(), links).slice(),
          to: new Int32Array(buffer, solver.linkToPtr(), links).slice(),
          weight: new Float64Array(buffer, solver.linkWeightPtr(), links).slice(),
        },
        origin: new Int32Array(buffer, solver.linkOriginPtr(), links).slice(),
        role: new Uint8Array(buffer, solver.linkRolePtr(), links).slice(),
      };
    },
  };
}

/** The solver on the release build embedded in blossom-wasm.generated.ts, created on first use and kept for the process. */
let defaultSolver: MatchingSolver | undefined;

function solverOfThisProcess(): MatchingSolver {
  defaultSolver ??= createMatchingSolver(Buffer.from(BLOSSOM_WASM_BASE64, 'base64'));
  return defaultSolver;
}

export function maxWeightMatching(graph: WeightedEdges, options: MatchingOptions = {}): MatchingSolution {
  return solverOfThisProcess().maxWeightMatching(graph, options);
}

/** `MatchingSolver.splitCapacities` on the release build. */
export function splitCapacities(people: number, capacity: Int32Array, from: Int32Array, to: Int32Array, weight: Float64Array): CapacitySplit {
  return solverOfThisProcess().splitCapacities(people, capacity, from, to, weight);
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
