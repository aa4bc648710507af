import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseFeedbackAnswer } from '../../domain/surveys.ts';
import { nameRedactor, oneLine, plainText, redactNames, terminalSafe } from '../../domain/text.ts';
import { emit } from '../../cli/support/output.ts';

const ESC = '\u001b';
const RLO = '\u202e';

describe('text people typed', () => {
  it('loses control characters and bidirectional overrides, keeps accents, emoji, tabs and line breaks', () => {
    expect(plainText(`Olá${ESC}[2J mundo${RLO}txt.exe\u0007 👩🏽‍💻\tfim\r\nlinha`)).toBe('Olá[2J mundotxt.exe 👩🏽‍💻\tfim\nlinha');
    expect(plainText('\u2066isolated\u2069 \u0085next')).toBe('isolated next');
  });

  it('loses direction marks, line and paragraph separators and zero-width characters, keeping the joiners emoji need', () => {
    expect(plainText('Ana\u200f RLM\u200e\u061c\u2028next\u2029para\u200b\u2060\ufeff\u180eend')).toBe('Ana RLM\nnext\npara' + 'end');
    expect(plainText('👩🏽\u200d💻 می\u200cخواهم')).toBe('👩🏽\u200d💻 می\u200cخواهم');
    expect(terminalSafe('a\u2028b\u200fc')).toBe('a\\u2028b\\u200fc');
  });

  it('makes one line of a name or title: line breaks and tabs become single spaces, the unsafe characters go', () => {
    expect(oneLine('Patrícia <img src=x> \u200fRLM\u2028LS\u200b')).toBe('Patrícia <img src=x> RLM LS');
    expect(oneLine('Title\r\n  second\tline')).toBe('Title second line');
  });

  it('never leaves a character that can drive a terminal, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (typed) => {
        /* eslint-disable no-control-regex -- the assertions look for control characters */
        expect(plainText(typed)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/);
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

/** The redaction as it was first written: one case-insensitive pattern per name and part, longest first, over the whole text. */
function redactOnePatternPerName(text: string, names: readonly string[]): string {
  const parts = [...new Set(names.flatMap((n) => [n.trim(), ...n.split(/\s+/).filter((p) => p.length >= 3)]).filter((p) => p.length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  let out = text;
  for (const part of parts) {
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'), '[name]');
  }
  return out;
}

describe('names in quotes', () => {
  it('replaces whole names and name parts of three letters or more, in any case, only as whole words', () => {
    const redact = nameRedactor(['Ana Souza', 'Jean-Luc Picard', 'Li Na', '(Molly) Brown', 'Σωκράτης Παππάς']);
    expect(redact('Ana Souza helped; ANA was great. Banana! jean-luc and Luc too. LI NA, Li and Na. (molly) asked ΣΩΚΡΆΤΗΣ.')).toBe(
      '[name] helped; [name] was great. Banana! [name] and Luc too. [name], Li and Na. [name] asked [name].',
    );
  });

  it('redacts like one pattern per name, for any cohort and any text made of their names and other words', { timeout: 60_000 }, () => {
    const letter = fc.constantFrom('a', 'n', 'A', 'N', 'é', 'É', 'ß', 'σ', 'ς', 'Σ', '1');
    const word = fc.array(letter, { minLength: 1, maxLength: 5 }).map((l) => l.join(''));
    const name = fc
      .array(
        fc.oneof(
          word,
          word.map((w) => `${w}-${w}`),
          word.map((w) => `(${w})`),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((w) => w.join(' '));
    const separator = fc.constantFrom(' ', ', ', '-', '.', '[', '');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.oneof(word, name), separator), { maxLength: 12 }), (names, pieces) => {
        const text = pieces.map(([piece, sep]) => piece + sep).join('');
        const once = nameRedactor(names)(text);
        // Where two names overlap in a text, reading left to right may keep a different one than longest-first; either way no name is left.
        expect(redactOnePatternPerName(once, names)).toBe(once);
        const fold = (s: string) => s.toLowerCase().toUpperCase();
        const textWithoutOverlaps = names.every((a) =>
          names.every((b) => a === b || !(fold(a).includes(fold(b.split(/\s+/)[0] ?? '')) || fold(b).includes(fold(a)))),
        );
        // A name that begins or ends with a sign can touch another name, and replacing one name first can make the other match: compared only without them.
        const wordsAtBothEnds = names.every((n) => /^[\p{L}\p{N}].*[\p{L}\p{N}]$/su.test(n.trim()));
        if (textWithoutOverlaps && wordsAtBothEnds) expect(once).toBe(redactOnePatternPerName(text, names));
      }),
      { numRuns: 200 },
    );
  });

  it('reads a name with a zero-width joiner or non-joiner inside as the name, and keeps the joiners of emoji and scripts elsewhere', () => {
    const redact = nameRedactor(['Beatriz Costa']);
    expect(redact('Ask bea\u200Dtriz or BEA\u200CTRIZ Co\u200Dsta about 👩\u200D💻 and می\u200Cخواهم')).toBe(
      'Ask [name] or [name] about 👩\u200D💻 and می\u200Cخواهم',
    );
    expect(redact('\u200DBeatriz\u200D!')).toBe('\u200D[name]\u200D!');
  });

  it('finds a name split by a soft hyphen once the text is made plain, as every typed text is', () => {
    expect(plainText('bea\u00ADtriz')).toBe('beatriz');
    expect(redactNames(plainText('Thanks to bea\u00ADtriz'), ['Beatriz Costa'])).toBe('Thanks to [name]');
    // A suggestion stored before plainText removed it is read through as well.
    expect(redactNames('Thanks to bea\u00ADtriz', ['Beatriz Costa'])).toBe('Thanks to [name]');
  });

  it('keeps text that holds none of the names as it was', () => {
    expect(redactNames('Pairing across departments worked well.', ['Ana Souza', 'Bruno Lima'])).toBe('Pairing across departments worked well.');
  });
});
