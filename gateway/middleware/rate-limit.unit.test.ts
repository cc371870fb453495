/** Rate limits over real HTTP, behind the real signing middleware. */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../services/context.js';
import { serveApp, type Served } from '../../test/support/serve.js';
import { verifyDetached } from '../../platform/jws.js';
import { problemResponse } from '../problem.js';
import { signResponses } from '../sign-responses.js';
import { createSigningKeyStore, type SigningKeyStore } from '../../platform/signing-keys.js';
import { clientAddress, limitFailedAuthentication, memoryRateLimitStore, rateLimit, type RateLimitStore } from './rate-limit.js';

let served: Served;
let keys: SigningKeyStore;
let clock = 1_700_000_000_000;

beforeAll(async () => {
  keys = await createSigningKeyStore();
  const app = new Hono<{ Variables: { actor: Actor; requestId: string } }>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', signResponses({ keys }));
  app.onError((error, c) => problemResponse(c, error));
  app.use('*', async function testActor(c, next) {
    const subject = c.req.header('x-test-subject');
    c.set('actor', subject ? { subject, role: (c.req.header('x-test-role') ?? 'county-office') as Role } : { subject: 'public', role: 'public' });
    await next();
  });
  app.use('*', rateLimit({ limits: { default: 3, portal: 5 }, windowSeconds: 60, now: () => clock }));
  app.get('/v1/licence-types', (c) => c.json({ items: [] }));
  served = await serveApp(app);
});
afterAll(async () => { await served?.close(); });

const get = (headers: Record<string, string> = {}) => fetch(`${served.base}/v1/licence-types`, { headers });

describe('rate limits', () => {
  it('announces the policy and what remains on every response', async () => {
    const first = await get({ 'x-test-subject': 'county-ahvaz' });
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
    expect(first.headers.get('ratelimit')).toBe('"default";r=2;t=60');
    clock += 15_000;
    expect((await get({ 'x-test-subject': 'county-ahvaz' })).headers.get('ratelimit')).toBe('"default";r=1;t=45');
  });

  it('refuses the request over the limit with a signed 429 problem and Retry-After', async () => {
    expect((await get({ 'x-test-subject': 'county-ahvaz' })).status).toBe(200);
    const refused = await get({ 'x-test-subject': 'county-ahvaz' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('ratelimit')).toBe('"default";r=0;t=45');
    const bytes = new Uint8Array(await refused.arrayBuffer());
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({
      type: 'https://parvaneh.example/problems/rate-limited', status: 429, title_fa: expect.any(String), requestId: refused.headers.get('x-request-id'),
    });
    await verifyDetached(refused.headers.get('x-jws-signature')!, bytes, keys.jwks());
  });

  it('counts each client separately, and gives the portal a higher limit', async () => {
    expect((await get({ 'x-test-subject': 'county-shiraz' })).status).toBe(200);
    const portal = [];
    for (let i = 0; i < 6; i++) portal.push((await get({ 'x-test-subject': 'portal', 'x-test-role': 'portal' })).status);
    expect(portal).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('counts the public by remote address', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('starts a new window once the old one has passed', async () => {
    clock += 60_000;
    const res = await get({ 'x-test-subject': 'county-ahvaz' });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBe('"default";r=2;t=60');
  });
});

describe('the client\'s address', () => {
  const proxies = new Set(['10.0.0.4', '10.0.0.5']);

  it('believes X-Forwarded-For only from a trusted proxy, taking the last hop that is not one', () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7, 10.0.0.4', proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.1, 203.0.113.7', proxies)).toBe('203.0.113.7');
    expect(clientAddress('192.0.2.9', '203.0.113.7', proxies)).toBe('192.0.2.9');
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '203.0.113.7', new Set())).toBe('10.0.0.5');
  });
});

/**
 * An app as the gateway mounts them: failed authentications limited to 2 (`remembered` the one
 * token the verifier remembers), an authentication that lets through what `accepts` says, the
 * caller's limit. Returns a caller of GET /v1/x with an Authorization header.
 */
