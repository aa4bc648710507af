import { DEFAULT_TIME_ZONE, isKnownTimeZone } from '../domain/availability.ts';
import type { Cycle } from '../domain/cycle.ts';
import { dateIn } from '../domain/meetings.ts';
import type { ProgramStore } from './ports.ts';

/**
 * A member's time zone, as the introductions schedule them: what they declared when they joined
 * this cycle, else the roster's, else the program's, else UTC (a name the runtime does not know is
 * passed over).
 */
export async function memberTimeZone(store: Pick<ProgramStore, 'getDeclaration' | 'getParticipant'>, cycle: Cycle, participantId: string): Promise<string> {
  const [declaration, participant] = await Promise.all([
    store.getDeclaration(cycle.programId, participantId),
    store.getParticipant(cycle.programId, participantId),
  ]);
  const candidates = [declaration?.cycleId === cycle.cycleId ? declaration.timeZone : undefined, participant?.timeZone, cycle.program.timeZone];
  return candidates.find((zone): zone is string => !!zone && isKnownTimeZone(zone)) ?? DEFAULT_TIME_ZONE;
}

/** The member's date today (YYYY-MM-DD) where they are: what "today" and "in the future" mean on their forms. */
export async function memberToday(
  store: Pick<ProgramStore, 'getDeclaration' | 'getParticipant'>,
  cycle: Cycle,
  participantId: string,
  now: number,
): Promise<string> {
  return dateIn(now, await memberTimeZone(store, cycle, participantId));
}
