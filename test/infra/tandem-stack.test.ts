import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATE_NAMES } from '../../domain/generated/email-template-names.generated.ts';
import { emailTemplatesToCreate } from '../../domain/email-template-content.ts';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../../functions/catalog.ts';
import { SES_EVENT_DETAIL_TYPES } from '../../functions/ses-events.ts';
import { budgetOf, measure } from '../../bench/bundle-sizes.ts';
import { TABLE_ACTIONS } from '../../infra/constructs/data-store.ts';
import { NODE_RUNTIME } from '../../infra/constructs/tandem-function.ts';
import { TABLE_DESIGN } from '../../adapters/dynamodb/table-design.ts';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, REPORT_RETENTION_CLASSES, REPORT_RETENTION_TAG, reportRetentionClass } from '../../domain/retention.ts';
import { REPORT_PREFIX } from '../../infra/constructs/report-archive.ts';
import { definitionSubstitutionNames, programCycleDefinitionText, substituteDefinition } from '../../workflows/program-cycle.ts';
import { acknowledgements, acknowledgementsInUse, logicalId, synthesize, TEST_CONFIG, type Synthesized } from './support.ts';

// CloudFormation JSON is untyped: the tests read it loosely and assert on what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Resource = { Type: string; Properties: Record<string, Loose> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string };

let s: Synthesized;
beforeAll(() => {
  s = synthesize();
}, 240_000);

const resources = (type: string): Record<string, Resource> => s.template.findResources(type) as Record<string, Resource>;
const fnOf = (name: FunctionName) => s.stack.handlers.get(name);
const lambdaProps = (name: FunctionName) => resources('AWS::Lambda::Function')[logicalId(fnOf(name).function)]?.Properties as Record<string, Loose>;
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const getAtt = (construct: Parameters<typeof logicalId>[0], attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId(construct), attribute] });
const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });

