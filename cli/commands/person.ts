import { chmod } from 'node:fs/promises';
import type { Command } from 'commander';
import { createDocumentClient } from '../../adapters/dynamodb/dynamodb-store.ts';
import { DynamoDbPrivacyStore } from '../../adapters/dynamodb/privacy-store.ts';
import { erasePerson, exportPersonAudited, type ErasureSummary, type PersonDataDeps } from '../../services/person-data.ts';
import { cliActor } from '../support/actor.ts';
import { emit, table, withJson } from '../support/output.ts';
import { checkOutputPath, writeOutputFile } from '../support/output-file.ts';
import { target } from '../support/target.ts';

async function personDataDeps(): Promise<PersonDataDeps> {
  const { env, clock, suppressionKeys } = target();
  const store = new DynamoDbPrivacyStore(createDocumentClient(), env.TANDEM_TABLE_NAME);
  return { store, clock, subjectKeyOf: await suppressionKeys() };
}

function summaryTable(summary: ErasureSummary): string {
  return table(
    ['Programs', 'Cycles', 'Answers', 'Pairs', 'Meetings', 'Session seats', 'Emails logged'],
    [[summary.programs, summary.cycles, summary.responses, summary.pairs, summary.meetings, summary.sessionRegistrations, summary.emails]],
  );
}

export function registerPersonCommands(program: Command): void {
  const group = program
    .command('person')
    .description("A person's data across every program and cycle: export it (access requests) or erase it (deletion requests). docs/privacy.md")
    .addHelpText(
      'after',
      '\nBoth commands are recorded in the audit log (who ran them and counts, never the address).\n' +
        'The address is looked up on every roster; an address on none exits 5 (not found).',
    );

  withJson(
    group
      .command('export')
      .description(
        'Write everything Tandem holds on a person as JSON (format version 1): roster entries, declarations, cycles, answers, pairs, meetings, session seats, emails sent, audit entries naming them. ' +
          'With --json and --out, stdout gets a JSON summary of the file written instead of a sentence on stderr.',
      )
      .requiredOption('--email <address>', "the person's email address")
      .option('-o, --out <file>', 'write to this file (readable by you only: 0600) instead of stdout'),
    'tandem person export --email joana.silva@example.com --out joana.json --json',
  ).action(async (options: { email: string; out?: string; json: boolean }) => {
    // Checked before the export, which is audited as done.
    const out = options.out === undefined ? undefined : checkOutputPath(options.out);
    const exported = await exportPersonAudited(await personDataDeps(), cliActor(), options.email);
    const text = `${JSON.stringify(exported, null, 2)}\n`;
    // The export is one JSON document already: on stdout it is the same with or without --json.
    if (!out) {
      process.stdout.write(text);
      return;
    }
    await writeOutputFile(out, text, { mode: 0o600 });
    // writeFile's mode applies only to a new file: an export written over an older one is tightened too.
    await chmod(out, 0o600);
    const written = {
      out: options.out,
      version: exported.version,
      programs: exported.programs.length,
      cycles: exported.cycles.length,
      suppressed: exported.suppressed,
    };
    if (options.json) emit(true, written, () => '');
    else console.error(`Wrote ${out}: ${exported.programs.length} program(s), ${exported.cycles.length} cycle(s).`);
  });

  withJson(
    group
      .command('erase')
      .description(
        'Erase a person from every program and cycle: roster entry and declaration removed, names, address and free text removed, answers kept only as numbers under a random id, the address suppressed from every future email. Without --yes, only lists what would be removed. Re-run it if it was interrupted: it resumes.',
      )
      .requiredOption('--email <address>', "the person's email address")
      .option('--yes', 'erase for real (without it: a dry run)', false),
    'tandem person erase --email joana.silva@example.com --yes',
  ).action(async (options: { email: string; yes: boolean; json: boolean }) => {
    const outcome = await erasePerson(await personDataDeps(), cliActor(), options.email, { confirm: options.yes });
    emit(options.json, outcome, () => {
      switch (outcome.outcome) {
        case 'dry-run':
          return [
            outcome.resumes
              ? 'An erasure of this address was interrupted; it would be completed. It would remove:'
              : 'Dry run: erasing this person would remove:',
            summaryTable(outcome.summary),
            'Nothing was changed. Re-run with --yes to erase.',
          ].join('\n');
        case 'erased':
          return [
            `Erased${outcome.resumed ? ' (an interrupted erasure, completed)' : ''}: erasure ${outcome.erasureId}, ${outcome.itemsRewritten} item(s) rewritten.`,
            summaryTable(outcome.summary),
            'The address is on the suppression list: nothing more is sent to it. Reports already written may still name the person: see docs/privacy.md.',
          ].join('\n');
        case 'already-erased':
          return `This address was erased already${outcome.erasedAt ? ` (${new Date(outcome.erasedAt).toISOString()})` : ''}: nothing is held on it beyond its suppression entry. Nothing was changed.`;
      }
    });
  });
}
