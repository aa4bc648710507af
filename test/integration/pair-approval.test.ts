import { describe, expect, inject, it } from 'vitest';
import { container } from '../../adapters/container.ts';
import { StepFunctionsWorkflow } from '../../adapters/stepfunctions/sfn-workflow.ts';
import type { Cycle } from '../../domain/cycle.ts';
import { pairKey } from '../../domain/matching/hard-rules.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { stopCycle } from '../../services/cycles.ts';
import { approvePairs, forbidPairOfCycle, resolveCycle, type Actor } from '../../services/phases/approval/review.ts';
import { createProgramWithRoster, emailsFor, sfnClient, startTestCycle, uniqueTag, waitForExecution } from '../support/fixtures.ts';

const hr: Actor = { actor: 'hr@tandem.local', via: 'cli' };

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

      const store = container().store;
      const [first] = await store.listPairs(cycle.cycleId);
      if (!first) throw new Error('no pair proposed');
      await forbidPairOfCycle({ store, clock: container().clock }, cycle.cycleId, [first.mentorId, first.menteeId], hr);
      await resolveCycle({ store, clock: container().clock, matcher: new OptimalMatcher() }, cycle.cycleId, hr);
      const pairs = await store.listPairs(cycle.cycleId);
      expect(pairs.map((p) => pairKey(p.mentorId, p.menteeId))).not.toContain(pairKey(first.mentorId, first.menteeId));
      expect(await participantEmails(tag)).toEqual([]);

      await approvePairs({ store, clock: container().clock }, cycle.cycleId, hr);
      const approvedAt = Date.now();
      await until(cycle.cycleId, (c) => c.currentPhase === 'goal-setting' && c.emailsSent > 1);
      const invitations = await participantEmails(tag);
      expect(invitations.length).toBeGreaterThan(0);
      expect(invitations.every((e) => e.at * 1000 >= approvedAt - 1000)).toBe(true);
      expect((await store.listAudit({ programId: program.programId })).map((a) => a.action)).toEqual(['pairs.approved', 'pairs.resolved', 'pairs.forbidden']);
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
