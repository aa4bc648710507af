import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { FunctionBinding } from './tandem-function.ts';

export interface ConsoleSignInProps {
  /** The managed login's domain prefix: https://<prefix>.auth.<region>.amazoncognito.com. */
  readonly domainPrefix: string;
  /** The console's base URL (the HTTP API's URL): the callback is <base>/console/callback. */
  readonly consoleBaseUrl: string;
  /** More callback base URLs (a custom domain in front of the API). */
  readonly extraConsoleBaseUrls: readonly string[];
  readonly removalPolicy: RemovalPolicy;
}

/** The Cognito groups that give a console role; the console reads them from the ID token's cognito:groups claim. */
export const CONSOLE_GROUPS = ['hr', 'ops'] as const;

/**
 * Who may sign in to the console: a Cognito user pool whose users the stack's operator adds
 * (no self sign-up), in the hr or ops group, MFA available; its managed login; and a public app
 * client with the authorization-code flow and PKCE (the console stores no client secret: PKCE
 * binds the code to the browser that asked for it).
 */
export class ConsoleSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: ConsoleSignInProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: props.removalPolicy,
    });
    for (const group of CONSOLE_GROUPS) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description:
          group === 'hr'
            ? 'HR: reads and changes programs, rosters, cycles and proposals in the console.'
            : 'Ops: reads the console (executions, cycles, audit log); changes nothing.',
      });
    }
    this.domain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    const bases = [props.consoleBaseUrl, ...props.extraConsoleBaseUrls].map((u) => u.replace(/\/$/, ''));
    this.client = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: bases.map((b) => `${b}/console/callback`),
        logoutUrls: bases.map((b) => `${b}/console/signed-out`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is available (optional): each HR or ops user turns it on; an organisation that requires it sets the pool to REQUIRED.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Essentials plan: the Plus plan (threat protection, compromised-password checks) costs per user; the pool has no self sign-up and only users the operator adds.',
    });
  }

  /** Binding: where the console signs people in (issuer, client id, groups claim). */
  signingIn(): FunctionBinding {
    return {
      description: 'console:sign-in',
      bind: (target) => {
        target.setEnvironment('TANDEM_CONSOLE_ISSUER', this.userPool.userPoolProviderUrl);
        target.setEnvironment('TANDEM_CONSOLE_CLIENT_ID', this.client.userPoolClientId);
        target.setEnvironment('TANDEM_CONSOLE_GROUPS_CLAIM', 'cognito:groups');
      },
    };
  }
}
