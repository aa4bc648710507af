import { describe, expect, it } from 'vitest';
import type { Member, Pair, StoredResponse } from '../../domain/cycle.ts';
import { computeCycleMetrics, type CycleResponses } from '../../domain/metrics.ts';
import type { Skill } from '../../domain/program.ts';
import type { CheckInAnswer, FeedbackAnswer, GoalSettingAnswer, MeasureAnswer } from '../../domain/surveys.ts';

const member = (participantId: string, department: string): Member => ({
  participantId,
  name: participantId.toUpperCase(),
  email: `${participantId}@example.com`,
  department,
  language: 'en',
  skillsOffered: [],
  skillsWanted: [],
  teaches: [],
  learns: [],
  partners: [],
});

const pair = (mentorId: string, menteeId: string): Pair => ({
  pairId: `${mentorId}~${menteeId}`,
  mentorId,
  menteeId,
  score: 50,
  breakdown: {},
  explanation: '',
  skillsTaught: { byMentor: [], byMentee: [] },
});

const response = <T>(phaseKey: string, participantId: string, answer: T): StoredResponse<T> => ({ cycleId: 'c-1', phaseKey, participantId, answer, recordedAt: 0 });
const feedback = (participantId: string, satisfaction: number, missingSkills: string[] = []): StoredResponse<FeedbackAnswer> =>
  response('feedback', participantId, { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills, satisfaction });

const catalog: Skill[] = [
  { id: 'excel', name: 'Spreadsheets', digital: true },
  { id: 'negotiation', name: 'Negotiation', digital: false },
  { id: 'ai', name: 'AI assistants', digital: true },
  { id: 'sql', name: 'SQL', digital: true },
];

const members = [member('m1', 'Sales'), member('m2', 'Engineering'), member('m3', 'Sales'), member('m4', 'HR'), member('m5', 'Engineering')];
// m2→m1 Engineering/Sales (cross), m3→m4 Sales/HR (cross), m5→m2 Engineering/Engineering (same).
const pairs = [pair('m2', 'm1'), pair('m3', 'm4'), pair('m5', 'm2')];

const goalSetting: StoredResponse<GoalSettingAnswer>[] = [
  response('goal-setting', 'm1', { goals: ['g1', 'g2'], baseline: { excel: 2, ai: 1 } }),
  response('goal-setting', 'm2', { goals: ['g1'], baseline: { negotiation: 3 } }),
  response('goal-setting', 'm3', { goals: ['g1'], baseline: { excel: 4, negotiation: 3 } }),
];
const measure: StoredResponse<MeasureAnswer>[] = [
  // excel +2, ai +3
  response('measure', 'm1', { ratings: { excel: 4, ai: 4 }, goalAttainment: [80, 50] }),
  // negotiation +1; excel has no baseline for m2, so it is not a gain
  response('measure', 'm2', { ratings: { negotiation: 4, excel: 3 }, goalAttainment: [100] }),
  // excel +1, negotiation −1
  response('measure', 'm3', { ratings: { excel: 5, negotiation: 2 }, goalAttainment: [30] }),
  // m5 never answered goal-setting: none of this counts
  response('measure', 'm5', { ratings: { excel: 5, ai: 5, sql: 5 }, goalAttainment: [0, 0, 0] }),
];
const checkIns: StoredResponse<CheckInAnswer>[] = [
  response('run#1', 'm1', { status: 'met', note: '' }),
  response('run#1', 'm2', { status: 'not-yet', note: '' }),
  response('run#1', 'm3', { status: 'need-help', note: '' }),
  response('run#2', 'm1', { status: 'met', note: '' }),
  response('run#2', 'm4', { status: 'met', note: '' }),
];
const feedbackResponses = [
  feedback('m1', 10, ['SQL', 'Excel']),
  feedback('m2', 9, ['sql', 'Power BI']),
  feedback('m3', 7, ['Excel']),
  feedback('m4', 8, ['power bi', 'Sql']),
  feedback('m5', 3),
];
const responses: CycleResponses = { goalSetting, checkIns, measure, feedback: feedbackResponses };

