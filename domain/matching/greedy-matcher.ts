import { generationYear, type Participant } from '../participant.ts';
import { HardRules } from './hard-rules.ts';
import type { MatchContext, Matcher, MatchResult, ProposedPair } from './matcher.ts';

/** Skills `teacher` offers that `learner` wants, with the product level × priority as their value. */
export function skillFlow(teacher: Participant, learner: Participant): Array<{ skill: string; value: number }> {
  const wanted = new Map(learner.skillsWanted.map((w) => [w.skill, w.priority]));
  return teacher.skillsOffered
    .filter((o) => wanted.has(o.skill))
    .map((o) => ({ skill: o.skill, value: o.level * (wanted.get(o.skill) ?? 0) }));
}

/** Orients a pair: in reverse mode the younger or more junior person teaches. Undefined when reverse mode forbids the pair. */
export function orient(a: Participant, b: Participant, context: MatchContext): [Participant, Participant] | undefined {
  if (context.settings.mode === 'mutual') return a.participantId < b.participantId ? [a, b] : [b, a];
  const gap = generationYear(a) - generationYear(b);
  if (gap >= context.settings.minGenerationGapYears && a.seniority <= b.seniority) return [a, b];
  if (-gap >= context.settings.minGenerationGapYears && b.seniority <= a.seniority) return [b, a];
  return undefined;
}

/**
 * A simple, correct matcher: scores every eligible pair, then takes the best
 * remaining pair while both people have capacity. Never breaks a hard rule, but is
 * not optimal for the cohort as a whole.
 */
export class GreedyMatcher implements Matcher {
  readonly name = 'greedy';

  match(cohort: readonly Participant[], context: MatchContext): MatchResult {
    const rules = new HardRules(cohort, context);
    const eligible = cohort.filter(HardRules.eligible);
    const skillName = new Map(context.skillsCatalog.map((s) => [s.id, s.name]));
    const favoured = new Set(context.settings.favouredDepartmentPairs.map(([x, y]) => [x, y].sort().join('|')));
    const candidates: ProposedPair[] = [];
    for (let i = 0; i < eligible.length; i++) {
      for (let j = i + 1; j < eligible.length; j++) {
        const a = eligible[i] as Participant;
        const b = eligible[j] as Participant;
        if (!rules.allows(a, b)) continue;
        const oriented = orient(a, b, context);
        if (!oriented) continue;
        const [mentor, mentee] = oriented;
        const forward = skillFlow(mentor, mentee);
        const backward = skillFlow(mentee, mentor);
        if (forward.length === 0 && backward.length === 0) continue;
        const crossDepartment = mentor.department !== mentee.department ? 5 : 0;
        const partnership = favoured.has([mentor.department, mentee.department].sort().join('|')) ? 5 : 0;
        const breakdown = {
          mentorTeaches: forward.reduce((sum, f) => sum + f.value, 0),
          menteeTeaches: backward.reduce((sum, f) => sum + f.value, 0),
          crossDepartment,
          favouredPartnership: partnership,
        };
        const names = (flow: typeof forward) => flow.map((f) => skillName.get(f.skill) ?? f.skill).join(', ');
        const years = Math.abs(generationYear(mentor) - generationYear(mentee));
        const parts = [
          forward.length ? `${mentor.name} teaches ${mentee.name} ${names(forward)}` : undefined,
          backward.length ? `${mentee.name} teaches ${mentor.name} ${names(backward)}` : undefined,
          `${years} years apart`,
          mentor.department !== mentee.department ? `${mentor.department} and ${mentee.department}` : `both in ${mentor.department}`,
        ].filter(Boolean);
        candidates.push({
          mentorId: mentor.participantId,
          menteeId: mentee.participantId,
          score: Object.values(breakdown).reduce((sum, v) => sum + v, 0),
          breakdown,
          explanation: parts.join('; '),
          skillsTaught: { byMentor: forward.map((f) => f.skill), byMentee: backward.map((f) => f.skill) },
        });
      }
    }
    candidates.sort((x, y) => y.score - x.score || (x.mentorId + x.menteeId).localeCompare(y.mentorId + y.menteeId));
    const remaining = new Map(eligible.map((p) => [p.participantId, p.capacity]));
    const pairs: ProposedPair[] = [];
    for (const candidate of candidates) {
      if ((remaining.get(candidate.mentorId) ?? 0) > 0 && (remaining.get(candidate.menteeId) ?? 0) > 0) {
        pairs.push(candidate);
        remaining.set(candidate.mentorId, (remaining.get(candidate.mentorId) ?? 0) - 1);
        remaining.set(candidate.menteeId, (remaining.get(candidate.menteeId) ?? 0) - 1);
      }
    }
    const paired = new Set(pairs.flatMap((p) => [p.mentorId, p.menteeId]));
    const withCandidates = new Set(candidates.flatMap((c) => [c.mentorId, c.menteeId]));
    const unmatched = cohort
      .filter((p) => !paired.has(p.participantId))
      .map((p) => ({
        participantId: p.participantId,
        reason: !HardRules.eligible(p)
          ? `not taking part (${p.status})`
          : withCandidates.has(p.participantId)
            ? 'every eligible partner was paired with someone who suited them better'
            : 'no eligible partner: no skill exchange, generation gap or rule allows a pair',
      }));
    return { pairs, unmatched };
  }
}
