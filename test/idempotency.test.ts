/** `Idempotency-Key` on the real gateway: a replay is the same signed response; a changed body is refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, applicationFor } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let portal: string;

beforeAll(async () => {
  h = await startHarness({ startWorker: false });
  portal = await h.issuer.mint({ role: 'portal' });
});
afterAll(async () => h?.close());

describe('idempotent submissions', () => {
  it('answers a replay with the same signed response and starts one application', async () => {
    const body = await applicationFor(h, '0012345679');
    const headers = { 'idempotency-key': 'portal-request-0001' };
    const first = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body, headers });
    const replay = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body, headers });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('x-jws-signature')).toBe(first.headers.get('x-jws-signature'));
    const list = await api<{ items: { id: string }[] }>(h, 'GET', '/v1/applications', { token: portal });
    expect(list.body.items.filter((a) => a.id === first.body.applicationId)).toHaveLength(1);
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses the same key with a different body, and a POST without a key', async () => {
    const headers = { 'idempotency-key': 'portal-request-0002' };
    expect((await api(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0013579134'), headers })).status).toBe(202);
    const reused = await api<{ type: string }>(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0091234565'), headers });
    expect(reused.status).toBe(409);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
    const missing = await api<{ field: string }>(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0091234565'), headers: { 'idempotency-key': '' } });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('Idempotency-Key');
  });
});
