/**
 * The edge holds (issue 13, requests, state and concurrency), over real HTTP against the real
 * gateway: chunked bodies, authentication before any body is buffered or key stored, expired
 * idempotency keys swept, 405 with Allow, Object.prototype names refused, no internal addresses
 * or library messages in errors, and one running change per licence enforced by the database.
 */
import type { Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOne, runStatement } from '../db/query.js';
import { applications, idempotencyKeys, rateLimitCounters } from '../db/schema/index.js';
import { createGateway, type GatewayOptions } from '../gateway/app.js';
import { API_AUDIENCE, ephemeralDevIssuer } from '../gateway/dev-issuer.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { api, applicationFor, eventually, verifyResponse, type ApiResponse } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { recordIssuedLicence } from './support/records.js';
import { serveApp } from './support/serve.js';
import { tokensFor } from './support/tokens.js';

let h: Harness;
let tokens: Record<'portal' | 'integrator' | 'khuzestan', string>;

beforeAll(async () => {
  h = await startHarness({ startWorker: false });
  tokens = await tokensFor(h, ['portal', 'integrator', 'khuzestan']);
});
afterAll(async () => h?.close());

interface RawResponse { status: number; headers: Headers; bytes: Uint8Array; text: string; json: Record<string, unknown> }

/**
 * A POST whose body goes out in chunks with `Transfer-Encoding: chunked` and no Content-Length,
 * as a client that streams its body sends it (fetch cannot be made to do this for a string).
 */
function chunkedPost(path: string, chunks: string[], headers: Record<string, string>): Promise<RawResponse> {
  const url = new URL(path, h.gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const bytes = new Uint8Array(Buffer.concat(parts));
        const text = new TextDecoder().decode(bytes);
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        let json: Record<string, unknown> = {};
        try { json = JSON.parse(text) as Record<string, unknown>; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, bytes, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.flushHeaders();
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** Splits a JSON body into `n` chunks, so the gateway reads it as several pieces. */
const inChunks = (body: unknown, n = 3) => {
  const text = JSON.stringify(body);
  const size = Math.ceil(text.length / n);
  return Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size)).filter((s) => s.length > 0);
};

const keysOf = (caller: string) => h.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.caller, caller));

/** An application through the API and a licence recorded for it. */
async function licenceFor(nationalCode: string, number: string): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode) });
  expect(res.status, res.text).toBe(202);
  await recordIssuedLicence(h, res.body.applicationId, number);
  return number;
}

const SUSPENSION = { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' };

describe('requests', () => {
  it('takes a chunked POST (no Content-Length) like one with Content-Length, and replays it by its key', async () => {
    const body = await applicationFor(h, '0012345679');
    const headers = { authorization: `Bearer ${tokens.portal}`, 'idempotency-key': 'edge-chunked-0001' };
    const first = await chunkedPost('/v1/applications', inChunks(body), headers);
    expect(first.status, first.text).toBe(202);
    expect(first.json.applicationId).toEqual(expect.any(String));
    await verifyResponse(h, 'POST', '/v1/applications', first);
    const replay = await chunkedPost('/v1/applications', inChunks(body, 5), headers);
    expect(replay.status, replay.text).toBe(202);
    expect(replay.text).toBe(first.text);
    const [row] = await keysOf('portal');
    expect(row).toMatchObject({ key: 'edge-chunked-0001', state: 'done', responseStatus: 202 });
  });

  it('refuses a chunked body over the operation\'s limit with 400 naming (body), not 500', async () => {
    const big = JSON.stringify({ licenceType: 'welfare-services-centre', padding: 'x'.repeat(1024 * 1024 + 10) });
    const res = await chunkedPost('/v1/applications', [big.slice(0, 500_000), big.slice(500_000)],
      { authorization: `Bearer ${tokens.portal}`, 'idempotency-key': 'edge-chunked-0002' });
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ type: 'https://parvaneh.example/problems/body-too-large', field: '(body)' });
    expect((await keysOf('portal')).map((k) => k.key)).not.toContain('edge-chunked-0002');
  });

  it('authenticates first: a POST without a token gets 401, with or without a key, reused or not, and nothing is stored', async () => {
    const body = await applicationFor(h, '0013579134');
    const noKey = await api(h, 'POST', '/v1/applications', { body, headers: { 'idempotency-key': '' } });
    expect(noKey.status, noKey.text).toBe(401);
    expect(noKey.body).toMatchObject({ type: 'https://parvaneh.example/problems/unauthenticated', title_fa: expect.any(String) });
    const keyed = await api(h, 'POST', '/v1/applications', { body, headers: { 'idempotency-key': 'edge-anon-0001' } });
    expect(keyed.status, keyed.text).toBe(401);
    const reused = await api(h, 'POST', '/v1/applications', { body: { ...body, county: 'dezful' }, headers: { 'idempotency-key': 'edge-anon-0001' } });
    expect(reused.status, reused.text).toBe(401);
    const unknownRoute = await api(h, 'POST', '/v1/no-such-route', { body, headers: { 'idempotency-key': 'edge-anon-0002' } });
    expect(unknownRoute.status, unknownRoute.text).toBe(404);
    const chunkedAnon = await chunkedPost('/v1/applications', inChunks(body), { 'idempotency-key': 'edge-anon-0003' });
    expect(chunkedAnon.status, chunkedAnon.text).toBe(401);
    expect(await keysOf('public')).toEqual([]);
  });

  it('stores nothing for a caller whose role may not call the operation, nor for an unknown route with a token', async () => {
    const forbidden = await api(h, 'POST', '/v1/applications', { token: tokens.integrator, body: await applicationFor(h, '0013579134'), headers: { 'idempotency-key': 'edge-integrator-0001' } });
    expect(forbidden.status, forbidden.text).toBe(403);
    const unknownRoute = await api(h, 'POST', '/v1/no-such-route', { token: tokens.integrator, body: {}, headers: { 'idempotency-key': 'edge-integrator-0002' } });
    expect(unknownRoute.status, unknownRoute.text).toBe(404);
    expect(await keysOf('integrator')).toEqual([]);
  });

  it('reads at most 64 KiB before the caller is known: a larger unsigned callback is refused as too large', async () => {
    const big = JSON.stringify({ inquiryId: 'x', answer: { padding: 'y'.repeat(100 * 1024) } });
    const res = await chunkedPost('/v1/callbacks/registries/criminal-record', [big.slice(0, 40_000), big.slice(40_000)], {});
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ type: 'https://parvaneh.example/problems/body-too-large', field: '(body)' });
  });
});

