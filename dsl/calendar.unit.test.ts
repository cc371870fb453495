import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeapJalaaliYear } from 'jalaali-js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CalendarError, durationToText, formatJalali, isWorkingDay, parseJalali, resolveDeadline,
  startOfDay, toJalali, validateDeadline, weekdayOf, workingDaysBetween, type Deadline, type HolidayCalendar,
} from './calendar.js';
import { loadHolidayCalendar } from './calendar-load.js';

/** Week of 1405/09/02 (Monday): Thursday 1405/09/05 is a holiday, Friday 09/06 is weekend. */
const cal: HolidayCalendar = {
  id: 'test',
  utcOffsetMinutes: 210,
  weekend: ['friday'],
  holidays: [{ date: '1405/09/05', title: { fa: 'تعطیل آزمایشی', en: 'Test holiday' } }],
};
const iran = loadHolidayCalendar();

const at = (text: string, c: HolidayCalendar = cal) => parseJalali(text, c);
const fmt = (ms: number, c: HolidayCalendar = cal) => formatJalali(ms, c, true);
const resolve = (spec: Deadline, from: string, c: HolidayCalendar = cal) => fmt(resolveDeadline(spec, at(from, c), c), c);

describe('Jalali conversion', () => {
  it('maps 1405/01/01 to local midnight of 2026-03-21 at UTC+03:30', () => {
    expect(at('1405/01/01')).toBe(Date.UTC(2026, 2, 20, 20, 30));
    expect(formatJalali(Date.UTC(2026, 2, 21, 12), cal)).toBe('1405/01/01');
  });

  it('knows 2026-11-23 is Monday 1405/09/02', () => {
    const ms = Date.UTC(2026, 10, 23, 12);
    expect(toJalali(ms, cal)).toEqual({ jy: 1405, jm: 9, jd: 2 });
    expect(weekdayOf(ms, cal)).toBe('monday');
  });

  it('uses local time, not UTC, near midnight', () => {
    // 2026-11-19 21:00 UTC is Friday 00:30 in Tehran (still Thursday in UTC).
    const ms = Date.UTC(2026, 10, 19, 21, 0);
    expect(weekdayOf(ms, cal)).toBe('friday');
    expect(fmt(ms)).toBe('1405/08/29 00:30');
  });

  it('parses Persian and Arabic-Indic digits and dash separators', () => {
    expect(at('۱۴۰۵/۰۹/۰۲ ۱۰:۳۰')).toBe(at('1405/09/02 10:30'));
    expect(at('١٤٠٥-٠٩-٠٢')).toBe(at('1405/09/02'));
    expect(at('1405-9-2')).toBe(at('1405/09/02'));
  });

  it('round-trips formatJalali and parseJalali over a year', () => {
    const start = at('1405/11/20 07:45');
    for (let ms = start; ms < start + 400 * 86_400_000; ms += 37 * 3_600_000 + 13 * 60_000) {
      expect(at(fmt(ms))).toBe(ms);
      expect(formatJalali(at(formatJalali(ms, cal)), cal)).toBe(formatJalali(ms, cal));
    }
  });

  it('rejects impossible and malformed dates with a CalendarError naming the value', () => {
    expect(isLeapJalaaliYear(1404)).toBe(false);
    expect(isLeapJalaaliYear(1403)).toBe(true);
    expect(at('1403/12/30')).toBe(at('1404/01/01') - 86_400_000);
    for (const bad of ['1405/13/01', '1404/12/30', '1405/07/31', '1405/01/01 24:00', '1405/1/1x', '']) {
      expect(() => at(bad)).toThrow(CalendarError);
      expect(() => at(bad)).toThrow(`"${bad}"`);
    }
  });
});

describe('working days', () => {
  it('treats weekend days and listed holidays as non-working', () => {
    expect(isWorkingDay(at('1405/09/04 12:00'), cal)).toBe(true);
    expect(isWorkingDay(at('1405/09/05 12:00'), cal)).toBe(false);
    expect(isWorkingDay(at('1405/09/06 12:00'), cal)).toBe(false);
    expect(isWorkingDay(at('1405/09/07 00:00'), cal)).toBe(true);
  });

  it('counts the working days to a due date, 0 on the day itself and negative when late, skipping the holiday and the Friday', () => {
    const monday = at('1405/09/03 09:00');
    expect(workingDaysBetween(monday, at('1405/09/03 23:00'), cal)).toBe(0);
    expect(workingDaysBetween(monday, at('1405/09/04 08:00'), cal)).toBe(1);
    // Thursday 09/05 (holiday) and Friday 09/06 (weekend) do not count: Saturday 09/07 is the second.
    expect(workingDaysBetween(monday, at('1405/09/07 08:00'), cal)).toBe(2);
    expect(workingDaysBetween(at('1405/09/07 10:00'), monday, cal)).toBe(-2);
  });

  it('finds the local midnight of a moment (Tehran time, not UTC)', () => {
    expect(startOfDay(at('1405/09/03 02:10'), cal)).toBe(at('1405/09/03 00:00'));
    expect(startOfDay(at('1405/09/03 23:59'), cal)).toBe(at('1405/09/03 00:00'));
  });
});

