import { describe, expect, it } from 'vitest';
import { rosterForStdout } from '../../cli/commands/roster.ts';

describe('a roster export on stdout', () => {
  const stored = 'id,name\r\np1,"Ana\u001b]0;pwned\u0007 \u202eSilva"\r\n';

  it('shows control and direction-override characters of stored names as visible escapes on a terminal', () => {
    expect(rosterForStdout(stored, true)).toBe('id,name\r\np1,"Ana\\u001b]0;pwned\\u0007 \\u202eSilva"\r\n');
  });

  it('keeps the bytes as stored when piped, so that the export imports as it is', () => {
    expect(rosterForStdout(stored, false)).toBe(stored);
  });
});
