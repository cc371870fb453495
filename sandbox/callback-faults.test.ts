import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';
import { control, inquire, json, listedWhen } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

const DELAY_MS = 60_000;
let receiver: CallbackReceiver;
let sandbox: RunningSandbox;
let url: string;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  sandbox = await startSandbox({ port: 0, callbackBaseUrl: receiver.url, asyncDelayMs: DELAY_MS });
  url = sandbox.url;
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
afterEach(async () => {
  await control(url, 'POST', '/control/reset');
  await control(url, 'POST', '/control/clock', { offsetMs: 0 });
  receiver.received.length = 0;
});

const inquiryOf = (cb: ReceivedCallback): string => JSON.parse(cb.rawBody).inquiryId;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes inquiries one after another, then lets their answers fall due together. */
async function answersDueTogether(registry: string, ids: string[]) {
  for (const id of ids) expect((await inquire(url, registry, id, '0012345679')).status).toBe(202);
  await control(url, 'POST', '/control/clock', { advanceMs: DELAY_MS });
}

describe('callback faults', () => {
  it('delivers each answer twice with duplicateCallbacks, the copy identical and a little later', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'criminal-record', duplicateCallbacks: true });
    await answersDueTogether('criminal-record', ['dup-1']);
    await receiver.waitFor(() => receiver.received.length >= 2);
    const [first, copy] = receiver.received;
    expect(copy!.rawBody).toBe(first!.rawBody);
    expect(copy!.headers['x-registry-signature']).toBe(first!.headers['x-registry-signature']);
    await sleep(100);
    expect(receiver.received).toHaveLength(2);
    const listed = await listedWhen(url, 'criminal-record', 'dup-1', (i: { delivered: boolean; deliveries: number }) => i.delivered && i.deliveries >= 2);
    expect(listed).toMatchObject({ inquiryId: 'dup-1', delivered: true, deliveries: 2 });
  });

  it('delivers answers due together newest first with reorderCallbacks', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'security-clearance', reorderCallbacks: true });
    await answersDueTogether('security-clearance', ['sc-1', 'sc-2', 'sc-3']);
    await receiver.waitFor(() => receiver.received.length >= 3);
    expect(receiver.received.map(inquiryOf)).toEqual(['sc-3', 'sc-2', 'sc-1']);
  });

  it('combines both: reversed order, and every answer repeated', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'criminal-record', reorderCallbacks: true, duplicateCallbacks: true });
    await answersDueTogether('criminal-record', ['both-1', 'both-2']);
    await receiver.waitFor(() => receiver.received.length >= 4);
    const order = receiver.received.map(inquiryOf);
    expect(order.slice(0, 1)).toEqual(['both-2']);
    expect(order.filter((id) => id === 'both-1')).toHaveLength(2);
    expect(order.filter((id) => id === 'both-2')).toHaveLength(2);
  });

  it('leaves other registries alone', async () => {
    await control(url, 'POST', '/control/faults', { registry: 'security-clearance', duplicateCallbacks: true });
    await answersDueTogether('criminal-record', ['other-1']);
    await receiver.waitFor(() => receiver.received.length >= 1);
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
  });

  it('refuses callback faults for sync registries', async () => {
    for (const fault of [{ duplicateCallbacks: true }, { reorderCallbacks: true }]) {
      const res = await control(url, 'POST', '/control/faults', { registry: 'civil-registry', ...fault });
      expect(res.status).toBe(400);
      expect(json(res).detail).toContain(Object.keys(fault)[0]);
    }
  });
});
