/**
 * The civil registry (the first registry every Welfare Services Centre application asks) down
 * for ten minutes of process time while 100 applications wait on it: each inquiry is refused
 * with 503, backs off instead of hammering it, and once the registry returns every application
 * goes on with exactly one inquiry to it.
 */
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, inquiries, tasks } from '../db/schema/index.js';
import { submitApplication } from '../services/applications.js';
import type { ServiceContext } from '../services/context.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { decide, eventually, generatedApplication } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

const APPLICATIONS = 100;
const REGISTRY = 'civil-registry';
const OUTAGE_MS = 10 * 60_000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ sandboxDelayMs: 50 });
});
afterAll(async () => h?.close());

const sandbox = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${h.sandboxUrl}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path} answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<T>;
};

/** The civil-registry activity each application is retrying: its attempt number and last failure. */
async function pendingInquiries(ids: string[]) {
  return Promise.all(ids.map(async (id) => {
    const { raw } = await h.client.workflow.getHandle(workflowIdFor(id)).describe();
    const pending = (raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'sendInquiry');
    return { id, attempt: pending?.attempt ?? 0, lastFailure: pending?.lastFailure?.message ?? '' };
  }));
}

async function civilInquiries(ids: string[]) {
  return (await h.db.db.select().from(inquiries).where(inArray(inquiries.applicationId, ids))).filter((i) => i.registry === REGISTRY);
}

describe('a registry down for ten minutes', () => {
  it('lets 100 waiting applications complete after it returns, with exactly one inquiry each', async () => {
    const started = Date.now();
    const { now } = await sandbox<{ now: string }>('/control/clock');
    await sandbox('/control/faults', { registry: REGISTRY, outageUntilMs: Date.parse(now) + OUTAGE_MS });

    const ctx: ServiceContext = { deps: h.deps, actor: { subject: 'portal', role: 'portal' } };
    const bodies = await Promise.all(Array.from({ length: APPLICATIONS }, (_, i) => generatedApplication(7500 + i)));
    const ids: string[] = [];
    for (let i = 0; i < bodies.length; i += 10) {
      const submitted = await Promise.all(bodies.slice(i, i + 10).map((input) => submitApplication({ ctx, input })));
      ids.push(...submitted.map((s) => s.applicationId));
    }
    const submittedAt = Date.now();

    // Every application asked and was refused: its inquiry waits for its next attempt.
    const refused = await eventually(async () => {
      const pending = await pendingInquiries(ids);
      return pending.every((p) => p.attempt >= 2) ? pending : undefined;
    }, 'every civil-registry inquiry refused once', 60_000);
    expect(refused.filter((p) => p.lastFailure.includes('HTTP 503'))).toHaveLength(APPLICATIONS);

    await h.env.sleep(OUTAGE_MS);
    const duringOutage = await pendingInquiries(ids);
    expect(duringOutage.filter((p) => p.attempt >= 2)).toHaveLength(APPLICATIONS);
    // Backed off: a handful of calls in ten minutes, not one every few seconds.
    const mostAttempts = Math.max(...duringOutage.map((p) => p.attempt));
    expect(mostAttempts).toBeLessThanOrEqual(10);
    expect(await civilInquiries(ids).then((rows) => rows.filter((r) => r.status === 'answered'))).toHaveLength(0);

    // The registry returns (its clock passes the outage's end); process time moves on until every retry has run.
    await sandbox('/control/clock', { advanceMs: OUTAGE_MS });
    let skippedMs = OUTAGE_MS;
    for (;;) {
      const answered = (await civilInquiries(ids)).filter((r) => r.status === 'answered').length;
      if (answered === APPLICATIONS || skippedMs > 4 * OUTAGE_MS) break;
      await h.env.sleep(60_000);
      skippedMs += 60_000;
    }
    const returnedAt = Date.now();

    // The county office ends every application at its interview, the first step after the registries.
    const county = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
    // A hundred processes take their answers at once, beside the rest of the suite on two cores:
    // the waits below end when everything is there, and are long only for a loaded machine.
    const interviews = await eventually(async () => {
      const open = (await h.db.db.select().from(tasks).where(inArray(tasks.applicationId, ids))).filter((t) => t.stepId === 'initial-interview' && t.status === 'open');
      return open.length === APPLICATIONS ? open : undefined;
    }, 'every application at its interview', 300_000);
    for (let i = 0; i < interviews.length; i += 10) {
      await Promise.all(interviews.slice(i, i + 10).map((t) => decide(h, county, t.id, 'reject', 'needs assessment: the county has enough centres')));
    }
    const ended = await eventually(async () => {
      const rows = await h.db.db.select().from(applications).where(inArray(applications.id, ids));
      return rows.every((r) => r.status !== 'running') ? rows : undefined;
    }, 'every application ended', 300_000);
    expect(ended.filter((r) => r.status === 'rejected' && r.outcomeReason === 'REJECTED_AT_INTERVIEW')).toHaveLength(APPLICATIONS);

    // Exactly one inquiry per application reached the registry, and one is recorded for each.
    const received = await sandbox<{ nationalCode: string; attempts: number }[]>(`/control/inquiries?registry=${REGISTRY}`);
    expect(received).toHaveLength(APPLICATIONS);
    expect(new Set(received.map((r) => r.nationalCode))).toEqual(new Set(bodies.map((b) => b.applicant.nationalCode)));
    expect(received.filter((r) => r.attempts === 1)).toHaveLength(APPLICATIONS);
    const recorded = await civilInquiries(ids);
    expect(recorded).toHaveLength(APPLICATIONS);
    expect(new Set(recorded.map((r) => r.applicationId)).size).toBe(APPLICATIONS);
    expect(recorded.every((r) => r.status === 'answered')).toBe(true);

    console.log(`[registry-outage] ${APPLICATIONS} applications: submitted in ${submittedAt - started} ms, `
      + `most attempts during the outage ${mostAttempts}, process time skipped ${skippedMs / 60_000} min, `
      + `registry back to all answered in ${returnedAt - submittedAt} ms real, ended ${Date.now() - started} ms after the start`);
  }, 900_000);
});
