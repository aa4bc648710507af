import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as realZod from 'zod';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { standInFor } from '../../infra/bundling/stand-in.ts';
import { measure } from '../../bench/bundle-sizes.ts';
import { ACCESS_GATED_CLIENTS, bundleSettings, bundlingFor } from '../../infra/constructs/bundling.ts';
import * as z from '../../domain/validation.ts';

// The stand-ins are plain ESM files that only esbuild sees; load them as the bundles do.
const load = (path: string) => import(/* @vite-ignore */ new URL(`../../infra/bundling/${path}`, import.meta.url).href) as Promise<Record<string, unknown>>;

describe('validation in the bundles', () => {
  it('is zod/mini with its English messages only: no function carries classic zod or another locale', async () => {
    for (const spec of FUNCTIONS) {
      const zodFiles = (await measure(spec)).inputs.filter((path) => path.includes('node_modules/zod/'));
      expect(
        zodFiles.filter((path) => path.includes('/v4/classic/')),
        spec.name,
      ).toEqual([]);
      expect(
        zodFiles.filter((path) => path.includes('/locales/')).map((path) => path.replace(/.*\/locales\//, '')),
        spec.name,
      ).toEqual(['en.js']);
    }
  }, 120_000);

  it('explains a problem in the same English words as classic zod', () => {
    const mini = z.object({ email: z.email(), count: z.coerce.number().check(z.int(), z.minimum(1)) }).safeParse({ email: 'nope', count: 0 });
    const classic = realZod.z.object({ email: realZod.z.email(), count: realZod.z.coerce.number().int().min(1) }).safeParse({ email: 'nope', count: 0 });
    expect(mini.error?.issues.map((i) => i.message)).toEqual(classic.error?.issues.map((i) => i.message));
    expect(mini.error?.issues[0]?.message).toMatch(/^Invalid email/);
  });
});

describe('the Lambda credential chain the bundles use', () => {
  it('takes the credentials Lambda puts in the environment', async () => {
    const { defaultProvider } = (await load('lambda-credentials.mjs')) as { defaultProvider: () => () => Promise<Record<string, unknown>> };
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    try {
      await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
    } finally {
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it('exports what the SDK imports from @aws-sdk/credential-provider-node', async () => {
    const real = await import('@aws-sdk/credential-provider-node');
    const lean = await load('lambda-credentials.mjs');
    expect(Object.keys(lean).sort()).toEqual(
      Object.keys(real)
        .filter((key) => key !== 'default')
        .sort(),
    );
  });
});

describe('the stand-ins for AWS clients a function has no access to', () => {
  it.each(ACCESS_GATED_CLIENTS.map((c) => [c.module, c] as const))(
    '%s: has every export of the real package, and refuses to reach the service',
    async (module, client) => {
      const stub = (await import(/* @vite-ignore */ pathToFileURL(standInFor(module, client.service, client.flag)).href)) as Record<string, unknown>;
      const real = (await import(module)) as Record<string, unknown>;
      for (const name of Object.keys(real).filter((n) => n !== 'default')) expect(stub, `${module} exports ${name}`).toHaveProperty(name);
      const names = Object.keys(stub);
      const Client = stub[names.find((n) => /^[A-Z]\w*Client$/.test(n)) as string] as new (config: object) => { send(command: unknown): Promise<unknown> };
      const Command = stub[names.find((n) => n.endsWith('Command') && n !== '$Command') as string] as new (input: object) => unknown;
      const refusal = new RegExp(
        `${client.service} is not bundled into this function: its entry in functions/catalog\\.ts does not grant ${client.service} access \\(${client.flag} is false\\)`,
      );
      await expect(new Client({}).send(new Command({}))).rejects.toThrow(refusal);
      const paginator = names.find((n) => n.startsWith('paginate') || n.startsWith('waitUntil'));
      if (paginator) expect(() => (stub[paginator] as (...args: unknown[]) => unknown)({}, {})).toThrow(refusal);
    },
  );

  it('replaces exactly the clients each catalog entry grants no access to', () => {
    const gated = (name: string) =>
      Object.keys(bundleSettings(FUNCTIONS.find((f) => f.name === name)!).alias)
        .filter((m) => m.startsWith('@aws-sdk/client-'))
        .sort();
    expect(gated('identify')).toEqual(['@aws-sdk/client-secrets-manager', '@aws-sdk/client-sesv2', '@aws-sdk/client-sfn']);
    expect(gated('phase-tick')).toEqual(['@aws-sdk/client-sfn']);
    expect(gated('review')).toEqual(['@aws-sdk/client-secrets-manager', '@aws-sdk/client-sfn']);
    expect(gated('survey-api')).toEqual(['@aws-sdk/client-sesv2', '@aws-sdk/client-sfn']);
    expect(gated('ops-api')).toEqual(['@aws-sdk/client-secrets-manager', '@aws-sdk/client-sesv2']);
  });

  it('leaves the S3 client out of the review function: its report is written with one signed PUT', async () => {
    const review = await measure(FUNCTIONS.find((f) => f.name === 'review')!);
    const packages = review.packages.map((p) => p.name);
    expect(packages).not.toContain('@aws-sdk/client-s3');
    expect(packages).toContain('@smithy/signature-v4');
  }, 60_000);

  it('hands NodejsFunction the same settings as esbuild aliases, ESM, minified, with source maps and the SDK bundled', () => {
    for (const spec of FUNCTIONS) {
      const options = bundlingFor(spec);
      expect(options).toMatchObject({ minify: true, sourceMap: true, externalModules: [], forceDockerBundling: false, target: 'node24' });
      expect(Object.keys(options.esbuildArgs ?? {}).sort()).toEqual(
        Object.keys(bundleSettings(spec).alias)
          .map((m) => `--alias:${m}`)
          .sort(),
      );
    }
  });
});
