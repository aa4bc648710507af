import { max, min } from 'd3-array';
import { format } from 'd3-format';
import { scaleBand, scaleLinear, scalePoint, type ScaleLinear } from 'd3-scale';
import { escapeHtml } from './html.ts';
import { DIRECTION_LABELS, type CycleMetrics, type CycleSummary, type Direction } from './metrics.ts';

/**
 * The report's five charts as static SVG strings, drawn directly from the metrics with d3-scale,
 * d3-array and d3-format (a few KB) instead of Vega-Lite and Vega (about 1 MB in the review
 * Lambda). The same charts, fields and null cases as the Vega-Lite specs they replaced; synchronous; no DOM, no
 * scripts, no external fonts, so the report stays one printable, self-contained HTML file.
 *
 * Every chart is `<svg role="img" aria-label="…">` with a `<title>` (the same wording as the Vega
 * specs' descriptions) and a `<desc>` listing its figures in words; each mark carries a `<title>`
 * (a tooltip in browsers). Every piece of text goes through escapeHtml. Colours reach at least 3:1
 * against white (WCAG 1.4.11), text 4.5:1.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const FONT_SIZE = 11;
/** Rough advance of one character at FONT_SIZE in a sans-serif font; used to lay out and truncate labels. */
const CHAR_WIDTH = 0.6 * FONT_SIZE;

export const CHART_COLORS = {
  ink: '#111827',
  /** Axis labels and secondary text (7.6:1 on white). */
  muted: '#4b5563',
  grid: '#e5e7eb',
  axis: '#6b7280',
  bar: '#2563eb',
  whisker: '#6b7280',
  digital: '#7c3aed',
  other: '#0f766e',
  direction: '#c2410c',
  detractors: '#b91c1c',
  passives: '#6b7280',
  promoters: '#15803d',
  /** The comparison chart's lines, one per headline figure (each also has its own marker shape). */
  series: ['#1d4ed8', '#c2410c', '#047857', '#7e22ce', '#be185d'],
} as const;

/** Plot-area sizes in px (axes, labels and legends come on top), as in the Vega-Lite specs. */
export const CHART_LAYOUT = {
  participation: { width: 520, height: 180 },
  skillGains: { width: 440, step: 22, labelLimit: 180 },
  direction: { width: 440, step: 30, labelLimit: 240 },
  satisfaction: { width: 520, height: 40 },
  comparison: { width: 480, height: 200, labelLimit: 160 },
} as const;

// ---- SVG text helpers ---------------------------------------------------------------------------

/** A coordinate with at most two decimals ("-0" never appears). */
const px = (value: number): string => String(Math.round(value * 100) / 100 || 0);

type Attrs = Record<string, string | number | undefined>;
const attrs = (a: Attrs): string =>
  Object.entries(a)
    .flatMap(([k, v]) => (v === undefined ? [] : [` ${k}="${typeof v === 'number' ? px(v) : escapeHtml(v)}"`]))
    .join('');
const el = (name: string, a: Attrs, content?: string): string => (content === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${content}</${name}>`);
const text = (a: Attrs, content: string): string => el('text', a, escapeHtml(content));
const tip = (content: string): string => `<title>${escapeHtml(content)}</title>`;

const textWidth = (s: string): number => [...s].length * CHAR_WIDTH;
/** Cuts a label to fit `maxWidth` px, ending it with "…" (the full text stays in the mark's title and the chart's desc). */
function fit(s: string, maxWidth: number): string {
  if (textWidth(s) <= maxWidth) return s;
  const keep = Math.max(1, Math.floor(maxWidth / CHAR_WIDTH) - 1);
  return `${[...s].slice(0, keep).join('').trimEnd()}…`;
}

const percent = format('.0%');
/** "+1.25", "−0.50", "0.00": as the report's tables write gains. */
const signed = (value: number): string => `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(2)}`;

function svgDocument(o: { width: number; height: number; label: string; description: string; body: string }): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width: Math.ceil(o.width), height: Math.ceil(o.height), viewBox: `0 0 ${Math.ceil(o.width)} ${Math.ceil(o.height)}`, role: 'img', 'aria-label': o.label, 'font-family': FONT, 'font-size': FONT_SIZE, fill: CHART_COLORS.ink })}>` +
    `<title>${escapeHtml(o.label)}</title><desc>${escapeHtml(o.description)}</desc>` +
    el('rect', { width: '100%', height: '100%', fill: 'white' }) +
    o.body +
    '</svg>'
  );
}

