/**
 * Facts derived at evaluation time (pure, replay-safe): the applicant's age on the day a rule
 * is checked, from the birth date the application states.
 */
import type { Facts } from './expressions.js';

/** The day in Tehran (`YYYY-MM-DD`) of a moment: the day a request is received on. */
export { tehranDay } from '../platform/dates/time-functions.js';

/** Whole years between a `YYYY-MM-DD` birth date and a moment (UTC day). */
export function ageOn(birthDate: string, atMs: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return undefined;
  const at = new Date(atMs);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const beforeBirthday = at.getUTCMonth() + 1 < mo || (at.getUTCMonth() + 1 === mo && at.getUTCDate() < d);
  return at.getUTCFullYear() - y - (beforeBirthday ? 1 : 0);
}

/**
 * The facts an expression sees at `atMs`: the stored ones plus `applicant.age`, `today`
 * (YYYY-MM-DD, UTC) and `now` (an ISO date-time).
 */
export function factsAt(facts: Facts, atMs: number): Facts {
  const now = new Date(atMs).toISOString();
  const today = now.slice(0, 10);
  const applicant = facts.applicant as Record<string, unknown> | undefined;
  if (!applicant || typeof applicant.birthDate !== 'string') return { ...facts, today, now };
  return { ...facts, today, now, applicant: { ...applicant, age: ageOn(applicant.birthDate, atMs) } };
}
