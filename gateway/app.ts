/**
 * The gateway: request ids, signed responses, authentication, problem+json errors, and the
 * routes. Every route is a described route (`openapi/route.ts`): it is mounted here and appears
 * in the OpenAPI document served at `/openapi.json`, `/openapi.yaml` and `/docs`.
 */
import { httpInstrumentationMiddleware } from '@hono/otel';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { ServiceDeps } from '../services/context.js';
import { DomainError } from '../services/errors.js';
import { authenticate, bearerToken, createTokenVerifier, type AuthOptions } from './auth.js';
import type { GatewayEnv, GatewayServices } from './context.js';
import { limitBody, mountRoutes } from './openapi/mount.js';
import { authorise, type DescribedRoute } from './openapi/route.js';
import { refuseUndeclaredMethods } from './middleware/methods.js';
import { gatewayOpenApi } from './openapi/spec.js';
import { problemResponse } from './problem.js';
import { CALLBACK_PATH, createRegistrySignatureVerifier, registryCallbackLimits, type RegistryKeys } from './registry-signature.js';
import { allRoutes, apiRoutes, gatewayRoutes, registryRoutes } from './routes/index.js';
import { codecPreflight } from './routes/codec.js';
import { idempotency, startIdempotencySweep } from './middleware/idempotency.js';
import { createLogger, requestLogging } from './middleware/logging.js';
import { announceRevocations } from '../domain/signing-key-revocations.js';
import { pokeOutbox } from '../services/outbox-poke.js';
import { createMetricsRegistry, httpMetrics } from './middleware/metrics.js';
import { registerIntegrationMetrics } from './integration-gauges.js';
import { DEFAULT_BATCH_SHARE, addressOf, limitFailedAuthentication, plainAddress, postgresRateLimitStore, rateLimit, type RateLimitOptions } from './middleware/rate-limit.js';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { signResponses } from './sign-responses.js';
import type { SigningKeyStore } from '../platform/signing-keys.js';
import { signingThread } from '../platform/signing-thread.js';
import { createConsole, type ConsoleSettings } from '../console/server/app.js';

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
  /** The body limit for callers without a bearer token, registries included (default 64 KiB). */
  publicBodyBytes?: number;
  /** Structured request logs (default: JSON to stdout, national codes and tokens redacted). */
  logger?: Logger;
  metrics?: Registry;
  /**
   * Per-client limits, counted in PostgreSQL so every replica shares them (`store` overrides);
   * `false` turns them off (the benchmark and the end-to-end harness do).
   */
  rateLimits?: (RateLimitOptions & { failedAuthentications?: number }) | false;
  /** Proxies (exact addresses) whose X-Forwarded-For names the client for rate limits; no one else's is believed. */
  trustedProxies?: readonly string[];
  /** `false` serves unsigned responses: only for the benchmark's signed/unsigned comparison. */
  signing?: boolean;
  /** `false` signs on libuv's thread pool, one job per response, instead of the batching signing thread (`platform/signing-thread.ts`). */
  signingThread?: boolean;
  /** Seconds before an idempotency key whose request died mid-way may be taken over (default 120). */
  idempotencyLeaseSeconds?: number;
  /** How often expired idempotency keys are deleted (default 600 s); `false`: never (a test's second gateway). */
  idempotencySweepSeconds?: number | false;
  /** How often the signing key file is read again for another process's rotation or revocation (default 5 s). */
  followSigningKeysMs?: number | false;
  /** The officers' console under `/console` (sign-in at this issuer, sessions, the proxy to /v1); omitted: no console. */
  console?: ConsoleSettings;
  /** A span per request, joined to the caller's `traceparent` (platform/tracing.ts: pass `true` once `startTracing` started it); default none. */
  tracing?: boolean;
}

/** The gateway's app, and `stop()` for what it runs besides answering requests (the key sweep). */
export type Gateway = Hono<GatewayEnv> & { stop(): Promise<void> };

