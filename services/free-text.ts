/**
 * Free text as people send it: names, reasons, grounds, file names. Control characters are
 * refused, naming the field, before the text is stored anywhere: PostgreSQL cannot store U+0000
 * at all (the request failed with a 500), and the others are never typed by a person but can
 * rewrite a log line or a terminal. C1 (U+0080–U+009F) counts too: no keyboard types it, and
 * U+009B is a terminal's CSI. Unicode's `Cc` class is exactly U+0000–U+001F and U+007F–U+009F.
 * Format characters (ZWNJ, which Persian spelling needs) are kept.
 */
import { z } from 'zod';

const NO_CONTROLS = /^\P{Cc}*$/u;
/** A paragraph (a reason, the grounds of a suspension) may keep its tabs and line breaks. */
const NO_CONTROLS_BUT_LINE_BREAKS = /^(?:[\t\n\r]|\P{Cc})*$/u;

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
