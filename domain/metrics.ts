import type { Member, Pair, StoredResponse } from './cycle.ts';
import type { CheckInAnswer, FeedbackAnswer, GoalSettingAnswer, MeasureAnswer } from './surveys.ts';
import type { Language, Skill } from './program.ts';
import { foldSkillLabel, namesOf, skillLabel } from './skills.ts';
import { MIN_GROUP_SIZE, mean, netPromoter, share, summarize, type NetPromoter, type Summary } from './statistics.ts';
import { nameRedactor, plainText, redactNames } from './text.ts';

// Quotes in reports and erasure (domain/person-data.ts) redact names alike.
export { redactNames };

/**
 * The figures of a cycle (issue 6): participation, the program's five promised benefits, skill
 * gains by skill and direction with bootstrap intervals, goals, check-ins, satisfaction and the
 * feedback forum's themes. Pure: everything comes in through `MetricsInput`. How each figure is
 * computed is written down in docs/review.md.
 */

export interface CycleResponses {
  goalSetting: StoredResponse<GoalSettingAnswer>[];
  checkIns: StoredResponse<CheckInAnswer>[];
  measure: StoredResponse<MeasureAnswer>[];
  feedback: StoredResponse<FeedbackAnswer>[];
}

/** What the roster knows about a member that the cohort snapshot does not keep. */
export interface RosterFacts {
  participantId: string;
  birthYear?: number;
  careerStartYear?: number;
}

/**
 * Data the participant pages add (issue 5): invitation answers, rematches, at-risk flags and the
 * feedback forum's suggestions. Every field is optional; a figure whose data is absent is null
 * ("not recorded") rather than 0.
 */
export interface ParticipationEvents {
  invitations?: { accepted: number; declined: number; declineReasons: Array<{ reason: string; count: number }> };
  rematches?: number;
  /** Pairs flagged at risk by the participant pages, with why. */
  atRiskPairs?: Array<{ pairId: string; reasons: string[] }>;
  suggestions?: Array<{ text: string; votes: number; category?: string }>;
}

/** What earlier cycles of the program left behind (their stored summaries). */
export interface CycleHistory {
  /** Unordered department links ("A ↔ B") formed by earlier cycles' pairs. */
  departmentLinks: string[];
}

export interface MetricsInput {
  members: Member[];
  pairs: Pair[];
  responses: CycleResponses;
  catalog: Skill[];
  /** The language skills are named in (the program's: the HR report is read in it); default en. */
  language?: Language;
  roster?: RosterFacts[];
  /** Check-in rounds the run phase sent (the cycle's phases.run.checkInRoundsSent); default: the rounds seen in answers. */
  checkInRounds?: number[];
  history?: CycleHistory;
  participation?: ParticipationEvents;
  /** The cycle's enrollment, when it opened with one: who was invited, who joined, and the skills each joiner proposed. */
  enrollment?: EnrollmentFacts;
  options?: { minGroupSize?: number; resamples?: number; seed?: number };
}

export interface EnrollmentFacts {
  invited: number;
  joined: number;
  declined: number;
  /** Per joiner, the skills they proposed because the catalog lacks them (as they wrote them). */
  proposedSkills: Array<{ participantId: string; skills: string[] }>;
}

/** A skill people named as lacking, as they wrote it (lower case, participants' names redacted). */
export interface MissingSkill {
  skill: string;
  /** The people who named it: once each, whether in their feedback, at enrollment or both. */
  mentions: number;
  /** Feedback answers that name it. */
  inFeedback: number;
  /** Joiners who proposed it on the join page. */
  atEnrollment: number;
  offeredInCohort: boolean;
  /** It named a participant, now shown as [name]: reported, never proposed for the catalog. */
  namesRedacted?: true;
}

/** The program's funnel when the cycle opened with enrollment: invited → joined → paired → completed (answered measure). */
export interface Funnel {
  invited: number;
  joined: number;
  declined: number;
  paired: number;
  completed: number;
}

