import { escapeHtml } from './html.ts';
import type { MeetingFigures, PairCount } from './meeting-figures.ts';

/** The report's section on the meetings pairs logged (pair page and "we met" check-ins); apart from report.ts like the sessions'. */
export interface MeetingReportInput {
  figures: MeetingFigures;
  /** Skill id → its name in the report. */
  skillNames: Readonly<Record<string, string>>;
  /** The program's checkInCadence in words ("1 week"). */
  cadence: string;
}

const FEWER = 'fewer than 5';
const count = (n: PairCount) => (n === null ? FEWER : String(n));
const days = (n: number | null) => (n === null ? 'fewer than 5 pairs met' : `${Math.round(n * 10) / 10} days`);

export function meetingsSection(input: MeetingReportInput | undefined): string {
  if (!input || input.figures.pairs === 0) return '<h2>Meetings</h2>\n<p class="muted">No pairs in this cycle.</p>';
  const f = input.figures;
  const summary: Array<[string, string]> = [
    ['Pairs', String(f.pairs)],
    ['Meetings logged', String(f.meetings)],
    ['Median meetings per pair', f.medianPerPair === null ? 'fewer than 5 pairs' : String(f.medianPerPair)],
    [
      `Pairs that met at least once every ${input.cadence} (${f.expectedPerPair} meeting${f.expectedPerPair === 1 ? '' : 's'})`,
      f.metAtCadence === null ? 'fewer than 5 pairs' : `${Math.round(f.metAtCadence * 100)}%`,
    ],
    ['Time from the introduction to the first meeting (median)', days(f.daysToFirstMeeting.median)],
    ['Time from the introduction to the first meeting (mean)', days(f.daysToFirstMeeting.mean)],
  ];
  const distribution = f.distribution.map(([n, pairs]) => [n === 3 ? '3 or more' : String(n), count(pairs)]);
  const skills = f.skills.map((s) => [input.skillNames[s.skill] ?? s.skill, count(s.byMentor), count(s.byMentee)]);
  const cell = (c: string) => `<td>${escapeHtml(c)}</td>`;
  return `<h2>Meetings</h2>
<p>Meetings the pairs logged on their pair page or by answering “we met” at a check-in. Counts of fewer than 5 pairs are not shown.</p>
<table><caption>Meetings in this cycle</caption><tbody>${summary.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}</tbody></table>
<table><caption>Pairs by meetings logged</caption><thead><tr><th scope="col">Meetings</th><th scope="col">Pairs</th></tr></thead><tbody>
${distribution.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}
</tbody></table>
<table><caption>Skills practised in meetings: pairs, by who taught</caption><thead><tr><th scope="col">Skill</th><th scope="col">Taught by the mentor</th><th scope="col">Taught by the mentee</th></tr></thead><tbody>
${skills.length ? skills.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n') : '<tr><td colspan="3">none logged</td></tr>'}
</tbody></table>`;
}
