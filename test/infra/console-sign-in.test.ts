import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, synthesize, TEST_CONFIG, type Synthesized } from './support.ts';

// CloudFormation JSON is untyped: the tests read it loosely and assert on what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ ...TEST_CONFIG, consoleDomainPrefix: 'acme-tandem', consoleBaseUrls: ['https://tandem.acme.test'] }, { bundle: false });
}, 240_000);

const only = (type: string): Loose => {
  const found = Object.values(s.template.findResources(type));
  expect(found, type).toHaveLength(1);
  return (found[0] as { Properties: Loose }).Properties;
};

describe('the console’s sign-in on AWS (Cognito)', () => {
  it('is a user pool with no self sign-up, MFA available and sign-in by email', () => {
    const pool = only('AWS::Cognito::UserPool');
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.UsernameAttributes).toEqual(['email']);
  });

  it('has the groups hr and ops', () => {
    const groups = Object.values(s.template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g as { Properties: Loose }).Properties.GroupName);
    expect(groups.sort()).toEqual(['hr', 'ops']);
  });

  it('has a managed-login domain named by the configuration', () => {
    expect(only('AWS::Cognito::UserPoolDomain')).toMatchObject({ Domain: 'acme-tandem', ManagedLoginVersion: 2 });
  });

  it('has a public app client with the code flow only (PKCE, no secret) and the callback and logout URLs from the API and the configuration', () => {
    const client = only('AWS::Cognito::UserPoolClient');
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email']));
    expect(client.CallbackURLs).toHaveLength(2);
    expect(JSON.stringify(client.CallbackURLs[0])).toContain('/console/callback');
    expect(JSON.stringify(client.CallbackURLs[0])).toContain(logicalId(s.stack.surveyApi.api));
    expect(client.CallbackURLs[1]).toBe('https://tandem.acme.test/console/callback');
    expect(client.LogoutURLs[1]).toBe('https://tandem.acme.test/console/signed-out');
  });

  it('tells the console function its issuer, client, groups claim and own address', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TANDEM_CONSOLE_ISSUER: Match.anyValue(),
          TANDEM_CONSOLE_CLIENT_ID: { Ref: Match.stringLikeRegexp('Console') },
          TANDEM_CONSOLE_GROUPS_CLAIM: 'cognito:groups',
          TANDEM_CONSOLE_BASE_URL: Match.anyValue(),
        }),
      },
    });
  });

  it('lets the console start and stop the program-cycle executions, and nothing else of Step Functions beyond reading them', () => {
    const fn = s.stack.handlers.get('console');
    const policy = JSON.stringify(s.template.toJSON().Resources);
    expect(policy).toContain('states:StartExecution');
    expect(policy).toContain('states:StopExecution');
    expect(fn.spec.access).toMatchObject({ readsExecutions: true, controlsExecutions: true, table: 'read-write' });
  });

  it('leaves cdk-nag with no unacknowledged finding', () => {
    expect(s.unacknowledged).toEqual([]);
  });
});
