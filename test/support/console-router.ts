import type { ConsoleDeps } from '../../services/console/page.ts';
import type { Field } from '../../services/console/schema-form.ts';
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

/** The edit form's fields as the page fills them from a program (JSON fields as JSON), as a browser posts them. */
export function formValues(fields: readonly Field[], value: unknown, out: Array<[string, string]> = []): Array<[string, string]> {
  for (const f of fields) {
    if (f.kind === 'group') {
      formValues(f.fields, value, out);
      continue;
    }
    const current = f.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
    if (current === undefined) continue;
    out.push([f.name, f.kind === 'lines' && Array.isArray(current) ? current.join('\n') : typeof current === 'string' ? current : JSON.stringify(current)]);
  }
  return out;
}
