import { escapeHtml } from './html.ts';
import type { SessionFigures } from './session-figures.ts';

/** The report's section on informational sessions; kept apart from report.ts so each feature's section reads on its own. */
export interface SessionReportInput {
  figures: SessionFigures;
  /** Skill id → its name in the report. */
  skillNames: Readonly<Record<string, string>>;
}

/** Rates about fewer people than this are not shown, as elsewhere in the report. */
const MIN_GROUP = 5;

/** Who attended is behaviour about people: with fewer than 5 registered, a count could point at someone. */
export function attendedCount(count: number, registered: number): string {
  return registered > 0 && registered < MIN_GROUP ? 'fewer than 5 registered' : String(count);
}

export function sessionsSection(input: SessionReportInput | undefined): string {
  if (!input || input.figures.sessions === 0) {
    const cancelled = input?.figures.cancelled ?? 0;
    return cancelled > 0
      ? `<h2>Informational sessions</h2>\n<p class="muted">Every informational session of this cycle was cancelled (${cancelled}).</p>`
      : '<h2>Informational sessions</h2>\n<p class="muted">No informational session was scheduled in this cycle (<code>tandem session add</code>).</p>';
  }
  const f = input.figures;
  const rate =
    f.attendanceRate === null ? 'attendance not recorded yet' : f.registered < MIN_GROUP ? 'fewer than 5 registered' : `${Math.round(f.attendanceRate * 100)}%`;
  const summary = [
    ['Sessions', f.cancelled > 0 ? `${f.sessions} (and ${f.cancelled} cancelled, not counted below)` : String(f.sessions)],
    ['Registered (seats taken)', String(f.registered)],
    ['On a waiting list at the end', String(f.waitlisted)],
    ['Declined', String(f.declined)],
    ['Attended', attendedCount(f.attended, f.registered)],
    ['Attended of registered (sessions with attendance recorded)', rate],
  ];
  const rows = f.bySkill.map((s) => [
    input.skillNames[s.skill] ?? s.skill,
    String(s.sessions),
    String(s.seats),
    String(s.registered),
    String(s.waitlisted),
    attendedCount(s.attended, s.registered),
  ]);
  const head = ['Skill', 'Sessions', 'Seats', 'Registered', 'Waiting', 'Attended'];
  return `<h2>Informational sessions</h2>
<p>Talks and trainings next to the pairs, announced to the members who want to learn the skills they cover. A session covering several skills counts under each.</p>
<table><caption>Sessions in this cycle</caption><tbody>${summary.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k as string)}</th><td>${escapeHtml(v as string)}</td></tr>`).join('\n')}</tbody></table>
<table><caption>Sessions, registrations and attendance per skill</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}