/** Every statement of every identity policy (inline policies, managed policies, roles' inline policies). */
function identityStatements(): Array<{ policy: string; statement: Statement }> {
  const out: Array<{ policy: string; statement: Statement }> = [];
  for (const [id, r] of Object.entries(resources('AWS::IAM::Policy'))) {
    for (const statement of (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement) out.push({ policy: id, statement });
  }
  for (const [id, r] of Object.entries(resources('AWS::IAM::ManagedPolicy'))) {
    for (const statement of (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement) out.push({ policy: id, statement });
  }
  for (const [id, r] of Object.entries(resources('AWS::IAM::Role'))) {
    for (const policy of (r.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }> | undefined) ?? []) {
      for (const statement of policy.PolicyDocument.Statement) out.push({ policy: id, statement });
    }
  }
  return out;
}

/** Actions AWS offers no resource-level permission for, and why each appears (the only statements allowed Resource "*"). */
const STAR_RESOURCE_ACTIONS: Record<string, string> = {
  'ses:GetAccount': 'the account-wide SES sending quota (phase-tick paces its sending to it)',
  'xray:PutTraceSegments': 'Lambda and Step Functions X-Ray tracing',
  'xray:PutTelemetryRecords': 'Lambda and Step Functions X-Ray tracing',
  'xray:GetSamplingRules': 'Step Functions X-Ray tracing',
  'xray:GetSamplingTargets': 'Step Functions X-Ray tracing',
  'logs:CreateLogDelivery': 'Step Functions logging (vended logs)',
  'logs:GetLogDelivery': 'Step Functions logging (vended logs)',
  'logs:UpdateLogDelivery': 'Step Functions logging (vended logs)',
  'logs:DeleteLogDelivery': 'Step Functions logging (vended logs)',
  'logs:ListLogDeliveries': 'Step Functions logging (vended logs)',
  'logs:PutResourcePolicy': 'Step Functions logging (vended logs)',
  'logs:DescribeResourcePolicies': 'Step Functions logging (vended logs)',
  'logs:DescribeLogGroups': 'Step Functions logging (vended logs)',
  'cloudwatch:GetMetricData': 'ops read-only: drawing the dashboard',
  'logs:GetQueryResults': 'ops read-only: the dashboard log query',
};

describe('cdk-nag (AwsSolutions) on the synthesized app', () => {
  it('leaves no finding unacknowledged, error or warning', () => {
    expect(s.unacknowledged).toEqual([]);
  });

  it('gives every acknowledgement a concrete reason', () => {
    const acks = acknowledgements(s.app).filter((a) => a.id.startsWith('AwsSolutions-'));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(60);
  });

  it('needs every acknowledgement it makes (none is left over from an earlier design)', () => {
    const used = acknowledgementsInUse(s.app);
    const unused = acknowledgements(s.app)
      .filter((a) => a.id.startsWith('AwsSolutions-'))
      .map((a) => `${a.path} ${a.id}`)
      .filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});

describe('the functions', () => {
  it('builds exactly one Lambda function per catalog entry', () => {
    expect(s.stack.handlers.all.map((fn) => fn.name).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
    // The catalog's functions plus nothing else (no custom-resource handlers slipped in).
    expect(Object.keys(resources('AWS::Lambda::Function'))).toHaveLength(FUNCTIONS.length);
  });

  it('runs the newest Node.js runtime aws-cdk-lib offers', () => {
    const nodeRuntimes = Object.entries(Runtime)
      .filter(([key]) => /^NODEJS_\d+_X$/.test(key))
      .map(([key, runtime]) => ({ major: Number(key.split('_')[1]), runtime: runtime as Runtime }));
    const newest = nodeRuntimes.sort((a, b) => b.major - a.major)[0];
    expect(NODE_RUNTIME.name).toBe(newest?.runtime.name);
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s: arm64, newest Node, ESM bundle, X-Ray, JSON logs to its own log group with retention', (name) => {
    const fn = fnOf(name);
    const props = lambdaProps(name);
    expect(props.Runtime).toBe(NODE_RUNTIME.name);
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Handler).toBe('index.handler');
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: ref(fn.logGroup) });
    expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(props.Role).toEqual(getAtt(fn.role));
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: TEST_CONFIG.logRetentionDays });
    expect(resources('AWS::Logs::LogGroup')[logicalId(fn.logGroup)]?.Properties.RetentionInDays).toBe(TEST_CONFIG.logRetentionDays);
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s: gets exactly the environment its catalog access names, and no secret in it', (name, spec) => {
    const env = lambdaProps(name).Environment.Variables as Record<string, unknown>;
    const expected = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'TANDEM_TABLE_NAME'];
    if (spec.access.sendsEmail) expected.push('TANDEM_SES_CONFIGURATION_SET');
    if (spec.access.writesReports) expected.push('TANDEM_REPORT_BUCKET');
    if (spec.access.readsLinkKey) expected.push('TANDEM_LINK_SIGNING_KEY_SECRET', 'TANDEM_LINK_BASE_URL');
    if ('readsExecutions' in spec.access && spec.access.readsExecutions) expected.push('TANDEM_STATE_MACHINE_ARN');
    if ('route' in spec && spec.route.authorization === 'session') {
      expected.push('TANDEM_CONSOLE_ISSUER', 'TANDEM_CONSOLE_CLIENT_ID', 'TANDEM_CONSOLE_GROUPS_CLAIM', 'TANDEM_CONSOLE_BASE_URL');
    }
    expect(Object.keys(env).sort()).toEqual(expected.sort());
    if (expected.includes('TANDEM_STATE_MACHINE_ARN')) expect(env.TANDEM_STATE_MACHINE_ARN).toEqual(ref(s.stack.workflow.stateMachine));
    expect(env.TANDEM_TABLE_NAME).toEqual(ref(s.stack.dataStore.table));
    if (spec.access.readsLinkKey) {
      // The secret's ARN, never its value; links point at the survey API.
      expect(env.TANDEM_LINK_SIGNING_KEY_SECRET).toEqual(ref(s.stack.linkKey.secret));
      expect(JSON.stringify(env.TANDEM_LINK_BASE_URL)).toContain(logicalId(s.stack.surveyApi.api));
    }
    expect(env).not.toHaveProperty('TANDEM_LINK_SIGNING_KEY');
  });

  it.each(FUNCTIONS.map((f) => [f.name, f] as const))('%s: its access policy grants exactly what its catalog entry names, on exact resources', (name, spec) => {
    const fn = fnOf(name);
    const policy = resources('AWS::IAM::Policy')[logicalId(fn.accessPolicy)];
    const statements = (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const bySid = Object.fromEntries(statements.map((st) => [st.Sid, st]));
    const tableSid = spec.access.table === 'read' ? 'ReadTable' : 'ReadWriteTable';
    const expectedSids = ['WriteOwnLogs', tableSid];
    if (spec.access.sendsEmail) expectedSids.push('SendEmailFromSenderIdentity');
    const pacesSending = 'pacesSending' in spec.access && spec.access.pacesSending;
    if (pacesSending) expectedSids.push('ReadSendQuota');
    if (spec.access.writesReports) expectedSids.push('WriteReports');
    if (spec.access.readsLinkKey) expectedSids.push('ReadLinkSigningKey');
    const readsExecutions = 'readsExecutions' in spec.access && spec.access.readsExecutions;
    if (readsExecutions) expectedSids.push('ListExecutions', 'ReadExecutions');
    const controlsExecutions = 'controlsExecutions' in spec.access && spec.access.controlsExecutions;
    if (controlsExecutions) expectedSids.push('StartExecutions', 'StopExecutions');
    expect(Object.keys(bySid).sort()).toEqual(expectedSids.sort());
    if (controlsExecutions) {
      expect(bySid.StartExecutions).toMatchObject({ Action: 'states:StartExecution', Resource: ref(s.stack.workflow.stateMachine) });
      expect(bySid.StopExecutions?.Action).toBe('states:StopExecution');
      expect(JSON.stringify(bySid.StopExecutions?.Resource)).toContain(':execution:');
    }

    expect(asList(bySid[tableSid]?.Action).sort()).toEqual([...TABLE_ACTIONS[spec.access.table]].sort());
    expect(bySid[tableSid]?.Resource).toEqual([getAtt(s.stack.dataStore.table), { 'Fn::Join': ['', [getAtt(s.stack.dataStore.table), '/index/GSI1']] }]);
    expect(bySid.WriteOwnLogs?.Resource).toEqual(getAtt(fn.logGroup));
    if (spec.access.sendsEmail) {
      expect(bySid.SendEmailFromSenderIdentity?.Action).toBe('ses:SendEmail');
      const resourcesText = JSON.stringify(bySid.SendEmailFromSenderIdentity?.Resource);
      expect(resourcesText).toContain(`:identity/${TEST_CONFIG.senderIdentity}`);
      expect(resourcesText).toContain(':configuration-set/');
      for (const name of s.stack.mailer.templateNames) expect(resourcesText).toContain(`:template/${name}"`);
      expect(resourcesText).not.toContain('*');
      // Its code names the templates, so CloudFormation creates them before it updates the function.
      const dependsOn = (resources('AWS::Lambda::Function')[logicalId(fn.function)] as Resource & { DependsOn?: string[] }).DependsOn ?? [];
      for (const template of s.stack.mailer.templates) expect(dependsOn).toContain(logicalId(template));
    }
    // The sending quota is account-wide: GetAccount has no resource to name.
    if (pacesSending) expect(bySid.ReadSendQuota).toMatchObject({ Action: 'ses:GetAccount', Resource: '*' });
    if (spec.access.writesReports) expect(bySid.WriteReports?.Action).toEqual(['s3:PutObject', 's3:PutObjectTagging']);
    if (readsExecutions) {
      expect(bySid.ListExecutions).toMatchObject({ Action: 'states:ListExecutions', Resource: ref(s.stack.workflow.stateMachine) });
      expect(asList(bySid.ReadExecutions?.Action).sort()).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory']);
      expect(JSON.stringify(bySid.ReadExecutions?.Resource)).toContain(':execution:');
    }
    if (spec.access.readsLinkKey) {
      expect(bySid.ReadLinkSigningKey?.Action).toBe('secretsmanager:GetSecretValue');
      expect(bySid.ReadLinkSigningKey?.Resource).toEqual(ref(s.stack.linkKey.secret));
    }
  });
});

