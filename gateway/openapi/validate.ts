/**
 * Request validation against the operation's zod schemas. The first issue becomes an
 * `invalid-input` DomainError naming the field, so the edge answers problem+json with a stable
 * type, a Persian and an English title.
 *
 * @example parseRequest(Body, await c.req.json(), 'body') // throws DomainError('invalid-input', 'unknown-field', …, 'applicant.age')
 */
import type { z } from 'zod';
import { firstIssueProblem, type FieldProblem } from '../../services/errors.js';

export type RequestPart = 'body' | 'path' | 'query' | 'header';

export type { FieldProblem };

/** Parses `input` with `schema` or throws the DomainError for its first issue. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, part: RequestPart, problems: Record<string, FieldProblem> = {}): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw firstIssueProblem(parsed.error, input, { part, problems });
}
