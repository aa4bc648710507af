import * as z from './validation.ts';
import { ValidationError, issuesFromZod } from './errors.ts';
import { plainText } from './text.ts';
import type { EnrollmentAnswer } from './enrollment.ts';

/** The longest answer to one feedback question, in characters (UTF-16 units, as a field's maxlength counts them). */
export const MAX_TEXT = 2000;
/** The feedback form's text questions: the participant form with the most text. */
export const FEEDBACK_TEXT_QUESTIONS = ['worked', 'keep', 'more', 'explore', 'missingSkills', 'improve'] as const;
/** A posted form holds at most this many fields (a form stuffed with more is refused). */
export const MAX_FORM_FIELDS = 200;

/**
 * The most bytes a character that a field's maxlength counts as one can take in a posted form:
 * a UTF-16 unit of a three-byte UTF-8 character (Japanese, Chinese, Korean), each byte sent as
 * %XX. (A character outside the BMP counts two and takes 4 bytes, 12 encoded: 6 a unit.)
 */
export const WORST_ENCODED_BYTES_PER_CHARACTER = 9;
/**
 * Any other field of a form, at most: its name and its value (ids, numbers, choices, the hidden
 * fields: ASCII, at most 64 characters each, 3 bytes a character when escaped), "=" and "&".
 */
const OTHER_FIELD_BYTES = 2 * 64 * 3 + 2;

/**
 * The largest body a participant's browser can post while keeping to the forms' limits: the
 * feedback form's every question filled to its maxlength at the worst encoding, plus as many
 * other fields as a form may hold at their longest. A limit below this refused answers the form
 * allows (2,000 Japanese characters are 18,000 bytes posted); anything above is abuse.
 */
export const MAX_FORM_BODY_BYTES = FEEDBACK_TEXT_QUESTIONS.length * MAX_TEXT * WORST_ENCODED_BYTES_PER_CHARACTER + MAX_FORM_FIELDS * OTHER_FIELD_BYTES;
/** Digits a person types for a number: plain decimal, as a number input sends it. */
const PLAIN_DECIMAL = /^-?\d{1,6}(\.\d{1,6})?$/;

/**
 * A number typed into a form field, trimmed, as plain decimal digits only: `0x1E`, `3e1`, `Infinity`
 * or `３０` are "must be a number" instead of read as JavaScript's Number() would read them.
 */
export const typedDecimal = z.pipe(
  z.string(),
  z.transform((value: string, context) => {
    const digits = value.trim();
    if (!PLAIN_DECIMAL.test(digits)) context.issues.push({ code: 'custom', message: 'must be a number', input: value });
    return Number(digits);
  }),
);

/**
 * A number typed into a form: blank is "missing", never 0, and only plain decimal numbers count, so
 * `1e0`, `0x3` or `Infinity` are refused instead of read as JavaScript would. Numbers already stored
 * (answers read back) pass as they are.
 */
const wholeNumber = (min: number, max: number) =>
  z.pipe(
    z.pipe(
      z.union([z.number(), z.string()], 'is required'),
      z.transform((value: number | string, context) => {
        if (typeof value === 'number') return value;
        const digits = value.trim();
        if (digits === '') context.issues.push({ code: 'custom', message: 'is required', input: value });
        else if (!PLAIN_DECIMAL.test(digits)) context.issues.push({ code: 'custom', message: 'must be a number', input: value });
        return Number(digits);
      }),
    ),
    z.number('must be a number').check(z.int('must be a whole number'), z.gte(min, `must be ${min} to ${max}`), z.lte(max, `must be ${min} to ${max}`)),
  );
const rating = wholeNumber(1, 5);
const text = (max = MAX_TEXT) => z.string().check(z.overwrite(plainText), z.trim(), z.maxLength(max, `must be at most ${max} characters`));

export const goalSettingAnswerSchema = z.object({
  goals: z.array(text(280).check(z.minLength(1))).check(z.minLength(1, 'set at least one goal'), z.maxLength(3, 'set at most three goals')),
  baseline: z.record(z.string(), rating),
});
export const checkInAnswerSchema = z.object({
  status: z.enum(['met', 'not-yet', 'need-help'], 'choose met, not yet or need help'),
  note: z._default(text(500), ''),
});
export const measureAnswerSchema = z.object({
  ratings: z.record(z.string(), rating),
  /** Percentage reached of each goal, in the order the goals were set. */
  goalAttainment: z.array(wholeNumber(0, 100)),
});
/** How many skills the organization lacks one feedback answer may name, and how long each may be. */
export const MAX_MISSING_SKILLS = 10;
export const MAX_SKILL_LENGTH = 80;

