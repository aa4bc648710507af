import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CycleMetrics, CycleSummary } from '../../domain/metrics.ts';
import {
  CHART_COLORS,
  CHART_LAYOUT,
  comparisonChart,
  directionChart,
  participationChart,
  reportCharts,
  satisfactionChart,
  skillGainsChart,
} from '../../domain/report-svg-charts.ts';
import type { Summary } from '../../domain/statistics.ts';

// ---- a small cycle, built by hand -------------------------------------------------------------------

const summary = (mean: number, n: number, ci: [number, number] | null): Summary => ({
  n,
  suppressed: false,
  mean,
  median: mean,
  ci95: ci ? { low: ci[0], high: ci[1], level: 0.95, resamples: 2000, seed: 1, method: 'percentile bootstrap of the mean' } : null,
});
const suppressed = (n: number): Summary => ({ n, suppressed: true });

function metrics(overrides: Partial<CycleMetrics> = {}): CycleMetrics {
  const none = suppressed(0);
  return {
    members: 10,
    pairs: 5,
    crossDepartmentPairs: 4,
    responseRate: { goalSetting: 1, measure: 0.5, feedback: 0.6 },
    participation: [
      { key: 'goal-setting', label: 'Goal-setting', expected: 10, answered: 10, rate: 1 },
      { key: 'run#1', label: 'Check-in 1', expected: 10, answered: 8, rate: 0.8 },
      { key: 'measure', label: 'Measure', expected: 10, answered: 5, rate: 0.5 },
      { key: 'feedback', label: 'Feedback', expected: 0, answered: 0, rate: null },
    ],
    pairStatus: { formed: 5, declined: null, declineReasons: [], rematched: null, atRisk: 0, atRiskPairs: [], atRiskSource: 'check-ins' },
    checkIns: { rounds: 1, answers: 8, expected: 10, answerRate: 0.8, met: 6, needHelp: 0, adherence: 0.75 },
    skillGains: [
      {
        skill: 'negotiation',
        name: 'Negotiation',
        digital: false,
        answeredBoth: 6,
        gain: summary(0.5, 6, [-0.25, 1.25]),
        byDirection: { juniorTaughtSenior: none, seniorTaughtJunior: none },
      },
      {
        skill: 'ai',
        name: 'AI <assistants>',
        digital: true,
        answeredBoth: 6,
        gain: summary(1.5, 6, [1, 2]),
        byDirection: { juniorTaughtSenior: none, seniorTaughtJunior: none },
      },
      {
        skill: 'coding',
        name: 'Coding',
        digital: true,
        answeredBoth: 3,
        gain: suppressed(3),
        byDirection: { juniorTaughtSenior: none, seniorTaughtJunior: none },
      },
      {
        skill: 'excel',
        name: 'Spreadsheets',
        digital: true,
        answeredBoth: 5,
        gain: summary(-0.2, 5, null),
        byDirection: { juniorTaughtSenior: none, seniorTaughtJunior: none },
      },
    ],
    gainsByDirection: { juniorTaughtSenior: summary(1.2, 6, [0.8, 1.6]), seniorTaughtJunior: suppressed(2) },
    benefits: {
      acrossGenerations: { pairsWithKnownGenerations: 5, crossGenerationPairs: 3, share: 0.6, meanGapYears: 12 },
      knowledgeExchange: { pairsBothAnswered: 5, pairsBothGained: 2, share: 0.4, suppressed: false },
      diversity: { crossDepartmentPairs: 4, share: 0.8, departmentLinks: [], newDepartmentLinks: [], comparedWithEarlierCycles: false, byDepartment: [] },
      digital: { skills: ['ai', 'coding', 'excel'], gain: summary(1, 6, [0.5, 1.5]) },
    },
    goalAttainment: { goals: 10, meanPercent: 60, perPerson: summary(60, 6, null) },
    satisfaction: { n: 10, promoters: 5, passives: 3, detractors: 2, score: 30, suppressed: false },
    netPromoterScore: 30,
    missingSkills: [],
    themes: { suggestions: null, unofferedSkills: [], explore: [], worked: [], keep: [], more: [], improve: [] },
    method: { minGroupSize: 5, resamples: 2000, seed: 1 },
    ...overrides,
  };
}

