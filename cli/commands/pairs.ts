import type { Command } from 'commander';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import {
  approvePairs,
  excludeFromCycle,
  forbidPairOfCycle,
  lockPairOfCycle,
  pairReview,
  resolveCycle,
  unlockPairOfCycle,
  type PairReviewView,
  type ReviewOutcome,
} from '../../services/phases/approval/review.ts';
import { cliActor } from '../support/actor.ts';
import { emit, formatTime, table, withJson } from '../support/output.ts';
import { target } from '../support/target.ts';

const who = (p: { name: string; participantId: string }) => `${p.name} (${p.participantId})`;

export function describePairReview(view: PairReviewView): string {
  const status =
    view.status === 'pending' && view.cycleStatus !== 'running'
      ? `never approved: the cycle ${view.cycleStatus === 'stopped' ? 'was stopped' : view.cycleStatus === 'failed' ? 'failed' : 'has ended'}, so they can no longer be changed or approved`
      : view.status === 'pending'
        ? `waiting for approval until ${formatTime(new Date(view.deadline as number).toISOString())} (then: ${view.onDeadline === 'stop' ? 'the cycle stops' : 'approved as they stand'})`
        : view.status === 'not-required'
          ? 'its program does not ask for approval'
          : view.status === 'not-open'
            ? 'identify has not finished yet'
            : `${view.status}${view.decidedBy ? ` by ${view.decidedBy}` : ''}${view.decidedAt ? ` at ${formatTime(new Date(view.decidedAt).toISOString())}` : ''}`;
  const lines = [`Cycle ${view.cycleId} of ${view.programName}: ${view.pairs.length} pairs, ${status}`];
  if (view.stale && view.status === 'pending' && view.cycleStatus === 'running')
    lines.push('The pairs do not reflect the latest bans or exclusions: re-solve before approving (tandem pairs resolve).');
  lines.push(
    '',
    table(
      ['Mentor', 'Mentee', 'Score', 'Locked', 'Criteria', 'Why'],
      view.pairs.map((p) => [
        who(p.mentor),
        who(p.mentee),
        p.score.toFixed(2),
        p.locked ? 'locked' : '',
        p.criteria.map((c) => `${c.criterion} ${c.points}`).join(', '),
        p.explanation,
      ]),
    ),
  );
  if (view.unmatched.length) lines.push('', 'Unmatched:', ...view.unmatched.map((u) => `  ${who(u)}: ${u.reason}`));
  if (view.excluded.length) lines.push('', `Excluded: ${view.excluded.map(who).join(', ')}`);
  if (view.bans.length) lines.push('', 'Forbidden in this cycle:', ...view.bans.map(([a, b]) => `  ${who(a)} and ${who(b)}`));
  return lines.join('\n');
}

const said = (outcome: ReviewOutcome, changed: string, unchanged: string) => (outcome === 'changed' ? changed : unchanged);

