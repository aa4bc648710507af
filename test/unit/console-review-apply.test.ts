import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import type { ConsoleResponse } from '../../services/console/router.ts';
import { NOTICE_COOKIE, newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import type { CycleInput } from '../../services/ports.ts';
import { sampleProgram, storeWithReviewedCycle } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';

const NOW = Date.UTC(2027, 5, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const program = sampleProgram('console-review-apply');
const REVIEWED = 'console-review-apply-c1';

/** The console over a program with its roster and a finished cycle whose review proposes a longer goal-setting window. */
async function reviewedProgram() {
  const store = await storeWithReviewedCycle(program, REVIEWED, NOW);
  return { store, ...consoleRouter(store, cookies, NOW) };
}

/** The notice a redirect carries to the page it leads to, as that page shows it. */
async function noticeOf(response: ConsoleResponse): Promise<string | undefined> {
  const sealed = response.cookies
    .find((c) => c.startsWith(`${NOTICE_COOKIE}=`))
    ?.split(';')[0]
    ?.slice(NOTICE_COOKIE.length + 1);
  return sealed ? ((await cookies.notice.open(sealed, NOW)) ?? undefined) : undefined;
}

describe("applying a review's proposals in the console", () => {
  it('answers the second of two clicks on Apply that the proposals were applied already, by whom and when, and leads to the cycle they started', async () => {
    const { store, router, workflow } = await reviewedProgram();
    // Step Functions takes its time to start the first click's execution: the second click arrives meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const start = workflow.startCycle.bind(workflow);
    workflow.startCycle = async (cycleId: string, input: CycleInput) => {
      await held;
      return start(cycleId, input);
    };
    const session = await cookies.session.seal(hr, NOW);
    const click = () => {
      const form = new FormData();
      form.append('csrf', hr.csrf);
      form.append('proposal', 'phase-window:goalSetting');
      return router.handle({
        method: 'POST',
        path: `/console/report/${REVIEWED}/apply`,
        query: new URLSearchParams(),
        cookies: { [SESSION_COOKIE]: session },
        form,
      });
    };
    const first = click();
    const second = click();
    setTimeout(release, 200);
    const [a, b] = await Promise.all([first, second]);

    expect(workflow.started).toHaveLength(1);
    const started = (await store.getReview(REVIEWED))?.appliedTo?.cycleId as string;
    expect(a.status).toBe(303);
    expect(a.headers.location).toBe(`/console/cycles/${started}`);
    expect(await noticeOf(a)).toBe(`Proposals applied; next cycle started: ${started}`);
    expect(b.status).toBe(303);
    expect(b.headers.location).toBe(`/console/cycles/${started}`);
    expect(await noticeOf(b)).toBe(
      `These proposals were applied already by hr@example.com on 2027-06-01 09:00 UTC: they started cycle ${started}, shown here. Nothing more was changed.`,
    );
    expect((await store.listAudit({ programId: program.programId })).filter((e) => e.action === 'proposals.applied')).toHaveLength(1);
  });
});
