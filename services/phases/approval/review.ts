import type { ApprovalState, Cycle, CycleStatus, Pair } from '../../../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/errors.ts';
import type { MatchContext, Matcher } from '../../../domain/matching/matcher.ts';
import {
  assertApprovable,
  assertPending,
  excludePerson,
  forbidPair,
  lockPair,
  resolvePairs,
  unlockPair,
  type ReviewChange,
} from '../../../domain/pair-review.ts';
import type { AuditEntry, AuditLog, Clock, CycleStore, PairReviewStore, ProgramStore } from '../../ports.ts';
import { membersOf, recentPairsOf } from '../identify/index.ts';
import { loadCycle } from '../members.ts';
import type { PairReviewCommand } from './page.ts';

/**
 * HR's review of the proposed pairs: the use cases behind `tandem pairs ...`, the console's
 * Pairs page and the demo. Every write reads the review, applies a pure rule
 * (domain/pair-review.ts) and writes it back conditional on the revision it read; a repeated
 * command changes nothing, and every change is in the audit log.
 */

export interface PairReviewDeps {
  store: CycleStore & ProgramStore & PairReviewStore & AuditLog;
  clock: Clock;
}

/** Who acts: `<os user>@<host>` or TANDEM_ACTOR from the CLI, the signed-in user in the console, `tandem` for the workflow. */
export interface Actor {
  actor: string;
  via: AuditEntry['via'];
}

export interface PersonView {
  participantId: string;
  name: string;
  department: string;
}

export interface PairView {
  pairId: string;
  mentor: PersonView;
  mentee: PersonView;
  score: number;
  /** The criteria behind the score, each with its points, highest first (zero-point criteria left out). */
  criteria: Array<{ criterion: string; points: number }>;
  explanation: string;
  locked: boolean;
}

/** What HR sees of a cycle's pairs. */
export interface PairReviewView {
  cycleId: string;
  programId: string;
  programName: string;
  /** `not-required`: the program does not ask for approval; `not-open`: identify has not finished. */
  status: ApprovalState['status'] | 'not-required' | 'not-open';
  /** The cycle's own status: pairs still `pending` in a cycle no longer running (stopped, failed) can no longer be reviewed. */
  cycleStatus: CycleStatus;
  deadline?: number;
  onDeadline?: 'approve' | 'stop';
  /** The pairs do not reflect the latest bans or exclusions: re-solve before approving. */
  stale: boolean;
  revision: number;
  pairs: PairView[];
  unmatched: Array<PersonView & { reason: string }>;
  excluded: PersonView[];
  bans: Array<[PersonView, PersonView]>;
  decidedBy?: string;
  decidedAt?: number;
}

export type ReviewOutcome = 'changed' | 'unchanged';

/**
 * What the person acting saw: the console's forms carry the revision of the pairs their page showed, so a
 * command from a page opened before someone else changed the pairs is refused instead of acting on pairs
 * nobody looked at. The CLI reads and acts at once and leaves it out.
 */
export interface Seen {
  expectedRevision?: number;
}

/** The pairs changed since the page that posted the command showed them: nothing was done. */
export class PairsChangedError extends ConflictError {
  override name = 'PairsChangedError';
}

/** The cycle is no longer running (stopped, failed or ended): its pairs can no longer be changed or approved, and nothing was done. */
export class CycleNotRunningError extends ConflictError {
  override name = 'CycleNotRunningError';
}

function notRunning(cycle: Pick<Cycle, 'cycleId' | 'status'>): CycleNotRunningError {
  const { cycleId, status } = cycle;
  const why =
    status === 'stopped'
      ? `cycle ${cycleId} was stopped`
      : status === 'failed'
        ? `cycle ${cycleId} failed and is not running (tandem executions redrive ${cycleId} runs it again)`
        : `cycle ${cycleId} has ended (${status})`;
  return new CycleNotRunningError(`${why}: its pairs can no longer be changed or approved; nothing was done`);
}

/**
 * Refuses every review command on a cycle that is not running: stopping a cycle (the console, `tandem cycle stop`)
 * leaves its review `pending`, and pairs approved or changed then would be recorded for a cycle nobody runs.
 */
function assertRunning(cycle: Cycle): void {
  if (cycle.status !== 'running') throw notRunning(cycle);
}

function assertSeen(state: ApprovalState | undefined, cycleId: string, seen: Seen): void {
  if (seen.expectedRevision === undefined || (state?.revision ?? 0) === seen.expectedRevision) return;
  throw new PairsChangedError(
    `the pairs of cycle ${cycleId} changed since they were shown (revision ${seen.expectedRevision}, now ${state?.revision ?? 0}): nothing was done; look at them again`,
  );
}

