import { createHash } from 'node:crypto';
import { escapeHtml } from './html.ts';
import { DIRECTION_LABELS, type CycleMetrics, type CycleSummary, type Direction } from './metrics.ts';
import { comparisonChart, directionChart, participationChart, satisfactionChart, skillGainsChart } from './report-svg-charts.ts';
import { whoNamed, type Proposal } from './report-proposals.ts';
import { meetingsSection, type MeetingReportInput } from './meeting-report.ts';
import { sessionsSection, type SessionReportInput } from './session-report.ts';
import type { Summary } from './statistics.ts';

const CATEGORY_LABELS: Record<string, string> = {
  worked: 'what worked',
  keep: 'to keep',
  more: 'more of',
  explore: 'area to explore',
  missingSkills: 'skill the organization lacks',
  improve: 'to improve',
};

/** Shown in place of any figure about a group of fewer than five people. */
export const SUPPRESSED = 'fewer than 5 answers';

export const pct = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
const num = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined ? '—' : value.toFixed(digits));
const signed = (value: number, digits = 2): string => `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(digits)}`;

/** "+1.25 (median +1.00, 95% CI +0.80 to +1.70, n = 12)" or "fewer than 5 answers". */
export function describeSummary(s: Summary, unit = ''): string {
  if (s.suppressed) return SUPPRESSED;
  const ci = s.ci95 ? `, 95% CI ${signed(s.ci95.low)} to ${signed(s.ci95.high)}${unit}` : '';
  return `${signed(s.mean)}${unit} (median ${signed(s.median)}${unit}${ci}, n = ${s.n})`;
}

export interface ReportInput {
  programName: string;
  cycleId: string;
  startedAt: number;
  generatedAt: number;
  metrics: CycleMetrics;
  proposals?: Proposal[];
  /** Earlier cycles of the program, oldest first, and this one last. */
  history?: CycleSummary[];
  /** The cycle's informational sessions (domain/session-report.ts). */
  sessions?: SessionReportInput;
  /** The meetings pairs logged (domain/meeting-report.ts). */
  meetings?: MeetingReportInput;
}

const rows = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
const table = (caption: string, head: string[], body: string[][], className = '') =>
  `<table${className ? ` class="${className}"` : ''}><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${body.length ? body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n') : `<tr><td colspan="${head.length}">none</td></tr>`}
</tbody></table>`;
// On a phone a chart keeps its size and scrolls in its figure (scaled to fit, its labels would be 4 px high); focusable, so a keyboard can scroll it.
const figure = (svg: string | null | undefined, caption: string) =>
  svg ? `<figure tabindex="0">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>` : '';

/**
 * Wide tables scroll in a box of their own instead of widening the page on a phone. The box takes
 * focus so that a keyboard can scroll it, and is named by the table's caption (escaped already).
 */
const withScrollingTables = (html: string) =>
  html.replace(/<table[\s\S]*?<\/table>/g, (table) => {
    const caption = /<caption>([\s\S]*?)<\/caption>/.exec(table)?.[1];
    return caption ? `<div class="scroll" tabindex="0" role="region" aria-label="${caption}">${table}</div>` : `<div class="scroll">${table}</div>`;
  });
const texts = (list: Array<{ text: string; count: number }>, max = 8) =>
  list.length
    ? `<ul>${list
        .slice(0, max)
        .map((t) => `<li>${escapeHtml(t.text)}${t.count > 1 ? ` <span class="muted">(${t.count} answers)</span>` : ''}</li>`)
        .join('')}</ul>`
    : '<p class="muted">No answers.</p>';

const CSS = `
:root{--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--accent:#2563eb}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1.25rem;line-height:1.5;color:var(--ink)}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2.25rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}h3{font-size:1rem;margin:1.25rem 0 .25rem}
.muted{color:var(--muted)}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem}.card b{display:block;font-size:1.35rem}.card span{color:var(--muted);font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:.75rem 0 1rem;font-size:.92rem}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.25rem 0}thead th{background:#f9fafb}figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:var(--muted)}
.scroll{overflow-x:auto;margin:.75rem 0 1rem}.scroll table{margin:0}.scroll:focus-visible,figure:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .75rem}figure svg{max-width:none}th,td{padding:.3rem .4rem}}
code{font-size:.85em;background:#f3f4f6;padding:0 .2em;border-radius:.2em}.muted code{color:#374151}.proposal{border-left:4px solid var(--accent);padding:.25rem .75rem;margin:.75rem 0;background:#f8fafc}
@media print{body{margin:0;max-width:none;font-size:10.5pt}.scroll,figure{overflow:visible}figure svg{max-width:100%}h2{break-after:avoid}figure,table,.proposal,.card{break-inside:avoid}a{color:inherit;text-decoration:none}@page{margin:15mm}}
`;

