import { DEFAULT_TIME_ZONE, isKnownTimeZone } from '../domain/availability.ts';
import type { Cycle, Member } from '../domain/cycle.ts';
import { dateIn } from '../domain/meetings.ts';
import type { Participant } from '../domain/participant.ts';
import type { ProgramStore } from './ports.ts';

type ZoneStore = Pick<ProgramStore, 'getDeclaration' | 'getParticipant'>;

/**
 * A member's time zone, as the introductions schedule them: what they declared when they joined
 * this cycle, else the roster's, else the program's, else UTC (a name the runtime does not know is
 * passed over). `entry` is the roster entry when the caller has read it already.
 */
export async function memberTimeZone(store: ZoneStore, cycle: Cycle, participantId: string, entry?: Participant): Promise<string> {
  const [declaration, participant] = await Promise.all([
    store.getDeclaration(cycle.programId, participantId),
    entry ?? store.getParticipant(cycle.programId, participantId),
  ]);
  const candidates = [declaration?.cycleId === cycle.cycleId ? declaration.timeZone : undefined, participant?.timeZone, cycle.program.timeZone];
  return candidates.find((zone): zone is string => !!zone && isKnownTimeZone(zone)) ?? DEFAULT_TIME_ZONE;
}

/** What a page request knows: the link's cycle and member, its time, and the roster entry read when the link was resolved. */
interface ZonedVisit {
  cycle: Cycle;
  member: Member;
  now: number;
  rosterEntry?: Participant | undefined;
}

/** Read once per request: a meeting posted and the page shown after it ask for the zone twice. */
const zoneOfVisit = new WeakMap<ZonedVisit, Promise<string>>();

/** The member's date today (YYYY-MM-DD) where they are: what "today" and "in the future" mean on their forms. */
export async function visitToday(store: ZoneStore, visit: ZonedVisit): Promise<string> {
  return dateIn(visit.now, await visitTimeZone(store, visit));
}

/** The member's time zone for this request (`memberTimeZone`), read at most once per visit. */
export function visitTimeZone(store: ZoneStore, visit: ZonedVisit): Promise<string> {
  let zone = zoneOfVisit.get(visit);
  if (!zone) {
    zone = memberTimeZone(store, visit.cycle, visit.member.participantId, visit.rosterEntry);
    zoneOfVisit.set(visit, zone);
  }
  return zone;
}
