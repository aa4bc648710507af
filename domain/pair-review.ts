import type { ApprovalState, Pair } from './cycle.ts';
import { pairIdOf } from './cycle.ts';
import { ConflictError, ValidationError } from './errors.ts';
import { noPartnerReason } from './matching/explain.ts';
import { pairKey } from './matching/hard-rules.ts';
import type { MatchContext, Matcher, UnmatchedParticipant } from './matching/matcher.ts';
import { compileCohort, evaluatePair, REJECTIONS, type Rejection } from './matching/scoring.ts';
import type { Participant } from './participant.ts';

/**
 * HR's review of the proposed pairs, as pure rules: what forbidding, locking, excluding and
 * re-solving do to the review state and the pairs. The use cases (services/phases/approval/)
 * read and write the store around these.
 */

const REJECTION_ORDER = Object.keys(REJECTIONS) as Rejection[];

/**
 * Why each active person outside the pairs has no partner: no eligible partner at all (and which
 * rules ruled them out), or every eligible partner is taken. The matchers give the same reasons.
 */
export function unmatchedReasons(
  roster: readonly Participant[],
  context: MatchContext,
  pairs: readonly Pick<Pair, 'mentorId' | 'menteeId'>[],
): UnmatchedParticipant[] {
  const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
  const c = compileCohort(roster, context);
  const unmatched: UnmatchedParticipant[] = [];
  for (const person of roster) {
    if (paired.has(person.participantId)) continue;
    const i = c.index.get(person.participantId);
    if (i === undefined) {
      unmatched.push({ participantId: person.participantId, reason: `not taking part (${person.status})` });
      continue;
    }
    const counts: Partial<Record<Rejection, number>> = {};
    let eligible = 0;
    for (let j = 0; j < c.n; j++) {
      if (j === i) continue;
      const evaluation = evaluatePair(c, i, j);
      if (evaluation.allowed) eligible++;
      else if (evaluation.rejection) counts[evaluation.rejection] = (counts[evaluation.rejection] ?? 0) + 1;
    }
    unmatched.push({
      participantId: person.participantId,
      reason:
        eligible === 0
          ? noPartnerReason(Object.fromEntries(REJECTION_ORDER.map((r) => [r, counts[r] ?? 0])), c.n - 1)
          : `capacity: ${eligible === 1 ? 'the one eligible partner is' : `all ${eligible} eligible partners are`} already in other pairs`,
    });
  }
  return unmatched;
}

/** The review state as it opens on the proposed pairs. */
export function openReview(openedAt: number, deadline: number, unmatched: UnmatchedParticipant[]): ApprovalState {
  return { openedAt, deadline, status: 'pending', revision: 0, bans: [], locks: [], excluded: [], unmatched, stale: false };
}

/** What a review command did: `unchanged` when the state already said so (a repeated command). */
export type ReviewChange = { changed: true; next: ApprovalState } | { changed: false };

const samePair = (a: readonly [string, string], b: readonly [string, string]) => pairKey(a[0], a[1]) === pairKey(b[0], b[1]);
const next = (state: ApprovalState, patch: Partial<ApprovalState>): ReviewChange => ({
  changed: true,
  next: { ...state, ...patch, revision: state.revision + 1 },
});

/** Refuses every change unless the pairs wait for approval. */
export function assertPending(state: ApprovalState | undefined, cycleId: string): asserts state is ApprovalState {
  if (!state) throw new ConflictError(`cycle ${cycleId} is not waiting for approval: its program does not ask for it, or identify has not finished`);
  if (state.status !== 'pending') throw new ConflictError(`cycle ${cycleId} is not waiting for approval: its pairs were ${state.status}`);
}

function personOf(pairs: readonly Pair[], participantId: string): void {
  if (!pairs.some((p) => p.mentorId === participantId || p.menteeId === participantId)) {
    throw new ValidationError(`${participantId} is in no proposed pair of this cycle`);
  }
}

/** Forbids two people being paired in this cycle; their pair, if proposed, goes at the next re-solve. */
export function forbidPair(state: ApprovalState, pair: [string, string]): ReviewChange {
  if (pair[0] === pair[1]) throw new ValidationError('a pair needs two different people');
  if (state.locks.some((lock) => samePair(lock, pair))) throw new ConflictError(`the pair ${pair.join(' and ')} is locked: unlock it before forbidding it`);
  if (state.bans.some((ban) => samePair(ban, pair))) return { changed: false };
  return next(state, { bans: [...state.bans, pair], stale: true });
}

/** Locks a proposed pair: every re-solve keeps it. */
export function lockPair(state: ApprovalState, pairs: readonly Pair[], pair: [string, string]): ReviewChange {
  const proposed = pairs.find((p) => samePair([p.mentorId, p.menteeId], pair));
  if (!proposed) throw new ValidationError(`${pair.join(' and ')} are not a proposed pair of this cycle (only a proposed pair can be locked)`);
  if (state.locks.some((lock) => samePair(lock, pair))) return { changed: false };
  return next(state, { locks: [...state.locks, [proposed.mentorId, proposed.menteeId]] });
}

export function unlockPair(state: ApprovalState, pair: [string, string]): ReviewChange {
  if (!state.locks.some((lock) => samePair(lock, pair))) return { changed: false };
  return next(state, { locks: state.locks.filter((lock) => !samePair(lock, pair)) });
}

/** Takes a person out of the cycle: their pair goes at the next re-solve, and so do their locks. */
export function excludePerson(state: ApprovalState, pairs: readonly Pair[], participantId: string): ReviewChange {
  if (state.excluded.includes(participantId)) return { changed: false };
  personOf(pairs, participantId);
  return next(state, {
    excluded: [...state.excluded, participantId],
    locks: state.locks.filter((lock) => !lock.includes(participantId)),
    stale: true,
  });
}

/** Refuses an approval the pairs do not reflect yet. */
export function assertApprovable(state: ApprovalState, cycleId: string): void {
  if (state.stale) throw new ConflictError(`cycle ${cycleId}'s pairs do not reflect the latest bans or exclusions yet: re-solve before approving`);
}

/**
 * Re-solves the pairs under HR's rules: locked pairs stay as they are and their people leave
 * the pool, excluded people leave the pool, banned pairs join `doNotPair`; the matcher pairs
 * everyone left. The unmatched are those of the pool (locked people are all paired).
 */
export function resolvePairs(
  roster: readonly Participant[],
  context: MatchContext,
  state: Pick<ApprovalState, 'bans' | 'locks' | 'excluded'>,
  current: readonly Pair[],
  matcher: Matcher,
): { pairs: Pair[]; unmatched: UnmatchedParticipant[] } {
  const locked = state.locks.map((lock) => {
    const pair = current.find((p) => samePair([p.mentorId, p.menteeId], lock));
    if (!pair) throw new ConflictError(`the locked pair ${lock.join(' and ')} is no longer among the proposed pairs`);
    return pair;
  });
  const out = new Set([...state.excluded, ...locked.flatMap((p) => [p.mentorId, p.menteeId])]);
  const pool = roster.filter((p) => !out.has(p.participantId));
  const result = matcher.match(pool, {
    ...context,
    settings: { ...context.settings, doNotPair: [...context.settings.doNotPair, ...state.bans] },
  });
  const matched: Pair[] = result.pairs.map((p) => ({ ...p, pairId: pairIdOf(p.mentorId, p.menteeId) }));
  return { pairs: [...locked, ...matched], unmatched: result.unmatched };
}
