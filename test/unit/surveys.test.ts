import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { escapeHtml } from '../../domain/html.ts';
import type { AnsweredPhase } from '../../domain/program.ts';
import { formFields, type SurveyContext } from '../../domain/surveys.ts';
import { phaseSurvey } from '../../services/phases/survey-registry.ts';

/** Each phase's parser (domain/surveys.ts), found the way services/surveys.ts finds it. */
const parseAnswer = (phase: AnsweredPhase, body: string, ctx: SurveyContext) => phaseSurvey(phase).parseAnswer(body, ctx);

const context: SurveyContext = { skills: ['negotiation', 'ai-tools'], goals: ['Run a pivot table', 'Post on LinkedIn weekly'] };

const body = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();

/** The ValidationError parseAnswer throws, or a failure if it does not throw one. */
function rejection(phase: AnsweredPhase, text: string, ctx: SurveyContext = context): ValidationError {
  try {
    parseAnswer(phase, text, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`parseAnswer(${phase}) accepted ${text.slice(0, 200)}`);
}

const wheres = (error: ValidationError) => error.issues.map((i) => i.where);

const goalSetting = (overrides: Array<[string, string]> = []) =>
  body([['goal', 'Learn pivot tables'], ['goal', 'Post weekly'], ['baseline:negotiation', '4'], ['baseline:ai-tools', '2'], ...overrides]);
const measure = (overrides: Array<[string, string]> = []) =>
  body([['rating:negotiation', '5'], ['rating:ai-tools', '4'], ['attainment:0', '80'], ['attainment:1', '100'], ...overrides]);
const feedbackFields: Array<[string, string]> = [
  ['worked', 'Weekly meetings'],
  ['keep', 'The pairing'],
  ['more', 'Time'],
  ['explore', 'AI'],
  ['missingSkills', 'Data literacy, SQL; Cloud\nExcel'],
  ['improve', 'Fewer emails'],
  ['satisfaction', '9'],
];

describe('parseAnswer at goal-setting', () => {
  it('reads one to three goals and a baseline rating per skill', () => {
    expect(parseAnswer('goal-setting', goalSetting(), context)).toEqual({
      goals: ['Learn pivot tables', 'Post weekly'],
      baseline: { negotiation: 4, 'ai-tools': 2 },
    });
  });

  it('trims goals and drops blank goal inputs', () => {
    const text = body([
      ['goal', '  Learn SQL  '],
      ['goal', '   '],
      ['goal', ''],
      ['baseline:negotiation', '1'],
      ['baseline:ai-tools', '5'],
    ]);
    expect(parseAnswer('goal-setting', text, context)).toEqual({ goals: ['Learn SQL'], baseline: { negotiation: 1, 'ai-tools': 5 } });
  });

  it('ignores ratings for skills the person was not asked about', () => {
    const answer = parseAnswer(
      'goal-setting',
      goalSetting([
        ['baseline:hacking', '5'],
        ['baseline:__proto__', '5'],
      ]),
      context,
    );
    expect(answer).toEqual({ goals: ['Learn pivot tables', 'Post weekly'], baseline: { negotiation: 4, 'ai-tools': 2 } });
  });

  it('refuses four goals', () => {
    const text = body([
      ['goal', 'a'],
      ['goal', 'b'],
      ['goal', 'c'],
      ['goal', 'd'],
      ['baseline:negotiation', '3'],
      ['baseline:ai-tools', '3'],
    ]);
    const error = rejection('goal-setting', text);
    expect(error.issues).toEqual([{ where: 'goals', problem: 'set at most three goals' }]);
  });

  it('refuses an answer without goals, or with only blank ones', () => {
    for (const goals of [[], ['', '  ']]) {
      const text = body([...goals.map((g): [string, string] => ['goal', g]), ['baseline:negotiation', '3'], ['baseline:ai-tools', '3']]);
      expect(rejection('goal-setting', text).issues).toEqual([{ where: 'goals', problem: 'set at least one goal' }]);
    }
  });

  it('refuses a goal over 280 characters and names it', () => {
    const error = rejection(
      'goal-setting',
      body([
        ['goal', 'ok'],
        ['goal', 'x'.repeat(281)],
        ['baseline:negotiation', '3'],
        ['baseline:ai-tools', '3'],
      ]),
    );
    expect(error.issues).toEqual([{ where: 'goals.1', problem: 'must be at most 280 characters' }]);
    expect(error.message).toContain('goals.1: must be at most 280 characters');
  });

  it('accepts a goal of exactly 280 characters', () => {
    const goal = 'y'.repeat(280);
    const answer = parseAnswer(
      'goal-setting',
      body([
        ['goal', goal],
        ['baseline:negotiation', '3'],
        ['baseline:ai-tools', '3'],
      ]),
      context,
    );
    expect(answer).toEqual({ goals: [goal], baseline: { negotiation: 3, 'ai-tools': 3 } });
  });

  it('keeps <script> in a goal as data: escaping is the renderer’s job', () => {
    const answer = parseAnswer(
      'goal-setting',
      body([
        ['goal', '<script>alert(1)</script>'],
        ['baseline:negotiation', '3'],
        ['baseline:ai-tools', '3'],
      ]),
      context,
    );
    expect(answer).toEqual({ goals: ['<script>alert(1)</script>'], baseline: { negotiation: 3, 'ai-tools': 3 } });
  });

  it.each([
    ['abc', 'must be a number'],
    ['0', 'must be 1 to 5'],
    ['6', 'must be 1 to 5'],
    ['4.5', 'must be a whole number'],
    ['-1', 'must be 1 to 5'],
  ])('refuses the baseline rating %j and names the skill', (value, problem) => {
    const error = rejection(
      'goal-setting',
      body([
        ['goal', 'a'],
        ['baseline:negotiation', value],
        ['baseline:ai-tools', '3'],
      ]),
    );
    expect(wheres(error)).toEqual(['baseline.negotiation']);
    expect(error.issues[0]?.problem).toContain(problem);
  });

  it('refuses a missing baseline rating and names the skill', () => {
    const error = rejection(
      'goal-setting',
      body([
        ['goal', 'a'],
        ['baseline:negotiation', '3'],
      ]),
    );
    expect(wheres(error)).toEqual(['baseline.ai-tools']);
  });

  it('names every bad field at once', () => {
    const error = rejection(
      'goal-setting',
      body([
        ['baseline:negotiation', '9'],
        ['baseline:ai-tools', 'x'],
      ]),
    );
    expect(wheres(error).sort()).toEqual(['baseline.ai-tools', 'baseline.negotiation', 'goals']);
  });
});

describe('parseAnswer for a check-in', () => {
  it.each(['met', 'not-yet', 'need-help'] as const)('reads the status %s with an optional note', (status) => {
    expect(
      parseAnswer(
        'run',
        body([
          ['status', status],
          ['note', '  Met on Tuesday  '],
        ]),
        context,
      ),
    ).toEqual({ status, note: 'Met on Tuesday' });
    expect(parseAnswer('run', body([['status', status]]), context)).toEqual({ status, note: '' });
  });

  it('refuses an unknown or missing status', () => {
    for (const text of [body([['status', 'maybe']]), body([['status', 'MET']]), body([['note', 'hi']]), '']) {
      expect(rejection('run', text).issues).toEqual([{ where: 'status', problem: 'choose met, not yet or need help' }]);
    }
  });

  it('refuses a note over 500 characters and names the field', () => {
    expect(
      rejection(
        'run',
        body([
          ['status', 'met'],
          ['note', 'n'.repeat(501)],
        ]),
      ).issues,
    ).toEqual([{ where: 'note', problem: 'must be at most 500 characters' }]);
  });

  it('reads only the first value of a repeated field', () => {
    expect(parseAnswer('run', 'status=met&status=need-help', context)).toEqual({ status: 'met', note: '' });
  });
});

describe('parseAnswer at measure', () => {
  it('reads a rating per skill and an attainment per goal, in goal order', () => {
    expect(parseAnswer('measure', measure(), context)).toEqual({ ratings: { negotiation: 5, 'ai-tools': 4 }, goalAttainment: [80, 100] });
  });

  it('refuses attainments outside 0 to 100 or not whole, naming the goal', () => {
    for (const [value, problem] of [
      ['101', 'must be 0 to 100'],
      ['-5', 'must be 0 to 100'],
      ['50.5', ''],
      ['lots', ''],
    ] as const) {
      const error = rejection('measure', measure([['attainment:1', value]]).replace('attainment%3A1=100&', ''));
      expect(wheres(error)).toEqual(['goalAttainment.1']);
      expect(error.issues[0]?.problem).toContain(problem);
    }
  });

  it('refuses a missing attainment instead of reading it as 0%', () => {
    const text = body([
      ['rating:negotiation', '5'],
      ['rating:ai-tools', '4'],
      ['attainment:0', '80'],
    ]);
    expect(wheres(rejection('measure', text))).toEqual(['goalAttainment.1']);
  });

  it('refuses a blank attainment instead of reading it as 0%', () => {
    const text = body([
      ['rating:negotiation', '5'],
      ['rating:ai-tools', '4'],
      ['attainment:0', '80'],
      ['attainment:1', '  '],
    ]);
    expect(wheres(rejection('measure', text))).toEqual(['goalAttainment.1']);
  });

  it('refuses a rating of 6 and names the skill', () => {
    expect(
      wheres(
        rejection(
          'measure',
          body([
            ['rating:negotiation', '6'],
            ['rating:ai-tools', '4'],
            ['attainment:0', '1'],
            ['attainment:1', '2'],
          ]),
        ),
      ),
    ).toEqual(['ratings.negotiation']);
  });

  it('asks for no attainment when the person set no goals', () => {
    expect(
      parseAnswer(
        'measure',
        body([
          ['rating:negotiation', '2'],
          ['attainment:0', '50'],
        ]),
        { skills: ['negotiation'], goals: [] },
      ),
    ).toEqual({
      ratings: { negotiation: 2 },
      goalAttainment: [],
    });
  });
});

describe('parseAnswer at feedback', () => {
  it('reads every answer and splits missing skills on commas, semicolons and new lines', () => {
    expect(parseAnswer('feedback', body(feedbackFields), context)).toEqual({
      worked: 'Weekly meetings',
      keep: 'The pairing',
      more: 'Time',
      explore: 'AI',
      missingSkills: ['Data literacy', 'SQL', 'Cloud', 'Excel'],
      improve: 'Fewer emails',
      satisfaction: 9,
    });
  });

  it('accepts empty optional text answers and the satisfaction bounds 0 and 10', () => {
    for (const satisfaction of ['0', '10']) {
      expect(parseAnswer('feedback', body([['satisfaction', satisfaction]]), context)).toEqual({
        worked: '',
        keep: '',
        more: '',
        explore: '',
        missingSkills: [],
        improve: '',
        satisfaction: Number(satisfaction),
      });
    }
  });

  it('refuses a missing satisfaction score instead of reading it as 0', () => {
    const text = body(feedbackFields.filter(([name]) => name !== 'satisfaction'));
    expect(wheres(rejection('feedback', text))).toEqual(['satisfaction']);
  });

  it('refuses a blank satisfaction score instead of reading it as 0', () => {
    const text = body([...feedbackFields.filter(([name]) => name !== 'satisfaction'), ['satisfaction', ' ']]);
    expect(wheres(rejection('feedback', text))).toEqual(['satisfaction']);
  });

  it.each(['11', '-1', '7.5', 'abc'])('refuses the satisfaction %j', (value) => {
    const text = body([...feedbackFields.filter(([name]) => name !== 'satisfaction'), ['satisfaction', value]]);
    expect(wheres(rejection('feedback', text))).toEqual(['satisfaction']);
  });

  it.each(['worked', 'keep', 'more', 'explore', 'improve'])('refuses %s over 2000 characters and names it', (field) => {
    const text = body(feedbackFields.map(([name, value]): [string, string] => [name, name === field ? 'z'.repeat(2001) : value]));
    expect(rejection('feedback', text).issues).toEqual([{ where: field, problem: 'must be at most 2000 characters' }]);
  });

  it('refuses more than ten missing skills, and a missing skill over 80 characters', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `skill${i}`).join(',');
    expect(
      wheres(
        rejection(
          'feedback',
          body([
            ['missingSkills', eleven],
            ['satisfaction', '5'],
          ]),
        ),
      ),
    ).toEqual(['missingSkills']);
    expect(
      wheres(
        rejection(
          'feedback',
          body([
            ['missingSkills', `SQL, ${'s'.repeat(81)}`],
            ['satisfaction', '5'],
          ]),
        ),
      ),
    ).toEqual(['missingSkills.1']);
  });

  it('keeps <script> text as data', () => {
    const answer = parseAnswer(
      'feedback',
      body([
        ['worked', '<script>alert(1)</script>'],
        ['satisfaction', '8'],
      ]),
      context,
    );
    expect(answer).toMatchObject({ worked: '<script>alert(1)</script>', satisfaction: 8 });
  });
});

