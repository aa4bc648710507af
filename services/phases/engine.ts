import pLimit from 'p-limit';
import type { Cycle, PhaseState } from '../../domain/cycle.ts';
import { durationToSeconds } from '../../domain/duration.ts';
import { invitationEmail, timeLeftInWords } from '../../domain/emails.ts';
import { ConfigurationError, NotFoundError } from '../../domain/errors.ts';
import { PHASE_LINK_GRACE_SECONDS, type LinkSigner } from '../../domain/links.ts';
import type { AnsweredPhase, Program } from '../../domain/program.ts';
import { recordAction } from '../audit.ts';
import { sendOnce } from '../send-once.ts';
import { PAIR_PAGE_KEY } from '../pair-page-key.ts';
import { loadCycle, loadCycleForStep, reachableMembers } from './members.ts';
import { pairPageLink } from './pair-page-link.ts';
import type { SendingPace } from './pacing.ts';
import { answeredPhaseModule } from './registry.ts';
import type { AnsweredPhaseModule, DueBatch, PhaseDeps, PhaseStep, Recipient, StepWork } from './types.ts';

/**
 * The engine of the answered phases: what all of them share (open, send what is due within the
 * time budget, complete?, wait, close). What differs lives in the phase's module, looked up in
 * the registry; nothing here knows a phase by its name.
 */

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

export type SendingDeps = PhaseDeps & {
  links: { signer: LinkSigner; baseUrl: string };
  /** A phase's work on each step besides its batches (step-work.ts); only the phase-tick function passes it. */
  stepWork?: (phase: AnsweredPhase) => StepWork | undefined;
  /** How fast the step may call SES: the account's maximum send rate, or the share configured for this deployment (one pace per container). */
  pace: SendingPace;
};

/** The "leave the program" link in each email stays valid this long after the phase's deadline. */
const OPT_OUT_LINK_SECONDS = 180 * 86400;
/**
 * Emails in flight at once in a phase step: this many seconds' worth of the pace (deps.pace), so
 * that the pace, a rate of starts, always has a send waiting for its next slot even when one send
 * (three calls: claim, SES, mark sent) takes a second or more on a busy database; a step that runs
 * out of time has at most that much claimed and waiting.
 */
const SECONDS_OF_SENDS_IN_FLIGHT = 2;
/** Never more emails in flight than this, whatever the rate (each holds a connection). */
const MAX_SENDS_IN_FLIGHT = 64;
/** Polls per answered phase at most: bounds the execution history whatever the phase's length. */
export const MAX_POLLS_PER_PHASE = 240;
/** How often a phase past its deadline looks again at emails still claimed by a step that died (claims go stale after minutes). */
const CLAIM_RECHECK_SECONDS = 5;
/** At most a week per Wait: an extra step costs nothing, and timers beyond 24.8 days overflow in Node (the local engine). */
export const MAX_WAIT_SECONDS = 7 * 86400;

/** Opens a phase: fixes its deadline and how many answers it expects. Repeating it changes nothing. */
export async function openPhase(deps: PhaseDeps, cycleId: string, phase: AnsweredPhase): Promise<PhaseProgress> {
  const module = answeredPhaseModule(phase);
  const cycle = await loadCycle(deps.store, cycleId);
  const existing = cycle.phases[phase];
  const now = deps.clock.now();
  const window = cycle.program.phaseWindows[module.window];
  if (!existing && !window)
    throw new ConfigurationError(`program ${cycle.programId} has no phaseWindows.${module.window}, so its cycles have no ${phase} phase`);
  const state =
    existing ??
    (await deps.store.openPhase(cycleId, phase, {
      openedAt: now,
      deadline: now + durationToSeconds(window as string) * 1000,
      expected: module.completion === 'everyone-or-deadline' ? (await recipientsOf(module, deps, cycle)).length : 0,
      remindersSent: [],
      checkInRoundsSent: [],
    }));
  return progress(module, state, answeredWhileOpen(module, cycle), false, 0, 0);
}

