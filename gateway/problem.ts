/**
 * RFC 9457 problem details: every error the outside world sees has a stable `type`, a Persian and
 * an English title, the offending field, and the request id.
 */
import type { Context } from 'hono';
import { DomainError, type ProblemKind } from '../services/errors.js';

const STATUS: Record<ProblemKind, number> = {
  'invalid-input': 400, refused: 422, unauthenticated: 401, forbidden: 403, 'not-found': 404, conflict: 409, unavailable: 503,
};

export interface Problem {
  type: string;
  title: string;
  title_fa: string;
  status: number;
  detail?: string;
  field?: string;
  /** The reason code of the rule that refused the request (422). */
  reason?: string;
  requestId?: string;
}

export const problemType = (code: string) => `https://parvaneh.example/problems/${code}`;

/** Builds the problem+json response for an error; unknown errors become a 500 without details. */
export function problemResponse(c: Context, error: unknown): Response {
  const requestId = c.get('requestId' as never) as string | undefined;
  let problem: Problem;
  if (error instanceof DomainError) {
    problem = {
      type: problemType(error.code), title: error.title.en, title_fa: error.title.fa, status: STATUS[error.kind],
      detail: error.detail, field: error.field, ...(error.reason ? { reason: error.reason } : {}), requestId,
    };
  } else {
    problem = { type: problemType('internal'), title: 'internal error', title_fa: 'خطای داخلی', status: 500, requestId };
  }
  return c.body(JSON.stringify(problem), problem.status as 400, { 'content-type': 'application/problem+json' });
}

/**
 * A problem with a status no `DomainError` kind maps to (405, 429), with extra headers.
 * @example return problemWithStatus(c, 405, 'method-not-allowed', { fa: '…', en: 'method not allowed' }, 'POST /health is not served', { allow: 'GET' })
 */
export function problemWithStatus(c: Context, status: number, code: string, title: { fa: string; en: string }, detail: string, headers: Record<string, string> = {}, field?: string): Response {
  const problem: Problem = {
    type: problemType(code), title: title.en, title_fa: title.fa, status, detail, ...(field ? { field } : {}),
    requestId: c.get('requestId' as never) as string | undefined,
  };
  return c.body(JSON.stringify(problem), status as 400, { ...headers, 'content-type': 'application/problem+json' });
}
