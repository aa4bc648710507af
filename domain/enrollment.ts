import type { AvailabilityWindow } from './availability.ts';
import * as z from './validation.ts';
import { ValidationError, issuesFromZod } from './errors.ts';
import { oneLine, plainText } from './text.ts';
import type { FormFields } from './surveys.ts';

/**
 * Enrollment: what an invitee answers on the join page (join with what they declare, or
 * decline), read from the submitted form and validated. Pure: the page is in
 * services/phases/enrollment/survey.ts, the storage behind ports.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
/** An availability slot: a weekday and a time of day in the person's own time zone ("tue-morning"). */
export const AVAILABILITY_SLOTS: readonly string[] = WEEKDAYS.flatMap((day) => TIMES_OF_DAY.map((time) => `${day}-${time}`));
/** The languages offered on the join page (ISO 639-1), beside the program's two page languages. */
export const SPOKEN_LANGUAGES = ['pt', 'en', 'es', 'fr', 'de', 'it', 'ja', 'zh'] as const;

const MAX_PROPOSED_SKILLS = 5;
const text = (max: number) => z.string().check(z.overwrite(plainText), z.trim(), z.maxLength(max, `must be at most ${max} characters`));
/** One line of such text: what other people read in a heading or an email's subject (domain/text.ts oneLine). */
const line = (max: number) => z.string().check(z.overwrite(oneLine), z.trim(), z.maxLength(max, `must be at most ${max} characters`));

/** The longest name a person may declare: a real name fits, a notice dressed as one does not. */
export const MAX_DECLARED_NAME = 70;
/**
 * A declared name reaches the partner's email subject ("Meet <name>, your mentoring partner") and
 * pages: one line, letters (any script, with their accents) and the signs names carry — spaces,
 * hyphens, apostrophes, periods — so no markup, link or punctuation of a fake notice.
 */
