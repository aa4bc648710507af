import { describe, expect, it } from 'vitest';
import { DEMO_ANSWERS_PER_SECOND, demoProgram } from '../../cli/demo/run-demo.ts';
import { durationToSeconds } from '../../domain/duration.ts';

const seconds = (iso: string | undefined) => durationToSeconds(iso as string);

describe('the demo program', () => {
  it('keeps the sample roster’s short windows, check-in cadence and reminder', () => {
    const program = demoProgram(24, false);
    expect(program.phaseWindows).toEqual({ enrollment: 'PT16S', goalSetting: 'PT9S', run: 'PT8S', measure: 'PT9S', feedback: 'PT9S' });
    expect(program.checkInCadence).toBe('PT3S');
    expect(program.reminders.beforeDeadline).toEqual(['PT4S']);
  });

  it('gives a 10,000-person roster enrollment long enough for everyone to be answered at the stack’s pace', () => {
    const program = demoProgram(10_000, true);
    expect(seconds(program.phaseWindows.enrollment)).toBeGreaterThanOrEqual(10_000 / DEMO_ANSWERS_PER_SECOND);
    for (const window of ['goalSetting', 'run', 'measure', 'feedback'] as const)
      expect(seconds(program.phaseWindows[window])).toBeGreaterThanOrEqual(10_000 / DEMO_ANSWERS_PER_SECOND);
  });

  it('keeps two check-in rounds and the reminder at the middle of a window, whatever the roster’s size', () => {
    for (const size of [24, 1000, 10_000]) {
      const program = demoProgram(size, size !== 24);
      const run = seconds(program.phaseWindows.run);
      const cadence = seconds(program.checkInCadence);
      expect(Math.floor(run / cadence)).toBe(2);
      // The second round does not fall at the run's end: people have most of a cadence to answer it.
      expect(run - 2 * cadence).toBeGreaterThanOrEqual(cadence - 2);
      const reminder = seconds(program.reminders.beforeDeadline[0]);
      const window = seconds(program.phaseWindows.measure);
      expect(reminder / window).toBeGreaterThan(0.4);
      expect(reminder / window).toBeLessThan(0.6);
    }
  });
});
