import type { Command } from 'commander';
import { ConfigurationError, TandemError, TransientError, ValidationError } from '../../domain/errors.ts';
import { parseAttendanceList, parseCancelReason, type InfoSession } from '../../domain/sessions.ts';
import {
  addSession,
  announceSession,
  cancelSession,
  loadSession,
  moveSession,
  previewCancellation,
  previewMove,
  recordAttendance,
  sessionOverview,
  type SendTally,
  type SessionMailDeps,
  type ToldDeps,
} from '../../services/sessions.ts';
import { readTextFile } from '../../services/text-files.ts';
import { emit, table, withJson } from '../support/output.ts';
import { getCycleOrFail } from '../../services/cycles.ts';
import { auditCli } from '../support/actor.ts';
import { target } from '../support/target.ts';

/**
 * `tandem session add|announce|list|show|attendance|cancel|move`: informational sessions of a cycle (docs/cli.md).
 * Adding announces the session to its audience unless --no-announce; announcing again sends only
 * what was not sent.
 */

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const when = (s: InfoSession) => `${new Date(s.startsAt).toISOString().slice(0, 16).replace('T', ' ')}Z (${s.timeZone})`;

async function mailDeps(): Promise<SessionMailDeps> {
  const c = target();
  return { store: c.store, emailLog: c.store, mailer: c.mailer, clock: c.clock, links: await c.links() };
}

/** What a dry run reads (who would be told): no mailer, no links, so no link-signing key. */
function dryRunDeps(): ToldDeps {
  const c = target();
  return { store: c.store, emailLog: c.store, clock: c.clock };
}

/** Records an HR action on a session in the audit log, under the cycle's program. */
async function auditSession(action: string, cycleId: string, details: Record<string, string | number>): Promise<void> {
  const c = target();
  const cycle = await c.store.getCycle(cycleId);
  await auditCli(c, { action, ...(cycle ? { programId: cycle.programId } : {}), cycleId, details });
}

/** Emails still claimed by another run: said apart, as they may not have gone (a run after five minutes sends those left). */
const inFlightText = (t: SendTally) => (t.inFlight ? `, ${t.inFlight} being sent by another run (run this again in a few minutes to make sure they went)` : '');

/** How a cancel or a move told `who`, counted. */
const toldText = (o: SendTally & { told: number }, who: string) =>
  `${o.told} ${who}: ${o.sent} told now, ${o.alreadySent} told before${inFlightText(o)}${o.rejected ? `, ${o.rejected} refused by SES` : ''}.`;

/** A session as printed: the calendar file stored with it is not news to HR. */
const shown = ({ calendar: _calendar, ...session }: InfoSession) => session;

/** Where and when, on one line (a move's before and after). */
const placing = (s: InfoSession) => `${when(s)}, ${s.durationMinutes} minutes${s.place ? `, ${s.place}` : ''}${s.videoLink ? `, ${s.videoLink}` : ''}`;

function describeSession(s: InfoSession): string[] {
  return [
    `Session ${s.sessionId} — ${s.title}`,
    `When      ${when(s)}, ${s.durationMinutes} minutes`,
    ...(s.place ? [`Where     ${s.place}`] : []),
    ...(s.videoLink ? [`Video     ${s.videoLink}`] : []),
    `Skills    ${s.skills.join(', ')}`,
    `Audience  ${s.audience === 'everyone' ? 'every member of the cycle' : 'members who want to learn these skills'}`,
    `Seats     ${s.seatsTaken} of ${s.capacity} taken`,
    `Attended  ${s.attendanceRecordedAt === undefined ? 'not recorded yet' : String(s.attended?.length ?? 0)}`,
    ...(s.movedAt !== undefined
      ? [`Moved     ${new Date(s.movedAt).toISOString().slice(0, 16).replace('T', ' ')}Z (calendar version ${s.sequence ?? 1})`]
      : []),
    ...(s.cancelledAt !== undefined ? [`Cancelled ${new Date(s.cancelledAt).toISOString().slice(0, 16).replace('T', ' ')}Z: ${s.cancelReason ?? ''}`] : []),
  ];
}

