/**
 * Free text as people send it: names, reasons, grounds, file names. Control characters are
 * refused, naming the field, before the text is stored anywhere: PostgreSQL cannot store U+0000
 * at all (the request failed with a 500), and the others are never typed by a person but can
 * rewrite a log line or a terminal. C1 (U+0080–U+009F) counts too: no keyboard types it, and
 * U+009B is a terminal's CSI. Unicode's `Cc` class is exactly U+0000–U+001F and U+007F–U+009F.
 * Format characters (ZWNJ, which Persian spelling needs) are kept.
 */
import { z } from 'zod';
import { normaliseText } from './identifiers.js';

// Spelled as ranges, not `\P{Cc}`: the same characters, in a pattern every JSON Schema tool reads
// (the OpenAPI document carries it, and schemathesis cannot build values for `\P{…}`).
const NO_CONTROLS = /^[^\u0000-\u001F\u007F-\u009F]*$/u;
/** A paragraph (a reason, the grounds of a suspension) may keep its tabs and line breaks. */
const NO_CONTROLS_BUT_LINE_BREAKS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/u;

/**
 * One line of text: a name, a legal basis, a file name, an id in a path.
 *
 * @example
 * const firstName = lineOfText().transform(normaliseText).pipe(z.string().min(1).max(200));
 */
export const lineOfText = () => z.string().regex(NO_CONTROLS, 'control characters (U+0000–U+001F, U+007F–U+009F) and line breaks are not allowed');

/**
 * A paragraph: tabs and line breaks allowed, no other control character.
 *
 * @example
 * const reason = paragraphText().max(2000).optional();
 */
export const paragraphText = () => z.string().regex(NO_CONTROLS_BUT_LINE_BREAKS, 'control characters (U+0000–U+001F but tab and line breaks, U+007F–U+009F) are not allowed');

// What `String.prototype.trim` (and so `normaliseText`) takes off the ends, spelled out rather than
// `\s`, which JavaScript and other engines (the tools integrators run the OpenAPI document through)
// read differently.
const LINE_SPACES = ' \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
const LINE_CHAR = '[^\\u0000-\\u001F\\u007F-\\u009F]';
const LINE_TEXT_CHAR = `[^${LINE_SPACES}\\u0000-\\u001F\\u007F-\\u009F]`;
const PARAGRAPH_CHAR = '[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]';
const PARAGRAPH_TEXT_CHAR = `[^${LINE_SPACES}\\t\\n\\r\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]`;

/**
 * The pattern of text that holds at least `min` characters once its ends are trimmed: what the
 * server checks before it normalises, and what the OpenAPI document states, so the two cannot
 * disagree (a name of one space was allowed by the document and refused by the server).
 */
export function textPattern({ paragraph, min }: { paragraph: boolean; min: number }): RegExp {
  const any = paragraph ? PARAGRAPH_CHAR : LINE_CHAR;
  const text = paragraph ? PARAGRAPH_TEXT_CHAR : LINE_TEXT_CHAR;
  if (min <= 0) return new RegExp(`^${any}*$`, 'u');
  if (min === 1) return new RegExp(`^${any}*${text}${any}*$`, 'u');
  // Trimmed, it runs from its first to its last character that is not a space.
  const spaces = paragraph ? `[${LINE_SPACES}\\t\\n\\r]` : `[${LINE_SPACES}]`;
  return new RegExp(`^${spaces}*${text}${any}{${min - 2},}${text}${spaces}*$`, 'u');
}

/**
 * Text as a person types it, normalised (`normaliseText`: digits, Arabic letters, trimmed ends),
 * with at least `min` characters besides the spaces at its ends and at most `max` in all.
 *
 * @example
 * const firstName = typedText({ max: 200 });
 * const grounds = typedText({ paragraph: true, min: 3, max: 4000 });
 */
export function typedText({ paragraph = false, min = 1, max }: { paragraph?: boolean; min?: number; max: number }) {
  const message = `${min > 0 ? `at least ${min} character${min > 1 ? 's' : ''} besides spaces, ` : ''}no control characters${paragraph ? ' but tabs and line breaks' : ''}`;
  return z.string().max(max).regex(textPattern({ paragraph, min }), message).transform(normaliseText);
}
