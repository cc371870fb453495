/**
 * Social insurance (تامین اجتماعی): whether a person is on an employer's
 * insured staff list, and up to when the employer has paid that staff's
 * premiums. Quarters are calendar quarters in UTC (ending 31 Mar, 30 Jun,
 * 30 Sep and 31 Dec), counted back from the sandbox clock.
 */

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
 * Last day (YYYY-MM-DD) of the latest quarter paid for: the last completed
 * quarter at `nowMs`, moved back by `quartersInArrears`.
 * @example paidThrough(Date.UTC(2026, 4, 10), 0) // '2026-03-31'
 */
export function paidThrough(nowMs: number, quartersInArrears: number): string {
  const now = new Date(nowMs);
  const currentQuarter = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3);
  const paidQuarter = currentQuarter - 1 - quartersInArrears;
  const year = Math.floor(paidQuarter / 4);
  const firstMonthOfNext = (paidQuarter % 4) * 3 + 3;
  // Day 0 of the month after the quarter is the quarter's last day.
  return new Date(Date.UTC(year, firstMonthOfNext, 0)).toISOString().slice(0, 10);
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