describe('expired idempotency keys', () => {
  it('are deleted by the sweep the gateway starts, with the table\'s size on /metrics; stop() ends the sweep', async () => {
    const insertKey = (key: string, expiresAt: Date) => h.db.db.insert(idempotencyKeys).values({
      caller: 'edge-sweep', key, method: 'POST', path: '/v1/applications', requestHash: 'h', state: 'done', expiresAt,
    });
    await insertKey('expired-1', new Date(Date.now() - 60_000));
    await insertKey('live-1', new Date(Date.now() + 3_600_000));
    const gateway = createGateway({
      deps: h.deps, registryKeys: {}, signingKeys: h.signingKeys, checkReady: async () => {}, rateLimits: false,
      logger: createLogger({ level: 'warn' }), idempotencySweepSeconds: 0.2,
      auth: { issuers: [{ issuer: h.issuer.issuer, jwks: h.issuer.jwks }], audience: API_AUDIENCE },
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await keysOf('edge-sweep')).length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect((await keysOf('edge-sweep')).map((k) => k.key)).toEqual(['live-1']);
      const metrics = await (await gateway.request('/metrics')).text();
      const { n } = await queryOne<{ n: number }>(h.db.db, sql`select count(*)::int as n from idempotency_keys`);
      expect(metrics).toMatch(/^# TYPE parvaneh_idempotency_keys gauge$/m);
      expect(metrics).toContain(`parvaneh_idempotency_keys ${n}\n`);
      expect(metrics).toMatch(/^parvaneh_idempotency_keys_expired_deleted_total [1-9]\d*$/m);
    } finally {
      await gateway.stop();
    }
    await insertKey('expired-2', new Date(Date.now() - 60_000));
    await new Promise((r) => setTimeout(r, 700));
    expect((await keysOf('edge-sweep')).map((k) => k.key).sort()).toEqual(['expired-2', 'live-1']);
    await h.db.db.delete(idempotencyKeys).where(eq(idempotencyKeys.caller, 'edge-sweep'));
  });
});

describe('methods', () => {
  it('answers an undeclared method on a known path with a signed 405 naming the allowed ones, fa and en', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/v1/applications', 'GET, POST'],
      ['PUT', '/v1/licences/WSC-AL-1405-000001/changes/renewal', 'POST'],
      ['POST', '/health', 'GET'],
      ['PATCH', '/v1/callbacks/registries/criminal-record', 'POST'],
    ] as const) {
      const res = await api<{ type: string; title: string; title_fa: string }>(h, method, path, { token: tokens.portal });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/method-not-allowed', title: 'method not allowed', title_fa: expect.any(String) });
    }
  });

  it('refuses HEAD with 405 and an empty body whose signature verifies; unknown paths stay 404', async () => {
    const head = await api(h, 'HEAD', '/health');
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    expect(head.text).toBe('');
    expect((await api(h, 'GET', '/no-such-path')).status).toBe(404);
    expect((await api(h, 'DELETE', '/v1/no-such-route', { token: tokens.portal })).status).toBe(404);
    expect((await api(h, 'HEAD', '/v1/no-such-route')).status).toBe(404);
  });
});

