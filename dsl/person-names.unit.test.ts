import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, holds } from './expressions.js';
import { personNameKey, sameName } from './person-names.js';

const ZWNJ = '\u200C';

describe('comparing a stated name with the civil registry\'s', () => {
  it('takes Arabic yeh and kaf for the Persian letters', () => {
    expect(sameName('علي', 'علی')).toBe(true);
    expect(sameName('مصطفى', 'مصطفی')).toBe(true);
    expect(sameName('كريمي', 'کریمی')).toBe(true);
  });

  it('ignores spaces, at the ends and within, and zero-width non-joiners', () => {
    expect(sameName('  رضایی ', 'رضایی')).toBe(true);
    expect(sameName('محمد  رضا', 'محمد رضا')).toBe(true);
    expect(sameName(`محمد${ZWNJ}رضا`, 'محمدرضا')).toBe(true);
    expect(sameName(`محمد${ZWNJ}رضا`, 'محمد رضا')).toBe(true);
    expect(sameName('عبد\u00A0الله', 'عبدالله')).toBe(true);
  });

  it('ignores diacritics, kashida, direction marks and presentation forms', () => {
    expect(sameName('مُحَمَّد', 'محمد')).toBe(true);
    expect(sameName('محـــمد', 'محمد')).toBe(true);
    expect(sameName('\u200Fزهرا\u200E', 'زهرا')).toBe(true);
    expect(sameName('\uFEE3\uFEA4\uFEE4\uFEAA', 'محمد')).toBe(true);
  });

  it('tells different names apart, and matches no empty name', () => {
    expect(sameName('علی', 'علیرضا')).toBe(false);
    expect(sameName('حسن', 'حسین')).toBe(false);
    expect(sameName('X', 'علی')).toBe(false);
    expect(sameName(' ', '')).toBe(false);
    expect(personNameKey(' محمد‌رضا  كريمي ')).toBe('محمدرضاکریمی');
  });

  it('is callable from CEL over the applicant and the civil registry\'s answer', () => {
    const rule = 'sameName(applicant.firstName, civil.firstName) && sameName(applicant.lastName, civil.lastName)';
    expect(checkExpression(rule, ['civil'])).toBeNull();
    const civil = { firstName: 'علی', lastName: 'کریمی', birthDate: '1986-08-23' };
    expect(evaluate(rule, { applicant: { firstName: 'علي', lastName: ' كريمي' }, civil })).toBe(true);
    expect(holds(rule, { applicant: { firstName: 'X', lastName: 'Y' }, civil })).toBe(false);
    // An answer without the name (an unknown national code) fails the rule rather than passing it.
    expect(holds(rule, { applicant: { firstName: 'علی', lastName: 'کریمی' }, civil: { found: false } })).toBe(false);
  });
});
