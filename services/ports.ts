import type { Cycle, Member, Pair, PhaseState, StoredResponse } from '../domain/cycle.ts';
import type { Participant, ParticipantStatus } from '../domain/participant.ts';
import type { AnsweredPhase, Phase, Program } from '../domain/program.ts';
import type { CycleSummary } from '../domain/metrics.ts';
import type { Proposal } from '../domain/report-proposals.ts';
import type { ForumSuggestion, InvitationDecision, PairFlag, PairFlagReason, RematchRecord } from './participant-records.ts';

/** Programs and their rosters. */
export interface ProgramStore {
  putProgram(program: Program): Promise<void>;
  getProgram(programId: string): Promise<Program | undefined>;
  /** Every program, by id (the console lists them). */
  listPrograms(): Promise<Program[]>;
  /** Writes a validated roster; re-writing an unchanged participant changes nothing. */
  putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }>;
  listParticipants(programId: string): Promise<Participant[]>;
  setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus): Promise<void>;
}

/** Finds people by address across programs (bounces and complaints name an address, not a program). */
export interface ParticipantDirectory {
  findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>>;
  setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus): Promise<void>;
}

export type RecordResponseOutcome = 'recorded' | 'already-answered' | 'phase-closed';

/** Cycles and everything that belongs to one: members, pairs, responses, email log. */
export interface CycleStore {
  /** Creates the cycle; false when a cycle with that id exists already. */
  createCycle(cycle: Cycle): Promise<boolean>;
  getCycle(cycleId: string): Promise<Cycle | undefined>;
  listCycles(programId: string): Promise<Cycle[]>;
  setExecution(cycleId: string, executionArn: string): Promise<void>;
  /** Stores the cohort snapshot and the pairs of the identify phase (idempotent). */
  putCohort(cycleId: string, members: readonly Member[], pairs: readonly Pair[]): Promise<void>;
  listMembers(cycleId: string): Promise<Member[]>;
  getMember(cycleId: string, participantId: string): Promise<Member | undefined>;
  listPairs(cycleId: string): Promise<Pair[]>;
  /** Opens a phase once; a repeat returns the phase as first opened. */
  openPhase(cycleId: string, phase: AnsweredPhase, state: PhaseState): Promise<PhaseState>;
  updatePhase(cycleId: string, phase: AnsweredPhase, patch: Partial<PhaseState>): Promise<void>;
  closePhase(cycleId: string, phase: AnsweredPhase, closedAt: number): Promise<void>;
  setCurrentPhase(cycleId: string, phase: Phase): Promise<void>;
  /** Records one answer per participant and phase key, only while that phase is open. */
  recordResponse(response: StoredResponse): Promise<RecordResponseOutcome>;
  getResponse(cycleId: string, phaseKey: string, participantId: string): Promise<StoredResponse | undefined>;
  listResponses(cycleId: string, phaseKeyPrefix: string): Promise<StoredResponse[]>;
  markSucceeded(cycleId: string, reportPath: string, endedAt: number): Promise<void>;
  /** Marks the cycle failed unless it already ended; keeps the first cause. */
  markFailed(cycleId: string, failure: { error: string; cause: string }, endedAt: number): Promise<boolean>;
  markStopped(cycleId: string, endedAt: number): Promise<void>;
}

/** The store operations behind participants' actions . */
export interface ParticipantActionStore {
  recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'>;
  getInvitationDecision(cycleId: string, participantId: string): Promise<InvitationDecision | undefined>;
  listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]>;
  putRematch(rematch: RematchRecord, changes: { newPair?: Pair; members: Member[]; newMembers: number }): Promise<void>;
  listRematches(cycleId: string): Promise<RematchRecord[]>;
  flagPair(cycleId: string, pairId: string, reason: PairFlagReason): Promise<void>;
  listPairFlags(cycleId: string): Promise<PairFlag[]>;
  recordResponseWithSuggestions(response: StoredResponse, suggestions: readonly ForumSuggestion[]): Promise<RecordResponseOutcome>;
  /**
   * A goal-setting answer from a person who has not decided yet: the answer and their acceptance
   * at once, so a decline racing it either lands first (this is refused: 'already-decided') or is
   * refused itself.
   */
  recordResponseWithAcceptance(response: StoredResponse, acceptance: InvitationDecision): Promise<RecordResponseOutcome | 'already-decided'>;
  listSuggestions(cycleId: string): Promise<ForumSuggestion[]>;
  addVote(cycleId: string, suggestionId: string, voterId: string, at: number): Promise<'voted' | 'already-voted' | 'no-suggestion'>;
  listVotesOf(cycleId: string, voterId: string): Promise<string[]>;
}

/** What a review leaves with its cycle: the headline figures (for later comparisons) and the proposals for the next cycle. */
export interface StoredReview {
  cycleId: string;
  programId: string;
  startedAt: number;
  generatedAt: number;
  reportPath: string;
  summary: CycleSummary;
  proposals: Proposal[];
  /** Set once HR has applied the proposals and started the next cycle with them. */
  appliedTo?: { cycleId: string; appliedAt: number };
}

/** Reviews, stored with their cycle (item `CYCLE#<id> / REVIEW`). */
export interface ReviewStore {
  /** Writes the cycle's review (a retried review step writes the same item again). */
  putReview(review: StoredReview): Promise<void>;
  getReview(cycleId: string): Promise<StoredReview | undefined>;
  /** The reviews of a program's cycles, oldest first. */
  listReviews(programId: string): Promise<StoredReview[]>;
  /** Records that the review's proposals started `nextCycleId`; false when it had been applied already. */
  markReviewApplied(cycleId: string, nextCycleId: string, appliedAt: number): Promise<boolean>;
}

