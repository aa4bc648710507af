import type { Cycle, PhaseState } from '../../domain/cycle.ts';
import { durationToSeconds } from '../../domain/duration.ts';
import type { EmailTemplateKind } from '../../domain/email-templates.ts';
import type { AnsweredPhase, Program } from '../../domain/program.ts';
import type { AnswerCount, AnsweredPhaseModule, DueBatch, StatusLine } from './types.ts';

/**
 * What the phases answered once per member (goal-setting, measure, feedback) share: one phase
 * key, an invitation when the phase opens, reminders before its deadline to those who have not
 * answered, "x of y answered" on the ops page.
 */

/** When each reminder is due; reminders that would fall before the phase opened (or its window started again) are dropped. */
export function reminderTimes(program: Program, state: PhaseState): number[] {
  return program.reminders.beforeDeadline
    .map((offset) => state.deadline - durationToSeconds(offset) * 1000)
    .map((at) => (at > (state.windowStartedAt ?? state.openedAt) ? at : Number.NaN));
}

/** The invitation (until every member got it) and the reminders that came due before the deadline. */
export function invitationAndReminders(
  phase: string,
  program: Program,
  state: PhaseState,
  now: number,
  email: { template: EmailTemplateKind; goalsInInvitation: boolean },
): DueBatch[] {
  const batches: DueBatch[] = [];
  if (!state.invitationsDone) {
    batches.push({
      key: `${phase}#invitation`,
      tag: 'invitation',
      phaseKey: phase,
      onlyUnanswered: false,
      email: { template: email.template, includeGoals: email.goalsInInvitation, reminder: false, rematch: false },
      done: () => ({ invitationsDone: true }),
    });
  }
  reminderTimes(program, state).forEach((at, index) => {
    if (at <= now && now < state.deadline && !state.remindersSent?.includes(index)) {
      batches.push({
        key: `${phase}#reminder-${index}`,
        tag: 'reminder',
        phaseKey: phase,
        onlyUnanswered: true,
        email: { template: email.template, includeGoals: false, reminder: true, rematch: false },
        done: (recorded) => ({ remindersSent: [...(recorded.remindersSent ?? state.remindersSent ?? []), index] }),
      });
    }
  });
  return batches;
}

/** The reminders not sent yet. */
export function pendingReminderTimes(program: Program, state: PhaseState): number[] {
  return reminderTimes(program, state).filter((at, index) => Number.isFinite(at) && !state.remindersSent?.includes(index));
}

/** The deadline line of a phase's ops progress, once it opened. */
export function deadlineLine(state: PhaseState | undefined): StatusLine[] {
  if (!state) return [];
  const deadline = new Date(state.deadline)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return [{ label: 'Deadline', text: `${deadline}${state.closedAt !== undefined ? ' (closed)' : ''}` }];
}

/**
 * The parts of an answered-once phase module that follow from its name, window and email
 * template; a module spreads this and adds what differs.
 */
export function answeredOnce(
  name: AnsweredPhase,
  statePrefix: string,
  window: keyof Program['phaseWindows'],
  email: { template: EmailTemplateKind; goalsInInvitation: boolean },
): Omit<AnsweredPhaseModule, 'opsLines'> & { answerLines(cycle: Cycle): StatusLine[] } {
  const countAnswers = (responses: Record<string, number>): AnswerCount => ({ responses: responses[name] ?? 0 });
  return {
    name,
    answered: true,
    statePrefixes: [statePrefix],
    window,
    completion: 'everyone-or-deadline',
    phaseKey: () => name,
    parsePhaseKey: (key) => (key === name ? {} : null),
    dueBatches: ({ cycle, state, now }) => invitationAndReminders(name, cycle.program, state, now, email),
    nextDueTimes: pendingReminderTimes,
    countAnswers,
    statusCell: (count) => count.responses,
    answerLines(cycle) {
      const state = cycle.phases[name];
      const responses = countAnswers(cycle.responses).responses;
      const of = state?.expected ?? cycle.participants;
      return [{ label: 'Answers', done: responses, of, text: `${responses} of ${of} answered` }, ...deadlineLine(state)];
    },
  };
}
