import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.ts';
import type { Participant } from '../../domain/participant.ts';
import { parseRosterCsv, parseRosterJson } from '../../domain/roster.ts';
import { getProgramOrFail } from '../../services/programs.ts';
import { withJson } from '../support/output.ts';
import { target } from '../support/target.ts';

/** `tandem match`: the CLI wiring of runMatchPreview (cli/commands/match.ts) — loads the program and roster, prints the preview. */
export function registerMatchCommand(program: Command): void {
  withJson(
    program
      .command('match')
      .description('Preview the pairs the identify phase would form, without starting a cycle.')
      .option('-p, --program <programId>', 'the program, from the store')
      .option('--program-file <file>', 'the program from a YAML or JSON file instead (no target needed with --roster)')
      .option('-r, --roster <file>', 'a roster file (CSV or JSON) instead of the stored roster')
      .option('--scores-out <file>', "write every eligible pair's score by criterion to this CSV file"),
    'tandem match --program mentoria-reversa --scores-out scores.csv',
  ).action(async (options: { program?: string; programFile?: string; roster?: string; scoresOut?: string; json: boolean }) => {
    // The matcher is imported when used, so that other commands start fast.
    const { loadProgramFile, runMatchPreview } = await import('./match.ts');
    if (!options.program && !options.programFile) throw new ValidationError('name the program: --program <id> or --program-file <file>');
    const loaded = options.programFile ? await loadProgramFile(options.programFile) : await getProgramOrFail(target().store, options.program as string);
    let roster: Participant[];
    if (options.roster) {
      const text = await readFile(options.roster, 'utf8');
      const parsed = /\.json$/i.test(options.roster) ? parseRosterJson(text, loaded.skillsCatalog) : parseRosterCsv(text, loaded.skillsCatalog);
      if (parsed.issues.length) throw new ValidationError(`${options.roster} has ${parsed.issues.length} problem(s)`, parsed.issues);
      roster = parsed.participants;
    } else {
      roster = await target().store.listParticipants(loaded.programId);
    }
    process.stdout.write(
      `${await runMatchPreview({ program: loaded, roster, json: options.json, ...(options.scoresOut ? { scoresOut: options.scoresOut } : {}) })}\n`,
    );
  });
}