describe('parseAnswer on hostile forms', () => {
  it('refuses a form with more than 200 fields before reading it', () => {
    const padding = Array.from({ length: 200 }, (_, i): [string, string] => [`x${i}`, '1']);
    const error = rejection('run', body([['status', 'met'], ...padding]));
    expect(error.issues).toEqual([{ where: 'form', problem: 'more than 200 fields' }]);
  });

  it('counts repeated names as separate fields', () => {
    const error = rejection('run', `status=met${'&goal=a'.repeat(200)}`);
    expect(error.issues).toEqual([{ where: 'form', problem: 'more than 200 fields' }]);
  });

  it('accepts a form of exactly 200 fields', () => {
    const padding = Array.from({ length: 199 }, (_, i): [string, string] => [`x${i}`, '1']);
    expect(parseAnswer('run', body([['status', 'met'], ...padding]), context)).toEqual({ status: 'met', note: '' });
  });

  it('reads percent-encoded, plus-encoded and malformed escapes without throwing', () => {
    expect(parseAnswer('run', 'status=need-help&note=caf%C3%A9+%26+%3Cb%3E+%ZZ', context)).toEqual({ status: 'need-help', note: 'café & <b> %ZZ' });
  });

  it('throws only ValidationError, never a TypeError, for bodies that are not forms at all', () => {
    const bodies = ['{"status":"met"}', '&&&==', '%', 'status', '\u0000\uffff', 'constructor=1&__proto__=2&toString=3'];
    const phases = ['goal-setting', 'run', 'measure', 'feedback'] as const;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...bodies), fc.string({ maxLength: 400 })), fc.constantFrom(...phases), (text, phase) => {
        try {
          parseAnswer(phase, text, context);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
      { numRuns: 400 },
    );
    expect(() => parseAnswer('run', '&&&==', context)).toThrow(ValidationError);
    expect(() => parseAnswer('goal-setting', '{"goals":["a"]}', context)).toThrow(ValidationError);
  });
});

