import { setTimeout as sleep } from 'node:timers/promises';
import type { Cycle } from '../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError, issuesFromZod } from '../domain/errors.ts';
import { programSchema, type Program } from '../domain/program.ts';
import { applyProposals, type ConfigurationDiff, type Proposal } from '../domain/report-proposals.ts';
import type { Clock, CycleStore, ProgramStore, ReviewStore, StoredReview, WorkflowEngine } from './ports.ts';
import { sameProgram } from './programs.ts';
import { checkCycleStart, startCycle } from './start-cycle.ts';

/**
 * Reshape: the review's proposals applied to the program's current configuration, and the next
 * cycle started with them (issue 6). `planReshape` only reads; `applyReshapePlan` checks that the
 * next cycle can start, writes the program, starts the cycle through `startCycle`, and marks the
 * review applied only once the cycle has started (or puts the program back when the start fails).
 */

export interface ReshapePlan {
  review: StoredReview;
  programId: string;
  proposals: Proposal[];
  /** The proposals that were left out (by id), if HR chose only some. */
  skipped: string[];
  diff: ConfigurationDiff[];
  before: Program;
  after: Program;
}

type Deps = { store: ProgramStore & CycleStore & ReviewStore; workflow: WorkflowEngine; clock: Clock };

/**
 * Thrown when a review's proposals were applied already (a double click, another HR person, the CLI):
 * `appliedTo` names the cycle they started and when. Nothing more was written.
 */
