import type { InfoSession, RegistrationStatus, SessionRegistration } from './sessions.ts';

// Apart from sessions.ts, whose schemas the review function does not need to carry.

/** The report's figures per skill: sessions covering it, registrations and attendance at those sessions. */
export interface SessionSkillFigures {
  skill: string;
  sessions: number;
  seats: number;
  registered: number;
  waitlisted: number;
  attended: number;
}

export interface SessionFigures {
  /** Sessions held or still to come; cancelled ones are counted apart and nowhere else. */
  sessions: number;
  cancelled: number;
  registered: number;
  waitlisted: number;
  declined: number;
  attended: number;
  /** Attended over registered, for sessions whose attendance was recorded; null when none was. */
  attendanceRate: number | null;
  bySkill: SessionSkillFigures[];
}

export function sessionFigures(all: readonly InfoSession[], allRegistrations: readonly SessionRegistration[]): SessionFigures {
  // A cancelled session did not take place: neither it nor its answers count.
  const sessions = all.filter((s) => s.cancelledAt === undefined);
  const held = new Set(sessions.map((s) => s.sessionId));
  const registrations = allRegistrations.filter((r) => held.has(r.sessionId));
  const of = (s: InfoSession) => registrations.filter((r) => r.sessionId === s.sessionId);
  const count = (list: readonly SessionRegistration[], status: RegistrationStatus) => list.filter((r) => r.status === status).length;
  const bySkill = new Map<string, SessionSkillFigures>();
  let recordedRegistered = 0;
  let recordedAttended = 0;
  for (const s of sessions) {
    const regs = of(s);
    if (s.attendanceRecordedAt !== undefined) {
      recordedRegistered += count(regs, 'registered');
      recordedAttended += s.attended?.length ?? 0;
    }
    for (const skill of s.skills) {
      const row = bySkill.get(skill) ?? { skill, sessions: 0, seats: 0, registered: 0, waitlisted: 0, attended: 0 };
      row.sessions++;
      row.seats += s.capacity;
      row.registered += count(regs, 'registered');
      row.waitlisted += count(regs, 'waitlisted');
      row.attended += s.attended?.length ?? 0;
      bySkill.set(skill, row);
    }
  }
  return {
    sessions: sessions.length,
    cancelled: all.length - sessions.length,
    registered: count(registrations, 'registered'),
    waitlisted: count(registrations, 'waitlisted'),
    declined: count(registrations, 'declined'),
    attended: sessions.reduce((sum, s) => sum + (s.attended?.length ?? 0), 0),
    attendanceRate: recordedRegistered ? recordedAttended / recordedRegistered : null,
    bySkill: [...bySkill.values()].sort((a, b) => a.skill.localeCompare(b.skill)),
  };
}
