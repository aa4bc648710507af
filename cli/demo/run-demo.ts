import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { generateRoster, SAMPLE_SKILLS } from '../../domain/roster-generator.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { approvePairs } from '../../services/phases/approval/review.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { EXIT, InterruptedError } from '../exit-codes.ts';
import { publishLocalStack } from '../support/local-env-file.ts';
import { LOCAL_ENV_FILE } from '../support/target.ts';
import { enrollmentPersonaForIndex, personaForIndex, type SimulatorStats } from './participant-simulator.ts';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.ts';
import { runSessionDemo, type DemoSessionSummary } from './session-demo.ts';

export interface DemoOptions {
  participants: number;
  json: boolean;
  keepRunning: boolean;
  log: (line: string) => void;
  /** Called once the cycle has ended, before `keepRunning` waits for Ctrl-C: the result is known then. */
  onEnded?: (summary: DemoSummary) => void;
}

export interface DemoSummary {
  cycleId: string;
  status: string;
  executionArn: string;
  /** Enrollment's funnel: people invited and people who joined (both 0 for a program without enrollment). */
  invited: number;
  joined: number;
  participants: number;
  pairs: number;
  emailsSent: number;
  responses: Record<string, number>;
  reportPath: string | null;
  failure?: { error: string; cause: string };
  /** What the simulated people did: emails read, links opened, answers recorded or refused. */
  simulated: SimulatorStats;
  /** The informational session the demo scheduled, and how people answered it. */
  session?: DemoSessionSummary;
  seconds: number;
  /** The execution's size against Step Functions' limits (25,000 history events, 256 KiB per state input or output). */
  history: ExecutionHistoryFigures;
  endpoints: LocalStack['endpoints'];
}

export interface ExecutionHistoryFigures {
  events: number;
  /** The largest input or output of any state or task, in UTF-8 bytes, and the state it went into or came out of. */
  largestPayloadBytes: number;
  largestPayloadState: string;
  /** Payloads over 256 KiB (recorded cut short, as AWS marks them): on AWS the execution would fail. */
  truncatedPayloads: number;
}

