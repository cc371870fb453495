/**
 * Bearer tokens from the harness's development issuer, for the callers a test acts as, by the
 * name tests give them.
 * @example const tokens = await tokensFor(h, ['portal', 'ahvaz', 'dezful']);
 */
import type { Harness } from './harness.js';

/** The callers tests act as: a role, and for an office its county or province. */
export const CALLERS = {
  portal: { role: 'portal' },
  integrator: { role: 'integrator' },
  examOrganiser: { role: 'exam-organiser' },
  national: { role: 'national-office' },
  ahvaz: { role: 'county-office', county: 'ahvaz' },
  dezful: { role: 'county-office', county: 'dezful' },
  arak: { role: 'county-office', county: 'arak' },
  khuzestan: { role: 'province-office', province: 'khuzestan' },
  markazi: { role: 'province-office', province: 'markazi' },
} as const;

export type Caller = keyof typeof CALLERS;

/**
 * One caller's token; `sub` names one officer of an office, where a test needs two.
 * @example const officerA = await tokenFor(h, 'ahvaz', { sub: 'officer-a' });
 */
export function tokenFor(h: Harness, caller: Caller, opts: { sub?: string } = {}): Promise<string> {
  return h.issuer.mint({ ...CALLERS[caller], ...opts });
}

/** Tokens of several callers, keyed by their names. */
export async function tokensFor<C extends Caller>(h: Harness, callers: readonly C[]): Promise<Record<C, string>> {
  const minted = await Promise.all(callers.map(async (caller) => [caller, await tokenFor(h, caller)] as const));
  return Object.fromEntries(minted) as Record<C, string>;
}

/** The callers a welfare-centre application passes: the portal submits, Ahvaz county and Khuzestan province decide. */
export type OfficeTokens = Record<'portal' | 'ahvaz' | 'khuzestan', string>;

/** Tokens of the portal, Ahvaz county office and Khuzestan province office. */
export function officeTokens(h: Harness): Promise<OfficeTokens> {
  return tokensFor(h, ['portal', 'ahvaz', 'khuzestan']);
}
