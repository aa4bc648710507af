import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { PORT_OPTIONS } from '../../local/ports.ts';
import { publishLocalStack } from '../support/local-env-file.ts';
import { LOCAL_ENV_FILE } from '../support/target.ts';

const DEFAULT_STATE_DIR = '.tandem/local';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
};

export function registerLocalCommands(program: Command): void {
  const local = program.command('local').description('The local stack on 127.0.0.1.');
  local
    .command('up')
    .description(
      'Start DynamoDB Local (8000), SES (8005), the Step Functions endpoint (8083), the survey API (3000) and the OpenID Connect provider (3009) until Ctrl-C.',
    )
    .option(`${PORT_OPTIONS.dynamodb} <port>`, 'DynamoDB Local port', port, 8000)
    .option(`${PORT_OPTIONS.ses} <port>`, 'aws-ses-v2-local port', port, 8005)
    .option(`${PORT_OPTIONS.stepfunctions} <port>`, 'Step Functions endpoint port', port, 8083)
    .option(`${PORT_OPTIONS.survey} <port>`, 'survey API port', port, 3000)
    .option(`${PORT_OPTIONS.oidc} <port>`, "the console's OpenID Connect provider port", port, 3009)
    .option('--state-dir <dir>', 'where the table, the running executions, the link key and the reports are kept', DEFAULT_STATE_DIR)
    .option('--ses-endpoint <url>', 'send through an SES v2 stand-in already running instead of starting aws-ses-v2-local (its inbox outlives the stack)')
    .option('--in-memory', 'keep the table and the executions in memory only: a throwaway run, forgotten when it stops', false)
    .option('--json', 'print the endpoints and variables as one JSON line once the stack is up (for scripts)', false)
    .addHelpText(
      'after',
      `\nExample:\n  npx tandem local up --survey-port 3100\n\nWhile it runs, ${LOCAL_ENV_FILE} holds the variables: tandem commands in other shells use it when TANDEM_TABLE_NAME is unset (or with --local).`,
    )
    .action(
      async (options: {
        dynamodbPort: number;
        sesPort: number;
        stepfunctionsPort: number;
        surveyPort: number;
        oidcPort: number;
        stateDir: string;
        inMemory: boolean;
        sesEndpoint?: string;
        json: boolean;
      }) => {
        // Imported when used: the local stack's modules are heavy, and other commands should start fast.
        const { startLocalStack } = await import('../../local/stack.ts');
        const stack = await startLocalStack({
          ports: {
            dynamodb: options.dynamodbPort,
            ses: options.sesPort,
            stepfunctions: options.stepfunctionsPort,
            survey: options.surveyPort,
            oidc: options.oidcPort,
          },
          stateDir: options.stateDir,
          ...(options.sesEndpoint ? { sesEndpoint: options.sesEndpoint } : {}),
          persist: !options.inMemory,
        });
        const published = publishLocalStack(stack);
        const { envFile, ownsEnvFile, otherOwner, shared } = published;
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ endpoints: stack.endpoints, opsPage: `${stack.endpoints.survey}/ops`, env: shared, envFile: ownsEnvFile ? envFile : null, stateDir: resolve(options.stateDir), persisted: !options.inMemory, resumedExecutions: stack.resumedExecutions, reindexedPrograms: stack.reindexedPrograms })}\n`,
          );
        } else {
          console.log(
            `Tandem local stack is up (${options.inMemory ? 'in memory: nothing is kept when it stops' : `data kept in ${resolve(options.stateDir)}`}):`,
          );
          if (stack.resumedExecutions.length > 0) console.log(`  resumed ${stack.resumedExecutions.length} running execution(s) where they stopped`);
          if (stack.reindexedPrograms.length > 0)
            console.log(`  listed ${stack.reindexedPrograms.length} program(s) stored before the console: ${stack.reindexedPrograms.join(', ')}`);
          for (const [name, url] of Object.entries(stack.endpoints)) console.log(`  ${name.padEnd(14)} ${url}`);
          console.log(`  inbox          ${stack.endpoints.ses}/`);
          console.log(`  ops page       ${stack.endpoints.survey}/ops`);
          console.log(`  console        ${stack.endpoints.console}`);
          for (const user of stack.consoleUsers) console.log(`    sign in as ${user.email} (${user.groups.join(', ')}), password ${user.password}`);
          console.log('\nTo use it from another shell:');
          for (const line of published.exportLines) console.log(`  ${line}`);
          if (ownsEnvFile) console.log(`\nOr nothing: while the stack runs, tandem reads ${LOCAL_ENV_FILE} when TANDEM_TABLE_NAME is unset (or with --local).`);
          else
            console.log(
              `\n${LOCAL_ENV_FILE} belongs to another local stack (process ${otherOwner}), which tandem commands here keep using: use the variables above for this one.`,
            );
          console.log('\nCtrl-C stops it.');
        }
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        published.release();
        await stack.stop();
      },
    );
}
