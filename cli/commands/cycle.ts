import type { Command } from 'commander';
import type { Container } from '../../adapters/container.ts';
import type { Cycle } from '../../domain/cycle.ts';
import { ValidationError } from '../../domain/errors.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { answeredPhaseModule } from '../../services/phases/registry.ts';
import { cycleStatus, listProgramCycles, stopCycle, type CycleStatusReport } from '../../services/cycles.ts';
import { EXIT } from '../exit-codes.ts';
import { emit, formatTime, table, withJson } from '../support/output.ts';
import { auditCli } from '../support/actor.ts';
import { target, workflow } from '../support/target.ts';

/**
 * Extension point of `tandem cycle start`: each extension adds its options and runs before the
 * cycle starts. The review issue adds `--apply-review` here: `cycleStartExtensions.push({ options,
 * beforeStart })` from its own module, registered in cli/main.ts before the commands.
 */
export interface CycleStartExtension {
  options(command: Command): void;
  /**
   * Runs after the options are parsed and before anything is written: checks and asks. Returns
   * lines to show (and to put in the JSON as `notes`) and, when the extension writes something
   * the cycle must start with, `start`: it then starts the cycle itself (at most one extension
   * may), so that it can write only once everything is checked, record its action only once the
   * cycle has started, and undo its write when the start fails.
   */
  beforeStart(context: { programId: string; options: Record<string, unknown>; container: Container }): Promise<CycleStartStep | void>;
}
export interface CycleStartStep {
  notes?: string[];
  /** Starts the cycle in place of a plain startCycle; returns it and lines to show once it started. */
  start?: (request: { programId: string; cycleId?: string }) => Promise<{ cycle: Cycle; notes?: string[] }>;
}
export const cycleStartExtensions: CycleStartExtension[] = [];