describe('formFields', () => {
  it('groups repeated names in order', () => {
    expect(formFields('goal=a&goal=b&status=met')).toEqual({ goal: ['a', 'b'], status: ['met'] });
  });

  it('reads fields named like Object.prototype members as ordinary fields', () => {
    const fields = formFields('constructor=a&toString=b&__proto__=c&hasOwnProperty=d');
    expect(Object.hasOwn(fields, 'constructor') && fields.constructor).toEqual(['a']);
    expect(Object.hasOwn(fields, 'toString') && fields.toString).toEqual(['b']);
    expect(Object.hasOwn(fields, '__proto__') && fields['__proto__']).toEqual(['c']);
    expect(Object.hasOwn(fields, 'hasOwnProperty') && fields.hasOwnProperty).toEqual(['d']);
  });
});

describe('parseAnswer with fields named like Object.prototype members', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('ignores an extra field named %s like any other unknown field', (name) => {
    expect(parseAnswer('run', `status=met&${name}=x`, context)).toEqual({ status: 'met', note: '' });
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes an attribute-breaking payload so that it stays inside the attribute', () => {
    expect(escapeHtml('"><script>alert(1)</script>')).toBe('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes an ampersand once, so existing entities are shown literally', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('turns null and undefined into an empty string and other values into text', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(0)).toBe('0');
    expect(escapeHtml(false)).toBe('false');
  });

  it('leaves other text, including non-ASCII, unchanged', () => {
    expect(escapeHtml('Olá, São Paulo — 100%')).toBe('Olá, São Paulo — 100%');
  });
});
