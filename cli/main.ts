import { Command, InvalidArgumentError } from 'commander';
import { TandemError, ValidationError } from '../domain/errors.ts';
import { MissingPrerequisiteError } from '../local/prerequisites.ts';
import { runDemo } from './demo/run-demo.ts';
import { startLocalStack } from '../local/stack.ts';

/** Exit codes: 0 done, 1 the job ran and failed (a cycle did not succeed), 2 bad input, 3 a prerequisite is missing, 4 an unexpected error. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, missingPrerequisite: 3, unexpected: 4 } as const;

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 20000) throw new InvalidArgumentError('must be a whole number from 2 to 20000');
  return n;
};
const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
};

const program = new Command('tandem')
  .description('Tandem runs reverse-mentoring programs: identify, goal-setting, run, measure, feedback, review.')
  .showHelpAfterError();

program
  .command('demo')
  .description('Run a whole program cycle on the local stack with simulated participants (what `npm start` runs).')
  .option('--participants <n>', 'roster size (24 uses the sample roster; other sizes are generated)', positiveInt, 24)
  .option('--json', 'print a JSON summary as the last line', false)
  .option('--keep-running', 'leave the local stack up after the cycle, to explore', false)
  .addHelpText('after', '\nExample:\n  npm start -- --participants 100 --json')
  .action(async (options: { participants: number; json: boolean; keepRunning: boolean }) => {
    const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
    const summary = await runDemo({ ...options, log });
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = summary.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
  });

const local = program.command('local').description('The local stack on 127.0.0.1.');
local
  .command('up')
  .description('Start DynamoDB Local (8000), SES (8005), the Step Functions endpoint (8083) and the survey API (3000) until Ctrl-C.')
  .option('--dynamodb-port <port>', 'DynamoDB Local port', port, 8000)
  .option('--ses-port <port>', 'aws-ses-v2-local port', port, 8005)
  .option('--stepfunctions-port <port>', 'Step Functions endpoint port', port, 8083)
  .option('--survey-port <port>', 'survey API port', port, 3000)
  .option('--persist', 'keep DynamoDB data in .tandem/local/dynamodb between runs', false)
  .addHelpText('after', '\nExample:\n  npx tandem local up --survey-port 3100')
  .action(async (options: { dynamodbPort: number; sesPort: number; stepfunctionsPort: number; surveyPort: number; persist: boolean }) => {
    const stack = await startLocalStack({
      ports: { dynamodb: options.dynamodbPort, ses: options.sesPort, stepfunctions: options.stepfunctionsPort, survey: options.surveyPort },
      persist: options.persist,
    });
    console.log('Tandem local stack is up:');
    for (const [name, url] of Object.entries(stack.endpoints)) console.log(`  ${name.padEnd(14)} ${url}`);
    console.log(`  inbox          ${stack.endpoints.ses}/`);
    console.log('\nTo use it from another shell:');
    for (const [k, v] of Object.entries(stack.env)) if (!k.startsWith('TANDEM_LINK_SIGNING')) console.log(`  export ${k}=${v}`);
    console.log('\nCtrl-C stops it.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await stack.stop();
  });

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
