import { InvalidArgumentError, type Command } from 'commander';
import { listAuditOf } from '../../services/audit.ts';
import { parseTimeFilter } from '../../services/executions.ts';
import { emit, formatTime, table, withJson } from '../support/output.ts';
import { wholeNumberUpTo } from '../support/options.ts';
import { target } from '../support/target.ts';

const since = (value: string) => {
  try {
    return parseTimeFilter(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

export function registerAuditCommands(program: Command): void {
  const group = program
    .command('audit')
    .description("The audit log: HR's actions (programs, rosters, cycles, proposals), who took them, when, and through what.");

  withJson(
    group
      .command('list')
      .description('List audit entries, newest first: one program (with --program) or every program and the entries across programs.')
      .option('-p, --program <programId>', 'only this program')
      .option('--since <time>', 'only entries from then on: an ISO time or a span back from now (30m, 2h, 7d)', since)
      .option('--limit <n>', 'at most this many entries (1 to 10000)', wholeNumberUpTo(10_000), 200),
    'tandem audit list --program mentoria-reversa --since 7d',
  ).action(async (options: { program?: string; since?: number; limit: number; json: boolean }) => {
    const { store } = target();
    const query = { ...(options.since !== undefined ? { since: options.since } : {}), limit: options.limit };
    const programIds = options.program ? [options.program] : (await store.listPrograms()).map((p) => p.programId);
    const entries = options.program ? await store.listAudit({ ...query, programId: options.program }) : await listAuditOf(store, programIds, query);
    emit(options.json, entries, () =>
      entries.length
        ? table(
            ['When', 'Who', 'Via', 'Action', 'Program', 'Cycle', 'Details'],
            entries.map((e) => [
              formatTime(new Date(e.at).toISOString()),
              e.actor,
              e.via,
              e.action,
              e.programId ?? '',
              e.cycleId ?? '',
              Object.entries(e.details)
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
            ]),
          )
        : 'No audit entries.',
    );
  });
}
