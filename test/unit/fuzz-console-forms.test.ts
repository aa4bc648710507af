import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCycle } from '../../domain/cycle.ts';
import { LinkSigner } from '../../domain/links.ts';
import { programSchema, type Program } from '../../domain/program.ts';
import type { ConsoleResponse } from '../../services/console/router.ts';
import { formFields, type Field } from '../../services/console/schema-form.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { importRoster } from '../../services/roster-import.ts';
import { parseColumnMappingJson } from '../../domain/roster.ts';
import { programFingerprint } from '../../services/programs.ts';
import { saveRosterMapping } from '../../services/roster-mappings.ts';
import { expectNoInternals, FUZZ_TIMEOUT, HOSTILE_CONSTANTS, hostileText, runs, snapshot } from '../support/fuzz.ts';
import { SAMPLE_ROSTER_CSV, sampleProgram } from '../support/cohort-fixtures.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';
import { consoleRouter } from '../support/console-router.ts';

/*
 * Hostile input at every console POST form (issue #15), through the console's router with a valid
 * session and CSRF token, so that the fuzz reaches each page's parser: the program form, the roster
 * upload (preview and import, with a pasted or saved mapping), starting and stopping a cycle, the pair
 * review, applying proposals, the language switch. Properties: never a thrown error (the handler would
 * answer 500); a refusal names the problem, shows no internals and leaves the store as it was.
 */

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const program: Program = sampleProgram('fuzz-console');
const PROGRAM_FIELDS = formFields(programSchema);
const CYCLE = 'fuzz-console-cycle';

let sealed: string;
beforeAll(async () => {
  sealed = await cookies.session.seal(hr, NOW);
});

/** A console over a fresh store holding the sample program, its roster and a running cycle. */
async function freshConsole() {
  const store = new InMemoryStore();
  await store.putProgram(program);
  await importRoster(store, { programId: program.programId, text: SAMPLE_ROSTER_CSV, format: 'csv' });
  await store.createCycle(newCycle(program, CYCLE, NOW - 86_400_000));
  const { router } = consoleRouter(store, cookies, NOW);
  return { store, router };
}

/** The program form's fields as the page fills them from the sample program: a valid post to start mutating. */
function programFormValues(fields: readonly Field[], value: unknown, out: Array<[string, string]> = []): Array<[string, string]> {
  for (const f of fields) {
    if (f.kind === 'group') {
      programFormValues(f.fields, value, out);
      continue;
    }
    const current = f.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
    if (current === undefined) continue;
    // Lines as lines, text as it is, and numbers, booleans and JSON fields in JSON (as the form shows them).
    const text = f.kind === 'lines' && Array.isArray(current) ? current.join('\n') : typeof current === 'string' ? current : JSON.stringify(current);
    out.push([f.name, text]);
  }
  return out;
}
const VALID_PROGRAM = programFormValues(PROGRAM_FIELDS, { ...program, programId: 'fuzz-new' });
const FIELD_NAMES = VALID_PROGRAM.map(([name]) => name);

/** A hostile JSON value for a JSON field: prototype keys, huge numbers, wrong types. */
const hostileJson = fc.oneof(
  fc.json(),
  fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '[1e999]', '{"a":', '"\\ud800"', 'null', '[]', '{}'),
);

type FormEntry = [string, string | File];

/** Hostile roster file contents: bytes, BOMs, UTF-16, NULs, broken quotes, formula cells, the sample with one cell replaced. */
const hostileRosterText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('\ufeff', '\ufeff\ufeff', '\u0000\u0000', 'id,id,id\n1,2,3', '"id,name\n"1,"a', '=cmd|"/c calc"!A1'),
  fc
    .tuple(fc.nat({ max: SAMPLE_ROSTER_CSV.length - 1 }), hostileText)
    .map(([at, text]) => `${SAMPLE_ROSTER_CSV.slice(0, at)}${text}${SAMPLE_ROSTER_CSV.slice(at)}`),
);

interface ConsoleTarget {
  name: string;
  path: string;
  form: fc.Arbitrary<FormEntry[]>;
}

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const textValue = (plausible: readonly string[]) => fc.oneof({ arbitrary: pick(plausible), weight: 1 }, { arbitrary: hostileText, weight: 2 });

