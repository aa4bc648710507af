import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newCycle, type PhaseState } from '../../domain/cycle.ts';
import { PHASES_WITH_WINDOWS, plannedCycleEnd } from '../../domain/cycle-end.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { ANSWERED_PHASE_MODULES } from '../../services/phases/registry.ts';

const DAY = 86_400_000;
const START = Date.UTC(2027, 2, 1, 12);
// The sample program: goal-setting 14 days, run 90, measure 14, feedback 14.
const program: Program = programSchema.parse({
  ...JSON.parse(readFileSync(resolve(import.meta.dirname, '../../examples/program.json'), 'utf8')),
  programId: 'cycle-end',
});
const opened = (openedAt: number, deadline: number): PhaseState => ({ openedAt, deadline, expected: 4 });

describe('the planned end of a cycle', () => {
  it('is the start plus every window of a cycle that opened no phase yet, the approval’s too when the program asks for it', () => {
    expect(plannedCycleEnd(newCycle(program, 'c', START))).toBe(START + (14 + 90 + 14 + 14) * DAY);
    const approving = { ...program, approval: { required: true, deadline: 'P3D', onDeadline: 'approve' as const } };
    expect(plannedCycleEnd(newCycle(approving, 'c', START))).toBe(START + (3 + 14 + 90 + 14 + 14) * DAY);
    const enrolling = { ...program, phaseWindows: { ...program.phaseWindows, enrollment: 'P7D' } };
    expect(plannedCycleEnd(newCycle(enrolling, 'c', START))).toBe(START + (7 + 14 + 90 + 14 + 14) * DAY);
  });

  it('is the latest deadline fixed so far plus the windows of the phases still to open', () => {
    const cycle = newCycle(program, 'c', START);
    // Goal-setting opened a day late and its deadline moved (invitations that went out late restart its window).
    cycle.phases['goal-setting'] = opened(START + DAY, START + 20 * DAY);
    expect(plannedCycleEnd(cycle)).toBe(START + (20 + 90 + 14 + 14) * DAY);
    cycle.phases.run = opened(START + 15 * DAY, START + 105 * DAY);
    expect(plannedCycleEnd(cycle)).toBe(START + (105 + 14 + 14) * DAY);
    cycle.phases.measure = opened(START + 105 * DAY, START + 119 * DAY);
    cycle.phases.feedback = opened(START + 119 * DAY, START + 133 * DAY);
    expect(plannedCycleEnd(cycle)).toBe(START + 133 * DAY);
  });

  it('counts a pending approval by its deadline, and no approval once goal-setting opened', () => {
    const approving = { ...program, approval: { required: true, deadline: 'P3D', onDeadline: 'approve' as const } };
    const cycle = newCycle(approving, 'c', START);
    cycle.approval = {
      openedAt: START,
      deadline: START + 5 * DAY,
      status: 'pending',
      revision: 0,
      bans: [],
      locks: [],
      excluded: [],
      unmatched: [],
      stale: false,
    };
    expect(plannedCycleEnd(cycle)).toBe(START + (5 + 14 + 90 + 14 + 14) * DAY);
  });

  it('knows the answered phases in the order and with the windows of the phases’ registry', () => {
    expect(PHASES_WITH_WINDOWS).toEqual(ANSWERED_PHASE_MODULES.map((m) => [m.name, m.window]));
  });
});
