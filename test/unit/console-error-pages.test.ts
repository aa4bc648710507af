import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinkSigner } from '../../domain/links.ts';
import type { ConsoleRequest, ConsoleResponse } from '../../services/console/router.ts';
import { newCsrfToken, SESSION_COOKIE, SessionCookies, type ConsoleSession } from '../../services/console/session.ts';
import { sampleProgram } from '../support/cohort-fixtures.ts';
import { consoleRouter } from '../support/console-router.ts';
import { InMemoryStore } from '../support/in-memory-store.ts';

const NOW = Date.UTC(2027, 2, 1, 9);
const signer = new LinkSigner(randomBytes(32).toString('base64url'));
const cookies = new SessionCookies({ session: signer.keyFor('console-session'), signIn: signer.keyFor('console-sign-in') });
const hr: ConsoleSession = { email: 'hr@example.com', role: 'hr', csrf: newCsrfToken(), lang: 'en' };
const ops: ConsoleSession = { ...hr, email: 'ops@example.com', role: 'ops', csrf: newCsrfToken() };

async function console_() {
  const store = new InMemoryStore();
  await store.putProgram(sampleProgram('error-pages'));
  const { router } = consoleRouter(store, cookies, NOW);
  const send = async (session: ConsoleSession, method: string, path: string, fields?: Record<string, string>): Promise<ConsoleResponse> => {
    const request: ConsoleRequest = { method, path, query: new URLSearchParams(), cookies: { [SESSION_COOKIE]: await cookies.session.seal(session, NOW) } };
    if (fields) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      request.form = form;
    }
    return router.handle(request);
  };
  return { store, send };
}

/** What a person reads on an error page: its one heading, its sentences, and where its links go. */
function readPage(body: string) {
  const main = /<main id="main">([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  const text = (html: string) => html.replace(/<[^>]+>/g, '').trim();
  return {
    headings: [...main.matchAll(/<h1>([\s\S]*?)<\/h1>/g)].map((m) => text(m[1] as string)),
    sentences: [...main.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => text(m[1] as string)).filter(Boolean),
    links: [...main.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]),
  };
}

describe('the console’s error and refusal pages', () => {
  it('give an unknown page, and a page the role may not open, a heading, what is wrong and where to go', async () => {
    const { send } = await console_();
    const unknown = await send(hr, 'GET', '/console/nope');
    expect(unknown.status).toBe(404);
    expect(readPage(unknown.body)).toEqual({
      headings: ['There is no such page.'],
      sentences: ['No console page is at this address: check it for a typo, or start again from the console’s pages.', 'Go to Programs.'],
      links: ['/console/programs'],
    });

    const roster = await send(ops, 'GET', '/console/roster');
    expect(roster.status).toBe(403);
    expect(readPage(roster.body)).toEqual({
      headings: ['Not for your role'],
      sentences: ['The Roster page is for HR, so your role cannot open it; the menu lists the pages it can.', 'Go to Programs.'],
      links: ['/console/programs'],
    });

    const inPortuguese = await send({ ...ops, lang: 'pt-BR' }, 'GET', '/console/roster');
    expect(readPage(inPortuguese.body).headings).toEqual(['Fora do seu papel']);
    expect(readPage(inPortuguese.body).sentences).toContain(
      'A página Participantes é para o RH, por isso seu papel não pode abri-la; o menu mostra as páginas que ele pode abrir.',
    );
    expect(readPage(inPortuguese.body).sentences).toContain('Ir para Programas.');
  });

  it('give a program, a page or a form that is not there a heading saying so, and the list to go back to', async () => {
    const { send } = await console_();
    const cases: Array<[ConsoleResponse, string, string, string]> = [
      [
        await send(hr, 'GET', '/console/programs/edit/no-such-program'),
        'There is no such program',
        'No program has the id no-such-program: check the link, or choose the program from the list.',
        '/console/programs',
      ],
      [await send(hr, 'GET', '/console/programs/copy/error-pages'), 'There is no such page', 'Programs has no page at this address.', '/console/programs'],
      [
        await send(hr, 'POST', '/console/cycles/error-pages/restart', { csrf: hr.csrf }),
        'There is no such page',
        'Cycles take no form at this address: a cycle is started from the list of cycles, and stopped from its own page.',
        '/console/cycles',
      ],
      [
        await send(hr, 'POST', '/console/report/error-pages', { csrf: hr.csrf }),
        'There is no such page',
        'Reports take no form at this address: a review’s proposals are applied from the review’s own page.',
        '/console/report',
      ],
    ];
    for (const [response, heading, sentence, back] of cases) {
      expect(response.status, heading).toBe(404);
      const page = readPage(response.body);
      expect(page.headings, sentence).toEqual([heading]);
      expect(page.sentences, sentence).toContain(sentence);
      expect(page.links, sentence).toContain(back);
    }
  });

  it('give a service’s refusal the page’s heading, the reason and the way back to the page', async () => {
    const { send } = await console_();
    const response = await send(hr, 'POST', '/console/cycles/error-pages-20270301T090000Z/stop', { csrf: hr.csrf, reason: 'test' });
    expect(response.status).toBe(404);
    expect(readPage(response.body)).toEqual({
      headings: ['Cycles'],
      sentences: ['cycle error-pages-20270301T090000Z does not exist (tandem cycle list --program &lt;id&gt; lists a program&#39;s cycles)', 'Go to Cycles.'],
      links: ['/console/cycles'],
    });
  });

  it('give every refused request a heading, why, and where to go: the console for a signed-in person', async () => {
    const { send } = await console_();
    const plain = (body: string) => ({
      headings: [...body.matchAll(/<h1>([\s\S]*?)<\/h1>/g)].map((m) => m[1]),
      links: [...body.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`),
    });
    for (const [response, status] of [
      [await send(hr, 'PUT', '/console/programs'), 405],
      [await send(hr, 'POST', '/console/audit', { csrf: hr.csrf }), 405],
      [await send(hr, 'POST', '/console/programs/new', { csrf: 'not the token' }), 403],
      [await send(ops, 'POST', '/console/cycles/start', { csrf: ops.csrf }), 403],
    ] as const) {
      expect(response.status).toBe(status);
      expect(plain(response.body)).toEqual({ headings: ['Refused'], links: ['/console the console'] });
    }
  });
});
