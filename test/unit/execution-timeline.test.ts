import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { buildTimeline, parseTimeFilter, phaseOfState, redactEmails } from '../../services/executions.ts';
import { opsExecutionPage, opsListPage } from '../../services/ops-pages.ts';

const t = (s: number) => new Date(Date.UTC(2027, 2, 1, 9, 0, s));
let id = 0;
const ev = (type: string, at: number, details: Partial<HistoryEvent> = {}): HistoryEvent => ({
  id: ++id,
  type: type as HistoryEvent['type'],
  timestamp: t(at),
  ...details,
});
const entered = (name: string, at: number, input = '{}') => ev('TaskStateEntered', at, { stateEnteredEventDetails: { name, input } });
const exited = (name: string, at: number, output = '{}') => ev('TaskStateExited', at, { stateExitedEventDetails: { name, output } });

const history: HistoryEvent[] = [
  ev('ExecutionStarted', 0),
  entered('Identify', 0),
  exited('Identify', 2, '{"identify":{"participants":4}}'),
  entered('GoalSetting', 2),
  exited('GoalSetting', 3),
  entered('GoalSetting: send what is due', 3),
  ev('LambdaFunctionFailed', 4, { lambdaFunctionFailedEventDetails: { error: 'TransientError', cause: 'SES throttled <script> for ana@x.com' } }),
  exited('GoalSetting: send what is due', 6),
  entered('GoalSetting: send what is due', 10),
  ev('LambdaFunctionFailed', 11, { lambdaFunctionFailedEventDetails: { error: 'Boom', cause: 'for good' } }),
  exited('GoalSetting: send what is due', 11),
  entered('MarkCycleFailed', 11),
  exited('MarkCycleFailed', 12),
  ev('FailStateEntered', 12, { stateEnteredEventDetails: { name: 'CycleFailed', input: '{}' } }),
  ev('ExecutionFailed', 12, { executionFailedEventDetails: { error: 'Boom', cause: 'for good' } }),
];

describe('execution timeline', () => {
  it('groups states into phases with visits, durations and failures', () => {
    const timeline = buildTimeline(history);
    expect(timeline.phases.map((p) => [p.phase, p.durationMs])).toEqual([
      ['identify', 2000],
      ['goal-setting', 9000],
      ['failure', 1000],
    ]);
    const send = timeline.phases[1]?.states.find((s) => s.name === 'GoalSetting: send what is due');
    expect(send).toMatchObject({ visits: 2, durationMs: 4000, attemptsFailed: 2 });
    expect(timeline.phases[1]?.failures.map((f) => f.error)).toEqual(['TransientError', 'Boom']);
    expect(timeline.failures.at(-1)).toMatchObject({ error: 'Boom', cause: 'for good' });
    expect(timeline.currentState).toBe('CycleFailed');
    expect(timeline.phases[0]?.states[0]?.lastOutput).toEqual({ identify: { participants: 4 } });
  });

  it('maps state names to phases and reads time filters', () => {
    expect(['Identify', 'Run: wait', 'Feedback: close', 'Review', 'CycleSucceeded', 'MarkCycleFailed'].map(phaseOfState)).toEqual([
      'identify',
      'run',
      'feedback',
      'review',
      'review',
      'failure',
    ]);
    expect(parseTimeFilter('2h', 10_000_000)).toBe(10_000_000 - 7_200_000);
    expect(parseTimeFilter('2027-03-01T00:00:00Z')).toBe(Date.UTC(2027, 2, 1));
    expect(() => parseTimeFilter('yesterday')).toThrow(/is not a time/);
  });

  it('renders pages that escape everything and mask email addresses', () => {
    const page = opsExecutionPage({
      description: {
        executionArn: 'arn:x',
        name: 'c<1>',
        status: 'FAILED',
        startDate: t(0).toISOString(),
        stopDate: t(12).toISOString(),
        durationMs: 12_000,
        error: 'Boom',
        cause: 'mail to bob@corp.example.com <img src=x>',
      },
      history,
    });
    expect(page).toContain('c&lt;1&gt;');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>');
    expect(page).not.toMatch(/[a-z]+@[a-z.]+\.com/);
    expect(page).toContain('[email]');
    expect(redactEmails('a.b+c@d.co.uk failed')).toBe('[email] failed');
    const list = opsListPage({ executions: [{ executionArn: 'arn:"x"', name: '"><script>', status: 'RUNNING', startDate: t(0).toISOString() }] });
    expect(list).not.toContain('"><script>');
  });
});
