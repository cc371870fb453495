/**
 * The one error hierarchy of the domain. Services throw these; the gateway turns them into
 * RFC 9457 problem+json once, at the edge. Nothing here knows about HTTP.
 */
import type { z } from 'zod';
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

/** A field whose refusal has its own stable type: `applicant.nationalCode` → `national-code`. */
export interface FieldProblem {
  code: string;
  title: Text;
}

const INPUT_TITLES: Record<string, Text> = {
  'unknown-field': { fa: 'فیلد ناشناخته', en: 'unknown field' },
  'missing-field': { fa: 'فیلد الزامی وارد نشده است', en: 'required field missing' },
  'wrong-type': { fa: 'نوع مقدار نادرست است', en: 'wrong type' },
  'invalid-field': { fa: 'مقدار نامعتبر', en: 'invalid value' },
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * The `invalid-input` error for the first issue of a failed zod parse, naming the field:
 * `unknown-field`, `missing-field`, `wrong-type` or `invalid-field`; `problems` give a field its
 * own type, `as` gives every issue one (a registry's callback). `part` names the field of an empty path.
 *
 * @example if (!parsed.success) throw firstIssueProblem(parsed.error, input, { problems: NATIONAL_CODE_PROBLEM })
 */
export function firstIssueProblem(error: z.ZodError, input: unknown, { part = 'body', problems = {}, as }: {
  part?: string; problems?: Record<string, FieldProblem>; as?: FieldProblem;
} = {}): DomainError {
  const issue = error.issues[0]!;
  const path = issue.path.map(String);
  let code = 'invalid-field';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    code = 'unknown-field';
    path.push(issue.keys[0]!);
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_value' && valueAt(input, issue.path) === undefined) {
    // An enum's field left out: missing, as for any other type.
    code = 'missing-field';
    message = 'required';
  } else if (issue.code === 'invalid_type') {
    const missing = valueAt(input, issue.path) === undefined;
    code = missing ? 'missing-field' : 'wrong-type';
    message = missing ? `required (${issue.expected})` : `expected ${issue.expected}`;
  }
  const field = path.join('.') || `(${part})`;
  const special = as ?? problems[field];
  return invalid(special?.code ?? code, field, special?.title ?? INPUT_TITLES[code]!, `${field}: ${message}`);
}
