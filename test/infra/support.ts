import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations, type App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/build-app.ts';
import type { TandemConfigInput } from '../../infra/config.ts';
import type { TandemStack } from '../../infra/tandem-stack.ts';

export const TEST_CONFIG: TandemConfigInput = {
  stackName: 'TandemTest',
  senderIdentity: 'mentoring.acme.test',
  hrEmails: ['hr@acme.test'],
  opsEmails: ['ops@acme.test', 'oncall@acme.test'],
  logRetentionDays: 90,
  reportRetentionDays: 730,
};

export interface Synthesized {
  app: App;
  stack: TandemStack;
  template: Template;
  /** The cloud assembly's directory (assets are under asset.<hash>/). */
  assemblyDir: string;
  /** Findings cdk-nag left unacknowledged, errors and warnings alike (from the validation report). */
  unacknowledged: Array<{ rule: string; severity: string; paths: string[] }>;
}

/**
 * Builds and synthesizes the app as `cdk synth` does: cdk-nag runs as a validation plugin, and
 * synthesis throws on any unacknowledged error. `bundle: false` skips esbuild (for variants whose
 * code is the same as the main synth's).
 */
export function synthesize(config: TandemConfigInput = TEST_CONFIG, { bundle = true } = {}): Synthesized {
  const { app, stack } = buildApp({ config, appProps: bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } } });
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{ violations: Array<{ ruleName: string; severity: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
  };
  const unacknowledged = report.pluginReports.flatMap((plugin) =>
    plugin.violations.map((v) => ({ rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c) => c.constructPath) })),
  );
  return { app, stack, template: Template.fromStack(stack), assemblyDir: assembly.directory, unacknowledged };
}

export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId) as string;
}

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function ownAcknowledgements(construct: IConstruct): Acknowledgement[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason })),
    );
}

/** Every acknowledgement recorded anywhere in the app. */
export function acknowledgements(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap(ownAcknowledgements);
}

/**
 * Runs cdk-nag's AwsSolutions pack over the app once more and records which acknowledgement
 * silenced each finding, so that a test can tell an acknowledgement that is still needed from
 * one that no longer is.
 */
export function acknowledgementsInUse(app: App): Set<string> {
  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  const used = new Set<string>();
  const checker = pack as unknown as { isAcknowledged(resource: IConstruct, ruleId: string): boolean };
  const original = checker.isAcknowledged.bind(pack);
  checker.isAcknowledged = (resource, ruleId) => {
    const acknowledged = original(resource, ruleId);
    if (acknowledged) {
      for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
        if (ownAcknowledgements(current).some((a) => a.id === ruleId)) {
          used.add(`${current.node.path} ${ruleId}`);
          break;
        }
      }
    }
    return acknowledged;
  };
  pack.validateScope(app);
  return used;
}
