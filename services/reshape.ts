import type { Cycle } from '../domain/cycle.ts';
import { ConflictError, NotFoundError, ValidationError, issuesFromZod } from '../domain/errors.ts';
import { programSchema, type Program } from '../domain/program.ts';
import { applyProposals, type ConfigurationDiff, type Proposal } from '../domain/report-proposals.ts';
import type { Clock, CycleStore, ProgramStore, ReviewStore, StoredReview, WorkflowEngine } from './ports.ts';
import { sameProgram } from './programs.ts';
import { startCycle } from './start-cycle.ts';

/**
 * Reshape: the review's proposals applied to the program's current configuration, and the next
 * cycle started with them (issue 6). `planReshape` only reads; `applyReview` writes the program
 * and starts the cycle through `startCycle`.
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

export async function loadReview(store: ReviewStore, cycleId: string): Promise<StoredReview> {
  const review = await store.getReview(cycleId);
  if (!review) throw new NotFoundError(`cycle ${cycleId} has no review yet: a review is stored when the cycle's review phase ends`);
  return review;
}

/** What applying a review would change in the program's configuration as it is now. */
export async function planReshape(
  store: ProgramStore & ReviewStore,
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

/** Writes the reshaped program and starts the next cycle with it; a review is applied once. */
export async function applyReview(
  deps: Deps,
  cycleId: string,
  options: { only?: string[]; skip?: string[]; nextCycleId?: string } = {},
): Promise<{ plan: ReshapePlan; cycle: Cycle }> {
  const plan = await planReshape(deps.store, cycleId, options);
  if (plan.review.appliedTo) throw new ConflictError(`the review of ${cycleId} was applied already: it started cycle ${plan.review.appliedTo.cycleId}`);
  const running = (await deps.store.listCycles(plan.programId)).find((c) => c.status === 'running');
  if (running) throw new ConflictError(`cycle ${running.cycleId} of program ${plan.programId} is still running; start the next one when it has ended`);
  await writeReshapedProgram(deps.store, plan);
  const cycle = await startCycle(deps, { programId: plan.programId, ...(options.nextCycleId ? { cycleId: options.nextCycleId } : {}) });
  await deps.store.markReviewApplied(cycleId, cycle.cycleId, deps.clock.now());
  return { plan, cycle };
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
