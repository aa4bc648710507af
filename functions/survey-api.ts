import { container } from '../adapters/container.ts';
import { OptimalMatcher } from '../domain/matching/optimal-matcher.ts';
import * as z from '../domain/validation.ts';
import { showSurvey, submitSurvey } from '../services/surveys.ts';
import { PAGE_SCRIPT_HASH } from '../services/survey-pages.ts';
import { signedLinkRoute } from './middleware/signed-link-route.ts';

/** Pairs a partner again after a decline (the same matcher as the identify phase). */
const matcher = new OptimalMatcher({ deadlineMs: 2_000 }); // runs inside an HTTP request (10 s Lambda timeout)
/** `?answer=` from an email's quick-answer link: a short word; a bad one is ignored (the page asks anyway). */
const preselectSchema = z.optional(z.string().check(z.regex(/^[a-z-]{1,20}$/)));

/** Every survey-like page behind an emailed link (`/s/<token>`): surveys, the pair page, the join page. */
export const handler = signedLinkRoute({
  pathPrefix: '/s/',
  maxBodyBytes: 64 * 1024,
  name: 'survey',
  scriptHash: PAGE_SCRIPT_HASH,
  deps: async () => {
    const { store, clock, links } = container();
    const { signer } = await links();
    return { store, clock, signer, matcher };
  },
  show: (deps, { token, action, event }) => {
    const preselect = preselectSchema.safeParse(event.queryStringParameters?.answer);
    return showSurvey(deps, token, action, preselect.success ? preselect.data : undefined);
  },
  submit: (deps, { token, action }, body) => submitSurvey(deps, token, body, action),
});
