import { InvalidArgumentError, type Command } from 'commander';
import { readTextFile } from '../../services/text-files.ts';
import type { ColumnMapping } from '../../domain/roster.ts';
import { parseColumnMapping } from '../../domain/roster-mapping-file.ts';
import {
  exportRoster,
  importRosterFile,
  rosterImportAuditDetails,
  RosterImportIncompleteError,
  RosterRejectedError,
  type RosterFileImportResult,
} from '../../services/roster-files.ts';
import { EXIT } from '../exit-codes.ts';
import { emit, progressBar, reportFailure, table, withJson } from '../support/output.ts';
import { checkOutputPath, writeOutputFile } from '../support/output-file.ts';
import { auditCli } from '../support/actor.ts';
import { target } from '../support/target.ts';
import { terminalSafe } from '../../domain/text.ts';

/**
 * The exported roster as written to stdout: to a terminal, control and direction-override characters
 * a stored name may hold are shown as visible escapes (an ESC sequence would rewrite HR's terminal);
 * piped or redirected, the bytes stay as stored, so the export imports as it is.
 */
export function rosterForStdout(text: string, toTerminal: boolean): string {
  return toTerminal ? terminalSafe(text) : text;
}

const format = (value: string) => {
  if (value !== 'csv' && value !== 'json') throw new InvalidArgumentError('must be csv or json');
  return value;
};

const encoding = (value: string): 'utf-8' | 'windows-1252' => {
  const v = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (v === 'utf8') return 'utf-8';
  if (v === 'latin1' || v === 'iso88591' || v === 'windows1252' || v === 'cp1252') return 'windows-1252';
  throw new InvalidArgumentError('must be utf-8 or latin1 (windows-1252)');
};

/** Reads a roster or mapping file: missing, too large or not in its encoding is refused with what to do, never garbled. */
function readText(file: string, fileEncoding: 'utf-8' | 'windows-1252' = 'utf-8'): Promise<string> {
  return readTextFile(file, {
    encoding: fileEncoding,
    encodingHint: 'save it as "CSV UTF-8" in the spreadsheet, or pass --encoding latin1 if it was exported as Latin-1/Windows-1252',
  });
}

const delimiterName = (d: string | undefined) => (d === ';' ? 'semicolon' : d === ',' ? 'comma' : d === '\t' ? 'tab' : d === '|' ? 'pipe' : (d ?? ''));

/** The validation report and summary, as HR reads them. */
export function describeImport(r: RosterFileImportResult, file: string): string {
  const lines: string[] = [];
  if (r.delimiter) lines.push(`Read ${file}: ${r.rows} row(s), ${delimiterName(r.delimiter)}-delimited.`);
  else lines.push(`Read ${file}: ${r.rows} participant(s).`);
  if (r.blankRows) lines.push(`Skipped ${r.blankRows} blank row(s).`);
  if (r.ignoredColumns.length) lines.push(`Ignored column(s), mapped to no Tandem field: ${r.ignoredColumns.join(', ')}.`);
  if (r.addedSkills.length) {
    lines.push(
      '',
      r.dryRun ? `Skills the catalog does not know, to be added to it (${r.addedSkills.length}):` : `Skills added to the catalog (${r.addedSkills.length}):`,
      table(
        ['Id', 'Label (both languages until HR edits it)'],
        r.addedSkills.map((s) => [s.id, s.labels.en]),
      ),
    );
  }
  if (r.keptOptedOut.length) {
    lines.push(
      '',
      `Kept opted-out: ${r.keptOptedOut.length} person(s) the file marks otherwise left through their own opt-out link (--reactivate-opted-out brings them back):`,
      table(
        ['Where', 'Why'],
        r.keptOptedOut.map((k) => [k.where, k.reason]),
      ),
    );
  }
  if (r.issues.length) {
    lines.push(
      '',
      r.valid === 0 && r.skipped === 0 ? 'The file cannot be imported:' : `${r.issues.length} problem(s) in ${r.skipped} row(s):`,
      table(
        ['Where', 'Problem'],
        r.issues.map((i) => [i.where, i.problem]),
      ),
      '',
    );
  }
  if (r.dryRun)
    lines.push(`Dry run: ${r.valid} valid row(s) would be imported into ${r.programId}${r.skipped ? `, ${r.skipped} skipped` : ''}; nothing was written.`);
  else lines.push(`Imported into ${r.programId}: ${r.written} written, ${r.unchanged} unchanged${r.skipped ? `, ${r.skipped} bad row(s) skipped` : ''}.`);
  return lines.join('\n');
}

