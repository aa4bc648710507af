import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { newCycle, pairIdOf, type Cycle, type Member, type Pair, type StoredResponse } from '../../domain/cycle.ts';
import { OptimalMatcher } from '../../domain/matching/optimal-matcher.ts';
import { openReview } from '../../domain/pair-review.ts';
import type { Participant } from '../../domain/participant.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import type { SessionInput } from '../../domain/sessions.ts';
import type { StoredReview } from '../../services/ports.ts';
import { importRoster } from '../../services/roster-import.ts';
import { InMemoryStore } from './in-memory-store.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

/** examples/program.json as its text. */
export const SAMPLE_PROGRAM_JSON = readFileSync(resolve(EXAMPLES, 'program.json'), 'utf8');

/** examples/roster.csv as its text: the sample cohort (p01 … p24). */
export const SAMPLE_ROSTER_CSV = readFileSync(resolve(EXAMPLES, 'roster.csv'), 'utf8');

/** The sample program under an id of the test's own; `enrollment` gives it an enrollment window of that length (`P14D`). */
export function sampleProgram(programId: string, { enrollment }: { enrollment?: string } = {}): Program {
  const base = JSON.parse(SAMPLE_PROGRAM_JSON) as { phaseWindows: object };
  return programSchema.parse({ ...base, programId, ...(enrollment ? { phaseWindows: { ...base.phaseWindows, enrollment } } : {}) });
}

/** The sample roster as the program's store holds it, paired by the real matcher with the pair ids the identify phase gives. */
export async function matchedSampleCohort(program: Program): Promise<{ roster: Participant[]; pairs: Pair[] }> {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  const roster = await store.listParticipants(program.programId);
  const context = { settings: program.matching, skillsCatalog: program.skillsCatalog, recentPairs: [], referenceYear: 2027 };
  const pairs = new OptimalMatcher({ deadlineMs: 2_000 }).match(roster, context).pairs.map((p) => ({ ...p, pairId: pairIdOf(p.mentorId, p.menteeId) }));
  return { roster, pairs };
}

/** An informational session (`ai-101`, in São Paulo on 20 March 2027) as HR adds it; the test sets its skills and seats. */
export const sessionInput = (details: Partial<SessionInput> & Pick<SessionInput, 'skills' | 'capacity'>): SessionInput => ({
  sessionId: 'ai-101',
  title: 'AI assistants in practice',
  description: 'Prompting, checking answers, privacy.',
  startsAt: '2027-03-20T14:00-03:00',
  timeZone: 'America/Sao_Paulo',
  durationMinutes: 90,
  place: 'Room 4',
  ...details,
});

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

/**
 * A running cycle of the sample program with approval required, whose proposed pairs (p01 with p02, p03 with p04, of
 * the sample roster) wait for HR's approval for two days from `now`. `pairs` replaces those pairs (their explanations,
 * say). It has an execution, so the console and `stopCycle` can stop it through a recording workflow.
 */
export async function cycleAwaitingApproval(store: InMemoryStore, programId: string, now: number, pairs?: Pair[]): Promise<Cycle> {
  const program = programSchema.parse({ ...sampleProgram(programId), approval: { required: true, deadline: 'P2D', onDeadline: 'approve' } });
  await store.putProgram(program);
  await importRoster(store, { programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  const cycle = newCycle(program, `${programId}-20270301T090000Z`, now);
  await store.createCycle(cycle);
  await store.setExecution(cycle.cycleId, `arn:aws:states:us-east-1:000000000000:execution:program-cycle:${cycle.cycleId}`);
  const proposed = pairs ?? consecutivePairs(['p01', 'p02', 'p03', 'p04']);
  await store.putCohort(
    cycle.cycleId,
    [...new Set(proposed.flatMap((p) => [p.mentorId, p.menteeId]))].map((id) => memberOf(id)),
    proposed,
  );
  await store.openApproval(cycle.cycleId, openReview(now, now + 2 * 86_400_000, []));
  return (await store.getCycle(cycle.cycleId)) as Cycle;
}

/** An answer as the store keeps it. */
export const storedAnswer = <T>(phaseKey: string, participantId: string, answer: T): StoredResponse<T> => ({
  cycleId: 'c',
  phaseKey,
  participantId,
  answer,
  recordedAt: 0,
});

/**
 * A store holding the program, the sample roster and a cycle `reviewedCycleId` that succeeded 100 days
 * before `now`, whose review proposes one change: a longer goal-setting window (P14D → P21D).
 */
export async function storeWithReviewedCycle(program: Program, reviewedCycleId: string, now: number): Promise<InMemoryStore> {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle({ ...newCycle(program, reviewedCycleId, now - 100 * 86_400_000), status: 'succeeded' });
  const review: StoredReview = {
    cycleId: reviewedCycleId,
    programId: program.programId,
    startedAt: now - 100 * 86_400_000,
    generatedAt: now - 86_400_000,
    reportPath: '/reports/r.html',
    summary: {} as StoredReview['summary'],
    proposals: [
      {
        id: 'phase-window:goalSetting',
        kind: 'phase-window',
        title: 'A longer goal-setting window',
        change: { op: 'replace', path: '/phaseWindows/goalSetting', from: 'P14D', value: 'P21D' },
        reason: 'few answered',
        evidence: { figure: 'responseRate.goalSetting', value: 0.5 },
      },
    ],
  };
  await store.putReview(review);
  return store;
}
