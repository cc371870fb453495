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

/**
 * Adds Jalali months (negative: back), the day clamped to the target month's length.
 * @example addMonths('2031-11-23T09:05:00.000Z', -3) // 1410/09/02 → 1410/06/02, same time of day
 */
export function addMonths(text: string, months: number): string {
  const at = toLocal(text);
  const { jy, jm, jd } = dayNumberToJalali(at.day);
  const total = jm - 1 + Math.trunc(months);
  const ty = jy + Math.floor(total / 12);
  const tm = (((total % 12) + 12) % 12) + 1;
  return fromLocal({ ...at, day: jalaliToDayNumber(ty, tm, Math.min(jd, monthLength(ty, tm))) });
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
