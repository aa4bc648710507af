import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import type { Cycle } from '../../domain/cycle.ts';
import { programSchema, type Program, type ProgramInput } from '../../domain/program.ts';
import { capturedEmails, type CapturedEmail } from '../../local/ses-local.ts';
import { importRoster } from '../../services/roster-import.ts';
import { startCycle } from '../../services/start-cycle.ts';

const examples = resolve(import.meta.dirname, '../../examples');

/** A unique tag for a test: program id, email domain and fault-injection match all carry it. */
export const uniqueTag = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The sample program under a unique id, with phase windows of a few seconds. */
export function testProgram(tag: string, overrides: Partial<ProgramInput> = {}): Program {
  const base = JSON.parse(readFileSync(resolve(examples, 'program.json'), 'utf8')) as ProgramInput;
  return programSchema.parse({
    ...base,
    programId: tag,
    // Windows long enough that prompt people answer before the reminder even on a loaded machine.
    phaseWindows: { goalSetting: 'PT8S', run: 'PT4S', measure: 'PT8S', feedback: 'PT8S' },
    checkInCadence: 'PT2S',
    reminders: { beforeDeadline: ['PT4S'] },
    progressCheckInterval: 'PT1S',
    hrContacts: [`hr@${tag}.example.com`],
    opsContacts: [`ops@${tag}.example.com`],
    ...overrides,
  });
}

/** The sample roster with every email moved to the test's own domain, so tests never see each other's mail. */
export function testRosterCsv(tag: string, only?: readonly string[]): string {
  const lines = readFileSync(resolve(examples, 'roster.csv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1).filter((line) => !only || only.includes(line.split(',')[0] as string));
  return [lines[0], ...rows].join('\n').replaceAll('@example.com', `@${tag}.example.com`);
}

export async function createProgramWithRoster(tag: string, overrides: Partial<ProgramInput> = {}, only?: readonly string[]): Promise<Program> {
  const { store } = container();
  const program = testProgram(tag, overrides);
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: testRosterCsv(tag, only), format: 'csv' });
  return program;
}

export function sfnClient(): SFNClient {
  return new SFNClient({});
}

export async function startTestCycle(programId: string) {
  const { store, clock } = container();
  return startCycle({ store, clock, workflow: new StepFunctionsWorkflow(inject('localStack').stateMachineArn, sfnClient()) }, { programId });
}

export async function waitForExecution(executionArn: string, timeoutMs = 150_000): Promise<DescribeExecutionCommandOutput> {
  const sfn = sfnClient();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (description.status !== 'RUNNING') return description;
    if (Date.now() > deadline) throw new Error(`execution ${executionArn} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Waits until the cycle has this status: the workflow's failures and redrives reach the cycle as events, a moment after the execution's. */
export async function waitForCycleStatus(cycleId: string, status: string, timeoutMs = 30_000): Promise<Cycle> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cycle = await container().store.getCycle(cycleId);
    if (cycle?.status === status) return cycle;
    if (Date.now() > deadline) throw new Error(`cycle ${cycleId} is ${cycle?.status ?? 'missing'}, not ${status}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Reads until `accept` holds (or the time is up, then returns the last reading): for effects that follow an event asynchronously. */
export async function readUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Emails the local SES captured for one test's domain. */
export async function emailsFor(tag: string): Promise<CapturedEmail[]> {
  return (await capturedEmails(inject('localStack').endpoints.ses)).filter((e) => e.destination.to.some((to) => to.endsWith(`@${tag}.example.com`)));
}
