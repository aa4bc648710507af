import { describe, expect, it } from 'vitest';
import type { Member, Pair, StoredResponse } from '../../domain/cycle.ts';
import { computeCycleMetrics, redactNames, summarizeCycle, type CycleResponses, type MetricsInput, type RosterFacts } from '../../domain/metrics.ts';
import type { Skill } from '../../domain/program.ts';
import type { CheckInAnswer, FeedbackAnswer, GoalSettingAnswer, MeasureAnswer } from '../../domain/surveys.ts';

const member = (participantId: string, department: string, skillsOffered: string[] = []): Member => ({
  participantId,
  name: participantId.toUpperCase(),
  email: `${participantId}@example.com`,
  department,
  language: 'en',
  skillsOffered,
  skillsWanted: [],
  teaches: [],
  learns: [],
  partners: [],
});

const pair = (mentorId: string, menteeId: string, byMentor: string[] = [], byMentee: string[] = []): Pair => ({
  pairId: `${mentorId}~${menteeId}`,
  mentorId,
  menteeId,
  score: 50,
  breakdown: {},
  explanation: '',
  skillsTaught: { byMentor, byMentee },
});

const response = <T>(phaseKey: string, participantId: string, answer: T): StoredResponse<T> => ({
  cycleId: 'c-1',
  phaseKey,
  participantId,
  answer,
  recordedAt: 0,
});
const feedback = (participantId: string, satisfaction: number, missingSkills: string[] = []): StoredResponse<FeedbackAnswer> =>
  response('feedback', participantId, { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills, satisfaction });

const catalog: Skill[] = [
  { id: 'excel', labels: { 'pt-BR': 'Spreadsheets', en: 'Spreadsheets' }, aliases: [], digital: true },
  { id: 'negotiation', labels: { 'pt-BR': 'Negotiation', en: 'Negotiation' }, aliases: [], digital: false },
  { id: 'ai', labels: { 'pt-BR': 'AI assistants', en: 'AI assistants' }, aliases: [], digital: true },
  { id: 'sql', labels: { 'pt-BR': 'SQL', en: 'SQL' }, aliases: [], digital: true },
];

// m3 offers excel (so "Excel" in the feedback is asked for but offered in the cohort).
const members = [member('m1', 'Sales'), member('m2', 'Engineering'), member('m3', 'Sales', ['excel']), member('m4', 'HR'), member('m5', 'Engineering')];
// m2→m1 Engineering/Sales (cross), m3→m4 Sales/HR (cross), m5→m2 Engineering/Engineering (same).
// Mentors teach mentees (junior taught senior) the byMentor skills; mentees teach mentors (senior taught junior) the byMentee skills.
const pairs = [pair('m2', 'm1', ['excel', 'ai'], ['negotiation']), pair('m3', 'm4', ['excel'], ['negotiation']), pair('m5', 'm2', ['sql'], ['excel'])];
// Generations (birth year; m4 only has a career start, 1985 − 22 = 1963):
// m1 1965 Gen X, m2 1998 Gen Z, m3 1990 Millennial, m4 1963 Boomer, m5 1999 Gen Z.
const roster: RosterFacts[] = [
  { participantId: 'm1', birthYear: 1965 },
  { participantId: 'm2', birthYear: 1998 },
  { participantId: 'm3', birthYear: 1990 },
  { participantId: 'm4', careerStartYear: 1985 },
  { participantId: 'm5', birthYear: 1999 },
];

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
  // A bidi override and an escape character stored with an answer do not make another skill (nor reach the catalog).
  feedback('m2', 9, ['\u202esql\u001b', 'Power BI']),
  feedback('m3', 7, ['Excel']),
  feedback('m4', 8, ['power bi', 'Sql']),
  feedback('m5', 3),
];
const responses: CycleResponses = { goalSetting, checkIns, measure, feedback: feedbackResponses };

/** The hand-computed checks below look at groups of one to five people: the privacy rule is turned off (minGroupSize 1) and tested on its own. */
const everything: MetricsInput = { members, pairs, responses, catalog, roster, options: { minGroupSize: 1 } };

