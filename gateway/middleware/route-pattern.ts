/**
 * The route pattern a request matched (`/v1/applications/:id`), never the raw path: labels and log
 * fields stay few, and carry no ids or national codes.
 */
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The pattern of the endpoint the request was routed to, even when a middleware answered first
 * (a 429, a 401); `unmatched` when no endpoint matched (a 404). Read it after `await next()`.
 *
 * @example
 * await next();
 * routePattern(c); // '/v1/applications/:id'
 */
export function routePattern(c: Context): string {
  const endpoint = [...matchedRoutes(c)].reverse().find((route) => route.method !== 'ALL');
  return endpoint?.path ?? 'unmatched';
}