/**
 * One step of an open phase: sends what is due (the module's batches) within the time budget,
 * then says whether the phase is complete and how long to wait. Every email has an idempotency
 * key, so a retried or repeated step sends nothing twice.
 */
export async function advancePhase(deps: SendingDeps, cycleId: string, phase: AnsweredPhase, budget: { remainingMs: () => number }): Promise<PhaseProgress> {
  const module = answeredPhaseModule(phase);
  const cycle = await loadCycleForStep(deps.store, cycleId);
  const initialState = cycle.phases[phase];
  if (!initialState) throw new NotFoundError(`phase ${phase} of cycle ${cycleId} was never opened`);
  if (cycle.status !== 'running') return progress(module, initialState, 0, true, 0, 0);
  const first: PhaseStep = { deps, cycle, state: initialState, now: deps.clock.now() };
  const due = await module.dueBatches(first);
  const state = await startLateWindowAgain(deps, module, first, due);
  const step: PhaseStep = { ...first, state };

  const sending = await sendDueBatches(deps, module, step, state === initialState ? due : await module.dueBatches(step), budget);
  const { sent, recorded } = sending;
  if (!sending.outOfTime && module.afterSending) await module.afterSending(step, recorded);
  const work = deps.stepWork?.(module.name);
  if (!sending.outOfTime && work) await work(step, deps.links, budget);
  // Work the budget cut short goes on at the next step, called at once.
  const outOfTime = sending.outOfTime || budget.remainingMs() <= 0;

  const now = deps.clock.now();
  const answered = answeredWhileOpen(module, await loadCycle(deps.store, cycleId));
  const everyoneAnswered = state.expected > 0 && answered >= state.expected;
  // A batch waiting on emails claimed by a step that died is not done: the phase does not end, deadline or not, before
  // those claims go stale and a later step sends them (else the people they were for would never get them).
  const complete = !outOfTime && (everyoneAnswered || (now >= state.deadline && !sending.waitingOnClaims));
  const waitSeconds =
    outOfTime || complete ? 0 : now >= state.deadline ? CLAIM_RECHECK_SECONDS : secondsUntilNextStep(cycle.program, module, { ...state, ...recorded }, now);
  return progress(module, state, answered, complete, waitSeconds, sent);
}

/**
 * A phase's window counts from when its invitations go out. When they go out late (a step failed
 * for a while and was retried or redriven), the deadline moves to the whole window from now:
 * else the emails would ask for answers by a time already past, and the phase would close as they
 * arrive. Sending that takes up to this share of the window keeps the deadline as it was.
 */
const LATE_INVITATIONS_SHARE = 0.1;

async function startLateWindowAgain(deps: SendingDeps, module: AnsweredPhaseModule, step: PhaseStep, due: DueBatch[]): Promise<PhaseState> {
  const { cycle, state, now } = step;
  // Measured from the window's latest start: sending that goes on over several steps after a move moves it no further.
  const start = state.windowStartedAt ?? state.openedAt;
  const window = state.deadline - start;
  if (!due.some((batch) => batch.tag === 'invitation') || now - start <= window * LATE_INVITATIONS_SHARE) return state;
  const deadline = now + window;
  await deps.store.updatePhase(cycle.cycleId, module.name, { deadline, windowStartedAt: now });
  await recordAction(
    { audit: deps.store, clock: deps.clock },
    { actor: 'tandem', via: 'workflow' },
    {
      action: 'phase.deadline-moved',
      programId: cycle.programId,
      cycleId: cycle.cycleId,
      details: { phase: module.name, from: new Date(state.deadline).toISOString(), to: new Date(deadline).toISOString(), reason: 'invitations went out late' },
    },
  );
  return { ...state, deadline, windowStartedAt: now };
}

