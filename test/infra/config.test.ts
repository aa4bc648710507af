import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE, DeploymentConfigError, envName, loadConfig, usesExampleIdentity, validateConfig } from '../../infra/config.ts';

const noContext = () => undefined;
const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];
const minimal = { senderIdentity: 'acme.test', hrEmails: ['hr@acme.test'], opsEmails: ['ops@acme.test'] };

describe('deployment configuration', () => {
  it('fills in the defaults around the three required settings', () => {
    const config = validateConfig(minimal);
    expect(config).toMatchObject({
      stackName: 'Tandem',
      createSenderIdentity: true,
      logRetentionDays: 90,
      retainData: true,
      tableDeletionProtection: true,
      customerManagedKey: false,
      sandboxRecipients: [],
    });
  });

  it('names every missing or wrong setting at once, with where to set it', () => {
    let message = '';
    try {
      validateConfig({ senderIdentity: 'not a domain', logRetentionDays: 42 });
    } catch (error) {
      expect(error).toBeInstanceOf(DeploymentConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('senderIdentity (context tandem:senderIdentity, env TANDEM_SENDER_IDENTITY');
    expect(message).toMatch(/hrEmails .*: is required/);
    expect(message).toMatch(/opsEmails .*: is required/);
    expect(message).toMatch(/logRetentionDays .*must be one of 1, 3, 5/);
  });

  it('reads comma-separated lists, numbers and flags from the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tandem-config-')), 'empty.json');
    writeFileSync(file, '{}');
    const settings = {
      senderIdentity: 'HR@Acme.test',
      hrEmails: 'a@acme.test, b@acme.test',
      opsEmails: 'ops@acme.test',
      logRetentionDays: '30',
      customerManagedKey: 'yes',
      retainData: 'false',
    };
    const config = loadConfig({
      context: noContext,
      env: { TANDEM_CONFIG_FILE: file, ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [envName(k), v])) },
    });
    expect(config).toMatchObject({
      senderIdentity: 'hr@acme.test',
      hrEmails: ['a@acme.test', 'b@acme.test'],
      opsEmails: ['ops@acme.test'],
      logRetentionDays: 30,
      customerManagedKey: true,
      retainData: false,
    });
    expect(envName('logRetentionDays')).toBe('TANDEM_LOG_RETENTION_DAYS');
  });

  it('lets context override the environment, and the environment override the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-config-'));
    const file = join(dir, 'tandem.json');
    writeFileSync(file, JSON.stringify({ ...minimal, stackName: 'FromFile', logRetentionDays: 365 }));
    const config = loadConfig({
      context: contextOf({ 'tandem:configFile': file, 'tandem:stackName': 'FromContext' }),
      env: { TANDEM_STACK_NAME: 'FromEnv', TANDEM_LOG_RETENTION_DAYS: '30', TANDEM_HR_EMAILS: 'a@acme.test,B@Acme.test', TANDEM_CUSTOMER_MANAGED_KEY: 'yes' },
    });
    expect(config.stackName).toBe('FromContext');
    expect(config.logRetentionDays).toBe(30);
    expect(config.hrEmails).toEqual(['a@acme.test', 'b@acme.test']);
    expect(config.customerManagedKey).toBe(true);
    expect(config.senderIdentity).toBe('acme.test');
  });

  it('refuses a configuration file with a setting it does not know (a typo would otherwise be ignored)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tandem-config-')), 'tandem.json');
    writeFileSync(file, JSON.stringify({ ...minimal, opsEmail: 'ops@acme.test' }));
    expect(() => loadConfig({ context: contextOf({ 'tandem:configFile': file }), env: {} })).toThrow(/unknown settings: opsEmail/);
  });

  it('refuses a configuration file that is named but missing', () => {
    expect(() => loadConfig({ context: contextOf({ 'tandem:configFile': '/nonexistent/tandem.json' }), env: {} })).toThrow(/does not exist/);
  });

  it('accepts a domain or a single address as the sender identity, lower-cased', () => {
    expect(validateConfig({ ...minimal, senderIdentity: 'Mentoring.Acme.test' }).senderIdentity).toBe('mentoring.acme.test');
    expect(validateConfig({ ...minimal, senderIdentity: 'Tandem@Acme.test' }).senderIdentity).toBe('tandem@acme.test');
  });

  it('takes an optional SES send rate in emails per second, refusing zero and daily-quota-sized numbers', () => {
    expect(validateConfig(minimal).sesMaxSendRate).toBeUndefined();
    expect(
      loadConfig({
        context: contextOf({}),
        env: { TANDEM_SENDER_IDENTITY: 'acme.test', TANDEM_HR_EMAILS: 'hr@acme.test', TANDEM_OPS_EMAILS: 'ops@acme.test', TANDEM_SES_MAX_SEND_RATE: '7.5' },
      }).sesMaxSendRate,
    ).toBe(7.5);
    expect(() => validateConfig({ ...minimal, sesMaxSendRate: 0 })).toThrow(/sesMaxSendRate/);
    expect(() => validateConfig({ ...minimal, sesMaxSendRate: 50000 })).toThrow(/sesMaxSendRate/);
  });

  it('refuses a burst limit below the rate limit', () => {
    expect(() => validateConfig({ ...minimal, surveyApiRateLimit: 100, surveyApiBurstLimit: 10 })).toThrow(/surveyApiBurstLimit/);
  });

  it('ships an example file that validates, and flags its example sender so that nobody deploys it unnoticed', () => {
    const config = loadConfig({ context: contextOf({ 'tandem:configFile': DEFAULT_CONFIG_FILE }), env: {} });
    expect(usesExampleIdentity(config)).toBe(true);
    expect(usesExampleIdentity(validateConfig(minimal))).toBe(false);
  });
});
