import { describe, expect, it } from 'vitest';
import type { AnsweredPhase, Language } from '../../domain/program.ts';
import type { SurveyContext } from '../../domain/surveys.ts';
import { phaseSurvey } from '../../services/phases/survey-registry.ts';
import { forumSection } from '../../services/phases/feedback/forum.ts';
import { noticePage, type FormPageInput, type NoticeKind } from '../../services/survey-pages.ts';

/** A phase's form page and answer parser, found the way services/surveys.ts finds them. */
type PhaseFormInput = FormPageInput & { phase: AnsweredPhase };
const formPage = ({ phase, ...input }: PhaseFormInput) => phaseSurvey(phase).renderForm(input);
const parseAnswer = (phase: AnsweredPhase, body: string, context: SurveyContext) => phaseSurvey(phase).parseAnswer(body, context);

const XSS = '"><script>alert(1)</script>';
const ESCAPED_XSS = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const PHASES: AnsweredPhase[] = ['goal-setting', 'run', 'measure', 'feedback'];
const LANGUAGES: Language[] = ['pt-BR', 'en'];

const skills = [
  { id: 'negotiation', name: 'Negotiation' },
  { id: 'ai-tools', name: 'AI assistants' },
];
const goals = ['Build a dashboard', 'Present at the all-hands'];

