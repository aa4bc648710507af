import type { Container } from '../../adapters/container.ts';
import { capturedEmails } from '../../local/ses-local.ts';
import { sessionCalendar } from '../../domain/session-calendar.ts';
import { parseSessionInput } from '../../domain/sessions.ts';
import { announceSession, moveSession, recordAttendance } from '../../services/sessions.ts';

/** What the demo's informational session came to. */
export interface DemoSessionSummary {
  sessionId: string;
  announced: number;
  registered: number;
  waitlisted: number;
  declined: number;
  /** Told of the move to another room (registered, waiting, and those yet to answer). */
  toldOfMove: number;
  attended: number;
}

const SESSION_LINK = /https?:\/\/[^\s"'<>]+\/session\/[A-Za-z0-9._-]+/;
const SESSION_ID = 'ai-assistants-101';

/** The hidden fields of the page's form with this `_action`, as a browser sends them. */
function formOf(html: string, action: string): URLSearchParams | undefined {
  for (const [, inner] of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/g)) {
    const fields = [...(inner ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, n, v]): [string, string] => [
      n as string,
      (v as string).replaceAll('&amp;', '&'),
    ]);
    if (fields.some(([n, v]) => n === '_action' && v === action)) return new URLSearchParams(fields);
  }
  return undefined;
}

/**
 * The seed's step 1 in the demo: HR schedules an informational session with a few seats in the
 * running cycle and announces it; the people it reaches open the link in their email and, as
 * people do, most register (the last ones land on the waiting list), some decline, one frees a
 * seat for the first in line; HR then moves it to another room, which tells everyone
 * registered, waiting or yet to answer; then HR records who attended. Everything goes through the real
 * page, the local SES inbox and the store, so the review report counts it.
 */
export async function runSessionDemo(
  c: Pick<Container, 'store' | 'mailer' | 'clock' | 'links'>,
  sesEndpoint: string,
  cycleId: string,
): Promise<DemoSessionSummary> {
  const links = await c.links();
  const deps = { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links };
  const cycle = await c.store.getCycle(cycleId);
  // The sample catalog's first two digital skills (the generated rosters have a catalog of their own).
  const skills = (cycle?.program.skillsCatalog ?? [])
    .filter((s) => s.digital)
    .slice(0, 2)
    .map((s) => s.id);
  if (!cycle) throw new Error(`cycle ${cycleId} does not exist`);
  // São Paulo keeps -03:00 all year: 14:00 there, a week from now.
  const day = new Date(c.clock.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  // The demo's cycle lasts a minute or two, so a session a week ahead starts after its planned end, which `tandem session add`
  // refuses (services/sessions.ts). The demo stores it as `session add` would have in a cycle of real length, then goes on
  // through the real announcement, page and commands.
  const input = {
    sessionId: SESSION_ID,
    title: 'Assistentes de IA na prática / AI assistants in practice',
    description: 'Como pedir, conferir e proteger dados com assistentes de IA. How to ask, check and keep data safe with AI assistants.',
    skills,
    startsAt: `${day}T14:00-03:00`,
    timeZone: 'America/Sao_Paulo',
    durationMinutes: 60,
    place: 'Auditório 2',
    videoLink: 'https://meet.example.com/ai-101',
    capacity: 4,
    audience: 'learners',
  };
  const parsed = parseSessionInput(input, cycle.program.skillsCatalog, cycleId, c.clock.now());
  await c.store.createSession({ ...parsed, calendar: sessionCalendar(parsed, { organizer: { name: cycle.program.name, email: cycle.program.sender } }) });
  const announcement = await announceSession(deps, cycleId, SESSION_ID);

  const announcements = (await capturedEmails(sesEndpoint)).filter(
    (e) => e.body.text?.includes(`/session/`) && /Sessão informativa|Informational session/.test(e.subject),
  );
  const pages = announcements.map((e) => SESSION_LINK.exec(e.body.text ?? '')?.[0]).filter((link): link is string => Boolean(link));
  const answer = async (link: string, action: 'register' | 'decline') => {
    const form = formOf(await (await fetch(link)).text(), action);
    if (form) await fetch(link, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  };
  // One in four declines; the others register in turn, so the last ones wait for a seat.
  for (const [i, link] of pages.entries()) await answer(link, i % 4 === 3 ? 'decline' : 'register');
  // The first to register cannot come after all: the first in line gets the seat (and an email).
  if (pages[0]) await answer(pages[0], 'decline');
  // The auditorium is taken: HR moves the session to another room (seats and answers stay).
  const moved = await moveSession(deps, cycleId, SESSION_ID, { place: 'Auditório 3' });

  const registrations = await c.store.listSessionRegistrations(cycleId, SESSION_ID);
  const seated = registrations.filter((r) => r.status === 'registered').map((r) => r.participantId);
  // HR records attendance once the session has taken place: in the demo's compressed time, right away, as if it were
  // the session's end (attendance is refused before a session starts). All but one of those seated came.
  const attended = seated.slice(0, Math.max(1, seated.length - 1));
  const ended = { ...deps, clock: { now: () => moved.session.startsAt + moved.session.durationMinutes * 60_000 } };
  if (attended.length) await recordAttendance(ended, cycleId, SESSION_ID, attended);
  return {
    sessionId: SESSION_ID,
    announced: announcement.sent + announcement.alreadySent,
    registered: seated.length,
    waitlisted: registrations.filter((r) => r.status === 'waitlisted').length,
    declined: registrations.filter((r) => r.status === 'declined').length,
    toldOfMove: moved.sent + moved.alreadySent,
    attended: attended.length,
  };
}
