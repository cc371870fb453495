/**
 * Per-client rate limits: a fixed-window counter in memory, per process. The client is the
 * authenticated subject, or the remote address for the public. Every response carries the IETF
 * draft headers (draft-ietf-httpapi-ratelimit-headers):
 *
 *   RateLimit-Policy: "default";q=600;w=60
 *   RateLimit: "default";r=599;t=60
 *
 * Over the limit the answer is a 429 problem+json `rate-limited` with `Retry-After`. Mount it after
 * `authenticate`, so callers are told apart by who they are, and before `idempotency`, so a
 * refused request claims no key. Counters are not shared between gateway processes: with N
 * processes behind a balancer a client may get up to N times its limit.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Actor, Role } from '../../services/context.js';
import { problemType, type Problem } from '../problem.js';

/** Requests per window by role; `default` for roles not named (and the public). */
export type RoleLimits = Partial<Record<Role, number>> & { default: number };

export interface RateLimitOptions {
  limits?: RoleLimits;
  windowSeconds?: number;
  /** Who the caller is, for counting; defaults to the actor's subject, else the remote address. */
  clientOf?: (c: Context) => string;
  /** The policy name in the headers. */
  policy?: string;
  now?: () => number;
}

export type RateLimitVariables = { actor?: Actor; requestId?: string };

/** Per minute by default: the portal speaks for every citizen; an office's staff share its subject. */
export const DEFAULT_LIMITS: RoleLimits = { default: 60, portal: 3000, 'county-office': 600, 'province-office': 600, 'national-office': 600, integrator: 300 };

/** The actor's subject, or the socket's remote address (behind a proxy: the proxy's, see docs/security.md). */
export function defaultClientOf(c: Context): string {
  const actor = c.get('actor' as never) as Actor | undefined;
  if (actor && actor.role !== 'public') return `subject:${actor.subject}`;
  try {
    return `address:${getConnInfo(c).remote.address ?? 'unknown'}`;
  } catch {
    return 'address:unknown'; // not served by @hono/node-server (e.g. app.request in a test)
  }
}

/**
 * Limits each client to `limits[role]` requests per `windowSeconds`.
 *
 * @example
 * v1.use('*', rateLimit({ limits: { default: 60, portal: 3000 }, windowSeconds: 60 }));
 */
export function rateLimit({
  limits = DEFAULT_LIMITS, windowSeconds = 60, clientOf = defaultClientOf, policy = 'default', now = Date.now,
}: RateLimitOptions = {}): MiddlewareHandler<{ Variables: RateLimitVariables }> {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = windowSeconds * 1000;
  let lastSweep = now();

  return async function limitRate(c, next) {
    const at = now();
    if (at - lastSweep >= windowMs) {
      for (const [client, w] of windows) if (at - w.start >= windowMs) windows.delete(client);
      lastSweep = at;
    }
    const client = clientOf(c);
    const limit = limits[c.get('actor')?.role ?? 'public'] ?? limits.default;
    let w = windows.get(client);
    if (!w || at - w.start >= windowMs) {
      w = { start: at, count: 0 };
      windows.set(client, w);
    }
    w.count += 1;
    const reset = Math.max(1, Math.ceil((w.start + windowMs - at) / 1000));
    c.header('RateLimit-Policy', `"${policy}";q=${limit};w=${windowSeconds}`);
    c.header('RateLimit', `"${policy}";r=${Math.max(0, limit - w.count)};t=${reset}`);
    if (w.count <= limit) return next();
    const problem: Problem = {
      type: problemType('rate-limited'), title: 'too many requests', title_fa: 'تعداد درخواست‌ها بیش از حد مجاز است', status: 429,
      detail: `at most ${limit} requests per ${windowSeconds} s; retry after ${reset} s`, requestId: c.get('requestId'),
    };
    return c.body(JSON.stringify(problem), 429, { 'content-type': 'application/problem+json', 'retry-after': String(reset) });
  };
}
