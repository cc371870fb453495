/**
 * The protective middleware mounted together in the order `gateway/app.ts` uses, with the real
 * token verification, body limit, signing and a fresh PostgreSQL database, over real HTTP.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../services/errors.js';
import { freshDatabase } from '../../test/support/database.js';
import { serveApp, type Served } from '../../test/support/serve.js';
import { authenticate, createTokenVerifier } from '../auth.js';
import { API_AUDIENCE, ephemeralDevIssuer, type DevIssuer } from '../dev-issuer.js';
import type { GatewayEnv } from '../context.js';
import { verifyDetached } from '../../platform/jws.js';
import { problemResponse } from '../problem.js';
import { signResponses } from '../sign-responses.js';
import { createSigningKeyStore, type SigningKeyStore } from '../../platform/signing-keys.js';
import { idempotency } from './idempotency.js';
import { createLogger, requestLogging } from './logging.js';
import { createMetricsRegistry, httpMetrics, metricsRoute } from './metrics.js';
import { rateLimit } from './rate-limit.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let keys: SigningKeyStore;
let issuer: DevIssuer;
let served: Served;
const lines: Record<string, unknown>[] = [];
let submissions = 0;

beforeAll(async () => {
  db = await freshDatabase();
  keys = await createSigningKeyStore();
  issuer = await ephemeralDevIssuer();
  const logger = createLogger({}, { write: (line: string) => { lines.push(JSON.parse(line)); } });
  const registry = createMetricsRegistry();

  const app = new Hono<GatewayEnv>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', requestLogging({ logger }));
  app.use('*', httpMetrics({ registry }));
  app.use('*', signResponses({ keys }));
  app.onError((error, c) => problemResponse(c, error));
  app.route('/', metricsRoute({ registry }));
  const v1 = new Hono<GatewayEnv>();
  v1.use('*', bodyLimit({ maxSize: 1024, onError: () => { throw new DomainError('invalid-input', 'body-too-large', { fa: 'بزرگ', en: 'too large' }); } }));
  v1.post('/callbacks/registries/:registry', (c) => c.json({ status: 'delivered' }));
  v1.use('*', authenticate(createTokenVerifier({ issuers: [{ issuer: issuer.issuer, jwks: issuer.jwks }], audience: API_AUDIENCE })));
  v1.use('*', rateLimit({ limits: { default: 5, portal: 4 }, windowSeconds: 60 }));
  v1.use('*', idempotency({ db: db.db }));
  v1.post('/applications', async (c) => {
    submissions += 1;
    return c.json({ applicationId: `app-${submissions}`, body: await c.req.json() }, 202, { location: `/v1/applications/app-${submissions}` });
  });
  app.route('/v1', v1);
  served = await serveApp(app);
});
afterAll(async () => {
  await served?.close();
  await db?.close();
});

async function call(method: string, path: string, init: { token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${served.base}${path}`, {
    method, body: init.body,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const header = await verifyDetached(res.headers.get('x-jws-signature')!, bytes, keys.jwks());
  expect(header).toMatchObject({ htm: method, htu: path, rid: res.headers.get('x-request-id') });
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder().decode(bytes) };
}

describe('the middleware stack', () => {
  it('signs, logs and counts a refused token, before any key is claimed', async () => {
    const res = await call('POST', '/v1/applications', { token: 'not-a-jwt', body: '{}', headers: { 'idempotency-key': 'k-1' } });
    expect(res.status).toBe(401);
    expect(lines.at(-1)).toMatchObject({ status: 401, route: '/v1/applications', role: 'anonymous' });
  });

  it('replays a retried submission through the whole stack with its first signature', async () => {
    const token = await issuer.mint({ role: 'portal' });
    const body = JSON.stringify({ licenceType: 'welfare-services-centre' });
    const first = await call('POST', '/v1/applications', { token, body, headers: { 'idempotency-key': 'submit-1' } });
    const retry = await call('POST', '/v1/applications', { token, body, headers: { 'idempotency-key': 'submit-1' } });
    expect(first.status).toBe(202);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('x-jws-signature')).toBe(first.headers.get('x-jws-signature'));
    expect(submissions).toBe(1);
    expect(lines.at(-1)).toMatchObject({ status: 202, route: '/v1/applications', role: 'portal' });
  });

  it('rate-limits before claiming keys, and leaves callbacks to their own checks', async () => {
    const token = await issuer.mint({ role: 'portal' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', '/v1/applications', { token, body: '{}', headers: { 'idempotency-key': `limit-${i}` } })).status);
    // The portal's 4 per window: 2 used above, so the third here is refused.
    expect(statuses).toEqual([202, 202, 429]);
    expect((await call('POST', '/v1/callbacks/registries/criminal-record', { body: '{}' })).status).toBe(200);
    const metrics = await (await fetch(`${served.base}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{method="POST",route="/v1/applications",status="429"} 1');
    expect(metrics).toContain('http_requests_total{method="POST",route="/v1/applications",status="401"} 1');
  });
});
