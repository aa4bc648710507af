export {
  createMatchingSolver,
  MatchingSolverError,
  maxWeightMatching,
  verifyMatchingCertificate,
  type MatchingCertificate,
  type MatchingOptions,
  type MatchingSolver,
  type MatchingSolution,
  type WeightedEdges,
} from './matching-solver.ts';
export {
  DualPricer,
  dualBound,
  maxWeightBMatching,
  reduceToMatching,
  type BMatchingOptions,
  type BMatchingResult,
  type CapacitatedGraph,
} from './b-matching.ts';