/** What a stopped import stored goes into the audit log as it would complete: a store that cannot take it is said, not hidden. */
async function auditIncomplete(c: ReturnType<typeof target>, error: RosterImportIncompleteError): Promise<void> {
  const { report, progress } = error;
  const details = rosterImportAuditDetails(report, { stored: progress.done, total: progress.total, interrupted: progress.interrupted });
  if (!details) return;
  try {
    await auditCli(c, { action: 'roster.import-stopped', programId: report.programId, details });
  } catch (auditError) {
    console.error(`tandem: the audit log could not record the partial import: ${auditError instanceof Error ? auditError.message : String(auditError)}`);
  }
}

/** How long a second Ctrl-C waits for the audit log before it exits: "at once" to the person, not silent in the log. */
const STOP_AT_ONCE_AUDIT_MS = 3000;

/**
 * A second Ctrl-C: exits without waiting for the batch being written. It says what is known to be
 * stored (on stdout too with --json, as every error), and records the stop in the audit log when
 * anything was stored, waiting for that write a few seconds at most: else an import stopped at once
 * would change the roster with no entry.
 */
async function stopAtOnce(c: ReturnType<typeof target>, stopped: { json: boolean; programId: string; done: number; total: number }): Promise<never> {
  const { json, programId, done, total } = stopped;
  const message = `stopped at once: at least ${done} of ${total} people are stored in ${programId}, perhaps a few more; rerun the same command to finish (the people stored already are left as they are).`;
  reportFailure(json, { kind: 'interrupted', exitCode: EXIT.interrupted, message, done, total, atLeast: true });
  if (done > 0) {
    const audit = auditCli(c, { action: 'roster.import-stopped', programId, details: { stored: done, total, interrupted: true, atOnce: true } }).catch(
      (error: unknown) => {
        console.error(`tandem: the audit log could not record the stopped import: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        console.error('tandem: the audit log did not answer in time; the stopped import is not recorded in it.');
        resolve();
      }, STOP_AT_ONCE_AUDIT_MS);
    });
    await Promise.race([audit, late]);
    clearTimeout(timer);
  }
  process.exit(EXIT.interrupted);
}

export function registerRosterCommands(program: Command): void {
  const group = program
    .command('roster')
    .description("A program's roster: import CSV or JSON (validated, idempotent), export.")
    .addHelpText(
      'after',
      '\nExamples:\n  tandem roster import examples/roster.csv --program mentoria-reversa\n  tandem roster export --program mentoria-reversa --out roster.csv',
    );

  withJson(
    group
      .command('import')
      .description(
        'Import a roster file. CSV: comma, semicolon, tab or pipe delimited (found from the header), UTF-8 with or without BOM, quoted fields; ' +
          'JSON: an array of participants. The whole file is validated first: an invalid file writes nothing (unless --skip-bad-rows) and every bad row is listed with its line and reason. ' +
          'Importing the same file again changes nothing. A progress bar shows on stderr when it is a terminal. ' +
          'Interrupted (Ctrl-C, exit 130) or stopped by an error part-way, it says how many people are stored: the same command again stores the rest.',
      )
      .argument('<file>', 'the roster file (.csv or .json)')
      .requiredOption('-p, --program <programId>', 'the program to import into')
      .option('--format <format>', 'csv or json (default: from the file name)', format)
      .option('-m, --mapping <file>', "a column-mapping file (YAML or JSON) mapping an HR export's headers and values to Tandem's fields (docs/cli.md)")
      .option('--dry-run', 'validate and report, write nothing', false)
      .option('--skip-bad-rows', 'import the valid rows of a file that has bad ones (the bad ones are reported)', false)
      .option(
        '--add-unknown-skills',
        "add skills the program's catalog does not know to it (labelled as written; with --dry-run, only listed); without it an unknown skill is a row error",
        false,
      )
      .option(
        '--reactivate-opted-out',
        "let the file's status bring back people who left through their own opt-out link (without it they stay opted-out and are listed)",
        false,
      )
      .option('--encoding <encoding>', 'utf-8 (default; with or without BOM) or latin1 (Windows-1252, as older spreadsheets export)', encoding, 'utf-8'),
    'tandem roster import export-rh.csv --program mentoria-reversa --mapping mapeamento.yaml --dry-run',
  ).action(
    async (
      file: string,
      options: {
        program: string;
        format?: 'csv' | 'json';
        mapping?: string;
        dryRun: boolean;
        skipBadRows: boolean;
        addUnknownSkills: boolean;
        reactivateOptedOut: boolean;
        encoding: 'utf-8' | 'windows-1252';
        json: boolean;
      },
    ) => {
      const text = await readText(file, options.encoding);
      const mapping: ColumnMapping | undefined = options.mapping ? parseColumnMapping(await readText(options.mapping), options.mapping) : undefined;
      const fileFormat = options.format ?? (/\.json$/i.test(file) ? 'json' : 'csv');
      const bar = progressBar('Importing', options.json);
      const c = target();
      // Ctrl-C lets the batch being written finish, so the count said afterwards is exact; a second Ctrl-C stops at once.
      const stop = new AbortController();
      let done = 0;
      let total = 0;
      // Set by a second Ctrl-C: the import going on meanwhile then says nothing; that stop exits (a third Ctrl-C at once).
      let stoppedAtOnce: Promise<never> | undefined;
      const onInterrupt = () => {
        if (stoppedAtOnce) process.exit(EXIT.interrupted);
        if (stop.signal.aborted) {
          bar.end();
          stoppedAtOnce = stopAtOnce(c, { json: options.json, programId: options.program, done, total });
          return;
        }
        stop.abort();
        bar.end();
        console.error('Stopping after the people being written now are stored (Ctrl-C again to stop at once)…');
      };
      process.on('SIGINT', onInterrupt);
      try {
        const result = await importRosterFile(c.store, {
          programId: options.program,
          text,
          format: fileFormat,
          ...(mapping ? { mapping } : {}),
          dryRun: options.dryRun,
          skipBadRows: options.skipBadRows,
          addUnknownSkills: options.addUnknownSkills,
          reactivateOptedOut: options.reactivateOptedOut,
          signal: stop.signal,
          onProgress: (doneNow, totalNow) => {
            done = doneNow;
            total = totalNow;
            if (!stop.signal.aborted) bar(doneNow, totalNow);
          },
        });
        if (stoppedAtOnce) await stoppedAtOnce;
        bar.end();
        const details = result.dryRun ? undefined : rosterImportAuditDetails(result);
        if (details) await auditCli(c, { action: 'roster.imported', programId: result.programId, details });
        emit(options.json, result, () => describeImport(result, file));
      } catch (error) {
        if (stoppedAtOnce) await stoppedAtOnce;
        bar.end();
        if (error instanceof RosterRejectedError && !options.json) {
          // The whole report on stdout, then the error (exit code 2) from main.
          process.stdout.write(`${describeImport({ ...error.report, dryRun: true, valid: 0 }, file).split('\nDry run')[0]}\n`);
        }
        if (error instanceof RosterImportIncompleteError) await auditIncomplete(c, error);
        throw error;
      } finally {
        process.off('SIGINT', onInterrupt);
      }
    },
  );

  withJson(
    group
      .command('export')
      .description("Export a program's roster as CSV in Tandem's columns (importable as it is) or as JSON.")
      .requiredOption('-p, --program <programId>', 'the program')
      .option('--format <format>', 'csv or json', format, 'csv')
      .option('-o, --out <file>', 'write to this file (default: stdout)'),
    'tandem roster export --program mentoria-reversa --out roster.csv',
  ).action(async (options: { program: string; format: 'csv' | 'json'; out?: string; json: boolean }) => {
    const fmt = options.json && !options.out ? 'json' : options.format;
    const out = options.out === undefined ? undefined : checkOutputPath(options.out);
    const { text, count } = await exportRoster(target().store, options.program, fmt);
    if (out) {
      await writeOutputFile(out, text);
      emit(
        options.json,
        { programId: options.program, participants: count, out: options.out, format: fmt },
        () => `${count} participant(s) of ${options.program} written to ${options.out}.`,
      );
    } else {
      process.stdout.write(rosterForStdout(text, process.stdout.isTTY === true));
    }
  });
}
