import { withDeclaration } from '../../../domain/enrollment.ts';
import { firstCommonSlot, isKnownTimeZone, WORKING_HOURS, DEFAULT_TIME_ZONE, type Schedule } from '../../../domain/availability.ts';
import type { Cycle, Member, Pair } from '../../../domain/cycle.ts';
import {
  DEFAULT_FIRST_MEETING_AGENDA,
  FIRST_MEETING_MINUTES,
  firstMeetingCalendar,
  introductionEmail,
  type IntroductionInput,
} from '../../../domain/introduction.ts';
import type { Participant } from '../../../domain/participant.ts';
import type { Language } from '../../../domain/program.ts';
import { skillLabel } from '../../../domain/skills.ts';
import type { GoalSettingAnswer } from '../../../domain/surveys.ts';
import { sendOnce } from '../../send-once.ts';
import type { PhaseStep } from '../types.ts';
import type { LinkSigner } from '../../../domain/links.ts';
import { pairPageLink } from '../pair-page-link.ts';

/** The first meeting is proposed no sooner than this after the introduction, so both have time to read it. */
const FIRST_MEETING_NOTICE_MS = 24 * 3600_000;

/** The idempotency key of one member's introduction to one pair: a replayed acceptance or a retried step finds it sent. */
export const introductionKey = (pairId: string, participantId: string) => `introduction#${pairId}#${participantId}`;

/**
 * Introduces every pair whose two members have both accepted (a rematched pair is a new pair, so
 * it is introduced in turn): each reachable member gets one introduction in their language, with
 * Reply-To set to the partner and the proposed first meeting as an .ics. Runs on every
 * goal-setting step; the email log's keys make repeats send nothing. The introductions sent
 * already are read in one query and skipped, not claimed again one by one (at 6,000 members a
 * step made 6,000 conditional writes in a row), and the step stops when its time budget is spent:
 * the next step goes on where this one stopped.
 */
