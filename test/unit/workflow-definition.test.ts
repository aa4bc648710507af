import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog.ts';
import {
  definitionSubstitutionNames,
  localFunctionArn,
  localSubstitutions,
  programCycleDefinitionText,
  substituteDefinition,
} from '../../workflows/program-cycle.ts';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errors: Array<{ message: string }>; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface Retrier {
  ErrorEquals: string[];
  BackoffRate?: number;
  MaxAttempts?: number;
  IntervalSeconds?: number;
}
interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}
interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Variable?: string; BooleanEquals?: boolean; Next: string }>;
  SecondsPath?: string;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

const text = programCycleDefinitionText();
const asWritten = () => JSON.parse(text) as Definition;
const substituted = () => substituteDefinition(text, localSubstitutions()) as unknown as Definition;
const definition = asWritten();
const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
const state = (name: string): State => {
  const s = definition.States[name];
  if (!s) throw new Error(`no state named ${name}`);
  return s;
};

const ANSWERED = [
  ['Enrollment', 'enrollment'],
  ['GoalSetting', 'goal-setting'],
  ['Run', 'run'],
  ['Measure', 'measure'],
  ['Feedback', 'feedback'],
] as const;

describe('the program-cycle workflow definition', () => {
  it('passes asl-validator as written, with ${...} placeholders', () => {
    const result = aslValidator(asWritten());
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('passes asl-validator, ARN check included, once the local substitutions are made', () => {
    const result = aslValidator(substituted(), { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('would be caught by asl-validator if a transition pointed nowhere (the validator is live)', () => {
    const broken = asWritten();
    (broken.States.Review as State).Next = 'NoSuchState';
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('has a Lambda task for every workflow step, and only Task, Choice, Wait and Succeed states', () => {
    // Identify, approval, open/tick/close for each answered phase, review.
    expect(tasks.length).toBe(1 + 1 + 3 * ANSWERED.length + 1);
    expect(new Set(Object.values(definition.States).map((s) => s.Type))).toEqual(new Set(['Task', 'Choice', 'Wait', 'Succeed']));
  });

  it('retries every Task on TransientError, Lambda throttling and a crashed function with a backoff rate of at least 2', () => {
    for (const [name, s] of tasks) {
      const retrier = s.Retry?.find((r) => r.ErrorEquals.includes('TransientError'));
      expect(retrier, name).toBeDefined();
      expect(retrier?.ErrorEquals, name).toContain('Lambda.TooManyRequestsException');
      // A function whose process died (Runtime.ExitError) is run again: every step is idempotent.
      expect(retrier?.ErrorEquals, name).toContain('Runtime.ExitError');
      expect(retrier?.BackoffRate ?? 2, name).toBeGreaterThanOrEqual(2);
      expect(retrier?.MaxAttempts ?? 3, name).toBeGreaterThanOrEqual(2);
    }
  });

  it('runs a Task that ran out of time again, twice at most: steps stop at their time budget and resume where they were', () => {
    for (const [name, s] of tasks) {
      const retrier = s.Retry?.find((r) => r.ErrorEquals.includes('TimeoutError'));
      // middy's early timeout (functions/middleware/workflow-task.ts), and Lambda's own when a function overruns it.
      expect(retrier?.ErrorEquals, name).toEqual(['TimeoutError', 'Sandbox.Timedout']);
      expect(retrier?.MaxAttempts, name).toBe(2);
    }
  });

  it('lets a Task that fails after its retries fail the execution itself, so that RedriveExecution can resume it there', () => {
    for (const [name, s] of tasks) expect(s.Catch, name).toBeUndefined();
    expect(Object.values(definition.States).filter((s) => s.Type === 'Fail')).toEqual([]);
    expect(definitionSubstitutionNames).not.toContain('MarkCycleFailedFunctionArn');
  });

  it('starts with enrollment only when the execution input says the program runs it, and goes on to Identify either way', () => {
    const start = state(definition.StartAt);
    expect(definition.StartAt).toBe('Enrollment: wanted?');
    expect(start.Type).toBe('Choice');
    expect(start.Default).toBe('Identify');
    expect(start.Choices?.[0]?.Next).toBe('Enrollment');
    expect(JSON.stringify(start.Choices?.[0])).toContain('$.optionalPhases.enrollment');
    expect(state('Enrollment: close').Next).toBe('Identify');
  });

  it('runs the phases in order: Enrollment, Identify, Approval, GoalSetting, Run, Measure, Feedback, Review', () => {
    // Follow the happy path: Next, and at each Choice the "complete" branch.
    const path: string[] = [];
    for (let name: string | undefined = definition.StartAt; name && path.length < 100;) {
      path.push(name);
      const s = state(name);
      name = s.Type === 'Choice' ? s.Choices?.[0]?.Next : s.Next;
    }
    const phases = path.filter((n) => !n.includes(':') && state(n).Type === 'Task');
    expect(phases).toEqual(['Enrollment', 'Identify', 'Approval', 'GoalSetting', 'Run', 'Measure', 'Feedback', 'Review']);
    expect(path.at(-1)).toBe('CycleSucceeded');
    expect(state('Identify').Resource).toBe('${IdentifyFunctionArn}');
    expect(state('Review').Resource).toBe('${ReviewFunctionArn}');
    for (const [name, phase] of ANSWERED) {
      expect(state(name).Resource).toBe('${OpenPhaseFunctionArn}');
      expect(state(name).Parameters).toEqual({ 'cycleId.$': '$.cycleId', phase });
    }
  });

  it('calls Review again until every item of the cycle is set to expire, then succeeds', () => {
    expect(state('Review')).toMatchObject({ ResultPath: '$.review', Next: 'Review: is the cycle set to expire?' });
    const choice = state('Review: is the cycle set to expire?');
    expect(choice.Choices).toEqual([{ Variable: '$.review.retentionComplete', BooleanEquals: true, Next: 'CycleSucceeded' }]);
    expect(choice.Default).toBe('Review');
  });

  it.each(ANSWERED)('loops %s through send → complete? → wait until complete, then closes it', (name, phase) => {
    const open = state(name);
    expect(open.ResultPath).toBe('$.phase');
    expect(open.Next).toBe(`${name}: send what is due`);

    const tick = state(`${name}: send what is due`);
    expect(tick).toMatchObject({ Type: 'Task', Resource: '${PhaseTickFunctionArn}', ResultPath: '$.phase', Next: `${name}: complete?` });
    expect(tick.Parameters).toEqual({ 'cycleId.$': '$.cycleId', phase });

    const choice = state(`${name}: complete?`);
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices).toEqual([{ Variable: '$.phase.complete', BooleanEquals: true, Next: `${name}: close` }]);
    expect(choice.Default).toBe(`${name}: wait`);

    const wait = state(`${name}: wait`);
    expect(wait).toEqual({ Type: 'Wait', SecondsPath: '$.phase.waitSeconds', Next: `${name}: send what is due` });

    const close = state(`${name}: close`);
    expect(close).toMatchObject({ Type: 'Task', Resource: '${ClosePhaseFunctionArn}' });
    expect(close.Parameters).toEqual({ 'cycleId.$': '$.cycleId', phase });
  });

  it('checks the approval in a loop: approved goes on to GoalSetting, stopped ends, otherwise waits and checks again', () => {
    expect(state('Identify').Next).toBe('Approval');
    expect(state('Approval')).toMatchObject({
      Type: 'Task',
      Resource: '${ApprovalStepFunctionArn}',
      Parameters: { 'cycleId.$': '$.cycleId' },
      ResultPath: '$.approval',
      Next: 'Approval: decided?',
    });
    expect(state('Approval: decided?').Choices).toEqual([
      { Variable: '$.approval.approved', BooleanEquals: true, Next: 'GoalSetting' },
      { Variable: '$.approval.stopped', BooleanEquals: true, Next: 'Approval: stopped' },
    ]);
    expect(state('Approval: decided?').Default).toBe('Approval: wait');
    expect(state('Approval: wait')).toEqual({ Type: 'Wait', SecondsPath: '$.approval.waitSeconds', Next: 'Approval' });
    expect(state('Approval: stopped').Type).toBe('Succeed');
  });

  it('never waits for a task token', () => {
    expect(text).not.toMatch(/waitForTaskToken/i);
    expect(text).not.toMatch(/TaskToken/);
    for (const [, s] of tasks) expect(s.Resource).toMatch(/^\$\{[A-Za-z]+FunctionArn\}$/);
  });

  it('uses only placeholders the function catalog provides, and every workflow function in the catalog', () => {
    const used = new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]));
    const provided = FUNCTIONS.flatMap((f) => ('definitionSubstitution' in f ? [f.definitionSubstitution as string] : []));
    expect(provided.length).toBeGreaterThan(0);
    expect([...used].sort()).toEqual([...provided].sort());
    expect([...definitionSubstitutionNames].sort()).toEqual([...provided].sort());
  });
});

describe('substituteDefinition', () => {
  it('replaces every placeholder with the local ARN of its function', () => {
    const def = substituted();
    expect(JSON.stringify(def)).not.toContain('${');
    expect(def.States.Identify?.Resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:tandem-identify');
    expect(def.States['Run: send what is due']?.Resource).toBe(localFunctionArn('phase-tick'));
  });

  it('uses the region and account it is given', () => {
    const def = substituteDefinition(text, localSubstitutions('eu-west-1', '123456789012')) as unknown as Definition;
    expect(def.States.Review?.Resource).toBe('arn:aws:lambda:eu-west-1:123456789012:function:tandem-review');
  });

  it('throws, naming the placeholder, when a substitution is missing', () => {
    const { ReviewFunctionArn: _omitted, ...rest } = localSubstitutions();
    expect(_omitted).toBeDefined();
    expect(() => substituteDefinition(text, rest)).toThrow('workflow definition uses ${ReviewFunctionArn} but no value was given for it');
    expect(() => substituteDefinition(text, {})).toThrow(/but no value was given/);
  });

  it('leaves text without placeholders as it is', () => {
    expect(substituteDefinition('{"a":"$.b","c":"{x}"}', {})).toEqual({ a: '$.b', c: '{x}' });
  });
});
