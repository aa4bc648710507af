import type { ConsoleDeps } from '../../services/console/page.ts';
import { CONSOLE_PAGES } from '../../services/console/pages/index.ts';
import { ConsoleRouter } from '../../services/console/router.ts';
import type { SessionCookies } from '../../services/console/session.ts';
import type { ConsoleSignIn } from '../../services/console/sign-in.ts';
import type { TandemStore } from '../../services/ports.ts';
import { RecordingWorkflow } from './recording-workflow.ts';
import { InMemorySignedOutSessions } from './signed-out-sessions-contract.ts';

/**
 * The console with every page over a store, at a fixed time, as the unit tests post to it with a
 * session they sealed themselves (so no sign-in service); cycles it starts go to a recording workflow.
 */
export function consoleRouter(
  store: TandemStore,
  cookies: SessionCookies,
  now: number,
): { router: ConsoleRouter; workflow: RecordingWorkflow; deps: ConsoleDeps } {
  const workflow = new RecordingWorkflow();
  const deps: ConsoleDeps = { store, clock: { now: () => now }, workflow: () => workflow, executions: () => ({}) as never };
  const router = new ConsoleRouter({
    cookies,
    signedOut: new InMemorySignedOutSessions(),
    signIn: {} as ConsoleSignIn,
    pages: CONSOLE_PAGES,
    deps,
    log: () => undefined,
  });
  return { router, workflow, deps };
}