const programForm = fc
  .tuple(
    fc.array(fc.tuple(fc.nat({ max: VALID_PROGRAM.length - 1 }), fc.oneof(hostileText, hostileJson)), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(pick(FIELD_NAMES), hostileText), hostileText), { maxLength: 3 }),
  )
  .map(([changes, extra]): FormEntry[] => {
    const form: FormEntry[] = VALID_PROGRAM.map(([k, v]) => [k, v]);
    for (const [at, value] of changes) (form[at] as FormEntry)[1] = value;
    return [...form, ...extra];
  });

const rosterUpload = (importing: boolean) =>
  fc
    .record({
      programId: textValue([program.programId]),
      file: fc.option(
        fc.record({
          text: fc.oneof(pick([SAMPLE_ROSTER_CSV]), hostileRosterText, fc.uint8Array({ maxLength: 300 })),
          name: fc.oneof(pick(['roster.csv', 'roster.json', 'x.CSV']), hostileText),
        }),
        { nil: undefined },
      ),
      carried: fc.option(fc.oneof(pick([Buffer.from(SAMPLE_ROSTER_CSV).toString('base64')]), hostileText), { nil: undefined }),
      mapping: fc.option(fc.oneof(hostileJson, pick(['{"columns":{"id":"id"}}', '{"delimiter":"tab"}', '{"columns":{"__proto__":"id"}}'])), { nil: undefined }),
      encoding: fc.option(textValue(['utf-8', 'windows-1252']), { nil: undefined }),
      savedMapping: fc.option(textValue(['export-rh']), { nil: undefined }),
      saveMappingAs: fc.option(textValue(['export-rh', 'a', '-x']), { nil: undefined }),
    })
    .map((u): FormEntry[] => [
      ['programId', u.programId],
      ...(u.file ? [['file', new File([u.file.text], u.file.name)] as FormEntry] : []),
      ...(u.carried !== undefined ? [['text', u.carried] as FormEntry, ['fileName', importing ? 'roster.csv' : u.programId] as FormEntry] : []),
      ...(u.encoding !== undefined ? [['encoding', u.encoding] as FormEntry] : []),
      ...(u.mapping !== undefined ? [['mapping', u.mapping] as FormEntry] : []),
      ...(u.savedMapping !== undefined ? [['savedMapping', u.savedMapping] as FormEntry] : []),
      ...(u.saveMappingAs !== undefined ? [['saveMappingAs', u.saveMappingAs] as FormEntry] : []),
    ]);

const fieldsOf = (names: readonly string[], plausible: readonly string[]) =>
  fc.array(fc.tuple(fc.oneof({ arbitrary: pick(names), weight: 3 }, { arbitrary: hostileText, weight: 1 }), textValue(plausible)), { maxLength: 8 });

const TARGETS: ConsoleTarget[] = [
  { name: 'program create form', path: '/console/programs', form: programForm },
  { name: 'program edit form', path: `/console/programs/edit/${program.programId}`, form: programForm },
  { name: 'roster upload preview', path: '/console/roster', form: rosterUpload(false) },
  { name: 'roster import', path: '/console/roster/import', form: rosterUpload(true) },
  { name: 'cycle start', path: '/console/cycles/start', form: fieldsOf(['programId'], [program.programId, 'nope']) },
  { name: 'cycle stop', path: `/console/cycles/${CYCLE}/stop`, form: fieldsOf(['reason'], ['done']) },
  {
    name: 'pair review',
    path: `/console/pairs/${CYCLE}`,
    form: fieldsOf(
      ['action', 'cycleId', 'first', 'second', 'participantId', 'programWide'],
      ['forbid', 'lock', 'unlock', 'exclude', 'resolve', 'approve', CYCLE, 'p01', 'p02', 'true'],
    ),
  },
  { name: 'proposals apply', path: `/console/report/${CYCLE}/apply`, form: fieldsOf(['proposal'], ['p1', 'matching.weights']) },
  { name: 'language switch', path: '/console/language', form: fieldsOf(['lang'], ['pt-BR', 'en']) },
  {
    name: 'saved mapping delete',
    path: '/console/roster/mapping-delete',
    form: fieldsOf(['programId', 'name', 'confirm'], [program.programId, 'export-rh', 'toString', 'yes', 'no']),
  },
];

function formData(entries: FormEntry[], csrf: string | undefined): FormData {
  const form = new FormData();
  if (csrf !== undefined) form.append('csrf', csrf);
  for (const [name, value] of entries) form.append(name, value);
  return form;
}