/** Reads the execution's whole history (every page) and measures it. */
export async function executionHistoryFigures(sfn: SFNClient, executionArn: string): Promise<ExecutionHistoryFigures> {
  const figures: ExecutionHistoryFigures = { events: 0, largestPayloadBytes: 0, largestPayloadState: '', truncatedPayloads: 0 };
  const stateOf = new Map<number, string>();
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, includeExecutionData: true }));
    for (const event of page.events ?? []) {
      figures.events++;
      const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? stateOf.get(event.previousEventId ?? -1) ?? event.type ?? '';
      if (event.id !== undefined) stateOf.set(event.id, state);
      for (const { text, truncated } of payloadsOf(event)) {
        const bytes = Buffer.byteLength(text, 'utf8');
        if (truncated) figures.truncatedPayloads++;
        if (bytes > figures.largestPayloadBytes) Object.assign(figures, { largestPayloadBytes: bytes, largestPayloadState: state });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return figures;
}

function payloadsOf(event: HistoryEvent): Array<{ text: string; truncated: boolean }> {
  const details = [
    event.executionStartedEventDetails,
    event.executionSucceededEventDetails,
    event.stateEnteredEventDetails,
    event.stateExitedEventDetails,
    event.lambdaFunctionScheduledEventDetails,
    event.lambdaFunctionSucceededEventDetails,
    event.taskScheduledEventDetails,
    event.taskSucceededEventDetails,
  ];
  return details.flatMap((d) => {
    const found: Array<{ text: string; truncated: boolean }> = [];
    if (d && 'input' in d && typeof d.input === 'string') found.push({ text: d.input, truncated: d.inputDetails?.truncated === true });
    if (d && 'output' in d && typeof d.output === 'string') found.push({ text: d.output, truncated: d.outputDetails?.truncated === true });
    return found;
  });
}

const examples = resolve(import.meta.dirname, '../../examples');
const readJson = (name: string) => JSON.parse(readFileSync(resolve(examples, name), 'utf8')) as Record<string, unknown>;

/**
 * Answers (a page and a post each) the local stack takes per second while it also sends, on this
 * project's 2-core machines shared with other work: each window gets one second more per this many
 * people, so that the simulated cohort has the time to answer (docs/benchmarks.md gives the wall time).
 */
export const DEMO_ANSWERS_PER_SECOND = 25;

/**
 * The sample program with phase windows shortened to seconds, and longer for large rosters so that
 * invitations go out and people answer before deadlines. The check-in cadence and the reminders
 * stretch with the windows, so a cohort of 10,000 gets as many check-in rounds as one of 24 (each
 * round writes to everyone) and the people who answer only when reminded have as large a share of
 * the window to do it.
 */
export function demoProgram(participants: number, generated: boolean): Program {
  const base = readJson('program.json');
  const fast = readJson('program.demo.json') as { phaseWindows: Record<string, string>; checkInCadence: string; reminders: { beforeDeadline: string[] } };
  const stretch = Math.ceil(participants / DEMO_ANSWERS_PER_SECOND);
  const seconds = (duration: string) => Number(/PT(\d+)S/.exec(duration)?.[1] ?? 8);
  const windows = Object.fromEntries(Object.entries(fast.phaseWindows).map(([k, v]) => [k, `PT${seconds(v) + stretch}S`]));
  const run = seconds(fast.phaseWindows.run as string);
  // As many rounds as the sample's run holds (rounds fall strictly before the deadline), spread evenly over
  // the stretched run, so the last round leaves people a full cadence to answer instead of the window's tail.
  const rounds = Math.ceil(run / seconds(fast.checkInCadence)) - 1;
  const cadence = Math.ceil((run + stretch) / (rounds + 1));
  // Reminders are set against the demo's shortest answered windows (8 s): they keep their place in the window.
  const shortest = Math.min(
    ...Object.values(fast.phaseWindows)
      .map(seconds)
      .filter((s) => s !== run),
  );
  const reminders = fast.reminders.beforeDeadline.map((before) => `PT${Math.floor((seconds(before) * (shortest + stretch)) / shortest)}S`);
  return programSchema.parse({
    ...base,
    ...fast,
    phaseWindows: windows,
    checkInCadence: `PT${cadence}S`,
    reminders: { ...fast.reminders, beforeDeadline: reminders },
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

/** The informational session part of the demo (cli/demo/session-demo.ts), once the cycle has its members. */
async function demoSession(cycleId: string, sesEndpoint: string, log: (line: string) => void): Promise<DemoSessionSummary | undefined> {
  try {
    const s = await runSessionDemo(container(), sesEndpoint, cycleId);
    log(
      `  informational session ${s.sessionId}: announced to ${s.announced}, ${s.registered} registered, ${s.waitlisted} waiting, ${s.declined} declined, moved (${s.toldOfMove} told), ${s.attended} attended`,
    );
    return s;
  } catch (error) {
    log(`  informational session failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return undefined;
  }
}

/**
 * Clicks in flight at once. The survey API answers them in parallel (DynamoDB Local serves
 * several requests at a time), so a cohort of 10,000 is answered within the phase windows.
 */
const SIMULATOR_CONCURRENCY = 32;
/** How often a long phase logs its progress. */
const PROGRESS_EVERY_MS = 15_000;

/** Runs a whole program cycle on the local stack, with simulated participants, and reports how it ended. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const log = options.log;
  // Ctrl-C ends the demo with a word on what it leaves behind, instead of Node's silent exit; a second one exits at once.
  const seen: DemoProgress = {};
  let interrupt: (() => void) | undefined;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  let wasInterrupted = false;
  const onSigint = () => {
    if (wasInterrupted) process.exit(EXIT.interrupted);
    wasInterrupted = true;
    interrupt?.();
  };
  process.on('SIGINT', onSigint);
  const checkInterrupted = (cause?: unknown) => {
    if (wasInterrupted) throw interruptedDemo(seen, cause);
  };
  let stack: LocalStack | undefined;
  let simulator: SimulatorProcess | undefined;
  try {
    log('Starting the local stack (DynamoDB Local, SES, Step Functions, survey API)…');
    stack = await startLocalStack({ fallbackToFreePorts: true, stateDir: '.tandem/local' });
    checkInterrupted();
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
    // With enrollment, some people also decline the invitation (the others answer as in every phase).
    const personaOf = program.phaseWindows.enrollment ? enrollmentPersonaForIndex : personaForIndex;
    const personaByEmail = new Map(roster.sort((a, b) => a.participantId.localeCompare(b.participantId)).map((p, i) => [p.email, personaOf(i)]));
    simulator = startSimulatorProcess({ sesEndpoint: stack.endpoints.ses, personas: personaByEmail, concurrency: SIMULATOR_CONCURRENCY, pollMs: 250 });

    const sfn = new SFNClient({});
    const workflow = new StepFunctionsWorkflow(stack.stateMachineArn, sfn);
    checkInterrupted();
    const cycle = await startCycle({ store, workflow, clock }, { programId: program.programId });
    seen.cycleId = cycle.cycleId;
    seen.phase = cycle.currentPhase;
    log(`Cycle ${cycle.cycleId} started: execution ${cycle.executionArn}`);

    let lastPhase = '';
    let lastProgress = Date.now();
    let description;
    let session: DemoSessionSummary | undefined;
    let sessionTried = false;
    for (;;) {
      let current;
      try {
        description = await sfn.send(new DescribeExecutionCommand({ executionArn: cycle.executionArn }));
        current = await store.getCycle(cycle.cycleId);
      } catch (error) {
        // Ctrl-C in a terminal also stops DynamoDB Local and the simulator: what fails then is the interruption.
        checkInterrupted(error);
        throw error;
      }
      checkInterrupted();
      seen.executionStatus = description.status;
      if (current) Object.assign(seen, { phase: current.currentPhase, cycleStatus: current.status });
      if (current && current.currentPhase !== lastPhase) {
        lastPhase = current.currentPhase;
        lastProgress = Date.now();
        log(`  phase ${lastPhase} (participants ${current.participants}, pairs ${current.pairs}, emails sent ${current.emailsSent})`);
      } else if (current && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        // A large cohort stays minutes in a phase: say how far it got, to follow the run.
        lastProgress = Date.now();
        const answers = Object.entries(current.responses ?? {}).map(([k, v]) => `${k} ${v}`);
        log(`    … ${Math.round((lastProgress - started) / 1000)} s: emails sent ${current.emailsSent}; answers ${answers.join(', ') || 'none'}`);
      }
      if (current?.approval?.status === 'pending') {
        // The demo's HR approves the proposed pairs through the very use case `tandem pairs approve` and the console call.
        const hr = program.hrContacts[0] as string;
        await approvePairs({ store, clock }, cycle.cycleId, { actor: hr, via: 'cli' });
        log(`  pairs approved by ${hr} (the demo's HR; \`tandem pairs approve\` does the same)`);
      }
      // Once identify has stored the cohort, and while the cycle runs: the session's audience are its members.
      if (current && current.participants > 0 && current.status === 'running' && !sessionTried) {
        sessionTried = true;
        session = await demoSession(cycle.cycleId, stack.endpoints.ses, log);
      }
      if (description.status !== 'RUNNING') break;
      await Promise.race([new Promise((r) => setTimeout(r, 500)), interrupted]);
      checkInterrupted();
    }
    const simulated = await simulator.stop();
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const history = await executionHistoryFigures(sfn, cycle.executionArn as string);
    const final = await store.getCycle(cycle.cycleId);
    const summary: DemoSummary = {
      cycleId: cycle.cycleId,
      status: description.status ?? 'UNKNOWN',
      executionArn: cycle.executionArn as string,
      invited: final?.phases.enrollment?.expected ?? 0,
      joined: final?.enrollmentJoined ?? 0,
      participants: final?.participants ?? 0,
      pairs: final?.pairs ?? 0,
      emailsSent: final?.emailsSent ?? 0,
      responses: final?.responses ?? {},
      reportPath: final?.reportPath ?? null,
      ...(final?.failure ? { failure: final.failure } : {}),
      simulated,
      ...(session ? { session } : {}),
      seconds,
      history,
      endpoints: stack.endpoints,
    };
    log(
      `Cycle ${summary.cycleId} ended ${summary.status} in ${summary.seconds} s: ${summary.participants} participants, ${summary.pairs} pairs, ${summary.emailsSent} emails sent.`,
    );
    log(
      `  execution history: ${history.events} events; largest state input or output ${history.largestPayloadBytes} bytes (${history.largestPayloadState})` +
        (history.truncatedPayloads ? `; ${history.truncatedPayloads} over 256 KiB` : ''),
    );
    if (final?.phases.enrollment) log(`  enrollment: ${summary.invited} invited, ${summary.joined} joined, ${final.enrollmentDeclined ?? 0} declined`);
    log(
      `  answers: ${
        Object.entries(summary.responses)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
    log(`  pairs' meetings logged on pair pages (after each introduction): ${simulated.meetingsLogged}`);
    if (simulated.unanswered) log(`  clicks the simulated people gave up on (the connection failed twice): ${simulated.unanswered}`);
    if (summary.failure) log(`  failure: ${summary.failure.error}: ${summary.failure.cause}`);
    if (summary.reportPath) log(`Review report: ${summary.reportPath}`);
    // The cycle has ended and its result is out: from here Ctrl-C stops the stack kept running, it interrupts nothing.
    process.off('SIGINT', onSigint);
    options.onEnded?.(summary);
    if (options.keepRunning) {
      const published = publishLocalStack(stack);
      try {
        log(`The stack stays up (Ctrl-C to stop). Inbox: ${stack.endpoints.ses}/`);
        log(`Console: ${stack.endpoints.console} — sign in as:`);
        for (const user of stack.consoleUsers) log(`  ${user.email} (${user.groups.join(', ')}) password ${user.password}`);
        if (published.ownsEnvFile)
          log(
            `tandem commands in other shells here use it as they do \`tandem local up\`, through ${LOCAL_ENV_FILE} (when TANDEM_TABLE_NAME is unset). Or set:`,
          );
        else log(`${LOCAL_ENV_FILE} belongs to another local stack (process ${published.otherOwner}): use this one from another shell with:`);
        for (const line of published.exportLines) log(`  ${line}`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
      } finally {
        published.release();
      }
    }
    return summary;
  } catch (error) {
    checkInterrupted(error);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    // Already stopped on the way to the summary; on a failure, the failure is what the caller must see.
    await simulator?.stop().catch(() => undefined);
    await stack?.stop();
  }
}

/** What the demo last saw of its cycle, to say where Ctrl-C left it. */
interface DemoProgress {
  cycleId?: string;
  phase?: string;
  cycleStatus?: string;
  executionStatus?: string;
}

function interruptedDemo(seen: DemoProgress, cause: unknown): InterruptedError {
  const where = seen.cycleId
    ? `cycle ${seen.cycleId} was ${seen.cycleStatus ?? 'running'} in phase ${seen.phase ?? 'unknown'} (execution ${seen.executionStatus ?? 'RUNNING'}), and ended with the local stack`
    : 'no cycle had started yet';
  return new InterruptedError(
    `demo interrupted (Ctrl-C): ${where}. The demo's stack keeps nothing (its table and executions are in memory): \`npm start\` starts afresh.`,
    { cause },
  );
}
