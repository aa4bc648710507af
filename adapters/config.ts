import { ConfigurationError } from '../domain/errors.ts';
import * as z from '../domain/validation.ts';

const optionalText = z.optional(z.string().check(z.trim(), z.minLength(1)));

/** SES quotas reach a few thousand emails a second; a value beyond this is a typo (milliseconds, a daily quota). */
const MAX_CONFIGURED_SEND_RATE = 10_000;

const emailsPerSecond = z.pipe(
  z.string().check(z.trim(), z.regex(/^\d+(\.\d+)?$/, 'must be a number of emails per second, e.g. 14')),
  z.pipe(
    z.transform((text: string) => Number(text)),
    z
      .number()
      .check(
        z.positive('must be above 0 emails per second'),
        z.lte(MAX_CONFIGURED_SEND_RATE, `must be at most ${MAX_CONFIGURED_SEND_RATE} emails per second (it is a rate per second, not a daily quota)`),
      ),
  ),
);

const environmentSchema = z
  .object({
    TANDEM_TABLE_NAME: z.string().check(z.trim(), z.minLength(3, 'must name the DynamoDB table')),
    TANDEM_LINK_BASE_URL: z.optional(z.url('must be the survey API base URL, e.g. http://127.0.0.1:3000')),
    TANDEM_LINK_SIGNING_KEY: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
    /** Name or ARN of the Secrets Manager secret that holds the link-signing key (on AWS; never the key itself). */
    TANDEM_LINK_SIGNING_KEY_SECRET: optionalText,
    TANDEM_REPORT_DIR: optionalText,
    TANDEM_REPORT_BUCKET: optionalText,
    TANDEM_SES_CONFIGURATION_SET: optionalText,
    /** Emails per second this deployment may send; wins over the account's rate from SES GetAccount (docs/deploy.md, "Sending pace"). */
    TANDEM_SES_MAX_SEND_RATE: z.optional(emailsPerSecond),
    TANDEM_STATE_MACHINE_ARN: optionalText,
    /**
     * How long an email claimed but never marked sent is taken to be in flight (default 300 s):
     * after that a retried step sends it. Tests of a crash mid-send shorten it.
     */
    TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS: z.optional(
      z.coerce
        .number()
        .check(z.int('must be a whole number of seconds'), z.minimum(1, 'must be at least 1 second'), z.maximum(3600, 'must be at most 3600 seconds')),
    ),
    /** The console's OpenID Connect issuer: the local provider, or the Cognito user pool's issuer URL. */
    TANDEM_CONSOLE_ISSUER: z.optional(z.url('must be the OpenID Connect issuer URL')),
    TANDEM_CONSOLE_CLIENT_ID: optionalText,
    /** The console's own address (where the issuer sends people back): <base>/console/callback. */
    TANDEM_CONSOLE_BASE_URL: z.optional(z.url('must be the console base URL, e.g. http://127.0.0.1:3000')),
    /** The ID token claim with the person's groups: cognito:groups on Cognito (the default), groups on the local provider. */
    TANDEM_CONSOLE_GROUPS_CLAIM: optionalText,
  })
  .check(
    z.refine((env) => !(env.TANDEM_LINK_SIGNING_KEY && env.TANDEM_LINK_SIGNING_KEY_SECRET), {
      message: 'set TANDEM_LINK_SIGNING_KEY or TANDEM_LINK_SIGNING_KEY_SECRET, not both',
      path: ['TANDEM_LINK_SIGNING_KEY'],
    }),
  );

export type TandemEnvironment = z.infer<typeof environmentSchema>;

/** Reads and validates the environment once; names every problem at once. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): TandemEnvironment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`).join('; ');
    throw new ConfigurationError(`Tandem's configuration is invalid: ${problems}`);
  }
  return parsed.data;
}

/** The value of an optional setting that this function needs, or a clear error naming the variable. */
export function required<K extends keyof TandemEnvironment>(env: TandemEnvironment, name: K, purpose: string): NonNullable<TandemEnvironment[K]> {
  const value = env[name];
  if (value === undefined) throw new ConfigurationError(`${String(name)} is not set; it is needed ${purpose}`);
  return value;
}
