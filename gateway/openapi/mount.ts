/**
 * Mounting described routes on Hono: OpenAPI paths become Hono paths, and each operation with a
 * body gets its own body limit (documents accept more than the rest).
 *
 * @example mountRoutes(app, apiRoutes, { maxBodyBytes: 1024 * 1024 });
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../services/errors.js';
import type { GatewayEnv } from '../context.js';
import type { DescribedRoute } from './route.js';

/** `/v1/licences/{licenceNumber}` → `/v1/licences/:licenceNumber`. */
export const honoPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/** What runs around each operation's body limit: `before` it (who may call), `after` it (idempotency). */
export interface RouteStages {
  maxBodyBytes: number;
  before?: (route: DescribedRoute) => MiddlewareHandler<GatewayEnv>[];
  /** The body limit itself, when not the operation's `maxBytes` alone (a smaller one for the public). */
  limit?: (route: DescribedRoute, maxBytes: number) => MiddlewareHandler<GatewayEnv>;
  after?: (route: DescribedRoute) => MiddlewareHandler<GatewayEnv>[];
}

/** Registers the routes on `app`, each behind its body limit. */
export function mountRoutes(app: Hono<GatewayEnv>, routes: readonly DescribedRoute[], { maxBodyBytes, before, limit, after }: RouteStages): void {
  for (const route of routes) {
    const { method, path, request } = route.spec;
    const handlers: MiddlewareHandler<GatewayEnv>[] = [...(before?.(route) ?? [])];
    if (request?.body) {
      const maxBytes = request.body.maxBytes ?? maxBodyBytes;
      handlers.push(limit ? limit(route, maxBytes) : limitBody(maxBytes));
    }
    handlers.push(...(after?.(route) ?? []));
    handlers.push((c) => route.run(c));
    app.on(method.toUpperCase(), honoPath(path), ...(handlers as [MiddlewareHandler<GatewayEnv>]));
  }
}

/** Refuses a body over `maxSize` bytes with problem+json naming `(body)`. */
export function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body is never read: the connection cannot carry another request.
      c.header('connection', 'close');
      throw new DomainError('invalid-input', 'body-too-large', { fa: 'بدنه درخواست بیش از حد بزرگ است', en: 'request body too large' },
        `the body may be at most ${maxSize} bytes`, '(body)');
    },
  });
}
