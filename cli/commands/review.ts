import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.ts';
import type { Proposal } from '../../domain/report-proposals.ts';
import { terminalSafe } from '../../domain/text.ts';
import type { StoredReview } from '../../services/ports.ts';
import { applyReshapePlan, checkNextCycle, formatDiff, loadReview, planReshape, type ReshapePlan } from '../../services/reshape.ts';
import { emit, table, withJson } from '../support/output.ts';
import { auditCli } from '../support/actor.ts';
import { target, workflow } from '../support/target.ts';
import { cycleStartExtensions } from './cycle.ts';

/**
 * `tandem review show|apply`: a cycle's review (headline figures and proposals for the next
 * cycle), and applying it: the program's configuration changed as proposed and the next cycle
 * started. Also adds `--apply-review <cycleId>` to `tandem cycle start`.
 */

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const num = (v: number | null) => (v === null ? 'fewer than 5 answers' : v.toFixed(2));

/** Proposals about pairs name participant ids (the report carries no names); HR reads them here with the roster's names. */
function people(p: Proposal, names: ReadonlyMap<string, string>): string[] {
  if ((p.kind !== 'continue-pair' && p.kind !== 'do-not-pair') || !p.change || !Array.isArray(p.change.value)) return [];
  return [`   people: ${(p.change.value as string[]).map((id) => `${names.get(id) ?? '?'} (${id})`).join(' and ')}`];
}

function describeProposals(proposals: readonly Proposal[], names: ReadonlyMap<string, string> = new Map()): string {
  if (proposals.length === 0) return 'No proposals: no figure crossed a threshold.';
  return proposals
    .map((p, i) =>
      [
        `${i + 1}. ${p.title}  [${p.id}]`,
        ...people(p, names),
        `   ${p.reason}`,
        `   evidence: ${p.evidence.figure} = ${p.evidence.value}`,
        `   change: ${p.change ? `${p.change.op} ${p.change.path} ${JSON.stringify(p.change.value)}` : 'none (advice for HR)'}`,
      ].join('\n'),
    )
    .join('\n');
}

function describeReview(r: StoredReview, names: ReadonlyMap<string, string>): string {
  const s = r.summary;
  return [
    `Review of cycle ${r.cycleId} (program ${r.programId}), generated ${new Date(r.generatedAt).toISOString()}`,
    `Report: ${r.reportPath}`,
    r.appliedTo
      ? `Applied: started cycle ${r.appliedTo.cycleId} on ${new Date(r.appliedTo.appliedAt).toISOString()}`
      : `Not applied yet: tandem review apply --cycle ${r.cycleId}`,
    '',
    table(
      ['Figure', 'Value'],
      [
        ['Participants', s.members],
        ['Pairs', s.pairs],
        ['Pairs at risk', s.atRiskPairs],
        ['Measure answered', pct(s.responseRate.measure)],
        ['Pairs across departments', pct(s.crossDepartmentShare)],
        ['Pairs across generations', pct(s.crossGenerationShare)],
        ['Both members gained', pct(s.bothWaysShare)],
        ['Gain, junior taught senior', num(s.juniorTaughtSeniorMeanGain)],
        ['Gain, senior taught junior', num(s.seniorTaughtJuniorMeanGain)],
        ['Gain on digital skills', num(s.digitalMeanGain)],
        ['Goal attainment', s.goalAttainmentMeanPercent === null ? '—' : `${Math.round(s.goalAttainmentMeanPercent)}%`],
        ['Check-ins where pairs met', pct(s.checkInAdherence)],
        ['Net Promoter-style score', s.netPromoterScore ?? '—'],
      ],
    ),
    '',
    `Proposals for the next cycle (${r.proposals.length}):`,
    describeProposals(r.proposals, names),
  ].join('\n');
}

function describePlan(plan: ReshapePlan): string {
  return [
    `Applying the review of ${plan.review.cycleId} to program ${plan.programId}: ${plan.proposals.length} proposals${plan.skipped.length ? ` (left out: ${plan.skipped.join(', ')})` : ''}.`,
    'Changes to the program configuration:',
    ...formatDiff(plan.diff),
    ...(plan.proposals.some((p) => !p.change)
      ? ['Advice without a configuration change:', ...plan.proposals.filter((p) => !p.change).map((p) => `  - ${p.title}`)]
      : []),
  ].join('\n');
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes|s|sim)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } catch (error) {
    // Ctrl-C (or Ctrl-D) at the question is a no, not an error: nothing has been written yet.
    if ((error as { name?: string }).name === 'AbortError' || (error as { code?: string }).code === 'ERR_USE_AFTER_CLOSE') return false;
    throw error;
  } finally {
    rl.close();
  }
}

/** Yes when --yes, else asks when stdin is a terminal (and the output is not JSON), else no. */
async function confirmed(options: { yes?: boolean; json?: boolean }, question: string): Promise<boolean> {
  if (options.yes) return true;
  if (!options.json && process.stdin.isTTY === true) return confirm(question);
  return false;
}

