import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import { escapeHtml } from '../../domain/html.ts';
import { LinkSigner } from '../../domain/links.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import type { ConsoleRouter } from '../../services/console/router.ts';
import { formFields } from '../../services/console/schema-form.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { parseProgramText } from '../../services/program-files.ts';
import { programFingerprint, SkillsInUseError, updateProgram } from '../../services/programs.ts';
import { importRoster } from '../../services/roster-import.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { parseColumnMappingJson } from '../../domain/roster.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { consoleRouter, formValues } from '../support/console-router.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const FIELDS = formFields(programSchema);
const program: Program = sampleProgram('console-program-form');

let sealed: string;
beforeAll(async () => {
  sealed = await cookies.session.seal(hr, NOW);
});

async function consoleWithRoster() {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  const { router } = consoleRouter(store, cookies, NOW);
  return { store, router };
}

function saveEdit(router: ConsoleRouter, edited: unknown, opened: Program = program, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append('csrf', hr.csrf);
  for (const [name, value] of formValues(FIELDS, edited)) form.append(name, value);
  form.append('programFingerprint', programFingerprint(opened));
  for (const [name, value] of Object.entries(extra)) form.append(name, value);
  return router.handle({
    method: 'POST',
    path: `/console/programs/edit/${program.programId}`,
    query: new URLSearchParams(),
    cookies: { [SESSION_COOKIE]: sealed },
    form,
  });
}

/** What `tandem program update --file` says of the same settings, as one line per problem. */
function cliProblems(settings: unknown): string[] {
  try {
    parseProgramText(JSON.stringify(settings), 'program.json');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.where}: ${i.problem}`);
    throw error;
  }
  throw new Error('the CLI accepted the settings');
}

describe("the console's program form", () => {
  it('refuses a key no setting has in pasted JSON, naming it as the CLI does, and stores nothing', async () => {
    const { store, router } = await consoleWithRoster();
    const [first, ...rest] = program.skillsCatalog;
    const edited = { ...program, skillsCatalog: [{ ...first, digitl: true }, ...rest] };
    const problems = cliProblems(edited);
    expect(problems).toEqual(['skillsCatalog.0.digitl: is not a setting of skillsCatalog.0; did you mean "digital"?']);

    const response = await saveEdit(router, edited);
    expect(response.status).toBe(400);
    for (const problem of problems) expect(response.body).toContain(escapeHtml(problem));
    expect(await store.getProgram(program.programId)).toEqual(program);
  });

  it('refuses to remove a skill people on the roster use with the message the CLI gives, and stores nothing', async () => {
    const { store, router } = await consoleWithRoster();
    const edited = { ...program, skillsCatalog: program.skillsCatalog.filter((s) => s.id !== 'negotiation') };
    const refusal = await updateProgram(store, edited).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SkillsInUseError);
    const [issue] = (refusal as SkillsInUseError).issues;
    expect(issue?.problem).toMatch(/^"negotiation" \(Negociação\) cannot be removed: \d+ people on the roster use it \(p01, p02, /);

    const response = await saveEdit(router, edited);
    expect(response.status).toBe(400);
    expect(response.body).toContain(escapeHtml(issue?.problem ?? ''));
    expect(await store.getProgram(program.programId)).toEqual(program);
  });
});

describe("the console's program form and the saved column mappings", () => {
  const rh = parseColumnMappingJson(JSON.stringify({ columns: { Matrícula: 'id', 'Nome completo': 'name' }, defaults: { languages: 'pt' } }));
  const folha = parseColumnMappingJson(JSON.stringify({ columns: { Codigo: 'id' } }));

  /** The program with two mappings saved from the roster page, as its edit page shows it. */
  async function withSavedMappings() {
    const { store, router } = await consoleWithRoster();
    await saveRosterMapping(store, { programId: program.programId, name: 'export-rh', mapping: rh });
    await saveRosterMapping(store, { programId: program.programId, name: 'export-folha', mapping: folha });
    const opened = (await store.getProgram(program.programId)) as Program;
    return { store, router, opened };
  }
  const confirmationIn = (body: string) => /name="confirmMappingRemoval" value="([^"]+)"/.exec(body)?.[1];

  it('asks before a save that removes saved mappings, showing each whole, and changes nothing until confirmed', async () => {
    const { store, router, opened } = await withSavedMappings();
    const { rosterMappings: _cleared, ...edited } = { ...opened, name: 'Renamed' };

    const asked = await saveEdit(router, edited, opened);
    expect(asked.status).toBe(200);
    const question = /<section aria-labelledby="remove-title" id="mappings-to-remove">([^]*?)<\/section>/.exec(asked.body)?.[1] ?? '';
    expect(question).toContain('Save again to confirm, or cancel to keep them');
    for (const [name, mapping] of [
      ['export-rh', rh],
      ['export-folha', folha],
    ] as const) {
      expect(question).toContain(`<strong>${name}</strong> (removed)`);
      expect(question).toContain(escapeHtml(JSON.stringify(mapping, null, 2)));
    }
    expect(confirmationIn(asked.body)).toBeTruthy();
    // The form comes back as posted: the name as edited, the mappings field empty.
    expect(asked.body).toContain('value="Renamed"');
    expect(await store.getProgram(program.programId)).toEqual(opened);
    expect(await store.listAudit({ programId: program.programId })).toEqual([]);
  });

  it('records each mapping a confirmed save removes or replaces as roster.mapping-deleted with the whole mapping, then the change', async () => {
    const { store, router, opened } = await withSavedMappings();
    const edited = { ...opened, rosterMappings: { 'export-rh': folha } };
    const asked = await saveEdit(router, edited, opened);
    expect(asked.body).toContain('<strong>export-rh</strong> (replaced by the one in the form)');

    const saved = await saveEdit(router, edited, opened, { confirmMappingRemoval: confirmationIn(asked.body) as string });
    expect(saved.status).toBe(303);
    expect((await store.getProgram(program.programId))?.rosterMappings).toEqual({ 'export-rh': folha });
    const audit = await store.listAudit({ programId: program.programId });
    expect(audit.map((entry) => [entry.action, entry.actor, entry.details])).toEqual(
      expect.arrayContaining([
        ['roster.mapping-deleted', hr.email, { name: 'export-rh', mapping: JSON.stringify(rh), replaced: true }],
        ['roster.mapping-deleted', hr.email, { name: 'export-folha', mapping: JSON.stringify(folha) }],
        ['program.changed', hr.email, { fields: 'rosterMappings' }],
      ]),
    );
    expect(audit).toHaveLength(3);
  });

  it('asks again, saving nothing, when the confirmed save would remove other mappings than those it showed', async () => {
    const { store, router, opened } = await withSavedMappings();
    const asked = await saveEdit(router, { ...opened, rosterMappings: { 'export-rh': rh } }, opened);
    const confirmation = confirmationIn(asked.body) as string;
    const { rosterMappings: _cleared, ...removingBoth } = opened;

    const again = await saveEdit(router, removingBoth, opened, { confirmMappingRemoval: confirmation });
    expect(again.status).toBe(200);
    expect(again.body).toContain('<strong>export-rh</strong> (removed)');
    expect(confirmationIn(again.body)).not.toBe(confirmation);
    expect(await store.getProgram(program.programId)).toEqual(opened);
    expect(await store.listAudit({ programId: program.programId })).toEqual([]);
  });
});
