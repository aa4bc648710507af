import { createHash } from 'node:crypto';
import type { ApprovalState, Cycle, Member, Pair, PhaseState, StoredResponse } from '../../domain/cycle.ts';
import { parsePhaseKey } from '../../services/phases/registry.ts';
import type { EnrollmentAnswer, EnrollmentDeclaration, EnrollmentDecision } from '../../domain/enrollment.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { dayLimitProblems } from '../../domain/meetings.ts';
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
  ErasureRecord,
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
  TandemStore,
  WorkBudget,
} from '../../services/ports.ts';
import { everyoneMay, firstInLine, firstWhoMay, waitingLine } from '../../domain/session-waiting-list.ts';
import { erasedRecord, replaceIdSegments, type EmailLogEntry, type ErasureSubject } from '../../domain/person-data.ts';
import type { InfoSession, SessionRegistration } from '../../domain/sessions.ts';

/** Same as the DynamoDB store: a claim this old that was never marked sent is taken to have failed before reaching SES. */
const STALE_CLAIM_MS = 5 * 60 * 1000;

interface EmailEntry {
  idempotencyKey: string;
  to: string;
  status: 'sending' | 'sent' | 'failed';
  claimedAt: number;
  messageId?: string;
  sentAt?: number;
  failureReason?: string;
}

/**
 * A copy the way the DynamoDB document client stores and returns an item: fields holding
 * `undefined` are dropped (removeUndefinedValues), and nothing is shared with the caller.
 */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v) => copy(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, copy(v)]),
    ) as T;
  }
  return value;
}

/** DynamoDB orders sort keys by their UTF-8 bytes. */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** The values of a map ordered by a sort key, the way a DynamoDB Query returns items. */
function sortedBy<T>(items: Iterable<T>, sortKey: (item: T) => string): T[] {
  return [...items].sort((a, b) => byBytes(sortKey(a), sortKey(b))).map((item) => copy(item));
}

/**
 * Every store port held in memory, with the DynamoDB store's semantics: the same idempotent
 * repeats, conditional outcomes, counters and list order (test/support/store-contract.ts holds
 * both to it). For services' unit tests, which then need no DynamoDB Local.
 */
export class InMemoryStore implements TandemStore {
  private readonly programs = new Map<string, Program>();
  /** programId → participantId → the participant and the fingerprint of the roster row it was written from. */
  private readonly participants = new Map<string, Map<string, { participant: Participant; fingerprint?: string }>>();
  /** programId → participantId → what they declared when they last joined. */
  private readonly declarations = new Map<string, Map<string, EnrollmentDeclaration>>();
  private readonly cycles = new Map<string, Cycle>();
  private readonly members = new Map<string, Map<string, Member>>();
  private readonly pairs = new Map<string, Map<string, Pair>>();
  /** cycleId → `<phaseKey>#<participantId>` → answer (the DynamoDB sort key without its `RESPONSE#` prefix). */
  private readonly responses = new Map<string, Map<string, StoredResponse>>();
  private readonly reviews = new Map<string, StoredReview>();
  /** scope (programId or `*`) → `<ISO time>#<auditId>` → entry. */
  private readonly audit = new Map<string, Map<string, AuditEntry>>();
  private readonly emails = new Map<string, Map<string, EmailEntry>>();
  private readonly invitations = new Map<string, Map<string, InvitationDecision>>();
  private readonly rematches = new Map<string, Map<string, RematchRecord>>();
  private readonly flags = new Map<string, Map<string, PairFlag>>();
  private readonly suggestions = new Map<string, Map<string, ForumSuggestion>>();
  /** cycleId → `<voterId>#<suggestionId>` → vote. */
  /** cycleId → `<pairId>#<meetingId>` → meeting. */
  private readonly meetings = new Map<string, Map<string, MeetingRecord>>();
  private readonly votes = new Map<string, Map<string, { suggestionId: string; voterId: string; at: number }>>();
  /** cycleId → sessionId → session; cycleId → `<sessionId>#<participantId>` → registration (the DynamoDB sort keys without their prefixes). */
  private readonly sessions = new Map<string, Map<string, InfoSession>>();
  private readonly sessionRegistrations = new Map<string, Map<string, SessionRegistration>>();
  /** subjectKey → erasure (and suppression) record. */
  private readonly erasures = new Map<string, ErasureRecord>();
  /** cycleId → the TTL (epoch seconds) set on its items. */
  private readonly cycleExpiry = new Map<string, number>();

  /** The suppression list's keys, as the container gives the DynamoDB store (services/suppression.ts); none: no list is checked. */
  constructor(private readonly suppressionKeys: SuppressionKeys = () => Promise.resolve(undefined)) {}

  // ---- programs and rosters -------------------------------------------------

  async putProgram(program: Program): Promise<void> {
    this.programs.set(program.programId, copy(program));
  }

  async getProgram(programId: string): Promise<Program | undefined> {
    return copy(this.programs.get(programId));
  }

  /** Read, change and write happen with no await in between: nothing can write the program meanwhile. */
  async modifyProgram(programId: string, change: (current: Program) => Program | undefined): Promise<Program> {
    const current = this.programs.get(programId);
    if (!current) throw new NotFoundError(`program ${programId} does not exist`);
    const next = change(copy(current));
    if (next === undefined) return copy(current);
    this.programs.set(programId, copy(next));
    return copy(next);
  }