// ---- axes and legends ---------------------------------------------------------------------------

/** Vertical quantitative axis at x = 0 with grid lines across the plot. */
function leftAxis(y: ScaleLinear<number, number>, plotWidth: number, ticks: number[], fmt: (v: number) => string): string {
  const [bottom = 0, top = 0] = y.range();
  return (
    `<g class="axis y-axis">` +
    ticks.map((t) => el('line', { class: 'grid', x1: 0, x2: plotWidth, y1: y(t), y2: y(t), stroke: CHART_COLORS.grid })).join('') +
    el('line', { class: 'domain', x1: 0, x2: 0, y1: top, y2: bottom, stroke: CHART_COLORS.axis }) +
    ticks
      .map(
        (t) =>
          el('line', { x1: -5, x2: 0, y1: y(t), y2: y(t), stroke: CHART_COLORS.axis }) +
          text({ class: 'tick', x: -8, y: y(t), dy: '0.32em', 'text-anchor': 'end', fill: CHART_COLORS.muted }, fmt(t)),
      )
      .join('') +
    `</g>`
  );
}

/** Horizontal quantitative axis at y = plotHeight with grid lines through the plot, and its title below. */
function bottomAxis(x: ScaleLinear<number, number>, plotHeight: number, ticks: number[], fmt: (v: number) => string, title: string | null): string {
  const [left = 0, right = 0] = x.range();
  return (
    `<g class="axis x-axis">` +
    ticks.map((t) => el('line', { class: 'grid', x1: x(t), x2: x(t), y1: 0, y2: plotHeight, stroke: CHART_COLORS.grid })).join('') +
    el('line', { class: 'domain', x1: left, x2: right, y1: plotHeight, y2: plotHeight, stroke: CHART_COLORS.axis }) +
    ticks
      .map(
        (t) =>
          el('line', { x1: x(t), x2: x(t), y1: plotHeight, y2: plotHeight + 5, stroke: CHART_COLORS.axis }) +
          text({ class: 'tick', x: x(t), y: plotHeight + 8, dy: '0.71em', 'text-anchor': 'middle', fill: CHART_COLORS.muted }, fmt(t)),
      )
      .join('') +
    (title === null ? '' : text({ class: 'axis-title', x: (left + right) / 2, y: plotHeight + 36, 'text-anchor': 'middle', 'font-weight': 600 }, title)) +
    `</g>`
  );
}

interface LegendItem {
  label: string;
  /** The swatch, drawn around (0, 0) in a 12 × 12 box. */
  swatch: string;
}
const ROW_HEIGHT = 18;

/** A legend laid out left to right, wrapping within `maxWidth`; its height in px. */
function legend(items: LegendItem[], maxWidth: number, title: string | null): { svg: string; height: number } {
  let x = title === null ? 0 : textWidth(title) + 12;
  let row = 0;
  const parts: string[] = title === null ? [] : [text({ x: 0, y: 0, dy: '0.32em', 'font-weight': 600 }, title)];
  for (const item of items) {
    const width = 16 + textWidth(item.label) + 16;
    if (x > 0 && x + width > maxWidth) {
      row++;
      x = title === null ? 0 : textWidth(title) + 12;
    }
    parts.push(
      `<g class="legend-item" transform="translate(${px(x + 6)},${px(row * ROW_HEIGHT)})">${item.swatch}${text({ x: 10, y: 0, dy: '0.32em' }, item.label)}</g>`,
    );
    x += width;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: (row + 1) * ROW_HEIGHT };
}

const tickCount = (length: number, spacing: number): number => Math.max(2, Math.round(length / spacing));

// ---- participation --------------------------------------------------------------------------------