/** The properties of every console answer to a hostile post. */
function checkAnswer(response: ConsoleResponse, before: string, after: string, where: string): void {
  expect(response.status, where).toBeLessThan(500);
  expectNoInternals(response.body, where);
  if (response.status >= 400) {
    expect(after, `${where}: a refused post changed the store`).toBe(before);
    const named = /role="alert"/.test(response.body) || /<h1>(Refused|Recusado)<\/h1><p>[^<]+<\/p>/.test(response.body) || /<p>404<\/p>/.test(response.body);
    expect(named, `${where}: a ${response.status} page names no problem`).toBe(true);
  }
}

describe('hostile posts to the console forms, signed in as HR with the right CSRF token', () => {
  for (const target of TARGETS) {
    it(`never answers a hostile ${target.name} post with an error, internals or a half-written store`, { timeout: FUZZ_TIMEOUT }, async () => {
      await fc.assert(
        fc.asyncProperty(target.form, async (entries) => {
          const c = await freshConsole();
          const before = snapshot(c.store);
          const response = await c.router.handle({
            method: 'POST',
            path: target.path,
            query: new URLSearchParams(),
            cookies: { [SESSION_COOKIE]: sealed },
            form: formData(entries, hr.csrf),
          });
          checkAnswer(response, before, snapshot(c.store), `${target.name} ${response.status}`);
        }),
        { numRuns: runs(40) },
      );
    });
  }

  it('refuses a hostile path, CSRF field or session cookie without an error and changes nothing', { timeout: FUZZ_TIMEOUT }, async () => {
    const c = await freshConsole();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          pick(TARGETS.map((t) => t.path)),
          hostileText.map((t) => `/console/${t}`),
        ),
        fc.oneof(fc.constant(undefined), hostileText, pick([hr.csrf, `${hr.csrf} `])),
        fc.oneof(pick([sealed]), hostileText, pick(HOSTILE_CONSTANTS)),
        async (path, csrf, cookie) => {
          const before = snapshot(c.store);
          const response = await c.router.handle({
            method: 'POST',
            path,
            query: new URLSearchParams(),
            cookies: { [SESSION_COOKIE]: cookie },
            form: formData([], csrf),
          });
          const after = snapshot(c.store);
          expect(response.status).toBeLessThan(500);
          expectNoInternals(response.body, `path ${response.status}`);
          if (response.status >= 400 || cookie !== sealed || csrf !== hr.csrf) expect(after).toBe(before);
        },
      ),
      { numRuns: runs(60) },
    );
  });
});

describe('what the console fuzz found', () => {
  it('saves a pasted mapping only when the previewed file reads well with it, so a refused preview changes nothing', async () => {
    const c = await freshConsole();
    const post = (file: string) =>
      c.router.handle({
        method: 'POST',
        path: '/console/roster',
        query: new URLSearchParams(),
        cookies: { [SESSION_COOKIE]: sealed },
        form: formData(
          [
            ['programId', program.programId],
            ['file', new File([file], 'roster.csv')],
            ['mapping', '{"columns":{"id":"id"}}'],
            ['saveMappingAs', 'export-rh'],
          ],
          hr.csrf,
        ),
      });
    const before = snapshot(c.store);
    const refused = await post(`${SAMPLE_ROSTER_CSV}\np99,"unbalanced`);
    expect(refused.status).toBe(400);
    expect(snapshot(c.store)).toBe(before);
    expect((await c.store.getProgram(program.programId))?.rosterMappings).toBeUndefined();
    expect((await post(SAMPLE_ROSTER_CSV)).status).toBe(200);
    expect(Object.keys((await c.store.getProgram(program.programId))?.rosterMappings ?? {})).toEqual(['export-rh']);
  });
});

