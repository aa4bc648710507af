import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, issuesFromZod } from '../domain/errors.ts';
import { mentionsSubject, type ErasureSubject } from '../domain/person-data.ts';
import { PERSON_EXPORT_VERSION, type PersonCycleRecords, type PersonExport } from '../domain/person-export.ts';
import { emailSchema } from '../domain/program.ts';
import { recordAction, type Actor } from './audit.ts';
import type {
  AuditEntry,
  AuditLog,
  Clock,
  CycleStore,
  ErasureRecord,
  ParticipantActionStore,
  ParticipantDirectory,
  PersonalDataStore,
  ProgramStore,
  SessionStore,
} from './ports.ts';

export type PersonDataStore = ProgramStore & ParticipantDirectory & CycleStore & ParticipantActionStore & SessionStore & AuditLog & PersonalDataStore;

export interface PersonDataDeps {
  store: PersonDataStore;
  clock: Clock;
  /**
   * The address's key on the suppression list: a keyed hash under a per-deployment secret
   * (suppressionKeyOf in services/suppression.ts), so the list cannot be matched against guessed addresses.
   */
  subjectKeyOf: (email: string) => string;
  /** Random ids for tombstones and erasures; never derived from the person. */
  newId?: () => string;
}

/** How many audit entries per scope an export reads (the log is listed newest first). */
const AUDIT_SCAN_LIMIT = 5000;

/** The address as Tandem stores it (trimmed, lower case), or a ValidationError naming the problem. */
export function personAddress(email: string): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new ValidationError(`--email ${JSON.stringify(email)} is not an email address`, issuesFromZod(parsed.error, 'email'));
  return parsed.data;
}

/** Everything Tandem holds on the address, read through the ports: roster entries (GSI1 by address), then each program's cycles. */
export async function exportPerson(deps: PersonDataDeps, email: string): Promise<PersonExport> {
  const address = personAddress(email);
  const [found, suppressed] = await Promise.all([collect(deps.store, address), deps.store.isSuppressed(deps.subjectKeyOf(address))]);
  if (!found.programs.length && !suppressed) throw new NotFoundError(`no one with the address ${address} is on any program's roster`);
  return { version: PERSON_EXPORT_VERSION, exportedAt: new Date(deps.clock.now()).toISOString(), email: address, ...found, suppressed };
}

/** Export and record it in the audit log (ids and counts only: the log outlives erasure). */
export async function exportPersonAudited(deps: PersonDataDeps, who: Actor, email: string): Promise<PersonExport> {
  const exported = await exportPerson(deps, email);
  await recordAction({ audit: deps.store, clock: deps.clock }, who, {
    action: 'person.exported',
    details: { programs: exported.programs.length, cycles: exported.cycles.length, suppressed: exported.suppressed },
  });
  return exported;
}

/** What an erasure would remove (the dry run) or removed, in counts. */
export interface ErasureSummary {
  programs: number;
  cycles: number;
  responses: number;
  pairs: number;
  meetings: number;
  sessionRegistrations: number;
  emails: number;
}

export type ErasureOutcome =
  | { outcome: 'dry-run'; summary: ErasureSummary; resumes: boolean }
  | { outcome: 'erased'; erasureId: string; summary: ErasureSummary; itemsRewritten: number; resumed: boolean }
  | { outcome: 'already-erased'; erasedAt?: number };

/**
 * Erases a person from every program and cycle. Without `confirm` it only says what would be
 * removed. With it: an erasure record goes first (the address is suppressed from then on and a
 * run cut short resumes from it), then each cycle and program is rewritten (idempotent per item),
 * then the record is marked completed and the action audited. A second erasure finds nothing and
 * changes nothing.
 */
export async function erasePerson(deps: PersonDataDeps, who: Actor, email: string, options: { confirm: boolean }): Promise<ErasureOutcome> {
  const address = personAddress(email);
  const subjectKey = deps.subjectKeyOf(address);
  const newId = deps.newId ?? randomUUID;
  const standing = await deps.store.getErasure(subjectKey);
  const resumes = standing?.status === 'started';
  const found = await collect(deps.store, address);
  if (!resumes && !found.programs.length) {
    if (standing) return { outcome: 'already-erased', ...(standing.completedAt === undefined ? {} : { erasedAt: standing.completedAt }) };
    throw new NotFoundError(`no one with the address ${address} is on any program's roster`);
  }
  const summary = summarize(found, standing);
  if (!options.confirm) return { outcome: 'dry-run', summary, resumes };

  const record = resumes
    ? standing
    : await deps.store.startErasure({
        subjectKey,
        erasureId: newId(),
        status: 'started',
        startedAt: deps.clock.now(),
        targets: found.programs.map(({ programId, participant }) => ({
          programId,
          participantId: String(participant.participantId),
          tombstoneId: `erased-${newId()}`,
          cycleIds: found.cycles.filter((c) => c.programId === programId).map((c) => c.cycleId),
        })),
      });
  let itemsRewritten = 0;
  for (const target of record.targets) {
    // Names are read from the roster at each run, never kept in the erasure record; the roster entry goes last, after every cycle.
    const names = found.programs
      .filter((p) => p.programId === target.programId && p.participant.participantId === target.participantId)
      .flatMap((p) => [p.participant.name, p.declaration?.name])
      .filter((name): name is string => typeof name === 'string' && name.trim() !== '');
    const subject: ErasureSubject = { participantId: target.participantId, tombstoneId: target.tombstoneId, email: address, names: [...new Set(names)] };
    for (const cycleId of target.cycleIds) itemsRewritten += (await deps.store.eraseFromCycle(cycleId, subject)).rewritten;
    itemsRewritten += (await deps.store.eraseFromProgram(target.programId, subject)).rewritten;
  }
  await deps.store.completeErasure(subjectKey, record.erasureId, deps.clock.now());
  await recordAction({ audit: deps.store, clock: deps.clock }, who, {
    // One entry per erasure, even when a re-run completes it.
    auditId: `person.erased#${record.erasureId}`,
    action: 'person.erased',
    details: { erasureId: record.erasureId, programs: record.targets.length, cycles: summary.cycles, itemsRewritten, resumed: resumes },
  });
  return { outcome: 'erased', erasureId: record.erasureId, summary, itemsRewritten, resumed: resumes };
}

