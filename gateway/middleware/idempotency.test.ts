/**
 * Idempotency keys over real HTTP, with the real signing middleware and a fresh PostgreSQL
 * database: retries replay the signed first answer, byte for byte.
 */
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../db/schema/index.js';
import type { Actor } from '../../services/context.js';
import { DomainError } from '../../services/errors.js';
import { freshDatabase } from '../../test/support/database.js';
import { serveApp, type Served } from '../../test/support/serve.js';
import { verifyDetached } from '../../platform/jws.js';
import { problemResponse } from '../problem.js';
import { signResponses } from '../sign-responses.js';
import { createSigningKeyStore, type SigningKeyStore } from '../../platform/signing-keys.js';
import { idempotency } from './idempotency.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let keys: SigningKeyStore;
let served: Served;
let clock = Date.now();
const runs = new Map<string, number>();
let openGate: () => void = () => {};
let failNext = true;

function buildApp() {
  const app = new Hono<{ Variables: { actor: Actor; requestId: string } }>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', signResponses({ keys }));
  app.onError((error, c) => problemResponse(c, error));
  // Stands in for `authenticate`: the caller is whoever the test says.
  app.use('*', async function testActor(c, next) {
    c.set('actor', { subject: c.req.header('x-test-subject') ?? 'public', role: 'portal' });
    await next();
  });
  app.use('*', idempotency({ db: db.db, now: () => clock }));
  const count = (name: string) => { runs.set(name, (runs.get(name) ?? 0) + 1); return runs.get(name)!; };
  app.post('/v1/applications', async (c) => {
    const n = count('applications');
    return c.json({ applicationId: `app-${n}`, received: await c.req.json() }, 202, { location: `/v1/applications/app-${n}` });
  });
  app.post('/v1/slow', async (c) => {
    count('slow');
    await new Promise<void>((resolve) => { openGate = resolve; });
    return c.json({ done: true });
  });
  app.post('/v1/flaky', (c) => {
    count('flaky');
    if (failNext) { failNext = false; throw new Error('database went away'); }
    return c.json({ ok: true }, 201);
  });
  app.post('/v1/refused', () => {
    count('refused');
    throw new DomainError('forbidden', 'out-of-scope', { fa: 'خارج از حوزه', en: 'outside your scope' });
  });
  app.post('/v1/callbacks/registries/:registry', (c) => { count('callbacks'); return c.json({ status: 'delivered' }); });
  app.get('/v1/applications', (c) => c.json({ items: [] }));
  return app;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${served.base}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: JSON.parse(new TextDecoder().decode(bytes) || 'null') };
}

/** Verifies the detached JWS the way an integrator does, against the published keys. */
async function verified(path: string, res: { headers: Headers; bytes: Uint8Array }) {
  const header = await verifyDetached(res.headers.get('x-jws-signature')!, res.bytes, keys.jwks());
  expect(header).toMatchObject({ htm: 'POST', htu: path, rid: res.headers.get('x-request-id') });
}

beforeAll(async () => {
  db = await freshDatabase();
  keys = await createSigningKeyStore();
  served = await serveApp(buildApp());
});
afterAll(async () => {
  await served?.close();
  await db?.close();
});

