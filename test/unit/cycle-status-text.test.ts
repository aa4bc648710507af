import { describe, expect, it } from 'vitest';
import { describeStatus } from '../../cli/commands/cycle.ts';
import type { CycleStatusReport } from '../../services/cycles.ts';

const report: CycleStatusReport = {
  cycleId: 'mentoria-reversa-20270301T090000Z',
  programId: 'mentoria-reversa',
  status: 'running',
  currentPhase: 'run',
  startedAt: '2027-03-01T09:00:00.000Z',
  participants: 8,
  pairs: 4,
  emailsSent: 20,
  bounces: 0,
  phases: [{ phase: 'run', openedAt: '2027-03-08T09:00:00.000Z', deadline: '2027-05-01T09:00:00.000Z', expected: 8, responses: 5, rounds: { '1': 5 } }],
};

describe('the text of tandem cycle status', () => {
  it('shows the meetings the pairs logged and how many of the pairs met', () => {
    const text = describeStatus({ ...report, meetings: { logged: 7, pairsMet: 3 } });
    expect(text).toContain('Meetings 7 logged; 3 of 4 pairs met at least once');
  });

  it('says no meeting was logged yet rather than leaving the line out', () => {
    expect(describeStatus({ ...report, meetings: { logged: 0, pairsMet: 0 } })).toContain('Meetings 0 logged; 0 of 4 pairs met at least once');
  });

  it('has no meetings line when the store did not count them', () => {
    expect(describeStatus(report)).not.toContain('Meetings');
  });

  it("gives the execution's error and cause while the cycle is not marked failed yet", () => {
    const text = describeStatus({ ...report, executionStatus: 'FAILED', executionFailure: { error: 'NoPairsError', cause: 'no pair can be formed' } });
    expect(text).toContain('Execution FAILED: NoPairsError: no pair can be formed');
  });

  it("gives a failure once when the cycle's failure is the execution's", () => {
    const failure = { error: 'NoPairsError', cause: 'no pair can be formed' };
    const text = describeStatus({ ...report, status: 'failed', executionStatus: 'FAILED', failure, executionFailure: failure });
    expect(text.match(/NoPairsError/g)).toHaveLength(1);
  });
});
