import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { escapeHtml as e } from '../../domain/html.ts';
import type { Language } from '../../domain/program.ts';
import { recordAction } from '../audit.ts';
import { consoleFrame, plainPage, serviceErrorBox } from './layout.ts';
import { goTo, MAX_PATH_ID, textField, type ConsoleDeps, type ConsolePage, type PageResult } from './page.ts';
import {
  canWrite,
  clearCookie,
  cookie,
  csrfMatches,
  newCsrfToken,
  NOTICE_COOKIE,
  roleFromGroups,
  SESSION_COOKIE,
  SESSION_SECONDS,
  SIGN_IN_COOKIE,
  SIGN_IN_SECONDS,
  sessionKeyOf,
  type ConsoleSession,
  type SessionCookies,
  type SignedOutSessions,
} from './session.ts';
import { SignInError, type ConsoleSignIn } from './sign-in.ts';

/** An HTTP request to /console/*, as the handler read it from the API Gateway event. */
export interface ConsoleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  cookies: Record<string, string>;
  acceptLanguage?: string;
  /** A POST's fields; undefined for a GET, or when the body could not be read. */
  form?: FormData;
}

export interface ConsoleResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
}

export interface ConsoleRouterDeps {
  cookies: SessionCookies;
  signedOut: SignedOutSessions;
  signIn: ConsoleSignIn;
  pages: readonly ConsolePage[];
  deps: ConsoleDeps;
  log: (message: string, details: Record<string, unknown>) => void;
}

const TEXT = {
  signIn: { en: 'Sign in', 'pt-BR': 'Entrar' },
  signedOut: { en: 'You are signed out.', 'pt-BR': 'Você saiu do console.' },
  signingOut: { en: 'Signing out', 'pt-BR': 'Saindo' },
  signOutAtIssuer: { en: 'Sign out of the sign-in service too', 'pt-BR': 'Sair também do serviço de entrada' },
  noRole: {
    en: 'Your account is in neither the HR nor the ops group, so the console has nothing for it. Ask the stack’s operator to add you to a group.',
    'pt-BR': 'Sua conta não está no grupo de RH nem no de operações. Peça ao operador do Tandem que a inclua em um grupo.',
  },
  signInFailed: { en: 'The sign-in could not be completed. Please sign in again.', 'pt-BR': 'Não foi possível concluir a entrada. Entre novamente.' },
  readOnly: { en: 'Your role can read the console but not change anything.', 'pt-BR': 'Seu papel permite ler o console, mas não alterar nada.' },
  badToken: {
    en: 'This form expired or did not come from the console. Go back, reload the page and try again.',
    'pt-BR': 'Este formulário expirou ou não veio do console. Volte, recarregue a página e tente de novo.',
  },
  notFound: { en: 'There is no such page.', 'pt-BR': 'Esta página não existe.' },
  malformed: {
    en: 'This address is malformed: part of it is a broken %-escape. Check the link or go back.',
    'pt-BR': 'Este endereço está malformado: parte dele é um escape % inválido. Confira o link ou volte.',
  },
  tooLong: {
    en: 'There is no such page: a part of this address is longer than any id the console uses.',
    'pt-BR': 'Esta página não existe: uma parte deste endereço é mais longa que qualquer id do console.',
  },
  notAllowed: { en: 'This request is not allowed here.', 'pt-BR': 'Esta requisição não é permitida aqui.' },
  refused: { en: 'Refused', 'pt-BR': 'Recusado' },
  noPageHere: {
    en: 'No console page is at this address: check it for a typo, or start again from the console’s pages.',
    'pt-BR': 'Nenhuma página do console está neste endereço: confira se há um erro de digitação ou recomece pelas páginas do console.',
  },
  notForRole: { en: 'Not for your role', 'pt-BR': 'Fora do seu papel' },
  roleCannotOpen: {
    en: (page: string, roles: string) => `The ${page} page is for ${roles}, so your role cannot open it; the menu lists the pages it can.`,
    'pt-BR': (page: string, roles: string) =>
      `A página ${page} é para ${roles}, por isso seu papel não pode abri-la; o menu mostra as páginas que ele pode abrir.`,
  },
  roles: { en: { hr: 'HR', ops: 'ops' }, 'pt-BR': { hr: 'o RH', ops: 'operações' } },
  and: { en: ' and ', 'pt-BR': ' e ' },
  theConsole: { en: 'the console', 'pt-BR': 'o console' },
} as const;

/**
 * The console's paths that are no page to come back to: the sign-in's own (the sign-in, its callback, which reached
 * again without the sign-in's cookie can only fail, the sign-out and the signed-out page) and the language switch.
 */