/** `tandem pairs list|forbid|lock|unlock|exclude|resolve|approve --cycle <id>`: HR's review of the proposed pairs. */
export function registerPairsCommands(program: Command): void {
  const group = program
    .command('pairs')
    .description(
      "HR's review of a cycle's proposed pairs before anyone is told (programs with approval.required): list, forbid, lock, unlock, exclude, re-solve, approve. Every change is in the audit log, by TANDEM_ACTOR or <user>@<host>.",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  tandem pairs list --cycle mentoria-reversa-20270301T090000Z\n  tandem pairs forbid --cycle mentoria-reversa-20270301T090000Z p01 p07\n  tandem pairs resolve --cycle mentoria-reversa-20270301T090000Z\n  tandem pairs approve --cycle mentoria-reversa-20270301T090000Z',
    );

  withJson(
    group
      .command('list')
      .description('The proposed pairs with their score, criteria and explanation; the unmatched and why; the locks, bans and exclusions.')
      .requiredOption('-c, --cycle <cycleId>', 'the cycle'),
    'tandem pairs list --cycle mentoria-reversa-20270301T090000Z --json',
  ).action(async (options: { cycle: string; json: boolean }) => {
    const view = await pairReview(target(), options.cycle);
    emit(options.json, view, () => describePairReview(view));
  });

  const pairCommand = (name: string, description: string) =>
    group
      .command(name)
      .description(description)
      .requiredOption('-c, --cycle <cycleId>', 'the cycle')
      .argument('<first>', 'participant id')
      .argument('<second>', 'participant id');

  pairCommand('forbid', 'Forbid two people being paired in this cycle; their pair, if proposed, goes at the next re-solve.')
    .option('--program-wide', "also add them to the program's matching.doNotPair, for every later cycle", false)
    .action(async (first: string, second: string, options: { cycle: string; programWide: boolean }) => {
      const outcome = await forbidPairOfCycle(target(), options.cycle, [first, second], cliActor(), { programWide: options.programWide });
      emit(
        false,
        null,
        () =>
          said(
            outcome,
            `${first} and ${second} may not be paired in cycle ${options.cycle}: re-solve to apply (tandem pairs resolve --cycle ${options.cycle}).`,
            `${first} and ${second} were already forbidden.`,
          ) + (options.programWide ? `\nThey are also in the program's doNotPair.` : ''),
      );
    });

  pairCommand('lock', 'Lock a proposed pair: every re-solve keeps it.').action(async (first: string, second: string, options: { cycle: string }) => {
    const outcome = await lockPairOfCycle(target(), options.cycle, [first, second], cliActor());
    emit(false, null, () => said(outcome, `Locked ${first} and ${second}.`, `${first} and ${second} were already locked.`));
  });

  pairCommand('unlock', 'Unlock a pair: the next re-solve may change it.').action(async (first: string, second: string, options: { cycle: string }) => {
    const outcome = await unlockPairOfCycle(target(), options.cycle, [first, second], cliActor());
    emit(false, null, () => said(outcome, `Unlocked ${first} and ${second}.`, `${first} and ${second} were not locked.`));
  });

  group
    .command('exclude')
    .description('Take a person out of this cycle: their pair goes at the next re-solve.')
    .requiredOption('-c, --cycle <cycleId>', 'the cycle')
    .argument('<participantId>', 'the person')
    .action(async (participantId: string, options: { cycle: string }) => {
      const outcome = await excludeFromCycle(target(), options.cycle, participantId, cliActor());
      emit(false, null, () => said(outcome, `${participantId} is out of cycle ${options.cycle}: re-solve to apply.`, `${participantId} was already excluded.`));
    });

  withJson(
    group
      .command('resolve')
      .description(
        'Re-solve the pairs with the exact matcher: locked pairs stay, excluded people and forbidden pairs are left out; the new pairs replace the old ones.',
      )
      .requiredOption('-c, --cycle <cycleId>', 'the cycle'),
    'tandem pairs resolve --cycle mentoria-reversa-20270301T090000Z',
  ).action(async (options: { cycle: string; json: boolean }) => {
    const result = await resolveCycle({ ...target(), matcher: new OptimalMatcher() }, options.cycle, cliActor());
    emit(
      options.json,
      result,
      () =>
        `Re-solved cycle ${options.cycle}: ${result.pairs} pairs, ${result.unmatched} unmatched. Review them with: tandem pairs list --cycle ${options.cycle}`,
    );
  });

  group
    .command('approve')
    .description('Approve the pairs: the workflow sends the invitations at its next check. Refused while the pairs need a re-solve.')
    .requiredOption('-c, --cycle <cycleId>', 'the cycle')
    .action(async (options: { cycle: string }) => {
      const outcome = await approvePairs(target(), options.cycle, cliActor());
      emit(false, null, () =>
        said(
          outcome,
          `Approved the pairs of cycle ${options.cycle}: invitations go out at the workflow's next check.`,
          `The pairs of cycle ${options.cycle} were already approved.`,
        ),
      );
    });
}