describe('computeCycleMetrics on a hand-computed cycle', () => {
  const metrics = computeCycleMetrics({ members, pairs, responses, catalog });

  it('counts members, pairs and the pairs that cross departments', () => {
    expect(metrics.members).toBe(5);
    expect(metrics.pairs).toBe(3);
    expect(metrics.crossDepartmentPairs).toBe(2);
  });

  it('gives each survey’s response rate as a share of the members', () => {
    expect(metrics.responseRate).toEqual({ goalSetting: 3 / 5, measure: 4 / 5, feedback: 5 / 5 });
  });

  it('counts check-in answers, meetings and calls for help; adherence is met over answers', () => {
    expect(metrics.checkIns).toEqual({ answers: 5, met: 3, needHelp: 1, adherence: 3 / 5 });
  });

  it('averages skill gains per skill over people who answered both surveys, in catalog order', () => {
    expect(metrics.skillGains).toEqual([
      { skill: 'excel', name: 'Spreadsheets', digital: true, answeredBoth: 2, meanGain: 1.5 },
      { skill: 'negotiation', name: 'Negotiation', digital: false, answeredBoth: 2, meanGain: 0 },
      { skill: 'ai', name: 'AI assistants', digital: true, answeredBoth: 1, meanGain: 3 },
    ]);
  });

  it('leaves out a skill nobody rated at both surveys', () => {
    expect(metrics.skillGains.map((g) => g.skill)).not.toContain('sql');
  });

  it('averages goal attainment over the goals of people who answered both surveys', () => {
    expect(metrics.goalAttainment).toEqual({ goals: 4, meanPercent: 65 });
  });

  it('computes the net promoter score as % promoters (9-10) minus % detractors (0-6)', () => {
    // Scores 10, 9, 7, 8, 3: two promoters (40%), one detractor (20%).
    expect(metrics.netPromoterScore).toBe(20);
  });

  it('counts missing skills case-insensitively, most mentioned first, then alphabetically', () => {
    expect(metrics.missingSkills).toEqual([
      { skill: 'sql', mentions: 3 },
      { skill: 'excel', mentions: 2 },
      { skill: 'power bi', mentions: 2 },
    ]);
  });

  it('ignores skills outside the catalog even when both surveys rated them', () => {
    const m = computeCycleMetrics({
      members,
      pairs,
      catalog,
      responses: {
        ...responses,
        goalSetting: [response('goal-setting', 'm1', { goals: ['g'], baseline: { juggling: 1 } })],
        measure: [response('measure', 'm1', { ratings: { juggling: 5 }, goalAttainment: [] })],
      },
    });
    expect(m.skillGains).toEqual([]);
  });
});

describe('computeCycleMetrics net promoter score', () => {
  const nps = (scores: number[]) =>
    computeCycleMetrics({
      members,
      pairs: [],
      catalog,
      responses: { goalSetting: [], checkIns: [], measure: [], feedback: scores.map((s, i) => feedback(`m${i}`, s)) },
    }).netPromoterScore;

  it.each([
    [[10, 10, 9], 100],
    [[0, 6, 3], -100],
    [[7, 8, 7, 8], 0],
    [[9, 9, 7], 67],
    [[9, 7, 8], 33],
    [[9, 9, 9, 0, 0, 0, 0], -14],
    [[9, 6], 0],
    [[6, 7], -50],
  ])('scores %j as %i', (scores, expected) => {
    expect(nps(scores)).toBe(expected);
  });

  it('counts 9 as a promoter and 6 as a detractor, the category edges', () => {
    expect(nps([9])).toBe(100);
    expect(nps([6])).toBe(-100);
    expect(nps([7])).toBe(0);
  });
});

describe('computeCycleMetrics with nothing to count', () => {
  it('gives nulls, never NaN, for an empty cycle', () => {
    const m = computeCycleMetrics({ members: [], pairs: [], catalog, responses: { goalSetting: [], checkIns: [], measure: [], feedback: [] } });
    expect(m).toEqual({
      members: 0,
      pairs: 0,
      crossDepartmentPairs: 0,
      responseRate: { goalSetting: null, measure: null, feedback: null },
      checkIns: { answers: 0, met: 0, needHelp: 0, adherence: null },
      skillGains: [],
      goalAttainment: { goals: 0, meanPercent: null },
      netPromoterScore: null,
      missingSkills: [],
    });
    expect(JSON.stringify(m)).not.toContain('NaN');
  });

  it('gives response rates of 0, not null, when there are members but no answers', () => {
    const m = computeCycleMetrics({ members, pairs, catalog, responses: { goalSetting: [], checkIns: [], measure: [], feedback: [] } });
    expect(m.responseRate).toEqual({ goalSetting: 0, measure: 0, feedback: 0 });
    expect(m.checkIns.adherence).toBeNull();
    expect(m.goalAttainment).toEqual({ goals: 0, meanPercent: null });
    expect(m.netPromoterScore).toBeNull();
  });

  it('gives no goal attainment when the only measure answers come from people without a baseline', () => {
    const m = computeCycleMetrics({
      members,
      pairs,
      catalog,
      responses: { goalSetting: [], checkIns: [], measure: [measure[3] as StoredResponse<MeasureAnswer>], feedback: [] },
    });
    expect(m.goalAttainment).toEqual({ goals: 0, meanPercent: null });
    expect(m.skillGains).toEqual([]);
  });
});