function summarize(found: Pick<PersonExport, 'programs' | 'cycles'>, standing: ErasureRecord | undefined): ErasureSummary {
  const cycles = new Set([...found.cycles.map((c) => c.cycleId), ...(standing?.status === 'started' ? standing.targets.flatMap((t) => t.cycleIds) : [])]);
  const programs = new Set([...found.programs.map((p) => p.programId), ...(standing?.status === 'started' ? standing.targets.map((t) => t.programId) : [])]);
  const sum = (of: (c: PersonCycleRecords) => number) => found.cycles.reduce((total, c) => total + of(c), 0);
  return {
    programs: programs.size,
    cycles: cycles.size,
    responses: sum((c) => c.responses.length),
    pairs: sum((c) => c.pairs.length),
    meetings: sum((c) => c.meetings.length),
    sessionRegistrations: sum((c) => c.sessionRegistrations.length),
    emails: sum((c) => c.emails.length),
  };
}

type Found = Pick<PersonExport, 'programs' | 'cycles' | 'auditEntries'>;

async function collect(store: PersonDataStore, address: string): Promise<Found> {
  const entries = await store.findParticipantsByEmail(address);
  const programs: Found['programs'] = [];
  const cycles: Found['cycles'] = [];
  const auditEntries: AuditEntry[] = [];
  for (const { programId, participantId } of entries) {
    const [program, roster, declaration, programCycles, audit] = await Promise.all([
      store.getProgram(programId),
      store.listParticipants(programId),
      store.getDeclaration(programId, participantId),
      store.listCycles(programId),
      store.listAudit({ programId, limit: AUDIT_SCAN_LIMIT }),
    ]);
    const participant = roster.find((p) => p.participantId === participantId);
    if (!participant) continue;
    programs.push({
      programId,
      programName: program?.name ?? programId,
      participant: { ...participant },
      ...(declaration ? { declaration: { ...declaration } } : {}),
    });
    for (const cycle of programCycles) {
      const records = await cycleRecordsOf(store, cycle.cycleId, participantId, address);
      if (records) cycles.push({ ...records, programId, startedAt: cycle.startedAt, status: cycle.status });
    }
    auditEntries.push(...audit.filter((e) => mentionsSubject(e.details, { participantId, email: address })));
  }
  return { programs, cycles, auditEntries: auditEntries.map((e) => ({ ...e })) };
}

/** What one cycle holds on the person, or undefined when it holds nothing. */
async function cycleRecordsOf(
  store: PersonDataStore,
  cycleId: string,
  participantId: string,
  address: string,
): Promise<Omit<PersonCycleRecords, 'programId' | 'startedAt' | 'status'> | undefined> {
  const [member, allPairs, allResponses, invitationDecision, allRematches, allFlags, allMeetings, registrations, sessions, votes, emailLog] = await Promise.all(
    [
      store.getMember(cycleId, participantId),
      store.listPairs(cycleId),
      store.listResponses(cycleId, ''),
      store.getInvitationDecision(cycleId, participantId),
      store.listRematches(cycleId),
      store.listPairFlags(cycleId),
      store.listMeetings(cycleId),
      store.listSessionRegistrations(cycleId),
      store.listSessions(cycleId),
      store.listVotesOf(cycleId, participantId),
      store.listEmailLog(cycleId),
    ],
  );
  const pairs = allPairs.filter((p) => p.mentorId === participantId || p.menteeId === participantId);
  const pairIds = new Set(pairs.map((p) => p.pairId));
  const responses = allResponses.filter((r) => r.participantId === participantId);
  const sessionRegistrations = registrations.filter((r) => r.participantId === participantId);
  const emails = emailLog.filter((e) => e.to === address || e.idempotencyKey.split(/[#~]/).includes(participantId));
  const records = {
    cycleId,
    participantId,
    ...(member ? { member: { ...member } } : {}),
    pairs: pairs.map((p) => ({ ...p })),
    responses: responses.map((r) => ({ ...r })),
    ...(invitationDecision ? { invitationDecision: { ...invitationDecision } } : {}),
    rematches: allRematches.filter((r) => [r.declinedBy, r.freedParticipantId, r.newPartnerId].includes(participantId)).map((r) => ({ ...r })),
    flags: allFlags.filter((f) => pairIds.has(f.pairId)).map((f) => ({ ...f })),
    meetings: allMeetings.filter((m) => pairIds.has(m.pairId)).map((m) => ({ ...m })),
    sessionRegistrations: sessionRegistrations.map((r) => ({ ...r })),
    sessionsAttended: sessions.filter((s) => s.attended?.includes(participantId)).map((s) => s.sessionId),
    votes,
    emails,
  };
  const holdsAnything = member || responses.length || sessionRegistrations.length || emails.length || invitationDecision;
  return holdsAnything ? records : undefined;
}