export type Direction = 'juniorTaughtSenior' | 'seniorTaughtJunior';
export const DIRECTION_LABELS: Record<Direction, string> = {
  juniorTaughtSenior: 'junior taught senior (mentor → mentee)',
  seniorTaughtJunior: 'senior taught junior (mentee → mentor)',
};

export interface SkillGain {
  skill: string;
  name: string;
  digital: boolean;
  /** People who rated the skill at both goal-setting and measure. */
  answeredBoth: number;
  /** Measure minus baseline, one value per person who rated the skill both times. */
  gain: Summary;
  /** The same, split by who taught it: only the people who learned the skill in a pair. */
  byDirection: Record<Direction, Summary>;
}

export interface PhaseParticipation {
  key: string;
  label: string;
  expected: number;
  answered: number;
  rate: number | null;
}

export interface DepartmentParticipation {
  department: string;
  members: number;
  /** Suppressed (null) when the department has fewer than five members in the cycle. */
  answeredMeasure: number | null;
  measureRate: number | null;
  suppressed: boolean;
}

export interface CycleMetrics {
  members: number;
  pairs: number;
  crossDepartmentPairs: number;
  responseRate: Record<'goalSetting' | 'measure' | 'feedback', number | null>;
  participation: PhaseParticipation[];
  pairStatus: {
    formed: number;
    /** Null until the participant pages record invitation answers. */
    declined: number | null;
    declineReasons: Array<{ reason: string; count: number }>;
    rematched: number | null;
    atRisk: number;
    atRiskPairs: Array<{ pairId: string; mentorId: string; menteeId: string; reasons: string[] }>;
    /** Where the at-risk flags come from: computed here from check-ins, and the participant pages' flags when recorded. */
    atRiskSource: 'participant-pages and check-ins' | 'check-ins';
  };
  checkIns: {
    rounds: number;
    answers: number;
    /** Answers expected: rounds × members. */
    expected: number;
    answerRate: number | null;
    met: number;
    needHelp: number;
    /** "We met" answers over all answers. */
    adherence: number | null;
  };
  skillGains: SkillGain[];
  /** One value per person: the mean gain over the skills they learned in that direction. */
  gainsByDirection: Record<Direction, Summary>;
  benefits: {
    acrossGenerations: { pairsWithKnownGenerations: number; crossGenerationPairs: number; share: number | null; meanGapYears: number | null };
    knowledgeExchange: { pairsBothAnswered: number; pairsBothGained: number; share: number | null; suppressed: boolean };
    diversity: {
      crossDepartmentPairs: number;
      share: number | null;
      departmentLinks: string[];
      newDepartmentLinks: string[];
      /** False for a program's first reviewed cycle: every link is then new. */
      comparedWithEarlierCycles: boolean;
      byDepartment: DepartmentParticipation[];
    };
    digital: { skills: string[]; gain: Summary };
  };
  goalAttainment: { goals: number; meanPercent: number | null; perPerson: Summary };
  satisfaction: NetPromoter & { suppressed: boolean };
  /** Net Promoter-style score (the same as satisfaction.score, null when suppressed). */
  netPromoterScore: number | null;
  /** Skills named as lacking, in feedback answers and (with enrollment) as proposals on the join page. */
  missingSkills: MissingSkill[];
  funnel?: Funnel;
  themes: {
    /** The forum's most voted suggestions; null until the participant pages record them. */
    /** Identical suggestions (same category and text, any case) are one, with their votes added up and how many people made them. */
    suggestions: Array<{ text: string; votes: number; category?: string; people: number }> | null;
    /** Skills asked for that no member of the cohort offers. */
    unofferedSkills: Array<Omit<MissingSkill, 'offeredInCohort'>>;
    explore: Array<{ text: string; count: number }>;
    worked: Array<{ text: string; count: number }>;
    keep: Array<{ text: string; count: number }>;
    more: Array<{ text: string; count: number }>;
    improve: Array<{ text: string; count: number }>;
  };
  method: { minGroupSize: number; resamples: number; seed: number };
}