/** Share of members who answered each phase: one bar per phase with a recorded rate, labelled in %. */
export function participationChart(m: CycleMetrics): string | null {
  const values = m.participation.flatMap((p) => (p.rate === null ? [] : [{ phase: p.label, rate: p.rate, answered: p.answered, expected: p.expected }]));
  if (values.length === 0) return null;
  const { width, height } = CHART_LAYOUT.participation;
  const margin = { top: 20, right: 8, bottom: 26, left: 62 };
  const x = scaleBand<number>()
    .domain(values.map((_, i) => i))
    .range([0, width])
    .paddingInner(0.1)
    .paddingOuter(0.05);
  const y = scaleLinear().domain([0, 1]).range([height, 0]);
  const ticks = y.ticks(tickCount(height, 40));
  const say = (v: (typeof values)[number]) => `${v.phase}: ${percent(v.rate)} (${v.answered} of ${v.expected} answered)`;

  const bars = values
    .map((v, i) => {
      const left = x(i) ?? 0;
      const center = left + x.bandwidth() / 2;
      const rate = Math.max(0, Math.min(1, v.rate));
      return (
        `<g class="bar-group">${tip(say(v))}` +
        el('rect', { class: 'bar', x: left, y: y(rate), width: x.bandwidth(), height: height - y(rate), fill: CHART_COLORS.bar }) +
        text({ class: 'value', x: center, y: y(rate) - 6, 'text-anchor': 'middle' }, percent(v.rate)) +
        text({ class: 'label', x: center, y: height + 8, dy: '0.71em', 'text-anchor': 'middle', fill: CHART_COLORS.muted }, fit(v.phase, x.step())) +
        `</g>`
      );
    })
    .join('');
  const body =
    `<g transform="translate(${margin.left},${margin.top})">` +
    leftAxis(y, width, ticks, percent) +
    text({ class: 'axis-title', transform: `translate(-46,${height / 2}) rotate(-90)`, 'text-anchor': 'middle', 'font-weight': 600 }, 'answered') +
    el('line', { class: 'domain', x1: 0, x2: width, y1: height, y2: height, stroke: CHART_COLORS.axis }) +
    bars +
    `</g>`;
  return svgDocument({
    width: margin.left + width + margin.right,
    height: margin.top + height + margin.bottom,
    label: 'Share of members who answered each phase',
    description: values.map(say).join('; '),
    body,
  });
}

// ---- intervals: skill gains and direction ---------------------------------------------------------

interface IntervalRow {
  label: string;
  mean: number;
  /** The 95% bootstrap interval; null when there is none (then no whisker is drawn). */
  ci: { low: number; high: number } | null;
  n: number;
  color: string;
}

