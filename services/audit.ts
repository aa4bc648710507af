import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditLog, Clock } from './ports.ts';

/** Who did something and through what: the console's signed-in user, the CLI's `<user>@<host>`, or the workflow. */
export interface Actor {
  actor: string;
  via: AuditEntry['via'];
}

/** One HR action as the services describe it; the id and time are added when it is recorded. */
export type AuditAction = Pick<AuditEntry, 'action' | 'details'> & Partial<Pick<AuditEntry, 'programId' | 'cycleId' | 'auditId'>>;

/**
 * Records what HR did, after it was done. An action that wrote nothing (a program saved
 * unchanged, a dry run) is not an action and is not recorded by the callers.
 */
export async function recordAction(deps: { audit: AuditLog; clock: Clock }, who: Actor, action: AuditAction): Promise<AuditEntry> {
  const entry: AuditEntry = {
    auditId: action.auditId ?? randomUUID(),
    at: deps.clock.now(),
    actor: who.actor,
    via: who.via,
    action: action.action,
    ...(action.programId ? { programId: action.programId } : {}),
    ...(action.cycleId ? { cycleId: action.cycleId } : {}),
    details: action.details,
  };
  await deps.audit.recordAudit(entry);
  return entry;
}

/** The audit log of several programs (and the entries across programs) merged, newest first. */
export async function listAuditOf(audit: AuditLog, programIds: readonly string[], query: { since?: number; limit?: number } = {}): Promise<AuditEntry[]> {
  const limit = query.limit ?? 200;
  const scopes = await Promise.all([audit.listAudit({ ...query, limit }), ...programIds.map((programId) => audit.listAudit({ ...query, programId, limit }))]);
  const seen = new Set<string>();
  return scopes
    .flat()
    .filter((e) => !seen.has(e.auditId) && Boolean(seen.add(e.auditId)))
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
}
