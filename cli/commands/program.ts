import type { Command } from 'commander';
import { z } from 'zod';
import { programSchema, type Program } from '../../domain/program.ts';
import { readProgramFile } from '../../services/program-files.ts';
import { createProgram, getProgramOrFail, programUpdateAudit, updateProgram } from '../../services/programs.ts';
import { emit, withJson } from '../support/output.ts';
import { skillLabel } from '../../domain/skills.ts';
import { auditCli } from '../support/actor.ts';
import { target } from '../support/target.ts';

function describeProgram(p: Program): string {
  const rows: Array<[string, string]> = [
    ['Program', `${p.programId} — ${p.name}`],
    ['Language', p.language],
    [
      'Phase windows',
      `goal-setting ${p.phaseWindows.goalSetting}, run ${p.phaseWindows.run}, measure ${p.phaseWindows.measure}, feedback ${p.phaseWindows.feedback}`,
    ],
    ['Check-ins', `every ${p.checkInCadence}`],
    ['Reminders', p.reminders.beforeDeadline.length ? `${p.reminders.beforeDeadline.join(', ')} before each deadline` : 'none'],
    ['Skills', `${p.skillsCatalog.length}: ${p.skillsCatalog.map((s) => `${skillLabel(s, p.language)} (${s.id})`).join(', ')}`],
    [
      'Matching',
      `${p.matching.mode}, ${p.matching.objective}, generation gap ≥ ${p.matching.minGenerationGapYears} years, no repeat for ${p.matching.noRepeatCycles} cycles`,
    ],
    ['Sender', p.sender],
    ['HR contacts', p.hrContacts.join(', ')],
    ['Ops contacts', p.opsContacts.join(', ')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function registerProgramCommands(program: Command): void {
  const group = program
    .command('program')
    .description('Programs: create, show, update and validate from a YAML or JSON file (the schema: domain/program.ts, docs/cli.md).')
    .addHelpText('after', '\nExamples:\n  tandem program create --file examples/program.json\n  tandem program show mentoria-reversa');

  withJson(
    group
      .command('create')
      .description('Create a program from a YAML or JSON file; every problem in the file is named with its field.')
      .requiredOption('-f, --file <file>', 'the program as YAML (.yaml, .yml) or JSON'),
    'tandem program create --file examples/program.json',
  ).action(async (options: { file: string; json: boolean }) => {
    const parsed = await readProgramFile(options.file);
    const c = target();
    const created = await createProgram(c.store, parsed);
    await auditCli(c, { action: 'program.created', programId: created.programId, details: { skills: created.skillsCatalog.length } });
    emit(options.json, { created: true, program: created }, () => `Program ${created.programId} ("${created.name}") created.`);
  });

  withJson(
    group.command('show').description("Show a program's settings.").argument('<programId>', 'the program id'),
    'tandem program show mentoria-reversa --json',
  ).action(async (programId: string, options: { json: boolean }) => {
    const found = await getProgramOrFail(target().store, programId);
    emit(options.json, found, () => describeProgram(found));
  });

  withJson(
    group
      .command('update')
      .description("Replace a program's settings with a file's. Running cycles keep the program as it was when they started.")
      .requiredOption('-f, --file <file>', 'the program as YAML or JSON (its programId names the program)')
      .option('-p, --program <programId>', 'refuse the file unless it names this program'),
    'tandem program update --file program.yaml --program mentoria-reversa',
  ).action(async (options: { file: string; program?: string; json: boolean }) => {
    const parsed = await readProgramFile(options.file);
    const c = target();
    const result = await updateProgram(c.store, parsed, {
      ...(options.program ? { expectedId: options.program } : {}),
      keepSavedRosterMappings: true,
    });
    const { program: updated, changed, removedMappings } = result;
    // A file's rosterMappings replace the saved ones: each removed or replaced is kept, whole, in the audit log.
    for (const action of programUpdateAudit(result)) await auditCli(c, action);
    const removedNames = removedMappings.map((m) => m.name);
    emit(options.json, { updated: changed.length > 0, changed, removedRosterMappings: removedNames, program: updated }, () =>
      changed.length
        ? `Program ${updated.programId} updated: ${changed.join(', ')}.` +
          (removedNames.length
            ? `\nSaved roster mapping(s) removed or replaced: ${removedNames.join(', ')} (each kept in the audit log as roster.mapping-deleted, with its content: tandem audit list --program ${updated.programId} --json).`
            : '')
        : `Program ${updated.programId} unchanged.`,
    );
  });

  withJson(
    group
      .command('reindex')
      .description(
        'List the programs stored before the console in its program list (they lack its index entry). Safe to repeat: ' +
          'a listed program is left alone. `tandem local up` runs it on its kept data.',
      ),
    'tandem program reindex',
  ).action(async (options: { json: boolean }) => {
    const indexed = await target().store.indexUnlistedPrograms();
    emit(options.json, { indexed }, () =>
      indexed.length ? `Listed ${indexed.length} program(s) stored before the console: ${indexed.join(', ')}.` : 'Every program is listed already.',
    );
  });

  withJson(
    group
      .command('validate')
      .description('Check a program file against the schema without writing anything (no target needed).')
      .requiredOption('-f, --file <file>', 'the program as YAML or JSON'),
    'tandem program validate --file program.yaml',
  ).action(async (options: { file: string; json: boolean }) => {
    const parsed = await readProgramFile(options.file);
    emit(options.json, { valid: true, program: parsed }, () => `${options.file} is a valid program (${parsed.programId}).`);
  });

  group
    .command('schema')
    .description('Print the JSON Schema of a program file, for editors (e.g. `# yaml-language-server: $schema=program.schema.json`).')
    .addHelpText('after', '\nExample:\n  tandem program schema > program.schema.json')
    .action(() => {
      process.stdout.write(
        `${JSON.stringify({ title: 'Tandem program', ...z.toJSONSchema(programSchema, { io: 'input', unrepresentable: 'any' }) }, null, 2)}\n`,
      );
    });
}