describe('the deployed bundles', () => {
  const assetBytes = (name: FunctionName) => {
    const key = (lambdaProps(name).Code as { S3Key: string }).S3Key;
    return statSync(join(s.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')).size;
  };

  it('are what bench/bundle-sizes.ts measures', async () => {
    // Within 2 %: the same settings give the same bytes, and any setting that differs (an alias, keepNames) moves a
    // bundle by far more; the slack covers source files edited between the synth above and this build.
    const measured = await Promise.all(FUNCTIONS.map((spec) => measure(spec)));
    for (const m of measured) expect(Math.abs(m.bytes - assetBytes(m.name)) / m.bytes, m.name).toBeLessThan(0.02);
  });

  it('each stay under their budget minified (500 KB; the phase tick 520 KB, the review 550 KB, the console 720 KB)', () => {
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
    // Every function over the budget at once, with its size: `npx tsx bench/bundle-sizes.ts --top 12` shows what weighs.
    expect(FUNCTIONS.filter((f) => assetBytes(f.name) >= budgetOf(f.name)).map((f) => `${f.name}: ${kb(assetBytes(f.name))}`)).toEqual([]);
  });

  it('load as ES modules and export a handler (module initialisation, shims and stand-ins included)', async () => {
    for (const f of FUNCTIONS) {
      const key = (lambdaProps(f.name).Code as { S3Key: string }).S3Key;
      const bundle = (await import(pathToFileURL(join(s.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof bundle.handler, f.name).toBe('function');
    }
  });

  it('run: the bundled ses-events handler refuses a malformed event, naming the problem, before touching any service', async () => {
    const key = (lambdaProps('ses-events').Code as { S3Key: string }).S3Key;
    const { handler } = (await import(pathToFileURL(join(s.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    const context = { functionName: 'ses-events', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 1000 };
    const error = (await handler({ source: 'aws.ses', 'detail-type': 'Email Bounced', detail: { eventType: 'Bounce' } }, context).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(/detail\.mail: Invalid input: expected object, received undefined/);
  });

  it('carry an AWS client only when their catalog entry grants that access (a refusing stand-in otherwise)', () => {
    const services = [
      ['SES', (f: FunctionSpec) => f.access.sendsEmail],
      ['Secrets Manager', (f: FunctionSpec) => f.access.readsLinkKey],
    ] as const;
    for (const f of FUNCTIONS) {
      const key = (lambdaProps(f.name).Code as { S3Key: string }).S3Key;
      const bundle = readFileSync(join(s.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
      for (const [service, granted] of services) expect(bundle.includes(`does not grant ${service} access`), `${f.name} / ${service}`).toBe(!granted(f));
    }
  });
});

describe('IAM across the stack', () => {
  it('names specific actions in every identity-policy statement (no wildcard action)', () => {
    const wildcards = identityStatements()
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ policy, statement }) =>
        asList(statement.Action)
          .filter((a) => a.includes('*'))
          .map((a) => `${policy}: ${a}`),
      );
    expect(wildcards).toEqual([]);
  });

  it('uses Resource "*" only for actions AWS offers no narrower resource for', () => {
    const offenders = identityStatements()
      .filter(({ statement }) => statement.Effect === 'Allow' && asList(statement.Resource).includes('*'))
      .flatMap(({ policy, statement }) =>
        asList(statement.Action)
          .filter((a) => !(a in STAR_RESOURCE_ACTIONS))
          .map((a) => `${policy}: ${a}`),
      );
    expect(offenders).toEqual([]);
  });

  it('scopes every other wildcard in a resource: report objects under cycles/, this state machine’s executions, Tandem’s SES templates, the ops pages', () => {
    const wildcardResources = identityStatements()
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ statement }) => asList(statement.Resource))
      .filter((r) => r !== '*' && JSON.stringify(r).includes('*'))
      .map((r) => JSON.stringify(r));
    for (const r of wildcardResources) {
      const scoped =
        r.includes(`"${logicalId(s.stack.reports.bucket)}","Arn"]},"/cycles/*"`) ||
        (r.includes(':execution:') && r.includes(logicalId(s.stack.workflow.stateMachine))) ||
        r.includes(':template/tandem-*') ||
        (r.includes(logicalId(s.stack.surveyApi.api)) && /\/(GET|HEAD)\/ops\/\*"/.test(r));
      expect(scoped, r).toBe(true);
    }
  });

  it('lets the state machine invoke exactly the functions its definition names', () => {
    const statements = identityStatements().filter(({ statement }) => asList(statement.Action).includes('lambda:InvokeFunction'));
    expect(statements).toHaveLength(1);
    const expected = FUNCTIONS.filter((f) => 'definitionSubstitution' in f).map((f) => getAtt(fnOf(f.name).function));
    expect(asList(statements[0]?.statement.Resource)).toEqual(expected);
  });
});

describe('the data store', () => {
  it('is one on-demand table with point-in-time recovery, deletion protection, TTL and the designed keys and index', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DESIGN.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });

  it('is encrypted with an AWS-owned key by default and kept when the stack is deleted', () => {
    const [table] = Object.values(s.template.findResources('AWS::DynamoDB::Table')) as Array<Resource & { DeletionPolicy?: string }>;
    // SSEEnabled false is DynamoDB's AWS-owned key (true would be the AWS-managed KMS key).
    expect(table?.Properties.SSESpecification).toEqual({ SSEEnabled: false });
    expect(table?.DeletionPolicy).toBe('Retain');
  });
});

describe('the program-cycle state machine', () => {
  const stateMachine = () => Object.values(resources('AWS::StepFunctions::StateMachine'))[0]?.Properties as Record<string, Loose>;

  it('is a Standard state machine with logging level ALL to a log group with retention, and X-Ray tracing', () => {
    s.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const props = stateMachine();
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: true,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: getAtt(s.stack.workflow.logGroup) } }],
    });
    expect(resources('AWS::Logs::LogGroup')[logicalId(s.stack.workflow.logGroup)]?.Properties.RetentionInDays).toBe(TEST_CONFIG.logRetentionDays);
  });

  it('deploys the definition in workflows/ unchanged, with each placeholder bound to its function’s ARN', () => {
    const props = stateMachine();
    expect(typeof props.DefinitionString).toBe('string');
    expect(JSON.parse(props.DefinitionString as string)).toEqual(JSON.parse(programCycleDefinitionText()));
    const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual([...definitionSubstitutionNames].sort());
    for (const spec of FUNCTIONS) {
      if ('definitionSubstitution' in spec) expect(substitutions[spec.definitionSubstitution]).toEqual(getAtt(fnOf(spec.name).function));
    }
    // Substituting as CloudFormation will gives the definition the local engine runs, with these ARNs.
    const arns = Object.fromEntries(
      Object.entries(substitutions).map(([name, value]) => [
        name,
        `arn:aws:lambda:eu-west-1:123456789012:function:${(value as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]}`,
      ]),
    );
    expect(substituteDefinition(props.DefinitionString as string, arns)).toEqual(substituteDefinition(programCycleDefinitionText(), arns));
  });

  it('gives every Lambda task more time than its function has, so a function timing out is reported as its own error', () => {
    const definition = JSON.parse(programCycleDefinitionText()) as { States: Record<string, { Type: string; Resource?: string; TimeoutSeconds?: number }> };
    const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(0);
    for (const [stateName, state] of tasks) {
      const spec = FUNCTIONS.find((f) => 'definitionSubstitution' in f && state.Resource === `\${${f.definitionSubstitution}}`);
      expect(spec, `${stateName} runs a catalog function`).toBeDefined();
      const functionTimeout = lambdaProps(spec!.name).Timeout as number;
      expect(state.TimeoutSeconds, stateName).toBeGreaterThan(functionTimeout);
    }
  });

  it('gives identify a whole vCPU, room for a 10,000-person exact matching and 15 minutes', () => {
    expect(lambdaProps('identify')).toMatchObject({ MemorySize: 3008, Timeout: 900 });
  });

  it('waits for no task token: answered phases loop Task → Choice → Wait', () => {
    expect(stateMachine().DefinitionString as string).not.toContain('waitForTaskToken');
  });
});

describe('SES', () => {
  it('sends through a configuration set with reputation metrics, TLS required and bounce/complaint suppression', () => {
    s.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('publishes bounces and complaints, and only those, to the default EventBridge bus', () => {
    s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: ref(s.stack.mailer.configurationSet),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    const destination = Object.values(resources('AWS::SES::ConfigurationSetEventDestination'))[0];
    expect(JSON.stringify(destination)).toContain(':event-bus/default');
  });

  it('deploys every participant email template with the content the functions name', () => {
    const deployed = Object.values(resources('AWS::SES::Template')).map(
      (r) => (r.Properties as { Template: { TemplateName: string; SubjectPart: string; HtmlPart: string; TextPart: string } }).Template,
    );
    const expected = emailTemplatesToCreate();
    expect(deployed.map((t) => t.TemplateName).sort()).toEqual(expected.map((t) => t.name).sort());
    expect(expected.map((t) => t.name).sort()).toEqual(Object.values(EMAIL_TEMPLATE_NAMES).sort());
    for (const template of expected) {
      expect(deployed.find((t) => t.TemplateName === template.name)).toEqual({
        TemplateName: template.name,
        SubjectPart: template.subject,
        HtmlPart: template.html,
        TextPart: template.text,
      });
    }
  });

  it('creates the sender identity from the configuration, attached to the configuration set', () => {
    s.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: TEST_CONFIG.senderIdentity,
      ConfigurationSetAttributes: { ConfigurationSetName: ref(s.stack.mailer.configurationSet) },
    });
  });

  it('routes this configuration set’s bounce and complaint events to the ses-events handler, with a dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': [...SES_EVENT_DETAIL_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': [ref(s.stack.mailer.configurationSet)] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: getAtt(fnOf('ses-events').function),
          DeadLetterConfig: { Arn: getAtt(s.stack.mailer.eventDeadLetterQueue) },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    expect(lambdaProps('ses-events').DeadLetterConfig).toEqual({ TargetArn: getAtt(s.stack.mailer.eventDeadLetterQueue) });
  });
});

describe('telling HR a cycle ended', () => {
  it('keeps an undeliverable notice in a dead-letter queue, with an alarm on it', () => {
    const dlq = getAtt(s.stack.operations.cycleEndedDeadLetterQueue);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.states'] }),
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: dlq }, RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 86400 } })],
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(s.stack.operations.cycleEndedDeadLetterQueue, 'QueueName') }],
    });
  });
});

