import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { DIRECTION_LABELS, type CycleMetrics, type CycleSummary } from './metrics.ts';

/**
 * The report's charts: Vega-Lite specifications rendered to SVG on the server (Vega's headless
 * "none" renderer: no canvas, no browser), so the report stays one self-contained HTML file.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#e5e7eb' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** Renders a Vega-Lite specification to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // An accessible name for screen readers; the figures are also in the tables next to the chart.
    const title = typeof spec.description === 'string' ? spec.description : 'chart';
    return svg.replace('<svg ', `<svg role="img" aria-label="${title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}" `);
  } finally {
    view.finalize();
  }
}

export function participationSpec(m: CycleMetrics): TopLevelSpec | null {
  const values = m.participation.filter((p) => p.rate !== null).map((p) => ({ phase: p.label, rate: p.rate, answered: p.answered, expected: p.expected }));
  if (values.length === 0) return null;
  return {
    description: 'Share of members who answered each phase',
    width: 520,
    height: 180,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: '#2563eb' },
        encoding: {
          x: { field: 'phase', type: 'nominal', sort: null, title: null, axis: { labelAngle: 0 } },
          y: { field: 'rate', type: 'quantitative', title: 'answered', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
        },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 11 },
        encoding: { x: { field: 'phase', type: 'nominal', sort: null }, y: { field: 'rate', type: 'quantitative' }, text: { field: 'rate', type: 'quantitative', format: '.0%' } },
      },
    ],
  };
}

/** Mean gain per skill with its 95% bootstrap interval; only skills with enough answers. */
export function skillGainsSpec(m: CycleMetrics): TopLevelSpec | null {
  const values = m.skillGains.flatMap((g) =>
    g.gain.suppressed ? [] : [{ skill: g.name, kind: g.digital ? 'digital' : 'other', mean: g.gain.mean, low: g.gain.ci95?.low ?? g.gain.mean, high: g.gain.ci95?.high ?? g.gain.mean, n: g.gain.n }],
  );
  if (values.length === 0) return null;
  return {
    description: 'Mean skill gain per skill (measure minus baseline) with 95% bootstrap intervals',
    width: 440,
    height: { step: 22 },
    data: { values },
    encoding: { y: { field: 'skill', type: 'nominal', sort: { field: 'mean', order: 'descending' }, title: null } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2, color: '#9ca3af' }, encoding: { x: { field: 'low', type: 'quantitative', title: 'gain (points on the 1-5 scale)' }, x2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'mean', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', title: 'skill', scale: { domain: ['digital', 'other'], range: ['#7c3aed', '#0d9488'] } },
        },
      },
      { mark: { type: 'rule', color: '#111827', strokeDash: [3, 3] }, encoding: { x: { datum: 0 } } },
    ],
  };
}

export function directionSpec(m: CycleMetrics): TopLevelSpec | null {
  const values = (Object.keys(DIRECTION_LABELS) as Array<keyof typeof DIRECTION_LABELS>).flatMap((d) => {
    const s = m.gainsByDirection[d];
    return s.suppressed ? [] : [{ direction: DIRECTION_LABELS[d].replace(/ \(.*\)$/, ''), mean: s.mean, low: s.ci95?.low ?? s.mean, high: s.ci95?.high ?? s.mean }];
  });
  if (values.length === 0) return null;
  return {
    description: 'Mean gain per learner by direction of teaching, with 95% bootstrap intervals',
    width: 440,
    height: { step: 30 },
    data: { values },
    encoding: { y: { field: 'direction', type: 'nominal', title: null, axis: { labelLimit: 240 } } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2, color: '#9ca3af' }, encoding: { x: { field: 'low', type: 'quantitative', title: 'mean gain per learner' }, x2: { field: 'high' } } },
      { mark: { type: 'point', filled: true, size: 90, color: '#ea580c' }, encoding: { x: { field: 'mean', type: 'quantitative' } } },
      { mark: { type: 'rule', color: '#111827', strokeDash: [3, 3] }, encoding: { x: { datum: 0 } } },
    ],
  };
}

export function satisfactionSpec(m: CycleMetrics): TopLevelSpec | null {
  const s = m.satisfaction;
  if (s.suppressed || s.n === 0) return null;
  const values = [
    { group: 'detractors (0-6)', order: 1, count: s.detractors },
    { group: 'passives (7-8)', order: 2, count: s.passives },
    { group: 'promoters (9-10)', order: 3, count: s.promoters },
  ];
  return {
    description: 'Feedback answers by recommendation group',
    width: 520,
    height: 40,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'count', type: 'quantitative', stack: 'normalize', title: null, axis: { format: '.0%' } },
      color: { field: 'group', type: 'nominal', title: null, sort: ['detractors (0-6)', 'passives (7-8)', 'promoters (9-10)'], scale: { range: ['#dc2626', '#d1d5db', '#16a34a'] } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** Headline figures of this and earlier cycles, as shares or points, one line each. */
export function comparisonSpec(cycles: CycleSummary[]): TopLevelSpec | null {
  if (cycles.length < 2) return null;
  const series: Array<[string, (c: CycleSummary) => number | null]> = [
    ['pairs across departments', (c) => c.crossDepartmentShare],
    ['pairs across generations', (c) => c.crossGenerationShare],
    ['check-ins where pairs met', (c) => c.checkInAdherence],
    ['measure answered', (c) => c.responseRate.measure],
    ['both members gained', (c) => c.bothWaysShare],
  ];
  const values = cycles.flatMap((c, i) => series.flatMap(([figure, get]) => (get(c) === null ? [] : [{ cycle: `${i + 1}. ${c.cycleId}`, figure, value: get(c) }])));
  if (values.length === 0) return null;
  return {
    description: 'Headline shares of this and earlier cycles',
    width: 480,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'cycle', type: 'ordinal', title: null, axis: { labelAngle: 0, labelLimit: 160 } },
      y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'figure', type: 'nominal', title: null },
    },
  };
}
