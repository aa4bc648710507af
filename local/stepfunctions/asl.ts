/** The parts of an Amazon States Language state this package reads; everything else passes through. */
export interface AslState {
  Type?: unknown;
  Resource?: unknown;
  Parameters?: unknown;
  TimeoutSeconds?: unknown;
  InputPath?: unknown;
  TimeoutSecondsPath?: unknown;
  Seconds?: unknown;
  SecondsPath?: unknown;
  Timestamp?: unknown;
  TimestampPath?: unknown;
  Iterator?: unknown;
  ItemProcessor?: unknown;
  Branches?: unknown;
}

/** Every state of a definition with its name, including those inside Map and Parallel states. */
export function* statesOf(machine: unknown): Generator<[name: string, state: AslState]> {
  const states = (machine as { States?: Record<string, AslState> } | undefined)?.States ?? {};
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    if (state.Type === 'Map') yield* statesOf(state.ItemProcessor ?? state.Iterator);
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) yield* statesOf(branch);
    }
  }
}
