/**
 * The one error hierarchy of the domain. Services throw these; the gateway turns them into
 * RFC 9457 problem+json once, at the edge. Nothing here knows about HTTP.
 */
import type { Text } from '../dsl/schema.js';

/** `refused`: a well-formed request a definition's rules refuse as it stands (a closure notice too short). */
export type ProblemKind = 'invalid-input' | 'refused' | 'not-found' | 'forbidden' | 'conflict' | 'unavailable' | 'unauthenticated';

export class DomainError extends Error {
  constructor(
    readonly kind: ProblemKind,
    /** Stable identifier, e.g. `national-code-check-digit`. */
    readonly code: string,
    readonly title: Text,
    readonly detail?: string,
    /** The offending input field, as a JSON pointer-ish path: `applicant.nationalCode`. */
    readonly field?: string,
    /** For `refused`: the reason code of the definition's rule, e.g. `CLOSURE_NOTICE_TOO_SHORT`. */
    readonly reason?: string,
  ) {
    super(detail ?? title.en);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, field: string, title: Text, detail?: string) => new DomainError('invalid-input', code, title, detail, field);
export const notFound = (what: Text, detail?: string) => new DomainError('not-found', 'not-found', what, detail);
export const forbidden = (detail: string) =>
  new DomainError('forbidden', 'out-of-scope', { fa: 'خارج از حوزه دسترسی شما', en: 'outside your scope' }, detail);
/**
 * A change its definition's rules refuse at once: `message` is the rule's, in both languages.
 * @example refused('CLOSURE_NOTICE_TOO_SHORT', rule.message, 'effectiveDate', 'closure-notice refused: CLOSURE_NOTICE_TOO_SHORT')
 */
export const refused = (reason: string, message: Text, field: string | undefined, detail: string) =>
  new DomainError('refused', 'change-refused', message, detail, field, reason);
export const conflict = (code: string, title: Text, detail?: string) => new DomainError('conflict', code, title, detail);
