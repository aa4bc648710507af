import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.ts';
import { sameFile } from '../../services/text-files.ts';
import { withJson } from '../support/output.ts';
import { target } from '../support/target.ts';

/** `tandem match`: the CLI wiring of the match preview (services/match-preview.ts, printed by cli/commands/match.ts). */
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
    // The scores would be written over an input read a moment before (an easy slip when completing a path).
    for (const [flag, input] of [
      ['--roster', options.roster],
      ['--program-file', options.programFile],
    ] as const) {
      if (options.scoresOut && input && (await sameFile(input, options.scoresOut))) {
        throw new ValidationError(`--scores-out ${options.scoresOut} is the ${flag} file: the scores would overwrite it; write them to another file`);
      }
    }
    // The matcher is imported when used, so that other commands start fast.
    const [{ loadMatchPreviewInput }, { runMatchPreview }] = await Promise.all([import('../../services/match-preview.ts'), import('./match.ts')]);
    const { program: loaded, roster } = await loadMatchPreviewInput(
      {
        ...(options.program ? { programId: options.program } : {}),
        ...(options.programFile ? { programFile: options.programFile } : {}),
        ...(options.roster ? { rosterFile: options.roster } : {}),
      },
      () => target().store,
    );
    process.stdout.write(
      `${await runMatchPreview({ program: loaded, roster, json: options.json, ...(options.scoresOut ? { scoresOut: options.scoresOut } : {}) })}\n`,
    );
  });
}