/** The proposed pairs with their scores, criteria and explanations, the unmatched and why, and HR's rules so far. */
export async function pairReview(deps: PairReviewDeps, cycleId: string): Promise<PairReviewView> {
  const cycle = await loadCycle(deps.store, cycleId);
  const [pairs, roster] = await Promise.all([deps.store.listPairs(cycleId), deps.store.listParticipants(cycle.programId)]);
  const byId = new Map(roster.map((p) => [p.participantId, p]));
  const person = (participantId: string): PersonView => {
    const p = byId.get(participantId);
    return { participantId, name: p?.name ?? participantId, department: p?.department ?? '' };
  };
  const state = cycle.approval;
  const locked = new Set((state?.locks ?? []).map(([a, b]) => `${a}~${b}`));
  return {
    cycleId,
    programId: cycle.programId,
    programName: cycle.program.name,
    cycleStatus: cycle.status,
    status: state?.status ?? (cycle.program.approval?.required ? 'not-open' : 'not-required'),
    ...(state ? { deadline: state.deadline } : {}),
    ...(cycle.program.approval ? { onDeadline: cycle.program.approval.onDeadline } : {}),
    stale: state?.stale ?? false,
    revision: state?.revision ?? 0,
    pairs: pairs
      .filter((p) => p.status !== 'declined')
      .sort((a, b) => b.score - a.score || a.pairId.localeCompare(b.pairId))
      .map((p) => ({
        pairId: p.pairId,
        mentor: person(p.mentorId),
        mentee: person(p.menteeId),
        score: p.score,
        criteria: Object.entries(p.breakdown)
          .filter(([, points]) => points > 0)
          .sort((a, b) => b[1] - a[1])
          .map(([criterion, points]) => ({ criterion, points })),
        explanation: p.explanation,
        locked: locked.has(`${p.mentorId}~${p.menteeId}`),
      })),
    unmatched: (state?.unmatched ?? []).map((u) => ({ ...person(u.participantId), reason: u.reason })),
    excluded: (state?.excluded ?? []).map(person),
    bans: (state?.bans ?? []).map(([a, b]) => [person(a), person(b)]),
    ...(state?.decidedBy ? { decidedBy: state.decidedBy } : {}),
    ...(state?.decidedAt ? { decidedAt: state.decidedAt } : {}),
  };
}

/**
 * Forbids two people being paired in this cycle (their pair goes at the next re-solve); with
 * `programWide`, also in every later cycle of the program (`matching.doNotPair`).
 */
export async function forbidPairOfCycle(
  deps: PairReviewDeps,
  cycleId: string,
  pair: [string, string],
  who: Actor,
  options: { programWide?: boolean } & Seen = {},
): Promise<ReviewOutcome> {
  const { cycle, state } = await pendingReview(deps, cycleId, options);
  const roster = await deps.store.listParticipants(cycle.programId);
  for (const id of pair) if (!roster.some((p) => p.participantId === id)) throw new NotFoundError(`${id} is not on the roster of program ${cycle.programId}`);
  const outcome = await write(deps, cycle, state, forbidPair(state, pair), who, 'pairs.forbidden', { first: pair[0], second: pair[1] });
  if (options.programWide) await forbidInProgram(deps, cycle, pair, who);
  return outcome;
}

export async function lockPairOfCycle(deps: PairReviewDeps, cycleId: string, pair: [string, string], who: Actor, seen: Seen = {}): Promise<ReviewOutcome> {
  const { cycle, state } = await pendingReview(deps, cycleId, seen);
  const pairs = await deps.store.listPairs(cycleId);
  return write(deps, cycle, state, lockPair(state, pairs, pair), who, 'pairs.locked', { first: pair[0], second: pair[1] });
}

export async function unlockPairOfCycle(deps: PairReviewDeps, cycleId: string, pair: [string, string], who: Actor, seen: Seen = {}): Promise<ReviewOutcome> {
  const { cycle, state } = await pendingReview(deps, cycleId, seen);
  return write(deps, cycle, state, unlockPair(state, pair), who, 'pairs.unlocked', { first: pair[0], second: pair[1] });
}

export async function excludeFromCycle(deps: PairReviewDeps, cycleId: string, participantId: string, who: Actor, seen: Seen = {}): Promise<ReviewOutcome> {
  const { cycle, state } = await pendingReview(deps, cycleId, seen);
  const pairs = await deps.store.listPairs(cycleId);
  return write(deps, cycle, state, excludePerson(state, pairs, participantId), who, 'pairs.excluded', { participantId });
}

/**
 * Re-solves the pairs with the exact matcher under HR's locks, bans and exclusions, and replaces
 * the cohort with the result (all of it, or — when interrupted — nothing approvable).
 */
