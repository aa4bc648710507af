import type { ApprovalState, Cycle, Member, Pair, PhaseState, StoredResponse } from '../domain/cycle.ts';
import type { EnrollmentAnswer, EnrollmentDeclaration, EnrollmentDecision } from '../domain/enrollment.ts';
import type { Participant, ParticipantStatus } from '../domain/participant.ts';
import type { AnsweredPhase, Phase, Program } from '../domain/program.ts';
import type { DayTally } from '../domain/meetings.ts';
import type { CycleSummary } from '../domain/metrics.ts';
import type { Proposal } from '../domain/report-proposals.ts';
import type { EmailLogEntry, ErasureSubject } from '../domain/person-data.ts';
import type { InfoSession, SessionPlacing, SessionRegistration } from '../domain/sessions.ts';
import type {
  ForumSuggestion,
  InvitationDecision,
  MeetingRecord,
  PairFlag,
  PairFlagReason,
  RematchChanges,
  RematchOutcome,
  RematchRecord,
} from './participant-records.ts';

/** Programs and their rosters. */
export interface ProgramStore {
  putProgram(program: Program): Promise<void>;
  getProgram(programId: string): Promise<Program | undefined>;
  /**
   * Reads the program, applies `change` and writes the result only if nobody wrote the program in
   * between (else reads it again and re-applies, a few times): concurrent changes are applied one after
   * the other, never lost. `change` returns undefined to write nothing, and may throw to refuse. Returns
   * the program as stored; a NotFoundError when there is none.
   */
  modifyProgram(programId: string, change: (current: Program) => Program | undefined): Promise<Program>;
  /** Every program, by id (the console lists them). */
  listPrograms(): Promise<Program[]>;
  /** Lists the programs stored before the listing existed (a migration, idempotent); returns the ids it listed now. */
  indexUnlistedPrograms(): Promise<string[]>;
  /** Writes a validated roster; re-writing an unchanged participant changes nothing. */
  putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }>;
  listParticipants(programId: string): Promise<Participant[]>;
  /** One person on the roster, by id (one read, where listing a roster of thousands would be many). */
  getParticipant(programId: string, participantId: string): Promise<Participant | undefined>;
  /**
   * Sets a person's roster status. `ownOptOutAt`: the person left through their own opt-out link at
   * that time (kept as `ownOptOutAt`, the first time only), which a later import does not undo.
   */
  setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus, ownOptOutAt?: number): Promise<void>;
  /** What each person declared when they last joined (written with their enrollment answer, recordEnrollmentAnswer). */
  listDeclarations(programId: string): Promise<EnrollmentDeclaration[]>;
  getDeclaration(programId: string, participantId: string): Promise<EnrollmentDeclaration | undefined>;
}

/** Finds people by address across programs (bounces and complaints name an address, not a program). */
export interface ParticipantDirectory {
  findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>>;
  setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus): Promise<void>;
}

/** A cycle, one of its members and that member's answers by phase key, as read at one moment (CycleStore.getParticipantView). */
export interface ParticipantView {
  cycle?: Cycle;
  member?: Member;
  answers: ReadonlyMap<string, StoredResponse>;
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
  /**
   * What a participant's link needs, read together in one call: the cycle (as current as getCycle),
   * the member, and the member's answers under the phase keys given (an unanswered key is absent).
   */
  getParticipantView(cycleId: string, participantId: string, phaseKeys: readonly string[]): Promise<ParticipantView>;
  listPairs(cycleId: string): Promise<Pair[]>;
  /** One pair by id (a member's `partners` name their pairs): a page about one person reads their pairs, not the cycle's. */
  getPair(cycleId: string, pairId: string): Promise<Pair | undefined>;
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
  /** A failed cycle runs again (its execution was redriven): running, without failure or end; false unless it was failed. */
  markResumed(cycleId: string): Promise<boolean>;
}

/**
 * HR's review of the proposed pairs, kept on the cycle (`approval`). Every write after the
 * first is conditional on the revision its caller read, on the pairs still waiting for
 * approval and on the cycle still running: a write that lost a race, or came after the
 * decision or the cycle's stop, changes nothing.
 */
