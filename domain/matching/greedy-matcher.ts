import type { Participant } from '../participant.ts';
import { describePair, noPartnerReason } from './explain.ts';
import type { MatchContext, Matcher, MatchResult, ProposedPair, UnmatchedParticipant } from './matcher.ts';
import { compileCohort, REJECTION_CODES, scanPairs, type Rejection } from './scoring.ts';

/**
 * The baseline matcher: scores every allowed pair with the same score and hard rules as the
 * OptimalMatcher, then takes the best remaining pair while both people have capacity.
 * Never breaks a hard rule, but is not optimal for the cohort as a whole (the benchmark
 * reports how far from the optimum it lands). Ignores the max-pairs objective.
 */
export class GreedyMatcher implements Matcher {
  readonly name = 'greedy';

  match(cohort: readonly Participant[], context: MatchContext): MatchResult {
    const c = compileCohort(cohort, context);
    const n = c.n;
    const partners = new Int32Array(n);
    const rejections = new Int32Array(n * REJECTION_CODES.length);
    const from: number[] = [];
    const to: number[] = [];
    const cents: number[] = [];
    scanPairs(c, rejections, (i, j, e) => {
      partners[i] = (partners[i] as number) + 1;
      partners[j] = (partners[j] as number) + 1;
      from.push(i);
      to.push(j);
      cents.push(e.cents);
    });
    const order = Int32Array.from(cents.keys());
    order.sort((a, b) => (cents[b] as number) - (cents[a] as number) || a - b);
    const remaining = Int32Array.from(c.capacity);
    const pairs: ProposedPair[] = [];
    for (const k of order) {
      const i = from[k] as number;
      const j = to[k] as number;
      if ((remaining[i] as number) > 0 && (remaining[j] as number) > 0) {
        remaining[i] = (remaining[i] as number) - 1;
        remaining[j] = (remaining[j] as number) - 1;
        pairs.push(describePair(c, i, j, context.skillsCatalog));
      }
    }
    const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
    const unmatched: UnmatchedParticipant[] = [];
    for (const p of cohort) {
      if (paired.has(p.participantId)) continue;
      const i = c.index.get(p.participantId);
      if (i === undefined) unmatched.push({ participantId: p.participantId, reason: `not taking part (${p.status})` });
      else if ((partners[i] as number) === 0) {
        const counts: Partial<Record<Rejection, number>> = {};
        REJECTION_CODES.forEach((r, k) => (counts[r] = rejections[i * REJECTION_CODES.length + k] as number));
        unmatched.push({ participantId: p.participantId, reason: noPartnerReason(counts, n - 1) });
      } else {
        unmatched.push({ participantId: p.participantId, reason: 'capacity: every eligible partner was already paired with someone who suited them better' });
      }
    }
    return { pairs, unmatched };
  }
}
