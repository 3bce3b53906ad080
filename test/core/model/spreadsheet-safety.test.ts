import { describe, expect, it } from 'vitest';
import { isFormulaText, startsLikeFormula } from '../../../core/model/spreadsheet-safety.js';

describe('spreadsheet safety: values a spreadsheet would run as a formula', () => {
  it.each([
    ['=HYPERLINK("https://evil.example","Click")'],
    ["+cmd|' /C calc'!A0"],
    ['@SUM(1+1)'],
    ["-2+3+cmd|' /C calc'!A0"],
    ['\t=1+1'],
    ['\r=1+1'],
  ])('%s is formula text', (value) => {
    expect(isFormulaText(value)).toBe(true);
  });

  it.each([['+1 425 555 0100'], ['-1.5'], ['(425) 555-0100'], ['Adatum Corporation'], [' =1+1']])(
    '%s is not (plain numbers and phone numbers have no function to run)',
    (value) => {
      expect(isFormulaText(value)).toBe(false);
    },
  );

  it('the import keeps the stricter rule: any formula start, numbers included', () => {
    expect(startsLikeFormula('+1 425 555 0100')).toBe(true);
  });
});
