/**
 * Identifiers as people type them: Persian (۰–۹) and Arabic-Indic (٠–٩) digits become Latin,
 * Arabic ي/ك become Persian ی/ک; the national code's mod-11 check digit is verified.
 */
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';

/** Normalises digits and the Arabic forms of Persian letters; trims and removes zero-width joiners' neighbours' spaces. */
export function normaliseText(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(PERSIAN.indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String(ARABIC.indexOf(d)))
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .trim();
}

/**
 * True when a 10-digit Iranian national code has a valid check digit.
 * @example isValidNationalCode('0012345679') // true
 */
export function isValidNationalCode(code: string): boolean {
  if (!/^\d{10}$/.test(code) || /^(\d)\1{9}$/.test(code)) return false;
  const digits = [...code].map(Number);
  const sum = digits.slice(0, 9).reduce((acc, d, i) => acc + d * (10 - i), 0);
  const remainder = sum % 11;
  const check = digits[9]!;
  return remainder < 2 ? check === remainder : check === 11 - remainder;
}
