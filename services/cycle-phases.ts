import type { Cycle, Member, Pair, PhaseState } from '../domain/cycle.ts';
import { linkPair, pairIdOf, phaseKey } from '../domain/cycle.ts';
import { durationToSeconds } from '../domain/duration.ts';
import { invitationEmail, timeLeftInWords } from '../domain/emails.ts';
import { NoPairsError, NotFoundError } from '../domain/errors.ts';
import type { LinkSigner } from '../domain/links.ts';
import type { Matcher } from '../domain/matching/matcher.ts';
import type { Participant } from '../domain/participant.ts';
import type { AnsweredPhase, Program } from '../domain/program.ts';
import type { Clock, CycleStore, EmailLog, Mailer, ParticipantActionStore, ProgramStore } from './ports.ts';
import { sendOnce } from './send-once.ts';

export interface PhaseDeps {
  store: CycleStore & ProgramStore & ParticipantActionStore;
  emailLog: EmailLog;
  mailer: Mailer;
  clock: Clock;
}

/** What a phase step hands back to the workflow: counts and timing, never lists. */
export interface PhaseProgress {
  phase: AnsweredPhase;
  complete: boolean;
  /** Seconds the workflow waits before the next step (0: more work to do right away). */
  waitSeconds: number;
  expected: number;
  answered: number;
  deadline: string;
  emailsSent: number;
}

/** Links stay valid a little after the deadline so that a late click gets a "phase closed" page, not "expired". */
const LINK_GRACE_SECONDS = 3 * 86400;
/** The "leave the program" link in each email stays valid this long after the phase's deadline. */
const OPT_OUT_LINK_SECONDS = 180 * 86400;
/** Emails sent at once by a phase step (SES's per-second quota is far above; a throttled send is retried by the workflow). */
const SEND_CONCURRENCY = 8;
/** Polls per answered phase at most: bounds the execution history whatever the phase's length. */
const MAX_POLLS_PER_PHASE = 240;
/** At most a week per Wait: an extra step costs nothing, and timers beyond 24.8 days overflow in Node (the local engine). */
const MAX_WAIT_SECONDS = 7 * 86400;

export async function loadCycle(store: CycleStore, cycleId: string): Promise<Cycle> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  return cycle;
}

// ---- identify ---------------------------------------------------------------

export async function identify(deps: PhaseDeps & { matcher: Matcher }, cycleId: string) {
  const cycle = await loadCycle(deps.store, cycleId);
  const program = cycle.program;
  const roster = await deps.store.listParticipants(program.programId);
  const recentPairs = await recentPairsOf(deps.store, cycle);
  const result = deps.matcher.match(roster, {
    settings: program.matching,
    skillsCatalog: program.skillsCatalog,
    recentPairs,
    referenceYear: new Date(deps.clock.now()).getUTCFullYear(),
  });
  if (result.pairs.length === 0) {
    throw new NoPairsError(
      `no pair can be formed from the ${roster.length} people on program ${program.programId}'s roster` +
        (result.unmatched[0] ? ` (for example ${result.unmatched[0].participantId}: ${result.unmatched[0].reason})` : ''),
    );
  }
  const pairs: Pair[] = result.pairs.map((p) => ({ ...p, pairId: pairIdOf(p.mentorId, p.menteeId) }));
  const members = membersOf(roster, pairs, program);
  await deps.store.putCohort(cycleId, members, pairs);
  return { participants: members.length, pairs: pairs.length, unmatched: result.unmatched.length, matcher: deps.matcher.name };
}

async function recentPairsOf(store: CycleStore, cycle: Cycle): Promise<Array<[string, string]>> {
  const keep = cycle.program.matching.noRepeatCycles;
  if (keep === 0) return [];
  const earlier = (await store.listCycles(cycle.programId))
    .filter((c) => c.cycleId !== cycle.cycleId && c.startedAt < cycle.startedAt)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, keep);
  const pairs = await Promise.all(earlier.map((c) => store.listPairs(c.cycleId)));
  return pairs.flat().map((p) => [p.mentorId, p.menteeId]);
}

function membersOf(roster: Participant[], pairs: Pair[], program: Program): Member[] {
  const byId = new Map(roster.map((p) => [p.participantId, p]));
  const members = new Map<string, Member>();
  const memberOf = (id: string): Member => {
    let member = members.get(id);
    if (!member) {
      const p = byId.get(id) as Participant;
      member = {
        participantId: p.participantId,
        name: p.name,
        email: p.email,
        department: p.department,
        language: p.preferredLanguage ?? program.language,
        skillsOffered: p.skillsOffered.map((s) => s.skill),
        skillsWanted: p.skillsWanted.map((s) => s.skill),
        teaches: [],
        learns: [],
        partners: [],
      };
      members.set(id, member);
    }
    return member;
  };
  for (const pair of pairs) linkPair(memberOf(pair.mentorId), memberOf(pair.menteeId), pair);
  return [...members.values()];
}

