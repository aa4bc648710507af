import { createHash } from 'node:crypto';
import { escapeHtml as e, escapeHtmlIsolatingControls } from '../../domain/html.ts';
import type { Language } from '../../domain/program.ts';
import type { ConsolePage } from './page.ts';
import type { ConsoleSession } from './session.ts';

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; line-height: 1.45; }
  header, main { padding: 0 1rem; max-width: 72rem; margin: 0 auto; }
  header { border-bottom: 1px solid #ccc; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between; }
  header nav ul { list-style: none; padding: 0; display: flex; gap: .25rem 1rem; flex-wrap: wrap; margin: .5rem 0; }
  a { color: #0b4f9c; }
  [aria-current="page"] { font-weight: 700; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; }
  main { overflow-wrap: anywhere; }
  meter, progress { max-width: 100%; }
  th { background: #f2f2f2; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  label { display: block; font-weight: 600; margin-top: .8rem; }
  input[type=text], input[type=email], input[type=number], select, textarea { width: 100%; max-width: 40rem; box-sizing: border-box; font: inherit; padding: .3rem; }
  textarea { min-height: 6rem; font-family: ui-monospace, monospace; }
  fieldset { margin: 1rem 0; border: 1px solid #bbb; }
  button { font: inherit; padding: .35rem .9rem; margin: .6rem .4rem .6rem 0; cursor: pointer; }
  .inline { display: inline; }
  .hint { color: #4a4a4a; font-size: .9em; margin: .15rem 0; }
  .problem { color: #a4000f; font-weight: 600; margin: .15rem 0; }
  .notice { border-left: 4px solid #0a5c1f; padding: .4rem .8rem; background: #eef7f0; }
  .errors { border: 2px solid #a4000f; padding: .4rem 1rem; }
  .who { font-size: .9em; }
  dl { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: .2rem 1.5rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  @media (max-width: 30rem) { dl { grid-template-columns: minmax(0, 1fr); gap: 0; } dd { margin-bottom: .5rem; } }
  progress { width: 10rem; vertical-align: middle; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  pre { white-space: pre-wrap; word-break: break-word; }
  .scroll, .table-scroll { overflow-x: auto; }
  .table-scroll table { min-width: 52rem; }
  .table-scroll th, .table-scroll td { overflow-wrap: break-word; }
  .table-scroll td ul { padding-left: 1.1rem; margin: 0; }
  .table-scroll caption { text-align: left; }
`;

/**
 * With JavaScript on, a page part marked data-refresh (with an id) is fetched again every few seconds
 * and swapped in place (the live cycle status); without it the page's own refresh link does the same.
 * It swaps only when the part's content changed (an aria-live region re-announces whatever is put
 * in it), stops once the fresh part no longer has data-refresh (the cycle is not running), and
 * never follows a redirect: a poll after the session expired would otherwise go through the sign-in,
 * whose new transaction cookie breaks a sign-in under way in another tab. Signed out, it stops and
 * shows the part's data-signed-out text as a link to sign in again.
 * The one Trusted Types policy passes through HTML from this origin only.
 */
const SCRIPT = `(() => {
  const part = document.querySelector('[data-refresh][id]');
  if (!part || !window.fetch) return;
  const policy = window.trustedTypes ? trustedTypes.createPolicy('console-refresh', { createHTML: (s) => s }) : { createHTML: (s) => s };
  const every = Number(part.getAttribute('data-refresh')) || 5000;
  const signedOut = () => {
    const note = document.createElement('p');
    note.className = 'problem';
    note.setAttribute('role', 'status');
    note.id = 'signed-out';
    const link = document.createElement('a');
    link.href = '/console/sign-in?return=' + encodeURIComponent(location.pathname);
    link.textContent = part.getAttribute('data-signed-out') || 'Sign in again';
    note.append(link);
    part.after(note);
  };
  const poll = async () => {
    try {
      const response = await fetch(location.href, { credentials: 'same-origin', redirect: 'manual', headers: { accept: 'text/html' } });
      if (response.type === 'opaqueredirect' || response.status === 401) return signedOut();
      if (response.ok) {
        const doc = new DOMParser().parseFromString(policy.createHTML(await response.text()), 'text/html');
        const fresh = doc.getElementById(part.id);
        if (fresh && fresh.innerHTML !== part.innerHTML) part.replaceChildren(...fresh.childNodes);
        if (fresh && !fresh.hasAttribute('data-refresh')) return;
      }
    } catch {
      // A network blip or a half-read answer: try again at the next turn.
    }
    setTimeout(poll, every);
  };
  setTimeout(poll, every);
})();`;

const hash = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
export const CONSOLE_STYLE_HASH = hash(STYLE);
export const CONSOLE_SCRIPT_HASH = hash(SCRIPT);

const TEXT = {
  skip: { en: 'Skip to content', 'pt-BR': 'Ir para o conteúdo' },
  console: { en: 'Tandem console', 'pt-BR': 'Console do Tandem' },
  signOut: { en: 'Sign out', 'pt-BR': 'Sair' },
  signedInAs: { en: 'Signed in as', 'pt-BR': 'Conectado como' },
  role: { en: { hr: 'HR', ops: 'ops (read only)' }, 'pt-BR': { hr: 'RH', ops: 'operações (somente leitura)' } },
  language: { en: 'Português', 'pt-BR': 'English' },
  sections: { en: 'Console sections', 'pt-BR': 'Seções do console' },
} as const;

/** The hidden field every console form carries: the session's CSRF token, checked on the server. */
export const csrfField = (session: ConsoleSession): string => `<input type="hidden" name="csrf" value="${e(session.csrf)}">`;

/** A POST form with its CSRF token. */
export function postForm(session: ConsoleSession, action: string, inner: string, options: { multipart?: boolean; inline?: boolean } = {}): string {
  return `<form method="post" action="${e(action)}"${options.multipart ? ' enctype="multipart/form-data"' : ''}${options.inline ? ' class="inline"' : ''}>${csrfField(session)}${inner}</form>`;
}

function document(lang: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · ${e(TEXT.console[lang])}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>`;
}

/** A page inside the console's frame: navigation (the pages the role may see), who is signed in, language, sign-out. */
export function consoleFrame(input: {
  lang: Language;
  session: ConsoleSession;
  pages: readonly ConsolePage[];
  current?: string;
  /** The page's own address: the language button comes back to it (the router checks it as it checks sign-in's return). */
  path?: string;
  title: string;
  main: string;
  notice?: string;
}): string {
  const { lang, session } = input;
  const nav = input.pages
    .filter((p) => p.roles.includes(session.role))
    .map((p) => {
      const href = `/console/${p.segment}`;
      return `<li><a href="${href}"${p.segment === input.current ? ' aria-current="page"' : ''}>${e(p.title[lang])}</a></li>`;
    })
    .join('');
  const other: Language = lang === 'en' ? 'pt-BR' : 'en';
  return document(
    lang,
    input.title,
    `<header>
<p><a href="#main">${e(TEXT.skip[lang])}</a> · <strong>${e(TEXT.console[lang])}</strong></p>
<nav aria-label="${e(TEXT.sections[lang])}"><ul>${nav}</ul></nav>
<div class="who">${e(TEXT.signedInAs[lang])} ${e(session.email)} (${e(TEXT.role[lang][session.role])})
${postForm(session, '/console/language', `<input type="hidden" name="lang" value="${other}">${input.path ? `<input type="hidden" name="return" value="${e(input.path)}">` : ''}<button type="submit" lang="${other}">${e(TEXT.language[lang])}</button>`, { inline: true })}
${postForm(session, '/console/sign-out', `<button type="submit">${e(TEXT.signOut[lang])}</button>`, { inline: true })}</div>
</header>
<main id="main">
${input.notice ? `<p class="notice" role="status">${e(input.notice)}</p>` : ''}
${input.main}
</main>`,
  );
}

/** Said before a service's message (written in English, as for the CLI) when the reader's language is another. */
const SERVICE_SAYS: Record<400 | 404 | 409, Record<Exclude<Language, 'en'>, string>> = {
  400: { 'pt-BR': 'O pedido tem problemas. O serviço explica, em inglês:' },
  404: { 'pt-BR': 'Não encontrado. O serviço explica, em inglês:' },
  409: { 'pt-BR': 'Não foi possível fazer isso agora. O serviço explica, em inglês:' },
};

/**
 * A service's error as the console shows it (`role="alert"`): its message and the problems it
 * names. The services write English (the CLI's messages too): in another language the box says so
 * first, in that language, and marks the English for screen readers.
 */
export function serviceErrorBox(
  lang: Language,
  status: 400 | 404 | 409,
  message: string,
  issues: ReadonlyArray<{ where: string; problem: string }> = [],
): string {
  // A message may quote a stored value (a skill label, a name): a direction override in it must not reverse the rest.
  const list = issues.length
    ? `<ul>${issues.map((i) => `<li>${escapeHtmlIsolatingControls(i.where)}: ${escapeHtmlIsolatingControls(i.problem)}</li>`).join('')}</ul>`
    : '';
  const said = `<p>${escapeHtmlIsolatingControls(message)}</p>${list}`;
  return `<div class="errors" role="alert">${lang === 'en' ? said : `<p>${e(SERVICE_SAYS[status][lang])}</p><div lang="en">${said}</div>`}</div>`;
}

/** A page outside a session: signed out, refused, errors. Never shows internals. */
export function plainPage(lang: Language, title: string, main: string): string {
  return document(lang, title, `<header><p><strong>${e(TEXT.console[lang])}</strong></p></header>\n<main id="main">\n${main}\n</main>`);
}
