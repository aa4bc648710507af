import type { AnsweredPhaseModule, DueBatch, PhaseStep } from '../types.ts';
import { answeredOnce } from '../schedule.ts';

const base = answeredOnce('goal-setting', 'GoalSetting', 'goalSetting', { template: 'goal-setting', goalsInInvitation: true });

/**
 * Goal-setting: every member gets the program's goals and expectations, their partners and a
 * link to accept the pairing, set goals and rate their skills (the baseline). People matched
 * again after a partner declined get an invitation for their new pair.
 */
export const goalSetting: AnsweredPhaseModule = {
  ...base,
  async dueBatches(step) {
    return [...(await base.dueBatches(step)), ...(await rematchInvitations(step))];
  },
  opsLines(cycle, { bounces }) {
    return [...base.answerLines(cycle), ...(bounces ? [{ label: 'Unreachable', text: `${bounces} member(s) bounced or complained` }] : [])];
  },
};

/**
 * One batch per rematch not yet notified: both people of the new pair get a goal-setting
 * invitation for it; one who had accepted their first partner is told their goals are kept and
 * that the new pairing needs their answer. The last batch records that every rematch so far was notified.
 */
async function rematchInvitations({ deps, cycle, state, now }: PhaseStep): Promise<DueBatch[]> {
  const rematches = cycle.rematches ?? 0;
  if (rematches <= (state.rematchesNotified ?? 0) || now >= state.deadline) return [];
  const records = await deps.store.listRematches(cycle.cycleId);
  const batch = (
    key: string,
    recipients: readonly string[],
    last: boolean,
    askedAgain: readonly string[] = [],
    newPartners: readonly string[] = [],
  ): DueBatch => ({
    key,
    tag: 'rematch',
    phaseKey: 'goal-setting',
    onlyUnanswered: false,
    recipients,
    email: { template: 'goal-setting', includeGoals: true, reminder: false, rematch: true, askedAgain, newPartners },
    done: () => (last ? { rematchesNotified: rematches } : {}),
  });
  if (!records.length) return [batch('goal-setting#rematch', [], true)];
  return records.map((record, i) =>
    batch(
      `goal-setting#rematch-${record.rematchId}`,
      record.notify,
      i === records.length - 1,
      record.askedAgainIds ?? (record.askedAgain ? [record.freedParticipantId] : []),
      record.newPartnerId ? [record.newPartnerId] : [],
    ),
  );
}
