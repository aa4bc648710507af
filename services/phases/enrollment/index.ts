import type { Cycle, StoredResponse } from '../../../domain/cycle.ts';
import { declarationOf, enrollmentProgress, withDeclaration, type EnrollmentAnswer } from '../../../domain/enrollment.ts';
import type { EnrollmentFacts } from '../../../domain/metrics.ts';
import type { Participant } from '../../../domain/participant.ts';
import type { CycleStore, ProgramStore } from '../../ports.ts';
import { answeredOnce, deadlineLine } from '../schedule.ts';
import type { AnsweredPhaseModule, Recipient } from '../types.ts';

/** Enrollment has no rounds: its answers are stored under its name. */
export const ENROLLMENT_KEY = 'enrollment';

const base = answeredOnce('enrollment', 'Enrollment', 'enrollment', { template: 'enrollment', goalsInInvitation: true });

/** The funnel of a cycle's enrollment: invited (counted when it opened), joined, declined, no answer. */
export function enrollmentFunnel(cycle: Cycle) {
  return enrollmentProgress(cycle.phases.enrollment?.expected ?? 0, cycle.enrollmentJoined ?? 0, cycle.enrollmentDeclined ?? 0);
}

/**
 * Enrollment, the optional first phase (a program with `phaseWindows.enrollment`): every active
 * person on the roster is invited, in their language, with the program's goals and a link to
 * join (declaring what they teach and learn) or decline. Reminders go to those who have not
 * answered; it ends at its deadline or once everyone answered. Identify then pairs those who joined.
 */
export const enrollment: AnsweredPhaseModule = {
  ...base,
  runsIn: (program) => program.phaseWindows.enrollment !== undefined,
  recipients: (deps, cycle) => invitees(deps.store, cycle),
  statusDetail: (cycle) => ({ ...enrollmentFunnel(cycle) }),
  statusCell: (count) =>
    count.detail ? `${count.detail.joined ?? 0} joined, ${count.detail.declined ?? 0} declined, ${count.detail.noAnswer ?? 0} no answer` : count.responses,
  opsLines(cycle) {
    if (!cycle.phases.enrollment) return [{ label: 'Enrollment', text: 'not part of this cycle (the program has no phaseWindows.enrollment)' }];
    const funnel = enrollmentFunnel(cycle);
    const of = funnel.invited;
    return [
      { label: 'Invited', text: `${of} people` },
      { label: 'Joined', done: funnel.joined, of, text: `${funnel.joined} of ${of}` },
      { label: 'Declined', done: funnel.declined, of, text: `${funnel.declined} of ${of}` },
      { label: 'No answer', done: funnel.noAnswer, of, text: `${funnel.noAnswer} of ${of}` },
      ...deadlineLine(cycle.phases.enrollment),
    ];
  },
};

/** Who enrollment invites: every active person on the program's roster, by id. */
export async function invitees(store: ProgramStore, cycle: Cycle): Promise<Recipient[]> {
  const roster = await store.listParticipants(cycle.programId);
  return roster
    .filter((p) => p.status === 'active')
    .map((p) => ({ participantId: p.participantId, name: p.name, email: p.email, language: p.preferredLanguage ?? cycle.program.language, partners: [] }))
    .sort((a, b) => a.participantId.localeCompare(b.participantId));
}

/**
 * The roster identify pairs. After an enrollment: only those whose answer is "join", as they
 * declared themselves (name, department, skills, languages, time zone). Without one: the roster.
 */
export async function rosterToPair(deps: { store: CycleStore }, cycle: Cycle, roster: Participant[]): Promise<Participant[]> {
  if (!cycle.phases.enrollment) return roster;
  const answers = (await deps.store.listResponses(cycle.cycleId, `${ENROLLMENT_KEY}#`)) as Array<StoredResponse<EnrollmentAnswer>>;
  const joined = new Map(answers.flatMap((r) => (r.answer.decision === 'joined' ? [[r.participantId, r.answer] as const] : [])));
  return roster.flatMap((participant) => {
    const answer = joined.get(participant.participantId);
    if (!answer || participant.status !== 'active') return [];
    const at = { programId: cycle.programId, participantId: participant.participantId, cycleId: cycle.cycleId, declaredAt: 0 };
    return [withDeclaration(participant, declarationOf(answer, at))];
  });
}

/** What the review reads of a cycle's enrollment (the funnel, and the skills joiners proposed), or undefined without one. */
export async function enrollmentFacts(store: CycleStore, cycle: Cycle): Promise<EnrollmentFacts | undefined> {
  if (!cycle.phases.enrollment) return undefined;
  const answers = (await store.listResponses(cycle.cycleId, `${ENROLLMENT_KEY}#`)) as Array<StoredResponse<EnrollmentAnswer>>;
  const funnel = enrollmentFunnel(cycle);
  return {
    invited: funnel.invited,
    joined: funnel.joined,
    declined: funnel.declined,
    proposedSkills: answers.flatMap((r) => (r.answer.decision === 'joined' ? [{ participantId: r.participantId, skills: r.answer.proposedSkills }] : [])),
  };
}