export function registerReviewCommands(program: Command): void {
  cycleStartExtensions.push({
    options(command) {
      command
        .option('--apply-review <cycleId>', "apply that cycle's review proposals to the program first (shows the change; asks, or pass --yes)")
        .option('--only <ids>', 'with --apply-review: only these proposal ids (comma-separated)', list)
        .option('--skip <ids>', 'with --apply-review: leave out these proposal ids (comma-separated)', list)
        .option('--yes', 'with --apply-review: apply without asking', false);
    },
    async beforeStart({ programId, options, container }) {
      const reviewed = options.applyReview as string | undefined;
      if (!reviewed) return;
      const plan = await planReshape(container.store, reviewed, { only: options.only as string[] | undefined, skip: options.skip as string[] | undefined });
      if (plan.programId !== programId) throw new ValidationError(`the review of ${reviewed} belongs to program ${plan.programId}, not ${programId}`);
      // Everything that can be checked is, before HR is asked and before anything is written.
      await checkNextCycle(container, plan, options.cycleId as string | undefined);
      const text = describePlan(plan);
      if (!options.json) process.stderr.write(`${text}\n`);
      if (!(await confirmed(options, 'Apply these changes and start the next cycle?'))) {
        throw new ValidationError('not applied: confirm, or pass --yes to apply the review and start the cycle');
      }
      return {
        async start({ cycleId }) {
          // The program is written, the cycle started, and only then the review marked applied and audited.
          const { cycle } = await applyReshapePlan(
            { store: container.store, clock: container.clock, workflow: workflow() },
            plan,
            cycleId ? { nextCycleId: cycleId } : {},
          );
          await auditCli(container, {
            action: 'proposals.applied',
            programId,
            cycleId: reviewed,
            details: { proposals: plan.proposals.map((p) => p.id).join(','), changedPaths: plan.diff.length, nextCycle: cycle.cycleId },
          });
          return {
            cycle,
            notes: [`Applied ${plan.proposals.length} proposals of the review of ${reviewed}: ${plan.diff.length} configuration paths changed.`],
          };
        },
      };
    },
  });

  const group = program.command('review').description("A cycle's review: its figures and proposals for the next cycle (show), and applying them (apply).");

  withJson(
    group
      .command('show')
      .description("Show a cycle's review: headline figures, and each proposal for the next cycle with its reason, evidence and configuration change.")
      .requiredOption('-c, --cycle <cycleId>', 'the reviewed cycle'),
    'tandem review show --cycle mentoria-reversa-20270301T090000Z --json',
  ).action(async (options: { cycle: string; json: boolean }) => {
    const c = target();
    const review = await loadReview(c.store, options.cycle);
    const names = options.json ? new Map<string, string>() : new Map((await c.store.listParticipants(review.programId)).map((p) => [p.participantId, p.name]));
    emit(options.json, review, () => describeReview(review, names));
  });

  withJson(
    group
      .command('apply')
      .description(
        "Apply a cycle's review: shows the change to the program configuration, then (with --yes, or when you confirm at a terminal) updates the program and starts the next cycle. Without confirmation nothing is written.",
      )
      .requiredOption('-c, --cycle <cycleId>', 'the reviewed cycle')
      .option('--only <ids>', 'only these proposal ids (comma-separated; see review show)', list)
      .option('--skip <ids>', 'leave out these proposal ids (comma-separated)', list)
      .option('--next-cycle-id <id>', 'the id of the cycle to start (default: <program>-<UTC time>)')
      .option('-y, --yes', 'apply and start without asking', false),
    'tandem review apply --cycle mentoria-reversa-20270301T090000Z --yes',
  ).action(async (options: { cycle: string; only?: string[]; skip?: string[]; nextCycleId?: string; yes: boolean; json: boolean }) => {
    const c = target();
    const plan = await planReshape(c.store, options.cycle, { only: options.only, skip: options.skip });
    // Everything that can be checked is, before HR is asked and before anything is written.
    await checkNextCycle(c, plan, options.nextCycleId);
    const planJson = { reviewedCycle: options.cycle, programId: plan.programId, proposals: plan.proposals, skipped: plan.skipped, diff: plan.diff };
    if (!options.json) process.stdout.write(`${terminalSafe(describePlan(plan))}\n`);
    if (!(await confirmed(options, 'Apply these changes and start the next cycle?'))) {
      emit(options.json, { ...planJson, applied: false }, () => 'Nothing applied. Run again with --yes to update the program and start the next cycle.');
      return;
    }
    // The plan HR saw: it is written only if the program is still as it was read.
    const { cycle } = await applyReshapePlan(
      { store: c.store, clock: c.clock, workflow: workflow() },
      plan,
      options.nextCycleId ? { nextCycleId: options.nextCycleId } : {},
    );
    await auditCli(c, {
      action: 'proposals.applied',
      programId: plan.programId,
      cycleId: options.cycle,
      details: { proposals: plan.proposals.map((p) => p.id).join(','), changedPaths: plan.diff.length, nextCycle: cycle.cycleId },
    });
    emit(
      options.json,
      { ...planJson, applied: true, cycleId: cycle.cycleId, executionArn: cycle.executionArn, startedAt: new Date(cycle.startedAt).toISOString() },
      () =>
        [
          `Program ${plan.programId} updated.`,
          `Cycle ${cycle.cycleId} started.`,
          `Execution ${cycle.executionArn}`,
          `Follow it: tandem cycle status ${cycle.cycleId}`,
        ].join('\n'),
    );
  });
}
