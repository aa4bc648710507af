import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LinkSigner } from '../domain/links.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { systemClock, type Clock, type Mailer } from '../services/ports.ts';
import { readEnvironment, required, type TandemEnvironment } from './config.ts';
import { createDocumentClient, DynamoDbStore } from './dynamodb/dynamodb-store.ts';
import { TableClient } from './dynamodb/table-client.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesMailer } from './ses/ses-mailer.ts';
import { sesMaxSendRate } from './ses/sending-quota.ts';
import { suppressionKeyOf } from '../services/suppression.ts';

/**
 * The adapters a handler works with, created once per container (Lambda execution environment).
 * The report store and the execution history are not here: the few functions that use them create
 * them (`configuredReportStore`, `configuredExecutionHistory`), so the others bundle neither.
 */
export interface Container {
  env: TandemEnvironment;
  store: DynamoDbStore;
  /** The table the store works on, for the records only one function keeps (the console's signed-out sessions). */
  table: TableClient;
  mailer: Mailer;
  /**
   * The mailer of paced steps (phase-tick): its SES client never retries on its own, since an SDK
   * retry of a throttled call goes out at once, outside the pace; the pace retries throttled sends
   * after a backoff, and the workflow retries a step whose send failed otherwise.
   */
  pacedMailer: () => Mailer;
  clock: Clock;
  // Properties, not methods: handlers destructure them from the container.
  links: () => Promise<{ signer: LinkSigner; baseUrl: string }>;
  /** Emails per second this container may send: TANDEM_SES_MAX_SEND_RATE, else the account's rate (SES GetAccount), else SAFE_SEND_RATE. Read once. */
  sendRate: () => Promise<number>;
  /** The suppression list's key of an address (services/suppression.ts); needs the link-signing secret. */
  suppressionKeys: () => Promise<(email: string) => string>;
}

/** When neither configuration nor GetAccount gives a rate: SES's sandbox rate, which every account allows. */
export const SAFE_SEND_RATE = 1;

let cached: Container | undefined;

export function container(): Container {
  cached ??= createContainer(readEnvironment());
  return cached;
}

/** For tests and the local stack, which change the environment between runs in one process. */
export function resetContainer(): void {
  cached = undefined;
}

function createContainer(env: TandemEnvironment): Container {
  let links: Promise<{ signer: LinkSigner; baseUrl: string }> | undefined;
  let sendRate: Promise<number> | undefined;
  let pacedMailer: Mailer | undefined;
  let suppressionKeys: Promise<(email: string) => string> | undefined;
  const keys = () => {
    suppressionKeys ??= (async () => suppressionKeyOf(new LinkSigner(await signingKey(env))))();
    return suppressionKeys;
  };
  // Functions without the link-signing secret write only to HR and ops: they have no list to check.
  const hasSigningKey = Boolean(env.TANDEM_LINK_SIGNING_KEY || env.TANDEM_LINK_SIGNING_KEY_SECRET);
  const doc = createDocumentClient();
  const store = new DynamoDbStore(doc, env.TANDEM_TABLE_NAME, {
    ...(env.TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS === undefined ? {} : { emailClaimTimeoutMs: env.TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS * 1000 }),
    suppressionKeys: async () => (hasSigningKey ? keys() : undefined),
  });
  return {
    env,
    store,
    table: new TableClient(doc, env.TANDEM_TABLE_NAME),
    mailer: new SesMailer(undefined, env.TANDEM_SES_CONFIGURATION_SET),
    pacedMailer() {
      pacedMailer ??= new SesMailer(new SESv2Client({ maxAttempts: 1 }), env.TANDEM_SES_CONFIGURATION_SET);
      return pacedMailer;
    },
    clock: systemClock,
    suppressionKeys: keys,
    links() {
      links ??= (async () => {
        const baseUrl = required(env, 'TANDEM_LINK_BASE_URL', 'to build the links in emails');
        return { signer: new LinkSigner(await signingKey(env)), baseUrl: baseUrl.replace(/\/$/, '') };
      })();
      return links;
    },
    sendRate() {
      sendRate ??= (async () => env.TANDEM_SES_MAX_SEND_RATE ?? (await sesMaxSendRate()) ?? SAFE_SEND_RATE)();
      return sendRate;
    },
  };
}

async function signingKey(env: TandemEnvironment): Promise<string> {
  if (env.TANDEM_LINK_SIGNING_KEY) return env.TANDEM_LINK_SIGNING_KEY;
  const secret = required(env, 'TANDEM_LINK_SIGNING_KEY_SECRET', 'to sign participant links (or set TANDEM_LINK_SIGNING_KEY)');
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secret }));
  if (!SecretString) throw new ConfigurationError(`secret ${secret} holds no link-signing key`);
  return SecretString;
}
