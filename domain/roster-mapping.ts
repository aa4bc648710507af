import * as z from './validation.ts';
import { notReservedKey } from './reserved-keys.ts';

// The roster's columns and the column-mapping schema live apart from domain/roster.ts (which re-exports them) so that
// domain/program.ts can validate a program's saved mappings without a cycle through roster.ts → participant.ts → program.ts.

/**
 * The CSV columns Tandem reads; lists inside a cell are separated by ",", ";" or "|", and skills (labels, aliases
 * or ids, as people write them) carry an optional ":level" or ":priority".
 */
export const ROSTER_COLUMNS = [
  'id',
  'name',
  'email',
  'department',
  'birth_year',
  'career_start_year',
  'seniority',
  'skills_offered',
  'skills_wanted',
  'manager_id',
  'languages',
  'preferred_language',
  'time_zone',
  'capacity',
  'status',
] as const;

export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export const rosterColumnSchema = z.enum(ROSTER_COLUMNS);

/**
 * A column-mapping file: how an HR system's export maps to Tandem's columns.
 *
 * ```yaml
 * columns:            # file header → Tandem column (headers compare case- and accent-insensitively)
 *   Matrícula: id
 *   Nome: name
 *   E-mail: email
 *   Departamento: department
 *   Ano de nascimento: birth_year
 *   Gestor: manager_id
 * values:             # per Tandem column: file value → Tandem value (text or number)
 *   status: { Ativo: active, Desligado: opted-out }
 *   seniority: { Júnior: 3, Pleno: 5, Sênior: 8 }
 *   languages: { Português: pt, Inglês: en }
 * defaults:           # for Tandem columns the file lacks, or cells left empty
 *   seniority: "3"
 *   languages: pt
 * delimiter: ";"      # optional; found from the header line otherwise
 * ```
 */
export const columnMappingSchema = z.strictObject({
  columns: z._default(z.record(z.string().check(z.minLength(1), notReservedKey), z.union([rosterColumnSchema, z.literal('ignore')])), {}),
  /** A value may map to a number (`Sênior: 8`): cells are text, so a number is used as its digits. */
  values: z._default(
    z.partialRecord(rosterColumnSchema, z.record(z.string().check(notReservedKey), z.pipe(z.union([z.string(), z.number()]), z.transform(String)))),
    {},
  ),
  defaults: z._default(z.partialRecord(rosterColumnSchema, z.pipe(z.union([z.string(), z.number()]), z.transform(String))), {}),
  /** "," ";" "|" or "tab". */
  delimiter: z.optional(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((v: string) => (v === 'tab' || v === '\\t' ? '\t' : v)),
      ),
      z.enum([',', ';', '\t', '|'], 'must be ",", ";", "|" or "tab"'),
    ),
  ),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** The name HR gives a saved mapping ("export-rh"): letters, digits, "-" and "_". */
export const rosterMappingNameSchema = z
  .string()
  .check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be 1 to 40 letters, digits, "-" or "_"'), notReservedKey);