describe('numbers typed into the console’s program form', () => {
  const numberFields: string[] = [];
  const collect = (fields: readonly Field[]) =>
    fields.forEach((f) => (f.kind === 'group' ? collect(f.fields) : f.kind === 'number' && numberFields.push(f.name)));
  collect(PROGRAM_FIELDS);

  it(
    'saves a number only when it is typed as plain decimal digits, never 0x10, 1e1 or Infinity as JavaScript reads them',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      expect(numberFields.length).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(
          pick(numberFields),
          fc.oneof(pick(['0x1', '0x10', '1e1', '1e0', '0b1', '0o7', '.5', '5.', '+1', '1_0', 'Infinity', '１', ' 1 ', '1', '2', '0.5', '10']), hostileText),
          async (name, typed) => {
            const c = await freshConsole();
            const form = VALID_PROGRAM.filter(([k]) => k !== name).concat([[name, typed]]);
            const response = await c.router.handle({
              method: 'POST',
              path: '/console/programs',
              query: new URLSearchParams(),
              cookies: { [SESSION_COOKIE]: sealed },
              form: formData(form, hr.csrf),
            });
            expect(response.status).toBeLessThan(500);
            const text = typed.trim();
            if (response.status === 303 && text !== '') expect(text, `${name} = ${JSON.stringify(typed)} was saved`).toMatch(/^-?\d+(\.\d+)?$/);
          },
        ),
        { numRuns: runs(60) },
      );
    },
  );
});

describe('hostile paths without a session', () => {
  it(
    'sends a GET to the sign-in with a return path only when sign-in would honour it, so the redirect never echoes a hostile path',
    { timeout: FUZZ_TIMEOUT },
    async () => {
      const c = await freshConsole();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostileText.map((t) => `/console/${encodeURIComponent(t.replace(/[\ud800-\udfff]/g, '?'))}`),
            fc.string({ unit: fc.constantFrom('a', '0', '-', '/', '.'), maxLength: 2_000 }).map((t) => `/console/${t}`),
            pick(['/console/programs', '/console/cycles/c-1', '/console/ops/executions/x']),
          ),
          async (path) => {
            const response = await c.router.handle({ method: 'GET', path, query: new URLSearchParams(), cookies: {} });
            expect(response.status).toBe(303);
            const location = response.headers.location ?? '';
            expect(location.length).toBeLessThanOrEqual('/console/sign-in?return='.length + 3 * 512);
            const back = new URL(location, 'https://console.example.com').searchParams.get('return');
            if (back !== null) expect(back).toMatch(/^\/console(\/[A-Za-z0-9._~\-/]*)?$/);
          },
        ),
        { numRuns: runs(60) },
      );
    },
  );
});

describe('editing a program in the console while someone else changes it', () => {
  const request = (method: 'GET' | 'POST', entries: FormEntry[] = []) => ({
    method,
    path: `/console/programs/edit/${program.programId}`,
    query: new URLSearchParams(),
    cookies: { [SESSION_COOKIE]: sealed },
    ...(method === 'POST' ? { form: formData(entries, hr.csrf) } : {}),
  });
  const fingerprintIn = (html: string) => /name="programFingerprint" value="([^"]+)"/.exec(html)?.[1];

  it('refuses a save from a page opened before another change, keeping that change, and saves from a page opened after it', async () => {
    const c = await freshConsole();
    const opened = fingerprintIn((await c.router.handle(request('GET'))).body);
    expect(opened).toBe(programFingerprint(program));

    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping: parseColumnMappingJson('{"columns":{"Nome":"name"}}') });
    const stale = await c.router.handle(
      request('POST', [...programFormValues(PROGRAM_FIELDS, { ...program, name: 'Renamed' }), ['programFingerprint', opened as string]]),
    );
    expect(stale.status).toBe(400);
    expect(stale.body).toContain('changed by someone else');
    const kept = await c.store.getProgram(program.programId);
    expect(kept?.name).toBe(program.name);
    expect(Object.keys(kept?.rosterMappings ?? {})).toEqual(['export-rh']);

    const reopened = fingerprintIn((await c.router.handle(request('GET'))).body) as string;
    const saved = await c.router.handle(
      request('POST', [...programFormValues(PROGRAM_FIELDS, { ...kept, name: 'Renamed' }), ['programFingerprint', reopened]]),
    );
    expect(saved.status).toBe(303);
    const after = await c.store.getProgram(program.programId);
    expect(after?.name).toBe('Renamed');
    expect(Object.keys(after?.rosterMappings ?? {})).toEqual(['export-rh']);
  });
});