const input = (phase: AnsweredPhase, language: Language = 'en', extra: Partial<FormPageInput> = {}): PhaseFormInput => ({
  language,
  phase,
  action: '/s/v1.abc.def',
  partners: ['Helena Duarte'],
  skills,
  goals,
  ...extra,
});

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The form controls of a page: name, tag, type and value attribute, in document order. */
function controls(html: string): Array<{ tag: string; name: string; type?: string; value?: string }> {
  return [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map(([, tag, attrs]) => {
    const attr = (a: string) => {
      const m = new RegExp(`\\s${a}="([^"]*)"`).exec(attrs ?? '');
      return m ? unescape(m[1] ?? '') : undefined;
    };
    return { tag: tag as string, name: attr('name') ?? '', type: attr('type'), value: attr('value') };
  });
}

/** What a person would plausibly type into each control, by the control's name. */
function fill(name: string, type?: string, value?: string): string {
  if (type === 'radio') return value ?? '';
  if (name === 'goal') return 'Learn SQL';
  if (name.startsWith('baseline:') || name.startsWith('rating:')) return '4';
  if (name.startsWith('attainment:')) return '60';
  if (name === 'satisfaction') return '9';
  if (name === 'missingSkills') return 'Data literacy, SQL';
  return `Answer for ${name}`;
}

/** The body a browser would post for the page's form, each control filled in. */
function submission(html: string): string {
  const params = new URLSearchParams();
  const radiosDone = new Set<string>();
  for (const c of controls(html)) {
    if (c.type === 'radio') {
      if (radiosDone.has(c.name)) continue;
      radiosDone.add(c.name);
    }
    params.append(c.name, fill(c.name, c.type, c.value));
  }
  return params.toString();
}

describe('formPage', () => {
  it.each(LANGUAGES)('renders a complete %s page for every phase, posting to the given action', (language) => {
    for (const phase of PHASES) {
      const html = formPage(input(phase, language, { action: '/s/v1.tok.mac?x=1&y=2' }));
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain('<form method="post" action="/s/v1.tok.mac?x=1&amp;y=2" id="answer-form">');
      expect(html.match(/<form\b/g)).toHaveLength(1);
      expect(html).toContain('</form>');
    }
  });

  it('writes its copy in Brazilian Portuguese or in English', () => {
    const pt = formPage(input('goal-setting', 'pt-BR'));
    expect(pt).toContain('<h1>Defina suas metas</h1>');
    expect(pt).toContain('Sua dupla: <strong>Helena Duarte</strong>');
    expect(pt).toContain('>Enviar</button>');
    expect(pt).not.toContain('Set your goals');
    const en = formPage(input('goal-setting', 'en'));
    expect(en).toContain('<h1>Set your goals</h1>');
    expect(en).toContain('Your partner: <strong>Helena Duarte</strong>');
    expect(en).toContain('>Send</button>');
    expect(en).not.toContain('Defina suas metas');
    expect(formPage(input('feedback', 'pt-BR'))).toContain('Qual a probabilidade de você recomendar o programa a um colega? (0-10)');
    expect(formPage(input('run', 'en'))).toContain('We need help');
    expect(formPage(input('measure', 'pt-BR'))).toContain('<h1>Até onde você chegou?</h1>');
  });

  it('leaves out the partner line when the person has no partner', () => {
    expect(formPage(input('run', 'en', { partners: [] }))).not.toContain('Your partner');
  });

  it.each(PHASES)('escapes every user-provided value at %s', (phase) => {
    const values = Object.fromEntries(
      [
        'goal1',
        'goal2',
        'goal3',
        'note',
        'worked',
        'keep',
        'more',
        'explore',
        'missingSkills',
        'improve',
        'satisfaction',
        'attainment:0',
        'attainment:1',
        'baseline:negotiation',
        'rating:negotiation',
      ].map((k) => [k, XSS]),
    );
    for (const language of LANGUAGES) {
      const html = formPage(
        input(phase, language, {
          action: `/s/${XSS}`,
          partners: [XSS, `Bob ${XSS}`],
          skills: [{ id: `x${XSS}`, name: XSS }, ...skills],
          goals: [XSS, `<img src=x onerror=alert(1)>`],
          values,
          errors: [{ where: XSS, problem: XSS }],
        }),
      );
      expect(html.toLowerCase()).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).not.toContain(XSS);
      expect(html).toContain(ESCAPED_XSS);
    }
  });

  it('escapes partner names, skill names, goals and errors into text', () => {
    const html = formPage(
      input('measure', 'en', {
        partners: [XSS],
        skills: [{ id: 'negotiation', name: `Neg ${XSS}` }],
        goals: [`Goal ${XSS}`],
        errors: [{ where: `rating.${XSS}`, problem: `bad ${XSS}` }],
      }),
    );
    expect(html).toContain(`Your partner: <strong>${ESCAPED_XSS}</strong>`);
    expect(html).toContain(`>Neg ${ESCAPED_XSS}</label>`);
    expect(html).toContain(`>Goal ${ESCAPED_XSS}</label>`);
    expect(html).toContain(`<li>rating.${ESCAPED_XSS}: bad ${ESCAPED_XSS}</li>`);
    expect(html).toContain('role="alert"');
  });

  it('keeps a submitted value inside its attribute or textarea', () => {
    const html = formPage(input('feedback', 'en', { values: { worked: '</textarea><script>x()</script>', satisfaction: '" autofocus onfocus="alert(1)' } }));
    expect(html).toContain('<textarea id="worked" name="worked" maxlength="2000">&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;</textarea>');
    expect(html).toContain('value="&quot; autofocus onfocus=&quot;alert(1)"');
    expect(html).not.toContain(' onfocus="alert');
  });

  it('shows the errors of a rejected answer and pre-fills what the person typed', () => {
    const html = formPage(
      input('goal-setting', 'pt-BR', {
        values: { goal1: 'Aprender SQL', 'baseline:ai-tools': '4' },
        errors: [{ where: 'baseline.negotiation', problem: 'must be 1 to 5' }],
      }),
    );
    expect(html).toContain('Corrija o seguinte:');
    // The error names the field by its label, links to it, and is in the page's language.
    expect(html).toContain('<li><a href="#baseline-0">Negotiation</a>: deve ser de 1 a 5</li>');
    expect(html).toContain('name="goal" maxlength="280" required value="Aprender SQL"');
    expect(html).toMatch(
      /name="baseline:ai-tools" required><option value="">—<\/option><option value="1">1<\/option><option value="2">2<\/option><option value="3">3<\/option><option value="4" selected>4<\/option><option value="5">5<\/option><\/select>/,
    );
    expect(html).not.toMatch(/name="baseline:negotiation" required>[^/]*selected/);
  });

  it('has exactly the fields the parser reads, at each phase', () => {
    const names = (phase: AnsweredPhase) =>
      controls(formPage(input(phase)))
        .map((c) => c.name)
        .filter((n) => !n.startsWith('_'));
    expect(names('goal-setting')).toEqual(['goal', 'goal', 'goal', 'baseline:negotiation', 'baseline:ai-tools']);
    expect(names('run')).toEqual(['status', 'status', 'status', 'note']);
    expect(
      controls(formPage(input('run')))
        .filter((c) => c.type === 'radio')
        .map((c) => c.value),
    ).toEqual(['met', 'not-yet', 'need-help']);
    expect(names('measure')).toEqual(['rating:negotiation', 'rating:ai-tools', 'attainment:0', 'attainment:1']);
    expect(names('feedback')).toEqual(['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve', 'satisfaction']);
  });

  it('limits text inputs in the browser to what the parser accepts', () => {
    expect(formPage(input('goal-setting'))).toMatch(/name="goal" maxlength="280"/);
    expect(formPage(input('run'))).toContain('name="note" maxlength="500"');
    expect(formPage(input('measure'))).toContain('name="attainment:0" type="number" inputmode="numeric" min="0" max="100"');
    expect(formPage(input('feedback'))).toContain('name="satisfaction" type="number" inputmode="numeric" min="0" max="10" required');
  });

  it.each(LANGUAGES)('produces a %s form whose filled-in submission the parser accepts, at every phase', (language) => {
    const context = { skills: skills.map((s) => s.id), goals };
    const expected: Record<AnsweredPhase, unknown> = {
      // The join page has its own tests (enrollment-join.test.ts): its form is not one of answers to fill in blindly.
      enrollment: undefined,
      'goal-setting': { goals: ['Learn SQL', 'Learn SQL', 'Learn SQL'], baseline: { negotiation: 4, 'ai-tools': 4 } },
      run: { status: 'met', note: 'Answer for note' },
      measure: { ratings: { negotiation: 4, 'ai-tools': 4 }, goalAttainment: [60, 60] },
      feedback: {
        worked: 'Answer for worked',
        keep: 'Answer for keep',
        more: 'Answer for more',
        explore: 'Answer for explore',
        missingSkills: ['Data literacy', 'SQL'],
        improve: 'Answer for improve',
        satisfaction: 9,
      },
    };
    for (const phase of PHASES) {
      const body = submission(formPage(input(phase, language)));
      expect(parseAnswer(phase, body, context)).toEqual(expected[phase]);
    }
  });

  it('produces a goal-setting form the parser accepts with only the first goal filled in', () => {
    const html = formPage(input('goal-setting'));
    const params = new URLSearchParams();
    controls(html)
      .filter((c) => !c.name.startsWith('_'))
      .forEach((c, i) => params.append(c.name, c.name === 'goal' ? (i === 0 ? 'Only goal' : '') : '2'));
    expect(parseAnswer('goal-setting', params.toString(), { skills: ['negotiation', 'ai-tools'], goals: [] })).toEqual({
      goals: ['Only goal'],
      baseline: { negotiation: 2, 'ai-tools': 2 },
    });
  });
});

