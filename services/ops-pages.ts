import { createHash } from 'node:crypto';
import type { Cycle } from '../domain/cycle.ts';
import { formatElapsed as duration } from '../domain/duration-format.ts';
import { escapeHtml as e } from '../domain/html.ts';
import { buildTimeline, redactEmails, type ExecutionSummary, type TimelinePhaseEntry } from './executions.ts';
import type { ExecutionHistoryEvent } from './ports.ts';
import { phaseModule } from './phases/registry.ts';
import type { StatusLine } from './phases/types.ts';

/**
 * The ops pages (functions/ops-api.ts). Everything rendered is escaped; nothing personal is
 * shown: executions, states, counts, and error causes with any email address masked.
 */

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
  header, main { padding: 0 1.5rem; max-width: 72rem; margin: 0 auto; }
  header { border-bottom: 1px solid #ccc; }
  a { color: #0b4f9c; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { background: #f2f2f2; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .status { font-weight: 600; }
  .s-FAILED, .s-TIMED_OUT { color: #a4000f; }
  .s-SUCCEEDED { color: #0a5c1f; }
  .s-ABORTED { color: #5c4a00; }
  .s-RUNNING { color: #0b4f9c; }
  progress, meter { width: 12rem; height: .9rem; margin-right: .5rem; vertical-align: middle; }
  .failure { border: 2px solid #a4000f; padding: .5rem 1rem; margin: 1rem 0; }
  .failure pre { white-space: pre-wrap; word-break: break-word; }
  nav ul { list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }
  code { font-size: .9em; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.5rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  th.num { text-align: right; }
`;

/** The pages' one inline style, allowed by its hash in the Content-Security-Policy (no 'unsafe-inline', no style attributes). */
export const OPS_STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · Tandem ops</title>
<style>${STYLE}</style>
</head>
<body>
<header><p><a href="/ops">Tandem ops</a> · program-cycle executions</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

const time = (iso: string | undefined) => (iso ? e(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : '');

const statusCell = (status: string) => `<span class="status s-${e(status)}">${e(status)}</span>`;

export function opsListPage(input: { executions: ExecutionSummary[]; status?: string }): string {
  return page('Executions', opsListBody(input));
}

/** The list without its frame, under `base` (the console shows it at /console/ops). */
export function opsListBody(input: { executions: ExecutionSummary[]; status?: string }, base = '/ops'): string {
  const filters = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT']
    .map((s) =>
      s === (input.status ?? '')
        ? `<li><strong aria-current="page">${e(s || 'All')}</strong></li>`
        : `<li><a href="${base}${s ? `?status=${e(s)}` : ''}">${e(s || 'All')}</a></li>`,
    )
    .join('');
  const rows = input.executions
    .map(
      (x) =>
        `<tr><td><a href="${base}/executions/${encodeURIComponent(x.name)}">${e(x.name)}</a></td><td>${statusCell(x.status)}</td><td>${time(x.startDate)}</td><td>${time(x.stopDate)}</td><td class="num">${e(duration(x.durationMs))}</td></tr>`,
    )
    .join('\n');
  return `<h1>Executions${input.status ? ` (${e(input.status)})` : ''}</h1>
<nav aria-label="Filter by status"><ul>${filters}</ul></nav>
${
  input.executions.length
    ? `<table id="executions"><caption>${input.executions.length} execution(s), newest first</caption>
<thead><tr><th scope="col">Execution (cycle)</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Stopped</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p>No executions.</p>'
}`;
}

/** A phase's progress lines, from its module; a state of no phase (the failure path) shows whether the cycle was marked failed. */
function phaseProgressLines(phase: TimelinePhaseEntry['phase'], cycle: Cycle | undefined, bounces: number | undefined): StatusLine[] {
  if (!cycle) return [];
  const module = phaseModule(phase);
  if (module) return module.opsLines(cycle, { bounces });
  return cycle.failure ? [{ label: 'Cycle', text: 'marked failed' }] : [];
}

function progressHtml(lines: StatusLine[]): string {
  if (!lines.length) return '';
  return `<ul class="progress">${lines
    .map((l) => {
      const bar =
        l.done !== undefined && l.of ? `<progress max="${l.of}" value="${Math.min(l.done, l.of)}" aria-label="${e(`${l.label}: ${l.text}`)}"></progress>` : '';
      return `<li>${e(l.label)}: ${bar}${e(l.text)}</li>`;
    })
    .join('')}</ul>`;
}

type ExecutionPageInput = {
  description: ExecutionSummary & { input?: string | undefined; error?: string | undefined; cause?: string | undefined; redriveCount?: number | undefined };
  history: readonly ExecutionHistoryEvent[];
  cycle?: Cycle;
  bounces?: number;
  now?: number;
};

export function opsExecutionPage(input: ExecutionPageInput): string {
  return page(input.description.name, opsExecutionBody(input));
}

/** One execution without its frame, under `base` (the console shows it at /console/ops/executions/<name>). */
export function opsExecutionBody(input: ExecutionPageInput, base = '/ops'): string {
  const d = input.description;
  const timeline = buildTimeline(input.history, input.now);
  const total = Math.max(1, ...timeline.phases.map((p) => p.durationMs));
  const phases = timeline.phases
    .map((p) => {
      const states = p.states
        .map(
          (s) =>
            `<tr><td>${e(s.name)}</td><td class="num">${s.visits}</td><td class="num">${e(duration(s.durationMs))}</td><td class="num">${s.attemptsFailed || ''}</td></tr>`,
        )
        .join('');
      const failures = p.failures.map((f) => `<li><strong>${e(f.state ?? '')} ${e(f.error)}</strong>: ${e(redactEmails(f.cause))}</li>`).join('');
      return `<section class="phase" aria-labelledby="phase-${e(p.phase)}">
<h3 id="phase-${e(p.phase)}">${e(p.phase)} <small>${time(p.startedAt)} → ${p.endedAt ? time(p.endedAt) : 'now'} · ${e(duration(p.durationMs))}</small></h3>
<p><meter min="0" max="${total}" value="${p.durationMs}" aria-label="${e(`${p.phase}: ${duration(p.durationMs)} of the execution`)}"></meter></p>
${progressHtml(phaseProgressLines(p.phase, input.cycle, input.bounces))}
<table><caption>States of ${e(p.phase)}</caption><thead><tr><th scope="col">State</th><th scope="col" class="num">Visits</th><th scope="col" class="num">Time</th><th scope="col" class="num">Failed attempts</th></tr></thead><tbody>${states}</tbody></table>
${failures ? `<ul class="errors">${failures}</ul>` : ''}
</section>`;
    })
    .join('\n');
  const failure =
    d.error || d.cause
      ? `<section class="failure" id="failure" aria-labelledby="failure-title"><h2 id="failure-title">${d.status === 'ABORTED' ? 'Stopped' : 'Failure'}</h2>
<p><strong>${e(d.error ?? '')}</strong></p>${d.cause ? `<pre>${e(redactEmails(d.cause))}</pre>` : ''}</section>`
      : '';
  const c = input.cycle;
  const facts: Array<[string, string]> = [
    ['Status', statusCell(d.status)],
    ['Started', time(d.startDate)],
    ['Stopped', time(d.stopDate)],
    ['Duration', e(duration(d.durationMs ?? Date.now() - Date.parse(d.startDate)))],
    ['Current state', e(timeline.currentState ?? '')],
    ...(c
      ? ([
          ['Program', e(c.programId)],
          ['Phase', e(c.currentPhase)],
          ['Participants', e(c.participants)],
          ['Pairs', e(c.pairs)],
          ['Emails sent', e(c.emailsSent)],
          ['Bounces', e(input.bounces ?? 0)],
        ] as Array<[string, string]>)
      : []),
    ['History events', e(timeline.events)],
  ];
  return `<h1>Execution ${e(d.name)}</h1>
<p><code>${e(d.executionArn)}</code></p>
<dl>${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v || '—'}</dd>`).join('')}</dl>
${failure}
<h2>Timeline</h2>
${phases || '<p>No states yet.</p>'}
<p><a href="${base}">All executions</a></p>`;
}

export function opsErrorPage(status: number, message: string): string {
  return page(
    `Error ${status}`,
    `<h1>${e(status === 404 ? 'Not found' : status === 405 ? 'Not allowed' : 'Something went wrong')}</h1><p>${e(message)}</p><p><a href="/ops">All executions</a></p>`,
  );
}
