import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, validateConfig, type TandemConfig, type TandemConfigInput } from './config.ts';
import { TandemStack } from './tandem-stack.ts';

/**
 * CDK feature flags the stack relies on (set here so that they hold whatever cdk.json says):
 * server access logs delivered through a bucket policy, so both buckets keep ACLs disabled.
 */
export const FEATURE_FLAGS: Record<string, boolean> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface BuildOptions {
  /** Settings to use instead of context, environment and file (tests). */
  readonly config?: TandemConfigInput;
  readonly appProps?: AppProps;
}

/**
 * The Tandem CDK app: the stack, with cdk-nag's AwsSolutions pack checking it at every synth.
 * infra/app.ts runs this for the CLI; the tests build the same app.
 */
export function buildApp(options: BuildOptions = {}): { app: App; stack: TandemStack; config: TandemConfig } {
  const app = new App(options.appProps);
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const config = options.config ? validateConfig(options.config) : loadConfig({ context: (key): unknown => app.node.tryGetContext(key) });
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new TandemStack(app, config.stackName, {
    config,
    // Environment-agnostic unless the CLI knows the account (it does not, offline and without credentials).
    ...(account && region ? { env: { account, region } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, config };
}
