import type { Cycle, Member } from '../../domain/cycle.ts';
import type { Participant } from '../../domain/participant.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { CycleStore, ProgramStore } from '../ports.ts';
import { keepResumedCycle, type RetentionStore } from '../retention.ts';

export async function loadCycle(store: CycleStore, cycleId: string): Promise<Cycle> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  return cycle;
}

/**
 * The cycle as a workflow step sees it. A step runs only in a live execution, so a cycle still
 * marked failed was redriven and the status event that marks it running has not arrived yet
 * (EventBridge delivers it asynchronously): the step marks it running itself, or it would take
 * the cycle for ended and skip its work. As when the event comes, a cycle running again must not
 * expire while it runs (the failure set its retention expiry).
 */
export async function loadCycleForStep(store: CycleStore & RetentionStore, cycleId: string): Promise<Cycle> {
  const cycle = await loadCycle(store, cycleId);
  if (cycle.status !== 'failed') return cycle;
  await store.markResumed(cycleId);
  await keepResumedCycle(store, cycleId);
  return loadCycle(store, cycleId);
}

/** Members who can still be reached: not opted out or bounced since the cycle began, not declined. */
export async function reachableMembers(store: CycleStore & ProgramStore, cycle: Cycle): Promise<Member[]> {
  const [members, roster] = await Promise.all([store.listMembers(cycle.cycleId), store.listParticipants(cycle.programId)]);
  const status = new Map(roster.map((p) => [p.participantId, p.status]));
  return members
    .filter((m) => (status.get(m.participantId) ?? 'active') === 'active' && !m.declined)
    .sort((a, b) => a.participantId.localeCompare(b.participantId));
}

/**
 * Someone on the roster who is not (yet) a member of the cycle, as the pages see them: an
 * invitee of enrollment, before identify made them a member. No partners, no skills to rate.
 */
export function rosterVisitor(participant: Participant, cycle: Cycle): Member {
  return {
    participantId: participant.participantId,
    name: participant.name,
    email: participant.email,
    department: participant.department,
    language: participant.preferredLanguage ?? cycle.program.language,
    skillsOffered: participant.skillsOffered.map((s) => s.skill),
    skillsWanted: participant.skillsWanted.map((s) => s.skill),
    teaches: [],
    learns: [],
    partners: [],
  };
}

/** Whether a roster entry says the person left the program (the opt-out link): their links then change nothing. */
export const leftTheProgram = (entry: Pick<Participant, 'status'> | undefined): boolean => entry?.status === 'opted-out';

/** A person on the cycle's program roster, found by id. */
export async function rosterEntry(store: ProgramStore, cycle: Cycle, participantId: string): Promise<Participant | undefined> {
  return store.getParticipant(cycle.programId, participantId);
}