function limitedApp(store: RateLimitStore, remembered: string, accepts: (authorization: string | undefined) => boolean, batchShare = 0) {
  const app = new Hono<{ Variables: { actor: Actor } }>();
  app.use('*', limitFailedAuthentication({ limit: 2, store, remembered: (c) => c.req.header('authorization') === remembered }));
  app.use('*', async function fakeAuthenticate(c, next) {
    if (!accepts(c.req.header('authorization'))) return c.json({ refused: true }, 401);
    c.set('actor', { subject: 'portal', role: 'portal' });
    await next();
  });
  app.use('*', rateLimit({ limits: { default: batchShare ? 500 : 100 }, store, batchShare }));
  app.get('/v1/x', (c) => c.json({ ok: true }));
  return (authorization: string) => app.request('/v1/x', { headers: { authorization } });
}

describe('failed authentications of an address whose token is remembered', () => {
  it('are looked up with the caller\'s count after authentication, not before it; past the limit the address is refused all the same', async () => {
    const inner = memoryRateLimitStore();
    const calls: string[] = [];
    const store: RateLimitStore = {
      peek: (...args) => { calls.push('peek'); return inner.peek(...args); },
      hit: (...args) => { calls.push(`hit ${args[0]}`); return inner.hit(...args); },
      hitAndPeek: (...args) => { calls.push('hitAndPeek'); return inner.hitAndPeek(...args); },
    };
    const call = limitedApp(store, 'Bearer remembered', (authorization) => authorization !== 'Bearer bad');

    expect((await call('Bearer remembered')).status).toBe(200);
    expect(calls).toEqual(['hitAndPeek']);
    calls.length = 0;
    expect((await call('Bearer fresh')).status).toBe(200);
    expect(calls).toEqual(['peek', 'hit default:subject:|portal']);
    for (let i = 0; i < 2; i++) expect((await call('Bearer bad')).status).toBe(401);
    const refused = await call('Bearer remembered');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining('failed authentications') });
    expect((await call('Bearer fresh')).status).toBe(429);
  });

  it('refuses a blocked address whose remembered token fails after all (expired meanwhile) with 429, not 401', async () => {
    const store = memoryRateLimitStore();
    // `expired`: remembered by the verifier, but refused once judged (its exp passed since).
    const call = limitedApp(store, 'Bearer expired', (authorization) => authorization === 'Bearer good');

    // Under the limit the failure is a 401 like any other, and counted.
    expect((await call('Bearer expired')).status).toBe(401);
    expect((await call('Bearer bad')).status).toBe(401);
    const refused = await call('Bearer expired');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining('failed authentications') });
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await call('Bearer bad')).status).toBe(429);
  });
});

