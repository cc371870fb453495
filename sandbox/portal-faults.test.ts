import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotificationSigner, notification, postNotification, type NotificationSigner } from './portal/portal-client.js';
import { control, inquire, json } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

let signer: NotificationSigner;
let sandbox: RunningSandbox;
let url: string;
const send = (subject: string, sequence: number) => postNotification(url, signer, { body: notification(subject, sequence) });
const portalFault = (fault: Record<string, unknown>) => control(url, 'POST', '/control/faults', { registry: 'national-portal', ...fault });

beforeAll(async () => {
  signer = await createNotificationSigner('parvaneh-test');
  sandbox = await startSandbox({ port: 0, parvanehJwks: signer.jwks });
  url = sandbox.url;
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await control(url, 'POST', '/control/reset');
  await control(url, 'POST', '/control/clock', { offsetMs: 0 });
});

describe('portal faults', () => {
  it('answers 503 with Retry-After during an outage in sandbox time, then accepts', async () => {
    const { now } = json(await control(url, 'GET', '/control/clock'));
    expect((await portalFault({ outageUntilMs: Date.parse(now) + 90_000 })).status).toBe(200);
    const down = await send('app-1', 1);
    expect(down.status).toBe(503);
    expect(down.contentType).toBe('application/problem+json');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(89);
    expect((await inquire(url, 'civil-registry', 'during-outage', '0012345679')).status).toBe(200);

    await control(url, 'POST', '/control/clock', { advanceMs: 91_000 });
    expect(json(await send('app-1', 1)).status).toBe('accepted');
    expect(json(await control(url, 'GET', '/control/portal/notifications')).refused.unavailable).toBe(1);
  });

  it('fails every notification with 503 at errorRate 1 until the fault is deleted', async () => {
    await portalFault({ errorRate: 1 });
    expect((await send('app-1', 1)).status).toBe(503);
    await control(url, 'DELETE', '/control/faults?registry=national-portal');
    expect((await send('app-1', 1)).status).toBe(200);
  });

  it('accepts but answers a truncated body when malformed is set, so the retry is a duplicate', async () => {
    await portalFault({ malformed: true });
    const garbled = await send('app-1', 1);
    expect(garbled.status).toBe(200);
    expect(() => JSON.parse(garbled.text)).toThrow();
    await control(url, 'DELETE', '/control/faults?registry=national-portal');
    expect(json(await send('app-1', 1)).status).toBe('duplicate');
  });

  it('is no inquiry registry, and takes no callback faults', async () => {
    expect((await inquire(url, 'national-portal', 'np-1', '0012345679')).status).toBe(404);
    const refused = await portalFault({ duplicateCallbacks: true });
    expect(refused.status).toBe(400);
    expect(json(refused).detail).toContain('duplicateCallbacks');
  });
});
