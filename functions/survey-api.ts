import { container } from '../adapters/container.ts';
import { GreedyMatcher } from '../domain/matching/greedy-matcher.ts';
import { MAX_FORM_BODY_BYTES } from '../domain/surveys.ts';
import * as z from '../domain/validation.ts';
import { showSurvey, submitSurvey } from '../services/surveys.ts';
import { PAGE_SCRIPT_HASH } from '../services/survey-pages.ts';
import { signedLinkRoute } from './middleware/signed-link-route.ts';

/**
 * Pairs a partner again after a decline. The rematch matches two people at a time (the freed person
 * and each candidate), where the only pairing is their one pair if the rules allow it: the greedy
 * matcher finds it with the identify phase's scores and rules (test/unit/matching-matcher.test.ts
 * checks that it pairs any two people as the optimal matcher does), without bundling the
 * WebAssembly solver, which had taken this function to 1.5 KB under its budget.
 */
const matcher = new GreedyMatcher();
/** `?answer=` from an email's quick-answer link: a short word; a bad one is ignored (the page asks anyway). */
const preselectSchema = z.optional(z.string().check(z.regex(/^[a-z-]{1,20}$/)));

/** Every survey-like page behind an emailed link (`/s/<token>`): surveys, the pair page, the join page. */
export const handler = signedLinkRoute({
  pathPrefix: '/s/',
  // What the forms allow at the worst encoding (about 185 KB), not a round figure that refused 2,000 Japanese characters.
  maxBodyBytes: MAX_FORM_BODY_BYTES,
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
