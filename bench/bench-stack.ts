/**
 * What the benchmarks that drive a local stack of their own share (bench/load.ts, bench/pacing.ts):
 * the stack on free ports with a table and a state folder of the bench's own, and a cycle of the
 * sample program whose generated members have a phase opened, as the workflow opens it.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { container } from '../adapters/container.ts';
import { newCycle, type Cycle, type Member } from '../domain/cycle.ts';
import { programSchema, type ProgramInput } from '../domain/program.ts';
import { invokeFunction } from '../local/lambda-runtime.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../local/stack.ts';

export interface BenchStack {
  stack: LocalStack;
  /** The stack's state folder, `.tandem/bench-<name>-<pid>`: the bench may keep its own files there. */
  stateDir: string;
  /** Stops the stack and removes its state folder. */
  stop(): Promise<void>;
}

/** Starts a local stack for the bench `name` (free ports, table `tandem-bench-<name>`), with the SDK's and the logger's chatter off. */
export async function startBenchStack(name: string, options: Omit<LocalStackOptions, 'ports' | 'stateDir' | 'tableName'> = {}): Promise<BenchStack> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const stateDir = `.tandem/bench-${name}-${process.pid}`;
  const stack = await startLocalStack({
    ...options,
    ports: { dynamodb: 0, ses: 0, stepfunctions: 0, survey: 0, oidc: 0 },
    stateDir,
    tableName: `tandem-bench-${name}`,
  });
  return {
    stack,
    stateDir,
    async stop() {
      await stack.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The `i`-th generated member (from 0): an address of its own at bench.example.com, Portuguese and English in turn, teaching and learning what is given. */
export function benchMember(i: number, participantId: string, skills?: { teaches: string; learns: string }): Member {
  return {
    participantId,
    name: `Participant ${i + 1}`,
    email: `p${i + 1}@bench.example.com`,
    department: 'IT',
    language: i % 2 ? 'en' : 'pt-BR',
    skillsOffered: skills ? [skills.teaches] : [],
    skillsWanted: skills ? [skills.learns] : [],
    teaches: skills ? [skills.teaches] : [],
    learns: skills ? [skills.learns] : [],
    partners: [],
  };
}

/**
 * Stores the sample program as `bench-<name>` (ten-day windows, four weeks of run), a cycle
 * `bench-<name>-c1` of these members (no pairs) and opens `phase` through the open-phase function.
 */
export async function openBenchCycle(name: string, members: readonly Member[], phase: string): Promise<Cycle> {
  const sample = JSON.parse(readFileSync(new URL('../examples/program.json', import.meta.url), 'utf8')) as ProgramInput;
  const program = programSchema.parse({
    ...sample,
    programId: `bench-${name}`,
    phaseWindows: { goalSetting: 'P10D', run: 'P28D', measure: 'P10D', feedback: 'P10D' },
  });
  const cycle = newCycle(program, `bench-${name}-c1`, Date.now());
  const { store } = container();
  await store.putProgram(program);
  await store.createCycle(cycle);
  await store.putCohort(cycle.cycleId, [...members], []);
  await invokeFunction('open-phase', { cycleId: cycle.cycleId, phase });
  return cycle;
}
