import { escapeHtml } from '../../../domain/html.ts';
import type { Language } from '../../../domain/program.ts';
import type { FeedbackAnswer } from '../../../domain/surveys.ts';
import { nameRedactor } from '../../../domain/text.ts';
import { keyedId } from '../../form-binding.ts';
import { FORUM_CATEGORIES, type ForumCategory, type ForumSuggestion } from '../../participant-records.ts';
import { hiddenFields, noticePage, type NoticeKind } from '../../survey-pages.ts';
import type { SurveyDeps, SurveyVisit } from '../survey-types.ts';
import { feedbackTexts } from './texts.ts';

/**
 * The feedback forum: each answer's texts become anonymous suggestions, shown under the feedback
 * form once enough people answered, and people vote for others' suggestions.
 */

/** Suggestions show in the forum once this many people have answered the feedback phase. */
export const FORUM_THRESHOLD = 5;
const FORUM_PER_CATEGORY = 20;

export interface ForumView {
  /** Whether enough people answered for suggestions to show (at least five). */
  visible: boolean;
  answered: number;
  suggestions: Array<{ id: string; category: ForumCategory; text: string; votes: number; voted: boolean }>;
  /** False once the phase is closed or for the person's own suggestions. */
  canVote: boolean;
}

/**
 * The forum. `answerForm`: the id of the feedback form on the same page, not answered yet; each vote
 * button then sends that form (`form=`, `_vote` naming the suggestion, no validation), so what the
 * person has typed travels with the vote and is shown back, even without JavaScript. Without it
 * (answered already) each vote is a small form of its own.
 */
export function forumSection(language: Language, action: string, binding: string, forum: ForumView, answerForm?: string): string {
  const c = feedbackTexts[language];
  if (!forum.visible)
    return `<section aria-labelledby="forum"><h2 id="forum">${escapeHtml(c.forumHeading)}</h2><p>${escapeHtml(c.forumHidden(forum.answered))}</p></section>`;
  const groups = FORUM_CATEGORIES.map((category) => {
    const items = forum.suggestions.filter((s) => s.category === category);
    if (!items.length) return '';
    const lis = items.map((s) => {
      // The button is named by its short text and described by the suggestion (up to 2,000 characters: too long for a name).
      const textId = `suggestion-${s.id}`;
      const count = `<span class="count">${escapeHtml(c.votes(s.votes))}</span>`;
      const control = s.voted
        ? `<span class="count">${escapeHtml(c.voted)}</span>`
        : forum.canVote && answerForm
          ? `<button type="submit" form="${escapeHtml(answerForm)}" name="_vote" value="${escapeHtml(s.id)}" formnovalidate class="secondary" aria-describedby="${escapeHtml(textId)}">${escapeHtml(c.vote)}</button>`
          : forum.canVote
            ? `<form method="post" action="${escapeHtml(action)}">${hiddenFields('vote', binding)}<input type="hidden" name="suggestion" value="${escapeHtml(s.id)}"><button type="submit" class="secondary" aria-describedby="${escapeHtml(textId)}">${escapeHtml(c.vote)}</button></form>`
            : '';
      return `<li><p id="${escapeHtml(textId)}">${escapeHtml(s.text)}</p>${count} ${control}</li>`;
    });
    return `<h3>${escapeHtml(c.questions[category])}</h3><ul class="forum">${lis.join('')}</ul>`;
  }).join('');
  return `<section aria-labelledby="forum"><h2 id="forum">${escapeHtml(c.forumHeading)}</h2>${groups || `<p>${escapeHtml(c.forumEmpty)}</p>`}</section>`;
}

/** A notice with the forum under it (feedback, after answering). */
export function noticeWithForum(language: Language, kind: NoticeKind, action: string, binding: string, forum: ForumView): string {
  return noticePage(language, kind, forumSection(language, action, binding, forum));
}

/**
 * The forum's suggestions as the cohort may read them: the cycle's people's names replaced by
 * "[name]", as the review report quotes them (domain/text.ts nameRedactor), so that no one reads a
 * colleague named in someone's answer.
 */
