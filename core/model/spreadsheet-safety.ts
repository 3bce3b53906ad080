/**
 * CSV/formula injection: a spreadsheet that opens an export of our data runs a cell starting with
 * = + - @ (or a tab / CR) as a formula, e.g. =HYPERLINK("https://evil.example","Click") or a DDE
 * command. Values that start like that are refused where people type or import them (THE rule, shared
 * by the CSV import and the sandbox commands).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export const startsLikeFormula = (value: string): boolean => FORMULA_START.test(value);

export const FORMULA_PROBLEM =
  'starts with = + - @ or a tab, which a spreadsheet would run as a formula; remove that character';

/** Digits with phone punctuation (+1 425 555 0100, -1.5): no letters, so no function can run. */
const NUMBER_LIKE = /^\+?[0-9 ()./-]{1,}$/;

/** Free text that a spreadsheet would run: starts like a formula and is more than a phone number. */
export const isFormulaText = (value: string): boolean => startsLikeFormula(value) && !NUMBER_LIKE.test(value);
