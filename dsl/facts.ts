/**
 * Facts derived at evaluation time (pure, replay-safe): the applicant's age on the day a rule
 * is checked, from the birth date the application states, and the day and moment it is checked.
 */
import { RECKONING, type Facts, type Reckoning } from './expressions.js';
import { tehranDay, yearsBetween } from '../platform/dates/time-functions.js';

/** The day in Tehran (`YYYY-MM-DD`) of a moment: the day a request is received on. */
export { tehranDay } from '../platform/dates/time-functions.js';
export type { Reckoning } from './expressions.js';

/**
 * Whole years between a `YYYY-MM-DD` birth date and a moment: Jalali years on the Tehran date, so
 * the birthday itself counts from 00:00 Tehran time (the UTC day is still the day before until
 * 03:30). `utc-gregorian` is the reckoning of applications started before 1405/09.
 * @example ageOn('2001-12-02', Date.parse('2026-12-01T21:00:00Z')) // 25: 00:30 on 1405/09/11 in Tehran
 */
export function ageOn(birthDate: string, atMs: number, reckoning: Reckoning = 'tehran-jalali'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  if (reckoning === 'tehran-jalali') return yearsBetween(birthDate, tehranDay(atMs));
  const at = new Date(atMs);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const beforeBirthday = at.getUTCMonth() + 1 < mo || (at.getUTCMonth() + 1 === mo && at.getUTCDate() < d);
  return at.getUTCFullYear() - y - (beforeBirthday ? 1 : 0);
}

/**
 * The facts an expression sees at `atMs`: the stored ones plus `applicant.age`, `today` (the
 * Tehran day, YYYY-MM-DD) and `now` (an ISO date-time). An application that reckons as before
 * 1405/09 (`utc-gregorian`) sees the UTC day and Gregorian months, as it did when it started.
 */
export function factsAt(facts: Facts, atMs: number, reckoning: Reckoning = 'tehran-jalali'): Facts {
  const now = new Date(atMs).toISOString();
  const today = reckoning === 'tehran-jalali' ? tehranDay(atMs) : now.slice(0, 10);
  const seen: Facts = { ...facts, today, now };
  if (reckoning !== 'tehran-jalali') (seen as { [RECKONING]?: Reckoning })[RECKONING] = reckoning;
  const applicant = facts.applicant as Record<string, unknown> | undefined;
  if (!applicant || typeof applicant.birthDate !== 'string') return seen;
  return { ...seen, applicant: { ...applicant, age: ageOn(applicant.birthDate, atMs, reckoning) } };
}
