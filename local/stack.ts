import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { container, resetContainer } from '../adapters/container.ts';
import { localSubstitutions, programCycleDefinitionText, PROGRAM_CYCLE_STATE_MACHINE, substituteDefinition } from '../workflows/program-cycle.ts';
import { ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { functionNameOfArn, invokeFunction } from './lambda-runtime.ts';
import { freePort, portProblem, PortInUseError, type LocalService } from './ports.ts';
import { checkPrerequisites } from './prerequisites.ts';
import { startSesLocal, type LocalSesAccount, type LocalSesSendingCounts } from './ses-local.ts';
import { createEmailTemplates } from './ses-templates.ts';
import { startFaultProxy } from './fault-injection.ts';
import { armCrash, crashesSoFar } from './invocation-crashes.ts';
import { LocalStepFunctions, startStepFunctionsServer, type ExecutionStatusChange } from './stepfunctions/index.ts';
import { startSurveyServer } from './survey-server.ts';
import { CONSOLE_CLIENT_ID, startOidcProvider, type DemoUser } from './oidc-provider.ts';

export interface LocalStackOptions {
  host?: string;
  /** Requested ports; 0 picks a free one. A busy requested port falls back to a free one when `fallbackToFreePorts` is set. */
  ports?: Partial<Record<LocalService, number>>;
  fallbackToFreePorts?: boolean;
  /** Where local state lives (link key, reports, and with `persist` the DynamoDB data and the workflow executions). */
  stateDir?: string;
  /** Keep the table (DynamoDB Local's -dbPath) and the executions (resumed at the next start) in `stateDir`. */
  persist?: boolean;
  tableName?: string;
  /** An SES v2 stand-in already running (its inbox then outlives this stack); aws-ses-v2-local is started when absent. */
  sesEndpoint?: string;
  /** How long a local Lambda invocation may run before its context says time is up. */
  functionTimeoutMs?: number;
  /** The SES account the local SES plays (GetAccount's quotas, an enforced send rate); by default a fast, unenforced one. */
  sesAccount?: Partial<LocalSesAccount>;
}

export interface LocalStack {
  env: Record<string, string>;
  /**
   * `ses` is the inbox (aws-ses-v2-local); `sesApi` is what handlers call: a pass-through proxy that tests can tell to throttle
   * (and, at `/__tandem/crashes`, to crash a function's invocation mid fan-out). `dynamodb` is DynamoDB Local; `dynamodbApi`,
   * what handlers call, the same kind of proxy answering DynamoDB's own errors (local/fault-injection.ts).
   */
  endpoints: { dynamodb: string; dynamodbApi: string; ses: string; sesApi: string; stepfunctions: string; survey: string; console: string; oidc: string };
  /** The local OpenID Connect provider's demo users (an HR user and an ops user) with their passwords. */
  consoleUsers: DemoUser[];
  stateMachineArn: string;
  engine: LocalStepFunctions;
  reportDir: string;
  /** The file the link-signing key is kept in (TANDEM_LINK_SIGNING_KEY holds the key itself). */
  linkSigningKeyFile: string;
  /** Sends the local SES accepted and refused for its rate so far. */
  sesSending(): LocalSesSendingCounts;
  /** Executions that were running when the stack last stopped and now go on (with `persist`). */
  resumedExecutions: string[];
  /** Programs in the kept data that were not in the console's program list and now are (with `persist`). */
  reindexedPrograms: string[];
  stop(): Promise<void>;
}

const DEFAULT_PORTS = { dynamodb: 8000, ses: 8005, stepfunctions: 8083, survey: 3000, oidc: 3009 } as const;
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

async function choosePort(wanted: number, host: string, fallback: boolean, service: LocalService): Promise<number> {
  if (wanted === 0) return freePort(host);
  const problem = await portProblem(wanted, host);
  if (!problem) return wanted;
  if (fallback) return freePort(host);
  throw new PortInUseError(service, wanted, host, { cause: problem });
}

const linkSigningKeyFile = (stateDir: string) => resolve(stateDir, 'link-signing-key');

function linkSigningKey(stateDir: string): string {
  const path = linkSigningKeyFile(stateDir);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, key, { mode: 0o600 });
  return key;
}

