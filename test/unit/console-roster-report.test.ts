import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../domain/html.ts';
import { LinkSigner } from '../../domain/links.ts';
import { ROSTER_COLUMNS } from '../../domain/roster.ts';
import { ROSTER_UPLOAD_MAX_BYTES } from '../../services/console/pages/roster.ts';
import type { ConsoleRouter, ConsoleResponse } from '../../services/console/router.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const program = sampleProgram('console-roster-report');
/** What the page may weigh whatever the file: far below Lambda's 6 MB response. */
const PAGE_BUDGET_BYTES = 300_000;
const REPORT_LISTED_PROBLEMS = 200;

let sealed: string;
beforeAll(async () => {
  sealed = await cookies.session.seal(hr, NOW);
});

async function checkFile(
  csv: string,
  lang: ConsoleSession['lang'] = 'en',
): Promise<{ response: ConsoleResponse; router: ConsoleRouter; store: InMemoryStore }> {
  const store = new InMemoryStore();
  await store.putProgram(program);
  const { router } = consoleRouter(store, cookies, NOW);
  const form = new FormData();
  form.append('csrf', hr.csrf);
  form.append('programId', program.programId);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'roster.csv');
  const session = lang === hr.lang ? sealed : await cookies.session.seal({ ...hr, lang }, NOW);
  const response = await router.handle({
    method: 'POST',
    path: '/console/roster/check',
    query: new URLSearchParams(),
    cookies: { [SESSION_COOKIE]: session },
    form,
  });
  return { response, router, store };
}

/** A roster of as many rows as fit in the console's 2 MB, each offering the skills given (none of them in the catalog). */
function rosterOfUnknownSkills(skills: (row: number) => string[]): { csv: string; rows: number } {
  const lines = [ROSTER_COLUMNS.join(',')];
  let size = lines[0]!.length + 1;
  for (let i = 1; ; i++) {
    const cells: Record<string, string> = {
      id: `p${i}`,
      name: `Person ${i}`,
      email: `p${i}@example.com`,
      department: 'Ops',
      birth_year: '1990',
      skills_offered: `"${skills(i).join(';')}"`,
      languages: 'pt',
    };
    const line = ROSTER_COLUMNS.map((c) => cells[c] ?? '').join(',');
    if (size + line.length + 1 > ROSTER_UPLOAD_MAX_BYTES) return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1 };
    lines.push(line);
    size += line.length + 1;
  }
}

const listedProblems = (body: string) => [...(/<table id="issues"[^]*?<tbody>([^]*?)<\/tbody>/.exec(body)?.[1] ?? '').matchAll(/<tr>/g)].length;
const kindRows = (body: string) =>
  [
    ...(/<table id="problem-kinds"[^]*?<tbody>([^]*?)<\/tbody>/.exec(body)?.[1] ?? '').matchAll(/<tr><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g),
  ].map(([, kind, rows]) => [kind, rows]);