  async listPrograms(): Promise<Program[]> {
    return [...this.programs.values()].sort((a, b) => a.programId.localeCompare(b.programId)).map((p) => copy(p));
  }

  /** Every program here is listed from the start: nothing to migrate. */
  async indexUnlistedPrograms(): Promise<string[]> {
    return [];
  }

  async putParticipants(programId: string, participants: readonly Participant[]): Promise<{ written: number; unchanged: number }> {
    const roster = within(this.participants, programId);
    let written = 0;
    let unchanged = 0;
    for (const participant of participants) {
      const fingerprint = createHash('sha256').update(JSON.stringify(participant)).digest('base64url');
      const stored = roster.get(participant.participantId);
      if (stored && stored.fingerprint === fingerprint) {
        unchanged++;
        continue;
      }
      roster.set(participant.participantId, { participant: copy(participant), fingerprint });
      written++;
    }
    return { written, unchanged };
  }

  async listParticipants(programId: string): Promise<Participant[]> {
    return sortedBy(this.participants.get(programId)?.values() ?? [], (p) => p.participant.participantId).map((p) => p.participant);
  }

  async getParticipant(programId: string, participantId: string): Promise<Participant | undefined> {
    return copy(this.participants.get(programId)?.get(participantId)?.participant);
  }

  async setParticipantStatus(programId: string, participantId: string, status: ParticipantStatus, ownOptOutAt?: number): Promise<void> {
    const stored = this.participants.get(programId)?.get(participantId);
    if (!stored) throw new NotFoundError(`participant ${participantId} is not in program ${programId}`);
    stored.participant.status = status;
    if (ownOptOutAt !== undefined) stored.participant.ownOptOutAt ??= ownOptOutAt;
    // The stored item no longer matches the roster row it came from.
    delete stored.fingerprint;
  }

  async listDeclarations(programId: string): Promise<EnrollmentDeclaration[]> {
    return sortedBy(this.declarations.get(programId)?.values() ?? [], (d) => d.participantId);
  }

  async getDeclaration(programId: string, participantId: string): Promise<EnrollmentDeclaration | undefined> {
    return copy(this.declarations.get(programId)?.get(participantId));
  }

  async findParticipantsByEmail(email: string): Promise<Array<{ programId: string; participantId: string }>> {
    const address = email.trim().toLowerCase();
    const found: Array<{ programId: string; participantId: string }> = [];
    for (const [programId, roster] of this.participants) {
      for (const { participant } of roster.values()) if (participant.email === address) found.push({ programId, participantId: participant.participantId });
    }
    return found.sort((a, b) => byBytes(a.programId, b.programId) || byBytes(a.participantId, b.participantId));
  }

  // ---- cycles -----------------------------------------------------------------

  async createCycle(cycle: Cycle): Promise<boolean> {
    if (this.cycles.has(cycle.cycleId)) return false;
    this.cycles.set(cycle.cycleId, copy(cycle));
    return true;
  }

  async getCycle(cycleId: string): Promise<Cycle | undefined> {
    return copy(this.cycles.get(cycleId));
  }

  async listCycles(programId: string): Promise<Cycle[]> {
    const ofProgram = [...this.cycles.values()].filter((c) => c.programId === programId);
    return sortedBy(ofProgram, (c) => `${new Date(c.startedAt).toISOString()}#${c.cycleId}`);
  }

  async setExecution(cycleId: string, executionArn: string): Promise<void> {
    this.existingCycle(cycleId).executionArn = executionArn;
  }

  async putCohort(cycleId: string, members: readonly Member[], pairs: readonly Pair[]): Promise<void> {
    const cohort = within(this.members, cycleId);
    for (const member of members) cohort.set(member.participantId, copy(member));
    const pairsOfCycle = within(this.pairs, cycleId);
    for (const pair of pairs) pairsOfCycle.set(pair.pairId, copy(pair));
    const cycle = this.existingCycle(cycleId);
    cycle.participants = members.length;
    cycle.pairs = pairs.length;
  }

  async listMembers(cycleId: string): Promise<Member[]> {
    return sortedBy(this.members.get(cycleId)?.values() ?? [], (m) => m.participantId);
  }

  async getMember(cycleId: string, participantId: string): Promise<Member | undefined> {
    return copy(this.members.get(cycleId)?.get(participantId));
  }

  async getParticipantView(cycleId: string, participantId: string, phaseKeys: readonly string[]): Promise<ParticipantView> {
    const [cycle, member] = await Promise.all([this.getCycle(cycleId), this.getMember(cycleId, participantId)]);
    const answers = new Map<string, StoredResponse>();
    for (const phaseKey of phaseKeys) {
      const answer = await this.getResponse(cycleId, phaseKey, participantId);
      if (answer) answers.set(phaseKey, answer);
    }
    return { ...(cycle ? { cycle } : {}), ...(member ? { member } : {}), answers };
  }

  async listPairs(cycleId: string): Promise<Pair[]> {
    return sortedBy(this.pairs.get(cycleId)?.values() ?? [], (p) => p.pairId);
  }

  async getPair(cycleId: string, pairId: string): Promise<Pair | undefined> {
    return copy(this.pairs.get(cycleId)?.get(pairId));
  }

