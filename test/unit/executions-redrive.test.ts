import { describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { ConflictError } from '../../domain/errors.ts';
import { stopCycle } from '../../services/cycles.ts';
import { ExecutionsQuery, redriveCycle } from '../../services/executions.ts';
import type { ExecutionDescription, ExecutionHistory, WorkflowEngine } from '../../services/ports.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 10, 12);
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:tandem-program-cycle';
const program = sampleProgram('redrive');
const arnOf = (cycleId: string) => `arn:aws:states:us-east-1:000000000000:execution:tandem-program-cycle:${cycleId}`;

/** Step Functions as ops see it: each execution's status, and the redrives asked for. */
class Executions implements ExecutionHistory {
  readonly stateMachineArn = MACHINE;
  readonly redriven: string[] = [];
  constructor(private readonly status: string) {}
  async *listExecutions() {}
  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    return { executionArn, name: executionArn.split(':').pop() ?? '', status: this.status, startDate: new Date(NOW - 3_600_000) };
  }
  async executionHistory() {
    return [];
  }
  async redriveExecution(executionArn: string) {
    this.redriven.push(executionArn);
    return { redriveDate: new Date(NOW) };
  }
}

const workflow: WorkflowEngine = {
  startCycle: async (cycleId) => arnOf(cycleId),
  describe: async () => ({ status: 'RUNNING' }),
  stop: async () => undefined,
};

async function cycleIn(status: 'running' | 'failed') {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await store.createCycle({ ...newCycle(program, 'redrive-c1', NOW - 3_600_000), status, executionArn: arnOf('redrive-c1') });
  return store;
}

describe('redriving a cycle’s execution', () => {
  it('redrives the execution of a failed cycle', async () => {
    const store = await cycleIn('failed');
    const executions = new Executions('FAILED');
    expect(await redriveCycle({ store, executions: new ExecutionsQuery(executions) }, 'redrive-c1')).toEqual({
      executionArn: arnOf('redrive-c1'),
      redriveDate: new Date(NOW).toISOString(),
    });
    expect(executions.redriven).toEqual([arnOf('redrive-c1')]);
  });

  it('refuses a stopped (ABORTED) execution without the table, as for ops, and redrives a failed one', async () => {
    const aborted = new Executions('ABORTED');
    await expect(redriveCycle({ executions: new ExecutionsQuery(aborted) }, 'redrive-c1')).rejects.toThrow(
      /redrive-c1 cannot be redriven: it was stopped \(ABORTED\), and a stopped cycle is not resumed; start a new cycle/,
    );
    expect(aborted.redriven).toEqual([]);
    const failed = new Executions('FAILED');
    await redriveCycle({ executions: new ExecutionsQuery(failed) }, 'redrive-c1');
    expect(failed.redriven).toEqual([arnOf('redrive-c1')]);
  });

  it('refuses a cycle HR stopped, saying when, by whom and why, and to start a new cycle, redriving nothing', async () => {
    const store = await cycleIn('running');
    await stopCycle({ store, workflow, clock: { now: () => NOW } }, { cycleId: 'redrive-c1', reason: 'wrong roster' });
    await store.recordAudit({
      auditId: 'a1',
      at: NOW,
      actor: 'ana@laptop',
      via: 'cli',
      action: 'cycle.stopped',
      programId: program.programId,
      cycleId: 'redrive-c1',
      details: { reason: 'wrong roster' },
    });
    const executions = new Executions('ABORTED');
    for (const named of ['redrive-c1', arnOf('redrive-c1')]) {
      const redriving = redriveCycle({ store, executions: new ExecutionsQuery(executions) }, named);
      await expect(redriving).rejects.toBeInstanceOf(ConflictError);
      await expect(redriving).rejects.toThrow(
        `cycle redrive-c1 cannot be redriven: it was stopped on ${new Date(NOW).toISOString()} by ana@laptop: "wrong roster", and a stopped cycle is not resumed; start a new cycle (tandem cycle start --program redrive)`,
      );
    }
    expect(executions.redriven).toEqual([]);
    expect((await store.getCycle('redrive-c1'))?.status).toBe('stopped');
  });

  it('refuses a stopped cycle with no audit entry (stopped through AWS’s own tools), saying when', async () => {
    const store = await cycleIn('running');
    await store.markStopped('redrive-c1', NOW);
    await expect(redriveCycle({ store, executions: new ExecutionsQuery(new Executions('ABORTED')) }, 'redrive-c1')).rejects.toThrow(
      `it was stopped on ${new Date(NOW).toISOString()}, and a stopped cycle is not resumed`,
    );
  });
});
