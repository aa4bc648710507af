import { Command } from 'commander';
import { TandemError, ValidationError } from '../domain/errors.ts';
import { MissingPrerequisiteError } from '../local/prerequisites.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerLocalCommands } from './commands/local.ts';
import { EXIT } from './exit-codes.ts';

const program = new Command('tandem')
  .description('Tandem runs reverse-mentoring programs: identify, goal-setting, run, measure, feedback, review.')
  .showHelpAfterError();

// Each command group lives in cli/commands/ and registers itself here.
for (const register of [registerDemoCommand, registerLocalCommands]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof MissingPrerequisiteError) {
    console.error(`tandem: ${error.message}`);
    process.exitCode = EXIT.missingPrerequisite;
  } else if (error instanceof ValidationError) {
    console.error(`tandem: ${error.message}`);
    process.exitCode = EXIT.badInput;
  } else if (error instanceof TandemError) {
    console.error(`tandem: ${error.name}: ${error.message}`);
    process.exitCode = EXIT.failed;
  } else {
    console.error('tandem: unexpected error:', error);
    process.exitCode = EXIT.unexpected;
  }
}
