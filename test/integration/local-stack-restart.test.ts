import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../adapters/dynamodb/dynamodb-store.ts';
import { createDocumentClient } from '../../adapters/dynamodb/table-client.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import { ParticipantSimulator } from '../../cli/demo/participant-simulator.ts';
import { freePort, isPortFree } from '../../local/ports.ts';
import { capturedEmails, startSesLocal, type SesLocal } from '../../local/ses-local.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { systemClock } from '../../services/ports.ts';
import { testProgram, testRosterCsv, uniqueTag } from '../support/fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = resolve(root, 'cli/bin/tandem.js');
/** The fan-out is killed when this SendEmail call arrives: the calls before it went through, it and the later ones never reach SES. */
const KILL_AT_SEND = 7;
const CLAIM_TIMEOUT_SECONDS = 3;

interface StackProcess {
  child: ChildProcess;
  env: Record<string, string>;
  resumedExecutions: string[];
}

/**
 * SES, as the stack's handlers reach it, through a proxy that can hold every SendEmail call from
 * some point on: the fan-out then waits mid-way, as it would on a slow SES, for the kill.
 */
class HoldingSesProxy {
  sends = 0;
  private holdFrom = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  private readonly held: ServerResponse[] = [];
  private heldReached: (() => void) | undefined;
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  /** Resolves once the `send`-th SendEmail call has arrived and every earlier one has been answered. */
  holdFromSend(send: number): Promise<void> {
    this.holdFrom = send;
    return new Promise((resolveHeld) => (this.heldReached = resolveHeld));
  }

  /** Drops the held calls (their sender is dead) and lets every later call through. */
  release(): number {
    this.holdFrom = Number.POSITIVE_INFINITY;
    const dropped = this.held.splice(0);
    for (const response of dropped) response.destroy();
    return dropped.length;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const isSend = request.method === 'POST' && (request.url ?? '').startsWith('/v2/email/outbound-emails');
    if (isSend && ++this.sends >= this.holdFrom) {
      this.held.push(response);
      this.checkHeld();
      return;
    }
    this.inFlight++;
    const target = new URL(this.target);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
        reply.once('end', () => {
          this.inFlight--;
          this.checkHeld();
        });
      },
    );
    upstream.once('error', () => {
      this.inFlight--;
      response.destroy();
    });
    upstream.end(Buffer.concat(chunks));
  }

  private checkHeld(): void {
    if (this.held.length > 0 && this.inFlight === 0) this.heldReached?.();
  }
}

/** Starts `tandem local up` as its own process and reads the line it prints once the stack is up. */
async function startStack(cwd: string, stateDir: string, ports: Record<'dynamodb' | 'stepfunctions' | 'survey', number>, sesEndpoint: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TANDEM_') && !k.startsWith('AWS_')) env[k] = v;
  const args = [
    bin,
    'local',
    'up',
    '--json',
    '--state-dir',
    stateDir,
    '--ses-endpoint',
    sesEndpoint,
    '--dynamodb-port',
    String(ports.dynamodb),
    '--stepfunctions-port',
    String(ports.stepfunctions),
    '--survey-port',
    String(ports.survey),
  ];
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      ...env,
      TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS: String(CLAIM_TIMEOUT_SECONDS),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  // Resumed steps start at once and may log before the stack prints its line: the line is the one with the endpoints.
  const up = await new Promise<{ env: Record<string, string>; resumedExecutions: string[] }>((resolveLine, reject) => {
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { endpoints?: unknown; env: Record<string, string>; resumedExecutions: string[] };
        if (parsed.endpoints) resolveLine(parsed);
      } catch {
        // Not the stack's line.
      }
    });
    child.once('exit', (code) => reject(new Error(`tandem local up exited (${code}) before it was up:\n${stderr}`)));
  });
  return { child, env: up.env, resumedExecutions: up.resumedExecutions } satisfies StackProcess;
}

function storeOf(stack: StackProcess): DynamoDbStore {
  const client = new DynamoDBClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return new DynamoDbStore(createDocumentClient(client), stack.env.TANDEM_TABLE_NAME as string);
}

