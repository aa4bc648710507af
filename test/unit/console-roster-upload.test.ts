import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../domain/html.ts';
import { LinkSigner } from '../../domain/links.ts';
import type { ConsoleRouter, ConsoleResponse } from '../../services/console/router.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const program = sampleProgram('console-roster-upload');

let sealed: string;
beforeAll(async () => {
  sealed = await cookies.session.seal(hr, NOW);
});

async function rosterConsole() {
  const store = new InMemoryStore();
  await store.putProgram(program);
  return { store, router: consoleRouter(store, cookies, NOW).router };
}

function post(router: ConsoleRouter, path: string, fields: Record<string, string | Blob>): Promise<ConsoleResponse> {
  const form = new FormData();
  form.append('csrf', hr.csrf);
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, 'roster.csv');
  }
  return router.handle({ method: 'POST', path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed }, form });
}

/** Posts a file to the roster page's check, as a browser uploads it, with the encoding chosen (none: the select's default). */
function check(router: ConsoleRouter, bytes: Uint8Array, encoding?: string): Promise<ConsoleResponse> {
  return post(router, '/console/roster/check', {
    programId: program.programId,
    file: new Blob([bytes], { type: 'text/csv' }),
    ...(encoding ? { encoding } : {}),
  });
}

/** The fields of the check page's Import form, as the browser posts them back. */
function importFields(body: string): Record<string, string> {
  const form = /<form method="post" action="\/console\/roster\/import"[^>]*>([\s\S]*?)<\/form>/.exec(body)?.[1];
  if (!form) throw new Error('the page has no Import form');
  const unescape = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name as string, unescape(value as string)]),
  );
}

/** The sample roster as an older spreadsheet exports it: Windows-1252, one byte per accented letter. */
const latin1Roster = (): Buffer => {
  expect([...SAMPLE_ROSTER_CSV].every((c) => (c.codePointAt(0) as number) < 0x80 || (c.codePointAt(0) as number) >= 0xa0)).toBe(true);
  return Buffer.from(SAMPLE_ROSTER_CSV, 'latin1');
};

describe("the console's roster upload", () => {
  it('refuses a Latin-1 file read as UTF-8 with the message tandem roster import gives, instead of importing garbled accents', async () => {
    const { store, router } = await rosterConsole();
    const response = await check(router, latin1Roster());
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      escapeHtml(
        'roster.csv is not UTF-8 text: save it as "CSV UTF-8" in the spreadsheet, or choose Latin-1 (Windows-1252) as its encoding if it was exported as Latin-1/Windows-1252',
      ),
    );
    expect(response.body).not.toContain('action="/console/roster/import"');
    expect(await store.listParticipants(program.programId)).toEqual([]);
  });

  it('offers UTF-8 as the encoding by default and Latin-1 (Windows-1252) as the other choice', async () => {
    const { router } = await rosterConsole();
    const page = await router.handle({ method: 'GET', path: '/console/roster', query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed } });
    const select = /<select id="encoding" name="encoding">([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
    expect([...select.matchAll(/<option value="([^"]+)"( selected)?>/g)].map(([, value, selected]) => `${value}${selected ?? ''}`)).toEqual([
      'utf-8 selected',
      'windows-1252',
    ]);
  });

  it('reads a Latin-1 file chosen as Latin-1 with its accents, and the import step imports it as checked', async () => {
    const { store, router } = await rosterConsole();
    const checked = await check(router, latin1Roster(), 'windows-1252');
    expect(checked.status).toBe(200);
    const fields = importFields(checked.body);
    expect(fields.encoding).toBe('windows-1252');
    // The file goes back as uploaded (one byte per accent): a 2 MB Latin-1 file stays within the post's limit.
    expect(Buffer.from(fields.text ?? '', 'base64')).toEqual(latin1Roster());
    expect(checked.body).toMatch(/<select id="encoding" name="encoding">[^]*?<option value="windows-1252" selected>/);

    const imported = await post(router, '/console/roster/import', fields);
    expect(imported.status).toBe(303);
    const stored = await store.listParticipants(program.programId);
    expect(stored).toHaveLength(24);
    expect(stored.find((p) => p.participantId === 'p01')?.department).toBe('Vendas');
    expect(stored.find((p) => p.participantId === 'p02')?.department).toBe('Finanças');
  });

  it('refuses a UTF-8 file chosen as Latin-1, naming a word as it would be garbled and to choose UTF-8', async () => {
    const { store, router } = await rosterConsole();
    const response = await check(router, Buffer.from(SAMPLE_ROSTER_CSV, 'utf8'), 'windows-1252');
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      escapeHtml(
        'roster.csv is UTF-8 text, not Latin-1: read as Latin-1 its accents would be garbled ("Negociação:5" would read as "NegociaÃ§Ã£o:5"); choose UTF-8 (the default) as its encoding instead',
      ),
    );
    expect(await store.listParticipants(program.programId)).toEqual([]);
  });

  it('says a UTF-16 file is UTF-16 and to save it as UTF-8, instead of a line-numbered CSV error', async () => {
    const { router } = await rosterConsole();
    for (const encoding of ['utf-8', 'windows-1252']) {
      const response = await check(router, Buffer.from(`\ufeff${SAMPLE_ROSTER_CSV}`, 'utf16le'), encoding);
      expect(response.status).toBe(400);
      expect(response.body).toContain(escapeHtml('roster.csv is UTF-16 text, which Tandem does not read: save it as UTF-8 (in a spreadsheet, as "CSV UTF-8")'));
      expect(response.body).not.toMatch(/Invalid Record Length|not readable as CSV/);
    }
  });

  it('refuses a cell holding a NUL character as a problem of its row, and writes nothing', async () => {
    const { store, router } = await rosterConsole();
    const response = await check(router, Buffer.from(SAMPLE_ROSTER_CSV.replace('Helena Duarte', 'Helena\u0000Duarte'), 'utf8'));
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/<td>line 2: name<\/td><td>holds a NUL character \(U\+0000\)/);
    expect(await store.listParticipants(program.programId)).toEqual([]);
  });
});
