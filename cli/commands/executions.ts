import type { Command } from 'commander';
import { listProgramCycles } from '../../services/cycles.ts';
import { buildTimeline, parseTimeFilter, redriveCycle, type ExecutionFilters, type Timeline } from '../../services/executions.ts';
import { emit, formatDuration, formatTime, table, withJson } from '../support/output.ts';
import { wholeNumberUpTo } from '../support/options.ts';
import { executions, hasTable, target } from '../support/target.ts';

const positive = wholeNumberUpTo(10_000);

/** The state carries the cycle and program ids everywhere; the table shows what changes. */
const withoutIds = (value: unknown): unknown => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { cycleId: _c, programId: _p, ...rest } = value as Record<string, unknown>;
  if (rest.phase !== undefined) return rest.phase;
  return Object.keys(rest).length ? rest : undefined;
};

const brief = (value: unknown, max = 80) => {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

export function describeTimeline(t: Timeline): string {
  const lines: string[] = [];
  for (const phase of t.phases) {
    lines.push(
      `${phase.phase.padEnd(13)} ${formatTime(phase.startedAt)} → ${phase.endedAt ? formatTime(phase.endedAt) : '(now)'}  ${formatDuration(phase.durationMs)}`,
    );
    for (const s of phase.states) {
      const extra = [s.visits > 1 ? `×${s.visits}` : '', s.attemptsFailed ? `${s.attemptsFailed} failed attempt(s)` : ''].filter(Boolean).join(', ');
      lines.push(
        `  ${s.name.padEnd(30)} ${formatDuration(s.durationMs).padStart(9)}  ${extra.padEnd(10)} ${s.lastOutput !== undefined && withoutIds(s.lastOutput) !== undefined ? `→ ${brief(withoutIds(s.lastOutput), 90)}` : ''}`.trimEnd(),
      );
    }
    for (const f of phase.failures) lines.push(`  ! ${f.state ?? ''} ${f.error}: ${brief(f.cause, 200)}`);
  }
  return lines.join('\n');
}

export function registerExecutionsCommands(program: Command): void {
  const group = program
    .command('executions')
    .description('Ops: the program-cycle workflow executions, read through the Step Functions API.')
    .addHelpText('after', '\nExamples:\n  tandem executions list --status FAILED --since 7d\n  tandem executions show mentoria-reversa-20270301T090000Z');

  withJson(
    group
      .command('list')
      .description('List executions, newest first, with filters.')
      .option('-s, --status <status>', 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE')
      .option('-p, --program <programId>', "only this program's cycles")
      .option('--since <time>', 'started at or after: an ISO time (2027-03-01T09:00Z) or a span back from now (30m, 2h, 7d)')
      .option('--until <time>', 'started at or before (same forms)')
      .option('-n, --limit <n>', 'at most this many', positive, 100),
    'tandem executions list --status FAILED --since 7d',
  ).action(async (options: { status?: string; program?: string; since?: string; until?: string; limit: number; json: boolean }) => {
    const filters: ExecutionFilters = { limit: options.limit };
    if (options.status) filters.status = options.status;
    if (options.since) filters.since = parseTimeFilter(options.since);
    if (options.until) filters.until = parseTimeFilter(options.until);
    if (options.program) filters.cycleIds = new Set((await listProgramCycles(target().store, options.program)).map((c) => c.cycleId));
    const list = await executions().list(filters);
    emit(options.json, list, () =>
      list.length
        ? table(
            ['Execution (cycle)', 'Status', 'Started', 'Stopped', 'Duration'],
            list.map((e) => [e.name, e.status, formatTime(e.startDate), formatTime(e.stopDate), formatDuration(e.durationMs)]),
          )
        : 'No executions match.',
    );
  });

  withJson(
    group
      .command('show')
      .description("One execution as a timeline of phases and states, with durations, each state's last input and output, and every error with its cause.")
      .argument('<execution>', 'the execution ARN, or the cycle id (the execution is named after its cycle)'),
    'tandem executions show mentoria-reversa-20270301T090000Z',
  ).action(async (execution: string, options: { json: boolean }) => {
    const query = executions();
    const description = await query.describe(execution);
    const timeline = buildTimeline(await query.history(execution));
    emit(options.json, { ...description, timeline }, () =>
      [
        `Execution ${description.name}: ${description.status}`,
        `  ${description.executionArn}`,
        `  started ${formatTime(description.startDate)}${description.stopDate ? `, stopped ${formatTime(description.stopDate)} (${formatDuration(description.durationMs)})` : ''}`,
        ...(description.redriveCount
          ? [`  redriven ${description.redriveCount}×${description.redriveDate ? ` (last at ${formatTime(description.redriveDate)})` : ''}`]
          : []),
        `  input ${brief(description.input, 200)}`,
        ...(description.error || description.cause
          ? [`  ${description.status === 'ABORTED' ? 'stopped' : 'failed'}: ${description.error ?? ''}${description.cause ? `: ${description.cause}` : ''}`]
          : []),
        '',
        describeTimeline(timeline),
      ].join('\n'),
    );
  });

  withJson(
    group
      .command('redrive')
      .description(
        'Redrive a failed, timed-out or aborted execution from the state that failed (Step Functions RedriveExecution), on AWS or the local stack; the failed cycle is marked running again. A cycle that was stopped is not resumed (exit code 6: start a new cycle). An endpoint without RedriveExecution → exit code 7.',
      )
      .argument('<execution>', 'the execution ARN, or the cycle id'),
    'tandem executions redrive mentoria-reversa-20270301T090000Z',
  ).action(async (execution: string, options: { json: boolean }) => {
    // The table, when this shell has one, says who stopped a stopped cycle and why; ops' role reads none (docs/deploy.md).
    const arn = executions();
    const result = await redriveCycle({ ...(hasTable() ? { store: target().store } : {}), executions: arn }, execution);
    emit(
      options.json,
      { redriven: true, ...result },
      () => `Execution ${result.executionArn} redriven${result.redriveDate ? ` at ${formatTime(result.redriveDate)}` : ''}.`,
    );
  });
}