describe('noticePage', () => {
  const kinds: NoticeKind[] = [
    'thanks',
    'voted',
    'already',
    'declined',
    'opted-out',
    'closed',
    'expired',
    'invalid',
    'wrong-form',
    'missing',
    'error',
    'too-large',
  ];

  it('says thanks in either language', () => {
    expect(noticePage('en', 'thanks')).toContain('<p role="status">Thank you, your answer is recorded.');
    expect(noticePage('pt-BR', 'thanks')).toContain('<p role="status">Obrigado, sua resposta foi registrada.');
  });

  it.each(LANGUAGES)('renders every notice in %s as a page without a form', (language) => {
    const texts = kinds.map((kind) => noticePage(language, kind));
    for (const html of texts) {
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toMatch(/<h1>[^<]+<\/h1>/);
      expect(html).not.toContain('<form');
      expect(html.toLowerCase()).not.toContain('<script');
    }
    expect(new Set(texts).size).toBe(kinds.length);
  });

  it('explains an expired link differently from a forged one', () => {
    expect(noticePage('en', 'expired')).toContain('This link has expired, so nothing was changed.');
    expect(noticePage('en', 'invalid')).toContain('This link is not valid, so nothing was changed.');
    expect(noticePage('pt-BR', 'expired')).toContain('Este link expirou; nada foi alterado.');
  });

  it('speaks both languages when the link does not say whose it is (forged or expired)', () => {
    const html = noticePage('both', 'expired');
    expect(html).toContain('Este link expirou');
    expect(html).toContain('<p lang="en">This link has expired');
    expect(html).toContain('<h1>Link expirado / Link expired</h1>');
  });
});

describe('the forum’s vote buttons', () => {
  it('name each button shortly and describe it by its suggestion’s text, however long the suggestion', () => {
    for (const language of LANGUAGES) {
      const text = 'Mais encontros presenciais '.repeat(74).trim();
      const html = forumSection(language, './v1.token', 'binding', {
        visible: true,
        answered: 6,
        canVote: true,
        suggestions: [
          { id: 'aB3_x-9', category: 'worked', text, votes: 2, voted: false },
          { id: 'zz', category: 'more', text: 'Short one', votes: 0, voted: false },
        ],
      });
      const buttons = [...html.matchAll(/<button\b([^>]*)>([^<]*)<\/button>/g)];
      expect(buttons).toHaveLength(2);
      for (const [, attrs = '', name = ''] of buttons) {
        expect(attrs).not.toContain('aria-label');
        expect(name.length).toBeLessThan(30);
      }
      expect(buttons[0]?.[1]).toContain('aria-describedby="suggestion-aB3_x-9"');
      expect(html).toContain(`<p id="suggestion-aB3_x-9">${text}</p>`);
      expect(buttons[1]?.[1]).toContain('aria-describedby="suggestion-zz"');
    }
  });
});
