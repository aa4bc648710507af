import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { usesExampleIdentity, type TandemConfig } from './config.ts';
import { AccessPolicies } from './constructs/access-policies.ts';
import { ConsoleSignIn } from './constructs/console-sign-in.ts';
import { DataStore } from './constructs/data-store.ts';
import { Handlers } from './constructs/handlers.ts';
import { LinkSigningKey } from './constructs/link-signing-key.ts';
import { Mailer } from './constructs/mailer.ts';
import { Operations } from './constructs/operations.ts';
import { ProgramCycleWorkflow } from './constructs/program-cycle-workflow.ts';
import { ReportArchive } from './constructs/report-archive.ts';
import { SurveyApi } from './constructs/survey-api.ts';

export interface TandemStackProps extends StackProps {
  readonly config: TandemConfig;
}

/** Tandem on AWS: one stack, composed of constructs named after what they are. */
export class TandemStack extends Stack {
  readonly dataStore: DataStore;
  readonly reports: ReportArchive;
  readonly linkKey: LinkSigningKey;
  readonly mailer: Mailer;
  readonly surveyApi: SurveyApi;
  readonly consoleSignIn: ConsoleSignIn;
  readonly handlers: Handlers;
  readonly workflow: ProgramCycleWorkflow;
  readonly operations: Operations;
  readonly access: AccessPolicies;
  readonly encryptionKey?: kms.Key;

  constructor(scope: Construct, id: string, props: TandemStackProps) {
    super(scope, id, { description: 'Tandem: reverse-mentoring program cycles on Step Functions, Lambda, DynamoDB and SES.', ...props });
    const { config } = props;
    const dataRemoval = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    if (usesExampleIdentity(config)) {
      Annotations.of(this).addWarningV2(
        'tandem:example-sender',
        `senderIdentity is ${config.senderIdentity}, an example domain SES can never verify: set your own (infra/tandem.config.json, -c tandem:senderIdentity=... or TANDEM_SENDER_IDENTITY) before deploying.`,
      );
    }

    if (config.customerManagedKey) {
      this.encryptionKey = new kms.Key(this, 'DataKey', {
        description: 'Tandem: encrypts the DynamoDB table and the notification topics.',
        enableKeyRotation: true,
        removalPolicy: dataRemoval,
      });
      // Alarms and EventBridge publish to the encrypted topics.
      this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowAlarmsAndEventsToPublishToEncryptedTopics',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'], // in a key policy, "*" means this key
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
    }

