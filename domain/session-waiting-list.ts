import type { SessionRegistration } from './sessions.ts';

// Apart from sessions.ts: the store reads the waiting list, and every function carries the store but few need the sessions' schemas.

/** The first person on the waiting list: who waited longest (ties broken by participant id). */
export function firstInLine(registrations: readonly SessionRegistration[]): SessionRegistration | undefined {
  return registrations
    .filter((r) => r.status === 'waitlisted')
    .sort((a, b) => (a.waitlistedAt ?? a.updatedAt) - (b.waitlistedAt ?? b.updatedAt) || a.participantId.localeCompare(b.participantId))[0];
}

/** A person's place on the waiting list (1 = next), or undefined when they are not waiting. */
export function waitingPosition(registrations: readonly SessionRegistration[], participantId: string): number | undefined {
  const line = registrations
    .filter((r) => r.status === 'waitlisted')
    .sort((a, b) => (a.waitlistedAt ?? a.updatedAt) - (b.waitlistedAt ?? b.updatedAt) || a.participantId.localeCompare(b.participantId));
  const index = line.findIndex((r) => r.participantId === participantId);
  return index < 0 ? undefined : index + 1;
}