export interface PairReviewStore {
  /** Opens the review once and makes `approval` the cycle's current phase; a repeat returns the review as first opened. */
  openApproval(cycleId: string, state: ApprovalState): Promise<ApprovalState>;
  /** Replaces the review with `next` if it still has revision `expected` and is pending, and the cycle runs; false otherwise. */
  updateApproval(cycleId: string, expected: number, next: ApprovalState): Promise<boolean>;
  /**
   * Replaces the cycle's members and pairs with a re-solved cohort and the review with `next`
   * (whose revision is `expected` + 1), if the review still has revision `expected` and is pending
   * and the cycle runs; false otherwise. Either the whole cohort is replaced and the review says so (`stale: false`), or
   * the review stays `stale` and approval is refused until a re-solve completes.
   */
  replaceCohort(cycleId: string, expected: number, cohort: { members: readonly Member[]; pairs: readonly Pair[] }, next: ApprovalState): Promise<boolean>;
}

/** The store operations behind participants' actions . */
export interface ParticipantActionStore {
  recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'>;
  getInvitationDecision(cycleId: string, participantId: string): Promise<InvitationDecision | undefined>;
  listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]>;
  putRematch(rematch: RematchRecord, changes: RematchChanges): Promise<RematchOutcome>;
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
  /**
   * An enrollment answer, new or changed, while enrollment is open: the answer, the cycle's
   * counters (answered once per person; joined and declined moved from `previous` to the new
   * decision) and, for a join, the declaration the roster keeps, in one transaction. Refused
   * with 'changed-meanwhile' when the stored answer's decision is no longer `previous`.
   */
  recordEnrollmentAnswer(
    response: StoredResponse<EnrollmentAnswer>,
    change: { previous?: EnrollmentDecision; declaration?: EnrollmentDeclaration },
  ): Promise<'recorded' | 'phase-closed' | 'changed-meanwhile'>;
  /**
   * A check-in's "we met" answer and its meeting in one transaction: the meeting exists exactly
   * when the answer does, so a person who answered already (not yet, need help) logs nothing more.
   * The meeting counts in the pair's tally of the day, as recordMeeting says. 'meeting-logged-already':
   * a meeting with that id exists (the partner's "we met" about the same day), and nothing was written.
   */
  recordResponseWithMeeting(
    response: StoredResponse,
    meeting: MeetingRecord,
    dayBefore: DayTally,
  ): Promise<RecordResponseOutcome | 'over-day-limit' | 'meeting-logged-already'>;
  /**
   * Logs a meeting once per meeting id (a replayed form finds it recorded), and adds it to the
   * pair's tally of the day in the same write, refused ('over-day-limit') when the tally would go
   * past the day's limits (`domain/meetings.ts`): a meeting logged at the same instant counts.
   * `dayBefore` is the pair's meetings on that day as read before the write: a day with no tally
   * yet (meetings logged before tallies were kept) starts from it.
   */
  recordMeeting(meeting: MeetingRecord, dayBefore: DayTally): Promise<'recorded' | 'already-recorded' | 'over-day-limit'>;
  /** The cycle's meetings, by pair and meeting id. */
  listMeetings(cycleId: string): Promise<MeetingRecord[]>;
  /** One pair's meetings, by meeting id. */
  listMeetingsOfPair(cycleId: string, pairId: string): Promise<MeetingRecord[]>;
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

/** suppressed: the address is on the suppression list (services/suppression.ts): nothing is sent to it, now or on a retry. */
export type EmailClaim = 'claimed' | 'already-sent' | 'in-flight' | 'suppressed';

/** The suppression list's key of an address, when the deployment has the secret to compute it (services/suppression.ts). */
export type SuppressionKeys = () => Promise<((email: string) => string) | undefined>;

/**
 * The email log: one entry per idempotency key, so a retried step never sends the same email twice.
 * A claim also looks the address up on the suppression list, at the same time as it claims the key
 * (no extra wait per email); a suppressed address is never claimed as sendable.
 */
