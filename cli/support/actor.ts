import { hostname, userInfo } from 'node:os';
import type { Actor } from '../../services/phases/approval/review.ts';

/** Who runs the CLI, for the audit log: TANDEM_ACTOR when set, else `<os user>@<host>`. */
export function cliActor(): Actor {
  const named = process.env.TANDEM_ACTOR?.trim();
  if (named) return { actor: named, via: 'cli' };
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the environment's USER stands.
  }
  return { actor: `${user}@${hostname()}`, via: 'cli' };
}
