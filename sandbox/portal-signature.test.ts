import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotificationSigner, notification, postNotification, type NotificationSigner } from './portal/portal-client.js';
import { control, json, type RawResponse } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

let parvaneh: NotificationSigner;
let stranger: NotificationSigner;
let sandbox: RunningSandbox;
let url: string;

beforeAll(async () => {
  parvaneh = await createNotificationSigner('parvaneh-2026');
  stranger = await createNotificationSigner('stranger');
  sandbox = await startSandbox({ port: 0, parvanehJwks: parvaneh.jwks });
  url = sandbox.url;
});
afterAll(() => sandbox.close());
beforeEach(() => control(url, 'POST', '/control/reset'));

const body = JSON.stringify(notification('app-1', 1));

function expectRefused(res: RawResponse, detail: RegExp) {
  expect(res.status).toBe(401);
  expect(res.contentType).toBe('application/problem+json');
  expect(json(res)).toMatchObject({ type: expect.stringMatching(/invalid-signature$/), status: 401, detail: expect.stringMatching(detail) });
}

describe('portal notification signatures', () => {
  it('refuses a missing or malformed signature header', async () => {
    expectRefused(await postNotification(url, parvaneh, { body, signature: null }), /missing/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: 'not-a-jws' }), /detached compact JWS/);
    const attached = (await parvaneh.sign(body)).replace('..', `.${Buffer.from(body).toString('base64url')}.`);
    expectRefused(await postNotification(url, parvaneh, { body, signature: attached }), /detached compact JWS/);
  });

  it('refuses a signature by a key Parvaneh does not publish, and one by a wrong key under a known kid', async () => {
    expectRefused(await postNotification(url, parvaneh, { body, signature: await stranger.sign(body) }), /kid/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await stranger.sign(body, { kid: 'parvaneh-2026' }) }), /does not match/);
  });

  it('refuses a body changed after signing', async () => {
    const signature = await parvaneh.sign(body);
    const tampered = body.replace('"sequence":1', '"sequence":1 ');
    expectRefused(await postNotification(url, parvaneh, { body: tampered, signature }), /does not match/);
  });

  it('refuses a signature bound to another path or method, without a kid, or with a stale iat', async () => {
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { htu: '/portal/v1/other' }) }), /htu/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { htm: 'PUT' }) }), /htm/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { kid: undefined }) }), /kid/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { iat: now - 301 }) }), /iat/);
    expectRefused(await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { iat: now + 400 }) }), /iat/);
    expect((await postNotification(url, parvaneh, { body, signature: await parvaneh.sign(body, { iat: now - 200 }) })).status).toBe(200);
  });

  it('counts refusals against the subject and accepts nothing from them', async () => {
    await postNotification(url, parvaneh, { body, signature: await stranger.sign(body) });
    await postNotification(url, parvaneh, { body, signature: null });
    const listed = json(await control(url, 'GET', '/control/portal/notifications?subject=app-1'));
    expect(listed.accepted).toEqual([]);
    expect(listed.refused.invalidSignature).toBe(2);
  });
});

describe('Parvaneh JWKS by URL', () => {
  it('fetches the key set and fetches it again when a rotated key signs', async () => {
    const rotated = await createNotificationSigner('parvaneh-2027');
    let published: JSONWebKeySet = parvaneh.jwks;
    let fetches = 0;
    const jwksServer = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(published));
    });
    await new Promise<void>((ready) => jwksServer.listen(0, '127.0.0.1', ready));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    const remote = await startSandbox({ port: 0, parvanehJwksUrl: jwksUrl });
    try {
      expect((await postNotification(remote.url, parvaneh, { body })).status).toBe(200);
      expect(fetches).toBe(1);
      published = { keys: [...parvaneh.jwks.keys, ...rotated.jwks.keys] };
      await new Promise((r) => setTimeout(r, 1_100)); // past the refetch cooldown
      const next = JSON.stringify(notification('app-1', 2));
      expect((await postNotification(remote.url, rotated, { body: next })).status).toBe(200);
      expect(fetches).toBe(2);
    } finally {
      await remote.close();
      jwksServer.closeAllConnections();
      await new Promise((done) => jwksServer.close(done));
    }
  });

  it('refuses every signature when no Parvaneh keys are configured', async () => {
    const keyless = await startSandbox({ port: 0 });
    try {
      expectRefused(await postNotification(keyless.url, parvaneh, { body }), /parvanehJwksUrl/);
    } finally {
      await keyless.close();
    }
  });
});
