import type { Cycle, PhaseState } from '../../../domain/cycle.ts';
import { PAIR_PAGE_KEY } from '../../pair-page-key.ts';
import { durationToSeconds } from '../../../domain/duration.ts';
import type { Program } from '../../../domain/program.ts';
import { deadlineLine } from '../schedule.ts';
import { reachableMembers } from '../members.ts';
import type { AnswerCount, AnsweredPhaseModule, DueBatch, PhaseStep } from '../types.ts';

/**
 * The run: pairs meet; every `checkInCadence` each member gets a check-in ("we met / not yet /
 * need help") for that round, keyed `run#<round>`. The run ends at its deadline, never early.
 */

/** Check-in rounds fall every cadence after the run opens, strictly before its deadline. */
export function checkInRounds(program: Program, state: PhaseState): Array<{ round: number; at: number }> {
  const cadence = durationToSeconds(program.checkInCadence) * 1000;
  const rounds: Array<{ round: number; at: number }> = [];
  for (let round = 1, at = state.openedAt + cadence; at < state.deadline && round <= 1000; round++, at += cadence) rounds.push({ round, at });
  return rounds;
}

const ROUND_KEY = /^run#([1-9]\d{0,3})$/;

function countAnswers(responses: Record<string, number>): AnswerCount {
  const rounds = Object.fromEntries(Object.entries(responses).filter(([key]) => key.startsWith('run#')));
  return { responses: Object.values(rounds).reduce((a, b) => a + b, 0), rounds };
}

export const run: AnsweredPhaseModule = {
  name: 'run',
  answered: true,
  statePrefixes: ['Run'],
  window: 'run',
  completion: 'deadline',
  phaseKey: (round) => `run#${round ?? 0}`,
  parsePhaseKey(key) {
    const match = ROUND_KEY.exec(key);
    return match ? { round: Number(match[1]) } : null;
  },
  async dueBatches({ deps, cycle, state, now }) {
    const batches: DueBatch[] = [];
    for (const { round, at } of checkInRounds(cycle.program, state)) {
      if (at <= now && !state.checkInRoundsSent?.includes(round)) {
        batches.push({
          key: `run#${round}#check-in`,
          tag: 'check-in',
          phaseKey: `run#${round}`,
          onlyUnanswered: false,
          email: { template: 'run', includeGoals: false, round, reminder: false, rematch: false },
          done: (recorded) => ({ checkInRoundsSent: [...(recorded.checkInRoundsSent ?? state.checkInRoundsSent ?? []), round] }),
        });
      }
    }
    const first = checkInRounds(cycle.program, state)[0];
    if (first && first.at <= now && !state.meetingNudgeSent) batches.push(await meetingNudge(deps, cycle));
    return batches;
  },
  nextDueTimes: (program, state) =>
    checkInRounds(program, state)
      .filter((r) => !state.checkInRoundsSent?.includes(r.round) || (r.round === 1 && !state.meetingNudgeSent))
      .map((r) => r.at),
  afterSending: judgeMissedCheckIns,
  countAnswers,
  statusCell: (count) =>
    count.rounds && Object.keys(count.rounds).length ? `${count.responses} (${Object.keys(count.rounds).length} rounds)` : count.responses,
  opsLines(cycle) {
    const rounds = Object.entries(countAnswers(cycle.responses).rounds ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    const lines = rounds.map(([round, count]) => ({
      label: `Check-in ${round.replace('run#', '')}`,
      done: count,
      of: cycle.participants,
      text: `${count} of ${cycle.participants} answered`,
    }));
    return [...(lines.length ? lines : [{ label: 'Check-ins', text: 'no answers yet' }]), ...deadlineLine(cycle.phases.run)];
  },
};

/**
 * Both members of every pair with no meeting logged by the first check-in get one nudge, linking
 * their pair page (send-once keys it by person, so a retried step sends nothing twice).
 */
async function meetingNudge(deps: PhaseStep['deps'], cycle: Cycle): Promise<DueBatch> {
  const [members, meetings] = await Promise.all([reachableMembers(deps.store, cycle), deps.store.listMeetings(cycle.cycleId)]);
  const met = new Set(meetings.map((m) => m.pairId));
  const recipients = members.filter((m) => m.partners.some((p) => !met.has(p.pairId))).map((m) => m.participantId);
  return {
    key: 'run#meeting-nudge',
    tag: 'meeting-nudge',
    phaseKey: PAIR_PAGE_KEY,
    onlyUnanswered: false,
    recipients,
    email: { template: 'run', includeGoals: false, reminder: false, rematch: false, nudge: true },
    done: () => ({ meetingNudgeSent: true }),
  };
}

/**
 * A person who let two check-ins in a row go by without answering (or said "not yet" and then
 * did not answer) flags their pair for HR; "not yet" twice and "need help" are flagged by the
 * survey API. Round r is judged once round r+1 went out (a full cadence to answer), or at the
 * run's end. A round sent in this very step is never judged in it: people get at least until
 * the next step.
 */
async function judgeMissedCheckIns({ deps, cycle, state }: PhaseStep, recorded: Partial<PhaseState>): Promise<void> {
  const sentRounds = [...(recorded.checkInRoundsSent ?? state.checkInRoundsSent ?? [])].sort((a, b) => a - b);
  const checked = state.missesChecked ?? [];
  const ended = deps.clock.now() >= state.deadline;
  const sentBefore = state.checkInRoundsSent ?? [];
  const judge = sentRounds.filter((r) => r >= 2 && !checked.includes(r) && sentBefore.includes(r) && (sentRounds.includes(r + 1) || ended));
  if (!judge.length) return;
  const members = await reachableMembers(deps.store, cycle);
  const at = deps.clock.now();
  for (const round of judge) {
    const [previous, current] = await Promise.all([
      deps.store.listResponses(cycle.cycleId, `run#${round - 1}#`),
      deps.store.listResponses(cycle.cycleId, `run#${round}#`),
    ]);
    const answeredNow = new Set(current.map((r) => r.participantId));
    const metBefore = new Set(previous.filter((r) => (r.answer as { status?: string }).status === 'met').map((r) => r.participantId));
    for (const member of members) {
      if (answeredNow.has(member.participantId) || metBefore.has(member.participantId)) continue;
      for (const partner of member.partners) {
        await deps.store.flagPair(cycle.cycleId, partner.pairId, { participantId: member.participantId, kind: 'two-misses', round, at });
      }
    }
  }
  await deps.store.updatePhase(cycle.cycleId, 'run', { missesChecked: [...checked, ...judge] });
}
