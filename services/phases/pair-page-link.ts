import type { Cycle } from '../../domain/cycle.ts';
import { durationToSeconds } from '../../domain/duration.ts';
import type { LinkSigner } from '../../domain/links.ts';
import { PAIR_PAGE_KEY } from '../pair-page-key.ts';

/** Pair-page links stay valid until well after the cycle's last phase. */
const PAIR_PAGE_GRACE_MS = 60 * 86_400_000;

/**
 * A member's signed link to their pair page (services/pair-page.ts), as every email to a member
 * with a partner carries it. It stays valid for the run, measure and feedback windows after
 * `from` (the deadline of the phase that sends it), so a link from any email outlives the cycle.
 */
export function pairPageLink(links: { signer: LinkSigner; baseUrl: string }, cycle: Cycle, participantId: string, from: number): string {
  return `${links.baseUrl}/s/${pairPageToken(links.signer, cycle, participantId, from)}`;
}

/** The token of that link, for a page of the survey API to link to (`./<token>`). */
export function pairPageToken(signer: LinkSigner, cycle: Cycle, participantId: string, from: number): string {
  const windows = cycle.program.phaseWindows;
  const end = from + (durationToSeconds(windows.run) + durationToSeconds(windows.measure) + durationToSeconds(windows.feedback)) * 1000 + PAIR_PAGE_GRACE_MS;
  return signer.sign({ cycleId: cycle.cycleId, participantId, phaseKey: PAIR_PAGE_KEY, expiresAt: Math.ceil(end / 1000) });
}
