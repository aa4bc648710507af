import { stringify } from 'csv-stringify/sync';

/**
 * Writes rows as CSV for HR's spreadsheets. A text cell that starts like a formula (=, +, -, @,
 * tab, CR, and their full-width forms) is prefixed with an apostrophe, so a name such as
 * `=HYPERLINK(...)` shows as text instead of running when the file is opened (formula injection).
 * Numbers are written as they are.
 */
export function toSpreadsheetCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return stringify(rows as Array<Array<string | number>>, { escape_formulas: true, record_delimiter: 'unix' });
}

const ESCAPED_FORMULA = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Reads back a cell written by toSpreadsheetCsv: the apostrophe that neutralized a formula goes. */
export function fromSpreadsheetCell(value: string): string {
  return ESCAPED_FORMULA.test(value) ? value.slice(1) : value;
}
