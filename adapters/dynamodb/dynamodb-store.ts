import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DayTally } from '../../domain/meetings.ts';
import type { ApprovalState, Cycle, Member, Pair, PhaseState, StoredResponse } from '../../domain/cycle.ts';
import type { EnrollmentAnswer, EnrollmentDeclaration, EnrollmentDecision } from '../../domain/enrollment.ts';
import type { Participant, ParticipantStatus } from '../../domain/participant.ts';
import type { AnsweredPhase, Phase, Program } from '../../domain/program.ts';
import type {
  ForumSuggestion,
  InvitationDecision,
  MeetingRecord,
  PairFlag,
  PairFlagReason,
  RematchChanges,
  RematchOutcome,
  RematchRecord,
} from '../../services/participant-records.ts';
import type {
  AuditEntry,
  EmailClaim,
  FunctionStore,
  ParticipantView,
  RecordResponseOutcome,
  SessionCancelOutcome,
  SessionMove,
  SessionMoveOutcome,
  SessionDeclineOutcome,
  SessionRegisterOutcome,
  SeatEligibility,
  StoredReview,
  SuppressionKeys,
  WorkBudget,
} from '../../services/ports.ts';
import type { InfoSession, SessionRegistration } from '../../domain/sessions.ts';
import { RetentionRecords } from './retention-records.ts';
import { AnswerRecords } from './answer-records.ts';
import { AuditRecords } from './audit-records.ts';
import { PairReviewRecords } from './pair-review-records.ts';
import { CycleRecords } from './cycle-records.ts';
import { EmailLogRecords } from './email-log-records.ts';
import { ProgramRecords } from './program-records.ts';
import { ReviewRecords } from './review-records.ts';
import { SessionRecords } from './session-records.ts';
import { TableClient } from './table-client.ts';

export { createDocumentClient } from './table-client.ts';

/**
 * Every store port over Tandem's single table: the one object a container creates, handing each
 * call to the records of its entity group (programs, cycles, email log, answers, reviews).
 */