/**
 * Starts Tandem's embedded stack on one machine: DynamoDB Local, aws-ses-v2-local, the local
 * Step Functions endpoint running workflows/program-cycle.asl.json, and the survey API, all on
 * 127.0.0.1. The handlers run in this process and reach every service through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, exactly as they reach AWS when deployed.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  checkPrerequisites({ java: true });
  const host = options.host ?? '127.0.0.1';
  const stateDir = resolve(options.stateDir ?? '.tandem/local');
  mkdirSync(stateDir, { recursive: true });
  const reportDir = resolve(stateDir, 'reports');
  const fallback = options.fallbackToFreePorts ?? false;
  const wanted = { ...DEFAULT_PORTS, ...options.ports };
  const ports = {
    dynamodb: await choosePort(wanted.dynamodb, host, fallback, 'dynamodb'),
    ses: options.sesEndpoint ? 0 : await choosePort(wanted.ses, host, fallback, 'ses'),
    stepfunctions: await choosePort(wanted.stepfunctions, host, fallback, 'stepfunctions'),
    survey: await choosePort(wanted.survey, host, fallback, 'survey'),
    oidc: await choosePort(wanted.oidc, host, fallback, 'oidc'),
  };
  const tableName = options.tableName ?? 'tandem';
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PROGRAM_CYCLE_STATE_MACHINE}`;
  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: `http://${host}:${ports.dynamodb}`,
    AWS_ENDPOINT_URL_SESV2: `http://${host}:${ports.ses}`,
    AWS_ENDPOINT_URL_SFN: `http://${host}:${ports.stepfunctions}`,
    TANDEM_TABLE_NAME: tableName,
    TANDEM_LINK_BASE_URL: `http://${host}:${ports.survey}`,
    TANDEM_LINK_SIGNING_KEY: linkSigningKey(stateDir),
    TANDEM_REPORT_DIR: reportDir,
    TANDEM_STATE_MACHINE_ARN: stateMachineArn,
    TANDEM_CONSOLE_ISSUER: `http://${host}:${ports.oidc}`,
    TANDEM_CONSOLE_CLIENT_ID: CONSOLE_CLIENT_ID,
    TANDEM_CONSOLE_BASE_URL: `http://${host}:${ports.survey}`,
    TANDEM_CONSOLE_GROUPS_CLAIM: 'groups',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  };
  Object.assign(process.env, env);
  resetContainer();

  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    if (options.persist) mkdirSync(resolve(stateDir, 'dynamodb'), { recursive: true });
    const dynamodb = await startDynamoDbLocal({ port: ports.dynamodb, ...(options.persist ? { dataDir: resolve(stateDir, 'dynamodb') } : {}) });
    stops.push(dynamodb.stop);
    const client = new DynamoDBClient({});
    await ensureTable(client, tableName);
    client.destroy();
    const dynamodbApi = await startFaultProxy({
      host,
      port: 0,
      target: dynamodb.endpoint,
      protocol: { kind: 'aws-json', typePrefix: 'com.amazonaws.dynamodb.v20120810' },
    });
    stops.push(dynamodbApi.close);
    env.AWS_ENDPOINT_URL_DYNAMODB = process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbApi.endpoint;
    resetContainer();

    const ses = options.sesEndpoint
      ? {
          endpoint: options.sesEndpoint.replace(/\/$/, ''),
          sending: (): LocalSesSendingCounts => {
            throw new Error(`the SES stand-in at ${options.sesEndpoint} keeps its own counts: read them with localSesSendingCounts(endpoint)`);
          },
        }
      : await startSesLocal({ host, port: ports.ses, ...(options.sesAccount ? { account: options.sesAccount } : {}) });
    if ('stop' in ses) stops.push(ses.stop);
    await createEmailTemplates(ses.endpoint);
    const sesApi = await startFaultProxy({
      host,
      port: 0,
      target: ses.endpoint,
      controls: {
        '/__tandem/crashes': (body) => {
          if (body === undefined) return { status: 200, body: { crashes: crashesSoFar() } };
          const armed = armCrash(body);
          return armed.ok ? { status: 201, body: armed } : { status: 400, body: { message: armed.message } };
        },
      },
    });
    stops.push(sesApi.close);
    env.AWS_ENDPOINT_URL_SESV2 = process.env.AWS_ENDPOINT_URL_SESV2 = sesApi.endpoint;
    resetContainer();
    // Kept data may come from before the console's program list: list those programs (a no-op once done).
    const reindexedPrograms = options.persist ? await container().store.indexUnlistedPrograms() : [];

    const timeoutMs = options.functionTimeoutMs ?? 300_000;
    const engine = new LocalStepFunctions({
      region: REGION,
      accountId: ACCOUNT,
      invokeTask: (functionArn, input) => invokeFunction(functionNameOfArn(functionArn), input, timeoutMs),
      ...(options.persist ? { journalDirectory: resolve(stateDir, 'stepfunctions') } : {}),
      onStatusChange: (change) => {
        if (!stopping && change.stateMachineArn === stateMachineArn && followsCycleStatus(change)) deliverStatusChange(change, timeoutMs);
      },
    });
    engine.register({
      name: PROGRAM_CYCLE_STATE_MACHINE,
      definition: substituteDefinition(programCycleDefinitionText(), localSubstitutions(REGION, ACCOUNT)),
    });
    stops.push(() => engine.close());
    const sfn = await startStepFunctionsServer(engine, { host, port: ports.stepfunctions });
    stops.push(sfn.close);

    const oidc = await startOidcProvider({ host, port: ports.oidc, stateDir, consoleBaseUrl: `http://${host}:${ports.survey}` });
    stops.push(oidc.close);

    const survey = await startSurveyServer({ host, port: ports.survey });
    stops.push(survey.close);

    // Last: a resumed step may call every service above.
    const resumedExecutions = engine.resumeSavedExecutions((folder, reason) =>
      console.error(`local Step Functions: cannot resume the execution in ${folder}: ${reason}`),
    );

    return {
      env,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        dynamodbApi: dynamodbApi.endpoint,
        ses: ses.endpoint,
        sesApi: sesApi.endpoint,
        stepfunctions: sfn.url,
        survey: survey.url,
        console: `${survey.url}/console`,
        oidc: oidc.issuer,
      },
      consoleUsers: oidc.users,
      stateMachineArn,
      engine,
      reportDir,
      linkSigningKeyFile: linkSigningKeyFile(stateDir),
      sesSending: ses.sending,
      resumedExecutions,
      reindexedPrograms,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What the EventBridge rule in infra/constructs/operations.ts (CycleStatusRule) matches: an execution that ended badly, or was redriven. */
function followsCycleStatus(change: ExecutionStatusChange): boolean {
  return ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(change.status) || (change.status === 'RUNNING' && change.redriveCount > 0);
}

const STATUS_CHANGE_DELIVERY_ATTEMPTS = 3;

/** Invokes the function the rule targets with the event EventBridge would send, asynchronously and with a few retries, as EventBridge does. */
function deliverStatusChange(change: ExecutionStatusChange, timeoutMs: number): void {
  const event = { version: '0', source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', time: new Date().toISOString(), detail: change };
  void (async () => {
    for (let attempt = 1; attempt <= STATUS_CHANGE_DELIVERY_ATTEMPTS; attempt++) {
      try {
        await invokeFunction('mark-cycle-failed', event, timeoutMs);
        return;
      } catch (error) {
        if (attempt === STATUS_CHANGE_DELIVERY_ATTEMPTS) {
          console.error(`local stack: the ${change.status} status of ${change.name} did not reach mark-cycle-failed: ${(error as Error).message}`);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
    }
  })();
}
