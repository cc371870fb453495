/**
 * The one error hierarchy of the domain. Services throw these; the gateway turns them into
 * RFC 9457 problem+json once, at the edge. Nothing here knows about HTTP.
 */
import type { Text } from '../dsl/schema.js';

export type ProblemKind = 'invalid-input' | 'not-found' | 'forbidden' | 'conflict' | 'unavailable' | 'unauthenticated';

export class DomainError extends Error {
  constructor(
    readonly kind: ProblemKind,
    /** Stable identifier, e.g. `national-code-check-digit`. */
    readonly code: string,
    readonly title: Text,
    readonly detail?: string,
    /** The offending input field, as a JSON pointer-ish path: `applicant.nationalCode`. */
    readonly field?: string,
  ) {
    super(detail ?? title.en);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, field: string, title: Text, detail?: string) => new DomainError('invalid-input', code, title, detail, field);
export const notFound = (what: Text, detail?: string) => new DomainError('not-found', 'not-found', what, detail);
export const forbidden = (detail: string) =>
  new DomainError('forbidden', 'out-of-scope', { fa: 'خارج از حوزه دسترسی شما', en: 'outside your scope' }, detail);
export const conflict = (code: string, title: Text, detail?: string) => new DomainError('conflict', code, title, detail);