describe('computeCycleMetrics on a hand-computed cycle', () => {
  const metrics = computeCycleMetrics(everything);

  it('counts members, pairs and the pairs that cross departments', () => {
    expect(metrics.members).toBe(5);
    expect(metrics.pairs).toBe(3);
    expect(metrics.crossDepartmentPairs).toBe(2);
  });

  it('gives each survey’s response rate as a share of the members', () => {
    expect(metrics.responseRate).toEqual({ goalSetting: 3 / 5, measure: 4 / 5, feedback: 5 / 5 });
  });

  it('counts check-in answers, meetings and calls for help; adherence is met over answers', () => {
    // Rounds 1 and 2 seen in the answers; 2 rounds × 5 members = 10 answers expected, 5 given.
    expect(metrics.checkIns).toEqual({ rounds: 2, answers: 5, expected: 10, answerRate: 0.5, met: 3, needHelp: 1, adherence: 3 / 5 });
  });

  it('averages skill gains per skill over people who answered both surveys, in catalog order', () => {
    // excel: m1 +2, m3 +1 → mean 1.5, median 1.5; negotiation: m2 +1, m3 −1 → 0; ai: m1 +3.
    expect(
      metrics.skillGains.map((g) => [
        g.skill,
        g.name,
        g.digital,
        g.answeredBoth,
        g.gain.suppressed ? null : g.gain.mean,
        g.gain.suppressed ? null : g.gain.median,
      ]),
    ).toEqual([
      ['excel', 'Spreadsheets', true, 2, 1.5, 1.5],
      ['negotiation', 'Negotiation', false, 2, 0, 0],
      ['ai', 'AI assistants', true, 1, 3, 3],
    ]);
  });

  it('splits each skill’s gain by direction: only the people who learned it in a pair', () => {
    const excel = metrics.skillGains.find((g) => g.skill === 'excel');
    // excel was taught by mentors to m1 (+2) and m4 (no baseline), and by the mentee m2 to m5 (no baseline).
    expect(excel?.byDirection.juniorTaughtSenior).toMatchObject({ n: 1, mean: 2 });
    expect(excel?.byDirection.seniorTaughtJunior).toEqual({ n: 0, suppressed: true });
    const negotiation = metrics.skillGains.find((g) => g.skill === 'negotiation');
    // negotiation was learned by the mentors m2 (+1) and m3 (−1).
    expect(negotiation?.byDirection.seniorTaughtJunior).toMatchObject({ n: 2, mean: 0, median: 0 });
  });

  it('gives one gain per learner and direction: the mean over the skills they learned', () => {
    // Junior taught senior: m1 learned excel (+2) and ai (+3) → 2.5; m4 and m2 (sql) have no gains.
    expect(metrics.gainsByDirection.juniorTaughtSenior).toMatchObject({ n: 1, mean: 2.5, median: 2.5 });
    // Senior taught junior: m2 negotiation +1, m3 negotiation −1; m5 excel has no baseline → mean 0, median 0.
    const stj = metrics.gainsByDirection.seniorTaughtJunior;
    expect(stj).toMatchObject({ n: 2, mean: 0, median: 0 });
    // Resample means of {−1, 1} are −1, 0 or 1; each end comes up a quarter of the time, so the 95% interval is [−1, 1].
    expect(stj.suppressed ? null : [stj.ci95?.low, stj.ci95?.high, stj.ci95?.resamples]).toEqual([-1, 1, 2000]);
  });

  it('measures the five benefits', () => {
    const b = metrics.benefits;
    // Pairs m2~m1 Gen Z/Gen X (gap 33), m3~m4 Millennial/Boomer (27), m5~m2 Gen Z/Gen Z (1).
    expect(b.acrossGenerations).toEqual({ pairsWithKnownGenerations: 3, crossGenerationPairs: 2, share: 2 / 3, meanGapYears: 61 / 3 });
    // Only m2~m1 has gains on both sides (m1 +2.5, m2 +1): 1 of 1, both positive.
    expect(b.knowledgeExchange).toEqual({ pairsBothAnswered: 1, pairsBothGained: 1, share: 1, suppressed: false });
    expect(b.diversity).toMatchObject({
      crossDepartmentPairs: 2,
      share: 2 / 3,
      departmentLinks: ['Engineering ↔ Sales', 'HR ↔ Sales'],
      comparedWithEarlierCycles: false,
    });
    // Measure answered: Engineering m2, m5 (2 of 2), HR none of m4, Sales m1, m3 (2 of 2).
    expect(b.diversity.byDepartment).toEqual([
      { department: 'Engineering', members: 2, answeredMeasure: 2, measureRate: 1, suppressed: false },
      { department: 'HR', members: 1, answeredMeasure: 0, measureRate: 0, suppressed: false },
      { department: 'Sales', members: 2, answeredMeasure: 2, measureRate: 1, suppressed: false },
    ]);
    // Digital skills excel, ai, sql: m1 (+2, +3) → 2.5; m3 (excel +1) → 1; m2 rated none digital at both → mean 1.75.
    expect(b.digital.skills).toEqual(['excel', 'ai', 'sql']);
    expect(b.digital.gain).toMatchObject({ n: 2, mean: 1.75, median: 1.75 });
  });

  it('counts department links new to the program against earlier cycles', () => {
    const m = computeCycleMetrics({ ...everything, history: { departmentLinks: ['HR ↔ Sales'] } });
    expect(m.benefits.diversity.newDepartmentLinks).toEqual(['Engineering ↔ Sales']);
    expect(m.benefits.diversity.comparedWithEarlierCycles).toBe(true);
  });

  it('flags pairs at risk: a call for help, or two check-ins neither member answered', () => {
    // m3 (of m3~m4) asked for help in round 1. m5~m2 answered round 1 only (m2): one round missed.
    expect(metrics.pairStatus).toMatchObject({ formed: 3, declined: null, rematched: null, atRisk: 1, atRiskSource: 'check-ins' });
    expect(metrics.pairStatus.atRiskPairs).toEqual([{ pairId: 'm3~m4', mentorId: 'm3', menteeId: 'm4', reasons: ['asked for help at a check-in'] }]);
    // With a third round sent, m5~m2 has missed two (rounds 2 and 3).
    const m = computeCycleMetrics({ ...everything, checkInRounds: [1, 2, 3] });
    expect(m.pairStatus.atRiskPairs.map((p) => [p.pairId, p.reasons])).toEqual([
      ['m3~m4', ['asked for help at a check-in']],
      ['m5~m2', ['missed 2 check-ins (neither member answered)']],
    ]);
    expect(m.checkIns).toMatchObject({ rounds: 3, expected: 15, answerRate: 5 / 15 });
  });

  it('uses the participant pages’ data when given: declines, rematches, at-risk flags, suggestions by votes', () => {
    const m = computeCycleMetrics({
      ...everything,
      participation: {
        invitations: { accepted: 4, declined: 1, declineReasons: [{ reason: 'no time', count: 1 }] },
        rematches: 1,
        atRiskPairs: [{ pairId: 'm5~m2', reasons: ['flagged'] }],
        suggestions: [
          { text: 'Shorter check-ins', votes: 2, category: 'improve' },
          { text: 'Team lunches', votes: 7, category: 'more' },
          { text: 'shorter  check-ins', votes: 1, category: 'improve' },
          { text: 'Lunch with M2', votes: 0, category: 'more' },
        ],
      },
    });
    // The pages' flag on m5~m2 joins the flag computed from m3's call for help.
    expect(m.pairStatus).toMatchObject({ declined: 1, rematched: 1, atRisk: 2, atRiskSource: 'participant-pages and check-ins' });
    expect(m.pairStatus.atRiskPairs.map((p) => [p.pairId, p.reasons])).toEqual([
      ['m5~m2', ['flagged']],
      ['m3~m4', ['asked for help at a check-in']],
    ]);
    // The two "shorter check-ins" are one suggestion with 2 + 1 votes from 2 people; the member's name is taken out.
    expect(m.themes.suggestions).toEqual([
      { text: 'Team lunches', votes: 7, category: 'more', people: 1 },
      { text: 'Shorter check-ins', votes: 3, category: 'improve', people: 2 },
      { text: 'Lunch with [name]', votes: 0, category: 'more', people: 1 },
    ]);
  });

  it('gives per-phase participation, check-in rounds included', () => {
    expect(metrics.participation.map((p) => [p.key, p.answered, p.expected, p.rate])).toEqual([
      ['goal-setting', 3, 5, 0.6],
      ['run#1', 3, 5, 0.6],
      ['run#2', 2, 5, 0.4],
      ['measure', 4, 5, 0.8],
      ['feedback', 5, 5, 1],
    ]);
  });

  it('leaves out a skill nobody rated at both surveys', () => {
    expect(metrics.skillGains.map((g) => g.skill)).not.toContain('sql');
  });

  it('averages goal attainment over the goals of people who answered both surveys', () => {
    // Goals 80, 50, 100, 30 → 65; per person m1 65, m2 100, m3 30 → mean 65, median 65.
    expect(metrics.goalAttainment).toMatchObject({ goals: 4, meanPercent: 65, perPerson: { n: 3, mean: 65, median: 65 } });
  });

  it('computes the net promoter score as % promoters (9-10) minus % detractors (0-6)', () => {
    // Scores 10, 9, 7, 8, 3: two promoters (40%), one detractor (20%).
    expect(metrics.netPromoterScore).toBe(20);
  });

  it('counts missing skills case-insensitively, most mentioned first, then alphabetically', () => {
    expect(metrics.missingSkills).toEqual([
      { skill: 'sql', mentions: 3, inFeedback: 3, atEnrollment: 0, offeredInCohort: false },
      { skill: 'excel', mentions: 2, inFeedback: 2, atEnrollment: 0, offeredInCohort: true },
      { skill: 'power bi', mentions: 2, inFeedback: 2, atEnrollment: 0, offeredInCohort: false },
    ]);
    // m3 offers excel: it is not a skill "no participant offers".
    expect(metrics.themes.unofferedSkills).toEqual([
      { skill: 'sql', mentions: 3, inFeedback: 3, atEnrollment: 0 },
      { skill: 'power bi', mentions: 2, inFeedback: 2, atEnrollment: 0 },
    ]);
  });

  it('ignores skills outside the catalog even when both surveys rated them', () => {
    const m = computeCycleMetrics({
      members,
      pairs,
      catalog,
      options: { minGroupSize: 1 },
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
      // Groups of one to seven answers: the privacy rule is tested separately.
      options: { minGroupSize: 1 },
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
    expect(m).toMatchObject({
      members: 0,
      pairs: 0,
      crossDepartmentPairs: 0,
      responseRate: { goalSetting: null, measure: null, feedback: null },
      checkIns: { rounds: 0, answers: 0, expected: 0, answerRate: null, met: 0, needHelp: 0, adherence: null },
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
    expect(m.goalAttainment).toMatchObject({ goals: 0, meanPercent: null });
    expect(m.netPromoterScore).toBeNull();
  });

  it('gives no goal attainment when the only measure answers come from people without a baseline', () => {
    const m = computeCycleMetrics({
      members,
      pairs,
      catalog,
      responses: { goalSetting: [], checkIns: [], measure: [measure[3] as StoredResponse<MeasureAnswer>], feedback: [] },
    });
    expect(m.goalAttainment).toMatchObject({ goals: 0, meanPercent: null });
    expect(m.skillGains).toEqual([]);
  });
});

describe('the privacy rule: no figure about fewer than five people', () => {
  const m = computeCycleMetrics({ members, pairs, responses, catalog, roster });

  it('suppresses per-skill, per-direction and per-department figures of small groups', () => {
    for (const g of m.skillGains) {
      expect(g.gain).toEqual({ n: g.answeredBoth, suppressed: true });
      expect(g.byDirection.juniorTaughtSenior.suppressed).toBe(true);
      expect(g.byDirection.seniorTaughtJunior.suppressed).toBe(true);
    }
    expect(m.gainsByDirection.juniorTaughtSenior).toEqual({ n: 1, suppressed: true });
    expect(m.benefits.digital.gain).toEqual({ n: 2, suppressed: true });
    expect(m.benefits.knowledgeExchange).toEqual({ pairsBothAnswered: 1, pairsBothGained: 0, share: null, suppressed: true });
    for (const d of m.benefits.diversity.byDepartment) expect(d).toMatchObject({ answeredMeasure: null, measureRate: null, suppressed: true });
    expect(m.goalAttainment.meanPercent).toBeNull();
    expect(JSON.stringify(m)).not.toContain('"mean":');
  });

  it('shows the satisfaction score of five answers', () => {
    expect(m.satisfaction).toMatchObject({ n: 5, score: 20, suppressed: false });
    const four = computeCycleMetrics({ members, pairs, catalog, responses: { ...responses, feedback: feedbackResponses.slice(0, 4) } });
    expect(four.satisfaction).toMatchObject({ n: 4, score: null, suppressed: true });
    expect(four.netPromoterScore).toBeNull();
  });

  it('summarizes the cycle for later comparisons with suppressed means as null', () => {
    const summary = summarizeCycle('c-1', 0, m);
    expect(summary).toMatchObject({
      cycleId: 'c-1',
      members: 5,
      pairs: 3,
      juniorTaughtSeniorMeanGain: null,
      netPromoterScore: 20,
      atRiskPairs: 1,
      departmentLinks: ['Engineering ↔ Sales', 'HR ↔ Sales'],
    });
  });
});

describe('free text without names', () => {
  it('replaces the cohort’s full names and their parts of three letters or more, whole words only, any case', () => {
    expect(redactNames('Ana Souza helped me; ANA was great. Banana!', ['Ana Souza'])).toBe('[name] helped me; [name] was great. Banana!');
  });

  it('groups identical answers and strips names from the themes', () => {
    const named = [member('a1', 'Sales'), member('a2', 'HR')].map((x, i) => ({ ...x, name: ['Helena Duarte', 'Rafael Lima'][i] as string }));
    const fb = (id: string, explore: string) =>
      response('feedback', id, { worked: '', keep: '', more: '', explore, improve: '', missingSkills: [], satisfaction: 9 });
    const m = computeCycleMetrics({
      members: named,
      pairs: [],
      catalog,
      responses: {
        goalSetting: [],
        checkIns: [],
        measure: [],
        feedback: [fb('a1', 'AI ethics with Rafael'), fb('a2', 'ai ethics with  rafael'), fb('a2', 'Cloud')],
      },
    });
    expect(m.themes.explore).toEqual([
      { text: 'AI ethics with [name]', count: 2 },
      { text: 'Cloud', count: 1 },
    ]);
    expect(JSON.stringify(m.themes)).not.toMatch(/Rafael|Helena/i);
  });

  it('strips names from the skills people say the organization lacks, and marks those skills', () => {
    const named = [member('a1', 'Sales'), member('a2', 'HR')].map((x, i) => ({ ...x, name: ['Helena Duarte', 'Rafael Lima'][i] as string }));
    const fb = (id: string, missingSkills: string[]) =>
      response('feedback', id, { worked: '', keep: '', more: '', explore: '', improve: '', missingSkills, satisfaction: 9 });
    const input = {
      members: named,
      pairs: [],
      catalog,
      responses: {
        goalSetting: [],
        checkIns: [],
        measure: [],
        feedback: [fb('a1', ['Excel avançado com Helena Duarte', 'oratória']), fb('a2', ['excel avançado com helena', 'Oratória'])],
      },
      options: { minGroupSize: 1 },
    };
    const m = computeCycleMetrics(input);
    expect(m.themes.unofferedSkills).toEqual([
      { skill: 'excel avançado com [name]', mentions: 2, inFeedback: 2, atEnrollment: 0, namesRedacted: true },
      { skill: 'oratória', mentions: 2, inFeedback: 2, atEnrollment: 0 },
    ]);
    expect(JSON.stringify(m)).not.toMatch(/Rafael|Helena/i);
  });
});

describe('a cycle that opened with enrollment', () => {
  const enrollment = {
    invited: 9,
    joined: 6,
    declined: 2,
    proposedSkills: [
      { participantId: 'j1', skills: ['Power BI', 'power bi '] },
      { participantId: 'm2', skills: ['power bi', 'Design thinking'] },
      { participantId: 'j3', skills: [] },
    ],
  };

  it('counts the funnel: invited, joined, declined, paired (the members) and completed (answered measure)', () => {
    const m = computeCycleMetrics({ ...everything, enrollment });
    expect(m.funnel).toEqual({ invited: 9, joined: 6, declined: 2, paired: 5, completed: 4 });
    expect(computeCycleMetrics(everything).funnel).toBeUndefined();
  });

  it('adds the skills joiners proposed to the skills the organization lacks, counting each person once wherever they named it', () => {
    const m = computeCycleMetrics({ ...everything, enrollment });
    // m2 and m4 named it in their feedback, j1 and m2 on the join page: three people.
    expect(m.missingSkills.find((s) => s.skill === 'power bi')).toEqual({
      skill: 'power bi',
      mentions: 3,
      inFeedback: 2,
      atEnrollment: 2,
      offeredInCohort: false,
    });
    expect(m.missingSkills.find((s) => s.skill === 'design thinking')).toEqual({
      skill: 'design thinking',
      mentions: 1,
      inFeedback: 0,
      atEnrollment: 1,
      offeredInCohort: false,
    });
  });
});
