import type { Cycle, Pair } from '../domain/cycle.ts';
import { summaryEmail } from '../domain/summary-email.ts';
import { skillLabel } from '../domain/skills.ts';
import { computeCycleMetrics, summarizeCycle, type CycleMetrics, type CycleResponses, type MetricsInput, type ParticipationEvents } from '../domain/metrics.ts';
import { renderReport } from '../domain/report.ts';
import { proposeChanges, type Proposal } from '../domain/report-proposals.ts';
import { enrollmentFacts } from './phases/enrollment/index.ts';
import { loadCycle } from './phases/members.ts';
import type { PhaseDeps } from './phases/types.ts';
import { sessionFigures } from '../domain/session-figures.ts';
import { attendanceInWords, type SessionReportInput } from '../domain/session-report.ts';
import { meetingFigures } from '../domain/meeting-figures.ts';
import type { MeetingReportInput } from '../domain/meeting-report.ts';
import { durationToSeconds } from '../domain/duration.ts';
import { timeLeftInWords } from '../domain/duration-format.ts';
import type { CycleStore, ParticipantActionStore, ProgramStore, ReportStore, ReviewStore, SessionStore, StoredReview, WorkBudget } from './ports.ts';
import { sendOnce } from './send-once.ts';
import { expireEndedCycle, type RetentionStore } from './retention.ts';

type ParticipantRecords = Pick<ParticipantActionStore, 'listInvitationDecisions' | 'listRematches' | 'listPairFlags' | 'listSuggestions'>;
type MeetingRecords = Pick<ParticipantActionStore, 'listMeetings'>;
type SessionRecords = Pick<SessionStore, 'listSessions' | 'listSessionRegistrations'>;

/** The cycle's informational sessions, counted for the report. */
export async function sessionReport(store: SessionRecords, cycle: Cycle): Promise<SessionReportInput> {
  const [sessions, registrations] = await Promise.all([store.listSessions(cycle.cycleId), store.listSessionRegistrations(cycle.cycleId)]);
  return {
    figures: sessionFigures(sessions, registrations),
    skillNames: Object.fromEntries(cycle.program.skillsCatalog.map((s) => [s.id, skillLabel(s, cycle.program.language)])),
  };
}

/** The meetings the pairs logged, counted for the report (introduced when goal-setting closed; expected once per cadence of the run). */
export async function meetingReport(store: Pick<CycleStore, 'listPairs'> & MeetingRecords, cycle: Cycle, now: number): Promise<MeetingReportInput> {
  const [pairs, meetings] = await Promise.all([store.listPairs(cycle.cycleId), store.listMeetings(cycle.cycleId)]);
  const run = cycle.phases.run;
  const introducedAt = cycle.phases['goal-setting']?.closedAt ?? run?.openedAt ?? cycle.startedAt;
  const cadenceMs = durationToSeconds(cycle.program.checkInCadence) * 1000;
  return {
    figures: meetingFigures({ pairs, meetings, cadenceMs, introducedAt, runEndedAt: run ? Math.min(run.closedAt ?? run.deadline, run.deadline) : now }),
    skillNames: Object.fromEntries(cycle.program.skillsCatalog.map((s) => [s.id, skillLabel(s, cycle.program.language)])),
    cadence: timeLeftInWords(cadenceMs, 'en'),
  };
}

const FLAG_REASONS = {
  'need-help': 'asked for help at a check-in',
  'two-misses': 'missed two check-ins in a row',
  'left-program': 'a partner left the program',
} as const;

/**
 * What the participant pages (docs/participants.md) recorded: invitation answers with
 * reasons, rematches, at-risk flags and forum suggestions with votes.
 */
