/**
 * Signed responses, checked the way an integrator would: over real HTTP, with jose, against the
 * served JWKS.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import {
  CompactSign, calculateJwkThumbprint, compactVerify, createLocalJWKSet, createRemoteJWKSet, flattenedVerify, importJWK,
  type JSONWebKeySet, type JWK,
} from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../services/errors.js';
import { NOTIFICATION_TYP, PORTAL_AUDIENCE, RESPONSE_TYP, signDetached, signDetachedAsync, verifyDetached } from '../platform/jws.js';
import { startSandbox } from '../sandbox/server.js';
import { NOTIFICATIONS_PATH } from '../sandbox/portal/routes.js';
import { notification } from '../sandbox/portal/portal-client.js';
import { signerFor } from '../worker/signer.js';
import { problemResponse } from './problem.js';
import { heldBytes, jwksRoute, signResponses, SIGNATURE_HEADER } from './sign-responses.js';
import { createSigningKeyStore, type SigningKeyStore } from '../platform/signing-keys.js';

const PERSIAN = 'پروانه کسب شما صادر شد. شماره پیگیری: ۱۴۰۳۰۷۱۲';

function buildApp(keys: SigningKeyStore) {
  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', signResponses({ keys }));
  app.onError((error, c) => problemResponse(c, error));
  app.notFound((c) => problemResponse(c, new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' })));
  app.route('/', jwksRoute(keys));
  app.get('/json', (c) => c.json({ licence: 'L-1403-0001', holder: 'مریم احمدی', fee: 1_250_000 }));
  app.get('/bytes', (c) => c.body(new Uint8Array([0, 1, 2, 250, 255]), 200, { 'content-type': 'application/octet-stream' }));
  app.get('/stream', (c) => c.body(new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode(PERSIAN)); controller.close(); } }), 200, { 'content-type': 'text/plain; charset=utf-8' }));
  app.get('/missing', (c) => c.body(
    JSON.stringify({ type: 'https://parvaneh.example/problems/not-found', title: 'not found', title_fa: 'یافت نشد', status: 404 }),
    404, { 'content-type': 'application/problem+json' },
  ));
  app.get('/boom', () => { throw new DomainError('conflict', 'already-issued', { fa: 'قبلا صادر شده', en: 'already issued' }); });
  app.delete('/applications/:id', (c) => c.body(null, 204));
  app.get('/text', (c) => c.text(PERSIAN));
  // A route whose body the caller chooses (as any echo of input is): what it answers must never pass for a notification.
  app.post(NOTIFICATIONS_PATH, async (c) => c.body(await c.req.text(), 200, { 'content-type': 'application/json' }));
  return app;
}

interface Served { base: string; close(): Promise<void> }

async function start(keys: SigningKeyStore): Promise<Served> {
  const app = buildApp(keys);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({
      base: `http://127.0.0.1:${info.port}`,
      close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
    }));
  });
}

async function call(base: string, path: string, init?: RequestInit) {
  const res = await fetch(`${base}${path}`, init);
  const body = new Uint8Array(await res.arrayBuffer());
  const signature = res.headers.get(SIGNATURE_HEADER);
  expect(signature, `${path} carries ${SIGNATURE_HEADER}`).toMatch(/^[\w-]+\.\.[\w-]+$/);
  return { res, body, signature: signature as string };
}

async function servedJwks(base: string): Promise<JSONWebKeySet> {
  const res = await fetch(`${base}/.well-known/jwks.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  return (await res.json()) as JSONWebKeySet;
}

const flip = (body: Uint8Array, at = 0) => {
  const copy = Uint8Array.from(body);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('signed responses over HTTP', () => {
  let keys: SigningKeyStore;
  let served: Served;
  beforeAll(async () => {
    keys = await createSigningKeyStore();
    served = await start(keys);
  });
  afterAll(() => served.close());

  const cases = [
    { name: 'JSON', method: 'GET', path: '/json?page=2&q=%D9%BE%D8%B1%D9%88%D8%A7%D9%86%D9%87', status: 200, type: 'application/json' },
    { name: 'problem+json returned by a route', method: 'GET', path: '/missing', status: 404, type: 'application/problem+json' },
    { name: 'problem+json from onError', method: 'GET', path: '/boom', status: 409, type: 'application/problem+json' },
    { name: 'problem+json from notFound', method: 'GET', path: '/nowhere', status: 404, type: 'application/problem+json' },
    { name: 'empty 204', method: 'DELETE', path: '/applications/A-7', status: 204, type: null },
    { name: 'Persian text', method: 'GET', path: '/text', status: 200, type: 'text/plain' },
    { name: 'the JWKS itself', method: 'GET', path: '/.well-known/jwks.json', status: 200, type: 'application/json' },
    { name: 'bytes', method: 'GET', path: '/bytes', status: 200, type: 'application/octet-stream' },
    { name: 'a streamed body (read as a stream, not from what the response holds)', method: 'GET', path: '/stream', status: 200, type: 'text/plain' },
  ];

  it('reads the bytes a served response holds (string, bytes, none) without a stream, and leaves a stream alone', () => {
    // serve() has put @hono/node-server's light Response in place of the global one, as in the gateway.
    expect(Buffer.from(heldBytes(new Response(PERSIAN))!).toString('utf8')).toBe(PERSIAN);
    expect([...heldBytes(new Response(new Uint8Array([7, 8]), { status: 201 }))!]).toEqual([7, 8]);
    expect(heldBytes(new Response(null, { status: 204 }))!.byteLength).toBe(0);
    expect(heldBytes(new Response(new ReadableStream()))).toBeUndefined();
  });

  it.each(cases)('$name verifies with jose against the served JWKS and binds the request', async ({ method, path, status, type }) => {
    const jwks = await servedJwks(served.base);
    const rid = `rid-${randomBytes(6).toString('hex')}`;
    const { res, body, signature } = await call(served.base, path, { method, headers: { 'x-request-id': rid } });
    expect(res.status).toBe(status);
    if (type) expect(res.headers.get('content-type')).toContain(type);
    else expect(body.byteLength).toBe(0);
    expect(res.headers.get('x-request-id')).toBe(rid);

    const header = await verifyDetached(signature, body, jwks, { typ: RESPONSE_TYP, status });
    expect(header).toMatchObject({ alg: 'ES256', kid: keys.active().kid, typ: RESPONSE_TYP, htm: method, htu: path, rid, status });
    expect(Math.abs((header.iat as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(Number.isInteger(header.iat)).toBe(true);

    // Flipping any single byte (or adding one to an empty body) breaks it.
    const tampered = body.byteLength ? flip(body, body.byteLength >> 1) : new Uint8Array([0]);
    await expect(verifyDetached(signature, tampered, jwks)).rejects.toThrow(/signature verification failed/);
  });

  it('verifies the integrator way: remote JWKS + compactVerify, and flattenedVerify with payload', async () => {
    const getKey = createRemoteJWKSet(new URL(`${served.base}/.well-known/jwks.json`));
    const { res, body, signature } = await call(served.base, '/text');
    expect(new TextDecoder().decode(body)).toBe(PERSIAN);
    const [protectedB64, , sig] = signature.split('.') as [string, string, string];

    const attached = `${protectedB64}.${Buffer.from(body).toString('base64url')}.${sig}`;
    const compact = await compactVerify(attached, getKey, { algorithms: ['ES256'] });
    expect(Buffer.from(compact.payload).equals(Buffer.from(body))).toBe(true);
    expect(compact.protectedHeader.rid).toBe(res.headers.get('x-request-id'));

    const flattened = await flattenedVerify({ protected: protectedB64, payload: Buffer.from(body).toString('base64url'), signature: sig }, getKey, { algorithms: ['ES256'] });
    expect(flattened.protectedHeader).toEqual(compact.protectedHeader);
  });

  it('binds the request: the header cannot be swapped to another method, path or request id', async () => {
    const jwks = await servedJwks(served.base);
    const { body, signature } = await call(served.base, '/json', { headers: { 'x-request-id': 'original' } });
    const [protectedB64, , sig] = signature.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(protectedB64, 'base64url').toString('utf8'));
    for (const change of [{ htm: 'POST' }, { htu: '/other' }, { rid: 'another' }, { status: 404 }, { typ: NOTIFICATION_TYP }]) {
      const forged = `${Buffer.from(JSON.stringify({ ...header, ...change })).toString('base64url')}..${sig}`;
      await expect(verifyDetached(forged, body, jwks)).rejects.toThrow(/signature verification failed/);
    }
  });

  it('binds the status: a response whose status was changed fails verification', async () => {
    const jwks = await servedJwks(served.base);
    const { res, body, signature } = await call(served.base, '/missing');
    expect(res.status).toBe(404);
    expect((await verifyDetached(signature, body, jwks, { typ: RESPONSE_TYP, status: 404 })).status).toBe(404);
    // The same bytes and signature presented as a 200 (a proxy rewriting the status line) are refused.
    await expect(verifyDetached(signature, body, jwks, { typ: RESPONSE_TYP, status: 200 })).rejects.toThrow(/status is 404, expected 200/);
  });

  it('a response signature presented as a notification is refused by the portal simulator', async () => {
    const jwks = await servedJwks(served.base);
    const portal = await startSandbox({ port: 0, parvanehJwks: jwks });
    try {
      // A caller makes the gateway answer, under its own signature, with a body that reads as a notification.
      const text = JSON.stringify(notification('forged-subject', 1));
      const { res, body, signature } = await call(served.base, NOTIFICATIONS_PATH, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      const replayed = await fetch(`${portal.url}${NOTIFICATIONS_PATH}`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': 'forged-subject-1', 'x-jws-signature': signature },
      });
      expect(replayed.status).toBe(401);
      expect(await replayed.json()).toMatchObject({ detail: expect.stringMatching(/typ must be "parvaneh-notification\+jws"/) });
      // The worker's signer over the same key, with the notification's typ and audience, is accepted.
      const sign = signerFor(keys);
      const genuine = sign(body, { typ: NOTIFICATION_TYP, aud: PORTAL_AUDIENCE, htm: 'POST', htu: NOTIFICATIONS_PATH });
      const accepted = await fetch(`${portal.url}${NOTIFICATIONS_PATH}`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'idempotency-key': 'forged-subject-1', 'x-jws-signature': genuine },
      });
      expect(accepted.status).toBe(200);
      // A notification's signature is no response either.
      await expect(verifyDetached(genuine, body, jwks, { typ: RESPONSE_TYP })).rejects.toThrow(/typ/);
    } finally {
      await portal.close();
    }
  });

  it('generates a request id when none is sent and signs that one', async () => {
    const jwks = await servedJwks(served.base);
    const { res, body, signature } = await call(served.base, '/json');
    const rid = res.headers.get('x-request-id');
    expect(rid).toBeTruthy();
    expect((await verifyDetached(signature, body, jwks)).rid).toBe(rid);
  });
});

describe('key rotation', () => {
  let served: Served | undefined;
  afterEach(async () => { await served?.close(); served = undefined; });

  it('keeps verifying signatures made before rotate(), and signs new responses with the new kid', async () => {
    const keys = await createSigningKeyStore();
    served = await start(keys);
    const before = await call(served.base, '/json');
    const oldKid = keys.active().kid;

    const rotated = await keys.rotate();
    expect(rotated.kid).not.toBe(oldKid);
    expect(keys.active().kid).toBe(rotated.kid);

    const jwks = await servedJwks(served.base);
    expect(jwks.keys.map((k) => k.kid)).toEqual([rotated.kid, oldKid]);
    expect((await verifyDetached(before.signature, before.body, jwks)).kid).toBe(oldKid);

    const after = await call(served.base, '/json');
    expect((await verifyDetached(after.signature, after.body, jwks)).kid).toBe(rotated.kid);
  });

  it('keeps at most maxRetired retired keys; signatures by dropped keys stop verifying', async () => {
    const keys = await createSigningKeyStore({ maxRetired: 2 });
    const body = new TextEncoder().encode('{"ok":true}');
    const first = signDetached(keys.active(), body, {});
    const kids = [keys.active().kid];
    for (let i = 0; i < 3; i++) kids.unshift((await keys.rotate()).kid);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual(kids.slice(0, 3));
    await expect(verifyDetached(first, body, keys.jwks())).rejects.toThrow(/no applicable key found/);
  });

  it('publishes only public keys, with alg, use and an RFC 7638 thumbprint kid', async () => {
    const keys = await createSigningKeyStore();
    await keys.rotate();
    for (const jwk of keys.jwks().keys) {
      expect(jwk).not.toHaveProperty('d');
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(jwk.kid).toBe(await calculateJwkThumbprint(jwk as JWK));
    }
  });

  it('serialises concurrent rotations', async () => {
    const keys = await createSigningKeyStore({ maxRetired: 5 });
    const original = keys.active().kid;
    const results = await Promise.all([keys.rotate(), keys.rotate(), keys.rotate()]);
    expect(new Set(results.map((k) => k.kid)).size).toBe(3);
    expect(keys.active().kid).toBe(results[2]?.kid);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([...results.map((k) => k.kid).reverse(), original]);
  });
});

describe('persistence', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'parvaneh-signing-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the same keys across a restart, in a 0600 file under a created directory', async () => {
    const path = join(dir, 'nested', 'keys', 'signing-keys.json');
    const first = await createSigningKeyStore({ path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const body = new TextEncoder().encode('سلام');
    const signature = signDetached(first.active(), body, { htm: 'GET' });

    const reopened = await createSigningKeyStore({ path });
    expect(reopened.active().kid).toBe(first.active().kid);
    expect((await verifyDetached(signature, body, reopened.jwks())).kid).toBe(first.active().kid);

    const rotated = await reopened.rotate();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = await createSigningKeyStore({ path });
    expect(again.active().kid).toBe(rotated.kid);
    expect(again.jwks().keys.map((k) => k.kid)).toEqual([rotated.kid, first.active().kid]);
  });

  it('starts from initial keys, and refuses two active keys', async () => {
    const seed = await createSigningKeyStore();
    const jwk = seed.active().privateKey.export({ format: 'jwk' }) as JWK;
    const store = await createSigningKeyStore({ initial: [{ jwk, status: 'active' }] });
    expect(store.active().kid).toBe(seed.active().kid);
    await expect(createSigningKeyStore({ initial: [{ jwk, status: 'active' }, { jwk, status: 'active' }] })).rejects.toThrow(/2 keys are active/);
  });
});

describe('signDetached (node:crypto) against jose', () => {
  it('produces exactly what jose CompactSign would sign, and jose verifies it, for 200 random bodies', async () => {
    const keys = await createSigningKeyStore();
    const key = keys.active();
    const joseKey = await importJWK(key.privateKey.export({ format: 'jwk' }) as JWK, 'ES256');
    const getKey = createLocalJWKSet(keys.jwks());
    for (let i = 0; i < 200; i++) {
      const body = randomBytes(i === 0 ? 0 : Math.floor(Math.random() * 4096));
      const iat = 1_700_000_000 + i;
      const claims = { htm: 'POST', htu: `/v1/applications?i=${i}`, rid: `r-${i}` };
      const ours = signDetached(key, body, { ...claims, iat });
      const [protectedB64, empty, sig] = ours.split('.') as [string, string, string];
      expect(empty).toBe('');
      expect(Buffer.from(sig, 'base64url')).toHaveLength(64); // raw R||S, not DER

      // jose, given the same header and body, builds the same signing input.
      const header = { alg: 'ES256', kid: key.kid, iat, ...claims };
      const theirs = await new CompactSign(body).setProtectedHeader(header).sign(joseKey);
      expect(theirs.split('.').slice(0, 2)).toEqual([protectedB64, Buffer.from(body).toString('base64url')]);

      const { payload, protectedHeader } = await compactVerify(`${protectedB64}.${Buffer.from(body).toString('base64url')}.${sig}`, getKey, { algorithms: ['ES256'] });
      expect(Buffer.from(payload).equals(body)).toBe(true);
      expect(protectedHeader).toEqual(header);

      // The thread pool's signature: the same protected header, and it verifies over the same body.
      const pooled = await signDetachedAsync(key, body, { ...claims, iat });
      expect(pooled.split('.')[0]).toBe(protectedB64);
      await expect(verifyDetached(pooled, body, keys.jwks(), { htu: claims.htu })).resolves.toEqual(header);
      await expect(verifyDetached(pooled, randomBytes(body.byteLength + 1), keys.jwks())).rejects.toThrow();
    }
  });

  it('refuses claims that would override the header it owns', async () => {
    const keys = await createSigningKeyStore();
    expect(() => signDetached(keys.active(), new Uint8Array(), { alg: 'none' })).toThrow(/set by the signer/);
    expect(() => signDetached(keys.active(), new Uint8Array(), { kid: 'x' })).toThrow(/set by the signer/);
  });
});
