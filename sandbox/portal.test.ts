import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotificationSigner, notification, postNotification, type NotificationSigner } from './portal/portal-client.js';
import { control, json } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

let signer: NotificationSigner;
let sandbox: RunningSandbox;
let url: string;
const send = (body: Record<string, unknown> | string, extra: { headers?: Record<string, string | null> } = {}) =>
  postNotification(url, signer, { body, ...extra });
const notifications = async (subject?: string) =>
  json(await control(url, 'GET', `/control/portal/notifications${subject ? `?subject=${subject}` : ''}`));

beforeAll(async () => {
  signer = await createNotificationSigner('parvaneh-test');
  sandbox = await startSandbox({ port: 0, parvanehJwks: signer.jwks });
  url = sandbox.url;
});
afterAll(() => sandbox.close());
beforeEach(() => control(url, 'POST', '/control/reset'));

describe('portal notifications', () => {
  it('accepts the next sequence of a subject with a receipt and lists it', async () => {
    const first = await send(notification('app-1', 1));
    expect(first.status).toBe(200);
    expect(json(first)).toEqual({ status: 'accepted', receiptId: expect.stringMatching(/^NPP-/) });
    expect((await send(notification('app-1', 2, { event: 'licence-issued' }))).status).toBe(200);
    expect((await send(notification('app-2', 1))).status).toBe(200);

    const listed = await notifications('app-1');
    expect(listed.accepted.map((n: { sequence: number }) => n.sequence)).toEqual([1, 2]);
    expect(listed.accepted[0]).toMatchObject({
      notificationId: 'app-1-1', subject: 'app-1', event: 'principle-agreement-issued', occurredAt: expect.any(String),
      receiptId: json(first).receiptId, receivedAt: expect.any(String), deliveries: 1,
    });
    expect((await notifications()).accepted).toHaveLength(3);
  });

  it('answers a repeated notificationId as a duplicate with the original receipt, changing nothing', async () => {
    const first = json(await send(notification('app-1', 1)));
    const again = await send(notification('app-1', 1));
    expect(again.status).toBe(200);
    expect(json(again)).toEqual({ status: 'duplicate', receiptId: first.receiptId });
    expect((await send(notification('app-1', 2))).status).toBe(200);
    // Still a duplicate once later sequences are in.
    expect(json(await send(notification('app-1', 1)))).toEqual({ status: 'duplicate', receiptId: first.receiptId });
    const listed = await notifications('app-1');
    expect(listed.accepted).toHaveLength(2);
    expect(listed.accepted[0].deliveries).toBe(3);
    expect(listed.duplicates).toBe(2);
  });

  it('refuses a gap in the sequence with 409 out-of-order naming the expected sequence', async () => {
    await send(notification('app-1', 1));
    const res = await send(notification('app-1', 3));
    expect(res.status).toBe(409);
    expect(res.contentType).toBe('application/problem+json');
    expect(json(res)).toMatchObject({ type: expect.stringMatching(/out-of-order$/), status: 409, expectedSequence: 2 });
    const fresh = await send(notification('app-9', 2));
    expect(json(fresh)).toMatchObject({ type: expect.stringMatching(/out-of-order$/), expectedSequence: 1 });
    expect((await notifications('app-1')).refused.outOfOrder).toBe(1);
    expect((await notifications()).refused.outOfOrder).toBe(2);
  });

  it('refuses a new notificationId for a sequence already taken with 409 sequence-conflict', async () => {
    await send(notification('app-1', 1));
    await send(notification('app-1', 2));
    const res = await send(notification('app-1', 2, { notificationId: 'another-id' }));
    expect(res.status).toBe(409);
    expect(json(res)).toMatchObject({ type: expect.stringMatching(/sequence-conflict$/), expectedSequence: 3 });
    const listed = await notifications('app-1');
    expect(listed.accepted).toHaveLength(2);
    expect(listed.refused.sequenceConflict).toBe(1);
  });

  it('answers 400 problem+json naming the field for a malformed body', async () => {
    const cases: [Record<string, unknown> | string, string, Record<string, string | null>?][] = [
      ['{"notificationId": "x",', 'body'],
      [notification('app-1', 0), 'sequence'],
      [notification('app-1', 1.5), 'sequence'],
      [notification('app-1', 1, { occurredAt: 'yesterday' }), 'occurredAt'],
      [notification('app-1', 1, { payload: [1, 2] }), 'payload'],
      [notification('app-1', 1, { subject: undefined }), 'subject'],
      [notification('app-1', 1), 'idempotency-key', { 'idempotency-key': 'other' }],
      [notification('app-1', 1), 'content-type', { 'content-type': 'text/plain' }],
    ];
    for (const [body, field, headers] of cases) {
      const res = await send(body, { headers });
      expect(res.status, field).toBe(400);
      expect(res.contentType).toBe('application/problem+json');
      expect(json(res).detail, field).toContain(`${field}:`);
    }
    const listed = await notifications();
    expect(listed.accepted).toEqual([]);
    expect(listed.refused.malformed).toBe(cases.length);
  });

  it('forgets notifications and counts on reset', async () => {
    await send(notification('app-1', 1));
    await send(notification('app-1', 1));
    await control(url, 'POST', '/control/reset');
    expect(await notifications()).toEqual({
      accepted: [], duplicates: 0,
      refused: { invalidSignature: 0, outOfOrder: 0, sequenceConflict: 0, malformed: 0, unavailable: 0 },
    });
    expect(json(await send(notification('app-1', 1))).status).toBe('accepted');
  });
});