export class DynamoDbStore implements FunctionStore {
  private readonly programs: ProgramRecords;
  private readonly cycles: CycleRecords;
  private readonly answers: AnswerRecords;
  private readonly emails: EmailLogRecords;
  private readonly reviews: ReviewRecords;
  private readonly audit: AuditRecords;
  private readonly pairReview: PairReviewRecords;
  private readonly sessions: SessionRecords;
  private readonly retention: RetentionRecords;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: { emailClaimTimeoutMs?: number; suppressionKeys?: SuppressionKeys } = {}) {
    const table = new TableClient(doc, tableName);
    this.programs = new ProgramRecords(table);
    this.cycles = new CycleRecords(table);
    this.answers = new AnswerRecords(table);
    this.emails = new EmailLogRecords(table, options.emailClaimTimeoutMs, options.suppressionKeys);
    this.reviews = new ReviewRecords(table, this.cycles);
    this.audit = new AuditRecords(table);
    this.pairReview = new PairReviewRecords(table);
    this.sessions = new SessionRecords(table);
    this.retention = new RetentionRecords(table);
  }

  // ---- programs and rosters -------------------------------------------------
  putProgram(program: Program): Promise<void> {
    return this.programs.putProgram(program);
  }
  getProgram(programId: string): Promise<Program | undefined> {
    return this.programs.getProgram(programId);
  }
  modifyProgram(programId: string, change: (current: Program) => Program | undefined): Promise<Program> {
    return this.programs.modifyProgram(programId, change);
  }
  listPrograms(): Promise<Program[]> {
    return this.programs.listPrograms();
  }

  indexUnlistedPrograms(): Promise<string[]> {
    return this.programs.indexUnlistedPrograms();
  }
  putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }> {
    return this.programs.putParticipants(programId, participants);
  }
  listParticipants(programId: string): Promise<Participant[]> {
    return this.programs.listParticipants(programId);
  }
  getParticipant(programId: string, participantId: string): Promise<Participant | undefined> {
    return this.programs.getParticipant(programId, participantId);
  }
  setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus, ownOptOutAt?: number): Promise<void> {
    return this.programs.setParticipantStatus(programId, participantId, status, ownOptOutAt);
  }
  findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>> {
    return this.programs.findParticipantsByEmail(email);
  }
  listDeclarations(programId: string): Promise<EnrollmentDeclaration[]> {
    return this.programs.listDeclarations(programId);
  }
  getDeclaration(programId: string, participantId: string): Promise<EnrollmentDeclaration | undefined> {
    return this.programs.getDeclaration(programId, participantId);
  }

  // ---- cycles and their cohort ------------------------------------------------
  createCycle(cycle: Cycle): Promise<boolean> {
    return this.cycles.createCycle(cycle);
  }
  getCycle(cycleId: string): Promise<Cycle | undefined> {
    return this.cycles.getCycle(cycleId);
  }
  listCycles(programId: string): Promise<Cycle[]> {
    return this.cycles.listCycles(programId);
  }
  setExecution(cycleId: string, executionArn: string): Promise<void> {
    return this.cycles.setExecution(cycleId, executionArn);
  }
  putCohort(cycleId: string, members: readonly Member[], pairs: readonly Pair[]): Promise<void> {
    return this.cycles.putCohort(cycleId, members, pairs);
  }
  listMembers(cycleId: string): Promise<Member[]> {
    return this.cycles.listMembers(cycleId);
  }
  getMember(cycleId: string, participantId: string): Promise<Member | undefined> {
    return this.cycles.getMember(cycleId, participantId);
  }
  getParticipantView(cycleId: string, participantId: string, phaseKeys: readonly string[]): Promise<ParticipantView> {
    return this.cycles.getParticipantView(cycleId, participantId, phaseKeys);
  }
  listPairs(cycleId: string): Promise<Pair[]> {
    return this.cycles.listPairs(cycleId);
  }
  getPair(cycleId: string, pairId: string): Promise<Pair | undefined> {
    return this.cycles.getPair(cycleId, pairId);
  }
  openPhase(cycleId: string, phase: AnsweredPhase, state: PhaseState): Promise<PhaseState> {
    return this.cycles.openPhase(cycleId, phase, state);
  }
  updatePhase(cycleId: string, phase: AnsweredPhase, patch: Partial<PhaseState>): Promise<void> {
    return this.cycles.updatePhase(cycleId, phase, patch);
  }
  closePhase(cycleId: string, phase: AnsweredPhase, closedAt: number): Promise<void> {
    return this.cycles.closePhase(cycleId, phase, closedAt);
  }
  setCurrentPhase(cycleId: string, phase: Phase): Promise<void> {
    return this.cycles.setCurrentPhase(cycleId, phase);
  }
  // ---- HR's review of the pairs -------------------------------------------------
  openApproval(cycleId: string, state: ApprovalState): Promise<ApprovalState> {
    return this.pairReview.openApproval(cycleId, state);
  }
  updateApproval(cycleId: string, expected: number, next: ApprovalState): Promise<boolean> {
    return this.pairReview.updateApproval(cycleId, expected, next);
  }
  replaceCohort(cycleId: string, expected: number, cohort: { members: readonly Member[]; pairs: readonly Pair[] }, next: ApprovalState): Promise<boolean> {
    return this.pairReview.replaceCohort(cycleId, expected, cohort, next);
  }

  markSucceeded(cycleId: string, reportPath: string, endedAt: number): Promise<void> {
    return this.cycles.markSucceeded(cycleId, reportPath, endedAt);
  }
  markFailed(cycleId: string, failure: { error: string; cause: string }, endedAt: number): Promise<boolean> {
    return this.cycles.markFailed(cycleId, failure, endedAt);
  }
  markStopped(cycleId: string, endedAt: number): Promise<void> {
    return this.cycles.markStopped(cycleId, endedAt);
  }
  markResumed(cycleId: string): Promise<boolean> {
    return this.cycles.markResumed(cycleId);
  }

  // ---- answers and participants' actions ----------------------------------------
  recordResponse(response: StoredResponse): Promise<RecordResponseOutcome> {
    return this.answers.recordResponse(response);
  }
  getResponse(cycleId: string, phaseKey: string, participantId: string): Promise<StoredResponse | undefined> {
    return this.answers.getResponse(cycleId, phaseKey, participantId);
  }
  listResponses(cycleId: string, phaseKeyPrefix: string): Promise<StoredResponse[]> {
    return this.answers.listResponses(cycleId, phaseKeyPrefix);
  }
  recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'> {
    return this.answers.recordInvitationDecision(decision);
  }
  getInvitationDecision(cycleId: string, participantId: string): Promise<InvitationDecision | undefined> {
    return this.answers.getInvitationDecision(cycleId, participantId);
  }
  listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]> {
    return this.answers.listInvitationDecisions(cycleId);
  }
  putRematch(rematch: RematchRecord, changes: RematchChanges): Promise<RematchOutcome> {
    return this.answers.putRematch(rematch, changes);
  }
  listRematches(cycleId: string): Promise<RematchRecord[]> {
    return this.answers.listRematches(cycleId);
  }
  flagPair(cycleId: string, pairId: string, reason: PairFlagReason): Promise<void> {
    return this.answers.flagPair(cycleId, pairId, reason);
  }
  listPairFlags(cycleId: string): Promise<PairFlag[]> {
    return this.answers.listPairFlags(cycleId);
  }
  recordResponseWithAcceptance(response: StoredResponse, acceptance: InvitationDecision): Promise<RecordResponseOutcome | 'already-decided'> {
    return this.answers.recordResponseWithAcceptance(response, acceptance);
  }

  recordResponseWithMeeting(
    response: StoredResponse,
    meeting: MeetingRecord,
    dayBefore: DayTally,
  ): Promise<RecordResponseOutcome | 'over-day-limit' | 'meeting-logged-already'> {
    return this.answers.recordResponseWithMeeting(response, meeting, dayBefore);
  }

  recordResponseWithSuggestions(response: StoredResponse, suggestions: readonly ForumSuggestion[]): Promise<RecordResponseOutcome> {
    return this.answers.recordResponseWithSuggestions(response, suggestions);
  }
  listSuggestions(cycleId: string): Promise<ForumSuggestion[]> {
    return this.answers.listSuggestions(cycleId);
  }
  addVote(cycleId: string, suggestionId: string, voterId: string, at: number): Promise<'voted' | 'already-voted' | 'no-suggestion'> {
    return this.answers.addVote(cycleId, suggestionId, voterId, at);
  }
  listVotesOf(cycleId: string, voterId: string): Promise<string[]> {
    return this.answers.listVotesOf(cycleId, voterId);
  }
  recordEnrollmentAnswer(
    response: StoredResponse<EnrollmentAnswer>,
    change: { previous?: EnrollmentDecision; declaration?: EnrollmentDeclaration },
  ): Promise<'recorded' | 'phase-closed' | 'changed-meanwhile'> {
    return this.answers.recordEnrollmentAnswer(response, change);
  }
  recordMeeting(meeting: MeetingRecord, dayBefore: DayTally): Promise<'recorded' | 'already-recorded' | 'over-day-limit'> {
    return this.answers.recordMeeting(meeting, dayBefore);
  }
  listMeetings(cycleId: string): Promise<MeetingRecord[]> {
    return this.answers.listMeetings(cycleId);
  }
  listMeetingsOfPair(cycleId: string, pairId: string): Promise<MeetingRecord[]> {
    return this.answers.listMeetingsOfPair(cycleId, pairId);
  }

  // ---- email log ------------------------------------------------------------------
  claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim> {
    return this.emails.claim(cycleId, key, to, now);
  }
  markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void> {
    return this.emails.markSent(cycleId, key, messageId, now);
  }
  release(cycleId: string, key: string, reason: string): Promise<void> {
    return this.emails.release(cycleId, key, reason);
  }
  sentKeys(cycleId: string, keyPrefix: string): Promise<Set<string>> {
    return this.emails.sentKeys(cycleId, keyPrefix);
  }

  // ---- audit log ------------------------------------------------------------------
  recordAudit(entry: AuditEntry): Promise<void> {
    return this.audit.recordAudit(entry);
  }
  listAudit(query: { programId?: string; since?: number; limit?: number }): Promise<AuditEntry[]> {
    return this.audit.listAudit(query);
  }

  // ---- reviews --------------------------------------------------------------------
  putReview(review: StoredReview): Promise<void> {
    return this.reviews.putReview(review);
  }
  getReview(cycleId: string): Promise<StoredReview | undefined> {
    return this.reviews.getReview(cycleId);
  }
  listReviews(programId: string): Promise<StoredReview[]> {
    return this.reviews.listReviews(programId);
  }
  markReviewApplied(cycleId: string, nextCycleId: string, appliedAt: number): Promise<boolean> {
    return this.reviews.markReviewApplied(cycleId, nextCycleId, appliedAt);
  }

  // ---- informational sessions --------------------------------------------------------
  createSession(session: InfoSession): Promise<boolean> {
    return this.sessions.createSession(session);
  }
  getSession(cycleId: string, sessionId: string): Promise<InfoSession | undefined> {
    return this.sessions.getSession(cycleId, sessionId);
  }
  listSessions(cycleId: string): Promise<InfoSession[]> {
    return this.sessions.listSessions(cycleId);
  }
  registerForSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<SessionRegisterOutcome> {
    return this.sessions.registerForSession(cycleId, sessionId, participantId, at);
  }
  cancelSession(cycleId: string, sessionId: string, reason: string, at: number): Promise<SessionCancelOutcome> {
    return this.sessions.cancelSession(cycleId, sessionId, reason, at);
  }

  moveSession(cycleId: string, sessionId: string, move: SessionMove, expectedSequence: number, at: number): Promise<SessionMoveOutcome> {
    return this.sessions.moveSession(cycleId, sessionId, move, expectedSequence, at);
  }
  declineSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<{ outcome: SessionDeclineOutcome; freedSeat: boolean }> {
    return this.sessions.declineSession(cycleId, sessionId, participantId, at);
  }
  promoteFromWaitingList(cycleId: string, sessionId: string, at: number, mayTakeSeat?: SeatEligibility): Promise<string | undefined> {
    return this.sessions.promoteFromWaitingList(cycleId, sessionId, at, mayTakeSeat);
  }
  getSessionRegistration(cycleId: string, sessionId: string, participantId: string): Promise<SessionRegistration | undefined> {
    return this.sessions.getSessionRegistration(cycleId, sessionId, participantId);
  }
  listSessionRegistrations(cycleId: string, sessionId?: string): Promise<SessionRegistration[]> {
    return this.sessions.listSessionRegistrations(cycleId, sessionId);
  }
  recordSessionAttendance(cycleId: string, sessionId: string, participantIds: readonly string[], at: number): Promise<boolean> {
    return this.sessions.recordSessionAttendance(cycleId, sessionId, participantIds, at);
  }

  // ---- retention ----------------------------------------------------------------------
  setCycleExpiry(cycleId: string, expiresAt: number | undefined, budget?: WorkBudget): Promise<{ complete: boolean }> {
    return this.retention.setCycleExpiry(cycleId, expiresAt, budget);
  }
  getCycleExpiry(cycleId: string): Promise<number | undefined> {
    return this.retention.getCycleExpiry(cycleId);
  }
}