describe('following a cycle’s failures and redrives', () => {
  it('invokes mark-cycle-failed when an execution of the workflow fails, times out, is aborted or is redriven, with a dead-letter queue and an alarm', () => {
    const dlq = getAtt(s.stack.operations.cycleStatusDeadLetterQueue);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [ref(s.stack.workflow.stateMachine)],
          $or: [{ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }, { status: ['RUNNING'], redriveCount: [{ numeric: ['>', 0] }] }],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: getAtt(fnOf('mark-cycle-failed').function),
          DeadLetterConfig: { Arn: dlq },
          RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(fnOf('mark-cycle-failed').function),
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(s.stack.operations.cycleStatusDeadLetterQueue, 'QueueName') }],
    });
  });
});

describe('the survey API', () => {
  it('serves GET, HEAD and POST /s/{token} from the survey-api function with payload format 2.0', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    for (const routeKey of ['GET /s/{token}', 'HEAD /s/{token}', 'POST /s/{token}'])
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: getAtt(fnOf('survey-api').function),
      PayloadFormatVersion: '2.0',
    });
  });

  it('serves GET, HEAD and POST /session/{token} from the session-api function, without an authorizer', () => {
    for (const routeKey of ['GET /session/{token}', 'HEAD /session/{token}', 'POST /session/{token}'])
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: getAtt(fnOf('session-api').function),
      PayloadFormatVersion: '2.0',
    });
  });

  it('serves the ops page GET and HEAD only behind IAM authorization, and the console GET, HEAD and POST to its own sign-in', () => {
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties as { RouteKey: string; AuthorizationType: string });
    const routed = FUNCTIONS.flatMap((f) => ('route' in f ? [f] : []));
    expect(routed.map((f) => [f.name, f.route.authorization])).toEqual([
      ['ops-api', 'iam'],
      ['console', 'session'],
    ]);
    const keysOf = (path: string, methods: string[]) => methods.flatMap((m) => [`${m} ${path}`, `${m} ${path}/{proxy+}`]);
    for (const key of keysOf('/ops', ['GET', 'HEAD'])) expect(routes.find((r) => r.RouteKey === key)?.AuthorizationType, key).toBe('AWS_IAM');
    for (const key of keysOf('/console', ['GET', 'HEAD', 'POST'])) expect(routes.find((r) => r.RouteKey === key)?.AuthorizationType, key).toBe('NONE');
    expect(routes.find((r) => r.RouteKey === 'POST /ops')).toBeUndefined();
    // 3 survey, 3 session, 4 ops, 6 console routes.
    expect(routes).toHaveLength(3 + 3 + 4 + 6);
  });

  it('throttles each ops route on its own limits, apart from the participants’ links', () => {
    const stage = Object.values(resources('AWS::ApiGatewayV2::Stage'))[0]?.Properties as {
      RouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    };
    const routed = FUNCTIONS.flatMap((f) => ('route' in f ? [f] : []));
    for (const f of routed) {
      const methods = f.route.authorization === 'iam' ? ['GET', 'HEAD'] : ['GET', 'HEAD', 'POST'];
      for (const key of methods.flatMap((m) => [`${m} ${f.route.path}`, `${m} ${f.route.path}/{proxy+}`])) {
        expect(stage.RouteSettings[key], key).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
      }
    }
    expect(Object.keys(stage.RouteSettings).filter((key) => key.includes('/s/'))).toEqual([]);
  });

  it('is throttled and access-logged at its $default stage, without the path (it holds the token)', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
      AccessLogSettings: { DestinationArn: getAtt(s.stack.surveyApi.accessLogs) },
    });
    const stage = Object.values(resources('AWS::ApiGatewayV2::Stage'))[0]?.Properties as { AccessLogSettings: { Format: string } };
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(Object.values(format)).not.toContain('$context.path');
    expect(Object.values(format)).not.toContain('$context.identity.sourceIp');
  });

  it('signs links with a key Secrets Manager generates, so the key is in no template or environment', () => {
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    expect(JSON.stringify(resources('AWS::SecretsManager::Secret'))).not.toContain('"SecretString":');
  });
});