/**
 * The report is opened from a file or an S3 link, where no server sets headers: the policy rides
 * in a meta tag. It allows the one stylesheet (by its hash) and inline SVG, nothing else: no
 * script, no remote fetch, no form, even if a participant's text ever slipped past escaping.
 */
const REPORT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;

/** The review report: a self-contained HTML page (inline CSS and SVG charts) HR can open, print and keep. */
export function renderReport(input: ReportInput): string {
  const m = input.metrics;
  const b = m.benefits;
  const proposals = input.proposals ?? [];
  const history = input.history ?? [];
  const [participationSvg, gainsSvg, directionSvg, satisfactionSvg, comparisonSvg] = [
    participationChart(m),
    skillGainsChart(m),
    directionChart(m),
    satisfactionChart(m),
    comparisonChart(history),
  ];
  const direction = (d: Direction) => describeSummary(m.gainsByDirection[d]);

  const cards: Array<[string, string]> = [
    [String(m.members), 'participants'],
    [String(m.pairs), 'pairs formed'],
    [pct(m.responseRate.measure), 'answered the self-assessment'],
    [pct(b.diversity.share), 'pairs across departments'],
    [m.goalAttainment.meanPercent === null ? SUPPRESSED : `${Math.round(m.goalAttainment.meanPercent)}%`, 'mean goal attainment'],
    [m.satisfaction.suppressed ? SUPPRESSED : String(m.satisfaction.score ?? '—'), 'Net Promoter-style score'],
  ];

  const skillRows = m.skillGains.map((g) => [
    g.name,
    g.digital ? 'yes' : 'no',
    String(g.answeredBoth),
    g.gain.suppressed ? SUPPRESSED : signed(g.gain.mean),
    g.gain.suppressed ? '' : signed(g.gain.median),
    g.gain.suppressed || !g.gain.ci95 ? '' : `${signed(g.gain.ci95.low)} to ${signed(g.gain.ci95.high)}`,
    g.byDirection.juniorTaughtSenior.suppressed ? SUPPRESSED : `${signed(g.byDirection.juniorTaughtSenior.mean)} (n = ${g.byDirection.juniorTaughtSenior.n})`,
    g.byDirection.seniorTaughtJunior.suppressed ? SUPPRESSED : `${signed(g.byDirection.seniorTaughtJunior.mean)} (n = ${g.byDirection.seniorTaughtJunior.n})`,
  ]);

  const benefitRows: string[][] = [
    [
      '1. Learning across generations',
      'Pairs whose members belong to different generations (Pew cohorts by birth year); mean gap; gains by direction',
      `${b.acrossGenerations.crossGenerationPairs} of ${b.acrossGenerations.pairsWithKnownGenerations} pairs (${pct(b.acrossGenerations.share)}); mean gap ${num(b.acrossGenerations.meanGapYears, 1)} years. Junior taught senior: ${direction('juniorTaughtSenior')}. Senior taught junior: ${direction('seniorTaughtJunior')}.`,
    ],
    [
      '2. Knowledge exchange both ways',
      'Pairs in which both members reported a gain on what they learned from the other (of pairs where both answered both surveys)',
      b.knowledgeExchange.suppressed
        ? SUPPRESSED
        : `${b.knowledgeExchange.pairsBothGained} of ${b.knowledgeExchange.pairsBothAnswered} pairs (${pct(b.knowledgeExchange.share)})`,
    ],
    [
      '3. Diversity and inclusion',
      'Pairs across departments; department-to-department connections new to the program; participation by department (below)',
      `${b.diversity.crossDepartmentPairs} of ${m.pairs} pairs (${pct(b.diversity.share)}); ${b.diversity.newDepartmentLinks.length} new connections${b.diversity.comparedWithEarlierCycles ? '' : ' (first reviewed cycle: every connection is new)'}`,
    ],
    [
      '4–5. Technology adoption and digital skills',
      `Mean gain per person on the skills the catalog marks digital (${b.digital.skills.length} skills)`,
      describeSummary(b.digital.gain),
    ],
  ];

  const comparisonRows = history.map((c) => [
    c.cycleId,
    new Date(c.startedAt).toISOString().slice(0, 10),
    String(c.members),
    String(c.pairs),
    pct(c.responseRate.measure),
    pct(c.crossDepartmentShare),
    pct(c.crossGenerationShare),
    c.juniorTaughtSeniorMeanGain === null ? SUPPRESSED : signed(c.juniorTaughtSeniorMeanGain),
    c.seniorTaughtJuniorMeanGain === null ? SUPPRESSED : signed(c.seniorTaughtJuniorMeanGain),
    c.digitalMeanGain === null ? SUPPRESSED : signed(c.digitalMeanGain),
    c.goalAttainmentMeanPercent === null ? '—' : `${Math.round(c.goalAttainmentMeanPercent)}%`,
    pct(c.checkInAdherence),
    c.netPromoterScore === null ? '—' : String(c.netPromoterScore),
  ]);

  const proposalHtml = proposals.length
    ? proposals
        .map(
          (p) =>
            `<div class="proposal"><b>${escapeHtml(p.title)}</b><br>${escapeHtml(p.reason)}<br><span class="muted">Evidence: <code>${escapeHtml(p.evidence.figure)}</code> = ${escapeHtml(String(p.evidence.value))}${
              p.change
                ? ` · change: <code>${escapeHtml(p.change.op)} ${escapeHtml(p.change.path)} ${escapeHtml(JSON.stringify(p.change.value))}</code>`
                : ' · advice, no configuration change'
            }</span></div>`,
        )
        .join('\n')
    : '<p class="muted">No change proposed: no figure crossed a threshold.</p>';

  return withScrollingTables(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<title>${escapeHtml(input.programName)} — cycle ${escapeHtml(input.cycleId)} review</title>
<style>${CSS}</style>
</head><body>
<header>
<h1>${escapeHtml(input.programName)}: cycle review</h1>
<p class="muted">Cycle ${escapeHtml(input.cycleId)}, started ${escapeHtml(new Date(input.startedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC; report generated ${escapeHtml(new Date(input.generatedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC.</p>
<div class="cards">${cards.map(([v, l]) => `<div class="card"><b>${escapeHtml(v)}</b><span>${escapeHtml(l)}</span></div>`).join('')}</div>
</header>
<main>
<h2>Participation</h2>
${
  m.funnel
    ? table(
        'The program’s funnel: enrollment to the end of the cycle',
        ['Invited', 'Joined', 'Declined', 'Paired', 'Completed (answered measure)'],
        [[m.funnel.invited, m.funnel.joined, m.funnel.declined, m.funnel.paired, m.funnel.completed].map(String)],
      )
    : ''
}
${figure(participationSvg, 'Share of members who answered each phase.')}
<table><caption>Participation and pairs</caption><tbody>${rows([
    ['Participants', String(m.members)],
    ['Pairs formed', String(m.pairStatus.formed)],
    ['Invitations declined', m.pairStatus.declined === null ? 'not recorded' : String(m.pairStatus.declined)],
    ['Pairs rematched', m.pairStatus.rematched === null ? 'not recorded' : String(m.pairStatus.rematched)],
    [
      'Pairs at risk',
      `${m.pairStatus.atRisk} (asked for help, or missed two check-ins${m.pairStatus.atRiskSource === 'check-ins' ? '' : '; with the participant pages’ flags'})`,
    ],
    ['Goal-setting response rate', pct(m.responseRate.goalSetting)],
    ['Measure response rate', pct(m.responseRate.measure)],
    ['Feedback response rate', pct(m.responseRate.feedback)],
    [
      'Check-in answers',
      `${m.checkIns.answers} of ${m.checkIns.expected} expected over ${m.checkIns.rounds} round${m.checkIns.rounds === 1 ? '' : 's'} (${pct(m.checkIns.answerRate)}); met: ${m.checkIns.met}, need help: ${m.checkIns.needHelp}`,
    ],
    ['Check-in adherence (we met)', pct(m.checkIns.adherence)],
  ])}</tbody></table>
${
  m.pairStatus.declineReasons.length
    ? table(
        'Why invitations were declined',
        ['Reason', 'Answers'],
        m.pairStatus.declineReasons.map((r) => [r.reason, String(r.count)]),
      )
    : ''
}
${table(
  'Participation by department (self-assessment answered)',
  ['Department', 'Members', 'Answered', 'Rate'],
  b.diversity.byDepartment.map((d) =>
    d.suppressed ? [d.department, 'fewer than 5', '', SUPPRESSED] : [d.department, String(d.members), String(d.answeredMeasure), pct(d.measureRate)],
  ),
)}

<h2>The program's five benefits</h2>
${table('Each promised benefit and its measure', ['Benefit', 'Measure', 'This cycle'], benefitRows)}
${b.diversity.departmentLinks.length ? `<p><b>Department connections:</b> ${b.diversity.departmentLinks.map((l) => `${escapeHtml(l)}${b.diversity.newDepartmentLinks.includes(l) ? ' <span class="muted">(new)</span>' : ''}`).join(' · ')}</p>` : ''}

<h2>Skill gains</h2>
<p>Gain = the end-of-cycle self-rating minus the baseline (1–5 scale), for people who rated the skill in both surveys. Direction: <b>${escapeHtml(DIRECTION_LABELS.juniorTaughtSenior)}</b> counts the skills the mentee learned from the mentor; <b>${escapeHtml(DIRECTION_LABELS.seniorTaughtJunior)}</b> the skills the mentor learned from the mentee.</p>
${figure(gainsSvg, 'Mean gain per skill; the grey line is the 95% bootstrap interval. Skills with fewer than 5 answers are left out.')}
${figure(directionSvg, 'Mean gain per learner, by who taught whom, with 95% bootstrap intervals.')}
${table('Skill gains (end rating minus baseline, 1-5 scale)', ['Skill', 'Digital', 'Answered both', 'Mean', 'Median', '95% CI', 'Junior taught senior', 'Senior taught junior'], skillRows)}
<table><caption>Gains by direction (one value per learner: the mean over the skills they learned)</caption><tbody>${rows([
    ['Junior taught senior', direction('juniorTaughtSenior')],
    ['Senior taught junior', direction('seniorTaughtJunior')],
  ])}</tbody></table>

<h2>Goals, check-ins and satisfaction</h2>
<table><caption>Outcomes</caption><tbody>${rows([
    ['Goals rated at the end', String(m.goalAttainment.goals)],
    ['Mean goal attainment (over goals)', m.goalAttainment.meanPercent === null ? SUPPRESSED : `${Math.round(m.goalAttainment.meanPercent)}%`],
    ['Goal attainment per person', describeSummary(m.goalAttainment.perPerson, ' pts')],
    ['Check-in adherence (we met)', pct(m.checkIns.adherence)],
    [
      'Net Promoter-style score',
      m.satisfaction.suppressed
        ? SUPPRESSED
        : `${m.satisfaction.score ?? '—'} (${m.satisfaction.promoters} promoters, ${m.satisfaction.passives} passives, ${m.satisfaction.detractors} detractors of ${m.satisfaction.n})`,
    ],
  ])}</tbody></table>
${figure(satisfactionSvg, 'Feedback answers by how likely people are to recommend the program (0-10).')}

<h2>Feedback forum: themes</h2>
<h3>Most voted suggestions</h3>
${m.themes.suggestions === null ? '<p class="muted">Not recorded for this cycle.</p>' : m.themes.suggestions.length ? `<ol>${m.themes.suggestions.map((s) => `<li>${escapeHtml(s.text)} <span class="muted">(${s.votes} vote${s.votes === 1 ? '' : 's'}${s.people > 1 ? `, suggested by ${s.people} people` : ''}${s.category ? `; ${escapeHtml(CATEGORY_LABELS[s.category] ?? s.category)}` : ''})</span></li>`).join('')}</ol>` : '<p class="muted">No suggestions.</p>'}
<h3>Skills asked for that no participant offers</h3>
${m.themes.unofferedSkills.length ? `<ul>${m.themes.unofferedSkills.map((s) => `<li>${escapeHtml(s.skill)} <span class="muted">(${escapeHtml(whoNamed(s))})</span></li>`).join('')}</ul>` : '<p class="muted">None.</p>'}
<h3>Areas to explore</h3>
${texts(m.themes.explore)}
<h3>What worked</h3>
${texts(m.themes.worked)}
<h3>What to keep</h3>
${texts(m.themes.keep)}
<h3>What people want more of</h3>
${texts(m.themes.more)}
<h3>What to improve</h3>
${texts(m.themes.improve)}
<p class="muted">Free text is shown without names: participants' names are replaced by [name], and identical answers are counted together.</p>

${meetingsSection(input.meetings)}

${sessionsSection(input.sessions)}

<h2>Comparison with earlier cycles</h2>
${history.length > 1 ? `${figure(comparisonSvg, 'Headline shares, cycle by cycle.')}${table('This and earlier cycles', ['Cycle', 'Started', 'Participants', 'Pairs', 'Measure answered', 'Across departments', 'Across generations', 'Junior→senior gain', 'Senior→junior gain', 'Digital gain', 'Goal attainment', 'Met at check-ins', 'NPS'], comparisonRows)}` : '<p class="muted">This is the program\'s first reviewed cycle: later reviews compare with it.</p>'}

<h2>Proposals for the next cycle</h2>
<p>Each proposal names the figure it comes from. HR applies them with <code>tandem review apply --cycle ${escapeHtml(input.cycleId)}</code>, which shows the configuration change first and then starts the next cycle.</p>
${proposalHtml}

<h2>Method</h2>
<p class="muted">Means, medians and 95% confidence intervals of the mean by percentile bootstrap (${m.method.resamples} resamples, seeded PRNG with seed ${m.method.seed}, so the same answers always give the same intervals). Privacy: no figure about a group of fewer than ${m.method.minGroupSize} people is shown (“${SUPPRESSED}” instead); this applies per skill, per direction, per department and to satisfaction. Net Promoter-style score: % of 9–10 answers minus % of 0–6 answers. Generations: Pew cohorts by birth year (career-start year − 22 where only that is kept).</p>
</main>
</body></html>
`);
}