  async openPhase(cycleId: string, phase: AnsweredPhase, state: PhaseState): Promise<PhaseState> {
    const cycle = this.cycles.get(cycleId);
    if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
    const existing = cycle.phases[phase];
    // Opened already by an earlier attempt of the same step: its state stands.
    if (existing) return copy(existing);
    cycle.phases[phase] = copy(state);
    cycle.currentPhase = phase;
    return copy(state);
  }

  // ---- HR's review of the pairs -------------------------------------------------
  async openApproval(cycleId: string, state: ApprovalState): Promise<ApprovalState> {
    const cycle = this.existingCycle(cycleId);
    // Opened already by an earlier attempt of the same step: its state stands.
    if (cycle.approval) return copy(cycle.approval);
    cycle.approval = copy(state);
    cycle.currentPhase = 'approval';
    return copy(state);
  }

  async updateApproval(cycleId: string, expected: number, next: ApprovalState): Promise<boolean> {
    const cycle = this.existingCycle(cycleId);
    if (cycle.approval?.revision !== expected || cycle.approval.status !== 'pending' || cycle.status !== 'running') return false;
    cycle.approval = copy(next);
    return true;
  }

  async replaceCohort(
    cycleId: string,
    expected: number,
    cohort: { members: readonly Member[]; pairs: readonly Pair[] },
    next: ApprovalState,
  ): Promise<boolean> {
    const cycle = this.existingCycle(cycleId);
    if (cycle.approval?.revision !== expected || cycle.approval.status !== 'pending' || cycle.status !== 'running') return false;
    this.members.set(cycleId, new Map(cohort.members.map((m) => [m.participantId, copy(m)])));
    this.pairs.set(cycleId, new Map(cohort.pairs.map((p) => [p.pairId, copy(p)])));
    cycle.participants = cohort.members.length;
    cycle.pairs = cohort.pairs.length;
    cycle.approval = copy(next);
    return true;
  }

  async updatePhase(cycleId: string, phase: AnsweredPhase, patch: Partial<PhaseState>): Promise<void> {
    const entries = Object.entries(patch);
    if (entries.length === 0) return;
    const state = this.existingCycle(cycleId).phases[phase];
    // DynamoDB refuses an update of a field inside a map that does not exist.
    if (!state) throw new Error(`The document path provided in the update expression is invalid for update (phase ${phase} is not open)`);
    Object.assign(state, copy(patch));
  }

  async closePhase(cycleId: string, phase: AnsweredPhase, closedAt: number): Promise<void> {
    const state = this.cycles.get(cycleId)?.phases[phase];
    // Closed already by an earlier attempt of the same step: nothing to do.
    if (state && state.closedAt === undefined) state.closedAt = closedAt;
  }

  async setCurrentPhase(cycleId: string, phase: Phase): Promise<void> {
    this.existingCycle(cycleId).currentPhase = phase;
  }

  async recordResponse(response: StoredResponse): Promise<RecordResponseOutcome> {
    return this.recordResponseAlong<never>(response, []);
  }

  async getResponse(cycleId: string, phaseKey: string, participantId: string): Promise<StoredResponse | undefined> {
    return copy(this.responses.get(cycleId)?.get(`${phaseKey}#${participantId}`));
  }

  async listResponses(cycleId: string, phaseKeyPrefix: string): Promise<StoredResponse[]> {
    const answers = [...(this.responses.get(cycleId)?.entries() ?? [])].filter(([sortKey]) => sortKey.startsWith(phaseKeyPrefix));
    return sortedBy(answers, ([sortKey]) => sortKey).map(([, response]) => response);
  }

  async markSucceeded(cycleId: string, reportPath: string, endedAt: number): Promise<void> {
    const cycle = this.cycles.get(cycleId);
    if (cycle?.status !== 'running') return;
    Object.assign(cycle, { status: 'succeeded', reportPath, endedAt, currentPhase: 'review' } satisfies Partial<Cycle>);
  }

  async markFailed(cycleId: string, failure: { error: string; cause: string }, endedAt: number): Promise<boolean> {
    const cycle = this.cycles.get(cycleId);
    if (cycle?.status !== 'running') return false;
    Object.assign(cycle, { status: 'failed', failure: copy(failure), endedAt } satisfies Partial<Cycle>);
    return true;
  }

  async markStopped(cycleId: string, endedAt: number): Promise<void> {
    const cycle = this.cycles.get(cycleId);
    if (cycle?.status !== 'running') return;
    Object.assign(cycle, { status: 'stopped', endedAt } satisfies Partial<Cycle>);
  }

  async markResumed(cycleId: string): Promise<boolean> {
    const cycle = this.cycles.get(cycleId);
    if (cycle?.status !== 'failed') return false;
    cycle.status = 'running';
    delete cycle.failure;
    delete cycle.endedAt;
    return true;
  }

  // ---- audit log ------------------------------------------------------------------
  async recordAudit(entry: AuditEntry): Promise<void> {
    const scope = this.audit.get(entry.programId ?? '*') ?? new Map<string, AuditEntry>();
    this.audit.set(entry.programId ?? '*', scope);
    const sortKey = `${new Date(entry.at).toISOString()}#${entry.auditId}`;
    if (!scope.has(sortKey)) scope.set(sortKey, copy(entry));
  }