/** One row per group: the mean as a dot, its 95% interval as a whisker with caps, the mean written on the right, a dashed line at zero. */
function intervalChart(o: {
  rows: IntervalRow[];
  width: number;
  step: number;
  labelLimit: number;
  radius: number;
  axisTitle: string;
  label: string;
  legend?: { title: string; items: LegendItem[] };
}): string {
  const { rows, width, step } = o;
  const height = rows.length * step;
  const labels = rows.map((r) => fit(r.label, o.labelLimit));
  const margin = { top: 6, right: textWidth('+0.00') + 14, left: Math.min(o.labelLimit, max(labels, textWidth) ?? 0) + 14 };
  const ends = rows.flatMap((r) => (r.ci ? [r.mean, r.ci.low, r.ci.high] : [r.mean]));
  let lo = Math.min(0, min(ends) ?? 0);
  let hi = Math.max(0, max(ends) ?? 0);
  if (lo === hi) [lo, hi] = [-1, 1];
  const count = tickCount(width, 80);
  const x = scaleLinear().domain([lo, hi]).range([0, width]).nice(count);
  const y = scalePoint<number>()
    .domain(rows.map((_, i) => i))
    .range([0, height])
    .padding(0.5);
  const ticks = x.ticks(count);
  const tickFormat = x.tickFormat(count);
  const say = (r: IntervalRow) => `${r.label}: ${signed(r.mean)}${r.ci ? `, 95% CI ${signed(r.ci.low)} to ${signed(r.ci.high)}` : ''}, n = ${r.n}`;
  const cap = step / 4;

  const marks = rows
    .map((r, i) => {
      const cy = y(i) ?? 0;
      const whisker = r.ci
        ? el('line', { class: 'ci', x1: x(r.ci.low), x2: x(r.ci.high), y1: cy, y2: cy, stroke: CHART_COLORS.whisker, 'stroke-width': 2 }) +
          el('line', {
            class: 'ci-cap',
            x1: x(r.ci.low),
            x2: x(r.ci.low),
            y1: cy - cap / 2,
            y2: cy + cap / 2,
            stroke: CHART_COLORS.whisker,
            'stroke-width': 2,
          }) +
          el('line', {
            class: 'ci-cap',
            x1: x(r.ci.high),
            x2: x(r.ci.high),
            y1: cy - cap / 2,
            y2: cy + cap / 2,
            stroke: CHART_COLORS.whisker,
            'stroke-width': 2,
          })
        : '';
      const right = Math.max(x(r.mean) + o.radius, r.ci ? x(r.ci.high) : -Infinity);
      return (
        `<g class="row">${tip(say(r))}` +
        text({ class: 'label', x: -10, y: cy, dy: '0.32em', 'text-anchor': 'end' }, labels[i] ?? '') +
        whisker +
        el('circle', { class: 'mean', cx: x(r.mean), cy, r: o.radius, fill: r.color, stroke: 'white', 'stroke-width': 1 }) +
        text({ class: 'value', x: right + 6, y: cy, dy: '0.32em', fill: CHART_COLORS.muted }, signed(r.mean)) +
        `</g>`
      );
    })
    .join('');
  const key = o.legend ? legend(o.legend.items, width + margin.right, o.legend.title) : null;
  const legendTop = height + 52;
  const body =
    `<g transform="translate(${px(margin.left)},${margin.top})">` +
    bottomAxis(x, height, ticks, tickFormat, o.axisTitle) +
    el('line', { class: 'zero', x1: x(0), x2: x(0), y1: 0, y2: height, stroke: CHART_COLORS.ink, 'stroke-dasharray': '3 3' }) +
    marks +
    `</g>` +
    (key ? `<g transform="translate(${px(margin.left)},${px(margin.top + legendTop)})">${key.svg}</g>` : '');
  return svgDocument({
    width: margin.left + width + margin.right,
    height: margin.top + (key ? legendTop + key.height : height + 44),
    label: o.label,
    description: rows.map(say).join('; '),
    body,
  });
}

const dot = (color: string, r = 5): string => el('circle', { r, fill: color });

/** Mean gain per skill (measure minus baseline) with its 95% bootstrap interval, largest first; skills with too few answers are left out. */
export function skillGainsChart(m: CycleMetrics): string | null {
  const rows: IntervalRow[] = m.skillGains.flatMap((g) =>
    g.gain.suppressed
      ? []
      : [
          {
            label: g.name,
            mean: g.gain.mean,
            ci: g.gain.ci95 ? { low: g.gain.ci95.low, high: g.gain.ci95.high } : null,
            n: g.gain.n,
            color: g.digital ? CHART_COLORS.digital : CHART_COLORS.other,
          },
        ],
  );
  if (rows.length === 0) return null;
  rows.sort((a, b) => b.mean - a.mean);
  const { width, step, labelLimit } = CHART_LAYOUT.skillGains;
  return intervalChart({
    rows,
    width,
    step,
    labelLimit,
    radius: Math.sqrt(70 / Math.PI),
    axisTitle: 'gain (points on the 1-5 scale)',
    label: 'Mean skill gain per skill (measure minus baseline) with 95% bootstrap intervals',
    legend: {
      title: 'skill',
      items: [
        { label: 'digital', swatch: dot(CHART_COLORS.digital) },
        { label: 'other', swatch: dot(CHART_COLORS.other) },
      ],
    },
  });
}

/** Mean gain per learner by direction of teaching, with 95% bootstrap intervals; a suppressed direction is left out. */
export function directionChart(m: CycleMetrics): string | null {
  const rows: IntervalRow[] = (Object.keys(DIRECTION_LABELS) as Direction[]).flatMap((d) => {
    const s = m.gainsByDirection[d];
    return s.suppressed
      ? []
      : [
          {
            label: DIRECTION_LABELS[d].replace(/ \(.*\)$/, ''),
            mean: s.mean,
            ci: s.ci95 ? { low: s.ci95.low, high: s.ci95.high } : null,
            n: s.n,
            color: CHART_COLORS.direction,
          },
        ];
  });
  if (rows.length === 0) return null;
  const { width, step, labelLimit } = CHART_LAYOUT.direction;
  return intervalChart({
    rows,
    width,
    step,
    labelLimit,
    radius: Math.sqrt(90 / Math.PI),
    axisTitle: 'mean gain per learner',
    label: 'Mean gain per learner by direction of teaching, with 95% bootstrap intervals',
  });
}

