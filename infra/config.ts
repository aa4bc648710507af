import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The deployment's settings. Each one comes, first match wins, from CDK context
 * (`cdk deploy -c tandem:senderIdentity=example.org`), from the environment
 * (`TANDEM_SENDER_IDENTITY=example.org`), or from the configuration file
 * (infra/tandem.config.json, or the file named by `-c tandem:configFile=...` / TANDEM_CONFIG_FILE).
 * Everything is validated at synth, and every problem is named in one error.
 */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922] as const;

const email = z.string().trim().toLowerCase().pipe(z.email('must be an email address'));
/** A list given as an array, or as one comma-separated string (an environment variable or a -c context value). */
const commaSeparated = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
const emailList = z.preprocess(commaSeparated, z.array(email).min(1, 'must name at least one email address'));
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name (example.org) or an email address');
const flag = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    return value;
  },
  z.boolean({ error: 'must be true or false' }),
);
const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    z.number({ error: 'must be a number' }).int('must be a whole number').min(min).max(max),
  );

export const configSchema = z.object({
  /** CloudFormation stack name; also prefixes the names of the managed policies. */
  stackName: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'must start with a letter and hold only letters, digits and hyphens (at most 64)')
    .default('Tandem'),
  /** The SES identity emails are sent from: a domain (example.org) or one address (hr@example.org). Programs' `sender` must belong to it. */
  senderIdentity: z.union([email, domain], { error: 'must be a domain name (example.org) or an email address' }),
  /** Create the SES identity in this stack (false when it is verified already, outside the stack). */
  createSenderIdentity: flag.default(true),
  /** While the account is in the SES sandbox, SES also checks permission on each (verified) recipient identity: list them here. */
  sandboxRecipients: z.preprocess(commaSeparated, z.array(z.union([email, domain])).default([])),
  /** Told when a cycle ends (succeeded, failed, timed out or stopped). */
  hrEmails: emailList,
  /** Receive the operations alarms. */
  opsEmails: emailList,
  /** Days to keep Lambda, Step Functions and API access logs. */
  logRetentionDays: integer(1, 2922)
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), { message: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
    .default(90),
  /** Days to keep cycle reports in the report bucket. */
  reportRetentionDays: integer(1, 3650).default(730),
  /** Days to keep the report bucket's server access logs. */
  accessLogRetentionDays: integer(1, 3650).default(90),
  /** Keep the table, report bucket and signing key when the stack is deleted (and protect the table from deletion). */
  retainData: flag.default(true),
  /** DynamoDB deletion protection (on by default; turn off before `cdk destroy` when retainData is false). */
  tableDeletionProtection: flag.default(true),
  /** Encrypt the table and the notification topics with a customer-managed KMS key (1 USD a month) instead of AWS-owned keys. */
  customerManagedKey: flag.default(false),
  /** Survey API throttling: steady requests per second and burst. */
  surveyApiRateLimit: integer(1, 10000).default(25),
  surveyApiBurstLimit: integer(1, 5000).default(50),
  /** The ops page's own throttle, apart from the participants' routes, so a flood of survey traffic never shuts ops out (nor the reverse). */
  opsApiRateLimit: integer(1, 10000).default(5),
  opsApiBurstLimit: integer(1, 5000).default(10),
  /**
   * Emails per second Tandem may send (TANDEM_SES_MAX_SEND_RATE of the sending functions). Unset: the
   * account's maximum send rate from SES GetAccount. Set a share of it when other senders use the
   * account or several cycles may send at once (docs/deploy.md, "Sending pace").
   */
  sesMaxSendRate: z
    .preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number({ error: 'must be a number' }).positive().max(10000))
    .optional(),
  /** The console's Cognito managed-login domain prefix (https://<prefix>.auth.<region>.amazoncognito.com): unique in the region. */
  consoleDomainPrefix: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens (not at either end), at most 63')
    .refine((v) => !/aws|amazon|cognito/.test(v), { message: 'must not contain aws, amazon or cognito (Cognito refuses them)' })
    .default('tandem-console'),
  /** More base URLs the console is served from (a custom domain in front of the API): each gets <url>/console/callback as a sign-in callback. */
  consoleBaseUrls: z.preprocess(
    commaSeparated,
    z
      .array(
        z
          .string()
          .url()
          .refine((u) => u.startsWith('https://'), { message: 'must be https' }),
      )
      .default([]),
  ),
  /** Alarm when the configuration set's bounce rate (0..1) reaches this; SES reviews accounts at 5 %. */
  bounceRateAlarmThreshold: z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), z.number().min(0.001).max(0.5)).default(0.04),
});

export type TandemConfig = z.infer<typeof configSchema>;
export type TandemConfigInput = z.input<typeof configSchema>;

export const CONFIG_KEYS = Object.keys(configSchema.shape) as Array<keyof TandemConfig>;

/** `senderIdentity` → `TANDEM_SENDER_IDENTITY` */
export const envName = (key: string): string => `TANDEM_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
export const contextName = (key: string): string => `tandem:${key}`;

export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL('./tandem.config.json', import.meta.url));

export class DeploymentConfigError extends Error {
  override name = 'DeploymentConfigError';
}

export interface ConfigSources {
  /** Reads a CDK context value (app.node.tryGetContext). */
  context: (key: string) => unknown;
  env?: NodeJS.ProcessEnv;
}

/** Gathers the settings from context, environment and file, then validates them. */
export function loadConfig({ context, env = process.env }: ConfigSources): TandemConfig {
  const file = (context(contextName('configFile')) as string | undefined) ?? env.TANDEM_CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new DeploymentConfigError(`Tandem's deployment configuration file ${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else if (file !== DEFAULT_CONFIG_FILE) {
    throw new DeploymentConfigError(`Tandem's deployment configuration file ${file} does not exist`);
  }
  const unknownKeys = Object.keys(fromFile).filter((key) => !key.startsWith('$') && !(CONFIG_KEYS as string[]).includes(key));
  if (unknownKeys.length) throw new DeploymentConfigError(`${file} has unknown settings: ${unknownKeys.join(', ')} (known: ${CONFIG_KEYS.join(', ')})`);

  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = context(contextName(key)) ?? env[envName(key)] ?? fromFile[key];
    if (value !== undefined) raw[key] = value;
  }
  return validateConfig(raw, file);
}

export function validateConfig(raw: unknown, file = DEFAULT_CONFIG_FILE): TandemConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const where = key ? `${issue.path.join('.')} (context ${contextName(key)}, env ${envName(key)} or "${key}" in ${file})` : 'configuration';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      return `  - ${where}: ${message}`;
    });
    throw new DeploymentConfigError(`Tandem's deployment configuration is invalid:\n${problems.join('\n')}`);
  }
  if (parsed.data.surveyApiBurstLimit < parsed.data.surveyApiRateLimit) {
    throw new DeploymentConfigError(`Tandem's deployment configuration is invalid:\n  - surveyApiBurstLimit must be at least surveyApiRateLimit`);
  }
  return parsed.data;
}

/** Reserved example domains (RFC 2606) can never be verified in SES. */
export function usesExampleIdentity(config: TandemConfig): boolean {
  const domainOf = (identity: string) => identity.split('@').pop() ?? identity;
  return /(^|\.)example\.(org|com|net)$/.test(domainOf(config.senderIdentity));
}