  async listAudit(query: { programId?: string; since?: number; limit?: number }): Promise<AuditEntry[]> {
    const scope = this.audit.get(query.programId ?? '*') ?? new Map<string, AuditEntry>();
    const since = query.since === undefined ? undefined : new Date(query.since).toISOString();
    const newestFirst = sortedBy(scope.entries(), ([sortKey]) => sortKey)
      .reverse()
      .filter(([sortKey]) => since === undefined || byBytes(sortKey, since) >= 0)
      .map(([, entry]) => entry);
    return query.limit === undefined ? newestFirst : newestFirst.slice(0, query.limit);
  }

  // ---- reviews ------------------------------------------------------------------

  async putReview(review: StoredReview): Promise<void> {
    const { appliedTo: _applied, ...rest } = review;
    // A retried review step writes the same figures again but never forgets that HR applied them.
    const appliedTo = this.reviews.get(review.cycleId)?.appliedTo;
    this.reviews.set(review.cycleId, copy({ ...rest, ...(appliedTo ? { appliedTo } : {}) }));
  }

  async getReview(cycleId: string): Promise<StoredReview | undefined> {
    return copy(this.reviews.get(cycleId));
  }

  async listReviews(programId: string): Promise<StoredReview[]> {
    const cycles = (await this.listCycles(programId)).sort((a, b) => a.startedAt - b.startedAt || a.cycleId.localeCompare(b.cycleId));
    return cycles.flatMap((c) => {
      const review = c.status === 'succeeded' ? this.reviews.get(c.cycleId) : undefined;
      return review ? [copy(review)] : [];
    });
  }

  async markReviewApplied(cycleId: string, nextCycleId: string, appliedAt: number): Promise<boolean> {
    const review = this.reviews.get(cycleId);
    if (!review || review.appliedTo) return false;
    review.appliedTo = { cycleId: nextCycleId, appliedAt };
    return true;
  }

  // ---- email log --------------------------------------------------------------

  async claim(cycleId: string, key: string, to: string, now: number): Promise<EmailClaim> {
    const keyOf = await this.suppressionKeys();
    if (keyOf && this.erasures.has(keyOf(to))) return 'suppressed';
    const log = within(this.emails, cycleId);
    const entry = log.get(key);
    if (!entry || entry.status === 'failed' || (entry.status === 'sending' && entry.claimedAt < now - STALE_CLAIM_MS)) {
      log.set(key, { idempotencyKey: key, to, status: 'sending', claimedAt: now });
      return 'claimed';
    }
    return entry.status === 'sent' ? 'already-sent' : 'in-flight';
  }

  async markSent(cycleId: string, key: string, messageId: string, now: number): Promise<void> {
    const entry = this.emails.get(cycleId)?.get(key);
    if (entry?.status !== 'sending') return;
    Object.assign(entry, { status: 'sent', messageId, sentAt: now } satisfies Partial<EmailEntry>);
    const cycle = this.cycles.get(cycleId);
    if (cycle) cycle.emailsSent = (cycle.emailsSent ?? 0) + 1;
  }

  async release(cycleId: string, key: string, reason: string): Promise<void> {
    const entry = this.emails.get(cycleId)?.get(key);
    if (entry?.status !== 'sending') return;
    Object.assign(entry, { status: 'failed', failureReason: reason.slice(0, 500) } satisfies Partial<EmailEntry>);
  }

  async sentKeys(cycleId: string, keyPrefix: string): Promise<Set<string>> {
    const log = this.emails.get(cycleId)?.values() ?? [];
    return new Set([...log].filter((entry) => entry.status === 'sent' && entry.idempotencyKey.startsWith(keyPrefix)).map((entry) => entry.idempotencyKey));
  }

  // ---- participant actions: invitation decisions, rematches, pair flags, forum --------------

  async recordInvitationDecision(decision: InvitationDecision): Promise<'recorded' | 'already-decided' | 'phase-closed'> {
    const decisions = within(this.invitations, decision.cycleId);
    if (decisions.has(decision.participantId)) return 'already-decided';
    const cycle = this.cycles.get(decision.cycleId);
    const goalSetting = cycle?.phases['goal-setting'];
    if (!cycle || cycle.status !== 'running' || !goalSetting || goalSetting.closedAt !== undefined) return 'phase-closed';
    const declined = decision.decision === 'declined';
    const member = this.members.get(decision.cycleId)?.get(decision.participantId);
    // The DynamoDB transaction fails as a whole when a decliner has no member item.
    if (declined && !member) throw new NotFoundError(`participant ${decision.participantId} is not a member of cycle ${decision.cycleId}`);
    decisions.set(decision.participantId, copy(decision));
    if (declined) {
      goalSetting.expected -= 1;
      cycle.invitationsDeclined = (cycle.invitationsDeclined ?? 0) + 1;
      (member as Member).declined = true;
    } else {
      cycle.invitationsAccepted = (cycle.invitationsAccepted ?? 0) + 1;
    }
    return 'recorded';
  }

  async getInvitationDecision(cycleId: string, participantId: string): Promise<InvitationDecision | undefined> {
    return copy(this.invitations.get(cycleId)?.get(participantId));
  }

  async listInvitationDecisions(cycleId: string): Promise<InvitationDecision[]> {
    return sortedBy(this.invitations.get(cycleId)?.values() ?? [], (d) => d.participantId);
  }