// ---- satisfaction ---------------------------------------------------------------------------------

/** Feedback answers by recommendation group: one bar split into detractors, passives and promoters (shares of all answers). */
export function satisfactionChart(m: CycleMetrics): string | null {
  const s = m.satisfaction;
  if (s.suppressed || s.n === 0) return null;
  const groups = [
    { group: 'detractors (0-6)', count: s.detractors, color: CHART_COLORS.detractors },
    { group: 'passives (7-8)', count: s.passives, color: CHART_COLORS.passives },
    { group: 'promoters (9-10)', count: s.promoters, color: CHART_COLORS.promoters },
  ];
  const total = groups.reduce((sum, g) => sum + g.count, 0);
  if (total === 0) return null;
  const { width, height } = CHART_LAYOUT.satisfaction;
  const margin = { top: 8, right: 16, left: 16 };
  const x = scaleLinear().domain([0, 1]).range([0, width]);
  const say = (g: (typeof groups)[number]) => `${g.group}: ${g.count} (${percent(g.count / total)})`;

  let start = 0;
  const segments = groups
    .map((g) => {
      const share = g.count / total;
      const x0 = x(start);
      const w = x(start + share) - x0;
      start += share;
      if (g.count === 0) return '';
      const label = `${percent(share)} (${g.count})`;
      return (
        `<g class="segment">${tip(say(g))}` +
        el('rect', { class: 'bar', x: x0, y: 0, width: w, height, fill: g.color, stroke: 'white', 'stroke-width': 1 }) +
        (textWidth(label) + 8 <= w
          ? text({ class: 'value', x: x0 + w / 2, y: height / 2, dy: '0.32em', 'text-anchor': 'middle', fill: 'white', 'font-weight': 600 }, label)
          : '') +
        `</g>`
      );
    })
    .join('');
  const key = legend(
    groups.map((g) => ({ label: `${g.group}: ${g.count}`, swatch: el('rect', { x: -6, y: -6, width: 12, height: 12, fill: g.color }) })),
    width,
    null,
  );
  const legendTop = height + 34;
  const body =
    `<g transform="translate(${margin.left},${margin.top})">` +
    bottomAxis(x, height, x.ticks(tickCount(width, 52)), percent, null) +
    segments +
    `</g>` +
    `<g transform="translate(${margin.left},${margin.top + legendTop})">${key.svg}</g>`;
  return svgDocument({
    width: margin.left + width + margin.right,
    height: margin.top + legendTop + key.height,
    label: 'Feedback answers by recommendation group',
    description: `${groups.map(say).join('; ')}; ${total} answers`,
    body,
  });
}

// ---- comparison across cycles -------------------------------------------------------------------------

const SERIES: Array<[string, (c: CycleSummary) => number | null]> = [
  ['pairs across departments', (c) => c.crossDepartmentShare],
  ['pairs across generations', (c) => c.crossGenerationShare],
  ['check-ins where pairs met', (c) => c.checkInAdherence],
  ['measure answered', (c) => c.responseRate.measure],
  ['both members gained', (c) => c.bothWaysShare],
];

/** A marker of one of five shapes around (0, 0), so that the lines differ by more than colour. */
function marker(shape: number, color: string): string {
  const r = 4;
  const path = [
    `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`,
    `M${-r},${-r}h${2 * r}v${2 * r}h${-2 * r}z`,
    `M0,${-r - 1}L${r + 1},${r}H${-r - 1}z`,
    `M0,${-r - 1}L${r + 1},0L0,${r + 1}L${-r - 1},0z`,
    `M0,${r + 1}L${r + 1},${-r}H${-r - 1}z`,
  ][shape % 5] as string;
  return el('path', { d: path, fill: color, stroke: 'white', 'stroke-width': 1 });
}

