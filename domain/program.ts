import * as z from './validation.ts';
import { retentionDaysSchema } from './retention.ts';
import { notReservedKey } from './reserved-keys.ts';
import { columnMappingSchema, rosterMappingNameSchema } from './roster-mapping.ts';
import { isoDuration } from './duration.ts';
import { catalogClashes, skillIdFromLabel } from './skills.ts';
import { timeZoneSchema } from './availability.ts';
import { oneLine, plainText } from './text.ts';

export const LANGUAGES = ['pt-BR', 'en'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/**
 * The names of a cycle's phases, as stored with the cycle. The phases themselves (their order,
 * what each does) are the modules of services/phases/registry.ts.
 */
export type Phase = AnsweredPhase | 'identify' | 'approval' | 'review';
/** Phases in which participants answer through an emailed link (enrollment runs only when the program has its window). */
export type AnsweredPhase = 'enrollment' | 'goal-setting' | 'run' | 'measure' | 'feedback';

export const idSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'must not be empty'),
  z.maxLength(64, 'must be at most 64 characters'),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-", starting with a letter or digit'),
  // An id can key an object (a skill's id keys a person's ratings).
  notReservedKey,
);

export const emailSchema = z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.email('must be an email address'));

// Typed text shown to other people (pages, emails, the report, the console): the characters that reorder or hide text removed (domain/text.ts).
const skillText = z.string().check(z.overwrite(oneLine), z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(80, 'must be at most 80 characters'));

/** A skill as stored: its id never changes, people see and type its labels and aliases. */
export const storedSkillSchema = z.object({
  id: idSchema,
  /** How the skill is shown to a reader of each language. */
  labels: z.object({ 'pt-BR': skillText, en: skillText }),
  /** Other ways people write it (abbreviations, synonyms), in either language; a roster cell may use any of them. */
  aliases: z._default(z.array(skillText).check(z.maxLength(20, 'must list at most 20 aliases')), []),
  /** Digital and technology skills: the program's technology-adoption benefit is measured on them. */
  digital: z._default(z.boolean(), false),
});

/**
 * A skill as HR writes it: `labels` in both languages (the id, when left out, derived from the pt-BR
 * label), or the older `{ id, name }` form, whose name becomes both labels so that program files
 * and stored programs written before labels existed keep loading.
 */
export const skillSchema = z.pipe(
  z.pipe(
    z.object({
      id: z.optional(z.string()),
      labels: z.optional(z.object({ 'pt-BR': skillText, en: skillText })),
      name: z.optional(skillText),
      aliases: z.optional(z.array(skillText)),
      digital: z.optional(z.boolean()),
    }),
    z.transform(({ id, labels, name, aliases, digital }, ctx) => {
      const resolvedLabels = labels ?? (name === undefined ? undefined : { 'pt-BR': name, en: name });
      if (!resolvedLabels) {
        ctx.issues.push({ code: 'custom', message: 'needs labels ({ "pt-BR": ..., "en": ... }) or a name', input: id, path: ['labels'] });
        return z.NEVER;
      }
      const resolvedId = id?.trim() || skillIdFromLabel(resolvedLabels['pt-BR']);
      if (!resolvedId) {
        ctx.issues.push({
          code: 'custom',
          message: `needs an id: "${resolvedLabels['pt-BR']}" has no letters or digits to derive one from`,
          input: id,
          path: ['id'],
        });
        return z.NEVER;
      }
      return { id: resolvedId, labels: resolvedLabels, ...(aliases ? { aliases } : {}), ...(digital === undefined ? {} : { digital }) };
    }),
  ),
  storedSkillSchema,
);
export type Skill = z.infer<typeof skillSchema>;
export type SkillInput = z.input<typeof skillSchema>;

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

/**
 * HR's approval of the pairs after identify (services/phases/approval/). Without it, or with
 * `required: false`, invitations go out right after identify.
 */
export const approvalSettingsSchema = z.object({
  required: z.boolean(),
  /** How long HR has to approve, from the moment the pairs are proposed. */
  deadline: z._default(isoDuration, 'P3D'),
  /** At the deadline: approve the pairs as they stand, or stop the cycle. */
  onDeadline: z._default(z.enum(['approve', 'stop']), 'approve'),
  /** A second reminder to HR this long before the deadline (the first goes when the pairs are proposed). */
  reminderBefore: z.optional(isoDuration),
});
export type ApprovalSettings = z.infer<typeof approvalSettingsSchema>;

export const programSchema = z.object({
  programId: idSchema,
  name: z.string().check(z.overwrite(oneLine), z.trim(), z.minLength(1), z.maxLength(120)),
  language: languageSchema,
  /** The program's goals and expectations: the text every participant receives at goal-setting. */
  goalsAndExpectations: z.string().check(z.overwrite(plainText), z.trim(), z.minLength(1), z.maxLength(4000)),
  skillsCatalog: z.array(skillSchema).check(
    z.minLength(1, 'must list at least one skill'),
    z.superRefine((catalog, ctx) => {
      // zod runs this check even when an entry failed, and such an entry is the raw input (no derived id): its own issue says what is wrong.
      if (!catalog.every((skill) => typeof skill?.id === 'string' && typeof skill.labels === 'object')) return;
      for (const clash of catalogClashes(catalog)) ctx.addIssue({ code: 'custom', message: clash, input: catalog });
    }),
  ),
  phaseWindows: z.object({
    /**
     * Set: every cycle opens with enrollment, this long (invitees join through a page and declare
     * their skills; identify pairs those who joined). Absent: identify pairs the roster as it is.
     */
    enrollment: z.optional(isoDuration),
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
  approval: z.optional(approvalSettingsSchema),
  /** Where the program runs: the time zone of participants who gave none (UTC when absent). */
  timeZone: z.optional(timeZoneSchema),
  /** The agenda the introduction email proposes for a pair's first meeting, per language; a built-in agenda where absent. */
  firstMeetingAgenda: z.optional(
    z.object({
      'pt-BR': z.optional(z.string().check(z.overwrite(plainText), z.trim(), z.minLength(1), z.maxLength(2000))),
      en: z.optional(z.string().check(z.overwrite(plainText), z.trim(), z.minLength(1), z.maxLength(2000))),
    }),
  ),
  /**
   * Days a cycle's data is kept after the cycle ends (DynamoDB TTL on its items; docs/privacy.md). The default is two years, so that
   * reviews can compare with earlier cycles.
   */
  retentionDays: retentionDaysSchema,
  /** Column mappings HR saved for this program's roster files, by name (chosen in the console's roster page). */
  rosterMappings: z.optional(z.record(rosterMappingNameSchema, columnMappingSchema)),
});
export type Program = z.infer<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;