const NOT_A_PAGE = /^\/console\/(sign|(callback|language)(\/|$))/;

/**
 * Where sign-in (and the language button) may send a person back to: a console path of plain characters, none of
 * NOT_A_PAGE, of a sane length; anything else goes back to /console. The path is normalised as the browser will
 * (the URL class resolves dot segments, %2e included, and backslashes) and judged as normalised: /console/../evil
 * would land on /evil. Checked on the way out too, so a redirect never echoes a hostile path.
 */
export function returnPath(asked: string): string | undefined {
  if (asked.length > 512 || !asked.startsWith('/')) return undefined;
  const origin = 'https://console.invalid';
  let url: URL;
  try {
    url = new URL(asked, origin);
  } catch {
    return undefined;
  }
  const path = url.pathname;
  if (url.origin !== origin || url.search || url.hash) return undefined;
  return /^\/console(\/[A-Za-z0-9._~\-/]*)?$/.test(path) && !NOT_A_PAGE.test(path) && !path.includes('//') ? path : undefined;
}

export function languageOf(acceptLanguage: string | undefined): Language {
  return /^\s*pt/i.test(acceptLanguage ?? '') ? 'pt-BR' : 'en';
}

/**
 * What is wrong with an address before any page reads it: a broken %-escape (decodeURIComponent would throw) or a
 * part longer than any id (it would reach the store, whose keys are bounded); undefined when it is fine.
 */
function addressProblem(path: string): 'malformed' | 'tooLong' | undefined {
  for (const part of path.split('/')) {
    if (part.length > MAX_PATH_ID * 3) return 'tooLong';
    try {
      decodeURIComponent(part);
    } catch {
      return 'malformed';
    }
  }
  return undefined;
}

const html = (status: number, body: string, cookies: string[] = [], headers: Record<string, string> = {}): ConsoleResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'same-origin', ...headers },
  cookies,
  body,
});
const redirect = (location: string, cookies: string[] = []): ConsoleResponse => ({
  status: 303,
  headers: { location, 'cache-control': 'no-store' },
  cookies,
  body: '',
});

/**
 * The console's HTTP routes: sign-in and sign-out, then every page behind a session. The rules
 * live here, once, for every page: no session → sign in; a POST needs the session's CSRF token
 * and the HR role; a page is shown only to the roles it names; errors show no internals.
 */
export class ConsoleRouter {
  constructor(private readonly r: ConsoleRouterDeps) {}

  /**
   * Ends the console's session, then the issuer's: else "Sign in" on this browser would let the next
   * person in without a password. The way to the issuer is a Refresh, not a redirect: a redirect
   * answering the sign-out form would count as the form posting to the issuer, which the console's
   * Content-Security-Policy (form-action 'self') refuses.
   */
  private async signOut(lang: Language, opened?: { value: ConsoleSession; expiresAt: number }): Promise<ConsoleResponse> {
    if (opened) {
      try {
        await this.r.signedOut.signOut(sessionKeyOf(opened.value), opened.expiresAt);
      } catch (error) {
        // The browser's cookie is cleared all the same; only a copy of it would outlive the sign-out, until it expires.
        this.r.log('console sign-out not recorded: a copy of the session cookie stays valid until it expires', {
          email: opened.value.email,
          error: error instanceof Error ? error.name : String(error),
        });
      }
    }
    const atIssuer = await this.r.signIn.signOutUrl();
    if (!atIssuer) return redirect('/console/signed-out', [clearCookie(SESSION_COOKIE)]);
    const main = `<h1>${e(TEXT.signingOut[lang])}</h1><p><a href="${e(atIssuer)}">${e(TEXT.signOutAtIssuer[lang])}</a></p>`;
    return html(200, plainPage(lang, TEXT.signingOut[lang], main), [clearCookie(SESSION_COOKIE)], { refresh: `0;url=${atIssuer}` });
  }