describe('the report bucket', () => {
  it('is private, encrypted, TLS-only, versioned, and logs access to a second bucket', () => {
    const bucket = resources('AWS::S3::Bucket')[logicalId(s.stack.reports.bucket)]?.Properties as Record<string, Loose>;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration).toEqual({ DestinationBucketName: ref(s.stack.reports.accessLogs), LogFilePrefix: 'reports/' });
    expect(JSON.stringify(bucket.LifecycleConfiguration)).toContain(`"ExpirationInDays":${Number(TEST_CONFIG.reportRetentionDays)}`);
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(s.stack.reports.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('retention of personal data', () => {
  it('expires each report after its program’s retention class, by tag, under the deployment’s ceiling, and cycle items by TTL', () => {
    const bucket = resources('AWS::S3::Bucket')[logicalId(s.stack.reports.bucket)]?.Properties as Record<string, Loose>;
    const rules = (bucket.LifecycleConfiguration as { Rules: Array<Record<string, Loose>> }).Rules;
    expect(rules.find((r) => r.Id === 'expire-reports')).toMatchObject({
      Prefix: REPORT_PREFIX,
      ExpirationInDays: Number(TEST_CONFIG.reportRetentionDays),
      Status: 'Enabled',
    });
    for (const days of REPORT_RETENTION_CLASSES) {
      expect(rules.find((r) => r.Id === `expire-reports-${days}d`)).toMatchObject({
        Prefix: REPORT_PREFIX,
        TagFilters: [{ Key: REPORT_RETENTION_TAG, Value: String(days) }],
        ExpirationInDays: days,
        Status: 'Enabled',
      });
    }
    // Every program retention (30 to 3650 days) falls in a class the bucket has a rule for.
    expect(reportRetentionClass(MIN_RETENTION_DAYS)).toBe(REPORT_RETENTION_CLASSES[0]);
    expect(reportRetentionClass(MAX_RETENTION_DAYS)).toBe(REPORT_RETENTION_CLASSES.at(-1));
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
    });
  });

  it('lets the review tag the reports it writes', () => {
    const statements = Object.values<Resource>(resources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Array<{ Sid?: string; Action: string | string[] }> }).Statement,
    );
    const writes = statements.filter((st) => st.Sid === 'WriteReports');
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) expect(statement.Action).toEqual(['s3:PutObject', 's3:PutObjectTagging']);
  });
});