export interface EmailLog {
  claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim>;
  markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void>;
  release(cycleId: string, key: string, reason: string): Promise<void>;
  /**
   * The keys starting with `keyPrefix` that are marked sent, in one read: a resumed step skips
   * them instead of claiming each again (claims stay the guard against sending twice).
   */
  sentKeys(cycleId: string, keyPrefix: string): Promise<Set<string>>;
}

/**
 * An erasure request, kept under a keyed hash of the address (services/person-data.ts): written
 * before anything is erased, so a run cut short resumes from it, and kept once completed as the
 * address's entry on the suppression list.
 */
export interface ErasureRecord {
  subjectKey: string;
  erasureId: string;
  status: 'started' | 'completed';
  startedAt: number;
  completedAt?: number;
  /** While started, what is to be erased (ids only, with the random tombstone each id becomes); emptied on completion. */
  targets: Array<{ programId: string; participantId: string; tombstoneId: string; cycleIds: string[] }>;
}

/** What privacy requests need beyond the other ports: the email log read back, erasure, the suppression list and retention. */
export interface PersonalDataStore {
  /** Every entry of a cycle's email log, by idempotency key. */
  listEmailLog(cycleId: string): Promise<EmailLogEntry[]>;
  getErasure(subjectKey: string): Promise<ErasureRecord | undefined>;
  /** Records an erasure unless one is in progress for the subject; returns the one that stands (a re-run resumes it). */
  startErasure(record: ErasureRecord): Promise<ErasureRecord>;
  /** Marks the erasure completed and forgets its targets; the record stays as the suppression entry. */
  completeErasure(subjectKey: string, erasureId: string, completedAt: number): Promise<void>;
  /** Is the address (as its subject key) on the suppression list: an erasure was started or completed for it? */
  isSuppressed(subjectKey: string): Promise<boolean>;
  /** Rewrites every item of the cycle that names the person into its erased form (domain/person-data.ts erasedRecord); idempotent. */
  eraseFromCycle(cycleId: string, subject: ErasureSubject): Promise<{ rewritten: number }>;
  /** Removes the person's roster entry and declaration, and their id from the program's settings; idempotent. */
  eraseFromProgram(programId: string, subject: ErasureSubject): Promise<{ rewritten: number }>;
  /**
   * Sets the TTL attribute (epoch seconds) on every item of the cycle, or removes it (undefined).
   * Items already as asked are left alone, so a call that stopped at its budget (remainingMs at or
   * below 0 before the next batch) goes on where it stopped; `complete` says whether every item is done.
   */
  setCycleExpiry(cycleId: string, expiresAt: number | undefined, budget?: WorkBudget): Promise<{ complete: boolean }>;
  /** The TTL set on the cycle's item, if any. */
  getCycleExpiry(cycleId: string): Promise<number | undefined>;
}

/** Time left for a piece of work that can stop and go on later (a Lambda's remaining time less a margin). */
export interface WorkBudget {
  remainingMs: () => number;
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
  /**
   * Stores a report and returns where a person can open it (a file path locally, an s3:// URI on AWS).
   * `retentionDays` is the program's: on S3 the report is tagged so that the bucket expires it then (docs/privacy.md).
   */
  save(cycleId: string, fileName: string, content: string, contentType: string, options?: { retentionDays?: number }): Promise<string>;
}

/** A program-cycle execution's input: ids, and which optional phases run (the workflow's Choice states read it). */
export interface CycleInput {
  cycleId: string;
  programId: string;
  optionalPhases?: Record<string, boolean>;
}

