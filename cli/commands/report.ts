import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { getCycleOrFail } from '../../services/cycles.ts';
import { emit, withJson } from '../support/output.ts';
import { checkOutputPath, copyOutputFile, writeOutputFile } from '../support/output-file.ts';
import { target } from '../support/target.ts';

/** Copies the cycle's review report (a local file, or an s3:// object on AWS) to `out`. */
async function fetchReport(cycleId: string, path: string): Promise<{ source: string; out: string }> {
  const out = checkOutputPath(path);
  const cycle = await getCycleOrFail(target().store, cycleId);
  if (!cycle.reportPath) {
    throw new ConflictError(
      `cycle ${cycleId} has no review report yet: it is ${cycle.status}, in phase ${cycle.currentPhase} (the report is written when the review phase ends)`,
    );
  }
  const source = cycle.reportPath;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  if (s3) {
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const object = await new S3Client({}).send(new GetObjectCommand({ Bucket: s3[1], Key: s3[2] }));
    await writeOutputFile(out, (await object.Body?.transformToString('utf8')) ?? '');
  } else {
    if (!existsSync(source)) throw new NotFoundError(`the report of cycle ${cycleId} was at ${source}, which no longer exists`);
    await copyOutputFile(source, out);
  }
  return { source, out };
}

function openInBrowser(path: string): boolean {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [path], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export function registerReportCommands(program: Command): void {
  const group = program
    .command('report')
    .description("A cycle's review report (HTML): save it, or open it.")
    .addHelpText(
      'after',
      '\nExamples:\n  tandem report open mentoria-reversa-20270301T090000Z\n  tandem report save mentoria-reversa-20270301T090000Z --out review.html',
    );

  withJson(
    group
      .command('save')
      .description("Save a cycle's review report to a file (from the local reports folder, or from S3 on AWS).")
      .argument('<cycleId>', 'the cycle')
      .option('-o, --out <file>', 'where to write it (default: <cycleId>-report.html here)'),
    'tandem report save mentoria-reversa-20270301T090000Z --out review.html',
  ).action(async (cycleId: string, options: { out?: string; json: boolean }) => {
    const saved = await fetchReport(cycleId, options.out ?? `${cycleId}-report.html`);
    emit(options.json, { cycleId, ...saved }, () => `Report of ${cycleId} saved to ${saved.out}.`);
  });

  withJson(
    group
      .command('open')
      .description("Open a cycle's review report in the browser (when this is a terminal with a desktop); prints where the report is.")
      .argument('<cycleId>', 'the cycle')
      .option('--no-browser', 'only print where it is'),
    'tandem report open mentoria-reversa-20270301T090000Z',
  ).action(async (cycleId: string, options: { browser: boolean; json: boolean }) => {
    const folder = await mkdtemp(join(tmpdir(), 'tandem-report-'));
    const cycle = await getCycleOrFail(target().store, cycleId);
    const local = cycle.reportPath && !cycle.reportPath.startsWith('s3://') && existsSync(cycle.reportPath);
    const { source, out } = local
      ? { source: cycle.reportPath as string, out: cycle.reportPath as string }
      : await fetchReport(cycleId, join(folder, basename(cycle.reportPath ?? 'report.html')));
    const opened = options.browser && !options.json && process.stdout.isTTY === true && openInBrowser(out);
    emit(options.json, { cycleId, source, path: out, opened }, () => `${opened ? 'Opening' : 'Report'} ${out}`);
  });
}
