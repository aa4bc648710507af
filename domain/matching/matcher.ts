import type { MatchingSettings, Skill } from '../program.ts';
import type { Participant } from '../participant.ts';

/** What a matcher knows besides the cohort: HR's rules and the program's history. */
export interface MatchContext {
  settings: MatchingSettings;
  skillsCatalog: Skill[];
  /** Pairs formed in the program's last `settings.noRepeatCycles` cycles, as participant ids. */
  recentPairs: Array<[string, string]>;
  /** The year generation gaps are measured in (only used for explanations). */
  referenceYear: number;
}

export interface ProposedPair {
  /** In reverse mode the mentor is the younger or more junior person; in mutual mode both teach and the roles are nominal. */
  mentorId: string;
  menteeId: string;
  score: number;
  /** The score broken down by criterion; the values add up to `score`. */
  breakdown: Record<string, number>;
  /** What each person teaches the other, in words a person can read. */
  explanation: string;
  /** Skills that flow mentor → mentee and mentee → mentor. */
  skillsTaught: { byMentor: string[]; byMentee: string[] };
}

export interface UnmatchedParticipant {
  participantId: string;
  reason: string;
}

export interface MatchResult {
  pairs: ProposedPair[];
  unmatched: UnmatchedParticipant[];
}

/** Pairs a whole cohort at once. Implementations must never break a hard rule (see hard-rules.ts). */
export interface Matcher {
  readonly name: string;
  match(cohort: readonly Participant[], context: MatchContext): MatchResult;
}
