/**
 * The gateway: request ids, authentication, problem+json errors, and the routes under /v1.
 * Routes are thin: parse, authorise, call one service verb, return.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { ServiceDeps } from '../services/context.js';
import { DomainError } from '../services/errors.js';
import { authenticate, createTokenVerifier, type AuthOptions } from './auth.js';
import type { GatewayEnv } from './env.js';
import { problemResponse } from './problem.js';
import { createRegistrySignatureVerifier, type RegistryKeys } from './registry-signature.js';
import { jwksRoute, signResponses } from './sign-responses.js';
import type { SigningKeyStore } from './signing-keys.js';
import { applicationRoutes, trackingRoutes } from './routes/applications.js';
import { callbackRoutes } from './routes/callbacks.js';
import { licenceTypeRoutes } from './routes/licence-types.js';
import { taskRoutes } from './routes/tasks.js';

export interface GatewayOptions {
  deps: ServiceDeps;
  auth: AuthOptions;
  registryKeys: RegistryKeys;
  /** Keys that sign every response (detached JWS); their public half is the JWKS. */
  signingKeys: SigningKeyStore;
  /** Readiness: throws when a dependency (database, Temporal) does not answer. */
  checkReady: () => Promise<void>;
  maxBodyBytes?: number;
}

export function createGateway(options: GatewayOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const verifyToken = createTokenVerifier(options.auth);

  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', signResponses({ keys: options.signingKeys }));
  app.use('*', async function provideDeps(c, next) {
    c.set('deps', options.deps);
    await next();
  });
  app.onError((error, c) => {
    if (!(error instanceof DomainError)) console.error(`[gateway] ${c.req.method} ${c.req.path} failed`, error);
    return problemResponse(c, error);
  });
  app.notFound((c) => problemResponse(c, new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' }, `${c.req.method} ${c.req.path}`)));

  app.route('/', jwksRoute(options.signingKeys));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      await options.checkReady();
      return c.json({ status: 'ready' });
    } catch (error) {
      return problemResponse(c, new DomainError('unavailable', 'not-ready', { fa: 'آماده نیست', en: 'not ready' }, (error as Error).message));
    }
  });

  const v1 = new Hono<GatewayEnv>();
  v1.use('*', bodyLimit({
    maxSize: options.maxBodyBytes ?? 1024 * 1024,
    onError: () => { throw new DomainError('invalid-input', 'body-too-large', { fa: 'بدنه درخواست بیش از حد بزرگ است', en: 'request body too large' }, undefined, '(body)'); },
  }));
  v1.route('/callbacks', callbackRoutes(createRegistrySignatureVerifier(options.registryKeys)));
  v1.use('*', authenticate(verifyToken));
  v1.route('/licence-types', licenceTypeRoutes());
  v1.route('/applications', applicationRoutes());
  v1.route('/tracking', trackingRoutes());
  v1.route('/tasks', taskRoutes());
  app.route('/v1', v1);
  return app;
}
