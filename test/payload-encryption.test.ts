/**
 * Personal data in Temporal's history (issue 13): every payload is encrypted before it reaches the
 * server (platform/payload-codec.ts), so the raw history holds no national code and no name; the
 * national office reads it through the gateway's codec endpoint, nobody else can.
 */
import type { Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { like } from 'drizzle-orm';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSED_ENCODING, createPayloadCodec, ENCRYPTED_ENCODING, encryptingDataConverter, generatePayloadKeys } from '../platform/payload-codec.js';
import { idempotencyKeys } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { tokenFor } from './support/tokens.js';

let h: Harness;
const NATIONAL_CODE = '0023456787';
const LAST_NAME = 'کریمی';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** Every payload in a history (any object with `data` bytes and a `metadata` map), with where it is. */
function payloadsWithPaths(value: unknown, found: { path: string; payload: Payload }[] = [], path = ''): { path: string; payload: Payload }[] {
  if (!value || typeof value !== 'object') return found;
  const v = value as Record<string, unknown>;
  if (v.data instanceof Uint8Array && v.metadata && typeof v.metadata === 'object') found.push({ path, payload: v as Payload });
  else for (const [k, child] of Object.entries(v)) payloadsWithPaths(child, found, `${path}.${k}`);
  return found;
}
const payloadsIn = (value: unknown) => payloadsWithPaths(value).map((p) => p.payload);

/**
 * What the SDK itself writes, outside any codec: a local activity marker's bookkeeping (`data`:
 * activity type and sequence), patch markers and the `TemporalChangeVersion` search attribute.
 */
const SDK_OWN = /markerRecordedEventAttributes\.details\.(data|patch-data)\.|searchAttributes\.indexedFields\.TemporalChangeVersion/;

const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'utf8'));