describe('Object.prototype names', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it('refuses them as counties with 400 naming county, and starts nothing', async () => {
    for (const county of names) {
      const body = { ...(await applicationFor(h, '0091234565')), county };
      const res = await api(h, 'POST', '/v1/applications', { token: tokens.portal, body });
      expect(res.status, `${county}: ${res.text}`).toBe(400);
      expect(res.body).toMatchObject({ field: 'county' });
    }
    expect(await h.db.db.select().from(applications).where(eq(applications.applicantNationalCode, '0091234565'))).toEqual([]);
  });

  it('refuses them as change names with a 4xx naming change (409 change-not-offered, or 400 where the name\'s pattern refuses it), and starts nothing', async () => {
    const number = await licenceFor('0034567895', 'WSC-AL-1405-913001');
    for (const change of names) {
      const res = await api(h, 'POST', `/v1/licences/${number}/changes/${change}`, { token: tokens.khuzestan, body: SUSPENSION });
      const expected = /^[a-z][a-z0-9-]*$/.test(change) ? { status: 409, type: 'change-not-offered' } : { status: 400, type: 'invalid-field' };
      expect(res.status, `${change}: ${res.text}`).toBe(expected.status);
      expect(res.body).toMatchObject({ type: `https://parvaneh.example/problems/${expected.type}`, field: 'change', title_fa: expect.any(String) });
    }
    expect(await h.db.db.select().from(applications).where(sql`${applications.facts}->'licence'->>'number' = ${number}`)).toEqual([]);
  });
});

describe('errors', () => {
  it('never tells the caller the process engine\'s address or its client\'s message on a failed start (503)', async () => {
    const temporal = h.deps.temporal;
    const refused = () => Promise.reject(new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.20.30.40:7233'));
    h.deps.temporal = { workflow: { start: refused, getHandle: () => ({ describe: refused }) } } as unknown as Client;
    let res;
    try {
      res = await api(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, '0091234565') });
    } finally {
      h.deps.temporal = temporal;
    }
    expect(res.status, res.text).toBe(503);
    expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/workflow-unavailable', title_fa: expect.any(String) });
    expect(res.text).not.toMatch(/10\.20\.30\.40|7233|ECONNREFUSED|14 UNAVAILABLE|No connection established/);
  });

  it('answers a refused token with a fixed sentence, not jose\'s message', async () => {
    const expired = await h.issuer.mint({ role: 'portal', expiresIn: Math.floor(Date.now() / 1000) - 3600 } as never);
    const stranger = await (await ephemeralDevIssuer()).mint({ role: 'portal' });
    for (const [token, detail] of [[expired, 'the token has expired'], [stranger, 'the token\'s signature does not verify']] as const) {
      const res = await api<{ detail: string }>(h, 'GET', '/v1/applications', { token });
      expect(res.status, res.text).toBe(401);
      expect(res.body.detail).toBe(detail);
      expect(res.text).not.toMatch(/"exp"|timestamp check failed|signature verification failed|JWS|JWT/);
    }
  });
});

