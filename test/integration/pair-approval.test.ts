import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import type { Cycle } from '../../domain/cycle.ts';
import { pairKey } from '../../domain/matching/hard-rules.ts';
import { stopCycle } from '../../services/cycles.ts';
import type { PairReviewView } from '../../services/phases/approval/review.ts';
import { stackEnv, tandem } from './cli-support.ts';
import { createProgramWithRoster, emailsFor, sfnClient, startTestCycle, uniqueTag, waitForExecution } from '../support/fixtures.ts';

async function until(what: string, check: (cycle: Cycle) => boolean, timeoutMs = 60_000): Promise<Cycle> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cycle = await container().store.getCycle(what);
    if (cycle && check(cycle)) return cycle;
    if (Date.now() > deadline)
      throw new Error(`cycle ${what} did not get there in ${timeoutMs} ms (phase ${cycle?.currentPhase}, approval ${cycle?.approval?.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stop = (cycleId: string) =>
  stopCycle(
    { store: container().store, clock: container().clock, workflow: new StepFunctionsWorkflow(inject('localStack').stateMachineArn, sfnClient()) },
    { cycleId, reason: 'test done' },
  );

const participantEmails = async (tag: string) => (await emailsFor(tag)).filter((e) => !e.destination.to.some((to) => to.startsWith('hr@')));
/** HR's emails about a cycle's pairs (their subject names the cycle; the sample program writes in pt-BR). */
const hrEmails = async (tag: string, cycleId: string) =>
  (await emailsFor(tag)).filter((e) => e.destination.to.some((to) => to.startsWith('hr@')) && e.subject.includes(cycleId));

describe('HR’s approval of the pairs on the local stack', () => {
  it('waits for HR, who forbids a pair and re-solves; invitations go out only after the approval', async () => {
    const tag = uniqueTag('approve');
    const program = await createProgramWithRoster(tag, { approval: { required: true, deadline: 'PT10M', onDeadline: 'stop' } });
    const cycle = await startTestCycle(program.programId);
    try {
      await until(cycle.cycleId, (c) => c.approval?.status === 'pending');
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await participantEmails(tag)).toEqual([]);
      expect(await hrEmails(tag, cycle.cycleId)).toHaveLength(1);

      // HR works through the CLI, as `tandem pairs` runs for them.
      const env = stackEnv({ TANDEM_ACTOR: 'hr@tandem.local' });
      const listed = (await tandem(['pairs', 'list', '--cycle', cycle.cycleId, '--json'], { env })).json<PairReviewView>();
      expect(listed.status).toBe('pending');
      const first = listed.pairs[0];
      if (!first) throw new Error('no pair proposed');
      expect(first.criteria.length).toBeGreaterThan(0);
      const [a, b] = [first.mentor.participantId, first.mentee.participantId];
      expect((await tandem(['pairs', 'forbid', '--cycle', cycle.cycleId, a, b], { env })).code).toBe(0);
      const refused = await tandem(['pairs', 'approve', '--cycle', cycle.cycleId], { env });
      expect([refused.code, refused.stderr]).toEqual([6, expect.stringContaining('re-solve before approving')]);
      expect((await tandem(['pairs', 'resolve', '--cycle', cycle.cycleId, '--json'], { env })).code).toBe(0);
      const store = container().store;
      const pairs = await store.listPairs(cycle.cycleId);
      expect(pairs.map((p) => pairKey(p.mentorId, p.menteeId))).not.toContain(pairKey(a, b));
      expect(await participantEmails(tag)).toEqual([]);
      const status = await tandem(['cycle', 'status', cycle.cycleId], { env });
      expect(status.stdout).toContain('Pairs: waiting for approval until');

      expect((await tandem(['pairs', 'approve', '--cycle', cycle.cycleId], { env })).code).toBe(0);
      const approvedAt = Date.now();
      await until(cycle.cycleId, (c) => c.currentPhase === 'goal-setting' && c.emailsSent > 1);
      const invitations = await participantEmails(tag);
      expect(invitations.length).toBeGreaterThan(0);
      expect(invitations.every((e) => e.at * 1000 >= approvedAt - 1000)).toBe(true);
      const audit = await store.listAudit({ programId: program.programId });
      expect(audit.map((entry) => [entry.action, entry.actor, entry.via])).toEqual([
        ['pairs.approved', 'hr@tandem.local', 'cli'],
        ['pairs.resolved', 'hr@tandem.local', 'cli'],
        ['pairs.forbidden', 'hr@tandem.local', 'cli'],
      ]);
      expect(await hrEmails(tag, cycle.cycleId)).toHaveLength(1);
    } finally {
      await stop(cycle.cycleId).catch(() => undefined);
    }
  });

  it('approves at the deadline when HR does not, reminding HR once before it', async () => {
    const tag = uniqueTag('auto');
    const program = await createProgramWithRoster(tag, { approval: { required: true, deadline: 'PT6S', onDeadline: 'approve', reminderBefore: 'PT3S' } });
    const cycle = await startTestCycle(program.programId);
    try {
      const goalSetting = await until(cycle.cycleId, (c) => c.currentPhase === 'goal-setting');
      expect(goalSetting.approval).toMatchObject({ status: 'approved', decidedBy: 'tandem' });
      expect((await hrEmails(tag, cycle.cycleId)).map((e) => e.subject)).toEqual([
        expect.stringContaining('pares para aprovar'),
        expect.stringContaining('os pares ainda aguardam sua aprovação'),
      ]);
      expect((await container().store.listAudit({ programId: program.programId }))[0]).toMatchObject({ action: 'pairs.approved-at-deadline', via: 'workflow' });
    } finally {
      await stop(cycle.cycleId).catch(() => undefined);
    }
  });

  it('stops the cycle at the deadline when the program says so, inviting nobody', async () => {
    const tag = uniqueTag('stop');
    const program = await createProgramWithRoster(tag, { approval: { required: true, deadline: 'PT3S', onDeadline: 'stop' } });
    const cycle = await startTestCycle(program.programId);
    const execution = await waitForExecution(cycle.executionArn as string, 60_000);
    expect(execution.status).toBe('SUCCEEDED');
    const stored = await container().store.getCycle(cycle.cycleId);
    expect([stored?.status, stored?.approval?.status]).toEqual(['stopped', 'stopped']);
    expect(await participantEmails(tag)).toEqual([]);
  });
});
