import type { SessionDeclineOutcome, SessionStore } from './ports.ts';

/**
 * Takes a person's place in a session back (their seat, or their place in line), then gives a free
 * seat to the first person waiting: the session page's decline and a person leaving the program
 * share it. Asking for a promotion even when this decline freed nothing lets a retry after a crash
 * between the two writes still move the line (the store promotes only into a free seat).
 */
export async function declineAndPromote(
  store: Pick<SessionStore, 'declineSession' | 'promoteFromWaitingList'>,
  cycleId: string,
  sessionId: string,
  participantId: string,
  at: number,
): Promise<{ outcome: SessionDeclineOutcome; promoted?: string }> {
  const { outcome } = await store.declineSession(cycleId, sessionId, participantId, at);
  if (outcome === 'no-session') return { outcome };
  const promoted = await store.promoteFromWaitingList(cycleId, sessionId, at);
  return promoted ? { outcome, promoted } : { outcome };
}