export function describeStatus(s: CycleStatusReport): string {
  const lines = [
    `Cycle ${s.cycleId} of ${s.programId}: ${s.status}${s.executionStatus ? ` (execution ${s.executionStatus})` : ''}, phase ${s.currentPhase}`,
    `Started ${formatTime(s.startedAt)}${s.endedAt ? `, ended ${formatTime(s.endedAt)}` : ''}`,
    `Participants ${s.participants}, pairs ${s.pairs}, emails sent ${s.emailsSent}, bounces ${s.bounces}`,
  ];
  if (s.meetings) lines.push(`Meetings ${s.meetings.logged} logged; ${s.meetings.pairsMet} of ${s.pairs} pairs met at least once`);
  if (s.executionArn) lines.push(`Execution ${s.executionArn}`);
  if (s.approval?.status === 'pending')
    lines.push(`Pairs: waiting for approval until ${formatTime(s.approval.deadline)} (tandem pairs list --cycle ${s.cycleId})`);
  else if (s.approval) lines.push(`Pairs: ${s.approval.status}${s.approval.decidedBy ? ` by ${s.approval.decidedBy}` : ''}`);
  lines.push(
    '',
    table(
      ['Phase', 'Opened', 'Deadline', 'Closed', 'Expected', 'Responses'],
      s.phases.map((p) => [
        p.phase,
        formatTime(p.openedAt),
        formatTime(p.deadline),
        formatTime(p.closedAt),
        p.expected ?? '',
        answeredPhaseModule(p.phase).statusCell({
          responses: p.responses,
          ...(p.rounds ? { rounds: p.rounds } : {}),
          ...(p.detail ? { detail: p.detail } : {}),
        }),
      ]),
    ),
  );
  if (s.failure) lines.push('', `Failed: ${s.failure.error}: ${s.failure.cause}`);
  const execution = s.executionFailure;
  if (execution && (execution.error !== s.failure?.error || execution.cause !== s.failure?.cause))
    lines.push(...(s.failure ? [] : ['']), `Execution ${s.executionStatus ?? 'ended'}: ${execution.error}${execution.cause ? `: ${execution.cause}` : ''}`);
  if (s.reportPath) lines.push('', `Report: ${s.reportPath} (tandem report open ${s.cycleId})`);
  return lines.join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How long `--wait` goes on reading the cycle once its execution has ended: the workflow marks a
 * failed or stopped cycle from the execution's status-change event, which comes a moment after the end.
 */
const SETTLE_TIMEOUT_MS = 15_000;
const SETTLE_POLL_MS = 250;

/** The cycle's status once the workflow has marked the end of its execution, or as it stands when SETTLE_TIMEOUT_MS has passed. */
async function settledStatus(first: CycleStatusReport, read: () => Promise<CycleStatusReport>): Promise<CycleStatusReport> {
  const until = Date.now() + SETTLE_TIMEOUT_MS;
  let status = first;
  while (status.status === 'running' && Date.now() < until) {
    await sleep(SETTLE_POLL_MS);
    status = await read();
  }
  return status;
}

export function registerCycleCommands(program: Command): void {
  const group = program
    .command('cycle')
    .description("A program's cycles: start, status, list, stop.")
    .addHelpText('after', '\nExamples:\n  tandem cycle start --program mentoria-reversa\n  tandem cycle status mentoria-reversa-20270301T090000Z');

  const start = group
    .command('start')
    .description(
      'Start a cycle of a program: stores it and starts its workflow execution (named after the cycle, so it cannot run twice). Prints the execution.',
    )
    .requiredOption('-p, --program <programId>', 'the program')
    .option('--cycle-id <id>', 'the cycle id (default: <program>-<UTC time>)')
    .option('--wait', 'follow the cycle until it ends; exit code 1 unless it succeeded', false);
  for (const extension of cycleStartExtensions) extension.options(start);
  withJson(start, 'tandem cycle start --program mentoria-reversa --json').action(
    async (options: { program: string; cycleId?: string; wait: boolean; json: boolean } & Record<string, unknown>) => {
      const c = target();
      const notes: string[] = [];
      let startedBy: CycleStartStep['start'];
      for (const extension of cycleStartExtensions) {
        const step = await extension.beforeStart({ programId: options.program, options, container: c });
        notes.push(...(step?.notes ?? []));
        if (step?.start && startedBy) throw new ValidationError('these options cannot be combined: each would start the cycle itself');
        startedBy = step?.start ?? startedBy;
      }
      const request = { programId: options.program, ...(options.cycleId ? { cycleId: options.cycleId } : {}) };
      let cycle: Cycle;
      if (startedBy) {
        const started = await startedBy(request);
        cycle = started.cycle;
        notes.push(...(started.notes ?? []));
      } else {
        cycle = await startCycle({ store: c.store, clock: c.clock, workflow: workflow() }, request);
      }
      await auditCli(c, { action: 'cycle.started', programId: cycle.programId, cycleId: cycle.cycleId, details: {} });
      const started = {
        cycleId: cycle.cycleId,
        programId: cycle.programId,
        executionArn: cycle.executionArn,
        status: cycle.status,
        startedAt: new Date(cycle.startedAt).toISOString(),
        ...(notes.length ? { notes } : {}),
      };
      if (!options.wait) {
        emit(options.json, started, () =>
          [
            ...notes,
            `Cycle ${cycle.cycleId} started.`,
            `Execution ${cycle.executionArn}`,
            `Follow it: tandem cycle status ${cycle.cycleId}  ·  tandem executions show ${cycle.cycleId}`,
          ].join('\n'),
        );
        return;
      }
      if (!options.json) process.stdout.write(`Cycle ${cycle.cycleId} started: execution ${cycle.executionArn}\n`);
      let last = '';
      for (;;) {
        const status = await cycleStatus({ store: c.store, workflow: workflow() }, cycle.cycleId);
        const line = `  ${status.currentPhase} · participants ${status.participants} · pairs ${status.pairs} · emails ${status.emailsSent}`;
        if (!options.json && line !== last) process.stdout.write(`${line}\n`);
        last = line;
        if (status.executionStatus && status.executionStatus !== 'RUNNING') {
          const final = await settledStatus(status, () => cycleStatus({ store: c.store, workflow: workflow() }, cycle.cycleId));
          const unsettled =
            final.status === 'running'
              ? [
                  `The cycle is not marked ${final.executionStatus === 'SUCCEEDED' ? 'succeeded' : 'failed or stopped'} yet: the workflow marks it once Step Functions reports the end of the execution (tandem cycle status ${cycle.cycleId}).`,
                ]
              : [];
          emit(options.json, { ...started, final, ...(unsettled.length ? { notes: [...notes, ...unsettled] } : {}) }, () =>
            [describeStatus(final), ...unsettled].join('\n'),
          );
          process.exitCode = final.executionStatus === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
          return;
        }
        await sleep(1000);
      }
    },
  );

  withJson(
    group
      .command('status')
      .description(
        "A cycle's status: current phase, each phase's deadline and response count, emails sent, bounces (members now unreachable), the execution's status.",
      )
      .argument('<cycleId>', 'the cycle'),
    'tandem cycle status mentoria-reversa-20270301T090000Z',
  ).action(async (cycleId: string, options: { json: boolean }) => {
    const c = target();
    const status = await cycleStatus({ store: c.store, workflow: workflow() }, cycleId);
    emit(options.json, status, () => describeStatus(status));
  });

  withJson(
    group.command('list').description("A program's cycles, newest first.").requiredOption('-p, --program <programId>', 'the program'),
    'tandem cycle list --program mentoria-reversa',
  ).action(async (options: { program: string; json: boolean }) => {
    const cycles = await listProgramCycles(target().store, options.program);
    emit(options.json, cycles, () =>
      cycles.length
        ? table(
            ['Cycle', 'Status', 'Phase', 'Started', 'Ended', 'Participants', 'Pairs'],
            cycles.map((x) => [x.cycleId, x.status, x.currentPhase, formatTime(x.startedAt), formatTime(x.endedAt), x.participants, x.pairs]),
          )
        : `Program ${options.program} has no cycles yet (tandem cycle start --program ${options.program}).`,
    );
  });

  withJson(
    group
      .command('stop')
      .description(
        'Stop a running cycle: stops its execution (StopExecution) and marks the cycle stopped. A cycle that is not running is refused (exit code 6).',
      )
      .argument('<cycleId>', 'the cycle')
      .option('--reason <text>', "recorded as the execution's cause"),
    'tandem cycle stop mentoria-reversa-20270301T090000Z --reason "wrong roster"',
  ).action(async (cycleId: string, options: { reason?: string; json: boolean }) => {
    const c = target();
    const result = await stopCycle(
      { store: c.store, clock: c.clock, workflow: workflow() },
      { cycleId, ...(options.reason ? { reason: options.reason } : {}) },
    );
    await auditCli(c, { action: 'cycle.stopped', programId: result.programId, cycleId, details: { reason: options.reason ?? '' } });
    emit(options.json, result, () => `Cycle ${result.cycleId} stopped (execution ${result.executionArn}).`);
  });
}
