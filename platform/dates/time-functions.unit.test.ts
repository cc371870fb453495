import { describe, expect, it } from 'vitest';
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { addDays, addMonths, jalali, quarterEnd } from './time-functions.js';

describe('Jalali date arithmetic for expressions', () => {
  it('moves by Jalali months in Tehran time, the day clamped, keeping the form it was given', () => {
    expect(jalali(addMonths('2031-11-23T09:05:00.000Z', -3))).toBe('1410/06/02');
    expect(addMonths('2031-11-23T09:05:00.000Z', -3)).toBe('2031-08-24T09:05:00.000Z');
    // 1405/06/31 + 1 month: Mehr has 30 days.
    expect(jalali(addMonths('2026-09-22', 1))).toBe('1405/07/30');
    // 23:00 in Tehran is the next Tehran day's date already at 20:00 UTC.
    expect(jalali('2026-11-23T20:40:00.000Z')).toBe('1405/09/03');
  });

  it('gives the last day of the Jalali quarter: Khordad, Shahrivar, Azar, Esfand', () => {
    expect(quarterEnd('2026-11-23')).toBe('2026-12-21');
    expect(jalali(quarterEnd('2026-11-23'))).toBe('1405/09/30');
    expect(jalali(quarterEnd('2027-01-05'))).toBe('1405/12/29');
    expect(addDays(quarterEnd('2026-11-23'), 30)).toBe('2027-01-20');
  });

  it('is callable from CEL, with CEL ints and JSON numbers', () => {
    const facts = factsAt({ licence: { validUntil: '2031-11-23T09:05:00.000Z' }, change: { months: 6 } }, Date.parse('2026-11-23T09:05:00Z'));
    expect(evaluate('now < addMonths(licence.validUntil, -3)', facts)).toBe(true);
    expect(evaluate('addMonths(now, change.months)', facts)).toBe('2027-05-23T09:05:00.000Z');
    expect(evaluate('jalali(quarterEnd(now))', facts)).toBe('1405/09/30');
  });
});
