/**
 * Loads a holiday calendar (YAML data, e.g. processes/calendar/iran.yaml) for
 * dsl/calendar.ts. Uses Node built-ins: call it outside workflow code and pass
 * the resulting plain object into workflows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { HolidayCalendar, Weekday } from './calendar.js';
import { parseJalaliParts } from '../platform/dates/jalali.js';

export const DEFAULT_CALENDAR_PATH = fileURLToPath(new URL('../processes/calendar/iran.yaml', import.meta.url));

const WEEKDAYS: readonly string[] = ['saturday', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Reads and validates a holiday calendar; throws an Error naming the file and the bad entry. */
export function loadHolidayCalendar(path: string = DEFAULT_CALENDAR_PATH): HolidayCalendar {
  const fail = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  let data: unknown;
  try {
    data = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail(`cannot read holiday calendar: ${(err as Error).message}`);
  }
  if (!isRecord(data)) return fail('holiday calendar must be a YAML mapping');
  const { id, utcOffsetMinutes, weekend, holidays } = data;
  if (!isText(id)) fail('"id" must be a non-empty string');
  if (typeof utcOffsetMinutes !== 'number' || !Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
    fail(`"utcOffsetMinutes" must be an integer number of minutes, got ${JSON.stringify(utcOffsetMinutes)}`);
  }
  if (!Array.isArray(weekend)) return fail('"weekend" must be a list of weekday names');
  weekend.forEach((day, i) => {
    if (typeof day !== 'string' || !WEEKDAYS.includes(day)) fail(`weekend[${i}]: unknown weekday ${JSON.stringify(day)}`);
  });
  if (new Set(weekend).size === 7) fail('"weekend" cannot contain every day of the week');
  if (!Array.isArray(holidays)) return fail('"holidays" must be a list');
  const checked = holidays.map((h: unknown, i) => {
    const where = `holidays[${i}] (${JSON.stringify(isRecord(h) ? h.date : h)})`;
    if (!isRecord(h)) return fail(`${where}: must be a mapping with "date" and "title"`);
    if (typeof h.date !== 'string' || !/^\d{4}\/\d{2}\/\d{2}$/.test(h.date) || !parseJalaliParts(h.date)) {
      return fail(`${where}: "date" must be an existing Jalali date 'YYYY/MM/DD'`);
    }
    const title = h.title;
    if (!isRecord(title) || !isText(title.fa) || !isText(title.en)) {
      return fail(`${where}: "title" must have non-empty "fa" and "en"`);
    }
    return { date: h.date, title: { fa: title.fa, en: title.en } };
  });
  return { id: id as string, utcOffsetMinutes: utcOffsetMinutes as number, weekend: weekend as Weekday[], holidays: checked };
}