describe('deleting a saved column mapping in the console', () => {
  const post = (c: Awaited<ReturnType<typeof freshConsole>>, entries: FormEntry[]) =>
    c.router.handle({
      method: 'POST',
      path: '/console/roster/mapping-delete',
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: sealed },
      form: formData(entries, hr.csrf),
    });
  const rosterPage = (c: Awaited<ReturnType<typeof freshConsole>>) =>
    c.router.handle({ method: 'GET', path: '/console/roster', query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: sealed } });
  const mapping = parseColumnMappingJson('{"columns":{"Matricula":"id"}}');
  const ask = (name = 'export-rh'): FormEntry[] => [
    ['programId', program.programId],
    ['name', name],
  ];
  /** The confirmation as the question page sends it: its hidden fields, fingerprint included. */
  const answerOf = (html: string): FormEntry[] => {
    const form = /<form method="post" action="\/console\/roster\/mapping-delete">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
    return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
      .filter(([, field]) => field !== 'csrf')
      .map(([, field, value]) => [field as string, (value as string).replaceAll('&quot;', '"').replaceAll('&amp;', '&')]);
  };
  const mappingsOf = async (c: Awaited<ReturnType<typeof freshConsole>>) =>
    Object.keys((await c.store.getProgram(program.programId))?.rosterMappings ?? {}).sort();

  it('lists the mapping on the roster page, asks before deleting it, then deletes it and keeps it in the audit entry', async () => {
    const c = await freshConsole();
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping });
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-folha', mapping });
    expect((await rosterPage(c)).body).toContain(`<strong>export-rh</strong> (${program.programId}): <bdi>Matricula</bdi> → id`);

    const asked = await post(c, ask());
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('Delete this mapping?');
    expect(await mappingsOf(c)).toEqual(['export-folha', 'export-rh']);
    const answer = answerOf(asked.body);
    expect(answer.map(([field]) => field)).toEqual(['programId', 'name', 'fingerprint', 'confirm']);

    const deleted = await post(c, answer);
    expect(deleted.status).toBe(303);
    expect(await mappingsOf(c)).toEqual(['export-folha']);
    const audit = await c.store.listAudit({ programId: program.programId });
    expect(audit.filter((a) => a.action === 'roster.mapping-deleted').map((a) => [a.actor, a.details])).toEqual([
      ['hr@example.com', { name: 'export-rh', mapping: JSON.stringify(mapping) }],
    ]);
  });

  it('does not delete a mapping saved again after the question was shown: it shows what it holds now and asks again', async () => {
    const c = await freshConsole();
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping });
    const stale = answerOf((await post(c, ask())).body);
    const newer = parseColumnMappingJson('{"columns":{"Codigo":"id","Nome":"name"}}');
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping: newer });

    const again = await post(c, stale);
    expect(again.status).toBe(409);
    expect(again.body).toContain('was saved again');
    expect(again.body).toContain('&quot;Codigo&quot;: &quot;id&quot;');
    expect((await c.store.getProgram(program.programId))?.rosterMappings).toEqual({ 'export-rh': newer });
    expect((await c.store.listAudit({ programId: program.programId })).filter((a) => a.action === 'roster.mapping-deleted')).toEqual([]);

    expect((await post(c, answerOf(again.body))).status).toBe(303);
    expect(await mappingsOf(c)).toEqual([]);
  });

  it('writes nothing for an answer other than yes, a confirmation without the fingerprint, a second confirmation or a mapping gone meanwhile', async () => {
    const c = await freshConsole();
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping });
    const answer = answerOf((await post(c, ask())).body);
    const before = snapshot(c.store);
    expect(
      (
        await post(
          c,
          answer.map(([f, v]) => [f, f === 'confirm' ? 'no' : v]),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await post(
          c,
          answer.filter(([f]) => f !== 'fingerprint'),
        )
      ).status,
    ).toBe(409);
    expect(snapshot(c.store)).toEqual(before);

    expect((await post(c, answer)).status).toBe(303);
    const after = snapshot(c.store);
    expect((await post(c, answer)).status).toBe(303);
    expect((await post(c, ask())).status).toBe(303);
    expect((await post(c, ask('hasOwnProperty'))).status).toBe(303);
    expect(snapshot(c.store)).toEqual(after);
    expect((await c.store.listAudit({ programId: program.programId })).filter((a) => a.action === 'roster.mapping-deleted')).toHaveLength(1);
  });

  it('shows hostile column headers as text, each isolated, in the list and in the question', async () => {
    const c = await freshConsole();
    const hostile = parseColumnMappingJson(
      JSON.stringify({ columns: { '<script>alert(1)</script>': 'id', "\"x' onmouseover='y": 'name', 'a\u202eevil': 'email' } }),
    );
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping: hostile });
    const page = (await rosterPage(c)).body;
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi> → id');
    expect(page).toContain('<bdi>a\u202eevil</bdi> → email');
    const asked = (await post(c, ask())).body;
    expect(asked).not.toContain('<script>alert');
    expect(asked).not.toContain("' onmouseover='");
  });

  it('refuses an invalid mapping name with the field it names, and an unknown program, writing nothing', async () => {
    const c = await freshConsole();
    const before = snapshot(c.store);
    const invalid = await post(c, [...ask('../export'), ['confirm', 'yes']]);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('The mapping name is not valid.');
    expect(invalid.body).toContain('mappingName');
    expect((await post(c, ask('export rh'))).status).toBe(400);
    const unknown = await post(c, [
      ['programId', 'no-such-program'],
      ['name', 'export-rh'],
    ]);
    expect(unknown.status).toBe(404);
    expect(snapshot(c.store)).toEqual(before);
  });

  it('says in Portuguese, to a pt-BR session, that the service’s message that follows is in English, and marks it so', async () => {
    const c = await freshConsole();
    const portuguese = await cookies.session.seal({ ...hr, lang: 'pt-BR' }, NOW);
    const unknown = await c.router.handle({
      method: 'POST',
      path: '/console/roster/mapping-delete',
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: portuguese },
      form: formData(
        [
          ['programId', 'no-such-program'],
          ['name', 'export-rh'],
        ],
        hr.csrf,
      ),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatch(
      /<div class="errors" role="alert"><p>Não encontrado\. O serviço explica, em inglês:<\/p><div lang="en"><p>program no-such-program does not exist[^<]*<\/p><\/div><\/div>/,
    );
    // A page that shows the service's problems itself (the roster's upload) says the same.
    const noFile = await c.router.handle({
      method: 'POST',
      path: '/console/roster',
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: portuguese },
      form: formData([['programId', program.programId]], hr.csrf),
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body).toContain(
      '<div class="errors" role="alert"><p>O pedido tem problemas. O serviço explica, em inglês:</p><div lang="en"><p>no roster file: file: choose a CSV or JSON file</p><ul><li>file: choose a CSV or JSON file</li></ul></div></div>',
    );
    const english = await post(c, [
      ['programId', 'no-such-program'],
      ['name', 'export-rh'],
    ]);
    expect(english.body).toMatch(/<div class="errors" role="alert"><p>program no-such-program does not exist[^<]*<\/p><\/div>/);
  });
});

