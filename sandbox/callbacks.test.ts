import { compactVerify, createLocalJWKSet } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';
import { control, inquire, json, listedWhen } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

const DAY_MS = 86_400_000;
let receiver: CallbackReceiver;
let sandbox: RunningSandbox;
let url: string;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  sandbox = await startSandbox({ port: 0, callbackBaseUrl: receiver.url, asyncDelayMs: 200 });
  url = sandbox.url;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
afterEach(async () => {
  await control(url, 'POST', '/control/reset');
  await control(url, 'POST', '/control/clock', { offsetMs: 0 });
  receiver.script.length = 0;
});

const forInquiry = (id: string) => (cb: ReceivedCallback) => JSON.parse(cb.rawBody).inquiryId === id;
const base64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Verifies a detached JWS against a registry's JWKS by re-attaching the payload. */
async function verify(signature: string, rawBody: string, registry = JSON.parse(rawBody).registry as string) {
  const jwks = createLocalJWKSet(json(await control(url, 'GET', `/registries/${registry}/jwks.json`)));
  const [header, , sig] = signature.split('.');
  return compactVerify(`${header}.${base64url(rawBody)}.${sig}`, jwks, { algorithms: ['ES256'] });
}

describe('async answers', () => {
  it('accepts with 202 and delivers a signed answer to the gateway callback', async () => {
    const res = await inquire(url, 'criminal-record', 'cr-1', '0034567895');
    expect(res.status).toBe(202);
    expect(json(res)).toMatchObject({ inquiryId: 'cr-1', status: 'accepted', expectedAt: expect.any(String) });

    const cb = await receiver.waitFor(forInquiry('cr-1'));
    expect(cb.path).toBe('/v1/callbacks/registries/criminal-record');
    expect(JSON.parse(cb.rawBody)).toMatchObject({
      inquiryId: 'cr-1', registry: 'criminal-record', nationalCode: '0034567895', answer: { status: 'record' },
      answeredAt: expect.any(String),
    });
    const signature = String(cb.headers['x-registry-signature']);
    expect(signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
    const { protectedHeader } = await verify(signature, cb.rawBody);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: expect.any(String), typ: 'registry-callback+jws', iss: 'criminal-record', jti: expect.any(String) });
    expect(Math.abs((protectedHeader.iat as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('signs each registry\'s callbacks with its own key: another registry\'s key set does not verify them', async () => {
    const all = json(await control(url, 'GET', '/registries/jwks.json')) as Record<string, { keys: { kid: string; x: string }[] }>;
    expect(Object.keys(all).sort()).toEqual(['criminal-record', 'security-clearance']);
    expect(all['criminal-record']!.keys[0]!.x).not.toBe(all['security-clearance']!.keys[0]!.x);
    await inquire(url, 'security-clearance', 'sc-own-key', '0012345679');
    const cb = await receiver.waitFor(forInquiry('sc-own-key'));
    const signature = String(cb.headers['x-registry-signature']);
    await expect(verify(signature, cb.rawBody, 'security-clearance')).resolves.toBeDefined();
    await expect(verify(signature, cb.rawBody, 'criminal-record')).rejects.toThrow();
  });

  it('signature fails to verify when one body byte is flipped', async () => {
    await inquire(url, 'security-clearance', 'sc-flip', '0012345679');
    const cb = await receiver.waitFor(forInquiry('sc-flip'));
    const bytes = Buffer.from(cb.rawBody, 'utf8');
    bytes[10] = bytes[10]! ^ 0x01;
    await expect(verify(String(cb.headers['x-registry-signature']), bytes.toString('utf8'))).rejects.toThrow();
  });

  it('answers security clearance for 0045678911 only after ten days of sandbox time, then "clear"', async () => {
    await inquire(url, 'security-clearance', 'sc-10d', '0045678911');
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.received.some(forInquiry('sc-10d'))).toBe(false);

    await control(url, 'POST', '/control/clock', { advanceMs: 9 * DAY_MS });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.some(forInquiry('sc-10d'))).toBe(false);

    await control(url, 'POST', '/control/clock', { advanceMs: DAY_MS });
    const cb = await receiver.waitFor(forInquiry('sc-10d'), 5000);
    expect(JSON.parse(cb.rawBody).answer).toEqual({ status: 'clear' });
  });

  it('reports security clearance denied for 0056789122', async () => {
    await inquire(url, 'security-clearance', 'sc-denied', '0056789122');
    expect(JSON.parse((await receiver.waitFor(forInquiry('sc-denied'))).rawBody).answer).toEqual({ status: 'denied' });
  });

  it('retries delivery after 5xx until the gateway answers 2xx', async () => {
    receiver.script.push(503, 500);
    await inquire(url, 'criminal-record', 'cr-retry', '0012345679');
    await receiver.waitFor(() => receiver.received.filter(forInquiry('cr-retry')).length >= 3, 4000);
    const listed = await listedWhen(url, 'criminal-record', 'cr-retry', (i: { delivered: boolean }) => i.delivered);
    expect(listed).toMatchObject({ inquiryId: 'cr-retry', delivered: true, deliveries: 3 });
  });

  it('stops retrying when the gateway answers a 4xx other than 408/429', async () => {
    receiver.script.push(400);
    await inquire(url, 'criminal-record', 'cr-400', '0012345679');
    await receiver.waitFor(forInquiry('cr-400'));
    await new Promise((r) => setTimeout(r, 800));
    const [listed] = json(await control(url, 'GET', '/control/inquiries?registry=criminal-record'));
    expect(listed).toMatchObject({ inquiryId: 'cr-400', delivered: false, deliveries: 1 });
  });
});

describe('without a callback url', () => {
  it('keeps due answers pending and readable at /control/inquiries', async () => {
    const quiet = await startSandbox({ port: 0, asyncDelayMs: 0 });
    try {
      await inquire(quiet.url, 'criminal-record', 'cr-quiet', '0034567895');
      await new Promise((r) => setTimeout(r, 250));
      const [listed] = json(await control(quiet.url, 'GET', '/control/inquiries'));
      expect(listed).toMatchObject({ inquiryId: 'cr-quiet', answer: { status: 'record' }, delivered: false, deliveries: 0 });
      expect(listed.answeredAt).toEqual(expect.any(String));
    } finally {
      await quiet.close();
    }
  });
});
