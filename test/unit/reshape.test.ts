import { describe, expect, it } from 'vitest';
import type { Member, Pair } from '../../domain/cycle.ts';
import { computeCycleMetrics, type MetricsInput } from '../../domain/metrics.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import { applyProposals, proposeChanges, secondsToDuration, slugSkillId } from '../../domain/report-proposals.ts';
import type { CheckInAnswer } from '../../domain/surveys.ts';
import { formatDiff } from '../../services/reshape.ts';
import { cohortIds, consecutivePairs, memberOf, storedAnswer } from '../support/cohort-fixtures.ts';

/**
 * A fixed cycle of twelve people in six pairs (mentor first), every figure below computed by hand:
 *
 *   pair        departments        learners' gains (mentee on ai, mentor on negotiation)   check-ins r1 / r2          satisfaction
 *   p01~p02     IT → Sales         +2, +2                                                  met, met / met, met        10, 10
 *   p03~p04     IT → Sales         +2, +2                                                  met, met / met, met        10, 10
 *   p05~p06     IT → Sales         +2, +2                                                  met, met / met, met         8, 10
 *   p07~p08     HR → Finance        0,  0                                                  need-help, met / met, met   5,  6
 *   p09~p10     HR → Finance        0,  0                                                  — / —                       7,  —
 *   p11~p12     HR → Finance        0,  0                                                  met, met / met, met         —,  —
 *
 * Learners' mean gain: (6 × 2 + 6 × 0) / 12 = 1. IT ↔ Sales learners: 2 (+1 over all, ≥ 0.5 → favour);
 * Finance ↔ HR learners: 0 (−1, favoured today → drop). Both directions: mean 1 → no weight change.
 * Feedback answered by 9 of 12 = 75% < 80% → a longer feedback window (P14D × 1.5 = P21D).
 * Check-ins: 20 of 24 answered (83%), 19 of 20 "met" (95%) → cadence unchanged.
 * At risk: p07~p08 (help asked), p09~p10 (two rounds missed), both without gains → do not pair.
 * Continue: p01~p02 and p03~p04 (both gained ≥ 1 and both 9+); p05~p06 not (p05 gave 8).
 * Skills asked for: machine learning ×3 (not in the catalog → add it), public speaking ×2 (in the
 * catalog, offered by nobody → advice), video editing ×1 (below 2), negotiation ×1 (offered).
 */
const program: Program = programSchema.parse({
  programId: 'p',
  name: 'P',
  language: 'en',
  goalsAndExpectations: 'g',
  skillsCatalog: [
    { id: 'ai', name: 'AI assistants', digital: true },
    { id: 'negotiation', name: 'Negotiation' },
    { id: 'public-speaking', name: 'Public speaking' },
  ],
  phaseWindows: { goalSetting: 'P14D', run: 'P90D', measure: 'P14D', feedback: 'P14D' },
  checkInCadence: 'P14D',
  sender: 's@example.com',
  hrContacts: ['hr@example.com'],
  opsContacts: ['ops@example.com'],
  matching: { favouredDepartmentPairs: [['HR', 'Finance']], doNotPair: [['p01', 'p12']] },
});

const ids = cohortIds(12);
const departments = ['IT', 'Sales', 'IT', 'Sales', 'IT', 'Sales', 'HR', 'Finance', 'HR', 'Finance', 'HR', 'Finance'];
const members: Member[] = ids.map((id, i) =>
  memberOf(id, { name: `Name${i}`, department: departments[i] as string, skillsOffered: i % 2 === 0 ? ['ai'] : ['negotiation'] }),
);
const pairs: Pair[] = consecutivePairs(ids);
const r = storedAnswer;
const gain = (i: number) => (i < 6 ? 2 : 0);
const check = (round: number, id: string, status: CheckInAnswer['status'] = 'met') => r(`run#${round}`, id, { status, note: '' });
const satisfaction = [10, 10, 10, 10, 8, 10, 5, 6, 7];
const missing: string[][] = [
  ['Machine learning'],
  ['machine learning'],
  ['Machine Learning'],
  ['Negotiation'],
  ['Public speaking'],
  ['public speaking'],
  ['Video editing'],
  [],
  [],
];
const input: MetricsInput = {
  members,
  pairs,
  catalog: program.skillsCatalog,
  roster: ids.map((id, i) => ({ participantId: id, birthYear: i % 2 === 0 ? 1996 : 1966 })),
  responses: {
    goalSetting: ids.map((id) => r('goal-setting', id, { goals: ['g'], baseline: { ai: 2, negotiation: 2 } })),
    measure: ids.map((id, i) =>
      r('measure', id, { ratings: i % 2 ? { ai: 2 + gain(i), negotiation: 2 } : { ai: 2, negotiation: 2 + gain(i) }, goalAttainment: [60] }),
    ),
    checkIns: [
      ...['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p11', 'p12'].flatMap((id) => [check(1, id), check(2, id)]),
      check(1, 'p07', 'need-help'),
      check(1, 'p08'),
      check(2, 'p07'),
      check(2, 'p08'),
    ],
    feedback: satisfaction.map((s, i) =>
      r('feedback', ids[i] as string, { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills: missing[i] as string[], satisfaction: s }),
    ),
  },
  checkInRounds: [1, 2],
};