export async function resolveCycle(
  deps: PairReviewDeps & { matcher: Matcher },
  cycleId: string,
  who: Actor,
  seen: Seen = {},
): Promise<{ pairs: number; unmatched: number }> {
  const { cycle, state } = await pendingReview(deps, cycleId, seen);
  const [roster, current] = await Promise.all([deps.store.listParticipants(cycle.programId), deps.store.listPairs(cycleId)]);
  const context: MatchContext = {
    settings: cycle.program.matching,
    skillsCatalog: cycle.program.skillsCatalog,
    recentPairs: await recentPairsOf(deps.store, cycle),
    referenceYear: new Date(deps.clock.now()).getUTCFullYear(),
  };
  const result = resolvePairs(roster, context, state, current, deps.matcher);
  if (result.pairs.length === 0) throw new ValidationError(`re-solving cycle ${cycleId} would leave no pair: lift a ban or an exclusion first`);
  const members = membersOf(roster, result.pairs, cycle.program);
  const next: ApprovalState = { ...state, revision: state.revision + 1, unmatched: result.unmatched, stale: false };
  if (!(await deps.store.replaceCohort(cycleId, state.revision, { members, pairs: result.pairs }, next))) throw await refusedWrite(deps, cycleId);
  await audit(deps, cycle, next.revision, who, 'pairs.resolved', { pairs: result.pairs.length, unmatched: result.unmatched.length });
  return { pairs: result.pairs.length, unmatched: result.unmatched.length };
}

/**
 * Approves the pairs: the workflow sends the invitations at its next check. Approving approved pairs changes nothing.
 * With `expectedRevision` (the console), only the pairs of that revision are approved: the write is conditional on it.
 */
export async function approvePairs(deps: PairReviewDeps, cycleId: string, who: Actor, seen: Seen = {}): Promise<ReviewOutcome> {
  const cycle = await loadCycle(deps.store, cycleId);
  assertRunning(cycle);
  assertSeen(cycle.approval, cycleId, seen);
  if (cycle.approval?.status === 'approved') return 'unchanged';
  assertPending(cycle.approval, cycleId);
  assertApprovable(cycle.approval, cycleId);
  return decide(deps, cycle, cycle.approval, 'approved', who, 'pairs.approved');
}

/**
 * The deadline passed without HR's approval: approve the pairs as they stand (less any pair a
 * ban or an exclusion ruled out, whose people are then unmatched), or stop the cycle.
 */
export async function decideAtDeadline(deps: PairReviewDeps, cycle: Cycle, state: ApprovalState): Promise<'approved' | 'stopped'> {
  const who: Actor = { actor: 'tandem', via: 'workflow' };
  if (cycle.program.approval?.onDeadline === 'stop') {
    await decide(deps, cycle, state, 'stopped', who, 'pairs.stopped-at-deadline');
    await deps.store.markStopped(cycle.cycleId, deps.clock.now());
    return 'stopped';
  }
  let current = state;
  if (state.stale) current = await dropRuledOut(deps, cycle, state);
  await decide(deps, cycle, current, 'approved', who, 'pairs.approved-at-deadline');
  return 'approved';
}

async function dropRuledOut(deps: PairReviewDeps, cycle: Cycle, state: ApprovalState): Promise<ApprovalState> {
  const [roster, pairs] = await Promise.all([deps.store.listParticipants(cycle.programId), deps.store.listPairs(cycle.cycleId)]);
  const banned = new Set(state.bans.flatMap(([a, b]) => [`${a}~${b}`, `${b}~${a}`]));
  const excluded = new Set(state.excluded);
  const ruledOut = (p: Pair) => banned.has(`${p.mentorId}~${p.menteeId}`) || excluded.has(p.mentorId) || excluded.has(p.menteeId);
  const kept = pairs.filter((p) => !ruledOut(p));
  const freed = pairs.filter(ruledOut).flatMap((p) => [p.mentorId, p.menteeId].filter((id) => !excluded.has(id)));
  const next: ApprovalState = {
    ...state,
    revision: state.revision + 1,
    stale: false,
    unmatched: [
      ...state.unmatched,
      ...freed.map((participantId) => ({ participantId, reason: 'their proposed pair was forbidden, and the deadline came before a re-solve' })),
    ],
  };
  if (!(await deps.store.replaceCohort(cycle.cycleId, state.revision, { members: membersOf(roster, kept, cycle.program), pairs: kept }, next)))
    throw await refusedWrite(deps, cycle.cycleId);
  return next;
}