describe('resolveDeadline', () => {
  it('adds plain wall-clock hours regardless of holidays', () => {
    expect(resolve({ hours: 30 }, '1405/09/04 10:00')).toBe('1405/09/05 16:00');
  });

  it('adds calendar days at the same local time', () => {
    expect(resolve({ days: 10 }, '1405/09/02 10:00')).toBe('1405/09/12 10:00');
  });

  it('skips a Friday and a holiday when counting working days', () => {
    expect(resolve({ workingDays: 1 }, '1405/09/04 10:00')).toBe('1405/09/07 10:00');
    expect(resolve({ workingDays: 3 }, '1405/09/04 10:00')).toBe('1405/09/09 10:00');
  });

  it('starts counting working days after a non-working start day', () => {
    expect(resolve({ workingDays: 1 }, '1405/09/06 10:00')).toBe('1405/09/07 10:00');
    expect(resolve({ workingDays: 1 }, '1405/09/05 10:00')).toBe('1405/09/07 10:00');
  });

  it('runs 72 working hours from Wednesday 10:00 over a holiday Thursday and Friday to Monday 10:00', () => {
    expect(resolve({ workingHours: 72 }, '1405/09/04 10:00')).toBe('1405/09/09 10:00');
  });

  it('counts working hours only on working days, from midnight when started on a day off', () => {
    expect(resolve({ workingHours: 14 }, '1405/09/04 10:00')).toBe('1405/09/05 00:00');
    expect(resolve({ workingHours: 5 }, '1405/09/04 22:00')).toBe('1405/09/07 03:00');
    expect(resolve({ workingHours: 24 }, '1405/09/06 10:00')).toBe('1405/09/08 00:00');
  });

  it('adds Jalali months, clamping the day to the target month length', () => {
    expect(resolve({ months: 1 }, '1405/06/31 10:00')).toBe('1405/07/30 10:00');
    expect(resolve({ months: 1 }, '1405/11/30 08:15')).toBe('1405/12/29 08:15');
    expect(resolve({ months: 2 }, '1405/12/15 09:00')).toBe('1406/02/15 09:00');
    expect(resolve({ months: 12 }, '1403/12/30 09:00')).toBe('1404/12/29 09:00');
  });

  it('resolves a fixed date to local midnight or to the given time, ignoring the start', () => {
    expect(resolveDeadline({ date: '1405/12/29' }, 0, cal)).toBe(at('1405/12/29'));
    expect(resolve({ date: '۱۴۰۵/۱۲/۲۹ ۱۴:۳۰' }, '1405/09/02 10:00')).toBe('1405/12/29 14:30');
  });

  it('throws a CalendarError for an impossible fixed date', () => {
    expect(() => resolveDeadline({ date: '1405/13/01' }, 0, cal)).toThrow(CalendarError);
    expect(() => resolveDeadline({ date: '1404/12/30' }, 0, cal)).toThrow(/1404\/12\/30/);
  });

  it('throws a CalendarError for an invalid duration', () => {
    expect(() => resolveDeadline({ workingDays: 0 }, 0, cal)).toThrow(CalendarError);
    expect(() => resolveDeadline({ days: 1, hours: 2 } as unknown as Deadline, 0, cal)).toThrow(CalendarError);
  });

  it('crosses the year boundary over Oil Day and the Nowruz holidays on the Iran calendar', () => {
    // 1405/12/27 is a Thursday; 12/28 Friday, 12/29 holiday, 1406/01/01-04 Nowruz, 01/06 Friday.
    expect(weekdayOf(at('1405/12/27', iran), iran)).toBe('thursday');
    expect(resolve({ workingDays: 1 }, '1405/12/27 10:00', iran)).toBe('1406/01/05 10:00');
    expect(resolve({ workingDays: 2 }, '1405/12/27 10:00', iran)).toBe('1406/01/07 10:00');
    expect(resolve({ workingHours: 48 }, '1405/12/27 10:00', iran)).toBe('1406/01/07 10:00');
    expect(resolve({ months: 1 }, '1405/12/27 10:00', iran)).toBe('1406/01/27 10:00');
  });
});