describe('one running change per licence', () => {
  it('starts exactly one of two exclusive changes sent at once; the other gets 409 change-in-progress', async () => {
    const number = await licenceFor('0024681350', 'WSC-AL-1405-913002');
    // Both requests are held at their insert until both have passed the select that looks for a
    // running change (a SHARE lock lets selects through and makes inserts wait): the race the
    // select alone loses, every time rather than now and then. The database must decide.
    let sending: Promise<ApiResponse[]> | undefined;
    await h.db.db.transaction(async (tx) => {
      await runStatement(tx, sql`lock table applications in share mode`);
      sending = Promise.all([
        api(h, 'POST', `/v1/licences/${number}/changes/suspension`, { token: tokens.khuzestan, body: SUSPENSION }),
        api(h, 'POST', `/v1/licences/${number}/changes/revocation`, { token: tokens.khuzestan, body: SUSPENSION }),
      ]);
      await eventually(async () => {
        const { n } = await queryOne<{ n: number }>(h.db.db, sql`select count(*)::int as n from pg_locks where relation = 'applications'::regclass and not granted`);
        return n >= 2 ? true : undefined;
      }, 'both inserts waiting', 15_000);
    });
    const sent = await sending!;
    expect(sent.map((r) => r.status).sort(), sent.map((r) => r.text).join('\n')).toEqual([202, 409]);
    expect(sent.find((r) => r.status === 409)!.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-in-progress', title_fa: expect.any(String) });
    const running = await h.db.db.select().from(applications)
      .where(and(eq(applications.status, 'running'), sql`${applications.facts}->'licence'->>'number' = ${number}`));
    expect(running).toHaveLength(1);
  });
});

describe('rate limits shared by gateway replicas', () => {
  /**
   * Runs `body` with two gateway replicas on the harness's database (small limits, loopback
   * trusted as their proxy unless told otherwise), over HTTP, and closes them after.
   */
  async function withReplicas(body: (a: string, b: string) => Promise<void>, rateLimits: GatewayOptions['rateLimits'] = { limits: { default: 3, portal: 4 }, failedAuthentications: 100 }, trustedProxies = ['127.0.0.1']) {
    const gateways = [0, 1].map(() => createGateway({
      deps: h.deps, registryKeys: {}, signingKeys: h.signingKeys, checkReady: async () => {}, idempotencySweepSeconds: false,
      logger: createLogger({ level: 'silent' }), rateLimits, trustedProxies,
      auth: { issuers: [{ issuer: h.issuer.issuer, jwks: h.issuer.jwks }], audience: API_AUDIENCE },
    }));
    const served = await Promise.all(gateways.map((g) => serveApp(g)));
    try {
      await body(served[0]!.base, served[1]!.base);
    } finally {
      for (const s of served) await s.close();
      for (const g of gateways) await g.stop();
    }
  }
  const call = (base: string, method: string, path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method, headers });

  it('keeps the counters in an unlogged table: no WAL and no flush for the write every /v1 request makes', async () => {
    const { persistence } = await queryOne<{ persistence: string }>(h.db.db, sql`select relpersistence as persistence from pg_class where oid = 'rate_limit_counters'::regclass`);
    expect(persistence).toBe('u');
  });

  it('counts /ready and /metrics per client address across replicas: the 4th in the window is a signed 429', async () => {
    await withReplicas(async (a, b) => {
      const from = { 'x-forwarded-for': '203.0.113.1' };
      const statuses = [];
      for (const [base, path] of [[a, '/ready'], [b, '/metrics'], [a, '/ready'], [b, '/ready']] as const) {
        statuses.push((await call(base, 'GET', path, from)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await call(a, 'GET', '/metrics', from);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const bytes = new Uint8Array(await refused.arrayBuffer());
      expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ type: 'https://parvaneh.example/problems/rate-limited', title_fa: expect.any(String) });
      await verifyResponse({ ...h, gatewayUrl: a }, 'GET', '/metrics', { status: refused.status, headers: refused.headers, bytes });
      expect((await call(a, 'GET', '/ready', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    });
  });

  it('counts a registry\'s callbacks per registry across replicas, whatever address they come from, and not by address', async () => {
    await withReplicas(async (a, b) => {
      const post = async (base: string, from: string, registry = 'criminal-record') => (await fetch(`${base}/v1/callbacks/registries/${registry}`, {
        method: 'POST', headers: { 'x-forwarded-for': from, 'content-type': 'application/json' }, body: '{}',
      })).status;
      // One address past the edge's 3: a registry answers from one address.
      const statuses = [];
      for (const base of [a, b, a, b]) statuses.push(await post(base, '203.0.113.3'));
      expect(statuses).toEqual([401, 401, 401, 401]);
      // The registry's own 4 a window, shared by the replicas, from another address too.
      expect(await post(a, '203.0.113.9')).toBe(429);
      expect(await post(b, '203.0.113.9', 'security-clearance')).toBe(401);
    }, { limits: { default: 3, registry: 4 }, failedAuthentications: 100 });
  });

  it('refuses an address with 429 after its failed authentications, on every replica, even with a good token', async () => {
    const strict = { limits: { default: 100 }, failedAuthentications: 2 };
    await withReplicas(async (a, b) => {
      const stranger = await (await ephemeralDevIssuer()).mint({ role: 'portal' });
      const from = { 'x-forwarded-for': '203.0.113.4' };
      expect((await call(a, 'GET', '/v1/applications', { ...from, authorization: `Bearer ${stranger}` })).status).toBe(401);
      expect((await call(b, 'GET', '/v1/applications', { ...from, authorization: 'Bearer not-a-token' })).status).toBe(401);
      const blocked = await call(a, 'GET', '/v1/applications', { ...from, authorization: `Bearer ${tokens.portal}` });
      expect(blocked.status).toBe(429);
      expect(await blocked.json()).toMatchObject({ type: 'https://parvaneh.example/problems/rate-limited', detail: expect.stringContaining('failed authentications') });
      expect((await call(b, 'GET', '/v1/applications', { 'x-forwarded-for': '203.0.113.5', authorization: `Bearer ${tokens.portal}` })).status).toBe(200);
      // b remembers that token now: its address's failures are looked up with the caller's count,
      // after authentication, in one statement. Another address goes on; the blocked one is still refused.
      expect((await call(b, 'GET', '/v1/applications', { 'x-forwarded-for': '203.0.113.5', authorization: `Bearer ${tokens.portal}` })).status).toBe(200);
      const still = await call(b, 'GET', '/v1/applications', { ...from, authorization: `Bearer ${tokens.portal}` });
      expect(still.status).toBe(429);
      expect(await still.json()).toMatchObject({ type: 'https://parvaneh.example/problems/rate-limited', detail: expect.stringContaining('failed authentications') });
    }, strict);
  });

  it('counts a token\'s bearer by issuer and subject across replicas, whatever address it comes from', async () => {
    await withReplicas(async (a, b) => {
      const token = await h.issuer.mint({ role: 'portal', sub: 'portal-edge-rate' });
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await call(i % 2 ? b : a, 'GET', '/v1/applications', { 'x-forwarded-for': `198.51.100.${i + 1}`, authorization: `Bearer ${token}` })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    });
  });

  it('counts a caller far from its limit in batches reserved in PostgreSQL, and never lets it past its limit across two replicas', async () => {
    // The portal's 250 a window is reserved 5 at a time (DEFAULT_BATCH_SHARE), and request by
    // request within two batches of the limit.
    await withReplicas(async (a, b) => {
      const token = await h.issuer.mint({ role: 'portal', sub: 'portal-edge-batches' });
      const counted = async () => (await queryOne<{ count: number }>(h.db.db, sql`select count from rate_limit_counters where bucket like ${'default:subject:%|portal-edge-batches'}`)).count;
      const get = (base: string) => call(base, 'GET', '/v1/licence-types', { 'x-forwarded-for': '198.51.100.77', authorization: `Bearer ${token}` });
      // The first two requests are statements, each reserving 5 (the second, its token remembered
      // now, reads the address's failed authentications with the count); the next eight use what
      // they reserved; the eleventh reserves again.
      for (let i = 0; i < 2; i++) expect((await get(a)).status).toBe(200);
      expect(await counted()).toBe(10);
      for (let i = 2; i < 10; i++) expect((await get(a)).status).toBe(200);
      expect(await counted()).toBe(10);
      expect((await get(a)).status).toBe(200);
      expect(await counted()).toBe(15);
      let accepted = 11;
      let last: Response | undefined;
      for (let i = 11; i < 270; i++) {
        last = await get(i % 2 ? b : a);
        if (last.status === 200) accepted += 1;
        else expect(last.status).toBe(429);
      }
      // Never past the limit; short of it by at most what the other replica holds reserved.
      expect(accepted).toBeLessThanOrEqual(250);
      expect(accepted).toBeGreaterThan(250 - 5);
      expect(last!.status).toBe(429);
      // The counter never falls behind what was let through.
      expect(await counted()).toBeGreaterThanOrEqual(270);
    }, { limits: { default: 3, portal: 250 }, failedAuthentications: 100 });
  });

  it('does not count a trusted balancer\'s own health probes (/ready, /health with no client behind them); a client\'s /ready through it is counted', async () => {
    await withReplicas(async (a, b) => {
      const probes = [];
      for (let i = 0; i < 8; i++) probes.push((await call(i % 2 ? b : a, 'GET', i % 4 === 3 ? '/health' : '/ready')).status);
      expect(probes).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
      const client = { 'x-forwarded-for': '203.0.113.9' };
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(i % 2 ? b : a, 'GET', '/ready', client)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });

  it('believes X-Forwarded-For only from a trusted proxy: without TRUSTED_PROXIES the socket\'s address is the client', async () => {
    await withReplicas(async (a, b) => {
      // Loopback's own counter starts afresh (an earlier test fetched the key set from loopback with no X-Forwarded-For).
      await h.db.db.delete(rateLimitCounters).where(eq(rateLimitCounters.bucket, 'edge:address:127.0.0.1'));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(i % 2 ? b : a, 'GET', '/health', { 'x-forwarded-for': `192.0.2.${i + 1}` })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    }, undefined, []);
  });
});
