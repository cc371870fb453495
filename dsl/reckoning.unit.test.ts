import { describe, expect, it } from 'vitest';
import { parseJalali, resolveDeadline, formatJalali, type HolidayCalendar } from './calendar.js';
import { evaluate } from './expressions.js';
import { ageOn, factsAt } from './facts.js';
import { addDays, addMonths, jalali } from '../platform/dates/time-functions.js';

const tehran: HolidayCalendar = { id: 'test', utcOffsetMinutes: 210, weekend: ['friday'], holidays: [] };
const months = (from: string, to: string) => evaluate(`monthsBetween("${from}", "${to}")`, factsAt({}, Date.parse('2026-12-01T09:00:00Z')));

// Issue 12, contradiction 6: every month count is Jalali months on the Tehran date, one rule
// everywhere (seed 002, Art. 8(11): closure needs "at least 3 months" of notice).
describe('months are Jalali months on the Tehran date (seed 002, Art. 8(11)) §welfare.closure.notice', () => {
  it('counts the same Jalali day three months later as 3 months, and a day less as 2', () => {
    // 1405/07/01 → 1405/10/01; in Gregorian months that is 23 September → 22 December: 2.
    expect([jalali('2026-09-23'), jalali('2026-12-22')]).toEqual(['1405/07/01', '1405/10/01']);
    expect(months('2026-09-23', '2026-12-22')).toBe(3);
    expect(months('2026-09-23', '2026-12-21')).toBe(2);
    // Backwards, the same count negated.
    expect(months('2026-12-22', '2026-09-23')).toBe(-3);
    expect(months('2026-12-21', '2026-09-23')).toBe(-2);
  });

  it('agrees with addMonths on every day of a year, the end-of-month clamping included (1405/06/31 + 1 month = 1405/07/30)', () => {
    expect(jalali(addMonths('2026-09-22', 1))).toBe('1405/07/30');
    expect(months('2026-09-22', '2026-10-22')).toBe(1);
    expect(months('2026-09-22', '2026-10-21')).toBe(0);
    for (let day = '2026-03-21'; day < '2027-03-21'; day = addDays(day, 1)) {
      for (const n of [1, 3, 12, 60]) {
        const later = addMonths(day, n);
        expect(months(day, later), `${jalali(day)} + ${n}`).toBe(n);
        expect(months(day, addDays(later, -1)), `${jalali(day)} + ${n} - 1 day`).toBe(n - 1);
      }
    }
  });

  it('counts a date-time on its Tehran day, whatever its time of day', () => {
    // 00:30 on 1405/10/01 in Tehran is still 21 December in UTC.
    expect(months('2026-09-23', '2026-12-21T21:00:00.000Z')).toBe(3);
    expect(months('2026-09-23', '2026-12-21T20:29:00.000Z')).toBe(2);
  });

  it('gives a licence of { months: 60 } exactly 60 Jalali months at issue, as monthsBetween counts them', () => {
    const issuedAt = parseJalali('1405/06/31 10:00', tehran);
    const validUntil = resolveDeadline({ months: 60 }, issuedAt, tehran);
    expect(formatJalali(validUntil, tehran, true)).toBe('1410/06/31 10:00');
    expect(months(new Date(issuedAt).toISOString(), new Date(validUntil).toISOString())).toBe(60);
    // A renewal counts from the current expiry: 1405/06/31 + 1 month clamps to 1405/07/30.
    expect(formatJalali(resolveDeadline({ months: 1 }, issuedAt, tehran), tehran)).toBe(jalali(addMonths(new Date(issuedAt).toISOString(), 1)));
  });
});

// Issue 12: "Age is reckoned on the Tehran calendar date, and the 25th birthday itself passes"
// (seed 002, Art. 4: the holder is at least 25).
describe('age is reckoned on the Tehran calendar date (seed 002, Art. 4) §welfare.holder.age', () => {
  const born = { applicant: { birthDate: '2001-12-02' }, civil: { birthDate: '2001-12-02' } };
  // 1405/09/11 (2 December 2026) in Tehran starts at 20:30 UTC on 1 December.
  const birthdayJustBegun = Date.parse('2026-12-01T21:00:00Z');
  const eveOfBirthday = Date.parse('2026-12-01T20:29:00Z');

  it('passes the 25th birthday from 00:00 Tehran time, while the UTC day is still the day before', () => {
    const facts = factsAt(born, birthdayJustBegun);
    expect(facts.today).toBe('2026-12-02');
    expect(evaluate('yearsBetween(civil.birthDate, today) >= 25', facts)).toBe(true);
    expect(evaluate('applicant.age', facts)).toBe(25);
    expect(ageOn('2001-12-02', birthdayJustBegun)).toBe(25);
  });

  it('refuses the evening before the birthday, Tehran time', () => {
    const facts = factsAt(born, eveOfBirthday);
    expect(facts.today).toBe('2026-12-01');
    expect(evaluate('yearsBetween(civil.birthDate, today)', facts)).toBe(24);
    expect(evaluate('applicant.age', facts)).toBe(24);
  });

  it('keeps the UTC day and Gregorian months for an application started before 1405/09 (its history replays as it ran)', () => {
    const facts = factsAt(born, birthdayJustBegun, 'utc-gregorian');
    expect(facts.today).toBe('2026-12-01');
    expect(evaluate('yearsBetween(civil.birthDate, today)', facts)).toBe(24);
    expect(evaluate('applicant.age', facts)).toBe(24);
    expect(evaluate('monthsBetween("2026-09-23", "2026-12-22")', facts)).toBe(2);
    expect(evaluate('monthsBetween("2026-09-23", "2026-12-22")', factsAt(born, birthdayJustBegun))).toBe(3);
  });
});