  async handle(request: ConsoleRequest): Promise<ConsoleResponse> {
    const now = this.r.deps.clock.now();
    const path = request.path.replace(/\/+$/, '') || '/console';
    const browserLang = languageOf(request.acceptLanguage);
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'POST') {
      const refused = this.refuse(405, browserLang, TEXT.notAllowed[browserLang], 'console');
      return { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD, POST' } };
    }
    if (path === '/console/sign-in' && request.method !== 'POST') return this.startSignIn(request, browserLang);
    if (path === '/console/callback' && request.method !== 'POST') return this.finishSignIn(request, browserLang, now);
    if (path === '/console/signed-out' && request.method !== 'POST') {
      return html(
        200,
        plainPage(
          browserLang,
          TEXT.signIn[browserLang],
          `<h1>${e(TEXT.signedOut[browserLang])}</h1><p><a href="/console/sign-in">${e(TEXT.signIn[browserLang])}</a></p>`,
        ),
      );
    }

    const sealed = await this.r.cookies.session.openWithExpiry(request.cookies[SESSION_COOKIE], now);
    const opened = sealed && !(await this.r.signedOut.isSignedOut(sessionKeyOf(sealed.value))) ? sealed : undefined;
    const session = opened?.value;
    // A console session that expired with the page open still leaves the issuer's: signing out must end that one.
    // No token to check without a session, and none is needed: a forged sign-out only signs a person out.
    if (!session && path === '/console/sign-out' && request.method === 'POST') return this.signOut(browserLang);
    if (!session) {
      // A GET goes to the issuer and comes back; a POST without a session is refused outright (it may be a forgery).
      if (request.method === 'POST') return this.refuse(401, browserLang, TEXT.signInFailed[browserLang]);
      const back = returnPath(path);
      return redirect(back ? `/console/sign-in?return=${encodeURIComponent(back)}` : '/console/sign-in');
    }
    const lang = session.lang;
    if (request.method === 'POST') {
      if (!csrfMatches(session, textField(request.form, 'csrf'))) {
        this.r.log('console POST refused: CSRF token missing or wrong', { path, email: session.email });
        return this.refuse(403, lang, TEXT.badToken[lang], 'console');
      }
      if (path === '/console/sign-out') return this.signOut(lang, opened);
      if (path === '/console/language') {
        const chosen = request.form?.get('lang') === 'pt-BR' ? 'pt-BR' : 'en';
        // The session keeps its expiry: a copied cookie must not be kept alive by changing its language.
        const expiresAt = (opened as { expiresAt: number }).expiresAt;
        const sealed = await this.r.cookies.session.seal({ ...session, lang: chosen }, now, expiresAt);
        // Back to the page the button was on, checked as sign-in's return is: a console page, never another site.
        const back = returnPath(textField(request.form, 'return')) ?? '/console';
        return redirect(back, [cookie(SESSION_COOKIE, sealed, Math.max(1, expiresAt - Math.floor(now / 1000)))]);
      }
      if (!canWrite(session.role)) {
        this.r.log('console POST refused: read-only role', { path, email: session.email, role: session.role });
        return this.refuse(403, lang, TEXT.readOnly[lang], 'console');
      }
    }

    const visible = this.r.pages.filter((p) => p.roles.includes(session.role));
    if (path === '/console') return redirect(`/console/${visible[0]?.segment ?? 'signed-out'}`);
    // Where the language button comes back to: the page shown, or after a post (whose address, /console/cycles/start
    // say, is no page to show) that page's list.
    const here = (segment?: string) => (request.method !== 'POST' ? path : segment ? `/console/${segment}` : '/console');
    // Where to go from a page that is not there: the first page the role sees.
    const start = visible[0] ? goTo(lang, `/console/${visible[0].segment}`, visible[0].title[lang]) : '';
    const problem = addressProblem(path);
    if (problem)
      return this.inFrame(
        problem === 'malformed' ? 400 : 404,
        session,
        here(),
        undefined,
        TEXT.notFound[lang],
        `<h1>${e(TEXT.notFound[lang])}</h1><p>${e(TEXT[problem][lang])}</p>${start}`,
      );
    const [, , segment = '', ...rest] = path.split('/');
    const page = this.r.pages.find((p) => p.segment === segment);
    if (!page)
      return this.inFrame(404, session, here(), undefined, TEXT.notFound[lang], `<h1>${e(TEXT.notFound[lang])}</h1><p>${e(TEXT.noPageHere[lang])}</p>${start}`);
    if (!page.roles.includes(session.role)) {
      const roles = page.roles.map((role) => TEXT.roles[lang][role]).join(TEXT.and[lang]);
      const main = `<h1>${e(TEXT.notForRole[lang])}</h1><p>${e(TEXT.roleCannotOpen[lang](page.title[lang], roles))}</p>${start}`;
      return this.inFrame(403, session, here(), undefined, TEXT.notForRole[lang], main);
    }
    if (request.method === 'POST' && !page.post) return this.refuse(405, lang, TEXT.notAllowed[lang], 'console');

    const pageRequest = {
      method: request.method === 'POST' ? ('POST' as const) : ('GET' as const),
      subpath: rest.join('/'),
      query: request.query,
      ...(request.form ? { form: request.form } : {}),
      session,
      lang,
      deps: this.r.deps,
      audit: async (action: { action: string; programId?: string; cycleId?: string; details: Record<string, string | number | boolean> }) => {
        await recordAction({ audit: this.r.deps.store, clock: this.r.deps.clock }, { actor: session.email, via: 'console' }, action);
      },
    };
    let result: PageResult;
    try {
      result = pageRequest.method === 'POST' && page.post ? await page.post(pageRequest) : await page.get(pageRequest);
    } catch (error) {
      // Tandem's own errors are written for the people using it; anything else is a 500 with no internals (the handler logs it).
      const status = error instanceof NotFoundError ? 404 : error instanceof ConflictError ? 409 : error instanceof ValidationError ? 400 : undefined;
      if (status === undefined) throw error;
      const box = serviceErrorBox(lang, status, (error as Error).message, error instanceof ValidationError ? error.issues : []);
      const back = goTo(lang, `/console/${page.segment}`, page.title[lang]);
      return this.inFrame(status, session, here(page.segment), page.segment, page.title[lang], `<h1>${e(page.title[lang])}</h1>${box}${back}`);
    }
    if ('redirect' in result) {
      const cookies = result.notice ? [cookie(NOTICE_COOKIE, await this.r.cookies.notice.seal(result.notice, now), 60)] : [];
      return redirect(result.redirect, cookies);
    }
    if ('file' in result) {
      return {
        status: 200,
        headers: {
          'content-type': result.file.contentType,
          'content-disposition': `attachment; filename="${result.file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
          'cache-control': 'no-store',
        },
        cookies: [],
        body: result.file.body,
      };
    }
    const notice = await this.r.cookies.notice.open(request.cookies[NOTICE_COOKIE], now);
    return this.inFrame(
      result.status ?? 200,
      session,
      here(page.segment),
      page.segment,
      result.title,
      result.main,
      notice,
      notice ? [clearCookie(NOTICE_COOKIE)] : [],
    );
  }

  /** A page in the console's frame; `path` is the page's own address, where the language button comes back to. */
  private inFrame(
    status: number,
    session: ConsoleSession,
    path: string,
    current: string | undefined,
    title: string,
    main: string,
    notice?: string,
    cookies: string[] = [],
  ) {
    return html(
      status,
      consoleFrame({ lang: session.lang, session, pages: this.r.pages, path, ...(current ? { current } : {}), title, main, ...(notice ? { notice } : {}) }),
      cookies,
    );
  }

  /**
   * A refusal outside the frame: what was refused, why, and where to go: to sign in (no session, or the sign-in
   * failed) or back to the console (a signed-in person's request the console would not take).
   */
  private refuse(status: number, lang: Language, message: string, next: 'sign-in' | 'console' = 'sign-in'): ConsoleResponse {
    const where = next === 'sign-in' ? `<p><a href="/console">${e(TEXT.signIn[lang])}</a></p>` : goTo(lang, '/console', TEXT.theConsole[lang]);
    return html(status, plainPage(lang, TEXT.refused[lang], `<h1>${e(TEXT.refused[lang])}</h1><p>${e(message)}</p>${where}`));
  }

  private async startSignIn(request: ConsoleRequest, lang: Language): Promise<ConsoleResponse> {
    const returnTo = returnPath(request.query.get('return') ?? '/console') ?? '/console';
    try {
      const { url, transaction } = await this.r.signIn.start(returnTo);
      const sealed = await this.r.cookies.signIn.seal(transaction, this.r.deps.clock.now());
      return redirect(url, [cookie(SIGN_IN_COOKIE, sealed, SIGN_IN_SECONDS)]);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      this.r.log('console sign-in could not start', { error: error.message, cause: String((error.cause as Error | undefined)?.message ?? '') });
      return this.refuse(503, lang, TEXT.signInFailed[lang]);
    }
  }

  private async finishSignIn(request: ConsoleRequest, lang: Language, now: number): Promise<ConsoleResponse> {
    const transaction = await this.r.cookies.signIn.open(request.cookies[SIGN_IN_COOKIE], now);
    if (!transaction) return this.refuse(400, lang, TEXT.signInFailed[lang]);
    try {
      const person = await this.r.signIn.finish(request.query.toString(), transaction);
      const role = roleFromGroups(person.groups);
      if (!role) return this.refuse(403, lang, TEXT.noRole[lang]);
      const session: ConsoleSession = { email: person.email, role, csrf: newCsrfToken(), lang };
      const sealed = await this.r.cookies.session.seal(session, now);
      return redirect(returnPath(transaction.returnTo) ?? '/console', [cookie(SESSION_COOKIE, sealed, SESSION_SECONDS), clearCookie(SIGN_IN_COOKIE)]);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      this.r.log('console sign-in failed', { error: error.message, cause: String((error.cause as Error | undefined)?.message ?? '') });
      return this.refuse(400, lang, TEXT.signInFailed[lang]);
    }
  }
}