/**
 * Announces a session `session add` has just stored. Should that fail (SES, the network), the error
 * says the session is stored and how to announce it, keeping its exit code's meaning.
 */
async function announceStored(deps: SessionMailDeps, cycleId: string, sessionId: string) {
  try {
    return await announceSession(deps, cycleId, sessionId);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const message = `session ${sessionId} is stored, but announcing it failed (${why}); announce it with: tandem session announce ${sessionId} --cycle ${cycleId}`;
    if (error instanceof TransientError) throw new TransientError(message, { cause: error });
    if (error instanceof ConfigurationError) throw new ConfigurationError(message, { cause: error });
    throw new TandemError(message, { cause: error });
  }
}

export function registerSessionCommands(program: Command): void {
  const group = program
    .command('session')
    .description('Informational sessions of a cycle: schedule and announce (add), list, show with registrations, record attendance, move, cancel.')
    .addHelpText(
      'after',
      '\nExamples:\n  tandem session add --cycle <cycleId> --id ai-101 --title "AI tools 101" --description "..." --skills ai-tools --starts 2027-03-10T14:00-03:00 --time-zone America/Sao_Paulo --duration 60 --video-link https://meet.example.com/ai-101 --capacity 20\n  tandem session move ai-101 --cycle <cycleId> --starts 2027-03-17T14:00-03:00 --yes\n  tandem session attendance ai-101 --cycle <cycleId> --attended ana@example.com,joao@example.com',
    );

  withJson(
    group
      .command('add')
      .description(
        'Schedule a session in a running cycle and announce it (email with a signed link to register or decline, and a calendar file) to the members who want to learn its skills, or to everyone.',
      )
      .requiredOption('-c, --cycle <cycleId>', 'the cycle the session belongs to')
      .requiredOption('--id <sessionId>', 'an id for the session (letters, digits, ".", "_", "-")')
      .requiredOption('--title <title>', 'the title')
      .requiredOption('--description <text>', 'what the session is about')
      .requiredOption('--skills <ids>', 'the catalog ids of the skills it covers (comma-separated)', list)
      .requiredOption('--starts <dateTime>', 'date and time with the offset of --time-zone, e.g. 2027-03-10T14:00-03:00')
      .requiredOption('--time-zone <zone>', 'the IANA time zone it is held in, e.g. America/Sao_Paulo')
      .requiredOption('--duration <minutes>', 'its length in minutes')
      .requiredOption('--capacity <seats>', 'how many people can register; later ones join a waiting list')
      .option('--place <place>', 'where it is held (a room)')
      .option('--video-link <url>', 'the video call link (https)')
      .option('--audience <who>', 'learners: who wants to learn its skills; everyone: every member', 'learners')
      .option('--no-announce', 'schedule only; announce later with `tandem session announce`'),
    'tandem session add --cycle mentoria-reversa-20270301T090000Z --id ai-101 --title "AI tools 101" --description "Hands-on" --skills ai-tools --starts 2027-03-10T14:00-03:00 --time-zone America/Sao_Paulo --duration 60 --place "Room 4" --capacity 20',
  ).action(
    async (options: {
      cycle: string;
      id: string;
      title: string;
      description: string;
      skills: string[];
      starts: string;
      timeZone: string;
      duration: string;
      capacity: string;
      place?: string;
      videoLink?: string;
      audience: string;
      announce: boolean;
      json: boolean;
    }) => {
      const c = target();
      // Announcing needs the link-signing key and the links' base URL: checked before the session is stored, so that a
      // missing one leaves nothing half-done (a rerun would have found the session existing, and nobody told).
      const mail = options.announce ? await mailDeps() : undefined;
      const session = await addSession({ store: c.store, clock: c.clock }, options.cycle, {
        sessionId: options.id,
        title: options.title,
        description: options.description,
        skills: options.skills,
        startsAt: options.starts,
        timeZone: options.timeZone,
        durationMinutes: options.duration,
        capacity: options.capacity,
        audience: options.audience,
        ...(options.place !== undefined ? { place: options.place } : {}),
        ...(options.videoLink !== undefined ? { videoLink: options.videoLink } : {}),
      });
      await auditSession('session.added', options.cycle, { sessionId: session.sessionId, capacity: session.capacity });
      const announcement = mail ? await announceStored(mail, options.cycle, session.sessionId) : undefined;
      if (announcement?.sent) await auditSession('session.announced', options.cycle, { sessionId: session.sessionId, sent: announcement.sent });
      emit(options.json, { session, announcement }, () =>
        [
          ...describeSession(session),
          announcement
            ? `Announced to ${announcement.audience} members: ${announcement.sent} sent${inFlightText(announcement)}${announcement.rejected ? `, ${announcement.rejected} refused by SES` : ''}.`
            : `Not announced yet: tandem session announce ${session.sessionId} --cycle ${options.cycle}`,
        ].join('\n'),
      );
    },
  );

  withJson(
    group
      .command('announce')
      .description('Announce a session to its audience; people already sent the announcement are not sent it again.')
      .argument('<sessionId>', 'the session')
      .requiredOption('-c, --cycle <cycleId>', 'its cycle'),
    'tandem session announce ai-101 --cycle mentoria-reversa-20270301T090000Z',
  ).action(async (sessionId: string, options: { cycle: string; json: boolean }) => {
    const outcome = await announceSession(await mailDeps(), options.cycle, sessionId);
    if (outcome.sent) await auditSession('session.announced', options.cycle, { sessionId, sent: outcome.sent });
    emit(
      options.json,
      outcome,
      () =>
        `Session ${sessionId}: ${outcome.audience} in the audience, ${outcome.sent} sent now, ${outcome.alreadySent} sent before${inFlightText(outcome)}, ${outcome.rejected} refused by SES.`,
    );
  });

  withJson(
    group
      .command('list')
      .description("A cycle's sessions with their seats, waiting lists and attendance.")
      .requiredOption('-c, --cycle <cycleId>', 'the cycle'),
    'tandem session list --cycle mentoria-reversa-20270301T090000Z',
  ).action(async (options: { cycle: string; json: boolean }) => {
    const c = target();
    // "No sessions" must not hide a mistyped cycle id.
    await getCycleOrFail(c.store, options.cycle);
    const [sessions, registrations] = await Promise.all([c.store.listSessions(options.cycle), c.store.listSessionRegistrations(options.cycle)]);
    const rows = sessions.map((s) => {
      const regs = registrations.filter((r) => r.sessionId === s.sessionId);
      return {
        ...s,
        registered: regs.filter((r) => r.status === 'registered').length,
        waitlisted: regs.filter((r) => r.status === 'waitlisted').length,
        declined: regs.filter((r) => r.status === 'declined').length,
      };
    });
    emit(options.json, rows, () =>
      rows.length
        ? table(
            ['Session', 'Title', 'Starts', 'Seats', 'Waiting', 'Declined', 'Attended'],
            rows.map((s) => [
              s.sessionId,
              s.cancelledAt !== undefined ? `${s.title} (cancelled)` : s.movedAt !== undefined ? `${s.title} (moved)` : s.title,
              when(s),
              `${s.registered}/${s.capacity}`,
              s.waitlisted,
              s.declined,
              s.attendanceRecordedAt === undefined ? '—' : (s.attended?.length ?? 0),
            ]),
          )
        : `Cycle ${options.cycle} has no sessions. Schedule one with: tandem session add --cycle ${options.cycle} ...`,
    );
  });

  withJson(
    group
      .command('show')
      .description('A session with everyone who answered: registered, waiting (in the order a freed seat goes, each with their place in line) and declined.')
      .argument('<sessionId>', 'the session')
      .requiredOption('-c, --cycle <cycleId>', 'its cycle'),
    'tandem session show ai-101 --cycle mentoria-reversa-20270301T090000Z',
  ).action(async (sessionId: string, options: { cycle: string; json: boolean }) => {
    const c = target();
    const overview = await sessionOverview({ store: c.store, clock: c.clock }, options.cycle, sessionId);
    const attended = new Set(overview.session.attended ?? []);
    emit(options.json, overview, () =>
      [
        ...describeSession(overview.session),
        '',
        overview.registrations.length
          ? table(
              ['Participant', 'Name', 'Email', 'Answer', 'In line', 'Attended'],
              overview.registrations.map((r) => [
                r.participantId,
                r.name,
                r.email,
                r.status,
                r.position !== undefined ? `#${r.position}` : r.passedOver !== undefined ? `passed over (${r.passedOver})` : '',
                attended.has(r.participantId) ? 'yes' : '',
              ]),
            )
          : 'Nobody has answered yet.',
      ].join('\n'),
    );
  });

  withJson(
    group
      .command('cancel')
      .description(
        'Cancel a session that has not started: it takes no more answers, and everyone registered, on its waiting list, or sent the announcement without answering yet is told by email (with the reason, and a calendar file that cancels the event). Without --yes, only says what it would do. Running it again tells only those not told yet.',
      )
      .argument('<sessionId>', 'the session')
      .requiredOption('-c, --cycle <cycleId>', 'its cycle')
      .requiredOption('--reason <text>', 'why, in words the people told will read (at most 500 characters)')
      .option('--yes', 'cancel it and send the emails (without it, nothing is changed or sent)'),
    'tandem session cancel ai-101 --cycle mentoria-reversa-20270301T090000Z --reason "The speaker is ill; a new date will be announced." --yes',
  ).action(async (sessionId: string, options: { cycle: string; reason: string; yes?: boolean; json: boolean }) => {
    if (!options.yes) {
      parseCancelReason(options.reason);
      const preview = await previewCancellation(dryRunDeps(), options.cycle, sessionId);
      emit(options.json, { dryRun: true, session: shown(preview.session), wouldTell: preview.wouldTell }, () =>
        [
          ...describeSession(preview.session),
          '',
          preview.session.cancelledAt !== undefined
            ? `Cancelled already; with --yes, whoever of the ${preview.wouldTell} registered, waiting or invited was not told yet is told now.`
            : `With --yes, session ${sessionId} is cancelled and ${preview.wouldTell} registered, waiting or invited are told. Nothing was changed.`,
        ].join('\n'),
      );
      return;
    }
    // The cancel is audited once stored, before anyone is told (an SES failure then leaves it on record); what a run sent, after it, even when stopped.
    const outcome = await cancelSession(await mailDeps(), options.cycle, sessionId, options.reason, {
      stored: (session) => auditSession('session.cancelled', options.cycle, { sessionId, reason: session.cancelReason ?? '' }),
      told: (tally) => auditSession('session.cancellation-sent', options.cycle, { sessionId, told: tally.sent }),
    });
    emit(options.json, { ...outcome, session: shown(outcome.session) }, () =>
      [
        outcome.cancelledNow
          ? `Session ${sessionId} cancelled.`
          : `Session ${sessionId} was cancelled already; its first reason is kept: ${outcome.session.cancelReason ?? ''}`,
        toldText(outcome, 'registered, waiting or invited'),
      ].join('\n'),
    );
  });

  withJson(
    group
      .command('move')
      .description(
        'Move a session that has not started: a new start, length, place or video link (what is not given stays). Seats, the waiting list and answers are kept; everyone registered, waiting, or sent the announcement without answering yet is told by email, with a calendar file that moves the event. Without --yes, only says what it would do. Running it again tells only those not told yet.',
      )
      .argument('<sessionId>', 'the session')
      .requiredOption('-c, --cycle <cycleId>', 'its cycle')
      .option('--starts <datetime>', "the new start, with the offset of the session's time zone at that date (2027-03-17T14:00-03:00)")
      .option('--duration <minutes>', 'the new length in minutes (5 to 480)')
      .option('--place <place>', 'the new room or address')
      .option('--remove-place', 'remove the place (the session keeps its video link)')
      .option('--video-link <url>', 'the new video link (https)')
      .option('--remove-video-link', 'remove the video link (the session keeps its place)')
      .option('--yes', 'move it and send the emails (without it, nothing is changed or sent)'),
    'tandem session move ai-101 --cycle mentoria-reversa-20270301T090000Z --starts 2027-03-17T14:00-03:00 --place "Room 2" --yes',
  ).action(
    async (
      sessionId: string,
      options: {
        cycle: string;
        starts?: string;
        duration?: string;
        place?: string;
        removePlace?: boolean;
        videoLink?: string;
        removeVideoLink?: boolean;
        yes?: boolean;
        json: boolean;
      },
    ) => {
      const both = [
        ...(options.place !== undefined && options.removePlace ? [{ where: 'place', problem: 'give --place or --remove-place, not both' }] : []),
        ...(options.videoLink !== undefined && options.removeVideoLink
          ? [{ where: 'videoLink', problem: 'give --video-link or --remove-video-link, not both' }]
          : []),
      ];
      if (both.length) throw new ValidationError('the move is not valid', both);
      // null removes the place or video link (services/sessions.ts, moveSession).
      const move = {
        ...(options.starts !== undefined ? { startsAt: options.starts } : {}),
        ...(options.duration !== undefined ? { durationMinutes: options.duration } : {}),
        ...(options.removePlace ? { place: null } : options.place !== undefined ? { place: options.place } : {}),
        ...(options.removeVideoLink ? { videoLink: null } : options.videoLink !== undefined ? { videoLink: options.videoLink } : {}),
      };
      if (!options.yes) {
        const preview = await previewMove(dryRunDeps(), options.cycle, sessionId, move);
        emit(
          options.json,
          { dryRun: true, changes: preview.changes, session: shown(preview.session), moved: shown(preview.moved), wouldTell: preview.wouldTell },
          () =>
            [
              `Session ${sessionId} — ${preview.session.title}`,
              `Now    ${placing(preview.session)}`,
              `Moved  ${placing(preview.moved)}`,
              '',
              preview.changes
                ? `With --yes, session ${sessionId} is moved and ${preview.wouldTell} registered, waiting or invited are told. Nothing was changed.`
                : `Moved there already; with --yes, whoever of the ${preview.wouldTell} to tell was not told yet is told now.`,
            ].join('\n'),
        );
        return;
      }
      // As for a cancel: the move is audited once stored, what each run sent after it.
      const outcome = await moveSession(await mailDeps(), options.cycle, sessionId, move, {
        stored: (before, after) => auditSession('session.moved', options.cycle, { sessionId, from: placing(before), to: placing(after) }),
        told: (tally) => auditSession('session.move-sent', options.cycle, { sessionId, told: tally.sent }),
      });
      emit(options.json, { ...outcome, before: shown(outcome.before), session: shown(outcome.session) }, () =>
        [
          outcome.movedNow
            ? `Session ${sessionId} moved: ${placing(outcome.session)}.`
            : `Session ${sessionId} was moved there already: ${placing(outcome.session)}.`,
          toldText(outcome, 'registered, waiting or invited'),
        ].join('\n'),
      );
    },
  );

  withJson(
    group
      .command('attendance')
      .description(
        'Record who attended a session once it has started (replaces what was recorded before): any member of the cycle, those who came without a seat counted apart. Names unknown to the cycle are refused and nothing is written.',
      )
      .argument('<sessionId>', 'the session')
      .requiredOption('-c, --cycle <cycleId>', 'its cycle')
      .option('--attended <list>', 'email addresses (any letter case) or participant ids (exactly as stored), comma-separated')
      .option('-f, --file <file>', 'a text file of addresses or ids (one a line, or comma-separated)'),
    'tandem session attendance ai-101 --cycle mentoria-reversa-20270301T090000Z --attended ana@example.com,joao@example.com',
  ).action(async (sessionId: string, options: { cycle: string; attended?: string; file?: string; json: boolean }) => {
    if ((options.attended === undefined) === (options.file === undefined)) throw new ValidationError('give --attended or --file (one of them)');
    const text = options.file !== undefined ? await readTextFile(options.file) : (options.attended as string);
    const c = target();
    const deps = { store: c.store, clock: c.clock };
    await loadSession(deps, options.cycle, sessionId);
    const { session, walkIns } = await recordAttendance(deps, options.cycle, sessionId, parseAttendanceList(text));
    const attended = session.attended?.length ?? 0;
    await auditSession('session.attendance-recorded', options.cycle, { sessionId, attended, walkIns: walkIns.length });
    emit(
      options.json,
      { ...shown(session), walkIns },
      () => `Session ${sessionId}: ${attended} attended, recorded${walkIns.length ? ` (${walkIns.length} without a seat: ${walkIns.join(', ')})` : ''}.`,
    );
  });
}