/** Pew Research generations by birth year. */
export function generationOf(birthYear: number): string {
  if (birthYear <= 1964) return 'Baby boomers';
  if (birthYear <= 1980) return 'Generation X';
  if (birthYear <= 1996) return 'Millennials';
  return 'Generation Z';
}
/** Where only a career-start year is kept, the birth year is taken to be 22 years earlier. */
export const CAREER_START_AGE = 22;
const birthYearOf = (r: RosterFacts | undefined): number | undefined =>
  r?.birthYear ?? (r?.careerStartYear !== undefined ? r.careerStartYear - CAREER_START_AGE : undefined);

export const departmentLink = (a: string, b: string): string => [a, b].sort((x, y) => x.localeCompare(y)).join(' ↔ ');

type Redact = (text: string) => string;

function countTexts(texts: readonly string[], redact: Redact): Array<{ text: string; count: number }> {
  const counts = new Map<string, { text: string; count: number }>();
  for (const raw of texts) {
    const text = redact(raw.trim().replace(/\s+/g, ' '));
    if (!text) continue;
    const key = text.toLowerCase();
    const entry = counts.get(key) ?? counts.set(key, { text, count: 0 }).get(key);
    if (entry) entry.count++;
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}

/** Measure minus baseline for every person who answered both surveys: person → skill → gain (catalog skills only). */
export function gainsByPerson(responses: Pick<CycleResponses, 'goalSetting' | 'measure'>, catalog: readonly Skill[]): Map<string, Map<string, number>> {
  const inCatalog = new Set(catalog.map((s) => s.id));
  const baseline = new Map(responses.goalSetting.map((r) => [r.participantId, r.answer]));
  const out = new Map<string, Map<string, number>>();
  for (const end of responses.measure) {
    const start = baseline.get(end.participantId);
    if (!start) continue;
    const mine = new Map<string, number>();
    for (const [skill, after] of Object.entries(end.answer.ratings)) {
      const before = start.baseline[skill];
      if (before !== undefined && inCatalog.has(skill)) mine.set(skill, after - before);
    }
    out.set(end.participantId, mine);
  }
  return out;
}

/** A person's mean gain over the given skills they rated both times; null when none. */
export function meanGainOn(gains: Map<string, Map<string, number>>, person: string, skills: Iterable<string>): number | null {
  const mine = gains.get(person);
  if (!mine) return null;
  return mean([...skills].flatMap((s) => (mine.has(s) ? [mine.get(s) as number] : [])));
}

function topSuggestions(list: NonNullable<ParticipationEvents['suggestions']>, redact: Redact) {
  const merged = new Map<string, { text: string; votes: number; category?: string; people: number }>();
  for (const x of list) {
    const text = redact(x.text.trim().replace(/\s+/g, ' '));
    if (!text) continue;
    const key = `${x.category ?? ''}|${text.toLowerCase()}`;
    const entry = merged.get(key) ?? merged.set(key, { text, votes: 0, ...(x.category ? { category: x.category } : {}), people: 0 }).get(key);
    if (!entry) continue;
    entry.votes += x.votes;
    entry.people++;
  }
  return [...merged.values()].sort((a, b) => b.votes - a.votes || b.people - a.people || a.text.localeCompare(b.text)).slice(0, 10);
}

/** The figures of a cycle, computed from its cohort and answers (and, when given, its roster, history and participant-page events). */
export function computeCycleMetrics(input: MetricsInput): CycleMetrics {
  const { members, pairs, responses, catalog } = input;
  const minGroupSize = input.options?.minGroupSize ?? MIN_GROUP_SIZE;
  const stats = { minGroupSize, resamples: input.options?.resamples, seed: input.options?.seed };
  const method = { minGroupSize, resamples: input.options?.resamples ?? 2000, seed: input.options?.seed ?? 20270101 };
  const summary = (values: number[]) => summarize(values, stats);
  const memberIds = new Set(members.map((m) => m.participantId));
  const department = new Map(members.map((m) => [m.participantId, m.department]));
  const catalogById = new Map(catalog.map((s) => [s.id, s]));

  // ---- skill gains: measure minus baseline, per person and skill ------------------------------
  const gainOf = gainsByPerson(responses, catalog);
  const baseline = new Map(responses.goalSetting.map((r) => [r.participantId, r.answer]));
  const attainment: number[] = [];
  const attainmentPerPerson: number[] = [];
  for (const end of responses.measure) {
    if (!baseline.has(end.participantId)) continue;
    attainment.push(...end.answer.goalAttainment);
    const personal = mean(end.answer.goalAttainment);
    if (personal !== null) attainmentPerPerson.push(personal);
  }

  // Who learned which skill in which direction (a person in two pairs learns the union).
  const learned: Record<Direction, Map<string, Set<string>>> = { juniorTaughtSenior: new Map(), seniorTaughtJunior: new Map() };
  const addLearned = (direction: Direction, person: string, skills: readonly string[]) => {
    const set = learned[direction].get(person) ?? learned[direction].set(person, new Set()).get(person);
    for (const s of skills) set?.add(s);
  };
  for (const p of pairs) {
    addLearned('juniorTaughtSenior', p.menteeId, p.skillsTaught.byMentor);
    addLearned('seniorTaughtJunior', p.mentorId, p.skillsTaught.byMentee);
  }
  const personMeanGain = (person: string, skills: Iterable<string>) => meanGainOn(gainOf, person, skills);
  const directionValues = (direction: Direction): number[] =>
    [...learned[direction].entries()].flatMap(([person, skills]) => {
      const g = personMeanGain(person, skills);
      return g === null ? [] : [g];
    });

  const skillGains: SkillGain[] = catalog.flatMap((skill) => {
    const values = [...gainOf.values()].flatMap((mine) => (mine.has(skill.id) ? [mine.get(skill.id) as number] : []));
    if (values.length === 0) return [];
    const byDirection = Object.fromEntries(
      (['juniorTaughtSenior', 'seniorTaughtJunior'] as const).map((d) => [
        d,
        summary(
          [...learned[d].entries()].flatMap(([person, skills]) =>
            skills.has(skill.id) && gainOf.get(person)?.has(skill.id) ? [gainOf.get(person)?.get(skill.id) as number] : [],
          ),
        ),
      ]),
    ) as Record<Direction, Summary>;
    return [
      {
        skill: skill.id,
        name: skillLabel(skill, input.language ?? 'en'),
        digital: skill.digital,
        answeredBoth: values.length,
        gain: summary(values),
        byDirection,
      },
    ];
  });

  // ---- check-ins and pairs at risk -------------------------------------------------------------
  const roundOf = (key: string) => Number(key.split('#')[1]);
  const rounds = [...new Set(input.checkInRounds ?? responses.checkIns.map((c) => roundOf(c.phaseKey)))].sort((a, b) => a - b);
  const checkInsBy = new Map<string, StoredResponse<CheckInAnswer>[]>();
  for (const c of responses.checkIns) (checkInsBy.get(c.participantId) ?? checkInsBy.set(c.participantId, []).get(c.participantId))?.push(c);
  const met = responses.checkIns.filter((c) => c.answer.status === 'met').length;
  const needHelp = responses.checkIns.filter((c) => c.answer.status === 'need-help').length;

  const computedAtRisk = pairs.flatMap((p) => {
    const answers = [...(checkInsBy.get(p.mentorId) ?? []), ...(checkInsBy.get(p.menteeId) ?? [])];
    const answeredRounds = new Set(answers.map((a) => roundOf(a.phaseKey)));
    const missed = rounds.filter((r) => !answeredRounds.has(r)).length;
    const reasons: string[] = [];
    if (answers.some((a) => a.answer.status === 'need-help')) reasons.push('asked for help at a check-in');
    if (missed >= 2) reasons.push(`missed ${missed} check-ins (neither member answered)`);
    return reasons.length ? [{ pairId: p.pairId, reasons }] : [];
  });
  // The participant pages flag pairs as answers arrive; check-ins nobody answered are only seen here. Both count.
  const flaggedById = new Map<string, string[]>();
  for (const f of [...(input.participation?.atRiskPairs ?? []), ...computedAtRisk])
    flaggedById.set(f.pairId, [...new Set([...(flaggedById.get(f.pairId) ?? []), ...f.reasons])]);
  const flagged = [...flaggedById.entries()].map(([pairId, reasons]) => ({ pairId, reasons }));
  const pairById = new Map(pairs.map((p) => [p.pairId, p]));
  const atRiskPairs = flagged.flatMap((f) => {
    const p = pairById.get(f.pairId);
    return p ? [{ pairId: p.pairId, mentorId: p.mentorId, menteeId: p.menteeId, reasons: f.reasons }] : [];
  });

  // ---- benefits ------------------------------------------------------------------------------------
  const rosterById = new Map((input.roster ?? []).map((r) => [r.participantId, r]));
  let known = 0;
  let crossGeneration = 0;
  const gaps: number[] = [];
  for (const p of pairs) {
    const a = birthYearOf(rosterById.get(p.mentorId));
    const b = birthYearOf(rosterById.get(p.menteeId));
    if (a === undefined || b === undefined) continue;
    known++;
    gaps.push(Math.abs(a - b));
    if (generationOf(a) !== generationOf(b)) crossGeneration++;
  }

  let pairsBothAnswered = 0;
  let pairsBothGained = 0;
  for (const p of pairs) {
    const menteeGain = personMeanGain(p.menteeId, p.skillsTaught.byMentor);
    const mentorGain = personMeanGain(p.mentorId, p.skillsTaught.byMentee);
    if (menteeGain === null || mentorGain === null) continue;
    pairsBothAnswered++;
    if (menteeGain > 0 && mentorGain > 0) pairsBothGained++;
  }
  const exchangeSuppressed = pairsBothAnswered * 2 < minGroupSize;

  const crossDepartment = pairs.filter((p) => department.get(p.mentorId) !== department.get(p.menteeId));
  const departmentLinks = [...new Set(crossDepartment.map((p) => departmentLink(department.get(p.mentorId) ?? '?', department.get(p.menteeId) ?? '?')))].sort();
  const earlierLinks = new Set(input.history?.departmentLinks ?? []);
  const measured = new Set(responses.measure.map((r) => r.participantId).filter((id) => memberIds.has(id)));
  const byDepartmentCount = new Map<string, string[]>();
  for (const m of members) (byDepartmentCount.get(m.department) ?? byDepartmentCount.set(m.department, []).get(m.department))?.push(m.participantId);
  const byDepartment: DepartmentParticipation[] = [...byDepartmentCount.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, ids]) => {
      const suppressed = ids.length < minGroupSize;
      const answered = ids.filter((id) => measured.has(id)).length;
      return {
        department: name,
        members: ids.length,
        answeredMeasure: suppressed ? null : answered,
        measureRate: suppressed ? null : share(answered, ids.length),
        suppressed,
      };
    });

  const digitalSkills = catalog.filter((s) => s.digital).map((s) => s.id);
  const digitalValues = [...gainOf.keys()].flatMap((person) => {
    const g = personMeanGain(person, digitalSkills);
    return g === null ? [] : [g];
  });

  // ---- feedback ------------------------------------------------------------------------------------
  const nps = netPromoter(responses.feedback.map((f) => f.answer.satisfaction));
  const satisfactionSuppressed = nps.n < minGroupSize;
  const offered = new Set<string>();
  for (const m of members) {
    for (const s of m.skillsOffered) {
      offered.add(foldSkillLabel(s));
      const skill = catalogById.get(s);
      // Feedback names skills in either language, as people write them: every label and alias of an offered skill counts, folded.
      if (skill) for (const name of namesOf(skill)) offered.add(foldSkillLabel(name));
    }
  }
  const redact = nameRedactor(members.map((m) => m.name));
  const missing = new Map<string, { people: Set<string>; inFeedback: number; atEnrollment: number; namesRedacted: boolean }>();
  const nameAsLacking = (participantId: string, written: readonly string[], source: 'inFeedback' | 'atEnrollment') => {
    // Answers stored before typed text was cleaned may carry control characters: a proposed skill must not take them into the catalog.
    for (const raw of new Set(written.map((x) => plainText(x).trim().toLowerCase()).filter(Boolean))) {
      // "excel with <a colleague>" is about a person: the report and the proposals never repeat the name.
      const skill = redact(raw);
      const entry = missing.get(skill) ?? { people: new Set<string>(), inFeedback: 0, atEnrollment: 0, namesRedacted: skill !== raw };
      entry.people.add(participantId);
      entry[source] += 1;
      missing.set(skill, entry);
    }
  };
  for (const f of responses.feedback) nameAsLacking(f.participantId, f.answer.missingSkills, 'inFeedback');
  // A skill a joiner proposed at enrollment is one the catalog, and so the organization's program, lacks.
  for (const proposed of input.enrollment?.proposedSkills ?? []) nameAsLacking(proposed.participantId, proposed.skills, 'atEnrollment');
  const missingSkills = [...missing.entries()]
    .map(([skill, entry]): MissingSkill => ({
      skill,
      mentions: entry.people.size,
      inFeedback: entry.inFeedback,
      atEnrollment: entry.atEnrollment,
      offeredInCohort: offered.has(foldSkillLabel(skill)),
      ...(entry.namesRedacted ? { namesRedacted: true as const } : {}),
    }))
    .sort((a, b) => b.mentions - a.mentions || a.skill.localeCompare(b.skill));
  const texts = (field: 'worked' | 'keep' | 'more' | 'explore' | 'improve') =>
    countTexts(
      responses.feedback.map((f) => f.answer[field]),
      redact,
    );

  const rate = (key: string, label: string, answered: number, expected: number): PhaseParticipation => ({
    key,
    label,
    expected,
    answered,
    rate: share(answered, expected),
  });
  const countByKey = (key: string) => responses.checkIns.filter((c) => c.phaseKey === key).length;
  return {
    members: members.length,
    pairs: pairs.length,
    crossDepartmentPairs: crossDepartment.length,
    responseRate: {
      goalSetting: share(responses.goalSetting.length, members.length),
      measure: share(responses.measure.length, members.length),
      feedback: share(responses.feedback.length, members.length),
    },
    participation: [
      rate('goal-setting', 'Goal-setting', responses.goalSetting.length, members.length),
      ...rounds.map((r) => rate(`run#${r}`, `Check-in ${r}`, countByKey(`run#${r}`), members.length)),
      rate('measure', 'Measure', responses.measure.length, members.length),
      rate('feedback', 'Feedback', responses.feedback.length, members.length),
    ],
    pairStatus: {
      formed: pairs.length,
      declined: input.participation?.invitations?.declined ?? null,
      declineReasons: (input.participation?.invitations?.declineReasons ?? []).map((r) => ({
        ...r,
        reason: redact(r.reason),
      })),
      rematched: input.participation?.rematches ?? null,
      atRisk: atRiskPairs.length,
      atRiskPairs,
      atRiskSource: input.participation?.atRiskPairs ? 'participant-pages and check-ins' : 'check-ins',
    },
    checkIns: {
      rounds: rounds.length,
      answers: responses.checkIns.length,
      expected: rounds.length * members.length,
      answerRate: share(responses.checkIns.length, rounds.length * members.length),
      met,
      needHelp,
      adherence: share(met, responses.checkIns.length),
    },
    skillGains,
    gainsByDirection: {
      juniorTaughtSenior: summary(directionValues('juniorTaughtSenior')),
      seniorTaughtJunior: summary(directionValues('seniorTaughtJunior')),
    },
    benefits: {
      acrossGenerations: {
        pairsWithKnownGenerations: known,
        crossGenerationPairs: crossGeneration,
        share: share(crossGeneration, known),
        meanGapYears: mean(gaps),
      },
      knowledgeExchange: {
        pairsBothAnswered,
        pairsBothGained: exchangeSuppressed ? 0 : pairsBothGained,
        share: exchangeSuppressed ? null : share(pairsBothGained, pairsBothAnswered),
        suppressed: exchangeSuppressed,
      },
      diversity: {
        crossDepartmentPairs: crossDepartment.length,
        share: share(crossDepartment.length, pairs.length),
        departmentLinks,
        newDepartmentLinks: departmentLinks.filter((l) => !earlierLinks.has(l)),
        comparedWithEarlierCycles: input.history !== undefined,
        byDepartment,
      },
      digital: { skills: digitalSkills, gain: summary(digitalValues) },
    },
    goalAttainment: (() => {
      const perPerson = summary(attainmentPerPerson);
      return { goals: attainment.length, meanPercent: perPerson.suppressed ? null : mean(attainment), perPerson };
    })(),
    satisfaction: { ...nps, score: satisfactionSuppressed ? null : nps.score, suppressed: satisfactionSuppressed },
    netPromoterScore: satisfactionSuppressed ? null : nps.score,
    missingSkills,
    ...(input.enrollment
      ? {
          funnel: {
            invited: input.enrollment.invited,
            joined: input.enrollment.joined,
            declined: input.enrollment.declined,
            paired: members.length,
            completed: new Set(responses.measure.map((r) => r.participantId)).size,
          },
        }
      : {}),
    themes: {
      suggestions: input.participation?.suggestions ? topSuggestions(input.participation.suggestions, redact) : null,
      unofferedSkills: missingSkills.filter((s) => !s.offeredInCohort).map(({ offeredInCohort: _offered, ...rest }) => rest),
      explore: texts('explore'),
      worked: texts('worked'),
      keep: texts('keep'),
      more: texts('more'),
      improve: texts('improve'),
    },
    method,
  };
}