// ---- answered phases --------------------------------------------------------

const WINDOW: Record<AnsweredPhase, keyof Program['phaseWindows']> = {
  'goal-setting': 'goalSetting',
  run: 'run',
  measure: 'measure',
  feedback: 'feedback',
};

/** Opens a phase: fixes its deadline and how many answers it expects. Repeating it changes nothing. */
export async function openPhase(deps: PhaseDeps, cycleId: string, phase: AnsweredPhase): Promise<PhaseProgress> {
  const cycle = await loadCycle(deps.store, cycleId);
  const existing = cycle.phases[phase];
  const now = deps.clock.now();
  const state =
    existing ??
    (await deps.store.openPhase(cycleId, phase, {
      openedAt: now,
      deadline: now + durationToSeconds(cycle.program.phaseWindows[WINDOW[phase]]) * 1000,
      expected: phase === 'run' ? 0 : (await reachableMembers(deps.store, cycle)).length,
      remindersSent: [],
      checkInRoundsSent: [],
    }));
  return progress(phase, state, cycle.responses[phase] ?? 0, false, 0, 0);
}

/**
 * One step of an open phase: sends what is due (invitations, check-ins, reminders) within
 * the time budget, then says whether the phase is complete and how long to wait.
 * Every email has an idempotency key, so a retried or repeated step sends nothing twice.
 */
export async function advancePhase(
  deps: PhaseDeps & { links: { signer: LinkSigner; baseUrl: string } },
  cycleId: string,
  phase: AnsweredPhase,
  budget: { remainingMs: () => number },
): Promise<PhaseProgress> {
  const cycle = await loadCycle(deps.store, cycleId);
  const state = cycle.phases[phase];
  if (!state) throw new NotFoundError(`phase ${phase} of cycle ${cycleId} was never opened`);
  if (cycle.status !== 'running') return progress(phase, state, 0, true, 0, 0);
  const program = cycle.program;
  let now = deps.clock.now();
  let sent = 0;
  let outOfTime = false;
  const patch: Partial<PhaseState> = {};

  const batches = dueBatches(program, phase, state, now);
  if (batches.length > 0) {
    const members = await reachableMembers(deps.store, cycle);
    for (const batch of batches) {
      const skip = batch.onlyUnanswered
        ? new Set((await deps.store.listResponses(cycleId, `${batch.phaseKey}#`)).map((r) => r.participantId))
        : new Set<string>();
      // A few sends at a time; each keeps its own idempotency key, and the time budget is checked before each.
      const todo = members.filter((member) => !skip.has(member.participantId));
      let next = 0;
      let failure: unknown;
      const worker = async (until: number) => {
        while (next < until && failure === undefined && !outOfTime) {
          if (budget.remainingMs() < 0) {
            outOfTime = true;
            break;
          }
          const member = todo[next++] as Member;
          try {
            if ((await sendInvitation(deps, cycle, member, phase, batch, state, now)) === 'sent') sent++;
          } catch (error) {
            failure ??= error;
          }
        }
      };
      // The first email goes alone: when SES is throttling, one send finds out (and the step is retried) before eight pile on.
      await worker(Math.min(1, todo.length));
      await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, todo.length) }, () => worker(todo.length)));
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what a send threw, unchanged
      if (failure !== undefined) throw failure;
      if (outOfTime) break;
      Object.assign(patch, batch.done(patch));
    }
    if (Object.keys(patch).length) await deps.store.updatePhase(cycleId, phase, patch);
  }

  // Goal-setting: people paired again after a decline get an invitation for their new pair.
  const rematches = cycle.rematches ?? 0;
  const notified = state.rematchesNotified ?? 0;
  if (phase === 'goal-setting' && !outOfTime && rematches > notified && now < state.deadline) {
    const records = await deps.store.listRematches(cycleId);
    const members = new Map((await reachableMembers(deps.store, cycle)).map((m) => [m.participantId, m]));
    for (const record of records) {
      for (const participantId of record.notify) {
        const member = members.get(participantId);
        if (!member) continue;
        if (budget.remainingMs() < 0) {
          outOfTime = true;
          break;
        }
        const batch: DueBatch = {
          key: `goal-setting#rematch-${record.rematchId}`,
          kind: 'rematch',
          phaseKey: 'goal-setting',
          onlyUnanswered: false,
          done: () => ({}),
        };
        if ((await sendInvitation(deps, cycle, member, 'goal-setting', batch, state, now)) === 'sent') sent++;
      }
      if (outOfTime) break;
    }
    if (!outOfTime) await deps.store.updatePhase(cycleId, phase, { rematchesNotified: rematches });
  }

  // Run: a person who let two check-ins in a row go by without answering (or said "not yet" and then
  // did not answer) flags their pair for HR; "not yet" twice and "need help" are flagged by the survey API.
  if (phase === 'run' && !outOfTime) {
    const sentRounds = [...(patch.checkInRoundsSent ?? state.checkInRoundsSent ?? [])].sort((a, b) => a - b);
    const checked = state.missesChecked ?? [];
    const ended = deps.clock.now() >= state.deadline;
    // Round r is judged once round r+1 went out (a full cadence to answer), or at the run's end.
    // (A round sent in this very step is never judged in it: people get at least until the next step.)
    const sentBefore = state.checkInRoundsSent ?? [];
    const judge = sentRounds.filter((r) => r >= 2 && !checked.includes(r) && sentBefore.includes(r) && (sentRounds.includes(r + 1) || ended));
    if (judge.length) {
      await flagMissedCheckIns(deps, cycle, judge);
      await deps.store.updatePhase(cycleId, phase, { missesChecked: [...checked, ...judge] });
    }
  }

  now = deps.clock.now();
  const answered = phase === 'run' ? 0 : ((await loadCycle(deps.store, cycleId)).responses[phase] ?? 0);
  const everyoneAnswered = phase !== 'run' && state.expected > 0 && answered >= state.expected;
  const complete = !outOfTime && (everyoneAnswered || now >= state.deadline);
  const merged = { ...state, ...patch };
  const waitSeconds = outOfTime || complete ? 0 : secondsUntilNextStep(program, phase, merged, now);
  return progress(phase, state, answered, complete, waitSeconds, sent);
}

