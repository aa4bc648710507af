import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phaseOfState } from '../../services/executions.ts';
import {
  ANSWERED_PHASE_NAMES,
  PHASE_MODULES,
  PHASE_NAMES,
  answeredPhaseModule,
  parsePhaseKey,
  phaseKey,
  phaseModule,
  phaseOfStateName,
} from '../../services/phases/registry.ts';

const root = new URL('../../', import.meta.url).pathname;
const definition = JSON.parse(readFileSync(join(root, 'workflows/program-cycle.asl.json'), 'utf8')) as {
  StartAt: string;
  States: Record<string, { Type: string; Next?: string; Parameters?: { phase?: string } }>;
};

describe('the phase registry', () => {
  it('lists the phases in the order the workflow runs them', () => {
    expect(PHASE_NAMES).toEqual(['enrollment', 'identify', 'approval', 'goal-setting', 'run', 'measure', 'feedback', 'review']);
    expect(ANSWERED_PHASE_NAMES).toEqual(['enrollment', 'goal-setting', 'run', 'measure', 'feedback']);
    const order: string[] = [];
    for (const name of Object.keys(definition.States)) {
      const phase = phaseOfStateName(name)?.name;
      if (phase && order.at(-1) !== phase) order.push(phase);
    }
    expect(order).toEqual(PHASE_NAMES);
  });

  it('gives every state of the workflow definition a phase module', () => {
    for (const name of Object.keys(definition.States)) expect(phaseOfStateName(name), name).toBeDefined();
    expect(phaseOfState('GoalSetting: wait')).toBe('goal-setting');
    expect(phaseOfState('CycleSucceeded')).toBe('review');
    expect(phaseOfState('Approval: wait')).toBe('approval');
    expect(phaseOfState('MarkCycleFailed')).toBe('failure');
  });

  it('has every phase Task of the definition name an answered phase whose states it is', () => {
    const tasks = Object.entries(definition.States).filter(([, state]) => state.Parameters?.phase !== undefined);
    expect(tasks.length).toBe(ANSWERED_PHASE_NAMES.length * 3);
    for (const [name, state] of tasks) {
      const phase = state.Parameters?.phase as string;
      expect(ANSWERED_PHASE_NAMES, name).toContain(phase);
      expect(phaseOfStateName(name)?.name, name).toBe(phase);
    }
  });

  it('keeps one module per name and one phase per state prefix', () => {
    expect(new Set(PHASE_NAMES).size).toBe(PHASE_MODULES.length);
    const prefixes = PHASE_MODULES.flatMap((m) => m.statePrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(phaseModule('failure')).toBeUndefined();
    expect(() => answeredPhaseModule('identify' as never)).toThrow(RangeError);
  });

  it('formats and parses phase keys through each phase module', () => {
    expect(phaseKey('goal-setting')).toBe('goal-setting');
    expect(phaseKey('run', 3)).toBe('run#3');
    for (const phase of ANSWERED_PHASE_NAMES) {
      const key = phaseKey(phase, 2);
      expect(parsePhaseKey(key)).toEqual(key.includes('#') ? { phase, round: 2 } : { phase });
    }
    for (const bad of ['identify', 'approval', 'review', 'run', 'run#0', 'run#x', 'run#12345', 'measure#1', 'opt-out', ''])
      expect(parsePhaseKey(bad), bad).toBeUndefined();
  });
});