export async function participationEvents(
  store: ParticipantRecords,
  cycleId: string,
  allPairs: readonly Pick<Pair, 'pairId' | 'status'>[],
): Promise<ParticipationEvents> {
  const [decisions, rematches, flags, suggestions] = await Promise.all([
    store.listInvitationDecisions(cycleId),
    store.listRematches(cycleId),
    store.listPairFlags(cycleId),
    store.listSuggestions(cycleId),
  ]);
  const reasons = new Map<string, number>();
  for (const d of decisions)
    if (d.decision === 'declined') reasons.set(d.reason?.trim() || 'no reason given', (reasons.get(d.reason?.trim() || 'no reason given') ?? 0) + 1);
  return {
    invitations: {
      accepted: decisions.filter((d) => d.decision === 'accepted').length,
      declined: allPairs.filter((p) => p.status === 'declined').length,
      declineReasons: [...reasons.entries()]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
    rematches: rematches.filter((r) => r.newPairId).length,
    atRiskPairs: flags.map((f) => ({ pairId: f.pairId, reasons: [...new Set(f.reasons.map((r) => FLAG_REASONS[r.kind] ?? r.kind))] })),
    suggestions: suggestions.map((s) => ({ text: s.text, votes: s.votes ?? 0, category: s.category })),
  };
}

/** Everything a review reads, gathered from the store: the cohort, the answers, the roster's generations and earlier reviews. */
export async function gatherReviewInput(
  store: CycleStore & ProgramStore & ReviewStore & ParticipantRecords,
  cycle: Cycle,
): Promise<{ input: MetricsInput; earlier: StoredReview[] }> {
  const cycleId = cycle.cycleId;
  const [members, allPairs, goalSetting, checkIns, measure, feedback, roster, reviews, enrollment] = await Promise.all([
    store.listMembers(cycleId),
    store.listPairs(cycleId),
    store.listResponses(cycleId, 'goal-setting#'),
    store.listResponses(cycleId, 'run#'),
    store.listResponses(cycleId, 'measure#'),
    store.listResponses(cycleId, 'feedback#'),
    store.listParticipants(cycle.programId),
    store.listReviews(cycle.programId),
    enrollmentFacts(store, cycle),
  ]);
  const earlier = reviews.filter((r) => r.cycleId !== cycleId && (r.startedAt < cycle.startedAt || (r.startedAt === cycle.startedAt && r.cycleId < cycleId)));
  const responses = { goalSetting, checkIns, measure, feedback } as CycleResponses;
  // A pair declined at the invitation (and replaced by a rematch) did not run: it is counted as declined, not as formed.
  const pairs = allPairs.filter((p) => p.status !== 'declined');
  const participation = await participationEvents(store, cycleId, allPairs);
  const input: MetricsInput = {
    members,
    pairs,
    participation,
    responses,
    catalog: cycle.program.skillsCatalog,
    language: cycle.program.language,
    roster: roster.map((p) => ({ participantId: p.participantId, birthYear: p.birthYear, careerStartYear: p.careerStartYear })),
    ...(cycle.phases.run?.checkInRoundsSent ? { checkInRounds: cycle.phases.run.checkInRoundsSent } : {}),
    ...(enrollment ? { enrollment } : {}),
    ...(earlier.length ? { history: { departmentLinks: [...new Set(earlier.flatMap((r) => r.summary.departmentLinks))] } } : {}),
  };
  return { input, earlier };
}

/** Computes a cycle's metrics and proposals and renders its report (no writes). */
export async function buildReview(
  store: CycleStore & ProgramStore & ReviewStore & ParticipantRecords & SessionRecords & MeetingRecords,
  cycle: Cycle,
  now: number,
): Promise<{ metrics: CycleMetrics; proposals: Proposal[]; html: string; earlier: StoredReview[]; sessions: SessionReportInput }> {
  const [{ input, earlier }, sessions, meetings] = await Promise.all([
    gatherReviewInput(store, cycle),
    sessionReport(store, cycle),
    meetingReport(store, cycle, now),
  ]);
  const metrics = computeCycleMetrics(input);
  const proposals = proposeChanges(cycle.program, metrics, input);
  const history = [...earlier.map((r) => r.summary), summarizeCycle(cycle.cycleId, cycle.startedAt, metrics)];
  const html = renderReport({
    programName: cycle.program.name,
    cycleId: cycle.cycleId,
    startedAt: cycle.startedAt,
    generatedAt: now,
    metrics,
    proposals,
    history,
    sessions,
    meetings,
  });
  return { metrics, proposals, html, earlier, sessions };
}

/**
 * Review: computes the cycle's metrics and proposals, stores the report and the review with the
 * cycle, marks the cycle succeeded and emails HR a summary; then sets the cycle's items to expire
 * (services/retention.ts). A cycle of 10,000 people has over 100,000 items, more than one call can
 * touch in time on a slow store, so the expiry stops at the budget and the workflow calls the
 * review again (`retentionComplete: false`): a cycle already reviewed is not reviewed twice, only
 * its expiry goes on.
 */
export async function reviewCycle(
  deps: PhaseDeps & { store: ReviewStore & ParticipantRecords & SessionRecords & MeetingRecords & RetentionStore; reports: ReportStore },
  cycleId: string,
  budget?: WorkBudget,
) {
  const cycle = await loadCycle(deps.store, cycleId);
  const stored = cycle.status === 'succeeded' ? await deps.store.getReview(cycleId) : undefined;
  const review = stored ?? (await writeReview(deps, cycle));
  const { complete } = await expireEndedCycle(deps.store, cycleId, budget);
  return {
    reportPath: review.reportPath,
    participants: review.summary.members,
    pairs: review.summary.pairs,
    proposals: review.proposals.length,
    retentionComplete: complete,
  };
}

async function writeReview(
  deps: PhaseDeps & { store: ReviewStore & ParticipantRecords & SessionRecords & MeetingRecords; reports: ReportStore },
  cycle: Cycle,
): Promise<StoredReview> {
  const cycleId = cycle.cycleId;
  await deps.store.setCurrentPhase(cycleId, 'review');
  const now = deps.clock.now();
  const { metrics, proposals, html, sessions } = await buildReview(deps.store, cycle, now);
  const reportPath = await deps.reports.save(cycleId, 'report.html', html, 'text/html; charset=utf-8', { retentionDays: cycle.program.retentionDays });
  const review: StoredReview = {
    cycleId,
    programId: cycle.programId,
    startedAt: cycle.startedAt,
    generatedAt: now,
    reportPath,
    summary: summarizeCycle(cycleId, cycle.startedAt, metrics),
    proposals,
  };
  await deps.store.putReview(review);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  const email = summaryEmail(
    `${cycle.program.name}: cycle ${cycleId} review`,
    `The cycle ${cycleId} of ${cycle.program.name} has ended. The full report, with charts and ${proposals.length} proposals for the next cycle, is at ${reportPath} (open it with: tandem report open ${cycleId}). Apply the proposals with: tandem review apply --cycle ${cycleId}`,
    [
      { label: 'Participants', value: String(metrics.members) },
      { label: 'Pairs', value: String(metrics.pairs) },
      { label: 'Pairs at risk', value: String(metrics.pairStatus.atRisk) },
      { label: 'Goal-setting answers', value: pct(metrics.responseRate.goalSetting) },
      { label: 'Measure answers', value: pct(metrics.responseRate.measure) },
      { label: 'Feedback answers', value: pct(metrics.responseRate.feedback) },
      { label: 'Pairs across departments', value: pct(metrics.benefits.diversity.share) },
      { label: 'Mean goal attainment', value: metrics.goalAttainment.meanPercent === null ? '—' : `${Math.round(metrics.goalAttainment.meanPercent)}%` },
      { label: 'Net Promoter-style score', value: metrics.netPromoterScore === null ? '—' : String(metrics.netPromoterScore) },
      {
        label: 'Informational sessions',
        value:
          `${sessions.figures.sessions} (${sessions.figures.registered} registered; ${attendanceInWords(sessions.figures)})` +
          (sessions.figures.cancelled ? `; ${sessions.figures.cancelled} cancelled` : ''),
      },
      { label: 'Proposals for the next cycle', value: String(proposals.length) },
      { label: 'Report', value: reportPath },
    ],
  );
  for (const to of cycle.program.hrContacts) {
    await sendOnce(deps, cycleId, `review#hr#${to}`, { from: cycle.program.sender, to, ...email, tags: { cycle: cycleId, kind: 'review' } });
  }
  // Last: a review interrupted before this point is written again in full on the next call (HR's email once, by its key).
  await deps.store.markSucceeded(cycleId, reportPath, now);
  return review;
}
