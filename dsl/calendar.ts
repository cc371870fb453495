/**
 * Deadline calendar: turns a deadline ("3 working days", "the date
 * 1405/12/29", ...) into an epoch-ms moment on an Iranian holiday calendar.
 *
 * Pure and deterministic (bundled into Temporal workflows): no I/O, no clock,
 * no randomness. Times are epoch milliseconds; local wall-clock time is
 * obtained by shifting by the calendar's fixed UTC offset (Iran: +03:30, no
 * DST since 2022), so a "day" is always 24 h.
 */
import {
  DAY_MS, HOUR_MS, MINUTE_MS, dayNumberToJalali, formatJalaliDate, jalaliToDayNumber,
  monthLength, pad2, parseJalaliParts, toPersianDigits, type JalaliDate, type JalaliParts,
} from '../platform/dates/jalali.js';
import type { Deadline } from './primitives.js';

export type Weekday = 'saturday' | 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday';

export interface HolidayCalendar {
  id: string;
  utcOffsetMinutes: number;
  weekend: Weekday[];
  holidays: { date: string /* Jalali 'YYYY/MM/DD' */; title: { fa: string; en: string } }[];
}

/** A deadline as the language writes it (`dsl/primitives.ts`): a duration, or a fixed Jalali `date`. */
export type { Deadline, Duration } from './primitives.js';

export class CalendarError extends Error {
  override name = 'CalendarError';
}

/** Index 0 = Sunday, as Date#getUTCDay. */
const WEEKDAYS: readonly Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DURATION_KEYS = ['hours', 'workingHours', 'days', 'workingDays', 'months'] as const;
type DurationKey = (typeof DURATION_KEYS)[number];
/** Longest run of non-working days tolerated before giving up (guards bad calendars). */
const MAX_NON_WORKING_RUN = 400;

const offsetMs = (cal: HolidayCalendar): number => cal.utcOffsetMinutes * MINUTE_MS;
/** Local day number (days since 1970-01-01 local) and ms since local midnight. */
function localDay(ms: number, cal: HolidayCalendar): { day: number; timeOfDay: number } {
  if (!Number.isFinite(ms)) throw new CalendarError(`invalid time ${ms} (expected epoch milliseconds)`);
  const local = ms + offsetMs(cal);
  const day = Math.floor(local / DAY_MS);
  return { day, timeOfDay: local - day * DAY_MS };
}
const dayStartMs = (day: number, cal: HolidayCalendar): number => day * DAY_MS - offsetMs(cal);

const holidayCache = new WeakMap<HolidayCalendar, Set<number>>();
function holidayDays(cal: HolidayCalendar): Set<number> {
  let set = holidayCache.get(cal);
  if (!set) {
    set = new Set();
    for (const h of cal.holidays) {
      const p = parseJalaliParts(h.date);
      if (!p) throw new CalendarError(`calendar "${cal.id}": invalid holiday date "${h.date}"`);
      set.add(jalaliToDayNumber(p.jy, p.jm, p.jd));
    }
    holidayCache.set(cal, set);
  }
  return set;
}

/** 1970-01-01 (day 0) was a Thursday. */
const weekdayOfDay = (day: number): Weekday => WEEKDAYS[(((day + 4) % 7) + 7) % 7] as Weekday;

function isWorkingDayNumber(day: number, cal: HolidayCalendar): boolean {
  return !cal.weekend.includes(weekdayOfDay(day)) && !holidayDays(cal).has(day);
}

/** Next working day strictly after `day`. */
function nextWorkingDay(day: number, cal: HolidayCalendar): number {
  for (let d = day + 1; d <= day + MAX_NON_WORKING_RUN; d++) if (isWorkingDayNumber(d, cal)) return d;
  throw new CalendarError(`calendar "${cal.id}" has no working day within ${MAX_NON_WORKING_RUN} days`);
}

/** Weekday of the moment in calendar-local time. */
export function weekdayOf(ms: number, cal: HolidayCalendar): Weekday {
  return weekdayOfDay(localDay(ms, cal).day);
}

/** True when the local day of `ms` is neither a weekend day nor a listed holiday. */
export function isWorkingDay(ms: number, cal: HolidayCalendar): boolean {
  return isWorkingDayNumber(localDay(ms, cal).day, cal);
}

/** The start (local midnight) of the calendar-local day `ms` falls in. */
export function startOfDay(ms: number, cal: HolidayCalendar): number {
  return dayStartMs(localDay(ms, cal).day, cal);
}

/**
 * Working days from the local day of `fromMs` to that of `toMs`: 0 on the same day, the working
 * days after `fromMs`'s day up to and including `toMs`'s when it is later, and minus those after
 * `toMs`'s day up to and including `fromMs`'s when it is earlier (how late a deadline is).
 */
export function workingDaysBetween(fromMs: number, toMs: number, cal: HolidayCalendar): number {
  const from = localDay(fromMs, cal).day;
  const to = localDay(toMs, cal).day;
  const [low, high, sign] = to >= from ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let d = low + 1; d <= high; d++) if (isWorkingDayNumber(d, cal)) count++;
  return sign * count;
}

export function toJalali(ms: number, cal: HolidayCalendar): JalaliDate {
  return dayNumberToJalali(localDay(ms, cal).day);
}

