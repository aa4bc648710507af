import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TandemFunction } from './tandem-function.ts';

export interface OperationsProps {
  readonly stateMachine: sfn.StateMachine;
  readonly workflowLogGroup: logs.ILogGroup;
  readonly functions: readonly TandemFunction[];
  readonly surveyApi: apigw.HttpApi;
  readonly configurationSetName: string;
  readonly sesEventDeadLetterQueue: sqs.IQueue;
  readonly opsEmails: readonly string[];
  readonly hrEmails: readonly string[];
  readonly bounceRateThreshold: number;
  /**
   * Encrypts the topics when given. Without it they carry no SSE: they hold alarm names and cycle ids,
   * no personal data, and alarms and EventBridge cannot publish to a topic under the AWS-managed SNS key.
   */
  readonly encryptionKey?: kms.IKey;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Operations: the ops topic (alarms) and the HR topic (cycle ended), the alarms on the
 * workflow, the functions, the survey API, SES reputation and the bounce dead-letter queue,
 * and a dashboard of cycles and phases.
 */
export class Operations extends Construct {
  readonly opsTopic: sns.Topic;
  readonly hrTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly cycleEndedDeadLetterQueue: sqs.Queue;
  readonly cycleStatusDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const topicProps = { enforceSSL: true, ...(props.encryptionKey ? { masterKey: props.encryptionKey } : {}) };
    this.opsTopic = new sns.Topic(this, 'OpsTopic', { ...topicProps, displayName: 'Tandem operations alarms' });
    this.hrTopic = new sns.Topic(this, 'HrTopic', { ...topicProps, displayName: 'Tandem cycle notices' });
    for (const address of props.opsEmails) this.opsTopic.addSubscription(new subscriptions.EmailSubscription(address));
    for (const address of props.hrEmails) this.hrTopic.addSubscription(new subscriptions.EmailSubscription(address));

