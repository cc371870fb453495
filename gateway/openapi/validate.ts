/**
 * Request validation against the operation's zod schemas. The first issue becomes an
 * `invalid-input` DomainError naming the field, so the edge answers problem+json with a stable
 * type, a Persian and an English title.
 *
 * @example parseRequest(Body, await c.req.json(), 'body') // throws DomainError('invalid-input', 'unknown-field', …, 'applicant.age')
 */
import type { z } from 'zod';
import type { Text } from '../../dsl/schema.js';
import { DomainError } from '../../services/errors.js';

export type RequestPart = 'body' | 'path' | 'query' | 'header';

/** A field-specific problem, for a field whose refusal has its own stable type. */
export interface FieldProblem {
  code: string;
  title: Text;
}

const TITLES: Record<string, Text> = {
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

/** Parses `input` with `schema` or throws the DomainError for its first issue. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, part: RequestPart, problems: Record<string, FieldProblem> = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map(String);
  let code = 'invalid-field';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    code = 'unknown-field';
    path.push(issue.keys[0]!);
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (issue.code === 'invalid_type') {
    const missing = valueAt(input, issue.path) === undefined;
    code = missing ? 'missing-field' : 'wrong-type';
    message = missing ? `required (${issue.expected})` : `expected ${issue.expected}`;
  }
  const field = path.join('.') || (part === 'body' ? '(body)' : `(${part})`);
  const special = problems[field];
  const title = special?.title ?? TITLES[code]!;
  return throwInvalid(special?.code ?? code, field, title, `${field}: ${message}`);
}

function throwInvalid(code: string, field: string, title: Text, detail: string): never {
  throw new DomainError('invalid-input', code, title, detail, field);
}
