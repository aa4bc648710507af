import type { Cycle, Member } from '../domain/cycle.ts';
import type { LinkSigner } from '../domain/links.ts';
import { sessionEmail, type SessionEmailInput, type SessionEmailKind } from '../domain/session-emails.ts';
import { sessionLinkKey, type InfoSession } from '../domain/sessions.ts';
import type { Clock, CycleStore, EmailLog, Mailer, ProgramStore, SessionStore } from './ports.ts';
import { sendOnce, type SendOutcome } from './send-once.ts';

/**
 * Session emails and links, shared by HR's commands (services/sessions.ts) and the session page's
 * function (services/session-pages.ts); no calendar writer here, the session carries its file.
 */

export interface SessionLinks {
  signer: LinkSigner;
  /** The survey API's base URL; session pages are at `<base>/session/<token>`. */
  baseUrl: string;
}

export interface SessionDeps {
  store: SessionStore & Pick<CycleStore, 'getCycle' | 'listMembers' | 'getMember'> & Pick<ProgramStore, 'listParticipants' | 'getParticipant'>;
  clock: Clock;
}

/**
 * Who of the cycle's people is no longer on the program's roster as active (left through the
 * opt-out link, unreachable, or taken off by HR): sessions do not email them. (Their session page
 * refuses only people who left: docs/participants.md, *Unreachable people keep their links*.)
 */
export async function notActive(deps: SessionDeps, cycle: Pick<Cycle, 'programId'>): Promise<Set<string>> {
  const roster = await deps.store.listParticipants(cycle.programId);
  return new Set(roster.filter((p) => p.status !== 'active').map((p) => p.participantId));
}

export interface SessionMailDeps extends SessionDeps {
  emailLog: EmailLog;
  mailer: Mailer;
  links: SessionLinks;
}

/** The signed link to a person's session page; it works until the session ends. */
export function sessionLink(links: SessionLinks, session: InfoSession, participantId: string): string {
  const expiresAt = Math.ceil((session.startsAt + session.durationMinutes * 60_000) / 1000);
  const token = links.signer.sign({ cycleId: session.cycleId, participantId, phaseKey: sessionLinkKey(session.sessionId), expiresAt });
  return `${links.baseUrl}/session/${token}`;
}

/**
 * One session email (announcement, promotion, cancellation or move) to one member, at most once per
 * key, with a calendar file: the session's own unless another is given (a cancellation's).
 */
export function sendSessionEmail(
  deps: SessionMailDeps,
  cycle: Cycle,
  session: InfoSession,
  member: Member,
  kind: SessionEmailKind,
  idempotencyKey: string,
  options: { calendar?: InfoSession['calendar']; moved?: SessionEmailInput['moved']; standing?: SessionEmailInput['standing'] } = {},
): Promise<SendOutcome> {
  const calendar = options.calendar ?? session.calendar;
  const content = sessionEmail({
    kind,
    language: member.language,
    programName: cycle.program.name,
    recipientName: member.name,
    session,
    catalog: cycle.program.skillsCatalog,
    link: sessionLink(deps.links, session, member.participantId),
    ...(options.moved ? { moved: options.moved } : {}),
    ...(options.standing ? { standing: options.standing } : {}),
  });
  return sendOnce(deps, cycle.cycleId, idempotencyKey, {
    from: cycle.program.sender,
    to: member.email,
    replyTo: cycle.program.hrContacts,
    ...content,
    ...(calendar ? { attachments: [calendar] } : {}),
    tags: { cycle: cycle.cycleId, kind: `session-${kind}` },
  });
}