describe('durationToText', () => {
  it('labels each spec kind in Persian (Persian digits) and English', () => {
    expect(durationToText({ workingDays: 3 })).toEqual({ fa: '۳ روز کاری', en: '3 working days' });
    expect(durationToText({ workingHours: 72 })).toEqual({ fa: '۷۲ ساعت کاری', en: '72 working hours' });
    expect(durationToText({ hours: 1 })).toEqual({ fa: '۱ ساعت', en: '1 hour' });
    expect(durationToText({ days: 10 })).toEqual({ fa: '۱۰ روز', en: '10 days' });
    expect(durationToText({ months: 2 })).toEqual({ fa: '۲ ماه', en: '2 months' });
    expect(durationToText({ date: '1405/12/29' })).toEqual({ fa: 'تا ۱۴۰۵/۱۲/۲۹', en: 'until 1405/12/29' });
    expect(durationToText({ date: '۱۴۰۵/۱/۵ ۰۹:۰۰' })).toEqual({ fa: 'تا ۱۴۰۵/۰۱/۰۵ ۰۹:۰۰', en: 'until 1405/01/05 09:00' });
  });
});

describe('validateDeadline', () => {
  it('accepts exactly one known key with a positive integer or a valid fixed date', () => {
    for (const ok of [{ hours: 1 }, { workingHours: 72 }, { days: 3 }, { workingDays: 5 }, { months: 1 }, { date: '1403/12/30 23:59' }]) {
      expect(validateDeadline(ok)).toBeNull();
    }
  });

  it('explains what is wrong with an invalid spec', () => {
    expect(validateDeadline(null)).toMatch(/object/);
    expect(validateDeadline([])).toMatch(/object/);
    expect(validateDeadline({})).toMatch(/exactly one key/);
    expect(validateDeadline({ days: 1, hours: 1 })).toMatch(/exactly one key/);
    expect(validateDeadline({ weeks: 1 })).toMatch(/unknown deadline key "weeks"/);
    expect(validateDeadline({ days: 0 })).toMatch(/"days" must be a positive integer/);
    expect(validateDeadline({ days: 1.5 })).toMatch(/positive integer/);
    expect(validateDeadline({ days: '3' })).toMatch(/positive integer/);
    expect(validateDeadline({ date: '1405/13/01' })).toMatch(/1405\/13\/01/);
    expect(validateDeadline({ date: '1404/12/30' })).toMatch(/valid Jalali date/);
    expect(validateDeadline({ date: 14051229 })).toMatch(/valid Jalali date/);
  });
});

describe('loadHolidayCalendar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calendar-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads the Iran calendar with Friday weekend and the fixed solar holidays of 1405 and 1406', () => {
    expect(iran.id).toBe('iran');
    expect(iran.utcOffsetMinutes).toBe(210);
    expect(iran.weekend).toEqual(['friday']);
    const dates = iran.holidays.map((h) => h.date);
    for (const y of ['1405', '1406']) {
      for (const md of ['01/01', '01/02', '01/03', '01/04', '01/12', '01/13', '03/14', '03/15', '11/22', '12/29']) {
        expect(dates).toContain(`${y}/${md}`);
      }
    }
    expect(isWorkingDay(at('1405/01/12', iran), iran)).toBe(false);
  });

  it('names the file and the entry when a holiday date does not exist', () => {
    const path = write('bad.yaml', [
      'id: x', 'utcOffsetMinutes: 210', 'weekend: [friday]', 'holidays:',
      "  - date: '1404/12/30'", '    title: { fa: الف, en: A }',
    ].join('\n'));
    expect(() => loadHolidayCalendar(path)).toThrow(path);
    expect(() => loadHolidayCalendar(path)).toThrow(/holidays\[0\] \("1404\/12\/30"\)/);
  });

  it('rejects an unknown weekday and a missing title', () => {
    const weekday = write('weekday.yaml', 'id: x\nutcOffsetMinutes: 210\nweekend: [fryday]\nholidays: []\n');
    expect(() => loadHolidayCalendar(weekday)).toThrow(/weekend\[0\]: unknown weekday "fryday"/);
    const title = write('title.yaml', "id: x\nutcOffsetMinutes: 210\nweekend: []\nholidays:\n  - date: '1405/01/01'\n");
    expect(() => loadHolidayCalendar(title)).toThrow(/holidays\[0\].*title/);
  });
});