/** The headline figures of a cycle, stored with it so that later reviews compare without recomputing. */
export interface CycleSummary {
  cycleId: string;
  startedAt: number;
  members: number;
  pairs: number;
  responseRate: CycleMetrics['responseRate'];
  crossDepartmentShare: number | null;
  crossGenerationShare: number | null;
  juniorTaughtSeniorMeanGain: number | null;
  seniorTaughtJuniorMeanGain: number | null;
  digitalMeanGain: number | null;
  bothWaysShare: number | null;
  goalAttainmentMeanPercent: number | null;
  checkInAdherence: number | null;
  netPromoterScore: number | null;
  atRiskPairs: number;
  departmentLinks: string[];
}

const meanOf = (s: Summary): number | null => (s.suppressed ? null : s.mean);

export function summarizeCycle(cycleId: string, startedAt: number, m: CycleMetrics): CycleSummary {
  return {
    cycleId,
    startedAt,
    members: m.members,
    pairs: m.pairs,
    responseRate: m.responseRate,
    crossDepartmentShare: m.benefits.diversity.share,
    crossGenerationShare: m.benefits.acrossGenerations.share,
    juniorTaughtSeniorMeanGain: meanOf(m.gainsByDirection.juniorTaughtSenior),
    seniorTaughtJuniorMeanGain: meanOf(m.gainsByDirection.seniorTaughtJunior),
    digitalMeanGain: meanOf(m.benefits.digital.gain),
    bothWaysShare: m.benefits.knowledgeExchange.share,
    goalAttainmentMeanPercent: m.goalAttainment.perPerson.suppressed ? null : m.goalAttainment.meanPercent,
    checkInAdherence: m.checkIns.adherence,
    netPromoterScore: m.netPromoterScore,
    atRiskPairs: m.pairStatus.atRisk,
    departmentLinks: m.benefits.diversity.departmentLinks,
  };
}
