/**
 * Notifications to the national permits portal: the outbox delivery workflow on the time-skipping
 * server, our signing key, and the portal simulator verifying it, over HTTP on loopback.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalActivities } from '../activities/national-portal.js';
import { enqueueNotification } from '../domain/outbox.js';
import { outbox } from '../db/schema/index.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { ensureOutboxDelivery } from '../worker/outbox-delivery.js';
import { signerFor } from '../worker/signer.js';
import { outboxChangedSignal, outboxTaskQueueFor, outboxWorkflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, eventually, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
const DAY_MS = 86_400_000;

interface Accepted { notificationId: string; subject: string; sequence: number; event: string; receiptId: string }
interface PortalLog { accepted: Accepted[]; duplicates: number; refused: Record<string, number> }

const portalLog = async (): Promise<PortalLog> => json<PortalLog>(await control(h.sandboxUrl, 'GET', '/control/portal/notifications'));
const sandboxNow = async () => Date.parse(json<{ now: string }>(await control(h.sandboxUrl, 'GET', '/control/clock')).now);
const wake = () => h.client.workflow.getHandle(h.outboxWorkflowId).signal(outboxChangedSignal);
const undelivered = async () => (await h.db.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.deliveredAt))).length;

/** Queues `events` notifications for each subject, interleaving subjects as concurrent processes would. */
async function queue(subjects: string[], events: number) {
  for (let e = 1; e <= events; e++) {
    await Promise.all(subjects.map((subject) => enqueueNotification(h.db.db, {
      dedupeKey: `${subject}:${e}`, subject, event: `licence-event-${e}`, payload: { step: e },
    })));
  }
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('notifications to the national permits portal', () => {
  it('tells the portal that an application was rejected, signed with our key and acknowledged', async () => {
    const token = await h.issuer.mint({ role: 'portal' });
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token, body: await applicationFor(h, '0023456787') });
    expect(res.status, res.text).toBe(202);
    const { applicationId } = res.body;
    expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'rejected', reason: 'AGE_BELOW_MINIMUM' });
    const accepted = await eventually(async () => (await portalLog()).accepted.find((n) => n.subject === applicationId), 'the rejection at the portal');
    expect(accepted).toMatchObject({ event: 'application-rejected', sequence: 1 });
    const row = await eventually(async () => {
      const [r] = await h.db.db.select().from(outbox).where(eq(outbox.subject, applicationId));
      return r?.deliveredAt ? r : undefined;
    }, 'the acknowledgement recorded');
    expect(row).toMatchObject({ receiptId: accepted.receiptId, lastError: null });
  });

  it('delivers every notification once and in order per licence after the portal was down for a day', async () => {
    const before = await portalLog();
    await control(h.sandboxUrl, 'POST', '/control/faults', { registry: 'national-portal', outageUntilMs: (await sandboxNow()) + DAY_MS });
    const subjects = ['WSC-AL-TEST-1', 'WSC-AL-TEST-2', 'WSC-AL-TEST-3', 'WSC-PA-TEST-4', 'WSC-PA-TEST-5'];
    await queue(subjects, 4);
    await wake();
    // The test server skips a whole sleep at once: an hour at a time lets the backoff timers fire between.
    for (let hour = 0; hour < 24; hour++) {
      await h.env.sleep(3_600_000);
      await new Promise((r) => setTimeout(r, 250));
    }
    // A day of attempts, all refused: nothing reached the portal, every row was tried more than once.
    expect((await portalLog()).accepted.length).toBe(before.accepted.length);
    const tried = await h.db.db.select().from(outbox).where(isNull(outbox.deliveredAt));
    expect(tried).toHaveLength(20);
    // Each licence's first notification was tried all day; the later ones wait behind it, untried.
    const firsts = tried.filter((r) => r.sequence === 1);
    expect(Math.min(...firsts.map((r) => r.attempts))).toBeGreaterThan(3);
    for (const first of firsts) expect(first.lastError).toMatch(/503/);
    expect(tried.filter((r) => r.sequence > 1).every((r) => r.attempts === 0)).toBe(true);
    // Operators see it on /metrics: twenty notifications waiting, the oldest a day old.
    const metrics = (await api(h, 'GET', '/metrics', { token: await h.issuer.mint({ role: 'integrator' }) })).text;
    expect(metrics).toMatch(/^parvaneh_outbox_undelivered 20$/m);
    expect(Number(/^parvaneh_outbox_oldest_undelivered_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);

    await control(h.sandboxUrl, 'POST', '/control/clock', { advanceMs: DAY_MS });
    await h.env.sleep(3_600_000);
    await new Promise((r) => setTimeout(r, 250));
    await h.env.sleep(3_600_000);
    await eventually(async () => ((await undelivered()) === 0 ? true : undefined), 'the outbox drained');
    const after = await portalLog();
    const mine = after.accepted.filter((n) => subjects.includes(n.subject));
    expect(mine).toHaveLength(20);
    for (const subject of subjects) {
      expect(mine.filter((n) => n.subject === subject).map((n) => n.sequence)).toEqual([1, 2, 3, 4]);
    }
    expect(new Set(mine.map((n) => n.notificationId)).size).toBe(20);
    expect(after.duplicates).toBe(before.duplicates);
  });

  it('sends again a notification whose acknowledgement was lost, and the portal counts it once', async () => {
    const before = await portalLog();
    const [row] = await h.db.db.select().from(outbox).where(eq(outbox.subject, 'WSC-AL-TEST-1')).orderBy(outbox.sequence).limit(1);
    await h.db.db.update(outbox).set({ deliveredAt: null, receiptId: null }).where(eq(outbox.id, row!.id));
    await wake();
    const again = await eventually(async () => {
      const [r] = await h.db.db.select().from(outbox).where(eq(outbox.id, row!.id));
      return r?.deliveredAt ? r : undefined;
    }, 'the re-delivery');
    expect(again.receiptId).toBe(row!.receiptId);
    const after = await portalLog();
    expect(after.accepted).toHaveLength(before.accepted.length);
    expect(after.duplicates).toBe(before.duplicates + 1);
  });

  it('is refused by the portal when signed with a key we do not publish, and delivered once signed right', async () => {
    await h.client.workflow.getHandle(h.outboxWorkflowId).terminate('test: deliver by hand');
    await queue(['WSC-AL-FORGED'], 1);
    const forger = createPortalActivities({ baseUrl: h.sandboxUrl, db: h.db.db, sign: signerFor(await createSigningKeyStore()) });
    const run = await new MockActivityEnvironment().run(forger.deliverPendingNotifications);
    expect(run).toMatchObject({ delivered: 0, failed: 1, pending: 1 });
    const [refused] = await h.db.db.select().from(outbox).where(eq(outbox.subject, 'WSC-AL-FORGED'));
    expect(refused!.lastError).toMatch(/401.*invalid-signature/);
    expect((await portalLog()).refused.invalidSignature).toBeGreaterThan(0);

    // After a key rotation the portal fetches our new key by its kid.
    await h.signingKeys.rotate();
    await ensureOutboxDelivery(h.client, h.taskQueue);
    await eventually(async () => ((await undelivered()) === 0 ? true : undefined), 'the forged one delivered with our key');
    expect((await portalLog()).accepted.filter((n) => n.subject === 'WSC-AL-FORGED')).toHaveLength(1);
  });

  it('runs on its own task queue; a delivery started on the licence queue, as before 1405/09, moves there at its next turn', async () => {
    const handle = h.client.workflow.getHandle(h.outboxWorkflowId);
    expect(h.outboxWorkflowId).toBe(outboxWorkflowIdFor(h.taskQueue));
    expect((await handle.describe()).taskQueue).toBe(outboxTaskQueueFor(h.taskQueue));

    // As the code before did: the delivery on the licence processes' queue.
    await handle.terminate('test: start it as the release before did');
    const old = await h.client.workflow.start('outboxDelivery', { taskQueue: h.taskQueue, workflowId: h.outboxWorkflowId, args: [{}] });
    await queue(['WSC-AL-MOVED'], 2);
    await wake();
    await eventually(async () => ((await undelivered()) === 0 ? true : undefined), 'delivered after the move');
    expect((await portalLog()).accepted.filter((n) => n.subject === 'WSC-AL-MOVED').map((n) => n.sequence)).toEqual([1, 2]);
    const first = await h.client.workflow.getHandle(h.outboxWorkflowId, old.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(first.taskQueue).toBe(h.taskQueue);
    expect((await handle.describe()).taskQueue).toBe(outboxTaskQueueFor(h.taskQueue));
  });
});