describe('skills named as lacking', () => {
  it('are proposed once two people name them, one in the feedback and one at enrollment, but not when one person names them twice', () => {
    const feedback = [r('feedback', 'p01', { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills: ['Storytelling'], satisfaction: 9 })];
    const recruits = (proposedSkills: Array<{ participantId: string; skills: string[] }>) => {
      const withEnrollment: MetricsInput = {
        ...input,
        responses: { ...input.responses, feedback },
        enrollment: { invited: 12, joined: 12, declined: 0, proposedSkills },
      };
      return proposeChanges(program, computeCycleMetrics(withEnrollment), withEnrollment).filter((p) => p.kind === 'recruit-mentors');
    };
    expect(recruits([{ participantId: 'p01', skills: ['storytelling'] }])).toEqual([]);
    const [proposal] = recruits([{ participantId: 'p02', skills: ['storytelling'] }]);
    expect(proposal?.reason).toMatch(/^2 people \(1 in their feedback, 1 on the join page\) name "storytelling"/);
  });

  it('are never proposed for the catalog when they name a participant, and the name is not repeated', () => {
    const named = members.map((m, i) => (i === 0 ? { ...m, name: 'Helena Duarte' } : m));
    const feedback = ['p01', 'p02'].map((id) =>
      r('feedback', id, { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills: ['Excel avançado com Helena Duarte'], satisfaction: 9 }),
    );
    const withName = { ...input, members: named, responses: { ...input.responses, feedback } };
    const metrics = computeCycleMetrics(withName);
    expect(metrics.themes.unofferedSkills).toEqual([{ skill: 'excel avançado com [name]', mentions: 2, inFeedback: 2, atEnrollment: 0, namesRedacted: true }]);
    const proposals = proposeChanges(program, metrics, withName);
    expect(proposals.filter((p) => p.kind === 'recruit-mentors')).toEqual([]);
    expect(JSON.stringify(proposals)).not.toMatch(/Helena|Duarte/i);
  });
});

