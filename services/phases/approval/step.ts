import type { ApprovalState, Cycle } from '../../../domain/cycle.ts';
import { durationToSeconds } from '../../../domain/duration.ts';
import { openReview, unmatchedReasons } from '../../../domain/pair-review.ts';
import type { Language } from '../../../domain/program.ts';
import { summaryEmail } from '../../../domain/summary-email.ts';
import type { RetentionStore } from '../../retention.ts';
import { sendOnce } from '../../send-once.ts';
import type { EmailLog, Mailer } from '../../ports.ts';
import { MAX_POLLS_PER_PHASE, MAX_WAIT_SECONDS } from '../engine.ts';
import { rosterToPair } from '../enrollment/index.ts';
import { recentPairsOf } from '../identify/index.ts';
import { loadCycleForStep } from '../members.ts';
import { decideAtDeadline, type PairReviewDeps } from './review.ts';

/** What the approval step hands back to the workflow: whether to go on, stop, or wait how long. */
export interface ApprovalProgress {
  approved: boolean;
  stopped: boolean;
  waitSeconds: number;
  /** ISO time, or null for a program that does not ask for approval. */
  deadline: string | null;
  emailsSent: number;
}

export type ApprovalStepDeps = PairReviewDeps & { store: RetentionStore; emailLog: EmailLog; mailer: Mailer };

/**
 * One check of the approval (the `Approval` state, looped through `Approval: wait`): opens the
 * review once, with the unmatched and why; emails HR when the pairs are proposed and again
 * `reminderBefore` the deadline; says whether HR approved, or decides at the deadline as the
 * program says. A program without approval passes at once.
 */
export async function approvalStep(deps: ApprovalStepDeps, cycleId: string): Promise<ApprovalProgress> {
  const cycle = await loadCycleForStep(deps.store, cycleId);
  const settings = cycle.program.approval;
  if (!settings?.required) return { approved: true, stopped: false, waitSeconds: 0, deadline: null, emailsSent: 0 };
  const state = cycle.approval ?? (await openApproval(deps, cycle));
  const outcome = (approved: boolean, stopped: boolean, emailsSent = 0, waitSeconds = 0): ApprovalProgress => ({
    approved,
    stopped,
    waitSeconds,
    deadline: new Date(state.deadline).toISOString(),
    emailsSent,
  });
  if (cycle.status !== 'running' || state.status === 'stopped') return outcome(false, true);
  if (state.status === 'approved') return outcome(true, false);

  const now = deps.clock.now();
  if (now >= state.deadline) {
    const decided = await decideAtDeadline(deps, cycle, state);
    return outcome(decided === 'approved', decided === 'stopped');
  }
  const reminderAt = settings.reminderBefore ? state.deadline - durationToSeconds(settings.reminderBefore) * 1000 : undefined;
  let emailsSent = await remindHr(deps, cycle, state, 'proposed');
  if (reminderAt !== undefined && reminderAt > state.openedAt && now >= reminderAt) emailsSent += await remindHr(deps, cycle, state, 'before-deadline');

  // Polls for HR's decision at most MAX_POLLS_PER_PHASE times over the window, like the answered phases.
  const poll = Math.max(durationToSeconds(cycle.program.progressCheckInterval) * 1000, (state.deadline - state.openedAt) / MAX_POLLS_PER_PHASE);
  const next = Math.min(...[state.deadline, reminderAt ?? Infinity, now + poll].filter((at) => at > now));
  return outcome(false, false, emailsSent, Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((next - now) / 1000))));
}

async function openApproval(deps: ApprovalStepDeps, cycle: Cycle): Promise<ApprovalState> {
  const program = cycle.program;
  const [everyone, pairs] = await Promise.all([deps.store.listParticipants(cycle.programId), deps.store.listPairs(cycle.cycleId)]);
  // Who identify paired from (after an enrollment, those who joined): the others were never to be paired, so they are not "unmatched".
  const roster = await rosterToPair(deps, cycle, everyone);
  const now = deps.clock.now();
  const unmatched = unmatchedReasons(
    roster,
    {
      settings: program.matching,
      skillsCatalog: program.skillsCatalog,
      recentPairs: await recentPairsOf(deps.store, cycle),
      referenceYear: new Date(now).getUTCFullYear(),
    },
    pairs,
  );
  const deadline = now + durationToSeconds(program.approval?.deadline ?? 'P3D') * 1000;
  return deps.store.openApproval(cycle.cycleId, openReview(now, deadline, unmatched));
}

const REMINDER_TEXT: Record<
  Language,
  (c: { program: string; cycle: string; pairs: number; unmatched: number; deadline: string; onDeadline: string; late: boolean }) => {
    subject: string;
    intro: string;
    labels: [string, string, string, string];
    footer: string;
  }
> = {
  en: (c) => ({
    subject: `${c.program}: ${c.late ? 'the pairs still wait for your approval' : 'pairs to approve'} (cycle ${c.cycle})`,
    intro: `${c.late ? 'Reminder: the' : 'The'} pairs of cycle ${c.cycle} of ${c.program} wait for your approval. Nobody is told of their pair before you approve.`,
    labels: ['Pairs', 'Unmatched', 'Deadline', 'At the deadline'],
    footer: `Review them with: tandem pairs list --cycle ${c.cycle} · approve with: tandem pairs approve --cycle ${c.cycle}`,
  }),
  'pt-BR': (c) => ({
    subject: `${c.program}: ${c.late ? 'os pares ainda aguardam sua aprovação' : 'pares para aprovar'} (ciclo ${c.cycle})`,
    intro: `${c.late ? 'Lembrete: os' : 'Os'} pares do ciclo ${c.cycle} de ${c.program} aguardam sua aprovação. Ninguém é avisado do seu par antes da aprovação.`,
    labels: ['Pares', 'Sem par', 'Prazo', 'No prazo'],
    footer: `Revise com: tandem pairs list --cycle ${c.cycle} · aprove com: tandem pairs approve --cycle ${c.cycle}`,
  }),
};

const ON_DEADLINE: Record<Language, Record<'approve' | 'stop', string>> = {
  en: { approve: 'the pairs are approved as they stand', stop: 'the cycle stops' },
  'pt-BR': { approve: 'os pares são aprovados como estão', stop: 'o ciclo é encerrado' },
};

/** One email per HR contact and reminder, in the program's language; the idempotency key makes each go once. */
async function remindHr(deps: ApprovalStepDeps, cycle: Cycle, state: ApprovalState, which: 'proposed' | 'before-deadline'): Promise<number> {
  const program = cycle.program;
  const language = program.language;
  const deadline = new Date(state.deadline)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const onDeadline = ON_DEADLINE[language][program.approval?.onDeadline ?? 'approve'];
  const text = REMINDER_TEXT[language]({
    program: program.name,
    cycle: cycle.cycleId,
    pairs: cycle.pairs,
    unmatched: state.unmatched.length,
    deadline,
    onDeadline,
    late: which !== 'proposed',
  });
  const values = [String(cycle.pairs), String(state.unmatched.length), deadline, onDeadline];
  const email = summaryEmail(
    text.subject,
    text.intro,
    text.labels.map((label, i) => ({ label, value: values[i] as string })),
    text.footer,
  );
  let sent = 0;
  for (const to of program.hrContacts) {
    const outcome = await sendOnce(deps, cycle.cycleId, `approval#${which}#${to}`, {
      from: program.sender,
      to,
      ...email,
      tags: { cycle: cycle.cycleId, kind: 'approval-reminder' },
    });
    if (outcome === 'sent') sent++;
  }
  return sent;
}