    const sm = props.stateMachine;
    const workflowAlarms: Array<[string, cloudwatch.Metric, string]> = [
      [
        'CyclesFailed',
        sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
        'A program-cycle execution failed (the cycle is marked failed and ops were emailed).',
      ],
      ['CyclesTimedOut', sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 'A program-cycle execution timed out.'],
      ['CyclesAborted', sm.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }), 'A program-cycle execution was stopped (aborted).'],
    ];
    for (const [name, metric, description] of workflowAlarms) this.alarm(name, metric, 1, description);

    for (const fn of props.functions) {
      const id = pascal(fn.name);
      this.alarm(`${id}Errors`, fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${fn.name} function reported errors.`);
      this.alarm(`${id}Throttles`, fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${fn.name} function was throttled.`);
    }

    const sesDimensions = { 'ses:configuration-set': props.configurationSetName };
    const bounceRate = new cloudwatch.Metric({
      namespace: 'AWS/SES',
      metricName: 'Reputation.BounceRate',
      dimensionsMap: sesDimensions,
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
    const complaintRate = new cloudwatch.Metric({
      namespace: 'AWS/SES',
      metricName: 'Reputation.ComplaintRate',
      dimensionsMap: sesDimensions,
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
    this.alarm(
      'SesBounceRate',
      bounceRate,
      props.bounceRateThreshold,
      `Bounce rate of Tandem's SES configuration set reached ${props.bounceRateThreshold * 100} % (SES reviews the account at 5 %, may pause sending at 10 %).`,
    );
    this.alarm('SesComplaintRate', complaintRate, 0.001, "Complaint rate of Tandem's SES configuration set reached 0.1 % (SES reviews the account at 0.1 %).");

    const dlqDepth = props.sesEventDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' });
    this.alarm('SesEventsDeadLetters', dlqDepth, 1, 'Bounce or complaint events could not be handled; those participants are not yet marked unreachable.');

    const api5xx = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: props.surveyApi.apiId },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });
    this.alarm('SurveyApi5xx', api5xx, 5, 'The survey API answered with server errors: participants may not be able to answer.');

    // HR hears when a cycle ends, whatever the outcome. A notice SNS would not take (throttled, a
    // key policy changed) waits in a dead-letter queue, with an alarm, instead of being dropped.
    this.cycleEndedDeadLetterQueue = new sqs.Queue(this, 'CycleEndedDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.cycleEndedDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the cycle-ended EventBridge target (cdk-nag only recognizes queue redrive policies).',
    });
    const cycleEndedDeadLetters = this.cycleEndedDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' });
    this.alarm(
      'CycleEndedDeadLetters',
      cycleEndedDeadLetters,
      1,
      'A cycle-ended notice could not be delivered to the HR topic; HR was not told a cycle ended.',
    );
    new events.Rule(this, 'CycleEndedRule', {
      description: 'Tandem: tells HR when a program cycle ends.',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [sm.stateMachineArn], status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      targets: [
        new targets.SnsTopic(this.hrTopic, {
          deadLetterQueue: this.cycleEndedDeadLetterQueue,
          retryAttempts: 24,
          maxEventAge: Duration.hours(24),
          message: events.RuleTargetInput.fromText(
            `Tandem cycle ${events.EventField.fromPath('$.detail.name')} ended: ${events.EventField.fromPath('$.detail.status')}. The report and the cycle's status are in the Tandem CLI (tandem cycle status).`,
          ),
        }),
      ],
    });

    this.cycleStatusDeadLetterQueue = this.followCycleStatus(props);
    this.dashboard = this.buildDashboard(props, bounceRate, complaintRate);
  }

  /**
   * A failed step fails the execution itself (no Catch), so that RedriveExecution can resume it
   * where it failed. The cycle learns of it from this rule: a failed, timed-out or aborted
   * execution marks its cycle failed and emails ops; a redriven one marks it running again. An
   * event that cannot be delivered, or that the function fails to handle, waits in a dead-letter
   * queue with an alarm on it.
   */
  private followCycleStatus(props: OperationsProps): sqs.Queue {
    const handler = props.functions.find((fn) => fn.name === 'mark-cycle-failed');
    if (!handler) throw new Error('the mark-cycle-failed function is missing from the catalog');
    const deadLetterQueue = new sqs.Queue(this, 'CycleStatusDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the cycle-status EventBridge target and of the function it invokes (cdk-nag only recognizes queue redrive policies).',
    });
    handler.function.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(deadLetterQueue) });
    new events.Rule(this, 'CycleStatusRule', {
      description: 'Tandem: marks a cycle failed when its execution fails, times out or is aborted, and running again when it is redriven.',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [props.stateMachine.stateMachineArn],
          $or: [{ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }, { status: ['RUNNING'], redriveCount: [{ numeric: ['>', 0] }] }],
        },
      },
      targets: [new targets.LambdaFunction(handler.function, { deadLetterQueue, retryAttempts: 24, maxEventAge: Duration.hours(24) })],
    });
    this.alarm(
      'CycleStatusDeadLetters',
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      1,
      'A failed or redriven execution could not be reflected on its cycle: the cycle status may be wrong and ops may not have been emailed.',
    );
    return deadLetterQueue;
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Tandem: ${description}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.opsTopic));
    alarm.addOkAction(new actions.SnsAction(this.opsTopic));
    this.alarms.push(alarm);
    return alarm;
  }

  private buildDashboard(props: OperationsProps, bounceRate: cloudwatch.Metric, complaintRate: cloudwatch.Metric): cloudwatch.Dashboard {
    const sm = props.stateMachine;
    const hour = Duration.hours(1);
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-cycles-and-phases`,
      defaultInterval: Duration.days(14),
    });
    const byName = new Map(props.functions.map((fn) => [fn.name, fn]));
    const phaseFunctions = ['identify', 'approval-step', 'open-phase', 'phase-tick', 'close-phase', 'review', 'mark-cycle-failed'].flatMap(
      (name) => byName.get(name) ?? [],
    );

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Tandem: cycles and phases\nEach cycle is one execution of the program-cycle state machine: identify → goal-setting → run → measure → feedback → review. Answered phases loop *send what is due → complete? → wait*.',
        width: 24,
        height: 2,
      }),
      new cloudwatch.GraphWidget({
        title: 'Cycles',
        width: 12,
        left: [
          sm.metricStarted({ period: hour, label: 'started' }),
          sm.metricSucceeded({ period: hour, label: 'succeeded' }),
          sm.metricFailed({ period: hour, label: 'failed' }),
          sm.metricTimedOut({ period: hour, label: 'timed out' }),
          sm.metricAborted({ period: hour, label: 'aborted' }),
        ],
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Phase steps entered (from the workflow log)',
        width: 12,
        logGroupNames: [props.workflowLogGroup.logGroupName],
        view: cloudwatch.LogQueryVisualizationType.BAR,
        queryLines: ['fields @timestamp, type, details.name', "filter type = 'TaskStateEntered'", 'stats count(*) as steps by details.name'],
      }),
      new cloudwatch.GraphWidget({
        title: 'Phase functions: invocations',
        width: 8,
        left: phaseFunctions.map((fn) => fn.function.metricInvocations({ period: hour, label: fn.name })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Phase functions: errors and throttles',
        width: 8,
        left: phaseFunctions.flatMap((fn) => [
          fn.function.metricErrors({ period: hour, label: `${fn.name} errors` }),
          fn.function.metricThrottles({ period: hour, label: `${fn.name} throttles` }),
        ]),
      }),
      new cloudwatch.GraphWidget({
        title: 'Phase functions: duration p95 (ms)',
        width: 8,
        left: phaseFunctions.map((fn) => fn.function.metricDuration({ period: hour, statistic: 'p95', label: fn.name })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Survey API: requests and errors',
        width: 12,
        left: ['Count', '4xx', '5xx'].map(
          (metricName) =>
            new cloudwatch.Metric({
              namespace: 'AWS/ApiGateway',
              metricName,
              dimensionsMap: { ApiId: props.surveyApi.apiId },
              statistic: 'Sum',
              period: hour,
              label: metricName,
            }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'SES reputation (configuration set)',
        width: 12,
        left: [bounceRate.with({ label: 'bounce rate' }), complaintRate.with({ label: 'complaint rate' })],
        leftYAxis: { min: 0, max: 0.1 },
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms }),
    );
    return dashboard;
  }
}

const pascal = (name: string): string => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
