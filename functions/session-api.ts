import { container } from '../adapters/container.ts';
import { showSessionPage, submitSessionPage } from '../services/session-pages.ts';
import { signedLinkRoute } from './middleware/signed-link-route.ts';

/** An informational session's page (`/session/<token>`): GET renders it, POST registers or declines. */
export const handler = signedLinkRoute({
  pathPrefix: '/session/',
  maxBodyBytes: 16 * 1024,
  name: 'session',
  deps: async () => {
    const { store, clock, mailer, links } = container();
    return { store, emailLog: store, mailer, clock, links: await links() };
  },
  show: (deps, { token, action }) => showSessionPage(deps, token, action),
  submit: (deps, { token, action }, body) => submitSessionPage(deps, token, body, action),
});
