import { z } from 'zod';
import { emailSchema, idSchema, languageSchema } from './program.ts';

export const PARTICIPANT_STATUSES = ['active', 'opted-out', 'unreachable'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

const year = z.number().int().min(1900).max(2100);

export const participantSchema = z
  .object({
    participantId: idSchema,
    name: z.string().trim().min(1, 'must not be empty').max(120),
    email: emailSchema,
    department: z.string().trim().min(1, 'must not be empty').max(80),
    /** Generation: the birth year, or the year the person started their career where birth years are not kept. */
    birthYear: year.optional(),
    careerStartYear: year.optional(),
    /** Seniority level, 1 (entry) to 10 (executive). */
    seniority: z.number().int().min(1).max(10),
    skillsOffered: z.array(z.object({ skill: idSchema, level: z.number().int().min(1).max(5) })).default([]),
    skillsWanted: z.array(z.object({ skill: idSchema, priority: z.number().int().min(1).max(5) })).default([]),
    managerId: idSchema.optional(),
    languages: z.array(z.string().trim().min(2).max(10)).min(1, 'must list at least one language'),
    preferredLanguage: languageSchema.optional(),
    timeZone: z.string().trim().max(64).optional(),
    capacity: z.number().int().min(1).max(5).default(1),
    status: z.enum(PARTICIPANT_STATUSES).default('active'),
  })
  .refine((p) => p.birthYear !== undefined || p.careerStartYear !== undefined, {
    message: 'needs a birth year or a career-start year (its generation)',
    path: ['birthYear'],
  })
  .refine((p) => p.managerId !== p.participantId, { message: 'a person cannot be their own manager', path: ['managerId'] });

export type Participant = z.infer<typeof participantSchema>;
export type ParticipantInput = z.input<typeof participantSchema>;

/** The year that places a person in a generation: birth year, else career start. */
export function generationYear(p: Pick<Participant, 'birthYear' | 'careerStartYear'>): number {
  return (p.birthYear ?? p.careerStartYear) as number;
}
