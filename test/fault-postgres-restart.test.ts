/**
 * PostgreSQL stopped while ten applications are mid-process (registry calls in flight, async
 * answers due) and started again: activities and registry callbacks fail while it is down and
 * are retried, and every application reaches its licence with one inquiry per registry and a
 * timeline without gaps or repeats. The cluster stopped is this file's own, never the shared one.
 */
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, inquiries, licences, tasks } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, attachDocuments, decide, eventually, generatedApplication, sandboxInquiries } from './support/api.js';
import { throughToActivityLicence } from './support/journeys.js';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens } from './support/tokens.js';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres.js';

const APPLICATIONS = 10;
const OUTAGE_MS = 6_000;

let pg: OwnPostgres | undefined;
let h: Harness;

beforeAll(async () => {
  pg = await startOwnPostgres();
  h = await startHarness({ databaseUrl: pg.url, sandboxDelayMs: 2_000 });
});
afterAll(async () => {
  await pg?.start(); // the harness drops its database on close
  await h?.close();
  await pg?.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fault = (body: unknown) => fetch(`${h.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function openTasks(ids: string[], stepId: string) {
  const open = (await h.db.db.select().from(tasks).where(inArray(tasks.applicationId, ids))).filter((t) => t.stepId === stepId && t.status === 'open');
  return open.length === ids.length ? open : undefined;
}

describe('PostgreSQL restarted mid-process', () => {
  it('brings every application to its licence with one inquiry per registry and no repeated event', async () => {
    const { portal, ahvaz, khuzestan } = await officeTokens(h);
    const bodies = await Promise.all(Array.from({ length: APPLICATIONS }, (_, i) => generatedApplication(7300 + i)));
    const ids: string[] = [];
    for (const body of bodies) {
      const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body });
      expect(res.status, res.text).toBe(202);
      ids.push(res.body.applicationId);
    }
    const interviews = await eventually(() => openTasks(ids, 'initial-interview'), 'every interview', 60_000);

    // The addiction registry answers slowly, so its calls are in flight when the database goes.
    await fault({ registry: 'addiction', latencyMs: 2_000 });
    for (const task of interviews) await decide(h, ahvaz, task.id, 'accept');
    await eventually(async () => {
      const sent = await h.db.db.select().from(inquiries).where(inArray(inquiries.applicationId, ids));
      return sent.filter((i) => i.registry === 'addiction').length >= APPLICATIONS / 2 ? true : undefined;
    }, 'addiction inquiries in flight');

    await pg!.stop();
    const downAt = Date.now();
    expect((await api(h, 'GET', '/ready')).status).toBe(503);
    await sleep(OUTAGE_MS - 1_000);
    // While it is down the registry activities fail on their database writes and are retried.
    const pending = (await Promise.all(ids.map(async (id) => (await h.client.workflow.getHandle(workflowIdFor(id)).describe()).raw.pendingActivities ?? []))).flat();
    const retrying = pending.filter((a) => (a.attempt ?? 0) > 1 && a.lastFailure);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    await fetch(`${h.sandboxUrl}/control/faults?registry=addiction`, { method: 'DELETE' });
    await pg!.start();
    console.log(`[postgres-restart] down for ${Date.now() - downAt} ms; ${retrying.length} registry activities were retrying, e.g. ${retrying[0]?.lastFailure?.message}`);
    expect(retrying.length, 'registry activities retried during the outage').toBeGreaterThan(0);
    await eventually(async () => ((await api(h, 'GET', '/ready')).status === 200 ? true : undefined), 'the gateway ready again');

    const decisions = await eventually(() => openTasks(ids, 'province-decision'), 'every application at the province decision', 60_000);
    for (const id of ids) await attachDocuments(h, id);
    for (const task of decisions) await decide(h, khuzestan, task.id, 'approve');
    // The site visit, then the manager's licence each centre waits for.
    await Promise.all(ids.map((applicationId) => throughToActivityLicence(h, { tokens: { portal, ahvaz, khuzestan }, applicationId, from: 'site-visit' })));
    await eventually(async () => {
      const rows = await h.db.db.select().from(applications).where(inArray(applications.id, ids));
      return rows.every((r) => r.status === 'approved') ? rows : undefined;
    }, 'every application approved', 30_000);

    // Nothing lost: two licences and one recorded, answered inquiry per registry for each.
    // (Processes a licence starts beside itself are recorded as its children; only submissions count.)
    const submitted = (await h.db.db.select().from(applications)).filter((r) => r.parentApplicationId === null);
    expect(submitted.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(await h.db.db.select().from(licences).where(inArray(licences.applicationId, ids))).toHaveLength(2 * APPLICATIONS);
    const recorded = await h.db.db.select().from(inquiries).where(inArray(inquiries.applicationId, ids));
    expect(recorded.every((i) => i.status === 'answered')).toBe(true);
    const vetting = ['security-clearance', 'criminal-record', 'addiction'] as const;
    for (const [i, id] of ids.entries()) {
      const { nationalCode, sex } = bodies[i]!.applicant;
      const expected = { 'civil-registry': 1, 'higher-education': 1, ...(sex === 'male' ? { 'military-service': 1 } : {}), ...Object.fromEntries(vetting.map((r) => [r, 1])) };
      expect(countBy(recorded.filter((r) => r.applicationId === id).map((r) => r.registry)), nationalCode).toEqual(expected);
      expect(countBy((await sandboxInquiries(h, nationalCode)).map((r) => r.registry)), nationalCode).toEqual({ ...expected, sms: 2 });
    }
    // The outage did land mid-call: addiction calls were repeated under their key, callbacks redelivered.
    const addiction = (await Promise.all(bodies.map((b) => sandboxInquiries(h, b.applicant.nationalCode)))).flat().filter((r) => r.registry === 'addiction');
    expect(addiction.some((r) => r.attempts > 1)).toBe(true);
    const callbacks = (await (await fetch(`${h.sandboxUrl}/control/inquiries?registry=security-clearance`)).json()) as { deliveries: number; delivered: boolean }[];
    expect(callbacks.every((c) => c.delivered)).toBe(true);
    expect(callbacks.some((c) => c.deliveries > 1), 'a callback refused while the database was down').toBe(true);

    // A timeline without gaps or repeats: seq 1..n, every step entered once, every inquiry answered once.
    const events = await h.db.db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, ids)).orderBy(applicationEvents.applicationId, applicationEvents.seq);
    for (const id of ids) {
      const timeline = events.filter((e) => e.applicationId === id);
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
      const entered = countBy(timeline.filter((e) => e.kind === 'step-started').map((e) => e.stepId!));
      expect(Object.values(entered).every((n) => n === 1), JSON.stringify(entered)).toBe(true);
      const answered = timeline.filter((e) => e.kind === 'inquiry-answered').map((e) => (e.detail as { inquiryId: string }).inquiryId);
      expect(new Set(answered).size).toBe(answered.length);
      expect(answered).toHaveLength(recorded.filter((r) => r.applicationId === id).length);
      expect(timeline.at(-1)!.kind).toBe('application-approved');
    }
  }, 120_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
