/**
 * A worker killed with SIGKILL mid-process: another worker picks the applications up where the
 * history says they were, and no registry receives an inquiry twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, inquiries, tasks } from '../db/schema/index.js';
import { api, attachDocuments, decide, eventually, generatedApplication, sandboxInquiries } from './support/api.js';
import { throughToActivityLicence } from './support/journeys.js';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens } from './support/tokens.js';

let h: Harness;
let worker: ChildProcess | undefined;

function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: { ...process.env, TEMPORAL_ADDRESS: h.env.address, DATABASE_URL: h.db.url, REGISTRY_BASE_URL: h.sandboxUrl, TASK_QUEUE: h.taskQueue, SIGNING_KEYS_PATH: h.signingKeysPath, PAYLOAD_KEYS_PATH: h.payloadKeysPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => { output += d; });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('[worker] running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
}

beforeAll(async () => {
  h = await startHarness({ temporal: 'dev-server', startWorker: false, sandboxDelayMs: 1500 });
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await h?.close();
});

describe('a worker killed mid-process', () => {
  it('resumes every application on another worker without repeating an inquiry', async () => {
    const { portal, ahvaz, khuzestan } = await officeTokens(h);
    worker = await startWorkerProcess();
    const seeds = Array.from({ length: 10 }, (_, i) => 5000 + i);
    const bodies = await Promise.all(seeds.map((s) => generatedApplication(s)));
    const ids: string[] = [];
    for (const body of bodies) {
      const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body });
      expect(res.status).toBe(202);
      ids.push(res.body.applicationId);
    }
    const interviews = await eventually(async () => {
      const open = (await h.db.db.select().from(tasks).where(inArray(tasks.applicationId, ids))).filter((t) => t.stepId === 'initial-interview');
      return open.length === ids.length ? open : undefined;
    }, 'interviews');
    // Slow the addiction registry so that the kill lands while inquiries are in flight.
    await fetch(`${h.sandboxUrl}/control/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registry: 'addiction', latencyMs: 2000 }) });
    for (const task of interviews) await decide(h, ahvaz, task.id, 'accept');
    await eventually(async () => {
      const sent = (await h.db.db.select().from(inquiries).where(inArray(inquiries.applicationId, ids))).filter((i) => i.registry === 'addiction');
      // Five asked, and one still unanswered (a call in flight) when the kill comes.
      return sent.length >= 5 && sent.some((i) => i.status === 'sent') ? true : undefined;
    }, 'addiction inquiries in flight');

    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    await new Promise((r) => setTimeout(r, 1000));
    await fetch(`${h.sandboxUrl}/control/faults`, { method: 'DELETE' });
    worker = await startWorkerProcess();

    const decisions = await eventually(async () => {
      const open = (await h.db.db.select().from(tasks).where(inArray(tasks.applicationId, ids))).filter((t) => t.stepId === 'province-decision' && t.status === 'open');
      return open.length === ids.length ? open : undefined;
    }, 'every application at the province decision', 180_000);
    for (const id of ids) await attachDocuments(h, id);
    for (const task of decisions) await decide(h, khuzestan, task.id, 'approve');
    // The site visit, then the manager's licence each centre waits for.
    await Promise.all(ids.map((applicationId) => throughToActivityLicence(h, { tokens: { portal, ahvaz, khuzestan }, applicationId, from: 'site-visit' })));
    await eventually(async () => {
      const rows = await h.db.db.select().from(applications).where(inArray(applications.id, ids));
      return rows.every((r) => r.status === 'approved') ? true : undefined;
    }, 'every application approved', 120_000);

    for (const body of bodies) {
      const received = await sandboxInquiries(h, body.applicant.nationalCode);
      const perRegistry = new Map<string, number>();
      for (const inquiry of received) perRegistry.set(inquiry.registry, (perRegistry.get(inquiry.registry) ?? 0) + 1);
      expect(Object.fromEntries(perRegistry), body.applicant.nationalCode).toEqual({
        'civil-registry': 1, 'military-service': body.applicant.sex === 'male' ? 1 : undefined, 'higher-education': 1,
        'security-clearance': 1, 'criminal-record': 1, addiction: 1, sms: 2,
      });
    }
    // The kill did land mid-call: some addiction inquiries were sent again, under the same key.
    const addiction = (await Promise.all(bodies.map((b) => sandboxInquiries(h, b.applicant.nationalCode)))).flat().filter((i) => i.registry === 'addiction');
    expect(addiction.some((i) => i.attempts > 1)).toBe(true);
    const recorded = await h.db.db.select().from(inquiries).where(inArray(inquiries.applicationId, ids));
    expect(recorded.every((i) => i.status === 'answered')).toBe(true);
  }, 480_000); // ten applications to their licences, beside the cluster's fault test in CI: 120 s on a quiet machine, over 240 s beside it
});
