import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import { ConflictError, NotFoundError, NotSupportedError, ValidationError } from '../../domain/errors.ts';
import { required, type TandemEnvironment } from '../config.ts';
import type { ExecutionDescription, ExecutionHistory, ExecutionHistoryEvent, ExecutionRecord } from '../../services/ports.ts';

/** The program-cycle executions of the configured state machine (functions whose catalog entry has readsExecutions). */
export function configuredExecutionHistory(env: TandemEnvironment): StepFunctionsExecutionHistory {
  return new StepFunctionsExecutionHistory(required(env, 'TANDEM_STATE_MACHINE_ARN', 'to read the program-cycle executions'));
}

/** The program-cycle executions read through the Step Functions API (AWS, or the local endpoint), never from a copy. */
export class StepFunctionsExecutionHistory implements ExecutionHistory {
  constructor(
    readonly stateMachineArn: string,
    private readonly client = new SFNClient({}),
  ) {}

  async *listExecutions(status?: string): AsyncIterable<ExecutionRecord> {
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter: status as ExecutionStatus | undefined, maxResults: 100, nextToken }),
      );
      for (const item of page.executions ?? []) {
        yield {
          executionArn: item.executionArn ?? '',
          name: item.name ?? '',
          status: item.status ?? 'UNKNOWN',
          ...(item.startDate ? { startDate: item.startDate } : {}),
          ...(item.stopDate ? { stopDate: item.stopDate } : {}),
        };
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    try {
      const d = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return {
        executionArn: d.executionArn ?? executionArn,
        name: d.name ?? '',
        status: d.status ?? 'UNKNOWN',
        ...(d.startDate ? { startDate: d.startDate } : {}),
        ...(d.stopDate ? { stopDate: d.stopDate } : {}),
        input: d.input,
        output: d.output,
        error: d.error,
        cause: d.cause,
        redriveCount: d.redriveCount,
        ...(d.redriveDate ? { redriveDate: d.redriveDate } : {}),
        redriveStatus: d.redriveStatus,
        redriveStatusReason: d.redriveStatusReason,
      };
    } catch (error) {
      throw namedError(error);
    }
  }

  async executionHistory(executionArn: string, includeData: boolean): Promise<ExecutionHistoryEvent[]> {
    const events: ExecutionHistoryEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken, includeExecutionData: includeData }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      throw namedError(error);
    }
    return events;
  }

  /** An endpoint without RedriveExecution answers UnknownOperationException: a NotSupportedError. */
  async redriveExecution(executionArn: string): Promise<{ redriveDate?: Date }> {
    try {
      const result = await this.client.send(new RedriveExecutionCommand({ executionArn }));
      return result.redriveDate ? { redriveDate: result.redriveDate } : {};
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'UnknownOperationException') {
        throw new NotSupportedError(
          'this Step Functions endpoint does not implement RedriveExecution (AWS and the local stack of this version do): start a new cycle instead (tandem cycle start).',
          { cause: error },
        );
      }
      if (name === 'ExecutionNotRedrivable') throw new ConflictError((error as Error).message, { cause: error });
      throw namedError(error);
    }
  }
}

/** Step Functions' error names → Tandem's named errors (the SDK's message kept). */
function namedError(error: unknown): unknown {
  const name = (error as { name?: string }).name;
  if (name === 'ExecutionDoesNotExist') return new NotFoundError((error as Error).message, { cause: error });
  if (name === 'InvalidArn') return new ValidationError((error as Error).message, [], { cause: error });
  return error;
}