describe('operations', () => {
  const alarmsOn = (metricName: string) =>
    Object.values<Resource>(resources('AWS::CloudWatch::Alarm')).filter((alarm) => alarm.Properties.MetricName === metricName);

  it('alarms on failed, timed-out and aborted cycles into the ops topic', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const [alarm, ...more] = alarmsOn(metric);
      expect(more).toHaveLength(0);
      expect(alarm?.Properties.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: ref(s.stack.workflow.stateMachine) }]);
      expect(alarm?.Properties.AlarmActions).toEqual([ref(s.stack.operations.opsTopic)]);
    }
  });

  it('alarms on every function’s errors and throttles', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const alarmed = alarmsOn(metric).map((alarm) => JSON.stringify(alarm.Properties.Dimensions));
      for (const fn of s.stack.handlers.all) expect(alarmed).toContain(JSON.stringify([{ Name: 'FunctionName', Value: ref(fn.function) }]));
    }
  });

  it('alarms on the SES bounce and complaint rates of the configuration set, and on undeliverable bounce events', () => {
    const [bounce] = alarmsOn('Reputation.BounceRate');
    expect(bounce?.Properties).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.04 });
    expect(bounce?.Properties.Dimensions).toEqual([{ Name: 'ses:configuration-set', Value: ref(s.stack.mailer.configurationSet) }]);
    expect(alarmsOn('Reputation.ComplaintRate')).toHaveLength(1);
    // One on the bounce events' dead-letter queue, one on the cycle-ended notices' (see 'telling HR a cycle ended'),
    // one on the cycle status changes' (see 'following a cycle’s failures and redrives').
    const queues = alarmsOn('ApproximateNumberOfMessagesVisible').map((alarm) => JSON.stringify(alarm.Properties.Dimensions));
    expect(queues).toHaveLength(3);
    expect(queues).toContain(JSON.stringify([{ Name: 'QueueName', Value: getAtt(s.stack.mailer.eventDeadLetterQueue, 'QueueName') }]));
  });

  it('emails the ops topic’s alarms to ops and tells HR when a cycle ends', () => {
    for (const address of TEST_CONFIG.opsEmails as string[]) {
      s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: address, TopicArn: ref(s.stack.operations.opsTopic) });
    }
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'hr@acme.test', TopicArn: ref(s.stack.operations.hrTopic) });
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.states'], detail: { stateMachineArn: [ref(s.stack.workflow.stateMachine)] } },
      Targets: [Match.objectLike({ Arn: ref(s.stack.operations.hrTopic) })],
    });
  });

  it('draws a dashboard of cycles and phases', () => {
    const [dashboard] = Object.values(resources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const text of ['ExecutionsStarted', 'ExecutionsSucceeded', 'TaskStateEntered', 'Reputation.BounceRate', 'phase-tick']) expect(body).toContain(text);
  });
});