const declaredName = line(MAX_DECLARED_NAME).check(
  // Keyboards type no-break spaces and hyphens into names: kept as the plain ones.
  z.overwrite((name) => name.replace(/[\u00A0\u2007\u202F]/g, ' ').replace(/[\u2010\u2011]/g, '-')),
  z.minLength(1, 'is required'),
  // Also the joiners Persian and Indic spelling need (ZWNJ, ZWJ) and the middle dots of Japanese and Catalan names.
  z.refine(
    (name) => name === '' || /^[\p{L}\p{M}](?:[\p{L}\p{M} .'’\-\u30FB\u00B7]|\u200C|\u200D)*$/u.test(name),
    'use letters, spaces, hyphens, apostrophes and periods only',
  ),
);
const level = (what: string) =>
  z.number(`${what} must be 1 to 5`).check(z.int(`${what} must be 1 to 5`), z.gte(1, `${what} must be 1 to 5`), z.lte(5, `${what} must be 1 to 5`));

/** Is this an IANA time zone the runtime knows (Intl refuses the others)? */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const joinSchema = z
  .object({
    decision: z.literal('joined'),
    name: declaredName,
    department: line(80).check(z.minLength(1, 'is required')),
    teaches: z.array(z.object({ skill: z.string(), level: level('the level') })),
    learns: z.array(z.object({ skill: z.string(), priority: level('the priority') })),
    /** Skills the catalog lacks, as the person wrote them: they feed the report's "skills the organization lacks". */
    proposedSkills: z.array(text(80).check(z.minLength(1))).check(z.maxLength(MAX_PROPOSED_SKILLS, `propose at most ${MAX_PROPOSED_SKILLS} skills`)),
    languages: z.array(z.enum(SPOKEN_LANGUAGES, 'is not a language offered')).check(z.minLength(1, 'choose at least one language')),
    timeZone: z.string().check(
      z.trim(),
      z.refine((zone) => isTimeZone(zone), 'choose a time zone from the list'),
    ),
    availability: z
      .array(z.string().check(z.refine((slot) => AVAILABILITY_SLOTS.includes(slot), 'is not a slot on the page')))
      .check(z.minLength(1, 'choose at least one time when you are available')),
    consent: z.literal(true, 'you must agree to the privacy notice to join'),
  })
  .check(
    z.refine((a) => a.teaches.length + a.learns.length + a.proposedSkills.length > 0, {
      message: 'choose at least one skill to teach or to learn',
      path: ['skills'],
    }),
    z.refine((a) => !a.teaches.some((t) => a.learns.some((l) => l.skill === t.skill)), {
      message: 'a skill cannot be both taught and learned',
      path: ['skills'],
    }),
  );

const declineSchema = z.object({
  decision: z.literal('declined'),
  reason: z._default(text(500), ''),
});

export type JoinAnswer = z.infer<typeof joinSchema>;
export type DeclineAnswer = z.infer<typeof declineSchema>;
export type EnrollmentAnswer = JoinAnswer | DeclineAnswer;
export type EnrollmentDecision = EnrollmentAnswer['decision'];

/** What a person declared when they last joined: the roster keeps it, and the next cycle's join page starts from it. */
export interface EnrollmentDeclaration {
  programId: string;
  participantId: string;
  /** The cycle whose enrollment it was declared in. */
  cycleId: string;
  declaredAt: number;
  name: string;
  department: string;
  skillsOffered: Array<{ skill: string; level: number }>;
  skillsWanted: Array<{ skill: string; priority: number }>;
  proposedSkills: string[];
  languages: string[];
  timeZone: string;
  availability: string[];
}

const one = (fields: FormFields, name: string) => fields[name]?.[0] ?? '';
const many = (fields: FormFields, name: string) => fields[name] ?? [];

/** A level picked from a select: blank is "not picked", anything else must be 1 to 5. */
function picked(value: string): number | undefined {
  const digits = value.trim();
  if (digits === '') return undefined;
  return /^\d{1,2}$/.test(digits) ? Number(digits) : Number.NaN;
}

/** Skill names typed into one box, split on commas, semicolons and new lines (how people list things). */
export function splitProposedSkills(typed: string): string[] {
  return typed
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Reads the join form: `name`, `department`, `teach:<skillId>` (level, blank for none),
 * `learn:<skillId>` (priority), `proposed`, `language` (each checked), `timeZone`, `slot`
 * (each checked) and `consent`. Only catalog skills are read, so a forged skill id is ignored.
 * Throws ValidationError naming every bad field.
 */
export function parseJoinAnswer(fields: FormFields, catalogIds: readonly string[]): JoinAnswer {
  const count = Object.values(fields).reduce((n, values) => n + values.length, 0);
  if (count > 500) throw new ValidationError('the form has too many fields', [{ where: 'form', problem: 'more than 500 fields' }]);
  const teaches = catalogIds.flatMap((skill) => {
    const level = picked(one(fields, `teach:${skill}`));
    return level === undefined ? [] : [{ skill, level }];
  });
  const learns = catalogIds.flatMap((skill) => {
    const priority = picked(one(fields, `learn:${skill}`));
    return priority === undefined ? [] : [{ skill, priority }];
  });
  const result = joinSchema.safeParse({
    decision: 'joined',
    name: one(fields, 'name'),
    department: one(fields, 'department'),
    teaches,
    learns,
    proposedSkills: splitProposedSkills(one(fields, 'proposed')),
    languages: many(fields, 'language'),
    timeZone: one(fields, 'timeZone'),
    availability: many(fields, 'slot'),
    consent: one(fields, 'consent') === 'yes',
  });
  if (!result.success) throw new ValidationError('some answers need fixing', issuesOf(result.error, teaches, learns));
  return result.data;
}

/** Issues named by the form's controls: `teaches.2.level` becomes `teach:<skillId>`, so the page can point at the select. */
function issuesOf(
  error: z.core.$ZodError,
  teaches: ReadonlyArray<{ skill: string }>,
  learns: ReadonlyArray<{ skill: string }>,
): ReturnType<typeof issuesFromZod> {
  return issuesFromZod(error).map((issue) => {
    const [list, index] = issue.where.split('.');
    if (list === 'teaches') return { ...issue, where: `teach:${teaches[Number(index)]?.skill ?? ''}` };
    if (list === 'learns') return { ...issue, where: `learn:${learns[Number(index)]?.skill ?? ''}` };
    if (list === 'proposedSkills') return { ...issue, where: 'proposed' };
    if (list === 'availability') return { ...issue, where: 'slot' };
    if (list === 'languages') return { ...issue, where: 'language' };
    return issue;
  });
}

/** Reads the decline form (an optional reason). */
export function parseDeclineAnswer(fields: FormFields): DeclineAnswer {
  const result = declineSchema.safeParse({ decision: 'declined', reason: one(fields, 'reason') });
  if (!result.success) throw new ValidationError('the reason needs fixing', issuesFromZod(result.error));
  return result.data;
}

/** What the roster keeps of a join. */
export function declarationOf(
  answer: JoinAnswer,
  at: { programId: string; participantId: string; cycleId: string; declaredAt: number },
): EnrollmentDeclaration {
  return {
    ...at,
    name: answer.name,
    department: answer.department,
    skillsOffered: answer.teaches,
    skillsWanted: answer.learns,
    proposedSkills: answer.proposedSkills,
    languages: answer.languages,
    timeZone: answer.timeZone,
    availability: answer.availability,
  };
}

/** The hours each time of day on the join page stands for, in the person's own time zone. */
const HOURS_OF: Record<(typeof TIMES_OF_DAY)[number], { from: string; to: string }> = {
  morning: { from: '08:00', to: '12:00' },
  afternoon: { from: '13:00', to: '18:00' },
  evening: { from: '18:00', to: '21:00' },
};

/** The weekly windows a person's picked slots ("tue-morning") stand for: what a first meeting is proposed in. */
export function availabilityOfSlots(slots: readonly string[]): AvailabilityWindow[] {
  return slots.flatMap((slot) => {
    const [day, time] = slot.split('-') as [string, string];
    const weekday = (WEEKDAYS as readonly string[]).indexOf(day) + 1;
    const hours = HOURS_OF[time as (typeof TIMES_OF_DAY)[number]];
    return weekday > 0 && hours ? [{ weekday, ...hours }] : [];
  });
}

/** A roster entry as its person declared it: what identify pairs, and introductions schedule, when the cycle had an enrollment. */
export function withDeclaration<
  P extends {
    name: string;
    department: string;
    skillsOffered: unknown;
    skillsWanted: unknown;
    languages: string[];
    timeZone?: string | undefined;
    availability?: AvailabilityWindow[] | undefined;
  },
>(participant: P, declaration: EnrollmentDeclaration): P {
  const availability = availabilityOfSlots(declaration.availability);
  return {
    ...participant,
    name: declaration.name,
    department: declaration.department,
    skillsOffered: declaration.skillsOffered,
    skillsWanted: declaration.skillsWanted,
    languages: declaration.languages,
    timeZone: declaration.timeZone,
    ...(availability.length ? { availability } : {}),
  };
}

/** Enrollment's funnel counts on a cycle: who was invited, who joined or declined, who has not answered. */
export interface EnrollmentProgress {
  invited: number;
  joined: number;
  declined: number;
  noAnswer: number;
}

export function enrollmentProgress(invited: number, joined: number, declined: number): EnrollmentProgress {
  return { invited, joined, declined, noAnswer: Math.max(0, invited - joined - declined) };
}