/** 'YYYY/MM/DD' (zero-padded, Latin digits), or 'YYYY/MM/DD HH:mm' with `withTime`. */
export function formatJalali(ms: number, cal: HolidayCalendar, withTime = false): string {
  const { day, timeOfDay } = localDay(ms, cal);
  const date = formatJalaliDate(dayNumberToJalali(day));
  if (!withTime) return date;
  const minutes = Math.floor(timeOfDay / MINUTE_MS);
  return `${date} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Local 'YYYY/MM/DD[ HH:mm]' to epoch ms; accepts Persian/Arabic digits and '-'. Throws CalendarError. */
export function parseJalali(text: string, cal: HolidayCalendar): number {
  const p = parseJalaliParts(text);
  if (!p) throw new CalendarError(`invalid Jalali date "${text}" (expected YYYY/MM/DD or YYYY/MM/DD HH:mm)`);
  return dayStartMs(jalaliToDayNumber(p.jy, p.jm, p.jd), cal) + p.hour * HOUR_MS + p.minute * MINUTE_MS;
}

/** English error message for an invalid deadline spec, or null when valid. */
export function validateDeadline(value: unknown): string | null {
  const expected = `one of ${[...DURATION_KEYS, 'date'].join(', ')}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `deadline must be an object with exactly ${expected}`;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) return `deadline must have exactly one key (${expected}), got ${keys.length}: ${keys.join(', ')}`;
  const key = keys[0] as string;
  const v = (value as Record<string, unknown>)[key];
  if (key === 'date') {
    if (typeof v !== 'string' || !parseJalaliParts(v)) {
      return `deadline "date" must be a valid Jalali date YYYY/MM/DD or YYYY/MM/DD HH:mm, got ${JSON.stringify(v)}`;
    }
    return null;
  }
  if (!(DURATION_KEYS as readonly string[]).includes(key)) return `unknown deadline key "${key}" (expected ${expected})`;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    return `deadline "${key}" must be a positive integer, got ${JSON.stringify(v)}`;
  }
  return null;
}

function checkedSpec(spec: Deadline): [DurationKey, number] | ['date', string] {
  const error = validateDeadline(spec);
  if (error) throw new CalendarError(error);
  const [entry] = Object.entries(spec) as [DurationKey | 'date', number | string][];
  return entry as [DurationKey, number] | ['date', string];
}

/**
 * Deadline moment (epoch ms) of `spec` counted from `fromMs`:
 * - hours: plain wall-clock hours.
 * - days: calendar days, same local time of day.
 * - workingDays: same local time of day on the Nth working day after the start
 *   day (the start day itself never counts, even when it is a non-working day).
 * - workingHours: hours that only run on working days (each counts 24 h;
 *   non-working days are skipped whole). "Answer within 72 hours".
 * - months: Jalali months, same local time; the day clamps to the target
 *   month's length (1405/06/31 + 1 month = 1405/07/30).
 * - date: that Jalali date at 00:00 local (or the given HH:mm); ignores fromMs.
 */
export function resolveDeadline(spec: Deadline, fromMs: number, cal: HolidayCalendar): number {
  const [kind, n] = checkedSpec(spec);
  if (kind === 'date') return parseJalali(n, cal);
  const { day, timeOfDay } = localDay(fromMs, cal);
  switch (kind) {
    case 'hours':
      return fromMs + n * HOUR_MS;
    case 'days':
      return fromMs + n * DAY_MS;
    case 'workingDays': {
      let d = day;
      for (let i = 0; i < n; i++) d = nextWorkingDay(d, cal);
      return dayStartMs(d, cal) + timeOfDay;
    }
    case 'workingHours': {
      let remaining = n * HOUR_MS;
      let d = day;
      let cursor = timeOfDay; // ms into local day d
      if (!isWorkingDayNumber(d, cal)) [d, cursor] = [nextWorkingDay(d, cal), 0];
      while (remaining > DAY_MS - cursor) {
        remaining -= DAY_MS - cursor;
        [d, cursor] = [nextWorkingDay(d, cal), 0];
      }
      return dayStartMs(d, cal) + cursor + remaining;
    }
    case 'months': {
      const { jy, jm, jd } = dayNumberToJalali(day);
      const total = jm - 1 + n;
      const ty = jy + Math.floor(total / 12);
      const tm = (total % 12) + 1;
      const target = jalaliToDayNumber(ty, tm, Math.min(jd, monthLength(ty, tm)));
      return dayStartMs(target, cal) + timeOfDay;
    }
  }
}

const UNITS: Record<DurationKey, { fa: string; en: [string, string] }> = {
  hours: { fa: 'ساعت', en: ['hour', 'hours'] },
  workingHours: { fa: 'ساعت کاری', en: ['working hour', 'working hours'] },
  days: { fa: 'روز', en: ['day', 'days'] },
  workingDays: { fa: 'روز کاری', en: ['working day', 'working days'] },
  months: { fa: 'ماه', en: ['month', 'months'] },
};

/** Human label, e.g. { workingDays: 3 } → { fa: '۳ روز کاری', en: '3 working days' }. */
export function durationToText(spec: Deadline): { fa: string; en: string } {
  const [kind, n] = checkedSpec(spec);
  if (kind === 'date') {
    const p = parseJalaliParts(n) as JalaliParts; // validated above
    const time = p.hasTime ? ` ${pad2(p.hour)}:${pad2(p.minute)}` : '';
    const text = formatJalaliDate(p) + time;
    return { fa: `تا ${toPersianDigits(text)}`, en: `until ${text}` };
  }
  const unit = UNITS[kind];
  return { fa: `${toPersianDigits(String(n))} ${unit.fa}`, en: `${n} ${unit.en[n === 1 ? 0 : 1]}` };
}
