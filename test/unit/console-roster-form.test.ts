import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../domain/html.ts';
import { LinkSigner } from '../../domain/links.ts';
import { ROSTER_UPLOAD_MAX_BYTES } from '../../services/console/pages/roster.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const PASTED = '{"columns": {"Nome completo": "name", "E-mail": "email"}}';
const SAVED = { columns: { Nome: 'name' as const }, values: {}, defaults: {} };

/** Two programs, the second (not the first the form lists) with a saved mapping. */
async function consoleWithTwoPrograms() {
  const store = new InMemoryStore();
  await store.putProgram(sampleProgram('roster-form-a'));
  await store.putProgram({ ...sampleProgram('roster-form-b'), rosterMappings: { 'export-rh': SAVED } });
  const { router } = consoleRouter(store, cookies, NOW);
  const sealed = await cookies.session.seal(hr, NOW);
  const check = (file?: File) => {
    const form = new FormData();
    form.append('csrf', hr.csrf);
    form.append('programId', 'roster-form-b');
    if (file) form.append('file', file);
    form.append('savedMapping', 'export-rh');
    form.append('mapping', PASTED);
    form.append('saveMappingAs', 'from-hr');
    return router.handle({ method: 'POST', path: '/console/roster/check', query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed }, form });
  };
  return { store, check };
}

/** The form the error page shows again: what it has chosen and filled in. */
function formState(body: string) {
  const selected: Record<string, string[]> = {};
  for (const [, id, options] of body.matchAll(/<select id="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    selected[id as string] = [...(options as string).matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1] as string);
  }
  return {
    selected,
    mapping: /<textarea id="mapping" name="mapping">([\s\S]*?)<\/textarea>/.exec(body)?.[1],
    saveAs: /<input type="text" id="save-mapping-as" name="saveMappingAs" maxlength="40" value="([^"]*)">/.exec(body)?.[1],
  };
}

describe("the console's roster form after an error", () => {
  it('keeps the chosen program, saved mapping and pasted mapping when no file was chosen', async () => {
    const { check } = await consoleWithTwoPrograms();
    const response = await check();
    expect(response.status).toBe(400);
    expect(response.body).toContain('choose a CSV or JSON file');
    expect(formState(response.body)).toEqual({
      selected: { program: ['roster-form-b'], encoding: ['utf-8'], 'saved-mapping': ['export-rh'] },
      mapping: escapeHtml(PASTED),
      saveAs: 'from-hr',
    });
  });

  it('keeps the chosen program, saved mapping and pasted mapping when the file is too large, and writes nothing', async () => {
    const { store, check } = await consoleWithTwoPrograms();
    const tooLarge = new File(['name,email\n', 'x'.repeat(ROSTER_UPLOAD_MAX_BYTES)], 'roster.csv', { type: 'text/csv' });
    const response = await check(tooLarge);
    expect(response.status).toBe(400);
    expect(response.body).toContain('the roster file is too large');
    expect(formState(response.body)).toEqual({
      selected: { program: ['roster-form-b'], encoding: ['utf-8'], 'saved-mapping': ['export-rh'] },
      mapping: escapeHtml(PASTED),
      saveAs: 'from-hr',
    });
    expect(await store.listParticipants('roster-form-b')).toEqual([]);
    expect((await store.getProgram('roster-form-b'))?.rosterMappings).toEqual({ 'export-rh': SAVED });
  });
});
