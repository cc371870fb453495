/**
 * Methods a known path does not declare: `405 method-not-allowed` with `Allow` (RFC 9110 §15.5.6),
 * as problem+json and signed like every response; an unknown path stays a 404.
 *
 * HEAD is not declared on any path, so it is refused here too (405, `Allow` naming the declared
 * methods): Hono would otherwise answer it by running the GET and dropping the body, with a
 * signature over bytes the client never receives. Every answer to a HEAD (this 405, the 404 of
 * an unknown path) is given with an empty body, so its signature is over the empty byte string
 * the client receives. OPTIONS is refused the same way (no CORS).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { DescribedRoute } from '../openapi/route.js';
import { problemWithStatus } from '../problem.js';

/** The methods each described path declares, found by the request's path. */
export function declaredMethods(routes: readonly DescribedRoute[]): (path: string) => string[] | undefined {
  const byPath = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const { spec } of routes) {
    let entry = byPath.get(spec.path);
    if (!entry) {
      const source = spec.path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
      entry = { pattern: new RegExp(`^${source}$`), methods: new Set() };
      byPath.set(spec.path, entry);
    }
    entry.methods.add(spec.method.toUpperCase());
  }
  // Paths are looked up among those of the same number of segments and the same first two
  // (when literal), not all of them: this runs on every request.
  const buckets = new Map<string, { pattern: RegExp; methods: Set<string> }[]>();
  const keyOf = (segments: readonly string[], literal = true) => `${segments.length}|${literal ? `${segments[1]}/${segments[2]}` : '*'}`;
  for (const [path, entry] of byPath) {
    const segments = path.split('/');
    const key = keyOf(segments, !/\{/.test(`${segments[1]}/${segments[2]}`));
    buckets.set(key, [...(buckets.get(key) ?? []), entry]);
  }
  // Each path's methods sorted once: the common request (one path matches) builds no list.
  const sorted = new Map([...byPath.values()].map((entry) => [entry, [...entry.methods].sort()]));
  return (path) => {
    const segments = path.split('/');
    let first: string[] | undefined;
    let more: Set<string> | undefined;
    for (const bucket of [buckets.get(keyOf(segments)), buckets.get(keyOf(segments, false))]) {
      for (const entry of bucket ?? []) {
        if (!entry.pattern.test(path)) continue;
        if (!first) {
          first = sorted.get(entry);
          continue;
        }
        more ??= new Set(first);
        for (const method of entry.methods) more.add(method);
      }
    }
    return more ? [...more].sort() : first;
  };
}

/**
 * Answers 405 for a method the path does not declare; mount it before authentication (the
 * methods a path takes are no secret: they are in the OpenAPI document).
 */
export function refuseUndeclaredMethods(routes: readonly DescribedRoute[]): MiddlewareHandler {
  const methodsOf = declaredMethods(routes);
  return async function refuseMethod(c, next) {
    const methods = methodsOf(c.req.path);
    if (!methods || methods.includes(c.req.method)) {
      await next();
      if (c.req.method === 'HEAD') withoutBody(c);
      return;
    }
    const allow = methods.join(', ');
    const refused = problemWithStatus(c, 405, 'method-not-allowed', { fa: 'این روش برای این نشانی پذیرفته نیست', en: 'method not allowed' },
      `${c.req.method} is not served on this path; it takes ${allow}`, { allow }, '(method)');
    return c.req.method === 'HEAD' ? new Response(null, { status: 405, headers: refused.headers }) : refused;
  };
}

/** The answer to a HEAD without its body (before it is signed): what Hono sends the client anyway. */
function withoutBody(c: Context): void {
  const { status, headers } = c.res;
  c.res = undefined;
  c.res = new Response(null, { status, headers });
}
