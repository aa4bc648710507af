import type { PhaseModule } from '../types.ts';

/**
 * Approval: after identify, HR reviews the proposed pairs (forbid, lock, exclude, re-solve)
 * and approves them; at the deadline the program approves them or stops the cycle. A program
 * that does not ask for approval passes through at once. The workflow step is in step.ts, the
 * review's use cases in review.ts: kept off the module so that every other function does not
 * bundle the matcher.
 */
export const approval: PhaseModule = {
  name: 'approval',
  statePrefixes: ['Approval'],
  opsLines(cycle) {
    const state = cycle.approval;
    if (!state) return [{ label: 'Approval', text: cycle.program.approval?.required ? 'not opened yet' : 'not required' }];
    const deadline = new Date(state.deadline)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    const text =
      state.status !== 'pending'
        ? `${state.status}${state.decidedBy ? ` by ${state.decidedBy}` : ''}`
        : cycle.status === 'running'
          ? `waiting for approval until ${deadline}`
          : `never approved: the cycle is ${cycle.status}`;
    return [{ label: 'Approval', text }];
  },
};
