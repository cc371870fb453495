/**
 * Structured request logs: one JSON line per request with its id, method, route pattern, status,
 * duration and the caller's role. Every line goes through `redact()`, so no national code, token
 * or credential is written, whoever logs through this logger.
 *
 * Mount `requestLogging` right after `requestId` (outermost but for it): it then sees the final
 * status, including problems rendered by `onError`, and the actor set later by `authenticate`.
 */
import type { MiddlewareHandler } from 'hono';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import type { Actor } from '../../services/context.js';
import { createRedactingLogger } from '../../platform/logger.js';
import { routePattern } from './route-pattern.js';

export { redact, redactText } from '../../platform/redact.js';

/**
 * The gateway's logger: redacting (`platform/logger.ts`), named `parvaneh-gateway`; the level
 * defaults to `LOG_LEVEL` (else `info`; `silent` turns it off).
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.info({ authorization: 'Bearer …' }, 'national code 0012345679'); // both redacted
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  return createRedactingLogger({ name: 'parvaneh-gateway', ...options }, destination);
}

export type LoggingVariables = { actor?: Actor; requestId?: string };

/** What a refusal's answer leaves out (a library's message: jose's on a refused token), for the log only. */
function causeOf(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined;
}

/** Logs each request once it is answered: info below 500, error (with the error) from 500. */
export function requestLogging({ logger }: { logger: Logger }): MiddlewareHandler<{ Variables: LoggingVariables }> {
  return async function logRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      const line = {
        requestId: c.get('requestId'), method: c.req.method, route: routePattern(c), path: c.req.path,
        status, durationMs: Math.round((performance.now() - started) * 10) / 10, role: c.get('actor')?.role ?? 'anonymous',
      };
      if (status >= 500) logger.error({ ...line, err: c.error }, 'request failed');
      else logger.info(causeOf(c.error) ? { ...line, cause: causeOf(c.error) } : line, 'request');
    }
  };
}
