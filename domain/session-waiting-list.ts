import type { SessionRegistration } from './sessions.ts';

// Apart from sessions.ts: the store reads the waiting list, and every function carries the store but few need the sessions' schemas.

/**
 * The waiting list in its order: who waited longest first (ties broken by participant id). People
 * not active on the roster keep their place in it but are passed over when a seat comes free
 * (services/session-seats.ts): `passedOver` names them where a position is counted.
 */
export function waitingLine(registrations: readonly SessionRegistration[]): SessionRegistration[] {
  return registrations
    .filter((r) => r.status === 'waitlisted')
    .sort((a, b) => (a.waitlistedAt ?? a.updatedAt) - (b.waitlistedAt ?? b.updatedAt) || a.participantId.localeCompare(b.participantId));
}

/** The first person on the waiting list: who waited longest (ties broken by participant id). */
export function firstInLine(registrations: readonly SessionRegistration[]): SessionRegistration | undefined {
  return waitingLine(registrations)[0];
}

/**
 * A person's place on the waiting list (1 = next), or undefined when they are not waiting. People
 * ahead of them who are `passedOver` (not active on the roster) do not count: a freed seat skips them.
 */
export function waitingPosition(
  registrations: readonly SessionRegistration[],
  participantId: string,
  passedOver: ReadonlySet<string> = new Set(),
): number | undefined {
  const line = waitingLine(registrations);
  const index = line.findIndex((r) => r.participantId === participantId);
  if (index < 0) return undefined;
  return line.slice(0, index).filter((r) => !passedOver.has(r.participantId)).length + 1;
}

/** Everyone in line may take a free seat when the caller names no one to pass over. */
export const everyoneMay = (_participantId: string): Promise<boolean> => Promise.resolve(true);

/** The first of the line (in its order) who may take a seat, asking about one person after another: usually the first. */
export async function firstWhoMay(
  line: readonly SessionRegistration[],
  mayTakeSeat: (participantId: string) => Promise<boolean>,
): Promise<SessionRegistration | undefined> {
  for (const registration of line) if (await mayTakeSeat(registration.participantId)) return registration;
  return undefined;
}