interface DueBatch {
  key: string;
  kind: string;
  phaseKey: string;
  round?: number;
  reminderIndex?: number;
  onlyUnanswered: boolean;
  done: (patch: Partial<PhaseState>) => Partial<PhaseState>;
}

/** The batches of email a phase owes now: the invitation, check-in rounds that came due, reminders that came due. */
function dueBatches(program: Program, phase: AnsweredPhase, state: PhaseState, now: number): DueBatch[] {
  const batches: DueBatch[] = [];
  if (phase === 'run') {
    for (const round of checkInRounds(program, state)) {
      if (round.at <= now && !state.checkInRoundsSent?.includes(round.round)) {
        batches.push({
          key: `run#${round.round}#check-in`,
          kind: 'check-in',
          phaseKey: phaseKey('run', round.round),
          round: round.round,
          onlyUnanswered: false,
          done: (patch) => ({ checkInRoundsSent: [...(patch.checkInRoundsSent ?? state.checkInRoundsSent ?? []), round.round] }),
        });
      }
    }
    return batches;
  }
  if (!state.invitationsDone) {
    batches.push({ key: `${phase}#invitation`, kind: 'invitation', phaseKey: phase, onlyUnanswered: false, done: () => ({ invitationsDone: true }) });
  }
  reminderTimes(program, state).forEach((at, index) => {
    if (at <= now && now < state.deadline && !state.remindersSent?.includes(index)) {
      batches.push({
        key: `${phase}#reminder-${index}`,
        kind: 'reminder',
        phaseKey: phase,
        reminderIndex: index,
        onlyUnanswered: true,
        done: (patch) => ({ remindersSent: [...(patch.remindersSent ?? state.remindersSent ?? []), index] }),
      });
    }
  });
  return batches;
}

/** Check-in rounds fall every cadence after the run opens, strictly before its deadline. */
export function checkInRounds(program: Program, state: PhaseState): Array<{ round: number; at: number }> {
  const cadence = durationToSeconds(program.checkInCadence) * 1000;
  const rounds: Array<{ round: number; at: number }> = [];
  for (let round = 1, at = state.openedAt + cadence; at < state.deadline && round <= 1000; round++, at += cadence) rounds.push({ round, at });
  return rounds;
}

/** When each reminder is due; reminders that would fall before the phase opened are dropped. */
export function reminderTimes(program: Program, state: PhaseState): number[] {
  return program.reminders.beforeDeadline
    .map((offset) => state.deadline - durationToSeconds(offset) * 1000)
    .map((at) => (at > state.openedAt ? at : Number.NaN));
}

