/**
 * Date arithmetic for expressions, on the Jalali calendar in Tehran time (UTC+03:30, no daylight
 * saving since 2022): the renewal window "3 months before expiry", the quarter a staff-insurance
 * filing is about. Pure and deterministic, so workflows evaluate it without an activity.
 *
 * A value is either a date, `YYYY-MM-DD` (a Tehran day), or an ISO date-time; each function gives
 * back the same form it was given.
 */
import { DAY_MS, dayNumberToJalali, formatJalaliDate, jalaliToDayNumber, monthLength } from './jalali.js';

const TEHRAN_OFFSET_MS = 210 * 60_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

interface LocalMoment {
  day: number;
  timeOfDay: number;
  dateOnly: boolean;
}

function toLocal(text: string): LocalMoment {
  const date = DATE_ONLY.exec(text);
  if (date) return { day: Math.floor(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) / DAY_MS), timeOfDay: 0, dateOnly: true };
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`"${text}" is neither a date (YYYY-MM-DD) nor an ISO date-time`);
  const local = ms + TEHRAN_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, timeOfDay: local - day * DAY_MS, dateOnly: false };
}

function fromLocal({ day, timeOfDay, dateOnly }: LocalMoment): string {
  if (dateOnly) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return new Date(day * DAY_MS + timeOfDay - TEHRAN_OFFSET_MS).toISOString();
}

/** The day number `months` Jalali months from `day`, the day of month clamped to the target month's length. */
function shiftMonths(day: number, months: number): number {
  const { jy, jm, jd } = dayNumberToJalali(day);
  const total = jm - 1 + Math.trunc(months);
  const ty = jy + Math.floor(total / 12);
  const tm = (((total % 12) + 12) % 12) + 1;
  return jalaliToDayNumber(ty, tm, Math.min(jd, monthLength(ty, tm)));
}

/**
 * Adds Jalali months (negative: back), the day clamped to the target month's length.
 * @example addMonths('2031-11-23T09:05:00.000Z', -3) // 1410/09/02 → 1410/06/02, same time of day
 * @example addMonths('2026-09-22', 1) // 1405/06/31 → 1405/07/30 ('2026-10-22')
 */
export function addMonths(text: string, months: number): string {
  const at = toLocal(text);
  return fromLocal({ ...at, day: shiftMonths(at.day, months) });
}

/**
 * Whole Jalali months from one Tehran day to another (negative when backwards), the count that
 * agrees with `addMonths`: the most `n` with `addMonths(from, n)` not after `to`. Only the Tehran
 * calendar date counts, not the time of day; a date-time is taken on its Tehran day.
 * @example monthsBetween('2026-09-23', '2026-12-22') // 1405/07/01 → 1405/10/01: 3
 * @example monthsBetween('2026-09-23', '2026-12-21') // 1405/07/01 → 1405/09/30: 2
 * @example monthsBetween('2026-09-22', '2026-10-22') // 1405/06/31 → 1405/07/30: 1 (clamped, as addMonths)
 */
export function monthsBetween(from: string, to: string): number {
  const [a, b] = [toLocal(from).day, toLocal(to).day];
  const [ja, jb] = [dayNumberToJalali(a), dayNumberToJalali(b)];
  const months = (jb.jy - ja.jy) * 12 + (jb.jm - ja.jm);
  if (b >= a) return shiftMonths(a, months) > b ? months - 1 : months;
  return shiftMonths(a, months) < b ? months + 1 : months;
}

/** Whole Jalali years between two Tehran days: `monthsBetween` / 12, rounded down. @example yearsBetween('2001-12-02', '2026-12-02') // 25 */
export function yearsBetween(from: string, to: string): number {
  return Math.floor(monthsBetween(from, to) / 12);
}

/** The Tehran day (`YYYY-MM-DD`) of a moment. @example tehranDay(Date.parse('2026-03-20T21:00:00Z')) // '2026-03-21' */
export function tehranDay(atMs: number): string {
  return fromLocal({ ...toLocal(new Date(atMs).toISOString()), timeOfDay: 0, dateOnly: true });
}

/** Adds calendar days (negative: back). @example addDays('2027-01-20', 30) // '2027-02-19' */
export function addDays(text: string, days: number): string {
  const at = toLocal(text);
  return fromLocal({ ...at, day: at.day + Math.trunc(days) });
}

/**
 * The last day (`YYYY-MM-DD`, a Tehran day) of the Jalali quarter the moment falls in: the quarters
 * end with Khordad, Shahrivar, Azar and Esfand.
 * @example quarterEnd('2026-11-23') // '2026-12-21', the last day of Azar 1405
 */
export function quarterEnd(text: string): string {
  const { jy, jm } = dayNumberToJalali(toLocal(text).day);
  const lastMonth = Math.ceil(jm / 3) * 3;
  return fromLocal({ day: jalaliToDayNumber(jy, lastMonth, monthLength(jy, lastMonth)), timeOfDay: 0, dateOnly: true });
}

/** The Jalali date `YYYY/MM/DD` of a moment in Tehran. @example jalali('2026-11-23') // '1405/09/02' */
export function jalali(text: string): string {
  return formatJalaliDate(dayNumberToJalali(toLocal(text).day));
}