  async putRematch(rematch: RematchRecord, changes: RematchChanges): Promise<RematchOutcome> {
    const cycle = this.existingCycle(rematch.cycleId);
    const aside = changes.setAside ?? [];
    const decisions = within(this.invitations, rematch.cycleId);
    const answers = within(this.responses, rematch.cycleId);
    const answerKey = (participantId: string) => `goal-setting#${participantId}`;
    // As the DynamoDB transaction: every acceptance (and answer) set aside must still be there, the rematch not made
    // already, and every changed member as it was read, else nothing is written.
    if (aside.some((a) => decisions.get(a.participantId)?.decision !== 'accepted' || (a.answered && !answers.has(answerKey(a.participantId)))))
      return 'changed-meanwhile';
    if (within(this.rematches, rematch.cycleId).has(rematch.rematchId)) return 'changed-meanwhile';
    const stored = within(this.members, rematch.cycleId);
    for (const [participantId, partners] of Object.entries(changes.partnersRead ?? {})) {
      const now = stored.get(participantId);
      if (partners === null ? now !== undefined : now?.partners.length !== partners) return 'changed-meanwhile';
    }
    for (const a of aside) {
      decisions.delete(a.participantId);
      cycle.invitationsAccepted = (cycle.invitationsAccepted ?? 0) - 1;
      if (a.answered) {
        answers.delete(answerKey(a.participantId));
        cycle.responses['goal-setting'] = (cycle.responses['goal-setting'] ?? 0) - 1;
      }
    }
    within(this.rematches, rematch.cycleId).set(rematch.rematchId, copy(rematch));
    const pairs = within(this.pairs, rematch.cycleId);
    const previous = pairs.get(rematch.previousPairId);
    if (previous) Object.assign(previous, { status: 'declined', declinedBy: rematch.declinedBy } satisfies Partial<Pair>);
    if (changes.newPair) pairs.set(changes.newPair.pairId, copy(changes.newPair));
    const cohort = within(this.members, rematch.cycleId);
    for (const member of changes.members) cohort.set(member.participantId, copy(member));
    if (changes.newMembers) {
      cycle.participants += changes.newMembers;
      const goalSetting = cycle.phases['goal-setting'];
      if (goalSetting) goalSetting.expected += changes.newMembers;
    }
    cycle.rematches = (cycle.rematches ?? 0) + 1;
    return 'stored';
  }

  async listRematches(cycleId: string): Promise<RematchRecord[]> {
    return sortedBy(this.rematches.get(cycleId)?.values() ?? [], (r) => r.rematchId);
  }

  async flagPair(cycleId: string, pairId: string, reason: PairFlagReason): Promise<void> {
    const flags = within(this.flags, cycleId);
    const flag = flags.get(pairId) ?? { cycleId, pairId, firstFlaggedAt: reason.at, reasons: [] };
    flag.reasons.push(copy(reason));
    flags.set(pairId, flag);
  }

  async listPairFlags(cycleId: string): Promise<PairFlag[]> {
    return sortedBy(this.flags.get(cycleId)?.values() ?? [], (f) => f.pairId);
  }

  async recordResponseWithAcceptance(response: StoredResponse, acceptance: InvitationDecision): Promise<RecordResponseOutcome | 'already-decided'> {
    const answers = within(this.responses, response.cycleId);
    // The DynamoDB transaction reports the first failed condition in item order: answer, cycle, invitation.
    if (answers.has(`${response.phaseKey}#${response.participantId}`)) return 'already-answered';
    const parsed = parsePhaseKey(response.phaseKey);
    const cycle = this.cycles.get(response.cycleId);
    const state = parsed ? cycle?.phases[parsed.phase] : undefined;
    if (!cycle || cycle.status !== 'running' || !state || state.closedAt !== undefined) return 'phase-closed';
    if (within(this.invitations, acceptance.cycleId).has(acceptance.participantId)) return 'already-decided';
    const outcome = this.recordResponseAlong(response, []);
    within(this.invitations, acceptance.cycleId).set(acceptance.participantId, copy(acceptance));
    cycle.invitationsAccepted = (cycle.invitationsAccepted ?? 0) + 1;
    return outcome;
  }

  async recordResponseWithMeeting(
    response: StoredResponse,
    meeting: MeetingRecord,
  ): Promise<RecordResponseOutcome | 'over-day-limit' | 'meeting-logged-already'> {
    const exists = () => within(this.meetings, meeting.cycleId).has(`${meeting.pairId}#${meeting.meetingId}`);
    const outcome = this.recordResponseAlong<'over-day-limit' | 'meeting-logged-already'>(response, [], () =>
      this.overDayLimit(meeting) ? 'over-day-limit' : exists() ? 'meeting-logged-already' : undefined,
    );
    if (outcome === 'recorded') within(this.meetings, meeting.cycleId).set(`${meeting.pairId}#${meeting.meetingId}`, copy(meeting));
    return outcome;
  }

  async recordResponseWithSuggestions(response: StoredResponse, suggestions: readonly ForumSuggestion[]): Promise<RecordResponseOutcome> {
    return this.recordResponseAlong<never>(response, suggestions);
  }

  async listSuggestions(cycleId: string): Promise<ForumSuggestion[]> {
    return sortedBy(this.suggestions.get(cycleId)?.values() ?? [], (s) => s.suggestionId);
  }

