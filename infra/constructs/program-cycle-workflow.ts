import { ArnFormat, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalog.ts';
import { definitionSubstitutionNames, programCycleDefinitionText } from '../../workflows/program-cycle.ts';
import { logicalIdOf } from './logical-id.ts';
import type { FunctionBinding, TandemFunction } from './tandem-function.ts';

export interface ProgramCycleWorkflowProps {
  /** The handlers by catalog name; every catalog entry with a definitionSubstitution must be here. */
  readonly functions: ReadonlyMap<string, TandemFunction>;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The `${Name}` placeholders the definition text uses. */
export function placeholdersIn(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))].sort();
}

/**
 * The program-cycle state machine: Standard type, the definition in workflows/ (the same text the
 * local engine runs) with each `${...FunctionArn}` placeholder substituted from the catalog,
 * every event logged (level ALL) to a log group with retention, and X-Ray tracing.
 */
export class ProgramCycleWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ProgramCycleWorkflowProps) {
    super(scope, id);
    const definition = programCycleDefinitionText();

    const invoked: TandemFunction[] = [];
    const substitutions: Record<string, string> = {};
    for (const spec of FUNCTIONS) {
      if (!('definitionSubstitution' in spec)) continue;
      const handler = props.functions.get(spec.name);
      if (!handler) throw new Error(`the workflow needs function ${spec.name} (\${${spec.definitionSubstitution}}) but it was not built`);
      substitutions[spec.definitionSubstitution] = handler.function.functionArn;
      invoked.push(handler);
    }
    const used = placeholdersIn(definition);
    const provided = [...definitionSubstitutionNames].sort();
    if (used.join() !== provided.join()) {
      throw new Error(`workflows/program-cycle.asl.json uses \${${used.join('}, ${')}} but the catalog provides \${${provided.join('}, ${')}}`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Step Functions vended logs must go to a group whose name starts with /aws/vendedlogs/.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-program-cycle`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Tandem program-cycle state machine: invokes the phase functions.',
    });
    const invoke = new iam.Policy(this, 'InvokePhaseFunctions', {
      statements: [
        new iam.PolicyStatement({
          sid: 'InvokePhaseFunctions',
          actions: ['lambda:InvokeFunction'],
          resources: invoked.map((handler) => handler.function.functionArn),
        }),
      ],
    });
    invoke.attachToRole(this.role);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: substitutions,
      role: this.role,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: 'Tandem program cycle: identify, goal-setting, run, measure, feedback, review.',
    });
    this.stateMachine.node.addDependency(invoke);

    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by CDK for logging level ALL and X-Ray: logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets support no resource-level permissions (AWS Service Authorization Reference). The Lambda invoke grant is in a separate policy, on exact function ARNs.',
      });
    }
  }

  get stateMachineArn(): string {
    return this.stateMachine.stateMachineArn;
  }

  /** cdk-nag names the executions ARN's `*` a wildcard: the acknowledgement every holder of an executions grant carries. */
  executionsAcknowledgement(): { id: string; reason: string } {
    return {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalIdOf(this.stateMachine)}.Name>:*]`,
      reason: "Executions are named after cycle ids chosen at run time: this ARN covers exactly this state machine's executions and no other.",
    };
  }

  /** Binding: TANDEM_STATE_MACHINE_ARN; list this state machine's executions, describe them and read their history. */
  /** Binding: start cycles' executions and stop them (the console, as HR's CLI does). */
  controllingExecutions(): FunctionBinding {
    return {
      description: 'executions:control',
      bind: (target) => {
        target.grant(
          new iam.PolicyStatement({ sid: 'StartExecutions', actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
          new iam.PolicyStatement({ sid: 'StopExecutions', actions: ['states:StopExecution'], resources: [this.executionsArn] }),
        );
      },
    };
  }

  readingExecutions(): FunctionBinding {
    return {
      description: 'executions:read',
      bind: (target) => {
        target.setEnvironment('TANDEM_STATE_MACHINE_ARN', this.stateMachineArn);
        target.grant(
          new iam.PolicyStatement({ sid: 'ListExecutions', actions: ['states:ListExecutions'], resources: [this.stateMachineArn] }),
          new iam.PolicyStatement({
            sid: 'ReadExecutions',
            actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
            resources: [this.executionsArn],
          }),
        );
        Validations.of(target.accessPolicy).acknowledge(this.executionsAcknowledgement());
      },
    };
  }

  /** ARNs of this state machine's executions (execution names are cycle ids, chosen at run time). */
  get executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
