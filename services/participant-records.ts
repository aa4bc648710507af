/**
 * What participants' actions leave in the table besides their answers (RESPONSE#…): the records
 * HR's report reads. Keys and fields are documented in docs/participants.md.
 */

import type { Member, Pair } from '../domain/cycle.ts';

/** `CYCLE#<cycleId> / INVITATION#<participantId>`: a person's answer to their pairing (goal-setting link). */
export interface InvitationDecision {
  cycleId: string;
  participantId: string;
  decision: 'accepted' | 'declined';
  /** Optional reason a person gave for declining (at most 500 characters); HR sees it. */
  reason?: string;
  /** The partners the person had when they decided. */
  partnerIds: string[];
  decidedAt: number;
}

/** `CYCLE#<cycleId> / REMATCH#<rematchId>`: a partner freed by a decline and what became of them. */
export interface RematchRecord {
  cycleId: string;
  /** `<declinedPairId>` — one rematch per declined pair. */
  rematchId: string;
  previousPairId: string;
  declinedBy: string;
  freedParticipantId: string;
  /** The new pair, or absent when no one still unmatched could be paired with the freed person. */
  newPairId?: string;
  newPartnerId?: string;
  /** Who must receive a goal-setting invitation for the new pair (the freed person and the new partner). */
  notify: string[];
  /**
   * Who had accepted an earlier partner (the freed person, the new partner, or both): that acceptance
   * (and the goal-setting answer given with it, kept on their member item) was set aside, so they
   * accept or decline the new partner. Records written before the new partner could be asked again
   * carry `askedAgain: true` for the freed person alone.
   */
  askedAgainIds?: string[];
  askedAgain?: boolean;
  reason?: string;
  at: number;
}

/** What a rematch changes besides its record, in the same transaction (`putRematch`). */
export interface RematchChanges {
  newPair?: Pair;
  members: Member[];
  newMembers: number;
  /**
   * Each member of the new pair who had accepted an earlier partner (the freed person, and a partner
   * brought in who had been left alone by a decline before): that acceptance is set aside (their
   * `INVITATION#` deleted, `invitationsAccepted` lowered) and, when they had `answered` goal-setting,
   * that answer too (its `RESPONSE#` deleted, the phase's answer count lowered; the goals and
   * baseline are kept on their member item). They then accept or decline the new partner.
   */
  setAside?: Array<{ participantId: string; answered: boolean }>;
  /**
   * For each changed member, how many partners the stored member had when the rematch read it (null:
   * not a member yet). The write is refused when any has changed meanwhile, as when two declines at
   * once would give the same unmatched person two new partners.
   */
  partnersRead?: Record<string, number | null>;
}

/** stored; or refused, nothing written, because the rematch was made already or a member it changes changed meanwhile. */
export type RematchOutcome = 'stored' | 'changed-meanwhile';

/** `CYCLE#<cycleId> / FLAG#<pairId>`: a pair at risk, for HR. */
export interface PairFlag {
  cycleId: string;
  pairId: string;
  firstFlaggedAt: number;
  reasons: PairFlagReason[];
}

export interface PairFlagReason {
  participantId: string;
  /**
   * need-help: the person chose "need help"; two-misses: "not yet" (or no answer) two check-ins in a
   * row; left-program: the person left the program, and their partner has no one to meet (HR tells them).
   */
  kind: 'need-help' | 'two-misses' | 'left-program';
  /** The check-in round, for a check-in's flags. */
  round?: number;
  note?: string;
  at: number;
}

export const FORUM_CATEGORIES = ['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve'] as const;
export type ForumCategory = (typeof FORUM_CATEGORIES)[number];

/** `CYCLE#<cycleId> / SUGGESTION#<suggestionId>`: one answer of the feedback forum, without its author. */
export interface ForumSuggestion {
  cycleId: string;
  /** A keyed hash of author and category: stable (a repeat writes nothing) and not reversible without the link-signing key. */
  suggestionId: string;
  category: ForumCategory;
  text: string;
  /** Votes added by other participants (`VOTE#<voterId>#<suggestionId>` items, one per person). */
  votes?: number;
  createdAt: number;
}

/** Who taught a skill practised in a meeting: the pair's mentor or its mentee. */
export type TeachingDirection = 'by-mentor' | 'by-mentee';

/**
 * `CYCLE#<cycleId> / MEETING#<pairId>#<meetingId>`: a meeting a member of the pair logged (from the
 * pair page or a check-in). The meeting id comes with the form, so a replayed form writes nothing.
 */
export interface MeetingRecord {
  cycleId: string;
  pairId: string;
  meetingId: string;
  loggedBy: string;
  source: 'pair-page' | 'check-in';
  /** The day they met, YYYY-MM-DD. */
  date: string;
  minutes?: number;
  /** The pair's skills worked on, each with who taught it. */
  skills: Array<{ skill: string; direction: TeachingDirection }>;
  loggedAt: number;
}
