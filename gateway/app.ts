/**
 * The gateway: request ids, signed responses, authentication, problem+json errors, and the
 * routes. Every route is a described route (`openapi/route.ts`): it is mounted here and appears
 * in the OpenAPI document served at `/openapi.json`, `/openapi.yaml` and `/docs`.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { ServiceDeps } from '../services/context.js';
import { DomainError } from '../services/errors.js';
import { authenticate, createTokenVerifier, type AuthOptions } from './auth.js';
import type { GatewayEnv, GatewayServices } from './context.js';
import { limitBody, mountRoutes } from './openapi/mount.js';
import { gatewayOpenApi } from './openapi/spec.js';
import { problemResponse } from './problem.js';
import { createRegistrySignatureVerifier, type RegistryKeys } from './registry-signature.js';
import { allRoutes, apiRoutes, gatewayRoutes, registryRoutes } from './routes/index.js';
import { codecPreflight } from './routes/codec.js';
import { idempotency } from './middleware/idempotency.js';
import { createLogger, requestLogging } from './middleware/logging.js';
import { createMetricsRegistry, httpMetrics } from './middleware/metrics.js';
import { registerIntegrationMetrics } from './integration-gauges.js';
import { rateLimit, type RateLimitOptions } from './middleware/rate-limit.js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { signResponses } from './sign-responses.js';
import type { SigningKeyStore } from '../platform/signing-keys.js';

export interface GatewayOptions {
  deps: ServiceDeps;
  auth: AuthOptions;
  registryKeys: RegistryKeys;
  /** Keys that sign every response (detached JWS); their public half is the JWKS. */
  signingKeys: SigningKeyStore;
  /** Readiness: throws when a dependency (database, Temporal) does not answer. */
  checkReady: () => Promise<void>;
  /** The body limit of operations that declare none (default 1 MiB). */
  maxBodyBytes?: number;
  /** Structured request logs (default: JSON to stdout, national codes and tokens redacted). */
  logger?: Logger;
  metrics?: Registry;
  /** Per-client limits; `false` turns them off (the benchmark does). */
  rateLimits?: RateLimitOptions | false;
  /** `false` serves unsigned responses: only for the benchmark's signed/unsigned comparison. */
  signing?: boolean;
  /** Seconds before an idempotency key whose request died mid-way may be taken over (default 120). */
  idempotencyLeaseSeconds?: number;
}

export function createGateway(options: GatewayOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetricsRegistry();
  registerIntegrationMetrics(metrics, options.deps.db);
  const services: GatewayServices = {
    jwks: () => options.signingKeys.jwks(),
    checkReady: options.checkReady,
    verifyRegistrySignature: createRegistrySignatureVerifier(options.registryKeys),
    openapi: gatewayOpenApi(),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.metrics() }),
  };

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', requestLogging({ logger }));
  app.use('*', httpMetrics({ registry: metrics }));
  if (options.signing !== false) app.use('*', signResponses({ keys: options.signingKeys }));
  app.use('*', async function provideDeps(c, next) {
    c.set('deps', options.deps);
    c.set('gateway', services);
    await next();
  });
  // Unexpected errors are logged (redacted) by requestLogging; the caller sees a bare 500 problem.
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' }, `${c.req.method} ${c.req.path}`)));

  mountRoutes(app, gatewayRoutes, { maxBodyBytes });
  // No body larger than the largest any operation accepts is read at all; each operation then applies its own limit.
  const ceiling = Math.max(maxBodyBytes, ...allRoutes.map((r) => r.spec.request?.body?.maxBytes ?? 0));
  app.use('/v1/*', limitBody(ceiling));
  mountRoutes(app, registryRoutes, { maxBodyBytes });
  // The Temporal UI's CORS preflight carries no token (edge-evidence: 1 of 2 lines here).
  app.use('/v1/codec/*', codecPreflight());
  app.use('/v1/*', authenticate(createTokenVerifier(options.auth)));
  if (options.rateLimits !== false) app.use('/v1/*', rateLimit(options.rateLimits ?? {}));
  // The codec server's answers are personal data in clear: never stored for replay (edge-evidence: 2 of 2).
  app.use('/v1/*', idempotency({ db: options.deps.db, leaseSeconds: options.idempotencyLeaseSeconds, exempt: (path) => path.startsWith('/v1/callbacks/') || path.startsWith('/v1/codec/') }));
  mountRoutes(app, apiRoutes, { maxBodyBytes });
  return app;
}
