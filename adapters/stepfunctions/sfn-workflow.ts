import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { CycleInput, WorkflowEngine } from '../../services/ports.ts';

/** Starts and follows program-cycle executions through the Step Functions API (AWS, or the local endpoint). */
export class StepFunctionsWorkflow implements WorkflowEngine {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client = new SFNClient({}),
  ) {}

  async startCycle(cycleId: string, input: CycleInput): Promise<string> {
    // The execution is named after the cycle: starting the same cycle twice cannot run it twice.
    const { executionArn } = await this.client.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: cycleId, input: JSON.stringify(input) }),
    );
    return executionArn as string;
  }

  async describe(executionArn: string) {
    const result = await this.client.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: result.status ?? 'UNKNOWN',
      ...(result.error ? { error: result.error } : {}),
      ...(result.cause ? { cause: result.cause } : {}),
      ...(result.output ? { output: JSON.parse(result.output) as unknown } : {}),
    };
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await this.client.send(new StopExecutionCommand({ executionArn, cause, error: 'StoppedByOperator' }));
  }
}
