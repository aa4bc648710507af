import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseFeedbackAnswer } from '../../domain/surveys.ts';
import { plainText, terminalSafe } from '../../domain/text.ts';
import { emit } from '../../cli/support/output.ts';

const ESC = '\u001b';
const RLO = '\u202e';

describe('text people typed', () => {
  it('loses control characters and bidirectional overrides, keeps accents, emoji, tabs and line breaks', () => {
    expect(plainText(`Olá${ESC}[2J mundo${RLO}txt.exe\u0007 👩🏽‍💻\tfim\r\nlinha`)).toBe('Olá[2J mundotxt.exe 👩🏽‍💻\tfim\nlinha');
    expect(plainText('\u2066isolated\u2069 \u0085next')).toBe('isolated next');
  });

  it('never leaves a character that can drive a terminal, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (typed) => {
        /* eslint-disable no-control-regex -- the assertions look for control characters */
        expect(plainText(typed)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
        expect(terminalSafe(typed)).not.toMatch(/[\u0000-\u0008\u000B-\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
        /* eslint-enable no-control-regex */
      }),
    );
  });

  it('is stored without them when it arrives as a feedback answer', () => {
    const body = new URLSearchParams([
      ['worked', `Weekly${ESC}]0;pwned${'\u0007'} meetings`],
      ['improve', `${RLO}gnitteem`],
      ['missingSkills', `SQL${ESC}[31m, Cloud`],
      ['satisfaction', '9'],
    ]).toString();
    const answer = parseFeedbackAnswer(body);
    expect(answer.worked).toBe('Weekly]0;pwned meetings');
    expect(answer.improve).toBe('gnitteem');
    expect(answer.missingSkills).toEqual(['SQL[31m', 'Cloud']);
  });
});

describe('what the CLI prints', () => {
  it('shows an escape sequence from stored text as a visible escape instead of sending it to the terminal', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      emit(false, {}, () => `Suggested skill: ${ESC}[2JDelete${RLO}me\nnext line`);
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toBe('Suggested skill: \\u001b[2JDelete\\u202eme\nnext line\n');
  });
});
