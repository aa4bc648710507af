import { escapeHtml } from '../../../domain/html.ts';
import {
  FEEDBACK_TEXT_QUESTIONS,
  MAX_MISSING_SKILLS,
  MAX_SKILL_LENGTH,
  MAX_TEXT,
  parseFeedbackAnswer,
  type FeedbackAnswer,
  type FormFields,
} from '../../../domain/surveys.ts';
import * as z from '../../../domain/validation.ts';
import { ANSWER_FORM_ID, formPage, typedValue, type FieldLabels, type FormPageInput } from '../../survey-pages.ts';
import { formInputOf, nothingAfterAnswer, noticeResult, pageResult, skillsContext, storedAnswer, typedValues } from '../survey-common.ts';
import type { PageResult, PhaseSurvey, SurveyDeps, SurveyVisit } from '../survey-types.ts';
import {
  countVoteInCache,
  FORUM_THRESHOLD,
  feedbackAnswers,
  forumSection,
  forumView,
  isOwnSuggestion,
  noticeWithForum,
  suggestionsOf,
  type ForumView,
} from './forum.ts';
import { feedbackTexts } from './texts.ts';

/**
 * Feedback: what worked, what to keep or improve, and how likely people are to recommend the
 * program. Each answer's texts join the forum under the form (./forum.ts), where people vote.
 */

const QUESTIONS = FEEDBACK_TEXT_QUESTIONS;

/** The feedback form, with the forum under it when given. */
export function feedbackFormPage(input: FormPageInput & { forum?: ForumView }): string {
  const c = feedbackTexts[input.language];
  const labels: FieldLabels = {};
  const fields = [
    QUESTIONS.map((f) => {
      labels[f] = { id: f, label: c.questions[f] };
      // The skills the organization lacks have limits of their own: said under the label, before anyone hits them.
      const hint = f === 'missingSkills' ? `<p class="hint" id="${f}-hint">${escapeHtml(c.missingSkillsHint(MAX_MISSING_SKILLS, MAX_SKILL_LENGTH))}</p>` : '';
      return `<label for="${f}">${escapeHtml(c.questions[f])}</label>${hint}<textarea id="${f}" name="${f}" maxlength="${MAX_TEXT}"${hint ? ` aria-describedby="${f}-hint"` : ''}>${typedValue(input, f)}</textarea>`;
    }).join(''),
    `<label for="satisfaction">${escapeHtml(c.questions.satisfaction)}</label><input id="satisfaction" name="satisfaction" type="number" inputmode="numeric" min="0" max="10" required value="${typedValue(input, 'satisfaction')}">`,
  ];
  labels.satisfaction = { id: 'satisfaction', label: c.questions.satisfaction };
  const after = input.forum ? [forumSection(input.language, input.action, input.binding ?? '', input.forum, ANSWER_FORM_ID)] : [];
  return formPage(input, { title: c.title, fields, labels, after });
}

const withForum = (visit: SurveyVisit, kind: 'already' | 'voted' | 'thanks', forum: ForumView): string =>
  noticeWithForum(visit.language, kind, visit.link.action, visit.link.binding, forum);

const suggestionSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, 'is not a suggestion'));

/**
 * A vote for another person's suggestion, once per person and suggestion; then the forum again,
 * under the form (with what was typed in it: the vote buttons send the form), or under "vote
 * counted" once the person has answered.
 */
async function vote(deps: SurveyDeps, visit: SurveyVisit, fields: FormFields): Promise<PageResult> {
  const { cycle, member } = visit;
  // A vote button of the unanswered form names its suggestion in `_vote`; the small form of the answered page in `suggestion`.
  const id = suggestionSchema.safeParse(fields._vote?.[0] ?? fields.suggestion?.[0] ?? '');
  const visible = feedbackAnswers(visit) >= FORUM_THRESHOLD;
  if (!id.success || !visible || isOwnSuggestion(deps, visit, id.data)) return noticeResult(visit, 'wrong-form', 400);
  const [outcome, answered] = await Promise.all([deps.store.addVote(cycle.cycleId, id.data, member.participantId, visit.now), storedAnswer(deps, visit)]);
  if (outcome === 'no-suggestion') return noticeResult(visit, 'wrong-form', 400);
  if (outcome === 'voted') await countVoteInCache(cycle.cycleId, id.data, visit.now);
  const forum = await forumView(deps, visit);
  if (answered) return pageResult(200, withForum(visit, 'voted', forum));
  // The vote came with the form: what the person typed is shown back, still to be sent.
  const typed = fields._vote ? { values: typedValues(fields) } : {};
  return pageResult(200, feedbackFormPage({ ...formInputOf(visit, await skillsContext(deps, visit), typed), forum }));
}

export const feedbackSurvey: PhaseSurvey<FeedbackAnswer> = {
  context: skillsContext,

  /** The form with the forum under it; once answered, the forum under "already answered". */
  async show(deps, visit) {
    const [answered, context] = await Promise.all([storedAnswer(deps, visit), skillsContext(deps, visit)]);
    const forum = await forumView(deps, visit);
    if (answered) return pageResult(200, withForum(visit, 'already', forum));
    return pageResult(200, feedbackFormPage({ ...formInputOf(visit, context), forum }));
  },

  actions: { vote },

  parseAnswer: parseFeedbackAnswer,

  async rejected(deps, visit, context, fields, errors) {
    const forum = await forumView(deps, visit);
    return pageResult(400, feedbackFormPage({ ...formInputOf(visit, context, { values: typedValues(fields), errors }), forum }));
  },

  /** The answer and its suggestions for the forum, in one transaction. */
  store: (deps, visit, response) => deps.store.recordResponseWithSuggestions(response, suggestionsOf(deps, visit, response.answer)),

  afterAnswer: nothingAfterAnswer,

  /** Thanks (or "already answered") with the forum under it, counting this answer at once. */
  async answered(deps, visit, outcome) {
    const counted = outcome === 'recorded' ? 1 : 0;
    const forum = await forumView(deps, visit, feedbackAnswers(visit) + counted);
    return pageResult(200, withForum(visit, outcome === 'recorded' ? 'thanks' : 'already', forum));
  },

  renderForm: feedbackFormPage,
};
