import * as z from './validation.ts';
import { idSchema, languageSchema } from './program.ts';
import { availabilitySchema } from './availability.ts';
import { oneLine } from './text.ts';

export const PARTICIPANT_STATUSES = ['active', 'opted-out', 'unreachable'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/**
 * A participant's address. SES sends only to addresses whose local part (before the @) is ASCII, so
 * `joão.gonçalves@…` is refused with that reason rather than as "not an email address".
 */
const participantEmailSchema = z.pipe(
  z.string().check(
    z.trim(),
    z.toLowerCase(),
    z.refine((email) => /^[\x20-\x7e]*$/.test(email.split('@')[0] ?? ''), {
      message: 'has letters outside ASCII before the @ (accents, ç): SES cannot deliver to it; ask HR for the ASCII address',
    }),
  ),
  z.email('must be an email address'),
);

const year = z.number().check(z.int(), z.gte(1900), z.lte(2100));

export const participantSchema = z
  .object({
    participantId: idSchema,
    // One line, without invisible or direction characters: names reach other people's subject lines and pages.
    name: z.string().check(z.overwrite(oneLine), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120)),
    email: participantEmailSchema,
    department: z.string().check(z.overwrite(oneLine), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(80)),
    /** Generation: the birth year, or the year the person started their career where birth years are not kept. */
    birthYear: z.optional(year),
    careerStartYear: z.optional(year),
    /**
     * Seniority level, 1 (entry) to 10 (executive). HR exports of invitees often lack it: without it, the
     * matcher orients a pair by generation alone and gives no seniority-gap points.
     */
    seniority: z.optional(z.number().check(z.int(), z.gte(1), z.lte(10))),
    skillsOffered: z._default(z.array(z.object({ skill: idSchema, level: z.number().check(z.int(), z.gte(1), z.lte(5)) })), []),
    skillsWanted: z._default(z.array(z.object({ skill: idSchema, priority: z.number().check(z.int(), z.gte(1), z.lte(5)) })), []),
    managerId: z.optional(idSchema),
    languages: z.array(z.string().check(z.trim(), z.minLength(2), z.maxLength(10))).check(z.minLength(1, 'must list at least one language')),
    preferredLanguage: z.optional(languageSchema),
    /** IANA time zone; the program's when absent (an unknown name is treated as absent when meetings are proposed). */
    timeZone: z.optional(z.string().check(z.trim(), z.maxLength(64))),
    /** When the person can meet, weekly, in their time zone; working hours (Monday to Friday, 09:00–17:00) when absent. */
    availability: z.optional(availabilitySchema),
    capacity: z._default(z.number().check(z.int(), z.gte(1), z.lte(5)), 1),
    status: z._default(z.enum(PARTICIPANT_STATUSES), 'active'),
    /**
     * When the person left through their own opt-out link (services/surveys.ts), as opposed to HR's
     * `opted-out` in a roster file. Set by the store only: a file's value is dropped on import, and an
     * import's `active` does not undo such an opt-out unless HR says so (services/roster-files.ts).
     */
    ownOptOutAt: z.optional(z.number()),
  })
  .check(
    z.refine((p) => p.birthYear !== undefined || p.careerStartYear !== undefined, {
      message: 'needs a birth year or a career-start year (its generation)',
      path: ['birthYear'],
    }),
    z.refine((p) => p.managerId !== p.participantId, { message: 'a person cannot be their own manager', path: ['managerId'] }),
  );

export type Participant = z.infer<typeof participantSchema>;
export type ParticipantInput = z.input<typeof participantSchema>;

/** The year that places a person in a generation: birth year, else career start. */
export function generationYear(p: Pick<Participant, 'birthYear' | 'careerStartYear'>): number {
  return (p.birthYear ?? p.careerStartYear) as number;
}