/** Headline figures of this and earlier cycles, as shares, one line each (a figure not recorded in a cycle is skipped). */
export function comparisonChart(cycles: CycleSummary[]): string | null {
  if (cycles.length < 2) return null;
  const points = cycles.flatMap((c, i) =>
    SERIES.flatMap(([figure, get], s) => {
      const value = get(c);
      return value === null ? [] : [{ cycleIndex: i, cycle: `${i + 1}. ${c.cycleId}`, figure, series: s, value }];
    }),
  );
  if (points.length === 0) return null;
  const { width, height, labelLimit } = CHART_LAYOUT.comparison;
  const margin = { top: 10, right: 16, left: 48 };
  const shown = [...new Set(points.map((p) => p.cycleIndex))].sort((a, b) => a - b);
  const x = scalePoint<number>().domain(shown).range([0, width]).padding(0.5);
  const y = scaleLinear().domain([0, 1]).range([height, 0]);
  const labelWidth = Math.min(labelLimit, x.step());

  const series = SERIES.flatMap(([figure], s) => {
    const mine = points.filter((p) => p.series === s);
    return mine.length ? [{ figure, s, color: CHART_COLORS.series[s] as string, points: mine }] : [];
  });
  const lines = series
    .map(({ figure, s, color, points: mine }) => {
      const xy = mine.map((p) => [x(p.cycleIndex) ?? 0, y(Math.max(0, Math.min(1, p.value)))] as const);
      const d = xy.map(([px0, py0], i) => `${i ? 'L' : 'M'}${px(px0)},${px(py0)}`).join('');
      return (
        `<g class="series">${tip(figure)}` +
        (xy.length > 1 ? el('path', { class: 'line', d, fill: 'none', stroke: color, 'stroke-width': 2 }) : '') +
        mine
          .map(
            (p, i) =>
              `<g class="point" transform="translate(${px(xy[i]?.[0] ?? 0)},${px(xy[i]?.[1] ?? 0)})">${tip(`${p.cycle}, ${figure}: ${percent(p.value)}`)}${marker(s, color)}</g>`,
          )
          .join('') +
        `</g>`
      );
    })
    .join('');
  const cycleLabels = shown
    .map((i) =>
      text(
        { class: 'label', x: x(i) ?? 0, y: height + 8, dy: '0.71em', 'text-anchor': 'middle', fill: CHART_COLORS.muted },
        fit(`${i + 1}. ${cycles[i]?.cycleId ?? ''}`, labelWidth),
      ),
    )
    .join('');
  const key = legend(
    series.map(({ figure, s, color }) => ({
      label: figure,
      swatch: el('line', { x1: -6, x2: 6, y1: 0, y2: 0, stroke: color, 'stroke-width': 2 }) + marker(s, color),
    })),
    width + margin.right,
    null,
  );
  const legendTop = height + 36;
  const body =
    `<g transform="translate(${margin.left},${margin.top})">` +
    leftAxis(y, width, y.ticks(tickCount(height, 40)), percent) +
    el('line', { class: 'domain', x1: 0, x2: width, y1: height, y2: height, stroke: CHART_COLORS.axis }) +
    cycleLabels +
    lines +
    `</g>` +
    `<g transform="translate(${margin.left},${margin.top + legendTop})">${key.svg}</g>`;
  return svgDocument({
    width: margin.left + width + margin.right,
    height: margin.top + legendTop + key.height,
    label: 'Headline shares of this and earlier cycles',
    description: series.map(({ figure, points: mine }) => `${figure}: ${mine.map((p) => `${p.cycle} ${percent(p.value)}`).join(', ')}`).join('; '),
    body,
  });
}

// ---- all five -------------------------------------------------------------------------------------------

export interface ReportCharts {
  participation: string | null;
  skillGains: string | null;
  direction: string | null;
  satisfaction: string | null;
  comparison: string | null;
}

/** The report's five charts, each null when it has nothing to show. */
export function reportCharts(m: CycleMetrics, history: CycleSummary[] = []): ReportCharts {
  return {
    participation: participationChart(m),
    skillGains: skillGainsChart(m),
    direction: directionChart(m),
    satisfaction: satisfactionChart(m),
    comparison: comparisonChart(history),
  };
}