describe('counting in batches (batchShare)', () => {
  /** A store that counts the statements a PostgreSQL store would send (hit and hitAndPeek). */
  function countingStore() {
    const inner = memoryRateLimitStore();
    const sent = { statements: 0 };
    const store: RateLimitStore = {
      peek: (...args) => { sent.statements += 1; return inner.peek(...args); },
      hit: (...args) => { sent.statements += 1; return inner.hit(...args); },
      hitAndPeek: (...args) => { sent.statements += 1; return inner.hitAndPeek(...args); },
    };
    return { store, sent, inner };
  }
  /** A replica: an app whose caller is the portal, limited to `limit` a window, 2 % of it reserved at a time. */
  function replica(store: RateLimitStore, limit: number, at: () => number) {
    const app = new Hono<{ Variables: { actor: Actor } }>();
    app.use('*', async function portal(c, next) {
      c.set('actor', { subject: 'portal', role: 'portal' });
      await next();
    });
    app.use('*', rateLimit({ limits: { default: limit }, store, batchShare: 0.02, now: at }));
    app.get('/v1/x', (c) => c.json({ ok: true }));
    return async () => (await app.request('/v1/x')).status;
  }
  const at = () => 1_700_000_000_000;

  it('alone, refuses exactly the request over the limit, with a statement for a batch of requests rather than each', async () => {
    const { store, sent, inner } = countingStore();
    const call = replica(store, 500, at);
    const statuses: number[] = [];
    for (let i = 0; i < 502; i++) statuses.push(await call());
    expect(statuses.slice(0, 500).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(500)).toEqual([429, 429]);
    // Batches of 10 while two batches under the limit (49), then each request (12): 61 statements, not 502.
    expect(sent.statements).toBe(61);
    // Every request is in the store's count.
    expect((await inner.peek('default:subject:|portal', at(), 60_000)).count).toBe(502);
  });

  it('refuses an address blocked meanwhile from the next batch on, even with a remembered token', async () => {
    const { store, sent } = countingStore();
    const call = limitedApp(store, 'Bearer remembered', (authorization) => authorization !== 'Bearer bad', 0.02);
    for (let i = 0; i < 5; i++) expect((await call('Bearer remembered')).status).toBe(200);
    expect(sent.statements).toBe(1);
    // Two failures from the address (each a peek before the token and a hit after): blocked.
    for (let i = 0; i < 2; i++) expect((await call('Bearer bad')).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call('Bearer remembered')).status);
    // The reservation the first request made (10, 5 used before) runs out, then the next
    // statement's answer says the address is blocked.
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
  });

  it('with two replicas, never lets a caller past its limit, and counts request by request under a limit of 100', async () => {
    const { store, inner } = countingStore();
    const replicas = [replica(store, 500, at), replica(store, 500, at)];
    let accepted = 0;
    for (let i = 0; i < 600; i++) if ((await replicas[i % 2]!()) === 200) accepted += 1;
    // What the other replica holds reserved and unused (under a batch) may be refused, never more let through.
    expect(accepted).toBeLessThanOrEqual(500);
    expect(accepted).toBeGreaterThan(500 - 10);
    expect((await inner.peek('default:subject:|portal', at(), 60_000)).count).toBeGreaterThanOrEqual(600);

    const small = countingStore();
    const tight = [replica(small.store, 99, at), replica(small.store, 99, at)];
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push(await tight[i % 2]!());
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    expect(small.sent.statements).toBe(100);
  });

  it('starts a new window when the old one has passed, with a reservation of its own, not what was left of the old one', async () => {
    const { store, sent, inner } = countingStore();
    let clock = 1_700_000_000_000;
    const call = replica(store, 500, () => clock);
    for (let i = 0; i < 25; i++) expect(await call()).toBe(200);
    expect(sent.statements).toBe(3);
    clock += 60_000;
    expect(await call()).toBe(200);
    expect(sent.statements).toBe(4);
    expect((await inner.peek('default:subject:|portal', clock, 60_000)).count).toBe(10);
  });

  it('sends one statement for concurrent requests that find nothing reserved, and none of them passes the limit', async () => {
    const inner = memoryRateLimitStore();
    let statements = 0;
    // The store answers only when let go: every request of a burst arrives before any answer.
    let release!: () => void;
    let gate = new Promise<void>((resolve) => { release = resolve; });
    const held = async <T>(answer: () => Promise<T>) => { statements += 1; await gate; return answer(); };
    const store: RateLimitStore = {
      peek: (...args) => held(() => inner.peek(...args)),
      hit: (...args) => held(() => inner.hit(...args)),
      hitAndPeek: (...args) => held(() => inner.hitAndPeek(...args)),
    };
    const call = replica(store, 500, at);
    const burst = async (n: number) => {
      const answers = Array.from({ length: n }, () => call());
      await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      const statuses = await Promise.all(answers);
      gate = new Promise<void>((resolve) => { release = resolve; });
      return statuses;
    };
    // Five at once: one reservation of 10, the four others wait for it.
    expect(await burst(5)).toEqual([200, 200, 200, 200, 200]);
    expect(statements).toBe(1);
    // Up to the limit and past it in bursts of 40: 500 let through, not one more.
    let accepted = 5;
    for (let i = 0; i < 14; i++) accepted += (await burst(40)).filter((s) => s === 200).length;
    expect(accepted).toBe(500);
    expect((await inner.peek('default:subject:|portal', at(), 60_000)).count).toBeGreaterThanOrEqual(500);
  });
});
