import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { ParticipantSimulator, personaForIndex } from './participant-simulator.ts';

export interface DemoOptions {
  participants: number;
  json: boolean;
  keepRunning: boolean;
  log: (line: string) => void;
}

export interface DemoSummary {
  cycleId: string;
  status: string;
  executionArn: string;
  participants: number;
  pairs: number;
  emailsSent: number;
  responses: Record<string, number>;
  reportPath: string | null;
  failure?: { error: string; cause: string };
  seconds: number;
  endpoints: LocalStack['endpoints'];
}

const examples = resolve(import.meta.dirname, '../../examples');
const readJson = (name: string) => JSON.parse(readFileSync(resolve(examples, name), 'utf8')) as Record<string, unknown>;

/** The sample program with phase windows shortened to seconds (longer for large rosters, so invitations go out before deadlines). */
export function demoProgram(participants: number, generated: boolean): Program {
  const base = readJson('program.json');
  const fast = readJson('program.demo.json') as { phaseWindows: Record<string, string> };
  const stretch = Math.ceil(participants / 60);
  const windows = Object.fromEntries(Object.entries(fast.phaseWindows).map(([k, v]) => [k, `PT${Number(/PT(\d+)S/.exec(v)?.[1] ?? 8) + stretch}S`]));
  return programSchema.parse({
    ...base,
    ...fast,
    phaseWindows: windows,
    ...(generated
      ? {
          skillsCatalog: SAMPLE_SKILLS,
          programId: `demo-${participants}`,
          matching: {
            ...(base.matching as object),
            favouredDepartmentPairs: [
              ['Sales', 'Marketing'],
              ['Customer Relations', 'Product Marketing'],
            ],
          },
        }
      : {}),
  });
}

/** Runs a whole program cycle on the local stack, with simulated participants, and reports how it ended. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const log = options.log;
  log('Starting the local stack (DynamoDB Local, SES, Step Functions, survey API)…');
  const stack = await startLocalStack({ fallbackToFreePorts: true, stateDir: '.tandem/local' });
  let simulator: ParticipantSimulator | undefined;
  try {
    log(
      `  DynamoDB ${stack.endpoints.dynamodb} · SES inbox ${stack.endpoints.ses} · Step Functions ${stack.endpoints.stepfunctions} · surveys ${stack.endpoints.survey}`,
    );
    const { store, clock } = container();
    const useSample = options.participants === 24;
    const program = demoProgram(options.participants, !useSample);
    await store.putProgram(program);
    if (useSample) {
      const result = await importRoster(store, { programId: program.programId, text: readFileSync(resolve(examples, 'roster.csv'), 'utf8'), format: 'csv' });
      log(`Program "${program.name}" with the sample roster: ${result.rows} people (${result.written} written, ${result.unchanged} unchanged).`);
    } else {
      const roster = generateRoster({ size: options.participants, seed: 42, skills: SAMPLE_SKILLS });
      await store.putParticipants(program.programId, roster);
      log(`Program "${program.name}" with a generated roster of ${roster.length} people.`);
    }
    const roster = await store.listParticipants(program.programId);
    const personaByEmail = new Map(roster.sort((a, b) => a.participantId.localeCompare(b.participantId)).map((p, i) => [p.email, personaForIndex(i)]));
    simulator = new ParticipantSimulator(stack.endpoints.ses, (email) => personaByEmail.get(email) ?? 'silent');
    simulator.start();

    const sfn = new SFNClient({});
    const workflow = new StepFunctionsWorkflow(stack.stateMachineArn, sfn);
    const cycle = await startCycle({ store, workflow, clock }, { programId: program.programId });
    log(`Cycle ${cycle.cycleId} started: execution ${cycle.executionArn}`);

    let lastPhase = '';
    let description;
    for (;;) {
      description = await sfn.send(new DescribeExecutionCommand({ executionArn: cycle.executionArn }));
      const current = await store.getCycle(cycle.cycleId);
      if (current && current.currentPhase !== lastPhase) {
        lastPhase = current.currentPhase;
        log(`  phase ${lastPhase} (participants ${current.participants}, pairs ${current.pairs}, emails sent ${current.emailsSent})`);
      }
      if (description.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await simulator.stop();
    const final = await store.getCycle(cycle.cycleId);
    const summary: DemoSummary = {
      cycleId: cycle.cycleId,
      status: description.status ?? 'UNKNOWN',
      executionArn: cycle.executionArn as string,
      participants: final?.participants ?? 0,
      pairs: final?.pairs ?? 0,
      emailsSent: final?.emailsSent ?? 0,
      responses: final?.responses ?? {},
      reportPath: final?.reportPath ?? null,
      ...(final?.failure ? { failure: final.failure } : {}),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      endpoints: stack.endpoints,
    };
    log(
      `Cycle ${summary.cycleId} ended ${summary.status} in ${summary.seconds} s: ${summary.participants} participants, ${summary.pairs} pairs, ${summary.emailsSent} emails sent.`,
    );
    log(
      `  answers: ${
        Object.entries(summary.responses)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
    if (summary.failure) log(`  failure: ${summary.failure.error}: ${summary.failure.cause}`);
    if (summary.reportPath) log(`Review report: ${summary.reportPath}`);
    if (options.keepRunning) {
      log(`The stack stays up (Ctrl-C to stop). Inbox: ${stack.endpoints.ses}/`);
      log(`Console: ${stack.endpoints.console} — sign in as:`);
      for (const user of stack.consoleUsers) log(`  ${user.email} (${user.groups.join(', ')}) password ${user.password}`);
      log('Use the stack from another shell with:');
      for (const [k, v] of Object.entries(stack.env)) if (!k.startsWith('TANDEM_LINK_SIGNING')) log(`  export ${k}=${v}`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return summary;
  } finally {
    await simulator?.stop();
    await stack.stop();
  }
}
