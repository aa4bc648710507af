import { Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DataStore } from './data-store.ts';
import type { LinkSigningKey } from './link-signing-key.ts';
import type { Mailer } from './mailer.ts';
import type { ProgramCycleWorkflow } from './program-cycle-workflow.ts';
import type { ReportArchive } from './report-archive.ts';

export interface AccessPoliciesProps {
  readonly policyNamePrefix: string;
  readonly workflow: ProgramCycleWorkflow;
  readonly dataStore: DataStore;
  /** `tandem person erase` keys the suppression list with it (services/suppression.ts). */
  readonly linkKey: LinkSigningKey;
  /** `tandem session add` and `session announce` email the invitations from the CLI. */
  readonly mailer: Mailer;
  readonly reports: ReportArchive;
  readonly logGroups: readonly logs.ILogGroup[];
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;
  /** execute-api ARNs of the IAM-authorized ops page (GET and HEAD on /ops and below). */
  readonly opsPageArns: readonly string[];
}

/**
 * The two customer-managed policies people get, each scoped to this stack's resources:
 * - HR operator: start and stop cycles, import programs and rosters, follow cycles, read reports,
 *   export and erase a person's data, announce informational sessions (everything the `tandem` CLI
 *   does against AWS).
 * - Ops read-only: list and describe executions and their history, read the stack's logs, see
 *   its alarms and dashboard.
 * Attach them to an IAM Identity Center permission set (by name) or to roles or groups.
 */
/** How cdk-nag prints a resource string in a finding id: each token as `<LogicalId>` / `<LogicalId.Attribute>` / `<AWS::Pseudo>`. */
function nagNameOf(scope: Construct, value: string): string {
  const resolved = Stack.of(scope).resolve(value) as unknown;
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
    const join = (part as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(render).join(join[0]);
    return JSON.stringify(part);
  };
  return render(resolved);
}

export class AccessPolicies extends Construct {
  readonly hrOperator: iam.ManagedPolicy;
  readonly opsReadOnly: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const { workflow } = props;
    const executionsAcknowledgement = workflow.executionsAcknowledgement();

    this.hrOperator = new iam.ManagedPolicy(this, 'HrOperator', {
      managedPolicyName: `${props.policyNamePrefix}-hr-operator`,
      description: "Tandem HR operator: start and follow program cycles, import programs and rosters, read cycle reports (this stack's resources only).",
      statements: [
        new iam.PolicyStatement({ sid: 'StartCycles', actions: ['states:StartExecution'], resources: [workflow.stateMachineArn] }),
        new iam.PolicyStatement({
          sid: 'ListCycles',
          actions: ['states:ListExecutions', 'states:DescribeStateMachine'],
          resources: [workflow.stateMachineArn],
        }),
        new iam.PolicyStatement({
          sid: 'FollowAndStopCycles',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory', 'states:StopExecution'],
          resources: [workflow.executionsArn],
        }),
        // tandem executions redrive: resumes a failed cycle where it failed.
        new iam.PolicyStatement({ sid: 'RedriveCycles', actions: ['states:RedriveExecution'], resources: [workflow.executionsArn] }),
        ...props.dataStore.statements('read-write'),
        // tandem person erase deletes a person's items in a transaction (TransactWriteItems checks DeleteItem per item);
        // tandem program reindex lists programs stored before the console had an index: the only Scan, on the table alone.
        new iam.PolicyStatement({
          sid: 'ErasePeopleAndReindexPrograms',
          actions: ['dynamodb:DeleteItem', 'dynamodb:Scan'],
          resources: [props.dataStore.table.tableArn],
        }),
        // The suppression list is keyed by an HMAC of the address under the link-signing key, never the address itself.
        // Also the key that signs the session links tandem session add and announce email.
        new iam.PolicyStatement({ sid: 'KeySuppressionList', actions: ['secretsmanager:GetSecretValue'], resources: [props.linkKey.secret.secretArn] }),
        props.mailer.sendStatement('SendSessionEmails'),
        ...props.reports.readStatements(),
      ],
    });
    Validations.of(this.hrOperator).acknowledge(executionsAcknowledgement);
    Validations.of(this.hrOperator).acknowledge(props.reports.prefixAcknowledgement());

    this.opsReadOnly = new iam.ManagedPolicy(this, 'OpsReadOnly', {
      managedPolicyName: `${props.policyNamePrefix}-ops-read-only`,
      description:
        "Tandem ops: list and describe program-cycle executions and redrive failed ones, read this stack's logs, alarms and dashboard (nothing else is changed).",
      statements: [
        new iam.PolicyStatement({
          sid: 'ListExecutions',
          actions: ['states:ListExecutions', 'states:DescribeStateMachine'],
          resources: [workflow.stateMachineArn],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeExecutions',
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: [workflow.executionsArn],
        }),
        // The one change ops may make: resuming a failed execution where it failed (its steps are idempotent).
        new iam.PolicyStatement({ sid: 'RedriveFailedExecutions', actions: ['states:RedriveExecution'], resources: [workflow.executionsArn] }),
        new iam.PolicyStatement({
          sid: 'ReadStackLogs',
          actions: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery'],
          resources: props.logGroups.map((group) => group.logGroupArn),
        }),
        new iam.PolicyStatement({
          sid: 'SeeAlarms',
          actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
          resources: props.alarms.map((alarm) => alarm.alarmArn),
        }),
        new iam.PolicyStatement({ sid: 'SeeDashboard', actions: ['cloudwatch:GetDashboard'], resources: [props.dashboard.dashboardArn] }),
        ...(props.opsPageArns.length
          ? [new iam.PolicyStatement({ sid: 'OpenOpsPage', actions: ['execute-api:Invoke'], resources: [...props.opsPageArns] })]
          : []),
        // No narrower resource exists: GetMetricData and GetQueryResults support no resource-level permissions
        // (AWS Service Authorization Reference); both only read, and the dashboard needs them to draw.
        new iam.PolicyStatement({ sid: 'DrawDashboard', actions: ['cloudwatch:GetMetricData', 'logs:GetQueryResults'], resources: ['*'] }),
      ],
    });
    Validations.of(this.opsReadOnly).acknowledge(executionsAcknowledgement);
    for (const arn of props.opsPageArns.filter((a) => a.endsWith('/*'))) {
      Validations.of(this.opsReadOnly).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagNameOf(this, arn)}]`,
        reason:
          'The ops page shows any execution at /ops/executions/<cycle id>: the wildcard covers the pages below /ops (GET and HEAD only) and nothing else.',
      });
    }
    Validations.of(this.opsReadOnly).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only cloudwatch:GetMetricData and logs:GetQueryResults (read-only) have Resource "*": they support no resource-level permissions, and the dashboard needs them.',
    });
  }
}
