import { hostname, userInfo } from 'node:os';
import type { Container } from '../../adapters/container.ts';
import { recordAction, type Actor, type AuditAction } from '../../services/audit.ts';

/** Who runs the CLI, for the audit log: TANDEM_ACTOR when set (a CI job names itself), else `<os user>@<host>`. */
export function cliActor(env: NodeJS.ProcessEnv = process.env): Actor {
  const named = env.TANDEM_ACTOR?.trim();
  if (named) return { actor: named, via: 'cli' };
  let user = env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Containers without a passwd entry for the uid: USER (or "unknown") says enough.
  }
  return { actor: `${user}@${hostname()}`, via: 'cli' };
}

/** Records an HR action taken with the CLI in the target's audit log. */
export function auditCli(container: Container, action: AuditAction): Promise<unknown> {
  return recordAction({ audit: container.store, clock: container.clock }, cliActor(), action);
}
