import type { Cycle } from '../../domain/cycle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { escapeHtml as e } from '../../domain/html.ts';
import type { Language } from '../../domain/program.ts';
import type {
  AuditLog,
  Clock,
  CycleStore,
  ExecutionHistory,
  PairReviewStore,
  ParticipantActionStore,
  ProgramStore,
  ReportStore,
  ReviewStore,
  SessionStore,
  WorkflowEngine,
} from '../ports.ts';
import type { ConsoleSession, Role } from './session.ts';

/** What the console's pages work with: the same ports as the CLI. */
export interface ConsoleDeps {
  store: ProgramStore & CycleStore & ReviewStore & AuditLog & ParticipantActionStore & PairReviewStore & SessionStore;
  clock: Clock;
  workflow: () => WorkflowEngine;
  executions: () => ExecutionHistory;
  reports?: () => ReportStore;
}

/** A request as a page sees it: already signed in, and for a POST already past the CSRF and role checks. */
export interface PageRequest {
  method: 'GET' | 'POST';
  /** The path below the page's own, without a leading slash: "" for /console/programs, "edit/x" for /console/programs/edit/x. */
  subpath: string;
  query: URLSearchParams;
  /** A POST's fields (urlencoded or multipart); files as File. */
  form?: FormData;
  session: ConsoleSession;
  lang: Language;
  deps: ConsoleDeps;
  /** Records an HR action in the audit log as the signed-in user, through the console. */
  audit(action: { action: string; programId?: string; cycleId?: string; details: Record<string, string | number | boolean> }): Promise<void>;
}

export type PageResult =
  /** `main` is the page's content; the console adds the frame (navigation, language, sign-out) and escapes nothing for it. */
  | { status?: number; title: string; main: string }
  /** After a POST: where to go (Post/Redirect/Get), with an optional notice shown there. */
  | { redirect: string; notice?: string }
  /** A file to download (the roster export). */
  | { file: { name: string; contentType: string; body: string } };

/**
 * One page of the console: the console's router finds it by its path, shows it in the navigation
 * to the roles that may see it, and lets only HR post to it. Adding a page is writing one module
 * that exports a ConsolePage and adding it to CONSOLE_PAGES (services/console/pages/index.ts).
 */
export interface ConsolePage {
  /** The URL segment under /console: "programs" serves /console/programs and /console/programs/... */
  segment: string;
  title: Record<Language, string>;
  /** Who sees the page. Only HR may POST, whatever a page says. */
  roles: readonly Role[];
  get(request: PageRequest): Promise<PageResult>;
  post?(request: PageRequest): Promise<PageResult>;
}

/** A posted text field ('' when absent or a file). */
export const textField = (form: FormData | undefined, name: string): string => {
  const value = form?.get(name);
  return typeof value === 'string' ? value : '';
};

/** The longest id a console address may carry (a cycle's id is its program's, up to 64, and a timestamp). */
export const MAX_PATH_ID = 128;
const ID_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The id in one segment of a console address (a program, a cycle), decoded; a segment that is not one
 * (a broken %-escape, too long, characters no id has) is a NotFoundError naming the problem, so the page
 * answers 404 instead of failing on it or passing it to the store.
 */
export function idFromPath(segment: string, what: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw new NotFoundError(`there is no such ${what}: the address has a malformed %-escape`);
  }
  if (id.length > MAX_PATH_ID) throw new NotFoundError(`there is no such ${what}: the address names an id of ${id.length} characters (at most ${MAX_PATH_ID})`);
  if (!ID_CHARACTERS.test(id)) throw new NotFoundError(`there is no such ${what}: an id holds only letters, digits, ".", "_" and "-"`);
  return id;
}

const GO_TO = { en: 'Go to', 'pt-BR': 'Ir para' } as const;

/** "Go to <a>somewhere</a>.": where to go from a page that could not be shown or a request that was refused. */
export const goTo = (lang: Language, href: string, label: string): string => `<p>${e(GO_TO[lang])} <a href="${e(href)}">${e(label)}</a>.</p>`;

/** A page's answer when its address names nothing it has: a heading, a sentence saying what was not found, and where to go instead. */
export function notFoundPage(lang: Language, heading: string, what: string, back: { href: string; label: string }): PageResult {
  return { status: 404, title: heading, main: `<h1>${e(heading)}</h1><p>${e(what)}</p>${goTo(lang, back.href, back.label)}` };
}

/** Both languages of a sentence, picked by the request's language. */
export const say = (lang: Language, text: Record<Language, string>): string => text[lang];

export type { Cycle };