export async function sendIntroductions(
  { deps, cycle, state, now }: PhaseStep,
  links: { signer: LinkSigner; baseUrl: string },
  budget?: { remainingMs: () => number },
): Promise<number> {
  if (!cycle.invitationsAccepted) return 0;
  const [decisions, pairs, members, roster, declarations, goalAnswers, introducedAlready] = await Promise.all([
    deps.store.listInvitationDecisions(cycle.cycleId),
    deps.store.listPairs(cycle.cycleId),
    deps.store.listMembers(cycle.cycleId),
    deps.store.listParticipants(cycle.programId),
    deps.store.listDeclarations(cycle.programId),
    deps.store.listResponses(cycle.cycleId, 'goal-setting'),
    deps.emailLog.sentKeys(cycle.cycleId, 'introduction#'),
  ]);
  // An acceptance is of the partners it names: a pair is introduced only when each accepted the other.
  const acceptedPartners = new Map(decisions.filter((d) => d.decision === 'accepted').map((d) => [d.participantId, new Set(d.partnerIds)]));
  const acceptedEachOther = (a: string, b: string) => Boolean(acceptedPartners.get(a)?.has(b) && acceptedPartners.get(b)?.has(a));
  const membersById = new Map(members.map((m) => [m.participantId, m]));
  // Who joined through this cycle's enrollment is scheduled by the time zone and hours they declared there.
  const declared = new Map(declarations.filter((d) => d.cycleId === cycle.cycleId).map((d) => [d.participantId, d]));
  const rosterById = new Map(
    roster.map((p) => {
      const declaration = declared.get(p.participantId);
      return [p.participantId, declaration ? withDeclaration(p, declaration) : p];
    }),
  );
  const goalsOf = new Map(goalAnswers.map((r) => [r.participantId, (r.answer as GoalSettingAnswer).goals]));
  let sent = 0;
  for (const pair of pairs) {
    if (pair.status === 'declined' || !acceptedEachOther(pair.mentorId, pair.menteeId)) continue;
    if (introducedAlready.has(introductionKey(pair.pairId, pair.mentorId)) && introducedAlready.has(introductionKey(pair.pairId, pair.menteeId))) continue;
    if (budget && budget.remainingMs() <= 0) break;
    const mentor = membersById.get(pair.mentorId);
    const mentee = membersById.get(pair.menteeId);
    if (!mentor || !mentee || mentor.declined || mentee.declined) continue;
    const people = [mentor, mentee].map((member) => introduced(cycle, member, rosterById.get(member.participantId), goalsOf.get(member.participantId) ?? []));
    const meeting = firstCommonSlot(
      people.map((p) => p.schedule),
      now + FIRST_MEETING_NOTICE_MS,
      FIRST_MEETING_MINUTES,
    );
    for (const [me, partner] of [
      [people[0], people[1]],
      [people[1], people[0]],
    ] as const) {
      if (!me?.reachable || !partner || introducedAlready.has(introductionKey(pair.pairId, me.member.participantId))) continue;
      const input: IntroductionInput = {
        programName: cycle.program.name,
        cycleId: cycle.cycleId,
        pairId: pair.pairId,
        recipient: me.person,
        partner: partner.person,
        ...skillsEachWay(cycle, pair, me.member, me.person.language),
        checkInCadence: cycle.program.checkInCadence,
        runDuration: cycle.program.phaseWindows.run,
        agenda: cycle.program.firstMeetingAgenda?.[me.person.language] ?? DEFAULT_FIRST_MEETING_AGENDA[me.person.language],
        hrContact: cycle.program.hrContacts[0] as string,
        ...(meeting ? { meeting } : {}),
      };
      const pairPage = pairPageLink(links, cycle, me.member.participantId, state.deadline);
      const content = introductionEmail({ ...input, pairPage });
      const outcome = await sendOnce(deps, cycle.cycleId, introductionKey(pair.pairId, me.member.participantId), {
        from: cycle.program.sender,
        to: me.person.email,
        replyTo: [partner.person.email],
        ...content,
        ...(meeting
          ? {
              attachments: [
                { fileName: 'first-meeting.ics', contentType: 'text/calendar; method=PUBLISH', content: firstMeetingCalendar({ ...input, meeting }) },
              ],
            }
          : {}),
        tags: { cycle: cycle.cycleId, kind: 'introduction' },
      });
      if (outcome === 'sent') sent++;
    }
  }
  return sent;
}

/** A member as an introduction shows them, with when they can meet (the roster's current values). */
function introduced(cycle: Cycle, member: Member, participant: Participant | undefined, goals: readonly string[]) {
  const programZone = cycle.program.timeZone ?? DEFAULT_TIME_ZONE;
  const timeZone = participant?.timeZone && isKnownTimeZone(participant.timeZone) ? participant.timeZone : programZone;
  const schedule: Schedule = { timeZone, availability: participant?.availability?.length ? participant.availability : WORKING_HOURS };
  return {
    member,
    schedule,
    reachable: (participant?.status ?? 'active') === 'active' && !member.unreachable,
    person: { name: member.name, email: member.email, department: member.department, language: member.language, timeZone, goals },
  };
}

/** What a member teaches and learns in this pair, as labels in their language. */
function skillsEachWay(cycle: Cycle, pair: Pair, member: Member, language: Language) {
  const catalog = new Map(cycle.program.skillsCatalog.map((s) => [s.id, s]));
  const label = (id: string) => {
    const skill = catalog.get(id);
    return skill ? skillLabel(skill, language) : id;
  };
  const isMentor = pair.mentorId === member.participantId;
  const [teaches, learns] = isMentor ? [pair.skillsTaught.byMentor, pair.skillsTaught.byMentee] : [pair.skillsTaught.byMentee, pair.skillsTaught.byMentor];
  return { teaches: teaches.map(label), learns: learns.map(label) };
}
