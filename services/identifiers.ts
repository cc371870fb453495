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

/**
 * True when an 11-digit Iranian legal person's national identifier (شناسه ملی اشخاص حقوقی) has a
 * valid check digit: each of the first ten digits plus (the tenth digit + 2), weighted 29, 27, 23,
 * 19, 17 in turn, summed modulo 11 (10 counts as 0), is the eleventh. Digits 4–9 are never all zero.
 * @example isValidLegalPersonId('10380284790') // true
 */
export function isValidLegalPersonId(id: string): boolean {
  if (!/^\d{11}$/.test(id) || /^\d{3}0{6}/.test(id)) return false;
  const digits = [...id].map(Number);
  const offset = digits[9]! + 2;
  const weights = [29, 27, 23, 19, 17];
  const sum = digits.slice(0, 10).reduce((acc, d, i) => acc + (d + offset) * weights[i % 5]!, 0) % 11;
  return digits[10] === (sum === 10 ? 0 : sum);
}
