import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import type { AnsweredPhase } from '../../domain/program.ts';
import type { SurveyContext } from '../../domain/surveys.ts';
import { bindingMatches, formBinding, keyedId } from '../../services/form-binding.ts';
import { forumSection } from '../../services/phases/feedback/forum.ts';
import { feedbackFormPage } from '../../services/phases/feedback/survey.ts';
import { invitationPage } from '../../services/phases/goal-setting/survey.ts';
import { measureFormPage } from '../../services/phases/measure/survey.ts';
import { phaseSurvey } from '../../services/phases/survey-registry.ts';
import { optOutPage } from '../../services/survey-pages.ts';

const parseAnswer = (phase: AnsweredPhase, body: string, context: SurveyContext) => phaseSurvey(phase).parseAnswer(body, context);

const XSS = '"><script>alert(1)</script>';
const ESCAPED_XSS = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const signer = new LinkSigner('k'.repeat(32));

describe('the invitation page', () => {
  const page = (language: 'en' | 'pt-BR', extra = {}) =>
    invitationPage({
      language,
      action: './v1.a.b',
      binding: 'BIND',
      programName: 'Mentoria',
      goalsAndExpectations: 'Goals\nline 2',
      partners: ['Lucas Prado'],
      teaches: ['AI assistants'],
      learns: ['Negotiation'],
      ...extra,
    });

  it('shows the partner, what each teaches, the program’s goals, and two forms: accept by setting goals, or decline with an optional reason', () => {
    const html = page('en', { skills: [{ id: 'negotiation', name: 'Negotiation', role: 'learn' }] });
    expect(html).toContain('Your partner: <strong>Lucas Prado</strong>');
    expect(html).toContain('<h1>Your mentoring pair</h1>');
    expect(html).toContain('name="goal"');
    expect(html).toContain('name="baseline:negotiation"');
    expect(html).toContain('>Accept and set my goals</button>');
    expect(html).toContain('<strong>You teach:</strong> AI assistants');
    expect(html).toContain('Goals\nline 2');
    expect(html.match(/<form /g)).toHaveLength(2);
    expect(html).toContain('name="_action" value="answer"');
    expect(html).toContain('name="_action" value="decline"');
    expect(html).toContain('<textarea id="reason" name="reason" maxlength="500"');
    expect(html.match(/name="_bind" value="BIND"/g)).toHaveLength(2);
    expect(page('pt-BR')).toContain('Recusar a dupla');
  });

  it('escapes everything it shows', () => {
    const html = page('en', { programName: XSS, partners: [XSS], teaches: [XSS], goalsAndExpectations: XSS, reason: XSS, binding: XSS });
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).toContain(ESCAPED_XSS);
  });
});

describe('the feedback forum', () => {
  const suggestions = [
    { id: 's1', category: 'worked' as const, text: `Pairs ${XSS}`, votes: 3, voted: false },
    { id: 's2', category: 'missingSkills' as const, text: 'SQL', votes: 0, voted: true },
  ];

  it('stays hidden until five people have answered', () => {
    const html = forumSection('en', './t', 'B', { visible: false, answered: 4, suggestions: [], canVote: true });
    expect(html).toContain('once at least five people have answered (4 so far)');
    expect(html).not.toContain('<form');
  });

  it('shows suggestions without names, their votes, and a vote button bound to the link', () => {
    const html = forumSection('pt-BR', './t', 'B', { visible: true, answered: 6, suggestions, canVote: true });
    expect(html).toContain(`Pairs ${ESCAPED_XSS}`);
    expect(html).not.toContain('<script');
    expect(html).toContain('3 votos');
    expect(html).toContain('name="suggestion" value="s1"');
    expect(html).not.toContain('value="s2"');
    expect(html).toContain('Você votou');
  });

  it('sits under the feedback form', () => {
    const html = feedbackFormPage({
      language: 'en',
      action: './t',
      binding: 'B',
      partners: [],
      skills: [],
      goals: [],
      forum: { visible: true, answered: 5, suggestions, canVote: true },
    });
    expect(html.indexOf('name="satisfaction"')).toBeLessThan(html.indexOf('What other participants suggest'));
  });
});