function cycle(cycleId: string, figures: Partial<CycleSummary> = {}): CycleSummary {
  return {
    cycleId,
    startedAt: 0,
    members: 10,
    pairs: 5,
    responseRate: { goalSetting: 1, measure: 0.5, feedback: 0.6 },
    crossDepartmentShare: 0.8,
    crossGenerationShare: 0.6,
    juniorTaughtSeniorMeanGain: null,
    seniorTaughtJuniorMeanGain: null,
    digitalMeanGain: null,
    bothWaysShare: null,
    goalAttainmentMeanPercent: null,
    checkInAdherence: 0.75,
    netPromoterScore: null,
    atRiskPairs: 0,
    departmentLinks: [],
    ...figures,
  };
}

// ---- reading the SVG back ----------------------------------------------------------------------------

/** Attributes of every `<tag …>` whose class is `cls` (the charts write attributes double-quoted). */
function elements(svg: string, tag: string, cls: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${tag}\\s([^>]*?)/?>`, 'g'))]
    .map((m) => Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1] as string, a[2] as string])))
    .filter((a) => (a.class ?? '').split(' ').includes(cls));
}
const num = (a: Record<string, string> | undefined, key: string): number => Number(a?.[key]);
/** The texts of `<text class="cls">` elements, in document order (entities left as written). */
const texts = (svg: string, cls: string): string[] => [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1] as string);

/** Well-formed XML, one accessible `<svg role="img">` root with an aria-label and a `<title>` first, and nothing that runs or loads. */
function expectAccessibleSvg(svg: string | null, label: string): void {
  expect(svg).not.toBeNull();
  const s = svg as string;
  expect(XMLValidator.validate(s)).toBe(true);
  expect(s).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
  expect(s).toContain(` aria-label="${label}"`);
  expect(s).toMatch(new RegExp(`^<svg [^>]*><title>${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</title><desc>[^<]+</desc>`));
  expect(s.endsWith('</svg>')).toBe(true);
  expect(s).not.toMatch(/<script|<foreignObject|href=|url\(|@import|@font-face/i);
}

const luminance = (hex: string): number => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrastWithWhite = (hex: string): number => 1.05 / (luminance(hex) + 0.05);

// ---- the charts -------------------------------------------------------------------------------------------

describe('participationChart', () => {
  const svg = participationChart(metrics()) as string;

  it('is well-formed XML with role="img", an aria-label and a title, and nothing that runs or loads', () => {
    expectAccessibleSvg(svg, 'Share of members who answered each phase');
  });

  it('draws one bar per phase with a recorded rate, in phase order, leaving out phases without one', () => {
    expect(texts(svg, 'label')).toEqual(['Goal-setting', 'Check-in 1', 'Measure']);
    expect(svg).not.toContain('Feedback');
    expect(elements(svg, 'rect', 'bar')).toHaveLength(3);
  });

  it('makes each bar as tall as its rate on the 0–100% scale, standing on the same baseline', () => {
    const { height } = CHART_LAYOUT.participation;
    const bars = elements(svg, 'rect', 'bar');
    expect(bars.map((b) => num(b, 'height'))).toEqual([1 * height, 0.8 * height, 0.5 * height]);
    for (const b of bars) expect(num(b, 'y') + num(b, 'height')).toBe(height);
    // Equal widths, in order from left to right.
    expect(new Set(bars.map((b) => b.width)).size).toBe(1);
    expect(bars.map((b) => num(b, 'x'))).toEqual([...bars.map((b) => num(b, 'x'))].sort((a, b) => a - b));
  });

  it('labels every bar with its rate and has a percent axis from 0% to 100% titled "answered"', () => {
    expect(texts(svg, 'value')).toEqual(['100%', '80%', '50%']);
    expect(texts(svg, 'tick')).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
    expect(texts(svg, 'axis-title')).toEqual(['answered']);
    // Grid lines sit on the ticks: the 100% line is the top of a full bar.
    const grid = elements(svg, 'line', 'grid');
    expect(grid.map((g) => num(g, 'y1'))).toEqual([180, 144, 108, 72, 36, 0]);
  });

  it('gives each bar a title and the chart a description with the counts', () => {
    expect(svg).toContain('<title>Check-in 1: 80% (8 of 10 answered)</title>');
    expect(svg).toMatch(/<desc>Goal-setting: 100% \(10 of 10 answered\); Check-in 1: 80% \(8 of 10 answered\); Measure: 50% \(5 of 10 answered\)<\/desc>/);
  });

  it('is null when no phase has a rate', () => {
    expect(participationChart(metrics({ participation: [{ key: 'measure', label: 'Measure', expected: 0, answered: 0, rate: null }] }))).toBeNull();
    expect(participationChart(metrics({ participation: [] }))).toBeNull();
  });
});

describe('skillGainsChart', () => {
  const svg = skillGainsChart(metrics()) as string;

  it('is well-formed XML with role="img", an aria-label and a title, and nothing that runs or loads', () => {
    expectAccessibleSvg(svg, 'Mean skill gain per skill (measure minus baseline) with 95% bootstrap intervals');
  });

  it('shows one row per skill with enough answers, largest mean gain first, and leaves suppressed skills out', () => {
    expect(texts(svg, 'label')).toEqual(['AI &lt;assistants&gt;', 'Negotiation', 'Spreadsheets']);
    expect(svg).not.toContain('Coding');
    expect(texts(svg, 'value')).toEqual(['+1.50', '+0.50', '−0.20']);
  });

  it('draws each 95% interval as a whisker with end caps, on the same linear scale as the means and the zero line', () => {
    const ci = elements(svg, 'line', 'ci');
    const caps = elements(svg, 'line', 'ci-cap');
    const means = elements(svg, 'circle', 'mean');
    const [zero] = elements(svg, 'line', 'zero');
    // AI [1, 2] and Negotiation [−0.25, 1.25]; Spreadsheets has no interval, so no whisker.
    expect(ci).toHaveLength(2);
    expect(caps).toHaveLength(4);
    const [ai, negotiation] = ci;
    const unit = (num(ai, 'x2') - num(ai, 'x1')) / (2 - 1);
    expect(unit).toBeGreaterThan(0);
    expect(num(negotiation, 'x2') - num(negotiation, 'x1')).toBeCloseTo(1.5 * unit, 1);
    // Means and zero on the same scale: x(v) = x(0) + v × unit.
    const x0 = num(zero, 'x1');
    expect(num(ai, 'x1')).toBeCloseTo(x0 + 1 * unit, 1);
    expect(num(negotiation, 'x1')).toBeCloseTo(x0 - 0.25 * unit, 1);
    expect(means.map((m) => num(m, 'cx'))).toEqual([1.5, 0.5, -0.2].map((v) => expect.closeTo(x0 + v * unit, 1)));
    // Whiskers on their row: caps at both ends, centred on the dot.
    expect(caps.map((c) => num(c, 'x1'))).toEqual([num(ai, 'x1'), num(ai, 'x2'), num(negotiation, 'x1'), num(negotiation, 'x2')]);
    expect(num(ai, 'y1')).toBe(num(means[0], 'cy'));
    expect(zero?.['stroke-dasharray']).toBe('3 3');
  });

  it('rows are 22 px apart and the axis is titled in points on the 1-5 scale', () => {
    const ys = elements(svg, 'circle', 'mean').map((m) => num(m, 'cy'));
    expect(ys).toEqual([11, 33, 55]);
    expect(texts(svg, 'axis-title')).toEqual(['gain (points on the 1-5 scale)']);
    expect(texts(svg, 'tick')).toContain('0.0');
  });

  it('colours digital and other skills differently and says which is which in a legend', () => {
    expect(elements(svg, 'circle', 'mean').map((m) => m.fill)).toEqual([CHART_COLORS.digital, CHART_COLORS.other, CHART_COLORS.digital]);
    expect(svg).toMatch(/<g class="legend"><text[^>]*>skill<\/text>.*>digital<\/text>.*>other<\/text>/);
  });

  it('describes every row with its interval and group size', () => {
    expect(svg).toContain('<title>AI &lt;assistants&gt;: +1.50, 95% CI +1.00 to +2.00, n = 6</title>');
    expect(svg).toContain('Spreadsheets: −0.20, n = 5');
  });

  it('is null when every skill is suppressed or there are no skills', () => {
    const m = metrics();
    expect(skillGainsChart({ ...m, skillGains: m.skillGains.map((g) => ({ ...g, gain: suppressed(4) })) })).toBeNull();
    expect(skillGainsChart({ ...m, skillGains: [] })).toBeNull();
  });
});

describe('directionChart', () => {
  const svg = directionChart(metrics()) as string;

  it('is well-formed XML with role="img", an aria-label and a title, and nothing that runs or loads', () => {
    expectAccessibleSvg(svg, 'Mean gain per learner by direction of teaching, with 95% bootstrap intervals');
  });

  it('shows the directions with enough learners, without the parenthesis of their labels, with whiskers', () => {
    expect(texts(svg, 'label')).toEqual(['junior taught senior']);
    expect(svg).not.toContain('senior taught junior');
    expect(svg).not.toContain('mentor →');
    expect(elements(svg, 'line', 'ci')).toHaveLength(1);
    expect(elements(svg, 'circle', 'mean').map((m) => [num(m, 'cy'), m.fill])).toEqual([[15, CHART_COLORS.direction]]);
    expect(texts(svg, 'value')).toEqual(['+1.20']);
    expect(texts(svg, 'axis-title')).toEqual(['mean gain per learner']);
    expect(svg).toContain('95% CI +0.80 to +1.60, n = 6');
  });

  it('is null when both directions are suppressed', () => {
    expect(directionChart(metrics({ gainsByDirection: { juniorTaughtSenior: suppressed(4), seniorTaughtJunior: suppressed(1) } }))).toBeNull();
  });
});

describe('satisfactionChart', () => {
  const svg = satisfactionChart(metrics()) as string;

  it('is well-formed XML with role="img", an aria-label and a title, and nothing that runs or loads', () => {
    expectAccessibleSvg(svg, 'Feedback answers by recommendation group');
  });

  it('splits one bar into detractors, passives and promoters, each as wide as its share', () => {
    const { width } = CHART_LAYOUT.satisfaction;
    const segments = elements(svg, 'rect', 'bar');
    expect(segments.map((s) => num(s, 'width'))).toEqual([0.2 * width, 0.3 * width, 0.5 * width]);
    expect(segments.map((s) => num(s, 'x'))).toEqual([0, 0.2 * width, 0.5 * width]);
    expect(segments.map((s) => s.fill)).toEqual([CHART_COLORS.detractors, CHART_COLORS.passives, CHART_COLORS.promoters]);
    expect(texts(svg, 'value')).toEqual(['20% (2)', '30% (3)', '50% (5)']);
    expect(texts(svg, 'tick')).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%']);
  });

  it('names the groups with their counts in a legend', () => {
    expect(svg).toMatch(/detractors \(0-6\): 2<\/text>.*passives \(7-8\): 3<\/text>.*promoters \(9-10\): 5<\/text>/);
    expect(svg).toContain('<desc>detractors (0-6): 2 (20%); passives (7-8): 3 (30%); promoters (9-10): 5 (50%); 10 answers</desc>');
  });

  it('draws no segment for an empty group', () => {
    const s = satisfactionChart(metrics({ satisfaction: { n: 4, promoters: 4, passives: 0, detractors: 0, score: 100, suppressed: false } })) as string;
    expect(elements(s, 'rect', 'bar').map((b) => [num(b, 'x'), num(b, 'width')])).toEqual([[0, CHART_LAYOUT.satisfaction.width]]);
  });

  it('is null when suppressed or when nobody answered', () => {
    expect(satisfactionChart(metrics({ satisfaction: { n: 3, promoters: 1, passives: 1, detractors: 1, score: 0, suppressed: true } }))).toBeNull();
    expect(satisfactionChart(metrics({ satisfaction: { n: 0, promoters: 0, passives: 0, detractors: 0, score: null, suppressed: false } }))).toBeNull();
  });
});

describe('comparisonChart', () => {
  const cycles = [cycle('c0', { crossDepartmentShare: 0.5, checkInAdherence: null }), cycle('c1'), cycle('c2', { crossDepartmentShare: 1 })];
  const svg = comparisonChart(cycles) as string;

  it('is well-formed XML with role="img", an aria-label and a title, and nothing that runs or loads', () => {
    expectAccessibleSvg(svg, 'Headline shares of this and earlier cycles');
  });

  it('draws one line per recorded figure across the cycles, numbered in order, with a legend', () => {
    expect(texts(svg, 'label')).toEqual(['1. c0', '2. c1', '3. c2']);
    // bothWaysShare is null in every cycle: no line and no legend entry.
    expect(elements(svg, 'path', 'line')).toHaveLength(4);
    expect(svg).toMatch(
      />pairs across departments<\/text>.*>pairs across generations<\/text>.*>check-ins where pairs met<\/text>.*>measure answered<\/text><\/g><\/g>/,
    );
    expect(svg).not.toContain('both members gained');
  });

  it('places each point at its share on a 0–100% axis and skips figures a cycle did not record', () => {
    const { height } = CHART_LAYOUT.comparison;
    const departments = elements(svg, 'path', 'line')[0]?.d ?? '';
    const ys = [...departments.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys).toEqual([0.5, 0.8, 1].map((v) => expect.closeTo((1 - v) * height, 2)));
    // Check-ins: only c1 and c2 recorded them.
    const checkIns = elements(svg, 'path', 'line')[2]?.d ?? '';
    expect(checkIns.match(/[ML]/g)).toHaveLength(2);
    expect(svg).toContain('<title>1. c0, pairs across departments: 50%</title>');
    expect(texts(svg, 'tick')).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
  });

  it('is null for fewer than two cycles or when no figure was recorded', () => {
    expect(comparisonChart([cycle('c0')])).toBeNull();
    expect(comparisonChart([])).toBeNull();
    const blank = {
      crossDepartmentShare: null,
      crossGenerationShare: null,
      checkInAdherence: null,
      responseRate: { goalSetting: null, measure: null, feedback: null },
    };
    expect(comparisonChart([cycle('a', blank), cycle('b', blank)])).toBeNull();
  });
});

describe('every chart', () => {
  it('escapes hostile labels in marks, titles and descriptions, and stays well-formed', () => {
    const hostile = '<script>alert("x")</script> & \'co\'';
    const m = metrics({
      participation: [{ key: 'x', label: hostile, expected: 2, answered: 1, rate: 0.5 }],
      skillGains: [
        {
          skill: 'x',
          name: hostile,
          digital: false,
          answeredBoth: 6,
          gain: summary(1, 6, [0, 2]),
          byDirection: { juniorTaughtSenior: suppressed(0), seniorTaughtJunior: suppressed(0) },
        },
      ],
    });
    const charts = [participationChart(m), skillGainsChart(m), comparisonChart([cycle(hostile), cycle('c1')])];
    for (const svg of charts) {
      expect(XMLValidator.validate(svg as string)).toBe(true);
      expect(svg).not.toMatch(/<script|alert\("x"\)|& '/);
      expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)');
    }
    expect(skillGainsChart(m)).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;: +1.00');
  });

  it('shortens a label too long for its place with an ellipsis and keeps the full text in the title', () => {
    const long = 'Influencing without authority across a matrix organisation and its many committees';
    const m = metrics({
      skillGains: [
        {
          skill: 'x',
          name: long,
          digital: false,
          answeredBoth: 6,
          gain: summary(1, 6, [0, 2]),
          byDirection: { juniorTaughtSenior: suppressed(0), seniorTaughtJunior: suppressed(0) },
        },
      ],
    });
    const svg = skillGainsChart(m) as string;
    const [label] = texts(svg, 'label');
    expect(label?.endsWith('…')).toBe(true);
    expect(long.startsWith((label ?? '').slice(0, -1))).toBe(true);
    expect(svg).toContain(`<title>${long}: +1.00`);
  });

  it('uses colours that stand out from the white background: 3:1 for marks, 4.5:1 for text', () => {
    const marks = [
      CHART_COLORS.bar,
      CHART_COLORS.whisker,
      CHART_COLORS.digital,
      CHART_COLORS.other,
      CHART_COLORS.direction,
      CHART_COLORS.detractors,
      CHART_COLORS.passives,
      CHART_COLORS.promoters,
      ...CHART_COLORS.series,
    ];
    for (const c of marks) expect(contrastWithWhite(c), c).toBeGreaterThanOrEqual(3);
    // Text: ink and muted on white, and white labels on the satisfaction segments.
    for (const c of [CHART_COLORS.ink, CHART_COLORS.muted, CHART_COLORS.detractors, CHART_COLORS.passives, CHART_COLORS.promoters])
      expect(contrastWithWhite(c), c).toBeGreaterThanOrEqual(4.5);
  });

  it('renders all five for a report at once, synchronously, each null when it has nothing to show', () => {
    const charts = reportCharts(metrics(), [cycle('c0'), cycle('c1')]);
    expect(Object.entries(charts).map(([k, v]) => [k, typeof v])).toEqual([
      ['participation', 'string'],
      ['skillGains', 'string'],
      ['direction', 'string'],
      ['satisfaction', 'string'],
      ['comparison', 'string'],
    ]);
    expect(reportCharts(metrics()).comparison).toBeNull();
  });
});