  async addVote(cycleId: string, suggestionId: string, voterId: string, at: number): Promise<'voted' | 'already-voted' | 'no-suggestion'> {
    const votes = within(this.votes, cycleId);
    const voteKey = `${voterId}#${suggestionId}`;
    if (votes.has(voteKey)) return 'already-voted';
    const suggestion = this.suggestions.get(cycleId)?.get(suggestionId);
    if (!suggestion) return 'no-suggestion';
    votes.set(voteKey, { suggestionId, voterId, at });
    suggestion.votes = (suggestion.votes ?? 0) + 1;
    return 'voted';
  }

  async recordMeeting(meeting: MeetingRecord): Promise<'recorded' | 'already-recorded' | 'over-day-limit'> {
    const meetings = within(this.meetings, meeting.cycleId);
    const key = `${meeting.pairId}#${meeting.meetingId}`;
    if (meetings.has(key)) return 'already-recorded';
    if (this.overDayLimit(meeting)) return 'over-day-limit';
    meetings.set(key, copy(meeting));
    return 'recorded';
  }

  /** The day's limits over the meetings held here (one process, one write at a time: they are the tally). */
  private overDayLimit(meeting: MeetingRecord): boolean {
    const logged = [...(this.meetings.get(meeting.cycleId)?.values() ?? [])].filter((m) => m.pairId === meeting.pairId);
    return dayLimitProblems(logged, meeting).length > 0;
  }

  async listMeetings(cycleId: string): Promise<MeetingRecord[]> {
    return [...(this.meetings.get(cycleId)?.entries() ?? [])].sort(([a], [b]) => byBytes(a, b)).map(([, m]) => copy(m));
  }

  async listMeetingsOfPair(cycleId: string, pairId: string): Promise<MeetingRecord[]> {
    return (await this.listMeetings(cycleId)).filter((m) => m.pairId === pairId);
  }

  async listVotesOf(cycleId: string, voterId: string): Promise<string[]> {
    const prefix = `${voterId}#`;
    const ofVoter = [...(this.votes.get(cycleId)?.entries() ?? [])].filter(([voteKey]) => voteKey.startsWith(prefix));
    return sortedBy(ofVoter, ([voteKey]) => voteKey).map(([, vote]) => vote.suggestionId);
  }

  async recordEnrollmentAnswer(
    response: StoredResponse<EnrollmentAnswer>,
    change: { previous?: EnrollmentDecision; declaration?: EnrollmentDeclaration },
  ): Promise<'recorded' | 'phase-closed' | 'changed-meanwhile'> {
    const parsed = parsePhaseKey(response.phaseKey);
    if (!parsed) throw new RangeError(`unknown phase key ${response.phaseKey}`);
    const answers = within(this.responses, response.cycleId);
    const sortKey = `${response.phaseKey}#${response.participantId}`;
    // The DynamoDB transaction reports the first failed condition in item order: answer, then cycle.
    const stored = answers.get(sortKey) as StoredResponse<EnrollmentAnswer> | undefined;
    if (stored?.answer.decision !== change.previous) return 'changed-meanwhile';
    const cycle = this.cycles.get(response.cycleId);
    const state = cycle?.phases[parsed.phase];
    if (!cycle || cycle.status !== 'running' || !state || state.closedAt !== undefined) return 'phase-closed';
    answers.set(sortKey, copy(response));
    if (!stored) cycle.responses[response.phaseKey] = (cycle.responses[response.phaseKey] ?? 0) + 1;
    const counter = (decision: EnrollmentDecision) => (decision === 'joined' ? 'enrollmentJoined' : 'enrollmentDeclined');
    if (change.previous !== response.answer.decision) {
      cycle[counter(response.answer.decision)] = (cycle[counter(response.answer.decision)] ?? 0) + 1;
      if (change.previous) cycle[counter(change.previous)] = (cycle[counter(change.previous)] ?? 0) - 1;
    }
    if (change.declaration) within(this.declarations, change.declaration.programId).set(change.declaration.participantId, copy(change.declaration));
    return 'recorded';
  }

  // ---- helpers ----------------------------------------------------------------

  /**
   * The answer (refused if the person answered already), the cycle's answer counter (refused
   * unless the cycle runs and the phase is open), and the items that exist exactly when the answer does.
   */
  private recordResponseAlong<R extends string = never>(
    response: StoredResponse,
    suggestions: readonly ForumSuggestion[],
    /** What refuses the answer once it is new and its phase open, as a condition alongside it in the table's transaction would. */
    refusal?: () => R | undefined,
  ): RecordResponseOutcome | R {
    const parsed = parsePhaseKey(response.phaseKey);
    if (!parsed) throw new RangeError(`unknown phase key ${response.phaseKey}`);
    const answers = within(this.responses, response.cycleId);
    const sortKey = `${response.phaseKey}#${response.participantId}`;
    if (answers.has(sortKey)) return 'already-answered';
    const cycle = this.cycles.get(response.cycleId);
    const state = cycle?.phases[parsed.phase];
    if (!cycle || cycle.status !== 'running' || !state || state.closedAt !== undefined) return 'phase-closed';
    const refused = refusal?.();
    if (refused !== undefined) return refused;
    answers.set(sortKey, copy(response));
    cycle.responses[response.phaseKey] = (cycle.responses[response.phaseKey] ?? 0) + 1;
    for (const suggestion of suggestions) within(this.suggestions, suggestion.cycleId).set(suggestion.suggestionId, copy(suggestion));
    return 'recorded';
  }