export const feedbackAnswerSchema = z.object({
  worked: text(),
  keep: text(),
  more: text(),
  explore: text(),
  // The limits are said on the page (services/phases/feedback/survey.ts) and the messages translated (survey-pages.ts `problems`).
  missingSkills: z
    .array(
      z
        .string()
        .check(z.overwrite(plainText), z.trim(), z.minLength(1), z.maxLength(MAX_SKILL_LENGTH, `each skill must be at most ${MAX_SKILL_LENGTH} characters`)),
    )
    .check(z.maxLength(MAX_MISSING_SKILLS, `name at most ${MAX_MISSING_SKILLS} skills`)),
  improve: text(),
  /** How likely they are to recommend the program, 0-10 (Net Promoter style). */
  satisfaction: wholeNumber(0, 10),
});

export type GoalSettingAnswer = z.infer<typeof goalSettingAnswerSchema>;
export type CheckInAnswer = z.infer<typeof checkInAnswerSchema>;
export type MeasureAnswer = z.infer<typeof measureAnswerSchema>;
export type FeedbackAnswer = z.infer<typeof feedbackAnswerSchema>;
export type Answer = EnrollmentAnswer | GoalSettingAnswer | CheckInAnswer | MeasureAnswer | FeedbackAnswer;

/** What a survey asks a given person: the skills they rate, and at measure the goals they set. */
export interface SurveyContext {
  skills: string[];
  goals: string[];
}

/** A submitted form: each field's values in the order sent. */
export type FormFields = Record<string, string[]>;

export function formFields(body: string): FormFields {
  // No prototype: a field named "constructor" or "__proto__" is just an unknown field.
  const fields: FormFields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(body)) (fields[name] ??= []).push(value);
  return fields;
}

const one = (fields: FormFields, name: string) => fields[name]?.[0] ?? '';

function ratings(fields: FormFields, prefix: string, skills: string[]): Record<string, string> {
  return Object.fromEntries(skills.map((skill) => [skill, one(fields, `${prefix}:${skill}`)]));
}

/** Reads a submitted form's fields, refusing a form stuffed with more than 200 of them. */
function submittedFields(body: string): FormFields {
  const fields = formFields(body);
  const count = Object.values(fields).reduce((n, values) => n + values.length, 0);
  if (count > MAX_FORM_FIELDS) throw new ValidationError('the form has too many fields', [{ where: 'form', problem: `more than ${MAX_FORM_FIELDS} fields` }]);
  return fields;
}

function validated<A>(result: z.core.util.SafeParseResult<A>): A {
  if (!result.success) throw new ValidationError('some answers need fixing', issuesFromZod(result.error));
  return result.data;
}

/*
 * One parser per phase: each reads and validates the submitted form of its phase and throws
 * ValidationError naming every bad field.
 */

export function parseGoalSettingAnswer(body: string, context: SurveyContext): GoalSettingAnswer {
  const fields = submittedFields(body);
  return validated(
    goalSettingAnswerSchema.safeParse({
      goals: (fields.goal ?? []).map((g) => g.trim()).filter(Boolean),
      baseline: ratings(fields, 'baseline', context.skills),
    }),
  );
}

export function parseCheckInAnswer(body: string): CheckInAnswer {
  const fields = submittedFields(body);
  return validated(checkInAnswerSchema.safeParse({ status: one(fields, 'status'), note: one(fields, 'note') }));
}

export function parseMeasureAnswer(body: string, context: SurveyContext): MeasureAnswer {
  const fields = submittedFields(body);
  return validated(
    measureAnswerSchema.safeParse({
      ratings: ratings(fields, 'rating', context.skills),
      goalAttainment: context.goals.map((_, i) => one(fields, `attainment:${i}`)),
    }),
  );
}

export function parseFeedbackAnswer(body: string): FeedbackAnswer {
  const fields = submittedFields(body);
  return validated(
    feedbackAnswerSchema.safeParse({
      worked: one(fields, 'worked'),
      keep: one(fields, 'keep'),
      more: one(fields, 'more'),
      explore: one(fields, 'explore'),
      missingSkills: one(fields, 'missingSkills')
        .split(/[,;\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
      improve: one(fields, 'improve'),
      satisfaction: one(fields, 'satisfaction'),
    }),
  );
}