describe('the opt-out page', () => {
  it('asks to confirm: GET shows a form, only its POST acts', () => {
    const html = optOutPage('en', './t', 'B', 'Mentoria');
    expect(html).toContain('name="_action" value="opt-out"');
    expect(html).toContain('Yes, leave the program');
    expect(optOutPage('pt-BR', './t', 'B', 'Mentoria')).toContain('Sim, sair do programa');
  });
});

describe('form binding', () => {
  it('ties a form to its link, compared in constant time; another link’s binding is refused', () => {
    const a = formBinding(signer, 'v1.aaa.bbb');
    expect(bindingMatches(signer, 'v1.aaa.bbb', a)).toBe(true);
    expect(bindingMatches(signer, 'v1.aaa.ccc', a)).toBe(false);
    expect(bindingMatches(signer, 'v1.aaa.bbb', undefined)).toBe(false);
    expect(bindingMatches(signer, 'v1.aaa.bbb', a.slice(0, -1))).toBe(false);
    expect(bindingMatches(signer, 'v1.aaa.bbb', `${a}x`)).toBe(false);
    expect(bindingMatches(new LinkSigner('z'.repeat(32)), 'v1.aaa.bbb', a)).toBe(false);
  });

  it('derives suggestion ids that are stable and differ per author and category', () => {
    expect(keyedId(signer, 'c', 'p1', 'worked')).toBe(keyedId(signer, 'c', 'p1', 'worked'));
    expect(keyedId(signer, 'c', 'p1', 'worked')).not.toBe(keyedId(signer, 'c', 'p2', 'worked'));
    expect(keyedId(signer, 'c', 'p1', 'worked')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('hostile input to every page', () => {
  const context = { skills: ['negotiation'], goals: ['Goal one'] };
  const hostile = [
    ['very long text', `goal=${'x'.repeat(5000)}&baseline%3Anegotiation=3`, 'goal-setting'],
    ['a script as a goal is kept as text, never run', `goal=${encodeURIComponent(XSS)}&baseline%3Anegotiation=3`, 'goal-setting'],
    ['four goals', 'goal=a&goal=b&goal=c&goal=d&baseline%3Anegotiation=3', 'goal-setting'],
    ['a rating of 9', 'goal=a&baseline%3Anegotiation=9', 'goal-setting'],
    ['a rating that is text', 'goal=a&baseline%3Anegotiation=abc', 'goal-setting'],
    ['a missing rating', 'goal=a', 'goal-setting'],
    ['an unknown check-in status', 'status=maybe', 'run'],
    ['a missing check-in status', 'note=hi', 'run'],
    ['a note of 501 characters', `status=met&note=${'n'.repeat(501)}`, 'run'],
    ['a missing attainment', 'rating%3Anegotiation=3', 'measure'],
    ['an attainment of 101', 'rating%3Anegotiation=3&attainment%3A0=101', 'measure'],
    ['a fractional attainment', 'rating%3Anegotiation=3&attainment%3A0=50.5', 'measure'],
    ['a satisfaction of 11', 'satisfaction=11', 'feedback'],
    ['feedback of 2001 characters', `worked=${'w'.repeat(2001)}&satisfaction=5`, 'feedback'],
    ['more than 200 fields', Array.from({ length: 201 }, (_, i) => `f${i}=1`).join('&'), 'feedback'],
  ] as const;

  it.each(hostile.filter(([name]) => !name.startsWith('a script')))('refuses %s', (_name, body, phase) => {
    expect(() => parseAnswer(phase, body, context)).toThrow(/need fixing|too many fields/);
  });

  it('keeps a script typed as a goal as plain text, and the page re-renders it escaped', () => {
    const answer = parseAnswer('goal-setting', hostile[1][1], context) as { goals: string[] };
    expect(answer.goals).toEqual([XSS]);
    const html = measureFormPage({ language: 'en', action: './t', partners: [], skills: [], goals: answer.goals });
    expect(html).not.toContain('<script');
  });
});