describe('proposeChanges on a hand-computed cycle', () => {
  const metrics = computeCycleMetrics(input);
  const proposals = proposeChanges(program, metrics, input);

  it('has the figures the proposals come from', () => {
    expect(metrics.responseRate.feedback).toBe(0.75);
    expect(metrics.checkIns).toMatchObject({ answers: 20, expected: 24, met: 19 });
    expect(metrics.gainsByDirection.juniorTaughtSenior).toMatchObject({ n: 6, mean: 1 });
    expect(metrics.gainsByDirection.seniorTaughtJunior).toMatchObject({ n: 6, mean: 1 });
    expect(metrics.themes.unofferedSkills).toEqual([
      { skill: 'machine learning', mentions: 3, inFeedback: 3, atEnrollment: 0 },
      { skill: 'public speaking', mentions: 2, inFeedback: 2, atEnrollment: 0 },
      { skill: 'video editing', mentions: 1, inFeedback: 1, atEnrollment: 0 },
    ]);
  });

  it('proposes exactly these changes, each with the figure behind it', () => {
    expect(proposals.map((p) => [p.id, p.evidence.figure, p.evidence.value])).toEqual([
      ['recruit-mentors:machine-learning', 'themes.unofferedSkills["machine learning"].mentions', 3],
      ['recruit-mentors:public-speaking', 'themes.unofferedSkills["public speaking"].mentions', 2],
      ['drop-partnership:Finance ↔ HR', 'mean gain of learners in Finance ↔ HR pairs − mean gain of all learners', -1],
      ['favour-partnership:IT ↔ Sales', 'mean gain of learners in IT ↔ Sales pairs − mean gain of all learners', 1],
      ['continue-pair:p01~p02', 'pair p01~p02: both gains ≥ 1 and both satisfaction ≥ 9', 'yes'],
      ['continue-pair:p03~p04', 'pair p03~p04: both gains ≥ 1 and both satisfaction ≥ 9', 'yes'],
      ['do-not-pair:p07~p08', 'pairStatus.atRiskPairs["p07~p08"].reasons', 'asked for help at a check-in'],
      ['do-not-pair:p09~p10', 'pairStatus.atRiskPairs["p09~p10"].reasons', 'missed 2 check-ins (neither member answered)'],
      ['phase-window:feedback', 'responseRate.feedback', 0.75],
    ]);
    expect(proposals.find((p) => p.id === 'recruit-mentors:public-speaking')?.change).toBeNull();
    expect(proposals.find((p) => p.id === 'recruit-mentors:machine-learning')?.change).toEqual({
      op: 'add',
      path: '/skillsCatalog',
      value: { id: 'machine-learning', labels: { 'pt-BR': 'Machine Learning', en: 'Machine Learning' }, aliases: [], digital: false },
    });
    expect(proposals.find((p) => p.id === 'phase-window:feedback')?.change).toEqual({
      op: 'replace',
      path: '/phaseWindows/feedback',
      from: 'P14D',
      value: 'P21D',
    });
  });

  it('raises the weight of what mentees teach when seniors taught clearly less', () => {
    // Mentors' negotiation gains set to 0: senior taught junior mean 0, junior taught senior mean 1 → gap 1 ≥ 0.5.
    const flat: MetricsInput = {
      ...input,
      responses: {
        ...input.responses,
        measure: input.responses.measure.map((m, i) => (i % 2 ? m : { ...m, answer: { ...m.answer, ratings: { ai: 2, negotiation: 2 } } })),
      },
    };
    const p = proposeChanges(program, computeCycleMetrics(flat), flat).find((x) => x.kind === 'adjust-weight');
    // Default weight 6 × 1.25 = 7.5 → 8.
    expect(p).toMatchObject({
      id: 'adjust-weight:skillsTaughtByMentee',
      change: { op: 'replace', path: '/matching/weights/skillsTaughtByMentee', from: null, value: 8 },
      evidence: { value: 1 },
    });
  });

  it('lengthens the cadence when few check-ins were answered', () => {
    // Four rounds sent: 20 of 48 answers = 42% < 60%.
    const sparse = { ...input, checkInRounds: [1, 2, 3, 4] };
    const p = proposeChanges(program, computeCycleMetrics(sparse), sparse).find((x) => x.kind === 'check-in-cadence');
    expect(p).toMatchObject({
      change: { op: 'replace', path: '/checkInCadence', from: 'P14D', value: 'P21D' },
      evidence: { figure: 'checkIns.answerRate', value: 0.417 },
    });
  });

  it('proposes nothing from figures about fewer than five people', () => {
    const few: MetricsInput = { ...input, members: members.slice(0, 4), pairs: pairs.slice(0, 2) };
    const p = proposeChanges(program, computeCycleMetrics(few), few);
    expect(p.filter((x) => x.kind === 'favour-partnership' || x.kind === 'drop-partnership' || x.kind === 'adjust-weight')).toEqual([]);
  });
});

describe('applyProposals', () => {
  const metrics = computeCycleMetrics(input);
  const proposals = proposeChanges(program, metrics, input);

  it('changes the configuration as proposed and lists the difference per path', () => {
    const { program: next, diff } = applyProposals(program, proposals);
    expect(programSchema.parse(next)).toEqual(next);
    expect(next.skillsCatalog.map((s) => s.id)).toEqual(['ai', 'negotiation', 'public-speaking', 'machine-learning']);
    expect(next.matching.favouredDepartmentPairs).toEqual([['IT', 'Sales']]);
    expect(next.matching.continuePairs).toEqual([
      ['p01', 'p02'],
      ['p03', 'p04'],
    ]);
    expect(next.matching.doNotPair).toEqual([
      ['p01', 'p12'],
      ['p07', 'p08'],
      ['p09', 'p10'],
    ]);
    expect(next.phaseWindows.feedback).toBe('P21D');
    expect(diff.map((d) => d.path)).toEqual([
      '/skillsCatalog',
      '/matching/favouredDepartmentPairs',
      '/matching/continuePairs',
      '/matching/doNotPair',
      '/phaseWindows/feedback',
    ]);
    // The original is untouched.
    expect(program.phaseWindows.feedback).toBe('P14D');
    expect(formatDiff(diff)).toContain('  /phaseWindows/feedback: "P14D" → "P21D"  (phase-window:feedback)');
    expect(formatDiff(diff)).toContain('    - ["HR","Finance"]');
  });

  it('changes nothing when applied a second time', () => {
    const once = applyProposals(program, proposals).program;
    expect(applyProposals(once, proposals).diff).toEqual([]);
  });

  it('refuses paths through prototypes', () => {
    expect(() =>
      applyProposals(program, [{ ...(proposals[0] as (typeof proposals)[number]), change: { op: 'replace', path: '/__proto__/x', from: null, value: 1 } }]),
    ).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('slugs skill names into catalog ids and formats durations', () => {
    expect(slugSkillId('Ética em IA & dados')).toBe('etica-em-ia-dados');
    expect(secondsToDuration(21 * 86400)).toBe('P21D');
    expect(secondsToDuration(7.5)).toBe('PT8S');
  });
});
