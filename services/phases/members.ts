import type { Cycle, Member } from '../../domain/cycle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { CycleStore, ProgramStore } from '../ports.ts';

export async function loadCycle(store: CycleStore, cycleId: string): Promise<Cycle> {
  const cycle = await store.getCycle(cycleId);
  if (!cycle) throw new NotFoundError(`cycle ${cycleId} does not exist`);
  return cycle;
}

/** Members who can still be reached: not opted out or bounced since the cycle began, not declined. */
export async function reachableMembers(store: CycleStore & ProgramStore, cycle: Cycle): Promise<Member[]> {
  const [members, roster] = await Promise.all([store.listMembers(cycle.cycleId), store.listParticipants(cycle.programId)]);
  const status = new Map(roster.map((p) => [p.participantId, p.status]));
  return members
    .filter((m) => (status.get(m.participantId) ?? 'active') === 'active' && !m.declined)
    .sort((a, b) => a.participantId.localeCompare(b.participantId));
}
