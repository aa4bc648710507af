import { summaryEmail } from '../domain/emails.ts';
import { computeCycleMetrics, type CycleResponses } from '../domain/metrics.ts';
import { renderReport } from '../domain/report.ts';
import type { PhaseDeps } from './cycle-phases.ts';
import { loadCycle } from './cycle-phases.ts';
import type { ReportStore } from './ports.ts';
import { sendOnce } from './send-once.ts';

/** Review: computes the cycle's metrics, stores the report, marks the cycle succeeded and emails HR a summary. */
export async function reviewCycle(deps: PhaseDeps & { reports: ReportStore }, cycleId: string) {
  await deps.store.setCurrentPhase(cycleId, 'review');
  const cycle = await loadCycle(deps.store, cycleId);
  const [members, pairs, goalSetting, checkIns, measure, feedback] = await Promise.all([
    deps.store.listMembers(cycleId),
    deps.store.listPairs(cycleId),
    deps.store.listResponses(cycleId, 'goal-setting#'),
    deps.store.listResponses(cycleId, 'run#'),
    deps.store.listResponses(cycleId, 'measure#'),
    deps.store.listResponses(cycleId, 'feedback#'),
  ]);
  const responses = { goalSetting, checkIns, measure, feedback } as CycleResponses;
  const metrics = computeCycleMetrics({ members, pairs, responses, catalog: cycle.program.skillsCatalog });
  const now = deps.clock.now();
  const html = renderReport({ programName: cycle.program.name, cycleId, startedAt: cycle.startedAt, generatedAt: now, metrics });
  const reportPath = await deps.reports.save(cycleId, 'report.html', html, 'text/html; charset=utf-8');
  await deps.store.markSucceeded(cycleId, reportPath, now);
  const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
  const email = summaryEmail(
    `${cycle.program.name}: cycle ${cycleId} review`,
    `The cycle ${cycleId} of ${cycle.program.name} has ended. The full report is at ${reportPath}.`,
    [
      { label: 'Participants', value: String(metrics.members) },
      { label: 'Pairs', value: String(metrics.pairs) },
      { label: 'Goal-setting answers', value: pct(metrics.responseRate.goalSetting) },
      { label: 'Measure answers', value: pct(metrics.responseRate.measure) },
      { label: 'Feedback answers', value: pct(metrics.responseRate.feedback) },
      { label: 'Mean goal attainment', value: metrics.goalAttainment.meanPercent === null ? '—' : `${Math.round(metrics.goalAttainment.meanPercent)}%` },
      { label: 'Net Promoter-style score', value: metrics.netPromoterScore === null ? '—' : String(metrics.netPromoterScore) },
    ],
  );
  for (const to of cycle.program.hrContacts) {
    await sendOnce(deps, cycleId, `review#hr#${to}`, { from: cycle.program.sender, to, ...email, tags: { cycle: cycleId, kind: 'review' } });
  }
  return { reportPath, participants: metrics.members, pairs: metrics.pairs };
}

/** Marks a cycle failed with its cause (keeping the first cause) and tells ops. */
export async function markCycleFailed(deps: PhaseDeps, cycleId: string, failure: { error: string; cause: string }) {
  const now = deps.clock.now();
  const cycle = await loadCycle(deps.store, cycleId);
  await deps.store.markFailed(cycleId, failure, now);
  // A cycle that already ended another way (stopped, succeeded) is not reported as failed.
  const marked = await loadCycle(deps.store, cycleId);
  if (marked.status !== 'failed') return { cycleId, status: marked.status };
  const email = summaryEmail(
    `[Tandem] cycle ${cycleId} of ${cycle.program.name} failed`,
    `The program-cycle workflow for ${cycleId} stopped with an error. Participants already invited keep their answers; look at the execution for details.`,
    [
      { label: 'Cycle', value: cycleId },
      { label: 'Phase', value: cycle.currentPhase },
      { label: 'Error', value: marked.failure?.error ?? failure.error },
      { label: 'Cause', value: (marked.failure?.cause ?? failure.cause).slice(0, 2000) },
      { label: 'Execution', value: cycle.executionArn ?? 'unknown' },
    ],
  );
  for (const to of cycle.program.opsContacts) {
    await sendOnce(deps, cycleId, `failure#ops#${to}`, { from: cycle.program.sender, to, ...email, tags: { cycle: cycleId, kind: 'failure' } });
  }
  return { cycleId, status: marked.status };
}
