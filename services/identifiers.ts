/**
 * Identifiers as people type them: Persian (۰–۹) and Arabic-Indic (٠–٩) digits become Latin,
 * Arabic ي/ك become Persian ی/ک; the national code's mod-11 check digit is verified.
 */
import { z } from 'zod';
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

/** A digit as people type it: Latin, Persian (۰–۹) or Arabic-Indic (٠–٩). */
const DIGIT = '[0-9\\u06F0-\\u06F9\\u0660-\\u0669]';
const digits = (n: number) => new RegExp(`^${DIGIT}{${n}}$`);

/**
 * Input schemas of identifiers and dates as typed: the pattern of what is accepted is checked
 * before normalising, so the OpenAPI document (which states that pattern, and the format of the
 * normalised value) says exactly what the server takes. A check digit cannot be a pattern: the
 * document names it as a format of its own (`ir-national-code`, `ir-legal-person-id`), described.
 */
export const typedInput = {
  nationalCode: () => z.string().regex(digits(10), 'ten digits').transform(normaliseText)
    .refine(isValidNationalCode, { message: 'the check digit is wrong' }).meta({ format: 'ir-national-code' }),
  legalPersonId: () => z.string().regex(digits(11), 'eleven digits').transform(normaliseText)
    .refine(isValidLegalPersonId, { message: 'the check digit is wrong' }).meta({ format: 'ir-legal-person-id' }),
  mobile: () => z.string().regex(new RegExp(`^[0\\u06F0\\u0660][9\\u06F9\\u0669]${DIGIT}{9}$`), '09 and nine digits').transform(normaliseText),
  /** A calendar day, ISO 8601 (YYYY-MM-DD). */
  date: () => z.string().regex(new RegExp(`^${DIGIT}{4}-${DIGIT}{2}-${DIGIT}{2}$`), 'YYYY-MM-DD').transform(normaliseText).pipe(z.iso.date()).meta({ format: 'date' }),
  /** An instant, ISO 8601 with `Z` or an offset. */
  moment: () => z.string().regex(new RegExp(`^${DIGIT}{4}-${DIGIT}{2}-${DIGIT}{2}T${DIGIT}{2}:${DIGIT}{2}(:${DIGIT}{2}(\\.${DIGIT}{1,9})?)?(Z|[+-]${DIGIT}{2}:${DIGIT}{2})$`), 'an ISO 8601 date and time with Z or an offset')
    .transform(normaliseText).pipe(z.iso.datetime({ offset: true })).meta({ format: 'date-time' }),
};
