import type { AnsweredPhase, Phase, Program } from './program.ts';
import type { Language } from './program.ts';

export type CycleStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

/** A phase window as the workflow sees it; times are epoch milliseconds. */
export interface PhaseState {
  openedAt: number;
  deadline: number;
  /** When the window started again because the invitations went out late (services/phases/engine.ts); the deadline is a window from then. */
  windowStartedAt?: number;
  /** How many answers the phase expects (active members when it opened); 0 for the run phase. */
  expected: number;
  closedAt?: number;
  /** Every member has been sent the phase's invitation. */
  invitationsDone?: boolean;
  /** Indexes of the reminder offsets already sent. */
  remindersSent?: number[];
  /** Check-in rounds already sent (run phase). */
  checkInRoundsSent?: number[];
  /** Rematches whose new pairs have been sent their goal-setting invitation (goal-setting). */
  rematchesNotified?: number;
  /** Check-in rounds already judged for missed answers (run phase). */
  missesChecked?: number[];
  /** The nudge to pairs with no meeting logged by the first check-in went out (run phase). */
  meetingNudgeSent?: boolean;
}

/**
 * HR's review of the proposed pairs (a program with `approval.required`): open from the end of
 * identify until HR approves, the deadline approves or stops the cycle. Ids only.
 */
export interface ApprovalState {
  openedAt: number;
  deadline: number;
  status: 'pending' | 'approved' | 'stopped';
  /** Bumped by every change: writes are conditional on the revision they read. */
  revision: number;
  /** Pairs forbidden in this cycle, as [participantId, participantId]. */
  bans: Array<[string, string]>;
  /** Pairs kept by every re-solve, as [mentorId, menteeId]. */
  locks: Array<[string, string]>;
  /** People taken out of this cycle. */
  excluded: string[];
  /** People on the roster in no proposed pair, and why. */
  unmatched: Array<{ participantId: string; reason: string }>;
  /**
   * The pairs do not reflect the bans and exclusions yet (or a re-solve was interrupted): HR
   * re-solves before approving.
   */
  stale: boolean;
  decidedAt?: number;
  decidedBy?: string;
}

export interface Cycle {
  cycleId: string;
  programId: string;
  /** The program as it was when the cycle started: later edits do not change a running cycle. */
  program: Program;
  status: CycleStatus;
  currentPhase: Phase;
  phases: Partial<Record<AnsweredPhase, PhaseState>>;
  /** HR's review of the pairs, when the program asks for approval. */
  approval?: ApprovalState;
  /** Answers recorded per phase key ("goal-setting", "run#2", ...). */
  responses: Record<string, number>;
  emailsSent: number;
  participants: number;
  pairs: number;
  startedAt: number;
  endedAt?: number;
  executionArn?: string;
  failure?: { error: string; cause: string };
  reportPath?: string;
  /** Pairings accepted and declined at goal-setting (counters the store keeps with each decision). */
  invitationsAccepted?: number;
  invitationsDeclined?: number;
  /** Partners freed by a decline and matched again (or not): one per declined pair. */
  rematches?: number;
  /** Invitees whose current enrollment answer is "join" or "decline" (counters the store keeps with each answer). */
  enrollmentJoined?: number;
  enrollmentDeclined?: number;
}

/** A person as the cycle knows them: a snapshot taken at identify, with their partners. */
export interface Member {
  participantId: string;
  name: string;
  email: string;
  department: string;
  language: Language;
  skillsOffered: string[];
  skillsWanted: string[];
  /** Skills this person teaches and learns in their pairs: the ones they rate at goal-setting and measure. */
  teaches: string[];
  learns: string[];
  partners: Array<{ participantId: string; name: string; pairId: string; role: 'mentor' | 'mentee' }>;
  unreachable?: boolean;
  /** Set when the person declined their pairing: they receive nothing more in this cycle. */
  declined?: boolean;
  /**
   * Set when the person had accepted a partner who then declined, and was matched again: their
   * acceptance was for the first partner, so they are asked again about the new one. The goals and
   * baseline they had set are about themselves: kept here, the invitation offers them again.
   */
  keptAnswer?: { goals: string[]; baseline: Record<string, number>; acceptedPartnerIds: string[] };
}

export interface Pair {
  pairId: string;
  mentorId: string;
  menteeId: string;
  score: number;
  breakdown: Record<string, number>;
  explanation: string;
  skillsTaught: { byMentor: string[]; byMentee: string[] };
  /** Set when one of the two declined the pairing (`declinedBy` is who). */
  status?: 'declined';
  declinedBy?: string;
}

export interface StoredResponse<T = unknown> {
  cycleId: string;
  phaseKey: string;
  participantId: string;
  answer: T;
  recordedAt: number;
}

/** Records a pair on both members: who their partner is, and the skills each teaches and learns. */
export function linkPair(mentor: Member, mentee: Member, pair: Pair): void {
  mentor.partners.push({ participantId: mentee.participantId, name: mentee.name, pairId: pair.pairId, role: 'mentee' });
  mentee.partners.push({ participantId: mentor.participantId, name: mentor.name, pairId: pair.pairId, role: 'mentor' });
  const add = (list: string[], skills: string[]) => skills.forEach((s) => list.includes(s) || list.push(s));
  add(mentor.teaches, pair.skillsTaught.byMentor);
  add(mentee.learns, pair.skillsTaught.byMentor);
  add(mentee.teaches, pair.skillsTaught.byMentee);
  add(mentor.learns, pair.skillsTaught.byMentee);
}

/** A cycle as it starts: running, at identify, nothing counted yet. */
export function newCycle(program: Program, cycleId: string, startedAt: number): Cycle {
  return {
    cycleId,
    programId: program.programId,
    program,
    status: 'running',
    currentPhase: 'identify',
    phases: {},
    responses: {},
    emailsSent: 0,
    participants: 0,
    pairs: 0,
    startedAt,
  };
}

/** A stable pair id: the same two people in the same cycle always get the same id, so a retried identify never doubles a pair. */
export function pairIdOf(mentorId: string, menteeId: string): string {
  return `${mentorId}~${menteeId}`;
}