export async function closePhase(deps: PhaseDeps, cycleId: string, phase: AnsweredPhase): Promise<PhaseProgress> {
  const module = answeredPhaseModule(phase);
  await deps.store.closePhase(cycleId, phase, deps.clock.now());
  const cycle = await loadCycle(deps.store, cycleId);
  const state = cycle.phases[phase] as PhaseState;
  return progress(module, state, module.countAnswers(cycle.responses).responses, true, 0, 0);
}

/** Whom the phase writes to: its own recipients, or the cycle's reachable members. */
function recipientsOf(module: AnsweredPhaseModule, deps: PhaseDeps, cycle: Cycle): Promise<Recipient[]> {
  return module.recipients ? module.recipients(deps, cycle) : reachableMembers(deps.store, cycle);
}

/** Answers that count toward early completion: none for a phase that ends at its deadline only. */
function answeredWhileOpen(module: AnsweredPhaseModule, cycle: Cycle): number {
  return module.completion === 'everyone-or-deadline' ? module.countAnswers(cycle.responses).responses : 0;
}

/**
 * Sends the batches in order, a few emails at a time and paced to deps.sendRate, checking the
 * time budget before each send: a step sends at most about rate × budget emails. A batch that
 * went out whole records what it did (`done`); the step stops at the first batch the budget cut
 * short, and the next step resumes it (skipping what the email log says went).
 */
async function sendDueBatches(unpaced: SendingDeps, module: AnsweredPhaseModule, step: PhaseStep, batches: DueBatch[], budget: { remainingMs: () => number }) {
  const recorded: Partial<PhaseState> = {};
  let sent = 0;
  let outOfTime = false;
  let waitingOnClaims = false;
  if (batches.length === 0) return { sent, outOfTime, recorded, waitingOnClaims };
  const deps: SendingDeps = { ...unpaced, mailer: unpaced.pace.mailer(unpaced.mailer, budget) };
  const members = await recipientsOf(module, deps, step.cycle);
  const limit = pLimit(Math.min(MAX_SENDS_IN_FLIGHT, Math.ceil(deps.pace.maxPerSecond * SECONDS_OF_SENDS_IN_FLIGHT)));
  for (const batch of batches) {
    // What a step before this one already sent is skipped on one read of the batch's keys, not claimed again one by one.
    const [answered, alreadySent] = await Promise.all([
      batch.onlyUnanswered ? deps.store.listResponses(step.cycle.cycleId, `${batch.phaseKey}#`) : [],
      deps.emailLog.sentKeys(step.cycle.cycleId, `${batch.key}#`),
    ]);
    const skip = new Set(answered.map((r) => r.participantId));
    const only = batch.recipients ? new Set(batch.recipients) : undefined;
    const todo = members.filter(
      (member) => !skip.has(member.participantId) && (!only || only.has(member.participantId)) && !alreadySent.has(phaseEmailKey(batch, member)),
    );
    let failure: { error: unknown } | undefined;
    // An email claimed by a step that died before handing it to SES is `in-flight` until its claim goes stale: the batch is not done until it went.
    let claimedElsewhere = false;
    const send = async (member: Recipient) => {
      if (failure || outOfTime) return;
      if (budget.remainingMs() < 0) {
        outOfTime = true;
        return;
      }
      try {
        const outcome = await sendPhaseEmail(deps, step, member, batch);
        if (outcome === 'sent') sent++;
        if (outcome === 'in-flight') claimedElsewhere = true;
      } catch (error) {
        failure ??= { error };
      }
    };
    const [first, ...rest] = todo;
    // The first email goes alone: when SES is failing, one send finds out (and the step is retried) before the others pile on.
    if (first) await send(first);
    await Promise.all(rest.map((member) => limit(() => send(member))));
    if (failure) throw failure.error;
    if (outOfTime) break;
    if (claimedElsewhere) {
      waitingOnClaims = true;
      continue;
    }
    Object.assign(recorded, batch.done(recorded));
  }
  if (Object.keys(recorded).length) await deps.store.updatePhase(step.cycle.cycleId, module.name, recorded);
  return { sent, outOfTime, recorded, waitingOnClaims };
}

