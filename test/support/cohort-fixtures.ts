import type { Member, Pair, StoredResponse } from '../../domain/cycle.ts';

/** `p01` … `pNN`: the ids of a test cohort, in pairing order. */
export const cohortIds = (size: number): string[] => Array.from({ length: size }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);

/** A cycle member with no skills and no partners; the test sets what it is about. */
export const memberOf = (participantId: string, details: Partial<Member> = {}): Member => ({
  participantId,
  name: participantId,
  email: `${participantId}@example.com`,
  department: 'IT',
  language: 'en',
  skillsOffered: [],
  skillsWanted: [],
  teaches: [],
  learns: [],
  partners: [],
  ...details,
});

/** Pairs of consecutive ids, the first of each teaching "ai" and the second "negotiation". */
export const consecutivePairs = (ids: readonly string[]): Pair[] =>
  ids.flatMap((mentorId, i) =>
    i % 2 === 0 && ids[i + 1]
      ? [
          {
            pairId: `${mentorId}~${ids[i + 1]}`,
            mentorId,
            menteeId: ids[i + 1] as string,
            score: 1,
            breakdown: {},
            explanation: '',
            skillsTaught: { byMentor: ['ai'], byMentee: ['negotiation'] },
          },
        ]
      : [],
  );

/** An answer as the store keeps it. */
export const storedAnswer = <T>(phaseKey: string, participantId: string, answer: T): StoredResponse<T> => ({
  cycleId: 'c',
  phaseKey,
  participantId,
  answer,
  recordedAt: 0,
});
