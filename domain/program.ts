import * as z from './validation.ts';
import { isoDuration } from './duration.ts';
import { timeZoneSchema } from './availability.ts';

export const LANGUAGES = ['pt-BR', 'en'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/**
 * The names of a cycle's phases, as stored with the cycle. The phases themselves (their order,
 * what each does) are the modules of services/phases/registry.ts.
 */
export type Phase = 'identify' | AnsweredPhase | 'review';
/** Phases in which participants answer through an emailed link. */
export type AnsweredPhase = 'goal-setting' | 'run' | 'measure' | 'feedback';

export const idSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(64, 'must be at most 64 characters'),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-", starting with a letter or digit'),
  );

export const emailSchema = z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.email('must be an email address'));

export const skillSchema = z.object({
  id: idSchema,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  /** Digital and technology skills: the program's technology-adoption benefit is measured on them. */
  digital: z._default(z.boolean(), false),
});
export type Skill = z.infer<typeof skillSchema>;

/**
 * The criteria of a pair's score, each with a weight in `matching.weights` (the points the
 * criterion gives when fully met). Defaults and meanings: domain/matching/scoring.ts and docs/matching.md.
 */
export const MATCHING_WEIGHT_KEYS = [
  'skillsTaughtByMentor',
  'skillsTaughtByMentee',
  'generationGap',
  'seniorityGap',
  'crossDepartment',
  'favouredPartnership',
  'diversity',
  'timeZoneOverlap',
] as const;
export type MatchingWeightKey = (typeof MATCHING_WEIGHT_KEYS)[number];

export const matchingSettingsSchema = z._default(
  z.object({
    /** reverse: the younger or more junior person teaches the more senior one; mutual: both teach. */
    mode: z._default(z.enum(['reverse', 'mutual']), 'reverse'),
    /** Minimum gap in generation years between mentor and mentee in reverse mode. */
    minGenerationGapYears: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), 5),
    /** best-score maximises the total score; max-pairs first matches as many people as possible. */
    objective: z._default(z.enum(['best-score', 'max-pairs']), 'best-score'),
    /** Pairs from this many previous cycles are never repeated. */
    noRepeatCycles: z._default(z.number().check(z.int(), z.gte(0), z.lte(20)), 2),
    /** Department partnerships HR wants to favour, as [departmentA, departmentB]. */
    favouredDepartmentPairs: z._default(z.array(z.tuple([z.string().check(z.minLength(1)), z.string().check(z.minLength(1))])), []),
    /** Participant ids that must never be paired. */
    doNotPair: z._default(z.array(z.tuple([idSchema, idSchema])), []),
    /**
     * Pairs a review found worth continuing (participant ids, mentor first), added by
     * `tandem review apply`. The matcher does not read it yet: it may keep these pairs together
     * (and exempt them from noRepeatCycles) once wired.
     */
    continuePairs: z._default(z.array(z.tuple([idSchema, idSchema])), []),
    /** Points per criterion (see MATCHING_WEIGHT_KEYS); a criterion left out keeps its default weight. */
    weights: z._default(
      z.record(z.string(), z.number().check(z.gte(0), z.lte(100))).check(
        z.refine((w) => Object.keys(w).every((key) => (MATCHING_WEIGHT_KEYS as readonly string[]).includes(key)), {
          message: `weights may only name ${MATCHING_WEIGHT_KEYS.join(', ')}`,
        }),
      ),
      {},
    ),
  }),
  {
    mode: 'reverse',
    minGenerationGapYears: 5,
    objective: 'best-score',
    noRepeatCycles: 2,
    favouredDepartmentPairs: [],
    doNotPair: [],
    continuePairs: [],
    weights: {},
  },
);
export type MatchingSettings = z.infer<typeof matchingSettingsSchema>;

export const programSchema = z.object({
  programId: idSchema,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  language: languageSchema,
  /** The program's goals and expectations: the text every participant receives at goal-setting. */
  goalsAndExpectations: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  skillsCatalog: z.array(skillSchema).check(z.minLength(1, 'must list at least one skill')),
  phaseWindows: z.object({
    goalSetting: isoDuration,
    run: isoDuration,
    measure: isoDuration,
    feedback: isoDuration,
  }),
  checkInCadence: isoDuration,
  reminders: z._default(
    z.object({
      /** Reminders go out this long before a phase's deadline to those who have not answered. */
      beforeDeadline: z._default(z.array(isoDuration).check(z.maxLength(5)), []),
    }),
    { beforeDeadline: [] },
  ),
  /** How often a phase checks whether everyone has answered (bounded so that history stays small). */
  progressCheckInterval: z._default(isoDuration, 'PT1H'),
  sender: emailSchema,
  hrContacts: z.array(emailSchema).check(z.minLength(1, 'must name at least one HR contact')),
  opsContacts: z.array(emailSchema).check(z.minLength(1, 'must name at least one ops contact')),
  matching: matchingSettingsSchema,
  /** Where the program runs: the time zone of participants who gave none (UTC when absent). */
  timeZone: z.optional(timeZoneSchema),
  /** The agenda the introduction email proposes for a pair's first meeting, per language; a built-in agenda where absent. */
  firstMeetingAgenda: z.optional(
    z.object({
      'pt-BR': z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
      en: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
    }),
  ),
});
export type Program = z.infer<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;