function secondsUntilNextStep(program: Program, phase: AnsweredPhase, state: PhaseState, now: number): number {
  const upcoming = [state.deadline];
  if (phase === 'run') {
    upcoming.push(
      ...checkInRounds(program, state)
        .filter((r) => !state.checkInRoundsSent?.includes(r.round))
        .map((r) => r.at),
    );
  } else {
    reminderTimes(program, state).forEach((at, index) => Number.isFinite(at) && !state.remindersSent?.includes(index) && upcoming.push(at));
    const window = state.deadline - state.openedAt;
    const poll = Math.max(durationToSeconds(program.progressCheckInterval) * 1000, window / MAX_POLLS_PER_PHASE);
    upcoming.push(now + poll);
  }
  const next = Math.min(...upcoming.filter((at) => at > now));
  return Number.isFinite(next) ? Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((next - now) / 1000))) : 1;
}

export async function closePhase(deps: PhaseDeps, cycleId: string, phase: AnsweredPhase): Promise<PhaseProgress> {
  await deps.store.closePhase(cycleId, phase, deps.clock.now());
  const cycle = await loadCycle(deps.store, cycleId);
  const state = cycle.phases[phase] as PhaseState;
  const answered =
    phase === 'run'
      ? Object.entries(cycle.responses)
          .filter(([k]) => k.startsWith('run#'))
          .reduce((n, [, v]) => n + v, 0)
      : (cycle.responses[phase] ?? 0);
  return progress(phase, state, answered, true, 0, 0);
}

/** Members who can still be reached: not opted out or bounced since the cycle began. */
async function reachableMembers(store: CycleStore & ProgramStore, cycle: Cycle): Promise<Member[]> {
  const [members, roster] = await Promise.all([store.listMembers(cycle.cycleId), store.listParticipants(cycle.programId)]);
  const status = new Map(roster.map((p) => [p.participantId, p.status]));
  return members
    .filter((m) => (status.get(m.participantId) ?? 'active') === 'active' && !m.declined)
    .sort((a, b) => a.participantId.localeCompare(b.participantId));
}

/** Flags the pairs of members who did not answer check-in round r and did not say "we met" at round r-1, for each round r given. */
async function flagMissedCheckIns(deps: PhaseDeps, cycle: Cycle, rounds: number[]): Promise<void> {
  const members = await reachableMembers(deps.store, cycle);
  const at = deps.clock.now();
  for (const round of rounds) {
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
}

/** Sends one invitation, check-in or reminder as an SES template, with the phase link and the opt-out link. */
async function sendInvitation(
  deps: PhaseDeps & { links: { signer: LinkSigner; baseUrl: string } },
  cycle: Cycle,
  member: Member,
  kind: AnsweredPhase,
  batch: DueBatch,
  state: PhaseState,
  now: number,
) {
  const program = cycle.program;
  const link = linkFor(deps.links, cycle.cycleId, member.participantId, batch.phaseKey, state.deadline);
  const optOutLink = linkFor(deps.links, cycle.cycleId, member.participantId, 'opt-out', state.deadline + OPT_OUT_LINK_SECONDS * 1000);
  const content = invitationEmail({
    kind,
    language: member.language,
    programName: program.name,
    recipientName: member.name,
    ...(kind === 'goal-setting' && batch.reminderIndex === undefined ? { goalsAndExpectations: program.goalsAndExpectations } : {}),
    partners: member.partners,
    link,
    optOutLink,
    deadline: new Date(state.deadline),
    ...(batch.round ? { round: batch.round } : {}),
    ...(batch.reminderIndex !== undefined ? { reminderTimeLeft: timeLeftInWords(state.deadline - now, member.language) } : {}),
    ...(batch.kind === 'rematch' ? { rematch: true } : {}),
  });
  return sendOnce(deps, cycle.cycleId, `${batch.key}#${member.participantId}`, {
    from: program.sender,
    to: member.email,
    template: { name: content.templateName, data: content.data },
    tags: { cycle: cycle.cycleId, kind: batch.kind },
  });
}

function linkFor(links: { signer: LinkSigner; baseUrl: string }, cycleId: string, participantId: string, key: string, deadline: number): string {
  const token = links.signer.sign({ cycleId, participantId, phaseKey: key, expiresAt: Math.ceil(deadline / 1000) + LINK_GRACE_SECONDS });
  return `${links.baseUrl}/s/${token}`;
}

function progress(phase: AnsweredPhase, state: PhaseState, answered: number, complete: boolean, waitSeconds: number, emailsSent: number): PhaseProgress {
  return { phase, complete, waitSeconds, expected: state.expected, answered, deadline: new Date(state.deadline).toISOString(), emailsSent };
}
