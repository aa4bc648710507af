import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../domain/errors.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { RecordingWorkflow } from '../support/recording-workflow.ts';

describe('starting a cycle', () => {
  let store: InMemoryStore;
  let workflow: RecordingWorkflow;
  let time: number;
  const deps = () => ({ store, workflow, clock: { now: () => time } });

  beforeEach(async () => {
    store = new InMemoryStore();
    workflow = new RecordingWorkflow();
    time = Date.UTC(2027, 2, 1, 9);
    await store.putProgram(sampleProgram('mentoria'));
    await importRoster(store, { programId: 'mentoria', text: SAMPLE_ROSTER_CSV, format: 'csv' });
  });

  it('is refused while another cycle of the program runs, naming it, and starts nothing', async () => {
    const first = await startCycle(deps(), { programId: 'mentoria' });
    time += 1500;
    const again = await startCycle(deps(), { programId: 'mentoria' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as Error).message).toMatch(new RegExp(`program mentoria has a cycle running \\(${first.cycleId}\\).*tandem cycle stop ${first.cycleId}`));
    expect(workflow.started).toEqual([first.cycleId]);
    expect((await store.listCycles('mentoria')).map((c) => c.cycleId)).toEqual([first.cycleId]);
  });

  it('starts the next cycle once the last one has ended', async () => {
    const first = await startCycle(deps(), { programId: 'mentoria' });
    await store.markStopped(first.cycleId, (time += 1000));
    const second = await startCycle(deps(), { programId: 'mentoria' });
    expect(workflow.started).toEqual([first.cycleId, second.cycleId]);
  });
});