describe("the console's roster validation report", () => {
  it(
    'stays under 300 KB for a 2 MB file whose every row names two unknown skills, listing the first 200 problems and counting each kind in every row',
    { timeout: 60_000 },
    async () => {
      const { csv, rows } = rosterOfUnknownSkills(() => ['Malabarismo', 'Origami']);
      expect(csv.length).toBeGreaterThan(1_900_000);
      const { response, store } = await checkFile(csv);

      expect(response.status).toBe(400);
      expect(Buffer.byteLength(response.body)).toBeLessThan(PAGE_BUDGET_BYTES);
      expect(listedProblems(response.body)).toBe(REPORT_LISTED_PROBLEMS);
      expect(response.body).toMatch(/<tbody><tr><td>line 2: skills_offered<\/td><td>&quot;Malabarismo&quot; is not in the program/);
      const count = new Intl.NumberFormat('en').format(rows);
      expect(kindRows(response.body)).toEqual([
        [escapeHtml(`skills_offered: "Malabarismo" is not in the program's skills catalog`), count],
        [escapeHtml(`skills_offered: "Origami" is not in the program's skills catalog`), count],
      ]);
      expect(response.body).toContain(`${new Intl.NumberFormat('en').format(2 * rows)} problem(s) in ${count} row(s).`);
      expect(response.body).toContain(
        `The first 200 of ${new Intl.NumberFormat('en').format(2 * rows)} problems are listed. This command lists every one: <code>tandem roster import FILE --program ${program.programId} --dry-run --json</code>`,
      );
      expect(await store.listParticipants(program.programId)).toEqual([]);
    },
  );

  it('stays under 300 KB for a 2 MB file whose every row names twenty unknown skills', { timeout: 120_000 }, async () => {
    const { csv } = rosterOfUnknownSkills(() => Array.from({ length: 20 }, (_, k) => `Skill ${k}`));
    const { response } = await checkFile(csv);
    expect(response.status).toBe(400);
    expect(Buffer.byteLength(response.body)).toBeLessThan(PAGE_BUDGET_BYTES);
    expect(listedProblems(response.body)).toBe(REPORT_LISTED_PROBLEMS);
    expect(kindRows(response.body)).toHaveLength(20);
  });

  it('stays under 300 KB when every row names a different skill, naming the 20 most frequent kinds and counting the others', { timeout: 60_000 }, async () => {
    const { csv, rows } = rosterOfUnknownSkills((i) => [`Skill ${i}`, 'Origami']);
    const { response } = await checkFile(csv);
    expect(Buffer.byteLength(response.body)).toBeLessThan(PAGE_BUDGET_BYTES);
    const kinds = kindRows(response.body);
    expect(kinds).toHaveLength(20);
    // The kind on every row comes first, although the file names it second.
    expect(kinds[0]).toEqual([escapeHtml(`skills_offered: "Origami" is not in the program's skills catalog`), new Intl.NumberFormat('en').format(rows)]);
    expect(response.body).toContain(`And ${new Intl.NumberFormat('en').format(rows - 19)} other kind(s) of problem`);
  });

  it('stays under 300 KB when a single cell is nearly as large as the file, showing it cut short', { timeout: 60_000 }, async () => {
    const huge = 'x'.repeat(ROSTER_UPLOAD_MAX_BYTES - 1_000);
    const { csv } = rosterOfUnknownSkills((i) => (i === 1 ? [huge] : ['Origami']));
    const { response } = await checkFile(csv.split('\n').slice(0, 3).join('\n'));
    expect(response.status).toBe(400);
    expect(Buffer.byteLength(response.body)).toBeLessThan(PAGE_BUDGET_BYTES);
    expect(response.body).toContain(`&quot;${'x'.repeat(100)}`);
    expect(response.body).not.toContain('x'.repeat(1_000));
  });

  it('tells HR to add unknown skills on the program’s edit page or with the CLI’s option, instead of an option the console does not have', async () => {
    const { csv } = rosterOfUnknownSkills((i) => (i % 2 ? ['Malabarismo'] : ['Origami', 'Negociação']));
    const { response } = await checkFile(csv.split('\n').slice(0, 6).join('\n'));
    expect(response.status).toBe(400);
    expect(response.body).not.toContain('(--add-unknown-skills adds it)');
    expect(response.body).toContain('The program&#39;s skills catalog does not know 2 skill(s) the file names: &quot;Malabarismo&quot;, &quot;Origami&quot;.');
    expect(response.body).toContain(`<a href="/console/programs/edit/${program.programId}">edit ${program.programId}</a>`);
    expect(response.body).toContain(`<code>tandem roster import FILE --program ${program.programId} --add-unknown-skills</code>`);
    // Five problems: all of them listed, and no command needed to see the rest.
    expect(listedProblems(response.body)).toBe(5);
    expect(response.body).not.toContain('--dry-run --json');
  });

  it('counts in the reader’s language', { timeout: 60_000 }, async () => {
    const { csv, rows } = rosterOfUnknownSkills(() => ['Origami']);
    const { response } = await checkFile(csv, 'pt-BR');
    expect(kindRows(response.body)).toEqual([
      [escapeHtml(`skills_offered: "Origami" is not in the program's skills catalog`), new Intl.NumberFormat('pt-BR').format(rows)],
    ]);
    expect(response.body).toContain(`Os primeiros 200 de ${new Intl.NumberFormat('pt-BR').format(rows)} problemas estão listados.`);
  });
});
