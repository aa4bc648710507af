import type { Cycle, Member, Pair } from '../../../domain/cycle.ts';
import { linkPair, pairIdOf } from '../../../domain/cycle.ts';
import { NoPairsError } from '../../../domain/errors.ts';
import type { Matcher } from '../../../domain/matching/matcher.ts';
import type { Participant } from '../../../domain/participant.ts';
import type { Program } from '../../../domain/program.ts';
import type { CycleStore } from '../../ports.ts';
import { rosterToPair } from '../enrollment/index.ts';
import { loadCycle } from '../members.ts';
import type { PhaseDeps, PhaseModule } from '../types.ts';

/** Identify: snapshots the active roster, runs the matcher, stores the cohort (members and pairs). */
export const identify: PhaseModule = {
  name: 'identify',
  statePrefixes: ['Identify'],
  opsLines: (cycle) => [{ label: 'Cohort', text: `${cycle.participants} participants in ${cycle.pairs} pairs` }],
};

/** The identify step (functions/identify.ts): matches the roster and stores the cycle's members and pairs. */
export async function identifyCohort(deps: PhaseDeps & { matcher: Matcher }, cycleId: string) {
  const cycle = await loadCycle(deps.store, cycleId);
  const program = cycle.program;
  const roster = await rosterToPair(deps, cycle, await deps.store.listParticipants(program.programId));
  const recentPairs = await recentPairsOf(deps.store, cycle);
  const result = deps.matcher.match(roster, {
    settings: program.matching,
    skillsCatalog: program.skillsCatalog,
    recentPairs,
    referenceYear: new Date(deps.clock.now()).getUTCFullYear(),
  });
  if (result.pairs.length === 0) {
    throw new NoPairsError(
      `no pair can be formed from the ${roster.length} people on program ${program.programId}'s roster${cycle.phases.enrollment ? ' who joined' : ''}` +
        (result.unmatched[0] ? ` (for example ${result.unmatched[0].participantId}: ${result.unmatched[0].reason})` : ''),
    );
  }
  const pairs: Pair[] = result.pairs.map((p) => ({ ...p, pairId: pairIdOf(p.mentorId, p.menteeId) }));
  const members = membersOf(roster, pairs, program);
  await deps.store.putCohort(cycleId, members, pairs);
  return { participants: members.length, pairs: pairs.length, unmatched: result.unmatched.length, matcher: deps.matcher.name };
}

/** Pairs of the program's last `noRepeatCycles` cycles before this one: never proposed again. */
export async function recentPairsOf(store: CycleStore, cycle: Cycle): Promise<Array<[string, string]>> {
  const keep = cycle.program.matching.noRepeatCycles;
  if (keep === 0) return [];
  const earlier = (await store.listCycles(cycle.programId))
    .filter((c) => c.cycleId !== cycle.cycleId && c.startedAt < cycle.startedAt)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, keep);
  const pairs = await Promise.all(earlier.map((c) => store.listPairs(c.cycleId)));
  return pairs.flat().map((p) => [p.mentorId, p.menteeId]);
}

/** The cohort of the pairs as identify stores it: each paired person's snapshot, linked to their partners. */
export function membersOf(roster: Participant[], pairs: Pair[], program: Program): Member[] {
  const byId = new Map(roster.map((p) => [p.participantId, p]));
  const members = new Map<string, Member>();
  const memberFor = (id: string): Member => {
    let member = members.get(id);
    if (!member) {
      member = memberOf(byId.get(id) as Participant, program);
      members.set(id, member);
    }
    return member;
  };
  for (const pair of pairs) linkPair(memberFor(pair.mentorId), memberFor(pair.menteeId), pair);
  return [...members.values()];
}

/**
 * A person as a member of the cycle, not yet linked to a partner: the snapshot identify stores
 * (and a rematch, for a newcomer). Give it what `rosterToPair` returns, so that after an
 * enrollment the member is who the person declared themselves to be.
 */
export function memberOf(p: Participant, program: Program): Member {
  return {
    participantId: p.participantId,
    name: p.name,
    email: p.email,
    department: p.department,
    language: p.preferredLanguage ?? program.language,
    skillsOffered: p.skillsOffered.map((s) => s.skill),
    skillsWanted: p.skillsWanted.map((s) => s.skill),
    teaches: [],
    learns: [],
    partners: [],
  };
}
