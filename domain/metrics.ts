import type { Member, Pair, StoredResponse } from './cycle.ts';
import type { CheckInAnswer, FeedbackAnswer, GoalSettingAnswer, MeasureAnswer } from './surveys.ts';
import type { Skill } from './program.ts';

export interface CycleResponses {
  goalSetting: StoredResponse<GoalSettingAnswer>[];
  checkIns: StoredResponse<CheckInAnswer>[];
  measure: StoredResponse<MeasureAnswer>[];
  feedback: StoredResponse<FeedbackAnswer>[];
}

export interface SkillGain {
  skill: string;
  name: string;
  digital: boolean;
  /** People who rated the skill at both goal-setting and measure. */
  answeredBoth: number;
  meanGain: number | null;
}

export interface CycleMetrics {
  members: number;
  pairs: number;
  crossDepartmentPairs: number;
  responseRate: Record<'goalSetting' | 'measure' | 'feedback', number | null>;
  checkIns: { answers: number; met: number; needHelp: number; adherence: number | null };
  skillGains: SkillGain[];
  goalAttainment: { goals: number; meanPercent: number | null };
  /** Net Promoter-style score from the feedback's 0-10 question: % promoters (9-10) minus % detractors (0-6). */
  netPromoterScore: number | null;
  missingSkills: Array<{ skill: string; mentions: number }>;
}

const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const rate = (n: number, of: number): number | null => (of > 0 ? n / of : null);

/** The figures of a cycle, computed from its cohort and answers alone. */
export function computeCycleMetrics(input: { members: Member[]; pairs: Pair[]; responses: CycleResponses; catalog: Skill[] }): CycleMetrics {
  const { members, pairs, responses, catalog } = input;
  const department = new Map(members.map((m) => [m.participantId, m.department]));
  const baseline = new Map(responses.goalSetting.map((r) => [r.participantId, r.answer]));
  const gains = new Map<string, number[]>();
  const attainment: number[] = [];
  for (const end of responses.measure) {
    const start = baseline.get(end.participantId);
    if (!start) continue;
    for (const [skill, after] of Object.entries(end.answer.ratings)) {
      const before = start.baseline[skill];
      if (before !== undefined) (gains.get(skill) ?? gains.set(skill, []).get(skill) ?? []).push(after - before);
    }
    attainment.push(...end.answer.goalAttainment);
  }
  const scores = responses.feedback.map((f) => f.answer.satisfaction);
  const missing = new Map<string, number>();
  for (const f of responses.feedback) for (const s of f.answer.missingSkills) missing.set(s.toLowerCase(), (missing.get(s.toLowerCase()) ?? 0) + 1);
  const met = responses.checkIns.filter((c) => c.answer.status === 'met').length;
  return {
    members: members.length,
    pairs: pairs.length,
    crossDepartmentPairs: pairs.filter((p) => department.get(p.mentorId) !== department.get(p.menteeId)).length,
    responseRate: {
      goalSetting: rate(responses.goalSetting.length, members.length),
      measure: rate(responses.measure.length, members.length),
      feedback: rate(responses.feedback.length, members.length),
    },
    checkIns: {
      answers: responses.checkIns.length,
      met,
      needHelp: responses.checkIns.filter((c) => c.answer.status === 'need-help').length,
      adherence: rate(met, responses.checkIns.length),
    },
    skillGains: catalog
      .filter((s) => gains.has(s.id))
      .map((s) => ({ skill: s.id, name: s.name, digital: s.digital, answeredBoth: gains.get(s.id)?.length ?? 0, meanGain: mean(gains.get(s.id) ?? []) })),
    goalAttainment: { goals: attainment.length, meanPercent: mean(attainment) },
    netPromoterScore: scores.length ? Math.round(((scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length) / scores.length) * 100) : null,
    missingSkills: [...missing.entries()].map(([skill, mentions]) => ({ skill, mentions })).sort((a, b) => b.mentions - a.mentions || a.skill.localeCompare(b.skill)),
  };
}
