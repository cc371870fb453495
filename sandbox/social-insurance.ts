/**
 * Social insurance (تامین اجتماعی): whether a person is on an employer's
 * insured staff list, and up to when the employer has paid that staff's
 * premiums. The organisation files by Jalali months, so quarters are Jalali
 * seasons in Tehran time (ending with Khordad, Shahrivar, Azar and Esfand),
 * counted back from the sandbox clock with the DSL's own `quarterEnd`, so the
 * registry and the licence processes agree on where a quarter ends.
 */
import { addMonths, quarterEnd } from '../platform/dates/time-functions.js';

/** What the social insurance registry holds about a person's workshop (کارگاه). */
export interface SocialInsuranceProfile {
  insured: boolean;
  /** Ten-digit workshop code of the employer. */
  workshopCode: string;
  /** Staff the workshop currently insures. */
  insuredStaff: number;
  /** Completed quarters the employer has not paid for; 0 means paid through the last completed quarter. */
  quartersInArrears: number;
}

/** Answer of the social insurance registry for a known person (a type, so it fits `Record<string, unknown>`). */
export type SocialInsuranceAnswer = {
  nationalCode: string;
  found: true;
  insured: boolean;
  workshopCode: string;
  insuredStaff: number;
  paidThrough: string;
};

/** Profile of a paid-up insured person. @example insuredAt('1410020011', 7) */
export function insuredAt(workshopCode: string, insuredStaff: number, quartersInArrears = 0): SocialInsuranceProfile {
  return { insured: true, workshopCode, insuredStaff, quartersInArrears };
}

/**
 * Last day (YYYY-MM-DD, a Tehran day) of the latest Jalali quarter paid for: the
 * last completed quarter at `nowMs`, moved back by `quartersInArrears`.
 * @example paidThrough(Date.UTC(2026, 4, 10), 0) // '2026-03-20', the last day of Esfand 1404
 */
export function paidThrough(nowMs: number, quartersInArrears: number): string {
  let lastDay = quarterEnd(new Date(nowMs).toISOString());
  // Three Jalali months back from a quarter's last day lands inside the quarter before.
  for (let back = 0; back <= quartersInArrears; back++) lastDay = quarterEnd(addMonths(lastDay, -3));
  return lastDay;
}

/** The registry's answer for `nationalCode` with `profile` at sandbox time `nowMs`. */
export function socialInsuranceAnswer(nationalCode: string, profile: SocialInsuranceProfile, nowMs: number): SocialInsuranceAnswer {
  return {
    nationalCode,
    found: true,
    insured: profile.insured,
    workshopCode: profile.workshopCode,
    insuredStaff: profile.insuredStaff,
    paidThrough: paidThrough(nowMs, profile.quartersInArrears),
  };
}