  // ---- informational sessions ---------------------------------------------------------

  async createSession(session: InfoSession): Promise<boolean> {
    const ofCycle = within(this.sessions, session.cycleId);
    if (ofCycle.has(session.sessionId)) return false;
    ofCycle.set(session.sessionId, copy(session));
    return true;
  }

  async getSession(cycleId: string, sessionId: string): Promise<InfoSession | undefined> {
    return copy(this.sessions.get(cycleId)?.get(sessionId));
  }

  async listSessions(cycleId: string): Promise<InfoSession[]> {
    return sortedBy(this.sessions.get(cycleId)?.values() ?? [], (s) => s.sessionId);
  }

  async registerForSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<SessionRegisterOutcome> {
    const existing = this.sessionRegistrations.get(cycleId)?.get(`${sessionId}#${participantId}`);
    if (existing?.status === 'registered') return 'already-registered';
    if (existing?.status === 'waitlisted') return 'already-waitlisted';
    const session = this.sessions.get(cycleId)?.get(sessionId);
    if (!session) return 'no-session';
    if (session.cancelledAt !== undefined) return 'cancelled';
    const registration: SessionRegistration = { cycleId, sessionId, participantId, status: 'registered', updatedAt: at };
    // As the DynamoDB store: a free seat only while nobody waits for one (read and written at once here, so the line cannot change between).
    const lineOf = [...(this.sessionRegistrations.get(cycleId)?.values() ?? [])].filter((r) => r.sessionId === sessionId);
    if (session.seatsTaken < session.capacity && !firstInLine(lineOf)) {
      session.seatsTaken++;
      within(this.sessionRegistrations, cycleId).set(`${sessionId}#${participantId}`, registration);
      return 'registered';
    }
    session.lineJoins = (session.lineJoins ?? 0) + 1;
    within(this.sessionRegistrations, cycleId).set(`${sessionId}#${participantId}`, { ...registration, status: 'waitlisted', waitlistedAt: at });
    return 'waitlisted';
  }

  async declineSession(cycleId: string, sessionId: string, participantId: string, at: number): Promise<{ outcome: SessionDeclineOutcome; freedSeat: boolean }> {
    const existing = this.sessionRegistrations.get(cycleId)?.get(`${sessionId}#${participantId}`);
    if (existing?.status === 'declined') return { outcome: 'already-declined', freedSeat: false };
    const session = this.sessions.get(cycleId)?.get(sessionId);
    if (!existing && !session) return { outcome: 'no-session', freedSeat: false };
    const freedSeat = existing?.status === 'registered';
    if (freedSeat && session) session.seatsTaken--;
    within(this.sessionRegistrations, cycleId).set(`${sessionId}#${participantId}`, { cycleId, sessionId, participantId, status: 'declined', updatedAt: at });
    return { outcome: 'declined', freedSeat };
  }