function secondsUntilNextStep(program: Program, module: AnsweredPhaseModule, state: PhaseState, now: number): number {
  const upcoming = [state.deadline, ...module.nextDueTimes(program, state)];
  if (module.completion === 'everyone-or-deadline') {
    // Polls for "everyone answered", spaced so that a phase makes at most MAX_POLLS_PER_PHASE of them.
    const window = state.deadline - state.openedAt;
    upcoming.push(now + Math.max(durationToSeconds(program.progressCheckInterval) * 1000, window / MAX_POLLS_PER_PHASE));
  }
  const next = Math.min(...upcoming.filter((at) => at > now));
  return Number.isFinite(next) ? Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((next - now) / 1000))) : 1;
}

/** Sends one invitation, check-in or reminder as an SES template, with the phase link, the pair page's (once there is a pair) and the opt-out link. */
async function sendPhaseEmail(deps: SendingDeps, { cycle, state, now }: PhaseStep, member: Recipient, batch: DueBatch) {
  const program = cycle.program;
  // Only a member with a partner has a pair page; enrollment invitations and the unmatched get none.
  const pairPage = member.partners.length > 0 ? pairPageLink(deps.links, cycle, member.participantId, state.deadline) : undefined;
  const link =
    batch.phaseKey === PAIR_PAGE_KEY && pairPage ? pairPage : linkFor(deps.links, cycle.cycleId, member.participantId, batch.phaseKey, state.deadline);
  const optOutLink = linkFor(deps.links, cycle.cycleId, member.participantId, 'opt-out', state.deadline + OPT_OUT_LINK_SECONDS * 1000);
  const content = invitationEmail({
    kind: batch.email.template,
    language: member.language,
    programName: program.name,
    recipientName: member.name,
    ...(batch.email.includeGoals ? { goalsAndExpectations: program.goalsAndExpectations } : {}),
    partners: member.partners,
    link,
    optOutLink,
    ...(pairPage ? { pairPage } : {}),
    deadline: new Date(state.deadline),
    ...(batch.email.round ? { round: batch.email.round } : {}),
    ...(batch.email.reminder ? { reminderTimeLeft: timeLeftInWords(state.deadline - now, member.language) } : {}),
    ...(batch.email.rematch ? (batch.email.newPartners?.includes(member.participantId) ? { newPartner: true } : { rematch: true }) : {}),
    ...(batch.email.askedAgain?.includes(member.participantId) ? { askedAgain: true } : {}),
    ...(batch.email.nudge ? { nudge: true } : {}),
  });
  return sendOnce(deps, cycle.cycleId, phaseEmailKey(batch, member), {
    from: program.sender,
    to: member.email,
    template: { name: content.templateName, data: content.data },
    tags: { cycle: cycle.cycleId, kind: batch.tag },
  });
}

/** The idempotency key of a batch's email to one member: every key of a batch starts with `<batch key>#`. */
function phaseEmailKey(batch: DueBatch, member: Recipient): string {
  return `${batch.key}#${member.participantId}`;
}

function linkFor(links: { signer: LinkSigner; baseUrl: string }, cycleId: string, participantId: string, key: string, deadline: number): string {
  const token = links.signer.sign({ cycleId, participantId, phaseKey: key, expiresAt: Math.ceil(deadline / 1000) + PHASE_LINK_GRACE_SECONDS });
  return `${links.baseUrl}/s/${token}`;
}

function progress(module: AnsweredPhaseModule, state: PhaseState, answered: number, complete: boolean, waitSeconds: number, emailsSent: number): PhaseProgress {
  return { phase: module.name, complete, waitSeconds, expected: state.expected, answered, deadline: new Date(state.deadline).toISOString(), emailsSent };
}
