import { join } from 'node:path';
import { Charset, LogLevel, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { standInFor } from '../bundling/stand-in.ts';
import { REPO_ROOT } from '../paths.ts';

/**
 * How every handler is bundled. infra/ (NodejsFunction) and bench/bundle-sizes.ts both build
 * from `bundleSettings`, so the benchmark measures exactly what is deployed.
 *
 * ESM, minified (names are not kept: the error classes the workflow's Retry and Catch match on
 * spell their names out, domain/errors.ts), tree-shaken (esbuild always shakes a bundle), external
 * source map, and the AWS SDK bundled rather than taken from the runtime: the versions we test are
 * the versions that run. Lambda code validates with zod/mini (domain/validation.ts), which shakes.
 * Two aliases keep each bundle small (docs/bundle-sizes.md has the figures):
 * - `@aws-sdk/credential-provider-node` → infra/bundling/lambda-credentials.mjs: the credential
 *   chain as it resolves in Lambda (environment variables), without the STS/SSO clients.
 * - an AWS client the function's catalog entry grants no access to → a generated stand-in with the
 *   same exports that refuses to call the service (infra/bundling/stand-in.ts), as the function's
 *   IAM role would: adapters/container.ts imports the shared adapters, so without this every function
 *   would carry SES and Secrets Manager; the Step Functions adapters are imported only by the functions
 *   that use them (the report store likewise, outside the container). (No function carries the S3 client: the review writes its
 *   report with one signed PUT, adapters/reports/s3-object-writer.ts.)
 */
export const ESBUILD_TARGET = 'node24';

/** ESM bundles have no `require`; a few CommonJS dependencies still call it for Node built-ins. */
export const ESM_REQUIRE_SHIM = "import{createRequire as __tandemCreateRequire}from'node:module';const require=__tandemCreateRequire(import.meta.url);";

const BUNDLING_DIR = join(REPO_ROOT, 'infra', 'bundling');

/** AWS clients bundled only into functions whose catalog entry grants that access. */
export const ACCESS_GATED_CLIENTS = [
  { module: '@aws-sdk/client-sesv2', service: 'SES', flag: 'sendsEmail', needed: (spec: FunctionSpec) => spec.access.sendsEmail },
  { module: '@aws-sdk/client-secrets-manager', service: 'Secrets Manager', flag: 'readsLinkKey', needed: (spec: FunctionSpec) => spec.access.readsLinkKey },
  { module: '@aws-sdk/client-sfn', service: 'Step Functions', flag: 'readsExecutions', needed: (spec: FunctionSpec) => spec.access.readsExecutions === true },
] as const;

export interface BundleSettings {
  readonly target: string;
  readonly format: 'esm';
  readonly minify: true;
  /** Names need not survive minification: the error classes spell out their names (domain/errors.ts), which the workflow's Retry and Catch match on. */
  readonly keepNames: false;
  readonly sourcemap: true;
  readonly mainFields: string[];
  readonly banner: string;
  /** Module → absolute path of the file that stands in for it. */
  readonly alias: Record<string, string>;
}

export function bundleSettings(spec: FunctionSpec): BundleSettings {
  const alias: Record<string, string> = {
    '@aws-sdk/credential-provider-node': join(BUNDLING_DIR, 'lambda-credentials.mjs'),
  };
  for (const client of ACCESS_GATED_CLIENTS) {
    if (!client.needed(spec)) alias[client.module] = standInFor(client.module, client.service, client.flag);
  }
  return {
    target: ESBUILD_TARGET,
    format: 'esm',
    minify: true,
    keepNames: false,
    sourcemap: true,
    mainFields: ['module', 'main'],
    banner: ESM_REQUIRE_SHIM,
    alias,
  };
}

/** The settings as NodejsFunction bundling options (local esbuild, never Docker). */
export function bundlingFor(spec: FunctionSpec): BundlingOptions {
  const settings = bundleSettings(spec);
  return {
    format: OutputFormat.ESM,
    target: settings.target,
    minify: settings.minify,
    keepNames: settings.keepNames,
    sourceMap: settings.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    mainFields: settings.mainFields,
    externalModules: [],
    banner: settings.banner,
    charset: Charset.UTF8,
    logLevel: LogLevel.WARNING,
    forceDockerBundling: false,
    esbuildArgs: Object.fromEntries(Object.entries(settings.alias).map(([module, path]) => [`--alias:${module}`, path])),
  };
}
