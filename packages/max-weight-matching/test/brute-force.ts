/** Test helper: the optimum by enumeration, to check the solvers against. */

/** Enumerates every b-matching (each edge in or out, capacities respected) and returns the best weight and, for it, the most pairs. */
export function bruteForce(
  n: number,
  capacity: number[],
  edges: Array<[number, number, number]>,
): { weight: number; maxPairs: number; weightAtMaxPairs: number } {
  const left = capacity.slice(0, n);
  let weight = 0;
  let maxPairs = 0;
  let weightAtMaxPairs = 0;
  const visit = (k: number, w: number, pairs: number) => {
    if (k === edges.length) {
      weight = Math.max(weight, w);
      if (pairs > maxPairs || (pairs === maxPairs && w > weightAtMaxPairs)) {
        maxPairs = pairs;
        weightAtMaxPairs = w;
      }
      return;
    }
    visit(k + 1, w, pairs);
    const [i, j, ew] = edges[k] as [number, number, number];
    if ((left[i] as number) > 0 && (left[j] as number) > 0) {
      left[i] = (left[i] as number) - 1;
      left[j] = (left[j] as number) - 1;
      visit(k + 1, w + ew, pairs + 1);
      left[i] = left[i] + 1;
      left[j] = left[j] + 1;
    }
  };
  visit(0, 0, 0);
  return { weight, maxPairs, weightAtMaxPairs };
}
