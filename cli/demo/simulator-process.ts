/**
 * The demo's simulated participants in a process of their own (started by `startSimulatorProcess`).
 * In the demo's process they shared one event loop with everything they talk to (the survey API's
 * handlers, the SES stand-in, the workflow engine): every page they parsed and every form they
 * built delayed the answers they were waiting for. Here they only click links, over HTTP, as people do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ParticipantSimulator, type Persona, type SimulatorStats } from './participant-simulator.ts';

const personaSchema = z.enum(['prompt', 'late', 'silent', 'decliner', 'not-joining']);

/** What the demo tells the simulator process: where the inbox is, who behaves how, and how many answer at a time. */
const startMessageSchema = z.object({
  type: z.literal('start'),
  sesEndpoint: z.url(),
  personas: z.array(z.tuple([z.string(), personaSchema])),
  concurrency: z.int().positive(),
  pollMs: z.int().positive(),
});
const stopMessageSchema = z.object({ type: z.literal('stop') });
const messageSchema = z.discriminatedUnion('type', [startMessageSchema, stopMessageSchema]);

type StartMessage = z.infer<typeof startMessageSchema>;
type ChildMessage = { type: 'stats'; stats: SimulatorStats } | { type: 'failed'; error: string };

export interface SimulatorProcess {
  /** Stops the people answering and returns what they did. */
  stop: () => Promise<SimulatorStats>;
}

/**
 * Starts the participant simulator in a child process (node with tsx, as the CLI runs), each person
 * playing the persona given for their email; people not listed never answer.
 */
export function startSimulatorProcess(options: Omit<StartMessage, 'type' | 'personas'> & { personas: Map<string, Persona> }): SimulatorProcess {
  // tsx resolved from here, not from the working directory: the demo may run in a folder without node_modules.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ended = new Promise<SimulatorStats>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'stats') resolve(message.stats);
      else reject(new Error(`the participant simulator failed: ${message.error}`));
    });
    child.on('exit', (code) => reject(new Error(`the participant simulator exited with code ${code} before reporting`)));
  });
  // Whoever stops it gets the failure; until then an early failure must not be an unhandled rejection.
  ended.catch(() => undefined);
  const start: StartMessage = { type: 'start', ...options, personas: [...options.personas] };
  child.send(start);
  let stopping: Promise<SimulatorStats> | undefined;
  return {
    stop: () => {
      stopping ??= (async () => {
        if (child.connected) child.send({ type: 'stop' });
        try {
          return await ended;
        } finally {
          // A child that exited has no channel left: disconnecting it would hide why it ended.
          if (child.connected) child.disconnect();
        }
      })();
      return stopping;
    },
  };
}

/** The child's side: waits for `start`, plays the people until `stop`, then reports and exits. */
function runAsChild() {
  let simulator: ParticipantSimulator | undefined;
  const fail = (error: unknown) => {
    process.send?.({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies ChildMessage, () =>
      process.exit(1),
    );
  };
  process.on('message', (raw: unknown) => {
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) return fail(new TypeError(`bad message to the simulator: ${z.prettifyError(parsed.error)}`));
    const message = parsed.data;
    if (message.type === 'start') {
      const personas = new Map(message.personas);
      simulator = new ParticipantSimulator(message.sesEndpoint, (email) => personas.get(email) ?? 'silent', message.concurrency);
      simulator.start(message.pollMs);
      return;
    }
    void (simulator?.stop() ?? Promise.resolve()).then(
      () => process.send?.({ type: 'stats', stats: simulator?.stats ?? emptyStats() } satisfies ChildMessage, () => process.exit(0)),
      fail,
    );
  });
  // The demo ended without stopping us (it crashed): do not outlive it.
  process.on('disconnect', () => process.exit(0));
}

function emptyStats(): SimulatorStats {
  return { emailsSeen: 0, linksOpened: 0, answersRecorded: 0, declined: 0, joined: 0, votes: 0, meetingsLogged: 0, rejected: 0, unanswered: 0 };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) runAsChild();
