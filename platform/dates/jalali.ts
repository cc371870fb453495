/**
 * Jalali (Solar Hijri) date helpers for the deadline calendar.
 * Pure and deterministic (safe inside Temporal workflows): no I/O, no clock.
 *
 * Dates are handled as "local day numbers": whole days since 1970-01-01 in
 * the calendar's local time, which keeps the arithmetic free of Date objects.
 */
import { d2j, isValidJalaaliDate, j2d, jalaaliMonthLength } from 'jalaali-js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Julian Day Number of 1970-01-01. */
const EPOCH_JDN = 2_440_588;

export interface JalaliDate {
  jy: number;
  jm: number;
  jd: number;
}

/** A parsed 'YYYY/MM/DD' or 'YYYY/MM/DD HH:mm'. */
export interface JalaliParts extends JalaliDate {
  hour: number;
  minute: number;
  /** Whether the text carried an explicit HH:mm. */
  hasTime: boolean;
}

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Replaces Persian (۰-۹) and Arabic-Indic (٠-٩) digits with Latin ones. */
export function toLatinDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (ch) => {
    const p = PERSIAN_DIGITS.indexOf(ch);
    return String(p >= 0 ? p : ARABIC_DIGITS.indexOf(ch));
  });
}

/** Replaces Latin digits with Persian ones (for Persian labels). */
export function toPersianDigits(text: string): string {
  return text.replace(/[0-9]/g, (ch) => PERSIAN_DIGITS[Number(ch)] ?? ch);
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** 'YYYY/MM/DD', zero-padded, Latin digits. */
export function formatJalaliDate({ jy, jm, jd }: JalaliDate): string {
  return `${String(jy).padStart(4, '0')}/${pad2(jm)}/${pad2(jd)}`;
}

export function monthLength(jy: number, jm: number): number {
  return jalaaliMonthLength(jy, jm);
}

const DATE_RE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?$/;

/**
 * Parses 'YYYY/MM/DD' or 'YYYY/MM/DD HH:mm' ('-' also accepted as date
 * separator, Persian/Arabic-Indic digits allowed). Returns null when the text
 * is malformed or names a date/time that does not exist.
 */
export function parseJalaliParts(text: string): JalaliParts | null {
  const m = DATE_RE.exec(toLatinDigits(text.trim()));
  if (!m) return null;
  const [jy, jm, jd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  if (!isValidJalaaliDate(jy, jm, jd) || hour > 23 || minute > 59) return null;
  return { jy, jm, jd, hour, minute, hasTime: m[4] !== undefined };
}

/** Local day number (days since 1970-01-01) of a Jalali date. */
export function jalaliToDayNumber(jy: number, jm: number, jd: number): number {
  return j2d(jy, jm, jd) - EPOCH_JDN;
}

/** Jalali date of a local day number. */
export function dayNumberToJalali(day: number): JalaliDate {
  const { jy, jm, jd } = d2j(day + EPOCH_JDN);
  return { jy, jm, jd };
}