describe('access for people', () => {
  const managed = (construct: Parameters<typeof logicalId>[0]) =>
    (resources('AWS::IAM::ManagedPolicy')[logicalId(construct)]?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;

  it('lets HR operators start and follow cycles, import rosters and read reports, on this stack’s resources only', () => {
    const statements = managed(s.stack.access.hrOperator);
    const actions = statements.flatMap((st) => asList(st.Action));
    for (const action of ['states:StartExecution', 'states:DescribeExecution', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 's3:GetObject'])
      expect(actions).toContain(action);
    expect(statements.find((st) => st.Sid === 'StartCycles')?.Resource).toEqual(ref(s.stack.workflow.stateMachine));
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.filter((a) => a.startsWith('iam:') || a.startsWith('lambda:'))).toEqual([]);
  });

  it('lets HR operators erase a person and reindex programs on this stack’s table, keying the suppression list with the link key', () => {
    const statements = managed(s.stack.access.hrOperator);
    const erase = statements.find((st) => st.Sid === 'ErasePeopleAndReindexPrograms');
    expect(asList(erase?.Action).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:Scan']);
    expect(JSON.stringify(erase?.Resource)).toContain(logicalId(s.stack.dataStore.table));
    expect(JSON.stringify(erase?.Resource)).not.toContain('/index/');
    const key = statements.find((st) => st.Sid === 'KeySuppressionList');
    expect(asList(key?.Action)).toEqual(['secretsmanager:GetSecretValue']);
    expect(key?.Resource).toEqual(ref(s.stack.linkKey.secret));
  });

  it('lets HR operators email session announcements from the sender identity through the configuration set only', () => {
    const send = managed(s.stack.access.hrOperator).find((st) => st.Sid === 'SendSessionEmails');
    expect(asList(send?.Action)).toEqual(['ses:SendEmail']);
    const resources = JSON.stringify(send?.Resource);
    expect(resources).toContain(':identity/');
    expect(resources).toContain(':configuration-set/');
    expect(asList(send?.Resource).some((r) => r === '*' || (typeof r === 'string' && r.endsWith(':identity/*')))).toBe(false);
  });

  it('lets HR operators and ops redrive a failed execution of this stack’s workflow, and nothing else of Step Functions’ changes to ops', () => {
    for (const policy of [s.stack.access.hrOperator, s.stack.access.opsReadOnly]) {
      const redrive = managed(policy).filter((st) => asList(st.Action).includes('states:RedriveExecution'));
      expect(redrive).toHaveLength(1);
      expect(asList(redrive[0]?.Action)).toEqual(['states:RedriveExecution']);
      expect(JSON.stringify(redrive[0]?.Resource)).toContain(':execution:');
      expect(JSON.stringify(redrive[0]?.Resource)).toContain(logicalId(s.stack.workflow.stateMachine));
    }
  });

  it('gives ops read-only access: executions, their history, the stack’s logs, alarms and dashboard (and the redrive of a failed execution)', () => {
    const statements = managed(s.stack.access.opsReadOnly);
    const actions = statements.flatMap((st) => asList(st.Action));
    // Nothing of the table: its partitions hold rosters and answers beside the cycle items.
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toEqual([]);
    for (const action of ['states:ListExecutions', 'states:DescribeExecution', 'states:GetExecutionHistory', 'logs:FilterLogEvents', 'cloudwatch:GetDashboard'])
      expect(actions).toContain(action);
    for (const action of actions.filter((a) => a !== 'states:RedriveExecution'))
      expect(action, action).toMatch(/^([a-z]+:(Describe|Get|List|Filter|StartQuery)|execute-api:Invoke$)/);
    const invoke = JSON.stringify(statements.find((st) => st.Sid === 'OpenOpsPage')?.Resource);
    expect(invoke).toContain('/GET/ops');
    expect(invoke).not.toMatch(/\/(POST|PUT|DELETE|\*)\//);
    const logGroups = statements.find((st) => st.Sid === 'ReadStackLogs')?.Resource;
    expect(asList(logGroups)).toHaveLength(2 + FUNCTIONS.length);
  });
});
