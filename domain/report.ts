import { escapeHtml } from './html.ts';
import type { CycleMetrics } from './metrics.ts';

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
const num = (value: number | null, digits = 2) => (value === null ? '—' : value.toFixed(digits));

/** The review report: a self-contained HTML page HR can open, print and keep. */
export function renderReport(input: { programName: string; cycleId: string; startedAt: number; generatedAt: number; metrics: CycleMetrics }): string {
  const m = input.metrics;
  const rows = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.programName)} — cycle ${escapeHtml(input.cycleId)} review</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}caption{text-align:left;font-weight:600}</style>
</head><body>
<h1>${escapeHtml(input.programName)}: cycle review</h1>
<p>Cycle ${escapeHtml(input.cycleId)}, started ${escapeHtml(new Date(input.startedAt).toISOString())}, report generated ${escapeHtml(new Date(input.generatedAt).toISOString())}.</p>
<table><caption>Participation</caption><tbody>${rows([
    ['Participants', String(m.members)],
    ['Pairs', String(m.pairs)],
    ['Pairs across departments', `${m.crossDepartmentPairs} of ${m.pairs}`],
    ['Goal-setting response rate', pct(m.responseRate.goalSetting)],
    ['Measure response rate', pct(m.responseRate.measure)],
    ['Feedback response rate', pct(m.responseRate.feedback)],
    ['Check-in answers', `${m.checkIns.answers} (met: ${m.checkIns.met}, need help: ${m.checkIns.needHelp})`],
    ['Check-in adherence', pct(m.checkIns.adherence)],
    ['Goals rated', String(m.goalAttainment.goals)],
    ['Mean goal attainment', m.goalAttainment.meanPercent === null ? '—' : `${Math.round(m.goalAttainment.meanPercent)}%`],
    ['Net Promoter-style score', m.netPromoterScore === null ? '—' : String(m.netPromoterScore)],
  ])}</tbody></table>
<table><caption>Skill gains (end rating minus baseline, 1-5 scale)</caption><thead><tr><th scope="col">Skill</th><th scope="col">Digital</th><th scope="col">Answered both</th><th scope="col">Mean gain</th></tr></thead><tbody>
${m.skillGains.map((g) => `<tr><td>${escapeHtml(g.name)}</td><td>${g.digital ? 'yes' : 'no'}</td><td>${g.answeredBoth}</td><td>${num(g.meanGain)}</td></tr>`).join('\n')}
</tbody></table>
<table><caption>Skills participants say the organization lacks</caption><thead><tr><th scope="col">Skill</th><th scope="col">Mentions</th></tr></thead><tbody>
${m.missingSkills.map((s) => `<tr><td>${escapeHtml(s.skill)}</td><td>${s.mentions}</td></tr>`).join('\n')}
</tbody></table>
</body></html>
`;
}
