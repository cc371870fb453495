/**
 * Iranian national code (کد ملی) rules: ten digits, the last one a check digit.
 */

const TEN_DIGITS = /^\d{10}$/;

/** Check digit for the first nine digits of a national code. */
export function checkDigit(firstNine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

/** True when `code` is ten digits, not all equal, with a correct check digit. */
export function isValidNationalCode(code: string): boolean {
  if (!TEN_DIGITS.test(code)) return false;
  if (/^(\d)\1{9}$/.test(code)) return false;
  return checkDigit(code.slice(0, 9)) === Number(code[9]);
}

/** 32-bit integer mix (splitmix-style) so nearby seeds give unrelated codes. */
function mix32(seed: number): number {
  let x = (seed | 0) + 0x9e3779b9;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A valid national code derived deterministically from `seed`, for load
 * tests that invent applicants. Codes in `avoid` (e.g. fixtures) are skipped.
 */
export function generateNationalCode(seed: number, avoid: ReadonlySet<string> = new Set()): string {
  for (let bump = 0; ; bump++) {
    const body = String(mix32(seed * 7919 + bump) % 1_000_000_000).padStart(9, '0');
    const code = body + String(checkDigit(body));
    if (isValidNationalCode(code) && !avoid.has(code)) return code;
  }
}