export interface WorkflowEngine {
  startCycle(cycleId: string, input: CycleInput): Promise<string>;
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
  /** When the execution was last redriven. */
  redriveDate?: Date;
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

export type SessionRegisterOutcome = 'registered' | 'waitlisted' | 'already-registered' | 'already-waitlisted' | 'cancelled' | 'no-session';
export type SessionCancelOutcome = 'cancelled' | 'already-cancelled' | 'no-session';
export type SessionDeclineOutcome = 'declined' | 'already-declined' | 'no-session';
/**
 * Whether a person waiting for a seat may take one that came free; the others keep their place in
 * line and are passed over. The session services allow it to people active on the program's roster
 * (services/session-seats.ts).
 */
export type SeatEligibility = (participantId: string) => Promise<boolean>;
/** changed-meanwhile: its sequence was no longer the one read (another move came first); started: its start had passed. */
export type SessionMoveOutcome = 'moved' | 'changed-meanwhile' | 'started' | 'cancelled' | 'no-session';

/**
 * A session's whole new placing (a place or video link left out is removed) with the calendar file
 * written for it, as version `sequence`.
 */
export interface SessionMove extends SessionPlacing {
  calendar: NonNullable<InfoSession['calendar']>;
  sequence: number;
  /** The placing announced before this move, kept only if the session has none yet. */
  originalPlacing?: SessionPlacing;
}

/**
 * Informational sessions and their registrations, kept with their cycle (docs/data-model.md).
 * Seats are counted on the session with conditional writes: two people can never take the last seat.
 */
export interface SessionStore {
  /** Stores a new session; false when the cycle has one with that id already (nothing is changed). */
  createSession(session: InfoSession): Promise<boolean>;
  getSession(cycleId: string, sessionId: string): Promise<InfoSession | undefined>;
  /** The cycle's sessions by id. */
  listSessions(cycleId: string): Promise<InfoSession[]>;
  /**
   * A seat while one is free and nobody is on the waiting list, else a place on the waiting list: a
   * registration never passes people in line (the caller then gives free seats to the line,
   * `promoteFromWaitingList`). The seat is taken only if nobody joined the line since it was read
   * (the session's `lineJoins`). A repeat changes nothing. A person who declined may register again.
   */
  registerForSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<SessionRegisterOutcome>;
  /** Marks a session cancelled, once: from then on it takes no registrations and no one is promoted to a seat. */
  cancelSession(cycleId: string, sessionId: string, reason: string, at: number): Promise<SessionCancelOutcome>;
  /**
   * Moves a session that is neither cancelled nor started, only from version `expectedSequence`
   * (read before: two moves at once cannot both win); replaces its start, length, place, video link
   * and calendar file, sets `movedAt`, and `originalPlacing` when given and not set before.
   */
  moveSession(cycleId: string, sessionId: string, move: SessionMove, expectedSequence: number, at: number): Promise<SessionMoveOutcome>;
  /** Declines (a registered person frees their seat, a waiting one leaves the line); `freedSeat` says whether a seat came free. */
  declineSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<{ outcome: SessionDeclineOutcome; freedSeat: boolean }>;
  /**
   * Gives a free seat to the first person on the waiting list who `mayTakeSeat` (everyone when not
   * given), if there is a free seat; those passed over keep their place as it is. Returns who got it.
   */
  promoteFromWaitingList(cycleId: string, sessionId: string, at: number, mayTakeSeat?: SeatEligibility): Promise<string | undefined>;
  getSessionRegistration(cycleId: string, sessionId: string, participantId: string): Promise<SessionRegistration | undefined>;
  /** A session's registrations by participant id (every session of the cycle without a session id). */
  listSessionRegistrations(cycleId: string, sessionId?: string): Promise<SessionRegistration[]>;
  /** Replaces the session's attendance with these participant ids (HR may correct it). */
  recordSessionAttendance(cycleId: string, sessionId: string, participantIds: readonly string[], at: number): Promise<boolean>;
}

/**
 * The store ports a function works with, all kept in one table (adapters/dynamodb/dynamodb-store.ts):
 * every one but the privacy requests (export, erasure, the suppression list), of which it keeps the
 * cycle's expiry that retention sets.
 */
export type FunctionStore = ProgramStore &
  ParticipantDirectory &
  CycleStore &
  PairReviewStore &
  ParticipantActionStore &
  EmailLog &
  ReviewStore &
  AuditLog &
  SessionStore &
  Pick<PersonalDataStore, 'setCycleExpiry' | 'getCycleExpiry'>;

/** Every store port, privacy requests included: what `tandem person` works with (DynamoDbPrivacyStore) and the in-memory store implements. */
export type TandemStore = FunctionStore & PersonalDataStore;
