import { describe, expect, it } from 'vitest';
import { readEnvironment, required } from '../../adapters/config.ts';
import { ConfigurationError } from '../../domain/errors.ts';

const KEY = 'a-link-signing-key-of-at-least-32-characters';
const minimal = { TANDEM_TABLE_NAME: 'tandem-table' };

/** The ConfigurationError readEnvironment throws for env, or a failure if it accepts it. */
function rejection(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    readEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error(`readEnvironment accepted ${JSON.stringify(env)}`);
}

describe('readEnvironment', () => {
  it('reads a minimal environment and keeps only Tandem settings', () => {
    const env = readEnvironment({ ...minimal, PATH: '/usr/bin', AWS_REGION: 'eu-west-1' });
    expect(env).toEqual({ TANDEM_TABLE_NAME: 'tandem-table' });
  });

  it('reads every setting when all are valid', () => {
    const env = readEnvironment({
      TANDEM_TABLE_NAME: '  tandem-table  ',
      TANDEM_LINK_BASE_URL: 'http://127.0.0.1:3000',
      TANDEM_LINK_SIGNING_KEY: KEY,
      TANDEM_REPORT_DIR: '/tmp/reports',
      TANDEM_SES_CONFIGURATION_SET: 'tandem-mail',
      TANDEM_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:tandem-program-cycle',
      TANDEM_CONSOLE_ISSUER: 'http://127.0.0.1:3009',
      TANDEM_CONSOLE_CLIENT_ID: 'tandem-console',
      TANDEM_CONSOLE_BASE_URL: 'http://127.0.0.1:3000',
      TANDEM_CONSOLE_GROUPS_CLAIM: 'groups',
    });
    expect(env).toEqual({
      TANDEM_TABLE_NAME: 'tandem-table',
      TANDEM_LINK_BASE_URL: 'http://127.0.0.1:3000',
      TANDEM_LINK_SIGNING_KEY: KEY,
      TANDEM_REPORT_DIR: '/tmp/reports',
      TANDEM_SES_CONFIGURATION_SET: 'tandem-mail',
      TANDEM_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:tandem-program-cycle',
      TANDEM_CONSOLE_ISSUER: 'http://127.0.0.1:3009',
      TANDEM_CONSOLE_CLIENT_ID: 'tandem-console',
      TANDEM_CONSOLE_BASE_URL: 'http://127.0.0.1:3000',
      TANDEM_CONSOLE_GROUPS_CLAIM: 'groups',
    });
  });

  it('accepts the signing key from a Secrets Manager secret instead of the key itself', () => {
    const env = readEnvironment({ ...minimal, TANDEM_LINK_SIGNING_KEY_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tandem-link-key' });
    expect(env.TANDEM_LINK_SIGNING_KEY_SECRET).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:tandem-link-key');
    expect(env.TANDEM_LINK_SIGNING_KEY).toBeUndefined();
  });

  it('reads how long an email claim stays in flight, in whole seconds, and names a bad value', () => {
    expect(readEnvironment({ ...minimal, TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS: '5' }).TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS).toBe(5);
    for (const bad of ['0', '1.5', 'soon', '7200']) {
      expect(rejection({ ...minimal, TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS: bad }).message, bad).toContain('TANDEM_EMAIL_CLAIM_TIMEOUT_SECONDS');
    }
  });

  it('names TANDEM_TABLE_NAME when it is missing', () => {
    const error = rejection({});
    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toMatch(/^Tandem's configuration is invalid: /);
    expect(error.message).toContain('TANDEM_TABLE_NAME');
  });

  it('names TANDEM_TABLE_NAME when it is too short to be a table name', () => {
    expect(rejection({ TANDEM_TABLE_NAME: '  t ' }).message).toContain('TANDEM_TABLE_NAME must name the DynamoDB table');
  });

  it('names a link base URL that is not a URL', () => {
    const error = rejection({ ...minimal, TANDEM_LINK_BASE_URL: 'not a url' });
    expect(error.message).toContain('TANDEM_LINK_BASE_URL must be the survey API base URL');
    expect(error.message).not.toContain('TANDEM_TABLE_NAME');
  });

  it('names a signing key shorter than 32 characters', () => {
    expect(rejection({ ...minimal, TANDEM_LINK_SIGNING_KEY: 'x'.repeat(31) }).message).toContain('TANDEM_LINK_SIGNING_KEY must be at least 32 characters');
    expect(readEnvironment({ ...minimal, TANDEM_LINK_SIGNING_KEY: 'x'.repeat(32) }).TANDEM_LINK_SIGNING_KEY).toBe('x'.repeat(32));
  });

  it('refuses both a signing key and a signing-key secret', () => {
    const error = rejection({ ...minimal, TANDEM_LINK_SIGNING_KEY: KEY, TANDEM_LINK_SIGNING_KEY_SECRET: 'tandem-link-key' });
    expect(error.message).toContain('set TANDEM_LINK_SIGNING_KEY or TANDEM_LINK_SIGNING_KEY_SECRET, not both');
  });

  it('reads the configured send rate as emails per second, decimals allowed', () => {
    expect(readEnvironment({ ...minimal, TANDEM_SES_MAX_SEND_RATE: ' 14 ' }).TANDEM_SES_MAX_SEND_RATE).toBe(14);
    expect(readEnvironment({ ...minimal, TANDEM_SES_MAX_SEND_RATE: '2.5' }).TANDEM_SES_MAX_SEND_RATE).toBe(2.5);
    expect(readEnvironment(minimal).TANDEM_SES_MAX_SEND_RATE).toBeUndefined();
  });

  it.each([
    ['abc', 'must be a number of emails per second'],
    ['', 'must be a number of emails per second'],
    ['-3', 'must be a number of emails per second'],
    ['1e3', 'must be a number of emails per second'],
    ['0', 'must be above 0 emails per second'],
    ['86400', 'must be at most 10000 emails per second'],
  ])('refuses the send rate %j, naming TANDEM_SES_MAX_SEND_RATE and why', (value, reason) => {
    expect(rejection({ ...minimal, TANDEM_SES_MAX_SEND_RATE: value }).message).toContain(`TANDEM_SES_MAX_SEND_RATE ${reason}`);
  });

  it('refuses an optional setting that is set but blank', () => {
    expect(rejection({ ...minimal, TANDEM_REPORT_BUCKET: '   ' }).message).toContain('TANDEM_REPORT_BUCKET');
  });

  it('names every problem at once', () => {
    const error = rejection({ TANDEM_LINK_BASE_URL: '::', TANDEM_LINK_SIGNING_KEY: 'short' });
    expect(error.message).toContain('TANDEM_TABLE_NAME');
    expect(error.message).toContain('TANDEM_LINK_BASE_URL');
    expect(error.message).toContain('TANDEM_LINK_SIGNING_KEY');
    expect(error.message.split('; ')).toHaveLength(3);
  });

  it('never echoes the signing key in its error', () => {
    const secret = 'short-secret-value';
    expect(rejection({ ...minimal, TANDEM_LINK_SIGNING_KEY: secret }).message).not.toContain(secret);
  });
});

describe('required', () => {
  it('returns a setting that is present', () => {
    const env = readEnvironment({ ...minimal, TANDEM_REPORT_BUCKET: 'tandem-reports' });
    expect(required(env, 'TANDEM_REPORT_BUCKET', 'to archive cycle reports')).toBe('tandem-reports');
  });

  it('names the missing variable and what it is needed for', () => {
    const env = readEnvironment(minimal);
    expect(() => required(env, 'TANDEM_LINK_BASE_URL', 'to build survey links')).toThrow(ConfigurationError);
    expect(() => required(env, 'TANDEM_LINK_BASE_URL', 'to build survey links')).toThrow('TANDEM_LINK_BASE_URL is not set; it is needed to build survey links');
    expect(() => required(env, 'TANDEM_STATE_MACHINE_ARN', 'to start cycles')).toThrow('TANDEM_STATE_MACHINE_ARN is not set; it is needed to start cycles');
  });
});