/**
 * One action taken by HR (or by Tandem on HR's behalf), kept so that anyone can later see who
 * changed what and when: programs, rosters, pairs, cycles, proposals, personal-data requests.
 */
export interface AuditEntry {
  /** Unique per action: recording the same id twice keeps the first (a retried request records once). */
  auditId: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** Who: the signed-in user's email in the console, `<user>@<host>` from the CLI, `tandem` for automatic actions. */
  actor: string;
  via: 'console' | 'cli' | 'workflow';
  /** What, as `<subject>.<verb>`: `program.created`, `roster.imported`, `pairs.approved`, `cycle.stopped`, ... */
  action: string;
  /** The program it concerns, or undefined for actions across programs (a person's data erased everywhere). */
  programId?: string;
  cycleId?: string;
  /** What changed, in ids and counts; never personal data beyond ids (the log outlives erasure requests). */
  details: Record<string, string | number | boolean>;
}

/** The audit log: append-only, listed newest first. */
export interface AuditLog {
  recordAudit(entry: AuditEntry): Promise<void>;
  /** A program's entries (or, with no program, the entries across programs), newest first. */
  listAudit(query: { programId?: string; since?: number; limit?: number }): Promise<AuditEntry[]>;
}

export type EmailClaim = 'claimed' | 'already-sent' | 'in-flight';

/** The email log: one entry per idempotency key, so a retried step never sends the same email twice. */
export interface EmailLog {
  claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim>;
  markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void>;
  release(cycleId: string, key: string, reason: string): Promise<void>;
}

/** A file sent with an email (a calendar invitation, for instance). */
export interface EmailAttachment {
  fileName: string;
  /** A MIME type, with parameters where the format needs them (`text/calendar; method=REQUEST`). */
  contentType: string;
  /** The file's content, as text (calendar files are text). */
  content: string;
}

interface EmailEnvelope {
  from: string;
  to: string;
  /** Where replies go when not to the sender (an introduction's replies reach the partner). */
  replyTo?: readonly string[];
  /** Files sent with the email. */
  attachments?: readonly EmailAttachment[];
  /** Tags that SES event destinations carry back (cycle, kind). */
  tags?: Record<string, string>;
}

/** An email whose subject and bodies are written out (summaries to HR and ops). */
export interface WrittenEmail extends EmailEnvelope {
  subject: string;
  html: string;
  text: string;
}

/** An email that SES renders from a template deployed with the stack (participant invitations and reminders). */
export interface TemplatedOutgoingEmail extends EmailEnvelope {
  template: { name: string; data: unknown };
}

export type OutgoingEmail = WrittenEmail | TemplatedOutgoingEmail;

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface ReportStore {
  /** Stores a report and returns where a person can open it (a file path locally, an s3:// URI on AWS). */
  save(cycleId: string, fileName: string, content: string, contentType: string): Promise<string>;
}

export interface WorkflowEngine {
  startCycle(cycleId: string, input: { cycleId: string; programId: string }): Promise<string>;
  describe(executionArn: string): Promise<{ status: string; error?: string; cause?: string; output?: unknown }>;
  stop(executionArn: string, cause: string): Promise<void>;
}

/** One execution of the program-cycle workflow, as the workflow service lists it. */
export interface ExecutionRecord {
  executionArn: string;
  /** The execution is named after its cycle. */
  name: string;
  status: string;
  startDate?: Date;
  stopDate?: Date;
}

export interface ExecutionDescription extends ExecutionRecord {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
  redriveStatus?: string;
  redriveStatusReason?: string;
}

interface ExecutionErrorDetails {
  error?: string;
  cause?: string;
}

/**
 * One event of an execution's history in Step Functions' shape (the fields the timeline reads); AWS
 * and the local endpoint report the same events.
 */
export interface ExecutionHistoryEvent {
  timestamp?: Date;
  type?: string;
  stateEnteredEventDetails?: { name?: string; input?: string };
  stateExitedEventDetails?: { name?: string; output?: string };
  lambdaFunctionFailedEventDetails?: ExecutionErrorDetails;
  lambdaFunctionTimedOutEventDetails?: ExecutionErrorDetails;
  taskFailedEventDetails?: ExecutionErrorDetails;
  taskTimedOutEventDetails?: ExecutionErrorDetails;
  executionFailedEventDetails?: ExecutionErrorDetails;
  executionAbortedEventDetails?: ExecutionErrorDetails;
  executionTimedOutEventDetails?: ExecutionErrorDetails;
}

/**
 * The workflow's executions as ops read them. An unknown execution fails with a NotFoundError, a
 * malformed ARN with a ValidationError, an operation the target lacks with a NotSupportedError.
 */
export interface ExecutionHistory {
  /** The program-cycle state machine whose executions these are. */
  readonly stateMachineArn: string;
  /** Newest first, fetched page by page as the caller reads on. */
  listExecutions(status?: string): AsyncIterable<ExecutionRecord>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  /** Every event, oldest first; without data the events carry no state inputs and outputs. */
  executionHistory(executionArn: string, includeData: boolean): Promise<ExecutionHistoryEvent[]>;
  /** Restarts a failed execution from the state that failed; a ConflictError when it cannot be. */
  redriveExecution(executionArn: string): Promise<{ redriveDate?: Date }>;
}

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
