import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { statesOf, type AslState } from './asl.ts';

/**
 * The engine times Wait states, task timeouts and the execution timeout with setTimeout, which
 * fires at once when asked for more than 2^31-1 ms (about 24.8 days).
 */
export const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * Changes, in place, the timeouts the engine would otherwise fire at once. None that long can
 * elapse in a local run, so the execution timeout is dropped and task timeouts are capped.
 */
export function capTimeoutsToNodeTimers(definition: StateMachineDefinition): void {
  if (typeof definition.TimeoutSeconds === 'number' && definition.TimeoutSeconds > LONGEST_TIMER_SECONDS) {
    delete definition.TimeoutSeconds;
  }
  for (const [, state] of statesOf(definition)) {
    if (state.Type === 'Task' && typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > LONGEST_TIMER_SECONDS) {
      state.TimeoutSeconds = LONGEST_TIMER_SECONDS;
    }
  }
}

/**
 * How long a Wait state entered with `input` would wait, if that is longer than the engine can
 * time; undefined otherwise, or when the duration comes from a path too elaborate to read here.
 */
export function overlongWaitSeconds(state: AslState, input: unknown, now = Date.now()): number | undefined {
  const seconds = waitSeconds(state, input, now);
  return seconds !== undefined && seconds > LONGEST_TIMER_SECONDS ? seconds : undefined;
}

/** How long a Wait state entered with `input` waits, when its duration is a number or a time read from a plain path. */
export function waitSeconds(state: AslState, rawInput: unknown, now = Date.now()): number | undefined {
  const input = typeof state.InputPath === 'string' ? valueAt(rawInput, state.InputPath) : rawInput;
  const seconds = typeof state.SecondsPath === 'string' ? valueAt(input, state.SecondsPath) : state.Seconds;
  if (typeof seconds === 'number') return seconds;
  const timestamp = typeof state.TimestampPath === 'string' ? valueAt(input, state.TimestampPath) : state.Timestamp;
  if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) return undefined;
  return (Date.parse(timestamp) - now) / 1000;
}

/** Reads reference paths made of plain field names (`$.phase.waitSeconds`). */
function valueAt(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][\w-]*)*$/.test(path)) return undefined;
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((value, field) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined), input);
}
