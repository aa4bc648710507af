import { describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import type { Program } from '../../domain/program.ts';
import type { CycleInput, WorkflowEngine } from '../../services/ports.ts';
import { APPLIED_ELSEWHERE, applyReshapePlan, applyReview, loadReview, planReshape, ReviewAppliedError } from '../../services/reshape.ts';
import { sampleProgram, storeWithReviewedCycle } from '../support/cohort-fixtures.ts';
import type { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 5, 1, 9);
const program: Program = sampleProgram('reshape-apply');
const REVIEWED = 'reshape-apply-c1';

/** Starts executions as the workflow port does, or fails as Step Functions may; `during` runs inside the start. */
class Workflow implements WorkflowEngine {
  readonly started: string[] = [];
  constructor(
    private readonly failure?: Error,
    private readonly during?: () => Promise<void>,
  ) {}
  async startCycle(cycleId: string, _input: CycleInput): Promise<string> {
    await this.during?.();
    if (this.failure) throw this.failure;
    this.started.push(cycleId);
    return `arn:aws:states:us-east-1:000000000000:execution:program-cycle:${cycleId}`;
  }
  async describe() {
    return { status: 'RUNNING' };
  }
  async stop() {}
}

/** A program with its roster and a finished cycle whose review proposes a longer goal-setting window. */
const reviewedProgram = () => storeWithReviewedCycle(program, REVIEWED, NOW);

const deps = (store: InMemoryStore, workflow: WorkflowEngine) => ({ store, workflow, clock: { now: () => NOW } });

async function expectNothingApplied(store: InMemoryStore) {
  expect((await store.getProgram(program.programId))?.phaseWindows.goalSetting).toBe('P14D');
  expect((await store.getReview(REVIEWED))?.appliedTo).toBeUndefined();
}

describe('applying a review', () => {
  it('changes the program, starts the next cycle and only then records the review as applied to it', async () => {
    const store = await reviewedProgram();
    const workflow = new Workflow();
    const { cycle } = await applyReview(deps(store, workflow), REVIEWED, { nextCycleId: 'reshape-apply-c2' });
    expect(cycle.cycleId).toBe('reshape-apply-c2');
    expect(workflow.started).toEqual(['reshape-apply-c2']);
    expect((await store.getProgram(program.programId))?.phaseWindows.goalSetting).toBe('P21D');
    expect((await store.getCycle('reshape-apply-c2'))?.program.phaseWindows.goalSetting).toBe('P21D');
    expect((await store.getReview(REVIEWED))?.appliedTo).toEqual({ cycleId: 'reshape-apply-c2', appliedAt: NOW });
  });

  it('refuses a next cycle id that exists already before writing anything', async () => {
    const store = await reviewedProgram();
    const workflow = new Workflow();
    const applying = applyReview(deps(store, workflow), REVIEWED, { nextCycleId: REVIEWED });
    await expect(applying).rejects.toBeInstanceOf(ConflictError);
    await expect(applying).rejects.toThrow(`cycle ${REVIEWED} exists already`);
    await expectNothingApplied(store);
    expect(workflow.started).toEqual([]);
  });

  it('refuses a malformed next cycle id before writing anything', async () => {
    const store = await reviewedProgram();
    const applying = applyReview(deps(store, new Workflow()), REVIEWED, { nextCycleId: 'bad id' });
    await expect(applying).rejects.toBeInstanceOf(ValidationError);
    await expect(applying).rejects.toThrow('invalid cycle id "bad id"');
    await expectNothingApplied(store);
  });

  it('refuses when the roster is too small to pair before writing anything', async () => {
    const store = await reviewedProgram();
    for (const p of (await store.listParticipants(program.programId)).slice(1))
      await store.setParticipantStatus(program.programId, p.participantId, 'opted-out');
    await expect(applyReview(deps(store, new Workflow()), REVIEWED)).rejects.toThrow('needs at least two active participants');
    await expectNothingApplied(store);
  });

  it('puts the program back and leaves the review unapplied when the workflow does not start, and says so', async () => {
    const store = await reviewedProgram();
    const applying = applyReview(deps(store, new Workflow(new Error('Step Functions is unreachable'))), REVIEWED, { nextCycleId: 'reshape-apply-c2' });
    await expect(applying).rejects.toThrow(
      `Step Functions is unreachable; program ${program.programId} was put back as it was: nothing of the review was applied`,
    );
    await expectNothingApplied(store);
    // The review can be applied once the workflow starts again.
    const { cycle } = await applyReview(deps(store, new Workflow()), REVIEWED, { nextCycleId: 'reshape-apply-c3' });
    expect((await store.getReview(REVIEWED))?.appliedTo?.cycleId).toBe(cycle.cycleId);
  });

  it('does not put the program back over a change made after the review was written, and says so', async () => {
    const store = await reviewedProgram();
    const plan = await planReshape(store, REVIEWED);
    const editAndFail = new Workflow(new Error('Step Functions is unreachable'), async () => {
      await store.modifyProgram(program.programId, (p) => ({ ...p, name: 'Edited meanwhile' }));
    });
    await expect(applyReshapePlan(deps(store, editAndFail), plan, { nextCycleId: 'reshape-apply-c2' })).rejects.toThrow(
      'was changed by someone else after the review',
    );
    const kept = await store.getProgram(program.programId);
    expect(kept?.name).toBe('Edited meanwhile');
    expect(kept?.phaseWindows.goalSetting).toBe('P21D');
    expect((await store.getReview(REVIEWED))?.appliedTo).toBeUndefined();
  });
});

describe('applying a review twice at once (a double click on Apply)', () => {
  /** A workflow whose start waits for `release`, as Step Functions takes its time; `started` says when the start was reached. */
  function heldWorkflow() {
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (reached = resolve));
    const workflow = new Workflow(undefined, async () => {
      reached();
      await held;
    });
    return { workflow, release, started };
  }

  it('tells the apply that lost at the program write that the proposals were applied already, naming the cycle and when, not to look again', async () => {
    const store = await reviewedProgram();
    // Both clicks read the review and the program before either writes.
    const second = await planReshape(store, REVIEWED);
    const { workflow, release, started } = heldWorkflow();
    const first = applyReview(deps(store, workflow), REVIEWED, { nextCycleId: 'reshape-apply-c2' });
    await started;
    const losing = applyReshapePlan(deps(store, new Workflow()), second, { nextCycleId: 'reshape-apply-c3' }).catch((e: unknown) => e);
    release();

    expect((await first).cycle.cycleId).toBe('reshape-apply-c2');
    const refusal = await losing;
    expect(refusal).toBeInstanceOf(ReviewAppliedError);
    expect(refusal).toMatchObject({ appliedTo: { cycleId: 'reshape-apply-c2', appliedAt: NOW } });
    expect((refusal as Error).message).toBe(`the review of ${REVIEWED} was applied already: it started cycle reshape-apply-c2 on 2027-06-01 09:00 UTC`);
    expect((refusal as Error).message).not.toContain('look at them again');
    expect(await store.getCycle('reshape-apply-c3')).toBeUndefined();
    expect((await store.getProgram(program.programId))?.phaseWindows.goalSetting).toBe('P21D');
  });

  it('tells the apply that read the program once the first had written it that the proposals were applied already, not that a cycle is running', async () => {
    const store = await reviewedProgram();
    let second: Promise<unknown> | undefined;
    const first = applyReview(
      deps(
        store,
        new Workflow(undefined, async () => {
          second = applyReview(deps(store, new Workflow()), REVIEWED, { nextCycleId: 'reshape-apply-c3' }).catch((e: unknown) => e);
        }),
      ),
      REVIEWED,
      { nextCycleId: 'reshape-apply-c2' },
    );
    await first;
    const refusal = await second;
    expect(refusal).toBeInstanceOf(ReviewAppliedError);
    expect((refusal as Error).message).toMatch(/^the review of .* was applied already: it started cycle reshape-apply-c2 on /);
    expect(await store.getCycle('reshape-apply-c3')).toBeUndefined();
  });

  it('still asks to look again, at once, when the program was changed by someone else rather than by another apply', async () => {
    const store = await reviewedProgram();
    const plan = await planReshape(store, REVIEWED);
    await store.modifyProgram(program.programId, (p) => ({ ...p, name: 'Edited meanwhile' }));
    const startedAt = Date.now();
    await expect(applyReshapePlan(deps(store, new Workflow()), plan)).rejects.toThrow('look at them again and apply them');
    expect(Date.now() - startedAt).toBeLessThan(APPLIED_ELSEWHERE.waitMs);
  });
});

describe('reading a review', () => {
  it('says a cycle does not exist rather than that it has no review yet', async () => {
    const store = await reviewedProgram();
    await expect(loadReview(store, 'no-such-cycle')).rejects.toThrow('cycle no-such-cycle does not exist');
    await store.createCycle(newCycle(program, 'reshape-apply-running', NOW));
    await expect(loadReview(store, 'reshape-apply-running')).rejects.toThrow('cycle reshape-apply-running has no review yet');
  });
});
