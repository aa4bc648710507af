import type { Cycle, Member, Pair } from '../domain/cycle.ts';
import { linkPair, pairIdOf } from '../domain/cycle.ts';
import type { Matcher, ProposedPair } from '../domain/matching/matcher.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Participant } from '../domain/participant.ts';
import { rosterToPair } from './phases/enrollment/index.ts';
import { memberOf } from './phases/identify/index.ts';
import type { Clock, CycleStore, ParticipantActionStore, ProgramStore } from './ports.ts';
import type { GoalSettingAnswer } from '../domain/surveys.ts';
import type { RematchChanges, RematchRecord } from './participant-records.ts';

/** The key goal-setting answers are stored under (services/phases/goal-setting/survey.ts). */
const GOAL_SETTING_KEY = 'goal-setting';

export interface RematchDeps {
  store: CycleStore & ProgramStore & ParticipantActionStore;
  matcher: Matcher;
  clock: Clock;
}

/**
 * After a decline: each partner the decliner leaves without a partner is matched again with the
 * best-scoring person still unmatched — people identify could have paired who are not in the
 * cycle, or members whose own partner declined — under the program's hard rules (the matcher
 * decides). "Could have paired" is identify's own rule (`rosterToPair`): after an enrollment, only
 * active people whose answer is join, as they declared themselves; without one, the active roster.
 * Someone who declined to join, or never answered, is never brought in by a decline.
 * The new pair, the changed members and a REMATCH# record are stored together; the phase step
 * then sends both people a goal-setting invitation (services/phases/goal-setting/index.ts).
 */
export async function rematchAfterDecline(deps: RematchDeps, cycle: Cycle, decliner: Member, options: { leaving?: boolean } = {}): Promise<RematchRecord[]> {
  // Another decline at the same moment may take the person this one would choose: read again and choose again.
  for (let attempt = 1; ; attempt++) {
    const outcome = await rematchOnce(deps, cycle, decliner, options.leaving === true);
    if (outcome !== 'changed-meanwhile') return outcome;
    if (attempt === REMATCH_ATTEMPTS)
      throw new ConflictError(`cycle ${cycle.cycleId}: the pairs changed during ${REMATCH_ATTEMPTS} rematches in a row; try again`);
  }
}

const REMATCH_ATTEMPTS = 3;

/**
 * `leaving`: the "decliner" left the program (services/leave-program.ts) rather than declined. A
 * decliner is `declined` and sees no pairing again; a leaver is not, so each pair dissolved is taken
 * off their member record in the same write: were HR to let them back, their pages never show a
 * partner who is with someone else now.
 */
async function rematchOnce(deps: RematchDeps, cycle: Cycle, decliner: Member, leaving: boolean): Promise<RematchRecord[] | 'changed-meanwhile'> {
  const [members, roster, made] = await Promise.all([
    deps.store.listMembers(cycle.cycleId),
    deps.store.listParticipants(cycle.programId),
    deps.store.listRematches(cycle.cycleId),
  ]);
  const rematched = new Set(made.map((r) => r.previousPairId));
  const partnersRead = new Map(members.map((m) => [m.participantId, m.partners.length]));
  // Those identify pairs from (the same code path), so that a newcomer is matched and stored as identify would have.
  const pool = (await rosterToPair(deps, cycle, roster)).filter((p) => p.status === 'active');
  const membersById = new Map(members.map((m) => [m.participantId, m]));
  const rosterById = new Map(pool.map((p) => [p.participantId, p]));
  const records: RematchRecord[] = [];
  const now = deps.clock.now();
  for (const ref of decliner.partners) {
    const freed = membersById.get(ref.participantId);
    // A pair rematched already (the same decline posted twice) is left as that rematch made it.
    if (!freed || freed.declined || rematched.has(ref.pairId)) continue;
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
      const candidates = pool.filter((p) => {
        if (p.participantId === freed.participantId || p.participantId === decliner.participantId) return false;
        const member = membersById.get(p.participantId);
        return !member || (!member.declined && member.partners.length === 0);
      });
      const best = bestPartner(deps.matcher, cycle, freedPerson, candidates);
      if (best) {
        newPair = { ...best, pairId: pairIdOf(best.mentorId, best.menteeId) };
        const otherId = best.mentorId === freed.participantId ? best.menteeId : best.mentorId;
        let other = membersById.get(otherId);
        if (!other) {
          other = memberOf(rosterById.get(otherId) as Participant, cycle.program);
          membersById.set(otherId, other);
          newMembers++;
        }
        link(freed, other, newPair);
        changed.push(other);
      } else {
        reason = candidates.length ? 'no one still unmatched can be paired under the program’s rules' : 'no one is still unmatched';
      }
    } else if (freed.partners.length === 0) {
      reason = 'the freed partner is no longer taking part (left the program)';
    }
    // An acceptance is of a pair, not of a person: one given to an earlier partner is set aside, and its
    // giver accepts or declines the new one. That is the freed person, and also a new partner who had been
    // left alone by a decline before (both have no partner now, so any acceptance they hold is of someone
    // else). Their goals and baseline are about themselves: kept.
    const setAside: NonNullable<RematchChanges['setAside']> = [];
    if (newPair) {
      for (const member of changed) {
        const [decision, answer] = await Promise.all([
          deps.store.getInvitationDecision(cycle.cycleId, member.participantId),
          deps.store.getResponse(cycle.cycleId, GOAL_SETTING_KEY, member.participantId),
        ]);
        if (decision?.decision !== 'accepted') continue;
        const kept = answer?.answer as GoalSettingAnswer | undefined;
        member.keptAnswer = { goals: kept?.goals ?? [], baseline: kept?.baseline ?? {}, acceptedPartnerIds: decision.partnerIds };
        setAside.push({ participantId: member.participantId, answered: answer !== undefined });
      }
    }
    const leaver = leaving ? membersById.get(decliner.participantId) : undefined;
    if (leaver) {
      leaver.partners = leaver.partners.filter((p) => p.pairId !== ref.pairId);
      if (leaver.partners.length === 0) {
        leaver.teaches = [];
        leaver.learns = [];
      }
      changed.push(leaver);
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
      ...(setAside.length ? { askedAgainIds: setAside.map((a) => a.participantId) } : {}),
      ...(reason ? { reason } : {}),
      at: now,
    };
    const stored = await deps.store.putRematch(record, {
      ...(newPair ? { newPair } : {}),
      members: changed,
      newMembers,
      ...(setAside.length ? { setAside } : {}),
      partnersRead: Object.fromEntries(changed.map((m) => [m.participantId, partnersRead.get(m.participantId) ?? null])),
    });
    if (stored === 'changed-meanwhile') return stored;
    for (const m of changed) partnersRead.set(m.participantId, m.partners.length);
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

function link(a: Member, b: Member, pair: Pair): void {
  const [mentor, mentee] = pair.mentorId === a.participantId ? [a, b] : [b, a];
  linkPair(mentor, mentee, pair);
}
