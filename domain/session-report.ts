import { escapeHtml } from './html.ts';
import type { AttendanceFigures, SessionFigures } from './session-figures.ts';

/** The report's section on informational sessions; kept apart from report.ts so each feature's section reads on its own. */
export interface SessionReportInput {
  figures: SessionFigures;
  /** Skill id → its name in the report. */
  skillNames: Readonly<Record<string, string>>;
}

/** Counts and rates about fewer people than this are not shown, as elsewhere in the report. */
const MIN_GROUP = 5;

/**
 * Who attended is behaviour about people. The attended count and the rate are about the people
 * registered for the sessions whose attendance was recorded (`recordedRegistered`): with fewer than
 * 5 of them, a figure could point at someone, so it is not shown. Registrations of sessions whose
 * attendance is not recorded say nothing about who came and do not count.
 */
export function attendedCount(f: AttendanceFigures): string {
  if (f.recordedSessions === 0) return 'not recorded yet';
  if (f.recordedRegistered === 0) return 'no one registered';
  return f.recordedRegistered < MIN_GROUP ? 'fewer than 5 registered' : String(f.attended);
}

/** People who came without a seat: a count of fewer than 5 of them could point at someone. */
export function walkInCount(f: AttendanceFigures): string {
  if (f.recordedSessions === 0) return 'not recorded yet';
  return f.walkIns > 0 && f.walkIns < MIN_GROUP ? 'fewer than 5' : String(f.walkIns);
}

/** The registered who attended over the registered, of the sessions whose attendance was recorded: never above 100%. */
export function attendanceRate(f: SessionFigures): string {
  if (f.recordedSessions === 0 || f.attendanceRate === null) return attendedCount(f);
  return f.recordedRegistered < MIN_GROUP ? 'fewer than 5 registered' : `${Math.round(f.attendanceRate * 100)}%`;
}

/** Attendance in one phrase, for HR's summary email: the same figures and the same rule as the report. */
export function attendanceInWords(f: SessionFigures): string {
  if (f.recordedSessions === 0) return 'attendance not recorded yet';
  if (f.recordedRegistered === 0) return 'no one registered for the sessions whose attendance was recorded';
  if (f.recordedRegistered < MIN_GROUP) return 'attendance not shown: fewer than 5 registered for the sessions whose attendance was recorded';
  const walkIns = f.walkIns > 0 ? `, and ${walkInCount(f)} without a seat` : '';
  return `${f.attended} of the ${f.recordedRegistered} registered attended (${attendanceRate(f)})${walkIns}`;
}

export function sessionsSection(input: SessionReportInput | undefined): string {
  if (!input || input.figures.sessions === 0) {
    const cancelled = input?.figures.cancelled ?? 0;
    return cancelled > 0
      ? `<h2>Informational sessions</h2>\n<p class="muted">Every informational session of this cycle was cancelled (${cancelled}).</p>`
      : '<h2>Informational sessions</h2>\n<p class="muted">No informational session was scheduled in this cycle (<code>tandem session add</code>).</p>';
  }
  const f = input.figures;
  const recorded = f.recordedSessions > 0;
  const summary = [
    ['Sessions', f.cancelled > 0 ? `${f.sessions} (and ${f.cancelled} cancelled, not counted below)` : String(f.sessions)],
    ['Registered (seats taken)', String(f.registered)],
    ['On a waiting list at the end', String(f.waitlisted)],
    ['Declined', String(f.declined)],
    ['Sessions with attendance recorded', `${f.recordedSessions} of ${f.sessions}`],
    ['Registered for the sessions with attendance recorded', recorded ? String(f.recordedRegistered) : 'attendance not recorded yet'],
    ['Attended, of those registered', attendedCount(f)],
    ['Attended without a seat (walk-ins)', walkInCount(f)],
    ['Attended of registered (sessions with attendance recorded)', attendanceRate(f)],
  ];
  const rows = f.bySkill.map((s) => [
    input.skillNames[s.skill] ?? s.skill,
    String(s.sessions),
    String(s.seats),
    String(s.registered),
    String(s.waitlisted),
    attendedCount(s),
    walkInCount(s),
  ]);
  const head = ['Skill', 'Sessions', 'Seats', 'Registered', 'Waiting', 'Attended, of the registered', 'Walk-ins'];
  return `<h2>Informational sessions</h2>
<p>Talks and trainings next to the pairs, announced to the members who want to learn the skills they cover. A session covering several skills counts under each. Attendance is about the sessions whose attendance HR recorded: the registered who came (the rate is of them, so at most 100%), and apart from them the members who came without a seat. A figure about fewer than 5 people is not shown.</p>
<table><caption>Sessions in this cycle</caption><tbody>${summary.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k as string)}</th><td>${escapeHtml(v as string)}</td></tr>`).join('\n')}</tbody></table>
<table><caption>Sessions, registrations and attendance per skill</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}
