import type { InfoSession, RegistrationStatus, SessionRegistration } from './sessions.ts';

// Apart from sessions.ts, whose schemas the review function does not need to carry.

/**
 * What the attendance figures are about: the sessions whose attendance HR recorded, the people
 * registered for them (holding a seat), how many of those came, and how many came without a seat
 * (walk-ins: members who had not registered, were waiting or had declined).
 */
export interface AttendanceFigures {
  /** Sessions whose attendance was recorded: the figures below are about them alone. */
  recordedSessions: number;
  /** People registered for those sessions: whom `attended` and the rate are about. */
  recordedRegistered: number;
  /** Of them, who attended. */
  attended: number;
  /** Members recorded as attending those sessions without a seat. */
  walkIns: number;
}

/** The report's figures per skill: sessions covering it, registrations and attendance at those sessions. */
export interface SessionSkillFigures extends AttendanceFigures {
  skill: string;
  sessions: number;
  seats: number;
  registered: number;
  waitlisted: number;
}

export interface SessionFigures extends AttendanceFigures {
  /** Sessions held or still to come; cancelled ones are counted apart and nowhere else. */
  sessions: number;
  cancelled: number;
  registered: number;
  waitlisted: number;
  declined: number;
  /** The registered who attended over the registered, for sessions whose attendance was recorded (at most 1); null when there are none. */
  attendanceRate: number | null;
  bySkill: SessionSkillFigures[];
}

const noAttendance = (): AttendanceFigures => ({ recordedSessions: 0, recordedRegistered: 0, attended: 0, walkIns: 0 });

export function sessionFigures(all: readonly InfoSession[], allRegistrations: readonly SessionRegistration[]): SessionFigures {
  // A cancelled session did not take place: neither it nor its answers count.
  const sessions = all.filter((s) => s.cancelledAt === undefined);
  const held = new Set(sessions.map((s) => s.sessionId));
  const registrations = allRegistrations.filter((r) => held.has(r.sessionId));
  const of = (s: InfoSession) => registrations.filter((r) => r.sessionId === s.sessionId);
  const count = (list: readonly SessionRegistration[], status: RegistrationStatus) => list.filter((r) => r.status === status).length;
  const bySkill = new Map<string, SessionSkillFigures>();
  const total = noAttendance();
  const addAttendance = (to: AttendanceFigures, from: AttendanceFigures) => {
    to.recordedSessions += from.recordedSessions;
    to.recordedRegistered += from.recordedRegistered;
    to.attended += from.attended;
    to.walkIns += from.walkIns;
  };
  for (const s of sessions) {
    const regs = of(s);
    const seated = new Set(regs.filter((r) => r.status === 'registered').map((r) => r.participantId));
    const came = new Set(s.attended ?? []);
    // Attendance recorded counts the registered who came (never more than were registered) and, apart, who came without a seat.
    const attendance =
      s.attendanceRecordedAt === undefined
        ? noAttendance()
        : {
            recordedSessions: 1,
            recordedRegistered: seated.size,
            attended: [...came].filter((id) => seated.has(id)).length,
            walkIns: [...came].filter((id) => !seated.has(id)).length,
          };
    addAttendance(total, attendance);
    for (const skill of s.skills) {
      const row = bySkill.get(skill) ?? { skill, sessions: 0, seats: 0, registered: 0, waitlisted: 0, ...noAttendance() };
      row.sessions++;
      row.seats += s.capacity;
      row.registered += count(regs, 'registered');
      row.waitlisted += count(regs, 'waitlisted');
      addAttendance(row, attendance);
      bySkill.set(skill, row);
    }
  }
  return {
    sessions: sessions.length,
    cancelled: all.length - sessions.length,
    registered: count(registrations, 'registered'),
    waitlisted: count(registrations, 'waitlisted'),
    declined: count(registrations, 'declined'),
    ...total,
    attendanceRate: total.recordedRegistered ? total.attended / total.recordedRegistered : null,
    bySkill: [...bySkill.values()].sort((a, b) => a.skill.localeCompare(b.skill)),
  };
}
