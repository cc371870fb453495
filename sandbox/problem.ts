/**
 * RFC 9457 problem details (application/problem+json) responses.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A problem document: `{ type, title, status, detail }` plus optional extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'urn:parvaneh:sandbox:problem:';

/** Builds a problem document; `slug` becomes the `type` URN suffix. */
export function problem(status: number, slug: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: TYPE_BASE + slug, title, status, detail, ...extra };
}

/** Sends a problem document with the problem+json media type. */
export function sendProblem(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(p), p.status as ContentfulStatusCode, {
    ...headers,
    'content-type': 'application/problem+json',
  });
}