function sfnOf(stack: StackProcess): SFNClient {
  return new SFNClient({
    endpoint: stack.env.AWS_ENDPOINT_URL_SFN,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const workDir = mkdtempSync(join(tmpdir(), 'tandem-restart-'));
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the local stack killed in the middle of a fan-out', () => {
  it('resumes the cycle after a restart on the same state dir: it completes, every email sent once, no answer lost', async () => {
    const ses: SesLocal = await startSesLocal({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => ses.stop());
    const proxy = new HoldingSesProxy(ses.endpoint);
    const sesEndpoint = await proxy.start();
    cleanups.push(() => proxy.stop());
    const ports = { dynamodb: await freePort(), stepfunctions: await freePort(), survey: await freePort() };
    const stateDir = join(workDir, 'state');

    const first = await startStack(workDir, stateDir, ports, sesEndpoint);
    cleanups.push(() => void first.child.kill('SIGKILL'));
    const tag = uniqueTag('restart');
    // A long goal-setting window: the invitations held at the kill are sent by a later tick of the same phase.
    const program = testProgram(tag, {
      phaseWindows: { goalSetting: 'PT45S', run: 'PT4S', measure: 'PT6S', feedback: 'PT6S' },
      reminders: { beforeDeadline: [] },
      progressCheckInterval: 'PT2S',
    });
    const firstStore = storeOf(first);
    await firstStore.putProgram(program);
    await importRoster(firstStore, { programId: program.programId, text: testRosterCsv(tag), format: 'csv' });
    const held = proxy.holdFromSend(KILL_AT_SEND);
    const simulator = new ParticipantSimulator(ses.endpoint, () => 'prompt');
    simulator.start(200);
    cleanups.push(() => simulator.stop());
    const cycle = await startCycle(
      { store: firstStore, clock: systemClock, workflow: new StepFunctionsWorkflow(first.env.TANDEM_STATE_MACHINE_ARN as string, sfnOf(first)) },
      { programId: program.programId },
    );
    // Identify writes the members, then their count on the cycle.
    await eventually(async () => ((await firstStore.getCycle(cycle.cycleId))?.participants ?? 0) > 0, 'identify storing the members', 60_000);
    const members = await firstStore.listMembers(cycle.cycleId);
    expect(members.length).toBeGreaterThan(KILL_AT_SEND);

    // The fan-out waits on SES mid-way; the people invited so far answer, then the stack is killed.
    await held;
    await eventually(async () => simulator.stats.answersRecorded >= KILL_AT_SEND - 1, 'the invited people answering', 60_000);
    await simulator.stop();
    const answersPosted = simulator.stats.answersRecorded;
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const droppedAtKill = proxy.release();
    const killedAt = Date.now();
    // DynamoDB Local watches its parent and exits with it; the restart needs its port.
    await eventually(async () => isPortFree(ports.dynamodb), 'DynamoDB Local exiting with its parent', 30_000);

    const second = await startStack(workDir, stateDir, ports, sesEndpoint);
    cleanups.push(async () => {
      second.child.kill('SIGTERM');
      await new Promise((r) => (second.child.exitCode === null ? second.child.once('exit', r) : r(null)));
    });
    const restartedAt = Date.now();
    expect(second.resumedExecutions).toEqual([cycle.executionArn]);
    const sfn = sfnOf(second);
    let status = 'RUNNING';
    await eventually(
      async () => {
        status = (await sfn.send(new DescribeExecutionCommand({ executionArn: cycle.executionArn }))).status ?? 'UNKNOWN';
        return status !== 'RUNNING';
      },
      'the resumed execution ending',
      170_000,
    );
    const endedAt = Date.now();

    expect(status).toBe('SUCCEEDED');
    const store = storeOf(second);
    const stored = await store.getCycle(cycle.cycleId);
    expect(stored?.status).toBe('succeeded');
    const emails = (await capturedEmails(ses.endpoint)).filter((e) => e.destination.to.some((to) => to.endsWith(`@${tag}.example.com`)));
    const invitations = emails.filter((e) => /conheça sua dupla|meet your partner/.test(e.subject)).map((e) => e.destination.to[0]);
    expect(invitations.sort()).toEqual(members.map((m) => m.email).sort());
    // Every message SES accepted was counted once as sent: none went out twice.
    expect(emails).toHaveLength(stored?.emailsSent ?? -1);
    const answers = await store.listResponses(cycle.cycleId, 'goal-setting#');
    expect(answers).toHaveLength(answersPosted);

    console.info(
      JSON.stringify({
        measured: 'SIGKILL in the goal-setting fan-out, restart on the same state dir',
        participants: members.length,
        sendsBeforeKill: KILL_AT_SEND - 1,
        sendsHeldAndDroppedAtKill: droppedAtKill,
        answersPostedBeforeKill: answersPosted,
        answersStoredAtEnd: answers.length,
        emailsAccepted: emails.length,
        emailsSentCounter: stored?.emailsSent,
        mostInvitationsToOneMember: Math.max(...members.map((m) => invitations.filter((to) => to === m.email).length)),
        restartSeconds: (restartedAt - killedAt) / 1000,
        resumeToEndSeconds: (endedAt - restartedAt) / 1000,
      }),
    );
  });
});
