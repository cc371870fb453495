/**
 * Comparing a person's name as an application states it with the civil registry's record. The
 * same Persian name is typed in many ways: Arabic ي/ى/ك for Persian ی/ک, a compound name joined,
 * spaced or with a zero-width non-joiner (محمدرضا, محمد رضا, محمد‌رضا), optional diacritics and
 * kashida, presentation forms from old systems. None of these makes it another name; a different
 * letter does. Pure and deterministic, so workflows evaluate it without an activity.
 */

/** Arabic diacritics (fathatan … sukun, superscript alef) and the kashida (tatweel): never part of the spelling. */
const MARKS = /[\u064B-\u065F\u0670\u0640]/g;
/** Invisible format characters (ZWNJ, ZWJ, direction marks, BOM…) and white space of any kind. */
const SEPARATORS = /[\p{Cf}\s]/gu;

/**
 * The form two spellings of one name share: compatibility-normalised (NFKC), Arabic yeh and kaf
 * as Persian, without diacritics, kashida, invisible characters or spaces.
 * @example personNameKey(' محمد‌رضا  كريمي ') === personNameKey('محمدرضا کریمی') // true
 */
export function personNameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u064A\u0649]/g, '\u06CC')
    .replace(/\u0643/g, '\u06A9')
    .replace(MARKS, '')
    .replace(SEPARATORS, '');
}

/**
 * True when two spellings are the same name (see `personNameKey`); an empty name matches nothing.
 * @example sameName('علي', 'علی') // true
 */
export function sameName(a: string, b: string): boolean {
  const key = personNameKey(a);
  return key.length > 0 && key === personNameKey(b);
}