async function decide(
  deps: PairReviewDeps,
  cycle: Cycle,
  state: ApprovalState,
  status: 'approved' | 'stopped',
  who: Actor,
  action: string,
): Promise<ReviewOutcome> {
  const next: ApprovalState = { ...state, status, revision: state.revision + 1, decidedAt: deps.clock.now(), decidedBy: who.actor };
  if (!(await deps.store.updateApproval(cycle.cycleId, state.revision, next))) {
    const now = await loadCycle(deps.store, cycle.cycleId);
    if (now.approval?.status === status) return 'unchanged';
    if (now.status !== 'running') throw notRunning(now);
    throw changedMeanwhile(cycle.cycleId);
  }
  await audit(deps, cycle, next.revision, who, action, { pairs: cycle.pairs });
  return 'changed';
}

async function pendingReview(deps: PairReviewDeps, cycleId: string, seen: Seen = {}): Promise<{ cycle: Cycle; state: ApprovalState }> {
  const cycle = await loadCycle(deps.store, cycleId);
  assertRunning(cycle);
  assertSeen(cycle.approval, cycleId, seen);
  assertPending(cycle.approval, cycleId);
  return { cycle, state: cycle.approval };
}

async function write(
  deps: PairReviewDeps,
  cycle: Cycle,
  state: ApprovalState,
  change: ReviewChange,
  who: Actor,
  action: string,
  details: AuditEntry['details'],
): Promise<ReviewOutcome> {
  if (!change.changed) return 'unchanged';
  if (!(await deps.store.updateApproval(cycle.cycleId, state.revision, change.next))) throw await refusedWrite(deps, cycle.cycleId);
  await audit(deps, cycle, change.next.revision, who, action, details);
  return 'changed';
}

async function forbidInProgram(deps: PairReviewDeps, cycle: Cycle, pair: [string, string], who: Actor): Promise<void> {
  const same = ([a, b]: [string, string]) => (a === pair[0] && b === pair[1]) || (a === pair[1] && b === pair[0]);
  let added = false;
  // A conditional read-modify-write: a program saved meanwhile (the console, the CLI) keeps its change and gets the ban too.
  await deps.store.modifyProgram(cycle.programId, (program) => {
    added = !program.matching.doNotPair.some(same);
    return added ? { ...program, matching: { ...program.matching, doNotPair: [...program.matching.doNotPair, pair] } } : undefined;
  });
  if (!added) return;
  await deps.store.recordAudit({
    auditId: `program#${cycle.programId}#do-not-pair#${[...pair].sort().join('~')}`,
    at: deps.clock.now(),
    ...who,
    action: 'program.changed',
    programId: cycle.programId,
    cycleId: cycle.cycleId,
    details: { change: 'matching.doNotPair', first: pair[0], second: pair[1] },
  });
}

/** The audit id is the review's revision: a retried command that changed nothing records nothing twice. */
async function audit(deps: PairReviewDeps, cycle: Cycle, revision: number, who: Actor, action: string, details: AuditEntry['details']): Promise<void> {
  await deps.store.recordAudit({
    auditId: `pairs#${cycle.cycleId}#${revision}`,
    at: deps.clock.now(),
    ...who,
    action,
    programId: cycle.programId,
    cycleId: cycle.cycleId,
    details,
  });
}

function changedMeanwhile(cycleId: string): ConflictError {
  return new ConflictError(`the pairs of cycle ${cycleId} changed while this command ran (or were decided): look at them again and retry`);
}

/** Why the store refused a conditional write: the cycle stopped while the command ran, or the pairs changed. */
async function refusedWrite(deps: PairReviewDeps, cycleId: string): Promise<ConflictError> {
  const now = await loadCycle(deps.store, cycleId);
  return now.status === 'running' ? changedMeanwhile(cycleId) : notRunning(now);
}

/** Runs a command posted from the console's Pairs page (parsed by parsePairReviewForm in page.ts). */
export async function runPairReviewCommand(deps: PairReviewDeps & { matcher: Matcher }, command: PairReviewCommand, who: Actor): Promise<ReviewOutcome> {
  // Every form carries the revision of the pairs its page showed: a command on pairs that changed since is refused.
  const seen: Seen = { expectedRevision: command.revision };
  switch (command.action) {
    case 'forbid':
      return forbidPairOfCycle(deps, command.cycleId, [command.first, command.second], who, { programWide: command.programWide, ...seen });
    case 'lock':
      return lockPairOfCycle(deps, command.cycleId, [command.first, command.second], who, seen);
    case 'unlock':
      return unlockPairOfCycle(deps, command.cycleId, [command.first, command.second], who, seen);
    case 'exclude':
      return excludeFromCycle(deps, command.cycleId, command.participantId, who, seen);
    case 'resolve':
      await resolveCycle(deps, command.cycleId, who, seen);
      return 'changed';
    case 'approve':
      return approvePairs(deps, command.cycleId, who, seen);
  }
}
