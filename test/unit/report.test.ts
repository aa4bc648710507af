import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Member, Pair } from '../../domain/cycle.ts';
import { computeCycleMetrics, summarizeCycle, type MetricsInput } from '../../domain/metrics.ts';
import type { Skill } from '../../domain/program.ts';
import { describeSummary, renderReport, SUPPRESSED } from '../../domain/report.ts';
import type { Proposal } from '../../domain/report-proposals.ts';
import { cohortIds, consecutivePairs, memberOf, storedAnswer } from '../support/cohort-fixtures.ts';

const catalog: Skill[] = [
  { id: 'ai', labels: { 'pt-BR': 'AI <assistants>', en: 'AI <assistants>' }, aliases: [], digital: true },
  { id: 'negotiation', labels: { 'pt-BR': 'Negotiation', en: 'Negotiation' }, aliases: [], digital: false },
];

/** Twelve people in six pairs: mentors teach "ai", mentees teach "negotiation"; everyone gains 1 or 2 points. */
export function cohortOfTwelve(): MetricsInput {
  const ids = cohortIds(12);
  const members: Member[] = ids.map((id, i) => memberOf(id, { name: `Person${i + 1} Surname${i + 1}`, department: i % 2 ? 'Sales' : 'IT' }));
  const pairs: Pair[] = consecutivePairs(ids);
  const r = storedAnswer;
  return {
    members,
    pairs,
    catalog,
    responses: {
      goalSetting: ids.map((id) => r('goal-setting', id, { goals: ['g'], baseline: { ai: 2, negotiation: 2 } })),
      checkIns: ids.map((id) => r('run#1', id, { status: 'met' as const, note: '' })),
      measure: ids.map((id, i) => r('measure', id, { ratings: { ai: 3 + (i % 2), negotiation: 3 }, goalAttainment: [50 + i] })),
      feedback: ids.map((id, i) =>
        r('feedback', id, {
          worked: 'Talking with Person1 every week',
          keep: '',
          more: '',
          explore: '<script>alert(1)</script>',
          improve: '',
          missingSkills: ['Machine learning'],
          satisfaction: 6 + (i % 5),
        }),
      ),
    },
  };
}

describe('renderReport', () => {
  const input = cohortOfTwelve();
  const metrics = computeCycleMetrics(input);
  const proposals: Proposal[] = [
    {
      id: 'recruit-mentors:machine-learning',
      kind: 'recruit-mentors',
      title: 'Add "machine learning" to the skills catalog',
      change: {
        op: 'add',
        path: '/skillsCatalog',
        value: { id: 'machine-learning', labels: { 'pt-BR': 'Machine Learning', en: 'Machine Learning' }, aliases: [], digital: false },
      },
      reason: '12 feedback answers name it',
      evidence: { figure: 'themes.unofferedSkills["machine learning"].mentions', value: 12 },
    },
  ];
  const earlier = { ...summarizeCycle('c0', Date.UTC(2026, 0, 1), metrics), crossDepartmentShare: 0.5 };

  it('is one self-contained page with SVG charts, the figures, the proposals and print styles', async () => {
    const html = renderReport({
      programName: 'Tandem & Co',
      cycleId: 'c1',
      startedAt: Date.UTC(2026, 5, 1),
      generatedAt: Date.UTC(2026, 8, 1),
      metrics,
      proposals,
      history: [earlier, summarizeCycle('c1', Date.UTC(2026, 5, 1), metrics)],
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Tandem &amp; Co');
    // Participation, skill gains, direction, satisfaction and comparison charts.
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).not.toMatch(/<script|<link|src="http/);
    // A Content-Security-Policy that allows exactly the page's one stylesheet, by its hash, and no script.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(html).toContain('@media print');
    expect(html).toContain('Skill gains');
    // Every pair crosses IT/Sales.
    expect(html).toContain('6 of 6 pairs (100%)');
    // ai: mentees p02, p04, …, p12 (odd index → 4) gain +2, mentors (even → 3) gain +1 → per skill over 12: mean 1.5.
    expect(html).toContain('+1.50');
    expect(html).toContain('Add &quot;machine learning&quot; to the skills catalog');
    expect(html).toContain('themes.unofferedSkills[&quot;machine learning&quot;].mentions');
    expect(html).toContain('2000 resamples');
  });

  it('escapes every text, names in free text included', async () => {
    const html = renderReport({ programName: '<b>x</b>', cycleId: 'c1', startedAt: 0, generatedAt: 0, metrics });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Talking with [name] every week');
    expect(html).not.toContain('Person1 ');
    // The catalog's name with angle brackets is escaped in the table and in the SVG.
    expect(html).not.toContain('AI <assistants>');
    expect(html).toContain('AI &lt;assistants&gt;');
  });

  it('shows "fewer than 5 answers" in place of small groups’ figures and leaves them out of the charts', async () => {
    const small = computeCycleMetrics({ ...input, responses: { ...input.responses, measure: input.responses.measure.slice(0, 4) } });
    const html = renderReport({ programName: 'P', cycleId: 'c1', startedAt: 0, generatedAt: 0, metrics: small });
    expect(html).toContain(SUPPRESSED);
    // No skill-gain or direction chart, since no group reaches five; participation and satisfaction remain.
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('first reviewed cycle');
  });

  it('describes a summary with its interval', () => {
    expect(describeSummary({ n: 3, suppressed: true })).toBe(SUPPRESSED);
    expect(
      describeSummary({
        n: 6,
        suppressed: false,
        mean: 1.5,
        median: 1,
        ci95: { low: 1, high: 2, level: 0.95, resamples: 2000, seed: 1, method: 'percentile bootstrap of the mean' },
      }),
    ).toBe('+1.50 (median +1.00, 95% CI +1.00 to +2.00, n = 6)');
  });
});