describe('personal data in the Temporal history', () => {
  let applicationId: string;
  let history: proto.temporal.api.history.v1.IHistory;

  beforeAll(async () => {
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: await tokenFor(h, 'portal'), body: await applicationFor(h, NATIONAL_CODE) });
    expect(res.status, res.text).toBe(202);
    applicationId = res.body.applicationId;
    await processEnded(h, applicationId);
    // Straight from the server, through no codec.
    const raw = await h.client.workflowService.getWorkflowExecutionHistory({ namespace: h.env.namespace ?? 'default', execution: { workflowId: workflowIdFor(applicationId) } });
    history = raw.history!;
  });

  it('holds no national code and no name in the raw history bytes; every payload is encrypted', async () => {
    const bytes = proto.temporal.api.history.v1.History.encode(history).finish();
    expect(bytes.length).toBeGreaterThan(1000);
    expect(contains(bytes, NATIONAL_CODE), 'the national code in the raw history').toBe(false);
    expect(contains(bytes, LAST_NAME), 'the last name in the raw history').toBe(false);
    const payloads = payloadsIn(history);
    const ours = payloadsWithPaths(history).filter((p) => !SDK_OWN.test(p.path));
    // The input, the result and the database writes' markers (fewer since the timeline is written in batches).
    expect(ours.length).toBeGreaterThan(3);
    for (const p of ours) expect(Buffer.from(p.payload.metadata!.encoding!).toString(), p.path).toBe(ENCRYPTED_ENCODING);
    // The larger ones (the application's start, with its process definition) were compressed before they were encrypted.
    const decrypted = await h.payloadCodec.decode(payloads);
    expect(decrypted.some((p) => Buffer.from(p.metadata!.encoding!).toString() === COMPRESSED_ENCODING)).toBe(true);
    // The control: decoded with the keys, as the workers do, the same history does name the applicant.
    let clear = payloads;
    for (const codec of [...encryptingDataConverter(h.payloadCodec).payloadCodecs].reverse()) clear = await codec.decode(clear);
    expect(clear.some((p) => contains(p.data!, NATIONAL_CODE))).toBe(true);
  });

  it('decodes the history through the codec endpoint for the national office only', async () => {
    const encrypted = payloadsIn(history).map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    }));
    const body = { payloads: encrypted };
    const national = await api<{ payloads: { metadata: Record<string, string>; data: string }[] }>(h, 'POST', '/v1/codec/decode', { token: await tokenFor(h, 'national'), body, headers: { 'idempotency-key': '' } });
    expect(national.status, national.text).toBe(200);
    expect(national.body.payloads).toHaveLength(encrypted.length);
    expect(national.body.payloads.some((p) => Buffer.from(p.data, 'base64').toString('utf8').includes(NATIONAL_CODE))).toBe(true);
    expect(Buffer.from(national.body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');

    for (const caller of ['portal', 'integrator', 'ahvaz', 'khuzestan'] as const) {
      const refused = await api(h, 'POST', '/v1/codec/decode', { token: await tokenFor(h, caller), body, headers: { 'idempotency-key': '' } });
      expect(refused.status, `${caller}: ${refused.text}`).toBe(403);
    }
    const anonymous = await api(h, 'POST', '/v1/codec/decode', { body, headers: { 'idempotency-key': '' } });
    expect([401, 403]).toContain(anonymous.status);
    // Nothing of the answer is kept for an idempotent replay (it is personal data in clear).
    const kept = await h.db.db.select({ path: idempotencyKeys.path }).from(idempotencyKeys).where(like(idempotencyKeys.path, '/v1/codec/%'));
    expect(kept).toEqual([]);
  });

  it('encodes through the endpoint what the workers decode, and refuses a payload from an unknown key', async () => {
    const clear = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') };
    const token = await tokenFor(h, 'national');
    const encoded = await api<{ payloads: { metadata: Record<string, string>; data: string }[] }>(h, 'POST', '/v1/codec/encode', { token, body: { payloads: [clear] }, headers: { 'idempotency-key': '' } });
    expect(encoded.status, encoded.text).toBe(200);
    const [back] = await h.payloadCodec.decode(encoded.body.payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(p.data, 'base64'),
    })));
    expect(Buffer.from(back!.data!).toString()).toBe('"x"');

    const [foreign] = await createPayloadCodec(generatePayloadKeys('other-key')).encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"y"') }]);
    const wire = { metadata: Object.fromEntries(Object.entries(foreign!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(foreign!.data!).toString('base64') };
    const refused = await api<{ field?: string }>(h, 'POST', '/v1/codec/decode', { token, body: { payloads: [wire] }, headers: { 'idempotency-key': '' } });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.text).toContain('payloads');

    // A large payload is compressed inside its encryption, and comes back whole; one that would inflate past 4 MiB is refused, not a 5xx.
    const large = JSON.stringify({ steps: Array.from({ length: 200 }, (_, i) => ({ id: `step-${i}`, type: 'task', role: 'county-office' })) });
    const wireClear = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(large).toString('base64') };
    const sealed = await api<{ payloads: { metadata: Record<string, string>; data: string }[] }>(h, 'POST', '/v1/codec/encode', { token, body: { payloads: [wireClear] }, headers: { 'idempotency-key': '' } });
    expect(sealed.status, sealed.text).toBe(200);
    expect(Buffer.from(sealed.body.payloads[0]!.data, 'base64').length).toBeLessThan(large.length / 3);
    const opened = await api<{ payloads: { data: string }[] }>(h, 'POST', '/v1/codec/decode', { token, body: sealed.body, headers: { 'idempotency-key': '' } });
    expect(Buffer.from(opened.body.payloads[0]!.data, 'base64').toString()).toBe(large);
    const bomb = { metadata: { encoding: Buffer.from(COMPRESSED_ENCODING).toString('base64') }, data: deflateSync(Buffer.alloc(8 * 1024 * 1024)).toString('base64') };
    const tooLarge = await api(h, 'POST', '/v1/codec/decode', { token, body: { payloads: [bomb] }, headers: { 'idempotency-key': '' } });
    expect(tooLarge.status, tooLarge.text).toBe(400);
    expect(tooLarge.text).toContain('payloads');
  });

  it('answers the Temporal UI\'s CORS preflight from the configured origin only', async () => {
    process.env.CODEC_CORS_ORIGIN = 'http://localhost:8233';
    try {
      const preflight = (origin: string) => fetch(`${h.gatewayUrl}/v1/codec/decode`, {
        method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
      const allowed = await preflight('http://localhost:8233');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
      const other = await preflight('https://evil.example');
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const decoded = await api(h, 'POST', '/v1/codec/decode', { token: await tokenFor(h, 'national'), body: { payloads: [] }, headers: { 'idempotency-key': '', origin: 'http://localhost:8233' } });
      expect(decoded.status, decoded.text).toBe(200);
      expect(decoded.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    } finally {
      delete process.env.CODEC_CORS_ORIGIN;
    }
  });
});