async function redactedSuggestions(deps: SurveyDeps, cycleId: string): Promise<ForumSuggestion[]> {
  const [suggestions, members] = await Promise.all([deps.store.listSuggestions(cycleId), deps.store.listMembers(cycleId)]);
  const redact = nameRedactor(members.map((m) => m.name));
  return suggestions.map((s) => ({ ...s, text: redact(s.text) }));
}

/**
 * The forum's suggestions, kept per container for a few seconds: a page shows at most 20 per
 * category, but ranking them reads them all (and redacting them the cycle's members), which would
 * cost every forum page long queries in a large cohort. A person's own votes are always read fresh.
 */
const FORUM_CACHE_MS = 15_000;
const forumCache = new Map<string, { at: number; suggestions: Promise<ForumSuggestion[]> }>();

function cachedSuggestions(deps: SurveyDeps, cycleId: string): Promise<ForumSuggestion[]> {
  const now = deps.clock.now();
  const hit = forumCache.get(cycleId);
  if (hit && now - hit.at < FORUM_CACHE_MS) return hit.suggestions;
  if (forumCache.size > 50) forumCache.clear();
  const suggestions = redactedSuggestions(deps, cycleId);
  forumCache.set(cycleId, { at: now, suggestions });
  suggestions.catch(() => forumCache.delete(cycleId));
  return suggestions;
}

/** Counts a vote just added in this container's cached copy, so the voter sees it at once. */
export async function countVoteInCache(cycleId: string, suggestionId: string, votedAt: number): Promise<void> {
  const hit = forumCache.get(cycleId);
  if (!hit || hit.at >= votedAt) return;
  const suggestion = (await hit.suggestions).find((s) => s.suggestionId === suggestionId);
  if (suggestion) suggestion.votes = (suggestion.votes ?? 0) + 1;
}

/** How many people have answered the feedback phase (the cycle's counter). */
export const feedbackAnswers = (visit: SurveyVisit): number => visit.cycle.responses[visit.phaseKey] ?? 0;

/** A person's suggestion id in a category: stable, and the author cannot be read back from it. */
const suggestionId = (deps: SurveyDeps, visit: SurveyVisit, category: string) =>
  keyedId(deps.signer, visit.cycle.cycleId, visit.member.participantId, category);

/** Whether a suggestion is the person's own (people vote for others' suggestions only). */
export const isOwnSuggestion = (deps: SurveyDeps, visit: SurveyVisit, id: string): boolean => FORUM_CATEGORIES.some((c) => suggestionId(deps, visit, c) === id);

/** The forum as this person sees it: others' suggestions, the most voted first, at most 20 per category. */
export async function forumView(deps: SurveyDeps, visit: SurveyVisit, answered = feedbackAnswers(visit)): Promise<ForumView> {
  const canVote = true;
  if (answered < FORUM_THRESHOLD) return { visible: false, answered, suggestions: [], canVote };
  const [suggestions, votes] = await Promise.all([
    cachedSuggestions(deps, visit.cycle.cycleId),
    deps.store.listVotesOf(visit.cycle.cycleId, visit.member.participantId),
  ]);
  const own = new Set(FORUM_CATEGORIES.map((category) => suggestionId(deps, visit, category)));
  const voted = new Set(votes);
  const counts = new Map<string, number>();
  const shown = suggestions
    .filter((s) => !own.has(s.suggestionId))
    .sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || a.createdAt - b.createdAt || a.suggestionId.localeCompare(b.suggestionId))
    .filter((s) => {
      const n = (counts.get(s.category) ?? 0) + 1;
      counts.set(s.category, n);
      return n <= FORUM_PER_CATEGORY;
    })
    .map((s) => ({ id: s.suggestionId, category: s.category, text: s.text, votes: s.votes ?? 0, voted: voted.has(s.suggestionId) }));
  return { visible: true, answered, suggestions: shown, canVote };
}

/** The forum suggestions of a feedback answer: one per answered question, without the author. */
export function suggestionsOf(deps: SurveyDeps, visit: SurveyVisit, feedback: FeedbackAnswer): ForumSuggestion[] {
  return FORUM_CATEGORIES.flatMap((category) => {
    const value = feedback[category];
    const text = Array.isArray(value) ? value.join(', ') : value;
    return text ? [{ cycleId: visit.cycle.cycleId, suggestionId: suggestionId(deps, visit, category), category, text, votes: 0, createdAt: visit.now }] : [];
  });
}
