/**
 * The portal link (issue 13): a notification the national permits portal refuses as malformed is
 * not retried forever. It becomes a dead letter operators see (gauge, list) and retry after a fix;
 * its licence's later notifications wait behind it, other licences' flow on.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../db/schema/index.js';
import { enqueueNotification } from '../domain/outbox.js';
import { outboxChangedSignal } from '../domain/workflow-interfaces/licence-process.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { api, eventually } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { tokenFor } from './support/tokens.js';

let h: Harness;

interface PortalLog { accepted: { subject: string; sequence: number }[]; refused: Record<string, number> }
const portalLog = async (subject: string): Promise<PortalLog> => json<PortalLog>(await control(h.sandboxUrl, 'GET', `/control/portal/notifications?subject=${subject}`));
const wake = () => h.client.workflow.getHandle(h.outboxWorkflowId).signal(outboxChangedSignal);
const row = async (subject: string, sequence: number) => (await h.db.db.select().from(outbox).where(and(eq(outbox.subject, subject), eq(outbox.sequence, sequence))))[0]!;
const accepted = async (subject: string) => (await portalLog(subject)).accepted.map((n) => n.sequence);

async function queue(subject: string, events: number) {
  for (let e = 1; e <= events; e++) await enqueueNotification(h.db.db, { dedupeKey: `${subject}:${e}`, subject, event: `licence-event-${e}`, payload: { step: e } });
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('a notification the portal refuses as malformed', () => {
  const A = 'WSC-AL-DEAD-1';
  const B = 'WSC-AL-DEAD-2';
  const C = 'WSC-AL-DEAD-3';

  it('becomes a dead letter: tried once, seen by operators, its licence\'s later ones held, other licences delivered', async () => {
    await queue(A, 3);
    await queue(B, 2);
    const refused = await row(A, 2);
    await control(h.sandboxUrl, 'PUT', `/control/portal/refuse/parvaneh-${refused.id}`);
    await wake();
    await eventually(async () => ((await accepted(B)).length === 2 ? true : undefined), 'the other licence delivered');
    await eventually(async () => ((await row(A, 2)).deadLetteredAt ? true : undefined), 'the refused notification dead-lettered');
    expect(await accepted(A)).toEqual([1]);

    // An hour of backoff timers later it has still been tried only once, and its successor never.
    await h.env.sleep(3_600_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await row(A, 2)).toMatchObject({ attempts: 1, lastError: 'HTTP 400 urn:parvaneh:sandbox:problem:invalid-body' });
    expect((await row(A, 3)).attempts).toBe(0);
    expect((await portalLog(A)).refused.malformed).toBe(1);

    // A new licence's notification goes out at once: the delivery is not backing off for the dead letter.
    await queue(C, 1);
    await wake();
    await eventually(async () => ((await accepted(C)).length === 1 ? true : undefined), 'a later licence delivered', 10_000);

    const national = await tokenFor(h, 'national');
    const list = await api<{ items: { id: string; subject: string; sequence: number; waitingBehind: number; lastError: string }[] }>(h, 'GET', '/v1/portal-notifications/dead-letters', { token: national });
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: String(refused.id), subject: A, sequence: 2, waitingBehind: 1, lastError: 'HTTP 400 urn:parvaneh:sandbox:problem:invalid-body' })]);
    expect(JSON.stringify(list.body)).not.toContain('payload');
    for (const caller of ['portal', 'integrator', 'ahvaz'] as const) {
      expect((await api(h, 'GET', '/v1/portal-notifications/dead-letters', { token: await tokenFor(h, caller) })).status).toBe(403);
    }
    const metrics = (await api(h, 'GET', '/metrics', { token: await tokenFor(h, 'integrator') })).text;
    expect(metrics).toMatch(/^parvaneh_outbox_dead_letters 1$/m);
    const [audited] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'portal-notification.dead-lettered'), eq(auditLog.subjectId, String(refused.id))));
    expect(audited?.actor).toBe('system:outbox-delivery');
  });

  it('after a fix the national office retries it: it and the ones behind it are delivered in order, audited', async () => {
    const refused = await row(A, 2);
    const national = await tokenFor(h, 'national');
    expect((await api(h, 'POST', `/v1/portal-notifications/${refused.id}/retry`, { token: await tokenFor(h, 'portal') })).status).toBe(403);
    await control(h.sandboxUrl, 'DELETE', `/control/portal/refuse/parvaneh-${refused.id}`);
    const retried = await api(h, 'POST', `/v1/portal-notifications/${refused.id}/retry`, { token: national });
    expect(retried.status, retried.text).toBe(202);
    expect(retried.body).toMatchObject({ id: String(refused.id), subject: A, sequence: 2, state: 'pending' });
    await eventually(async () => ((await accepted(A)).length === 3 ? true : undefined), 'the licence\'s queue drained');
    expect(await accepted(A)).toEqual([1, 2, 3]);
    expect((await api<{ items: unknown[] }>(h, 'GET', '/v1/portal-notifications/dead-letters', { token: national })).body.items).toEqual([]);
    const again = await api<{ field?: string }>(h, 'POST', `/v1/portal-notifications/${refused.id}/retry`, { token: national });
    expect(again.status).toBe(404);
    const [audited] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'portal-notification.retried'), eq(auditLog.subjectId, String(refused.id))));
    expect(audited).toBeDefined();
  });
});