export class ReviewAppliedError extends ConflictError {
  override name = 'ReviewAppliedError';
  constructor(
    readonly reviewCycleId: string,
    readonly appliedTo: { cycleId: string; appliedAt: number },
  ) {
    super(
      `the review of ${reviewCycleId} was applied already: it started cycle ${appliedTo.cycleId} on ${new Date(appliedTo.appliedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    );
  }
}

/** How long an apply that lost to another apply of the same review waits for that one to record the review applied, and how often it looks. */
export const APPLIED_ELSEWHERE = { waitMs: 5_000, everyMs: 100 };

export async function loadReview(store: ReviewStore & Pick<CycleStore, 'getCycle'>, cycleId: string): Promise<StoredReview> {
  const review = await store.getReview(cycleId);
  if (!review && !(await store.getCycle(cycleId)))
    throw new NotFoundError(`cycle ${cycleId} does not exist (tandem cycle list --program <program> lists them)`);
  if (!review) throw new NotFoundError(`cycle ${cycleId} has no review yet: a review is stored when the cycle's review phase ends`);
  return review;
}

/** What applying a review would change in the program's configuration as it is now. */
export async function planReshape(
  store: ProgramStore & ReviewStore & Pick<CycleStore, 'getCycle'>,
  cycleId: string,
  options: { only?: string[]; skip?: string[] } = {},
): Promise<ReshapePlan> {
  const review = await loadReview(store, cycleId);
  const before = await store.getProgram(review.programId);
  if (!before) throw new NotFoundError(`program ${review.programId} does not exist any more`);
  const unknown = [...(options.only ?? []), ...(options.skip ?? [])].filter((id) => !review.proposals.some((p) => p.id === id));
  if (unknown.length) throw new ValidationError(`no such proposal in the review of ${cycleId}: ${unknown.join(', ')}`);
  const chosen = review.proposals.filter((p) => (!options.only || options.only.includes(p.id)) && !(options.skip ?? []).includes(p.id));
  const { program, diff } = applyProposals(before, chosen);
  const parsed = programSchema.safeParse(program);
  if (!parsed.success) throw new ValidationError('the proposals would make the program invalid', issuesFromZod(parsed.error));
  return {
    review,
    programId: review.programId,
    proposals: chosen,
    skipped: review.proposals.filter((p) => !chosen.includes(p)).map((p) => p.id),
    diff,
    before,
    after: parsed.data,
  };
}

/**
 * Writes the program a plan worked out, only if the program is still as the plan read it: a change
 * made meanwhile (a saved mapping, an edit) is never overwritten, and the plan is refused instead.
 */
export async function writeReshapedProgram(store: ProgramStore, plan: ReshapePlan): Promise<void> {
  await store.modifyProgram(plan.programId, (current) => {
    if (!sameProgram(current, plan.before)) {
      throw new ConflictError(`program ${plan.programId} was changed after the review's changes were worked out; look at them again and apply them`);
    }
    return plan.after;
  });
}

/**
 * What would stop the next cycle from starting, checked before anything is written: the review
 * applied already, a cycle of the program still running, the next cycle's id (its form, and that
 * no cycle has it yet), a roster too small to pair. Returns the id the next cycle will have.
 * `startCycle` checks these again (and more: the phase windows); `applyReshapePlan` puts the
 * program back when it refuses after the program was written.
 */
export async function checkNextCycle(deps: { store: ProgramStore & CycleStore; clock: Clock }, plan: ReshapePlan, nextCycleId?: string): Promise<string> {
  if (plan.review.appliedTo) throw new ReviewAppliedError(plan.review.cycleId, plan.review.appliedTo);
  try {
    return (await checkCycleStart(deps, { programId: plan.programId, ...(nextCycleId ? { cycleId: nextCycleId } : {}) })).cycleId;
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message} (nothing was applied)`;
    throw error;
  }
}

/**
 * Applies a plan HR has seen: checks that the next cycle can start, writes the reshaped program
 * (only if it is still as the plan read it), starts the cycle, and only then records the review as
 * applied. When the start fails after the program was written, the program is put back (only if
 * nobody changed it since) and the error says so: a failure leaves no half-applied review.
 */
export async function applyReshapePlan(deps: Deps, plan: ReshapePlan, options: { nextCycleId?: string } = {}): Promise<{ plan: ReshapePlan; cycle: Cycle }> {
  let cycleId: string;
  try {
    cycleId = await checkNextCycle(deps, plan, options.nextCycleId);
    await writeReshapedProgram(deps.store, plan);
  } catch (error) {
    throw await appliedElsewhere(deps, plan, error);
  }
  let cycle: Cycle;
  try {
    cycle = await startCycle(deps, { programId: plan.programId, cycleId });
  } catch (error) {
    await putProgramBack(deps.store, plan, error);
    throw await appliedElsewhere(deps, plan, error);
  }
  // False only when another run applied the same review meanwhile; this cycle has started all the same.
  await deps.store.markReviewApplied(plan.review.cycleId, cycle.cycleId, deps.clock.now());
  return { plan, cycle };
}

/** Writes the reshaped program and starts the next cycle with it; a review is applied once. */
export async function applyReview(
  deps: Deps,
  cycleId: string,
  options: { only?: string[]; skip?: string[]; nextCycleId?: string } = {},
): Promise<{ plan: ReshapePlan; cycle: Cycle }> {
  const plan = await planReshape(deps.store, cycleId, options);
  return applyReshapePlan(deps, plan, options.nextCycleId ? { nextCycleId: options.nextCycleId } : {});
}

/**
 * What to throw for an apply refused by a conflict: a ReviewAppliedError when it lost to another apply
 * of the same review, else the error as it was. The other apply (a double click, above all) writes
 * the same program and starts the cycle, and only then records the review applied. While that looks
 * under way (the stored program holds exactly what this plan writes, and the plan changes it or a
 * cycle of the program has just started), this waits a few seconds for that record, so that the answer
 * is "applied already" rather than "the program was changed, look again".
 */
async function appliedElsewhere(deps: Omit<Deps, 'workflow'>, plan: ReshapePlan, error: unknown): Promise<unknown> {
  if (!(error instanceof ConflictError) || error instanceof ReviewAppliedError) return error;
  const deadline = Date.now() + APPLIED_ELSEWHERE.waitMs;
  for (;;) {
    const applied = (await deps.store.getReview(plan.review.cycleId))?.appliedTo;
    if (applied) return new ReviewAppliedError(plan.review.cycleId, applied);
    if (Date.now() >= deadline || !(await anotherApplyUnderWay(deps, plan))) return error;
    await sleep(APPLIED_ELSEWHERE.everyMs);
  }
}

/** Whether the program looks as another apply of this plan's proposals leaves it before it records the review applied. */
async function anotherApplyUnderWay(deps: Omit<Deps, 'workflow'>, plan: ReshapePlan): Promise<boolean> {
  const current = await deps.store.getProgram(plan.programId);
  if (!current || !sameProgram(current, plan.after)) return false;
  if (plan.diff.length > 0) return true;
  // Advice only: the program is the same before and after, so a cycle just started is the sign.
  const recent = deps.clock.now() - 60_000;
  return (await deps.store.listCycles(plan.programId)).some((c) => c.status === 'running' && c.startedAt >= recent);
}

/**
 * The start failed after the reshaped program was written: writes the program as it was before,
 * only if it is still the reshaped one (a change made since is never overwritten), and adds to the
 * error's message what became of the program.
 */
async function putProgramBack(store: ProgramStore, plan: ReshapePlan, error: unknown): Promise<void> {
  let note: string;
  try {
    let restored = false;
    await store.modifyProgram(plan.programId, (current) => {
      restored = sameProgram(current, plan.after);
      return restored ? plan.before : undefined;
    });
    note = restored
      ? `program ${plan.programId} was put back as it was: nothing of the review was applied`
      : `program ${plan.programId} was changed by someone else after the review's changes were written, so it was not put back: it holds the review's changes and that change (tandem program show ${plan.programId}); the review is not marked applied`;
  } catch (undo) {
    note = `putting program ${plan.programId} back failed too (${undo instanceof Error ? undo.message : String(undo)}): it holds the review's changes; the review is not marked applied`;
  }
  if (error instanceof Error) error.message = `${error.message}; ${note}`;
}

/** The diff as lines a person reads: one path per line, before → after, with the proposals behind it. */
export function formatDiff(diff: readonly ConfigurationDiff[]): string[] {
  if (diff.length === 0) return ['  (no change to the configuration)'];
  const show = (v: unknown) => JSON.stringify(v);
  return diff.flatMap((d) => {
    if (Array.isArray(d.before) || Array.isArray(d.after)) {
      const before = (Array.isArray(d.before) ? d.before : []).map(show);
      const after = (Array.isArray(d.after) ? d.after : []).map(show);
      return [
        `  ${d.path}  (${d.proposals.join(', ')})`,
        ...after.filter((x) => !before.includes(x)).map((x) => `    + ${x}`),
        ...before.filter((x) => !after.includes(x)).map((x) => `    - ${x}`),
      ];
    }
    return [`  ${d.path}: ${show(d.before)} → ${show(d.after)}  (${d.proposals.join(', ')})`];
  });
}
