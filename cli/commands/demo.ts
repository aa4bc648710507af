import { InvalidArgumentError, type Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

const rosterSize = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 20000) throw new InvalidArgumentError('must be a whole number from 2 to 20000');
  return n;
};

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run a whole program cycle on the local stack with simulated participants (what `npm start` runs).')
    .option('--participants <n>', 'roster size (24 uses the sample roster; other sizes are generated)', rosterSize, 24)
    .option('--json', 'print a JSON summary as the last line', false)
    .option(
      '--keep-running',
      'leave the local stack up after the cycle, to explore, until Ctrl-C (tandem commands in other shells find it as they find `tandem local up`)',
      false,
    )
    .addHelpText('after', '\nExample:\n  npm start -- --participants 100 --json')
    .action(async (options: { participants: number; json: boolean; keepRunning: boolean }) => {
      const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
      const { runDemo } = await import('../demo/run-demo.ts');
      await runDemo({
        ...options,
        log,
        // With --keep-running the stack stays up after this: the result is printed when the cycle ends, not at Ctrl-C.
        onEnded: (summary) => {
          if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          process.exitCode = summary.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
        },
      });
    });
}