describe('checking and importing a roster file in the console', () => {
  const post = (c: Awaited<ReturnType<typeof freshConsole>>, subpath: 'check' | 'import', entries: FormEntry[]) =>
    c.router.handle({
      method: 'POST',
      path: `/console/roster/${subpath}`,
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: sealed },
      form: formData(entries, hr.csrf),
    });
  /** The import form's hidden fields, as the checked page sends them back. */
  const importFormOf = (html: string): FormEntry[] => {
    const form = /<form method="post" action="\/console\/roster\/import"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
    return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
      .filter(([, field]) => field !== 'csrf')
      .map(([, field, value]) => [field as string, (value as string).replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')]);
  };
  // The sample roster with its department under "area", and a second column that a newer mapping would read instead.
  const [header, ...rows] = SAMPLE_ROSTER_CSV.trimEnd().split('\n');
  const twoColumns = [`${header?.replace(',department,', ',area,')},setor`, ...rows.map((row) => `${row},WRONG`)].join('\n');

  it('imports with the saved mapping the file was checked with, even when that name is saved again meanwhile', async () => {
    const c = await freshConsole();
    await saveRosterMapping(c.store, { programId: program.programId, name: 'export-rh', mapping: parseColumnMappingJson('{"columns":{"area":"department"}}') });
    const checked = await post(c, 'check', [
      ['programId', program.programId],
      ['file', new File([twoColumns], 'roster.csv', { type: 'text/csv' })],
      ['savedMapping', 'export-rh'],
    ]);
    expect(checked.status).toBe(200);
    await saveRosterMapping(c.store, {
      programId: program.programId,
      name: 'export-rh',
      mapping: parseColumnMappingJson('{"columns":{"setor":"department"}}'),
    });

    expect((await post(c, 'import', importFormOf(checked.body))).status).toBe(303);
    const departments = new Set((await c.store.listParticipants(program.programId)).map((p) => p.department));
    expect(departments.has('WRONG')).toBe(false);
    expect(departments.has('Vendas')).toBe(true);
  });

  it('refuses a file over 2 MB by its size, pointing to the CLI, and writes nothing', async () => {
    const c = await freshConsole();
    const before = snapshot(c.store);
    const large = `${SAMPLE_ROSTER_CSV.trimEnd()}\n${`p99,${'x'.repeat(200)},x@example.com,Vendas,1990,,3,,,,pt,pt-BR,America/Sao_Paulo,1,active\n`.repeat(10_000)}`;
    const refused = await post(c, 'check', [
      ['programId', program.programId],
      ['file', new File([large], 'big.csv', { type: 'text/csv' })],
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(
      /big\.csv is 2\.\d MB; the console takes files of at most 2 MB \(about 20,000 people\): import a larger one with tandem roster import/,
    );
    expect(snapshot(c.store)).toEqual(before);
  });
});

describe('stopping a cycle in the console', () => {
  it('refuses a reason of spaces alone, naming the field, and stops nothing', async () => {
    const c = await freshConsole();
    const before = snapshot(c.store);
    const refused = await c.router.handle({
      method: 'POST',
      path: `/console/cycles/${CYCLE}/stop`,
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: sealed },
      form: formData([['reason', '   ']], hr.csrf),
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('reason: say why the cycle stops: it is recorded');
    expect(snapshot(c.store)).toEqual(before);
    expect((await c.store.getCycle(CYCLE))?.status).toBe('running');
  });
});

describe('exporting a roster from the console', () => {
  it('marks the CSV as UTF-8 for spreadsheets, and the file imports again as it is', async () => {
    const c = await freshConsole();
    const exported = await c.router.handle({
      method: 'GET',
      path: `/console/roster/export/${program.programId}`,
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: sealed },
    });
    expect(exported.status).toBe(200);
    expect(exported.body.startsWith('\ufeffid,name,email')).toBe(true);
    expect(exported.body).toContain('Operações');
    const before = snapshot(c.store);
    expect(await importRoster(c.store, { programId: program.programId, text: exported.body, format: 'csv' })).toMatchObject({ written: 0 });
    expect(snapshot(c.store)).toEqual(before);
  });
});

describe('a review and the executions in a Portuguese console session', () => {
  const asPortuguese = async (c: Awaited<ReturnType<typeof freshConsole>>, path: string) =>
    c.router.handle({
      method: 'GET',
      path,
      query: new URLSearchParams(),
      cookies: { [SESSION_COOKIE]: await cookies.session.seal({ ...hr, lang: 'pt-BR' }, NOW) },
    });

  it('labels the figures in Portuguese and marks the review’s English proposals as English', async () => {
    const c = await freshConsole();
    await c.store.putReview({
      cycleId: CYCLE,
      programId: program.programId,
      startedAt: NOW - 86_400_000,
      generatedAt: NOW,
      reportPath: '/tmp/report.html',
      summary: {
        cycleId: CYCLE,
        startedAt: NOW - 86_400_000,
        members: 24,
        pairs: 12,
        responseRate: { goalSetting: 1, measure: 0.75, feedback: 0.5 },
        crossDepartmentShare: 0.9,
        crossGenerationShare: 1,
        juniorTaughtSeniorMeanGain: null,
        seniorTaughtJuniorMeanGain: null,
        digitalMeanGain: null,
        bothWaysShare: 0.5,
        goalAttainmentMeanPercent: null,
        checkInAdherence: 0.8,
        netPromoterScore: 40,
        atRiskPairs: 2,
        departmentLinks: [],
      },
      proposals: [
        {
          id: 'phase-window:measure',
          kind: 'phase-window',
          title: 'Give the measure phase more time',
          change: null,
          reason: 'Few answered.',
          evidence: { figure: 'measure answered', value: '75%' },
        },
      ],
    });
    const page = await asPortuguese(c, `/console/report/${CYCLE}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<dt>Duplas em risco</dt><dd>2</dd>');
    expect(page.body).not.toContain('Pairs at risk');
    expect(page.body).toContain('<ol id="proposals" lang="en">');
  });
});