export function createGateway(options: GatewayOptions): Gateway {
  const app = new Hono<GatewayEnv>();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetricsRegistry();
  registerIntegrationMetrics(metrics, options.deps.db);
  const sweep = options.idempotencySweepSeconds === false ? undefined : startIdempotencySweep({
    db: options.deps.db, registry: metrics, intervalMs: (options.idempotencySweepSeconds ?? 600) * 1000,
    onError: (error) => logger.warn({ err: error }, 'idempotency key sweep failed'),
  });
  // The key file is followed: a rotation or a revocation made by `npm run keys:*` (or another
  // gateway) is published within seconds, and a revocation is audited and told to the portal.
  const signingKeys = options.signingKeys;
  const announce = () => announceRevocations(options.deps.db, signingKeys.revoked())
    .then((told) => (told.length > 0 ? pokeOutbox(options.deps) : undefined))
    .catch((error: unknown) => logger.error({ err: error }, 'a signing key revocation could not be announced'));
  if (signingKeys.revoked().length > 0) void announce();
  const following = options.followSigningKeysMs === false ? undefined : setInterval(() => {
    signingKeys.refresh().then((changed) => (changed ? announce() : undefined))
      .catch((error: unknown) => logger.warn({ err: error }, 'the signing key file could not be read again'));
  }, options.followSigningKeysMs ?? 5000);
  following?.unref();
  const services: GatewayServices = {
    jwks: () => options.signingKeys.jwks(),
    checkReady: options.checkReady,
    verifyRegistrySignature: createRegistrySignatureVerifier(options.registryKeys),
    openapi: gatewayOpenApi(),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.metrics() }),
  };

  if (options.tracing) app.use('*', httpInstrumentationMiddleware());
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', requestLogging({ logger }));
  app.use('*', httpMetrics({ registry: metrics }));
  const signer = options.signing !== false && options.signingThread !== false ? signingThread() : undefined;
  if (options.signing !== false) app.use('*', signResponses({ keys: options.signingKeys, signBytes: signer?.sign }));
  app.use('*', async function provideDeps(c, next) {
    c.set('deps', options.deps);
    c.set('gateway', services);
    await next();
  });
  // Unexpected errors are logged (redacted) by requestLogging; the caller sees a bare 500 problem.
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' }, `${c.req.method} ${c.req.path}`)));

  // What is served without a token (/ready, /metrics, callbacks, unknown paths) is limited by
  // address here; /v1 after authentication, by issuer and subject. Counters live in PostgreSQL.
  const limits = options.rateLimits === false ? undefined : {
    store: postgresRateLimitStore(options.deps.db), trustedProxies: options.trustedProxies ?? [], batchShare: DEFAULT_BATCH_SHARE,
    onStoreError: (error: unknown) => logger.warn({ err: error }, 'rate limit store failed; request let through'),
    ...options.rateLimits,
  };
  const underApi = (path: string) => path.startsWith('/v1/') && !path.startsWith('/v1/callbacks/');
  // A registry's callbacks are counted per registry (below), not by address: a national registry
  // answers every inquiry of the country from a few addresses, and the edge's 60 a minute held its
  // answers back for up to a minute at a time (bench:process saw 35 s waits). A sender of forged
  // callbacks is still refused by address, as a failed authentication.
  const registryCallback = (path: string) => path.startsWith('/v1/callbacks/registries/');
  // The console's proxy is limited inside, as the officer's /v1 call (by subject); its hashed assets not at all.
  const consoleCounted = (path: string) => !path.startsWith('/console/api/') && !path.startsWith('/console/assets/');
  // A load balancer's own health probes (/ready or /health from a trusted proxy's address with no
  // client named behind it) are not counted: at one a second from each balancer they spent the
  // address's 60 a minute and took every gateway out of rotation (npm run cluster). A client's
  // /ready through the balancer still is, by the client's address.
  const proxies = new Set((options.trustedProxies ?? []).map(plainAddress));
  const balancerProbe = (c: Context) => (c.req.path === '/ready' || c.req.path === '/health') && !c.req.header('x-forwarded-for') && proxies.has(addressOf(c, proxies));
  if (limits) app.use('*', rateLimit({ ...limits, policy: 'edge', skip: (c) => underApi(c.req.path) || registryCallback(c.req.path) || !consoleCounted(c.req.path) || balancerProbe(c) }));
  // The Temporal UI's CORS preflight (OPTIONS, no token) for the codec server.
  app.use('/v1/codec/*', codecPreflight());
  // Undeclared methods on known paths (HEAD too): 405 with Allow, before anything else is read.
  app.use('*', refuseUndeclaredMethods(allRoutes));
  mountRoutes(app, gatewayRoutes, { maxBodyBytes });
  // Nothing reads a body before its caller is known: the public (and a registry, before its
  // signature is checked) gets a small ceiling; a token's bearer the operation's own limit.
  const publicBodyBytes = options.publicBodyBytes ?? 64 * 1024;
  const limit = (_route: DescribedRoute, maxBytes: number) => bodyLimitByCaller(publicBodyBytes, maxBytes);
  // A registry's bad signature and a bad token are failed authentications alike: 429 past the limit.
  const verifyToken = createTokenVerifier(options.auth);
  // A remembered token costs no signature to check: its address's failed authentications are then
  // looked up with the caller's count, after authentication, in one statement (only where that
  // count is kept: the API, not the registries' callbacks).
  const remembered = (c: Context) => {
    const token = underApi(c.req.path) ? bearerToken(c.req.header('authorization')) : undefined;
    return token !== undefined && verifyToken.remembers(token);
  };
  if (limits) app.use('/v1/*', limitFailedAuthentication({ ...limits, limit: limits.failedAuthentications, remembered }));
  // Each registry's callbacks are limited on their own too (a registry gone wrong, a captured callback sent in a loop).
  if (limits) app.use(CALLBACK_PATH, rateLimit(registryCallbackLimits(limits)));
  mountRoutes(app, registryRoutes, { maxBodyBytes, limit });
  app.use('/v1/*', authenticate(verifyToken));
  if (limits) app.use('/v1/*', rateLimit({ ...limits, skip: (c) => !underApi(c.req.path) }));
  // Per operation: who may call (401/403), then its body limit, then its Idempotency-Key, so
  // nothing is claimed, buffered or stored for a caller who may not call it, nor for unknown routes.
  const keys = idempotency({ db: options.deps.db, leaseSeconds: options.idempotencyLeaseSeconds });
  mountRoutes(app, apiRoutes, {
    maxBodyBytes, limit,
    before: (route) => [requireAccess(route)],
    // The codec server's answers are personal data in clear: never stored for replay.
    after: (route) => (route.spec.method === 'post' && route.spec.idempotency !== false ? [keys as unknown as MiddlewareHandler<GatewayEnv>] : []),
  });
  // The console's pages and its proxy: not API routes (not in the OpenAPI document); the proxy
  // calls this very app in process, so a console request passes every /v1 check an integrator's does.
  if (options.console) {
    app.route('/console', createConsole({
      ...options.console, db: options.deps.db, verifyAccessToken: verifyToken,
      forward: (request, env) => Promise.resolve(app.fetch(request, env)),
    }));
  }
  return Object.assign(app, { stop: async () => { clearInterval(following); await sweep?.stop(); await signer?.close(); } });
}

/** The operation's access checked before its body is read or its key claimed (the handler checks again). */
function requireAccess(route: DescribedRoute): MiddlewareHandler<GatewayEnv> {
  return async function checkAccess(c, next) {
    authorise(c.get('actor') ?? { subject: 'public', role: 'public' }, route.spec.access, route.spec.operationId);
    await next();
  };
}

/** The operation's own limit for a bearer of a token, a small one for everybody else. */
function bodyLimitByCaller(publicBytes: number, maxBytes: number): MiddlewareHandler<GatewayEnv> {
  const small = limitBody(Math.min(publicBytes, maxBytes));
  const own = limitBody(maxBytes);
  return function limitByCaller(c, next) {
    const known = (c.get('actor')?.role ?? 'public') !== 'public';
    return (known ? own : small)(c, next);
  };
}