    this.dataStore = new DataStore(this, 'DataStore', {
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
      deletionProtection: config.tableDeletionProtection,
      removalPolicy: dataRemoval,
    });
    this.reports = new ReportArchive(this, 'ReportArchive', {
      reportRetention: Duration.days(config.reportRetentionDays),
      accessLogRetention: Duration.days(config.accessLogRetentionDays),
      removalPolicy: dataRemoval,
    });
    this.linkKey = new LinkSigningKey(this, 'LinkSigningKey', { removalPolicy: dataRemoval });
    this.mailer = new Mailer(this, 'Mailer', {
      senderIdentity: config.senderIdentity,
      createSenderIdentity: config.createSenderIdentity,
      sandboxRecipients: config.sandboxRecipients,
      ...(config.sesMaxSendRate !== undefined ? { maxSendRate: config.sesMaxSendRate } : {}),
    });
    this.surveyApi = new SurveyApi(this, 'SurveyApi', {
      rateLimit: config.surveyApiRateLimit,
      burstLimit: config.surveyApiBurstLimit,
      routeRateLimit: config.opsApiRateLimit,
      routeBurstLimit: config.opsApiBurstLimit,
      logRetention,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    this.handlers = new Handlers(this, 'Functions', {
      dataStore: this.dataStore,
      mailer: this.mailer,
      reports: this.reports,
      linkKey: this.linkKey,
      surveyApi: this.surveyApi,
      logRetention,
      asyncDeadLetterQueues: { 'ses-events': this.mailer.eventDeadLetterQueue },
    });
    this.surveyApi.serve(this.handlers.get('survey-api'));
    this.surveyApi.serveSessions(this.handlers.get('session-api'));
    const routes: Array<{ path: string; authorization: 'iam' | 'session' }> = [];
    for (const fn of this.handlers.all) {
      if (fn.spec.route) {
        this.surveyApi.serveRoute(fn, fn.spec.route);
        routes.push(fn.spec.route);
      }
    }
    this.consoleSignIn = new ConsoleSignIn(this, 'ConsoleSignIn', {
      domainPrefix: config.consoleDomainPrefix,
      consoleBaseUrl: this.surveyApi.url,
      extraConsoleBaseUrls: config.consoleBaseUrls,
      removalPolicy: dataRemoval,
    });
    this.handlers.bindWhere((spec) => spec.route?.authorization === 'session', this.consoleSignIn.signingIn(), this.surveyApi.console());
    this.mailer.deliverEventsTo(this.handlers.get('ses-events'));

    this.workflow = new ProgramCycleWorkflow(this, 'ProgramCycle', {
      functions: this.handlers.byName,
      logRetention,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    this.handlers.bindWhere((spec) => spec.access.readsExecutions === true, this.workflow.readingExecutions());
    this.handlers.bindWhere((spec) => 'controlsExecutions' in spec.access && spec.access.controlsExecutions === true, this.workflow.controllingExecutions());

    this.operations = new Operations(this, 'Operations', {
      stateMachine: this.workflow.stateMachine,
      workflowLogGroup: this.workflow.logGroup,
      functions: this.handlers.all,
      surveyApi: this.surveyApi.api,
      configurationSetName: this.mailer.configurationSet.configurationSetName,
      sesEventDeadLetterQueue: this.mailer.eventDeadLetterQueue,
      opsEmails: config.opsEmails,
      hrEmails: config.hrEmails,
      bounceRateThreshold: config.bounceRateAlarmThreshold,
      ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
    });

    this.access = new AccessPolicies(this, 'Access', {
      policyNamePrefix: this.stackName,
      workflow: this.workflow,
      dataStore: this.dataStore,
      linkKey: this.linkKey,
      mailer: this.mailer,
      reports: this.reports,
      logGroups: [this.workflow.logGroup, this.surveyApi.accessLogs, ...this.handlers.all.map((fn) => fn.logGroup)],
      alarms: this.operations.alarms,
      dashboard: this.operations.dashboard,
      opsPageArns: routes.filter((route) => route.authorization === 'iam').flatMap((route) => this.surveyApi.invokeArns(route.path)),
    });

    const outputs: Record<string, [string, string]> = {
      SurveyApiUrl: [this.surveyApi.url, 'Base URL of the emailed survey links (TANDEM_LINK_BASE_URL).'],
      StateMachineArn: [this.workflow.stateMachineArn, 'The program-cycle state machine (TANDEM_STATE_MACHINE_ARN for the CLI).'],
      TableName: [this.dataStore.table.tableName, 'The DynamoDB table (TANDEM_TABLE_NAME for the CLI).'],
      LinkSigningKeySecretArn: [
        this.linkKey.secret.secretArn,
        'The link-signing key, for tandem person erase and export and session add and announce (TANDEM_LINK_SIGNING_KEY_SECRET for the CLI).',
      ],
      ReportBucket: [this.reports.bucket.bucketName, 'Cycle reports, under cycles/<cycleId>/ (TANDEM_REPORT_BUCKET).'],
      ConfigurationSetName: [this.mailer.configurationSet.configurationSetName, 'SES configuration set every email goes through.'],
      HrOperatorPolicyArn: [this.access.hrOperator.managedPolicyArn, 'Attach to the HR operators (role, group or Identity Center permission set).'],
      OpsReadOnlyPolicyArn: [this.access.opsReadOnly.managedPolicyArn, 'Attach to the ops engineers.'],
      ConsoleUrl: [`${this.surveyApi.url.replace(/\/$/, '')}/console`, 'The HR and ops console (sign in with a user of the ConsoleUserPoolId pool).'],
      ConsoleUserPoolId: [this.consoleSignIn.userPool.userPoolId, 'Add console users here (docs/deploy.md): groups hr and ops.'],
      OpsTopicArn: [this.operations.opsTopic.topicArn, 'Alarms go here.'],
      DashboardName: [this.operations.dashboard.dashboardName, 'CloudWatch dashboard of cycles and phases.'],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) new CfnOutput(this, name, { value, description });
  }
}
