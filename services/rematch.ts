import type { Cycle, Member, Pair } from '../domain/cycle.ts';
import { linkPair, pairIdOf } from '../domain/cycle.ts';
import type { Matcher, ProposedPair } from '../domain/matching/matcher.ts';
import type { Participant } from '../domain/participant.ts';
import type { Clock, CycleStore, ParticipantActionStore, ProgramStore } from './ports.ts';
import type { RematchRecord } from './participant-records.ts';

export interface RematchDeps {
  store: CycleStore & ProgramStore & ParticipantActionStore;
  matcher: Matcher;
  clock: Clock;
}

/**
 * After a decline: each partner the decliner leaves without a partner is matched again with the
 * best-scoring person still unmatched — active people on the roster who are not in the cycle, or
 * members whose own partner declined — under the program's hard rules (the matcher decides).
 * The new pair, the changed members and a REMATCH# record are stored together; the phase step
 * then sends both people a goal-setting invitation (services/phases/goal-setting/index.ts).
 */
export async function rematchAfterDecline(deps: RematchDeps, cycle: Cycle, decliner: Member): Promise<RematchRecord[]> {
  const [members, roster] = await Promise.all([deps.store.listMembers(cycle.cycleId), deps.store.listParticipants(cycle.programId)]);
  const membersById = new Map(members.map((m) => [m.participantId, m]));
  const rosterById = new Map(roster.map((p) => [p.participantId, p]));
  const records: RematchRecord[] = [];
  const now = deps.clock.now();
  for (const ref of decliner.partners) {
    const freed = membersById.get(ref.participantId);
    if (!freed || freed.declined) continue;
    freed.partners = freed.partners.filter((p) => p.participantId !== decliner.participantId);
    if (freed.partners.length === 0) {
      freed.teaches = [];
      freed.learns = [];
    }
    const changed: Member[] = [freed];
    let newPair: Pair | undefined;
    let newMembers = 0;
    let reason: string | undefined;
    const freedPerson = rosterById.get(freed.participantId);
    if (freed.partners.length === 0 && freedPerson) {
      const candidates = roster.filter((p) => {
        if (p.status !== 'active' || p.participantId === freed.participantId || p.participantId === decliner.participantId) return false;
        const member = membersById.get(p.participantId);
        return !member || (!member.declined && member.partners.length === 0);
      });
      const best = bestPartner(deps.matcher, cycle, freedPerson, candidates);
      if (best) {
        newPair = { ...best, pairId: pairIdOf(best.mentorId, best.menteeId) };
        const otherId = best.mentorId === freed.participantId ? best.menteeId : best.mentorId;
        let other = membersById.get(otherId);
        if (!other) {
          other = newMember(rosterById.get(otherId) as Participant, cycle);
          membersById.set(otherId, other);
          newMembers++;
        }
        link(freed, other, newPair);
        changed.push(other);
      } else {
        reason = candidates.length ? 'no one still unmatched can be paired under the program’s rules' : 'no one is still unmatched';
      }
    }
    const otherId = newPair ? (newPair.mentorId === freed.participantId ? newPair.menteeId : newPair.mentorId) : undefined;
    const record: RematchRecord = {
      cycleId: cycle.cycleId,
      rematchId: ref.pairId,
      previousPairId: ref.pairId,
      declinedBy: decliner.participantId,
      freedParticipantId: freed.participantId,
      ...(newPair ? { newPairId: newPair.pairId, newPartnerId: otherId } : {}),
      notify: newPair ? [freed.participantId, otherId as string] : [],
      ...(reason ? { reason } : {}),
      at: now,
    };
    await deps.store.putRematch(record, { ...(newPair ? { newPair } : {}), members: changed, newMembers });
    records.push(record);
  }
  return records;
}

function bestPartner(matcher: Matcher, cycle: Cycle, person: Participant, candidates: Participant[]): ProposedPair | undefined {
  let best: ProposedPair | undefined;
  const context = {
    settings: cycle.program.matching,
    skillsCatalog: cycle.program.skillsCatalog,
    recentPairs: [],
    referenceYear: new Date(cycle.startedAt).getUTCFullYear(),
  };
  for (const candidate of candidates) {
    const pair = matcher.match([person, candidate], context).pairs[0];
    if (pair && (!best || pair.score > best.score)) best = pair;
  }
  return best;
}

function newMember(p: Participant, cycle: Cycle): Member {
  return {
    participantId: p.participantId,
    name: p.name,
    email: p.email,
    department: p.department,
    language: p.preferredLanguage ?? cycle.program.language,
    skillsOffered: p.skillsOffered.map((s) => s.skill),
    skillsWanted: p.skillsWanted.map((s) => s.skill),
    teaches: [],
    learns: [],
    partners: [],
  };
}

function link(a: Member, b: Member, pair: Pair): void {
  const [mentor, mentee] = pair.mentorId === a.participantId ? [a, b] : [b, a];
  linkPair(mentor, mentee, pair);
}