  async promoteFromWaitingList(cycleId: string, sessionId: string, at: number, mayTakeSeat: SeatEligibility = everyoneMay): Promise<string | undefined> {
    const open = () => {
      const session = this.sessions.get(cycleId)?.get(sessionId);
      return session && session.cancelledAt === undefined && session.seatsTaken < session.capacity ? session : undefined;
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!open()) return undefined;
      const next = await firstWhoMay(waitingLine(await this.listSessionRegistrations(cycleId, sessionId)), mayTakeSeat);
      if (!next) return undefined;
      // Asking who may take the seat took time: as the DynamoDB store's transaction, promote only if the seat is still free and they still wait.
      const session = open();
      const stored = this.sessionRegistrations.get(cycleId)?.get(`${sessionId}#${next.participantId}`);
      if (!session) return undefined;
      if (stored?.status !== 'waitlisted') continue;
      session.seatsTaken++;
      stored.status = 'registered';
      stored.updatedAt = at;
      return next.participantId;
    }
    return undefined;
  }

  async getSessionRegistration(cycleId: string, sessionId: string, participantId: string): Promise<SessionRegistration | undefined> {
    return copy(this.sessionRegistrations.get(cycleId)?.get(`${sessionId}#${participantId}`));
  }

  async listSessionRegistrations(cycleId: string, sessionId?: string): Promise<SessionRegistration[]> {
    const all = sortedBy(this.sessionRegistrations.get(cycleId)?.entries() ?? [], ([key]) => key).map(([, r]) => r);
    return sessionId === undefined ? all : all.filter((r) => r.sessionId === sessionId);
  }

  async cancelSession(cycleId: string, sessionId: string, reason: string, at: number): Promise<SessionCancelOutcome> {
    const session = this.sessions.get(cycleId)?.get(sessionId);
    if (!session) return 'no-session';
    if (session.cancelledAt !== undefined) return 'already-cancelled';
    session.cancelledAt = at;
    session.cancelReason = reason;
    return 'cancelled';
  }

  async moveSession(cycleId: string, sessionId: string, move: SessionMove, expectedSequence: number, at: number): Promise<SessionMoveOutcome> {
    const session = this.sessions.get(cycleId)?.get(sessionId);
    if (!session) return 'no-session';
    if (session.cancelledAt !== undefined) return 'cancelled';
    if (session.startsAt <= at) return 'started';
    if ((session.sequence ?? 0) !== expectedSequence) return 'changed-meanwhile';
    Object.assign(session, { startsAt: move.startsAt, durationMinutes: move.durationMinutes, calendar: move.calendar, sequence: move.sequence, movedAt: at });
    if (move.originalPlacing) session.originalPlacing ??= structuredClone(move.originalPlacing);
    for (const field of ['place', 'videoLink'] as const) {
      if (move[field] === undefined) delete session[field];
      else session[field] = move[field];
    }
    return 'moved';
  }

  async recordSessionAttendance(cycleId: string, sessionId: string, participantIds: readonly string[], at: number): Promise<boolean> {
    const session = this.sessions.get(cycleId)?.get(sessionId);
    if (!session) return false;
    session.attended = [...participantIds];
    session.attendanceRecordedAt = at;
    return true;
  }

  // ---- personal data: email log read back, erasure, suppression, retention ------------------

  async listEmailLog(cycleId: string): Promise<EmailLogEntry[]> {
    return sortedBy(this.emails.get(cycleId)?.values() ?? [], (e) => e.idempotencyKey);
  }

  async getErasure(subjectKey: string): Promise<ErasureRecord | undefined> {
    return copy(this.erasures.get(subjectKey));
  }

  async startErasure(record: ErasureRecord): Promise<ErasureRecord> {
    const existing = this.erasures.get(record.subjectKey);
    if (existing?.status === 'started') return copy(existing);
    this.erasures.set(record.subjectKey, copy(record));
    return copy(record);
  }

  async completeErasure(subjectKey: string, erasureId: string, completedAt: number): Promise<void> {
    const existing = this.erasures.get(subjectKey);
    if (existing?.erasureId !== erasureId || existing.status !== 'started') return;
    Object.assign(existing, { status: 'completed', completedAt, targets: [] } satisfies Partial<ErasureRecord>);
  }

  async isSuppressed(subjectKey: string): Promise<boolean> {
    return this.erasures.has(subjectKey);
  }

  async eraseFromCycle(cycleId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    let rewritten = 0;
    const cycle = this.cycles.get(cycleId);
    if (cycle) {
      const erased = erasedRecord(cycle, subject);
      if (JSON.stringify(erased) !== JSON.stringify(cycle)) {
        this.cycles.set(cycleId, erased);
        rewritten++;
      }
    }
    const byCycle: Array<Map<string, Map<string, object>>> = [
      this.members,
      this.pairs,
      this.responses,
      this.emails,
      this.invitations,
      this.rematches,
      this.flags,
      this.suggestions,
      this.meetings,
      this.votes,
      this.sessions,
      this.sessionRegistrations,
    ];
    for (const items of byCycle) {
      const ofCycle = items.get(cycleId);
      if (ofCycle) rewritten += rewriteEntries(ofCycle, subject);
    }
    const review = this.reviews.get(cycleId);
    if (review) {
      const erased = erasedRecord(review, subject);
      if (JSON.stringify(erased) !== JSON.stringify(review)) {
        this.reviews.set(cycleId, erased);
        rewritten++;
      }
    }
    return { rewritten };
  }

  async eraseFromProgram(programId: string, subject: ErasureSubject): Promise<{ rewritten: number }> {
    let rewritten = 0;
    if (this.participants.get(programId)?.delete(subject.participantId)) rewritten++;
    if (this.declarations.get(programId)?.delete(subject.participantId)) rewritten++;
    const program = this.programs.get(programId);
    if (program) {
      const erased = erasedRecord(program, subject);
      if (JSON.stringify(erased) !== JSON.stringify(program)) {
        this.programs.set(programId, erased);
        rewritten++;
      }
    }
    return { rewritten };
  }

  async setCycleExpiry(cycleId: string, expiresAt: number | undefined, budget?: WorkBudget): Promise<{ complete: boolean }> {
    this.existingCycle(cycleId);
    // The cycle's items are one entry here: a budget already spent leaves it as it was, as a batch not started would.
    if (this.cycleExpiry.get(cycleId) !== expiresAt && budget && budget.remainingMs() <= 0) return { complete: false };
    if (expiresAt === undefined) this.cycleExpiry.delete(cycleId);
    else this.cycleExpiry.set(cycleId, expiresAt);
    return { complete: true };
  }

  async getCycleExpiry(cycleId: string): Promise<number | undefined> {
    return this.cycleExpiry.get(cycleId);
  }

  private existingCycle(cycleId: string): Cycle {
    const cycle = this.cycles.get(cycleId);
    if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
    return cycle;
  }
}

/** Rewrites a cycle's map into its erased form, keys included (the DynamoDB store moves an item whose key changes); returns how many entries changed. */
function rewriteEntries(entries: Map<string, object>, subject: ErasureSubject): number {
  let rewritten = 0;
  for (const [key, value] of [...entries]) {
    const erasedKey = replaceIdSegments(key, subject);
    const erased = erasedRecord(value, subject);
    if (erasedKey === key && JSON.stringify(erased) === JSON.stringify(value)) continue;
    entries.delete(key);
    entries.set(erasedKey, erased);
    rewritten++;
  }
  return rewritten;
}

/** The inner map of an outer key, created on first use. */
function within<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}