describe('idempotency keys', () => {
  it('refuses a POST without a key with a signed problem naming the header', async () => {
    const res = await post('/v1/applications', { licenceType: 'x' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ type: 'https://parvaneh.example/problems/idempotency-key-required', field: 'Idempotency-Key', title_fa: expect.any(String) });
    await verified('/v1/applications', res);
    const tooLong = await post('/v1/applications', {}, { 'idempotency-key': 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
    expect(runs.get('applications')).toBeUndefined();
  });

  it('replays the first response byte for byte with its headers, and its signature still verifies', async () => {
    const key = randomUUID();
    const first = await post('/v1/applications', { licenceType: 'welfare-services-centre' }, { 'idempotency-key': key, 'x-test-subject': 'portal-1' });
    expect(first.status).toBe(202);
    await verified('/v1/applications', first);
    const again = await post('/v1/applications', { licenceType: 'welfare-services-centre' }, { 'idempotency-key': key, 'x-test-subject': 'portal-1', 'x-request-id': 'a-new-request-id' });
    expect(again.status).toBe(202);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    for (const name of ['content-type', 'location', 'x-jws-signature', 'x-request-id']) {
      expect(again.headers.get(name), name).toBe(first.headers.get(name));
    }
    await verified('/v1/applications', again);
    expect(runs.get('applications')).toBe(1);
  });

  it('scopes keys to the caller', async () => {
    const key = randomUUID();
    const a = await post('/v1/applications', { n: 1 }, { 'idempotency-key': key, 'x-test-subject': 'county-ahvaz' });
    const b = await post('/v1/applications', { n: 1 }, { 'idempotency-key': key, 'x-test-subject': 'county-shiraz' });
    expect(a.json.applicationId).not.toBe(b.json.applicationId);
  });

  it('refuses the same key with a different body', async () => {
    const key = randomUUID();
    await post('/v1/applications', { n: 1 }, { 'idempotency-key': key });
    const reused = await post('/v1/applications', { n: 2 }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.json).toMatchObject({ type: 'https://parvaneh.example/problems/idempotency-key-reused', field: 'Idempotency-Key' });
    await verified('/v1/applications', reused);
  });

  it('answers 409 with Retry-After while the first request is still running', async () => {
    const key = randomUUID();
    const first = post('/v1/slow', {}, { 'idempotency-key': key });
    await expect.poll(() => runs.get('slow')).toBe(1);
    const concurrent = await post('/v1/slow', {}, { 'idempotency-key': key });
    expect(concurrent.status).toBe(409);
    expect(concurrent.headers.get('retry-after')).toBe('1');
    expect(concurrent.json.type).toBe('https://parvaneh.example/problems/idempotency-in-progress');
    await verified('/v1/slow', concurrent);
    openGate();
    expect((await first).status).toBe(200);
    expect((await post('/v1/slow', {}, { 'idempotency-key': key })).json).toEqual({ done: true });
    expect(runs.get('slow')).toBe(1);
  });

  it('frees the key when the handler fails with a server error, so the retry runs', async () => {
    const key = randomUUID();
    expect((await post('/v1/flaky', {}, { 'idempotency-key': key })).status).toBe(500);
    const retried = await post('/v1/flaky', {}, { 'idempotency-key': key });
    expect(retried.status).toBe(201);
    expect(runs.get('flaky')).toBe(2);
  });

  it('replays a refusal too: a 4xx is an answer', async () => {
    const key = randomUUID();
    const first = await post('/v1/refused', {}, { 'idempotency-key': key });
    const again = await post('/v1/refused', {}, { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([403, 403]);
    expect(again.headers.get('x-jws-signature')).toBe(first.headers.get('x-jws-signature'));
    expect(runs.get('refused')).toBe(1);
  });

  it('lets registry callbacks and GETs through without a key', async () => {
    expect((await post('/v1/callbacks/registries/criminal-record', { inquiryId: 'i-1' })).status).toBe(200);
    expect((await fetch(`${served.base}/v1/applications`)).status).toBe(200);
  });

  it('treats an expired key as new', async () => {
    const key = randomUUID();
    const first = await post('/v1/applications', { n: 9 }, { 'idempotency-key': key });
    clock += 25 * 3_600_000;
    try {
      const later = await post('/v1/applications', { n: 9 }, { 'idempotency-key': key });
      expect(later.json.applicationId).not.toBe(first.json.applicationId);
    } finally {
      clock -= 25 * 3_600_000;
    }
  });

  it('takes over a key whose first request died in progress', async () => {
    const key = randomUUID();
    const hash = createHash('sha256').update('POST\n/v1/applications\n').update(JSON.stringify({ n: 10 })).digest('hex');
    await db.db.insert(idempotencyKeys).values({
      caller: 'public', key, method: 'POST', path: '/v1/applications', requestHash: hash,
      createdAt: new Date(clock - 10 * 60_000), expiresAt: new Date(clock + 3_600_000),
    });
    const res = await post('/v1/applications', { n: 10 }, { 'idempotency-key': key });
    expect(res.status).toBe(202);
    const [row] = await db.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.caller, 'public'), eq(idempotencyKeys.key, key)));
    expect(row).toMatchObject({ state: 'done', responseStatus: 202 });
  });
});
