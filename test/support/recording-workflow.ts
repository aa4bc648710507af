import type { CycleInput, WorkflowEngine } from '../../services/ports.ts';

/** The Step Functions side of starting and stopping a cycle: records what it was asked, as the workflow port does. */
export class RecordingWorkflow implements WorkflowEngine {
  readonly started: string[] = [];
  async startCycle(cycleId: string, _input: CycleInput): Promise<string> {
    this.started.push(cycleId);
    return `arn:aws:states:us-east-1:000000000000:execution:program-cycle:${cycleId}`;
  }
  async describe() {
    return { status: 'RUNNING' };
  }
  async stop() {}
}
