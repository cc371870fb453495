/**
 * The gateway killed with SIGKILL while portal submissions are in flight, then started again on
 * the same port: every client retries with its Idempotency-Key until it gets an answer, and each
 * key ends with exactly one application and one running process.
 */
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { generatedApplication } from './support/api.js';
import { freePort, startGatewayProcess, verifySigned, type GatewayProcess } from './support/gateway-process.js';
import { startHarness, type Harness } from './support/harness.js';
import { queryOne } from '../db/query.js';

const CLIENTS = 20;
const LEASE_SECONDS = 2;

let h: Harness;
let gateway: GatewayProcess | undefined;
let port: number;

const startGateway = () => startGatewayProcess(h, { port, env: { IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS) } });

beforeAll(async () => {
  h = await startHarness({ sandboxDelayMs: 200 });
  port = await freePort();
  gateway = await startGateway();
});
afterAll(async () => {
  await gateway?.kill();
  await h?.close();
});

/** What one portal client went through to get its submission answered. */
interface ClientLog {
  key: string;
  nationalCode: string;
  networkFailures: number;
  inProgress: number;
  statuses: number[];
  applicationId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts the same body under the same key until a 2xx: a dropped connection or a 5xx is retried
 * after a moment, a 409 in-progress after its Retry-After. Anything else fails the client.
 */
async function submitUntilAnswered(log: ClientLog, body: string, token: string, jwks: JSONWebKeySet, onAnswer: () => void) {
  const path = '/v1/applications';
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST', body,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': log.key },
      });
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch {
      log.networkFailures += 1;
      await sleep(100);
      continue;
    }
    onAnswer();
    log.statuses.push(res.status);
    await verifySigned(jwks, 'POST', path, res.headers, bytes);
    const answer = JSON.parse(new TextDecoder().decode(bytes)) as { applicationId?: string; type?: string };
    if (res.status >= 200 && res.status < 300) {
      log.applicationId = answer.applicationId;
      return;
    }
    if (res.status === 409 && answer.type?.endsWith('idempotency-in-progress')) {
      log.inProgress += 1;
      await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    if (res.status >= 500 || res.status === 429) {
      await sleep(200);
      continue;
    }
    throw new Error(`key ${log.key}: unexpected ${res.status} ${new TextDecoder().decode(bytes)}`);
  }
  throw new Error(`key ${log.key}: no answer within 45 s (${log.statuses.join(', ')})`);
}

describe('the gateway killed mid-submission', () => {
  it('gives every retried Idempotency-Key exactly one application and one process', async () => {
    const token = await h.issuer.mint({ role: 'portal' });
    // Same keys (file-backed) across restarts; the gateway of the moment publishes them.
    const jwks = async () => (await (await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const publishedKeys = await jwks();
    const bodies = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => generatedApplication(7100 + i)));
    const logs: ClientLog[] = bodies.map((b, i) => ({
      key: `portal-restart-${i}-${randomUUID()}`, nationalCode: b.applicant.nationalCode, networkFailures: 0, inProgress: 0, statuses: [],
    }));

    let answers = 0;
    const clients = logs.map((log, i) => submitUntilAnswered(log, JSON.stringify(bodies[i]), token, publishedKeys, () => { answers += 1; }));

    // Kill as soon as applications are recorded that their clients have not heard of yet: those
    // requests die between the application row and the stored response, the case keys are for.
    const watchUntil = Date.now() + 20_000;
    for (;;) {
      const { recorded } = await queryOne<{ recorded: number }>(h.db.db, sql`select count(*)::int as recorded from applications`);
      if (recorded - answers >= 2 || Date.now() > watchUntil) break;
      await sleep(2);
    }
    const killedAt = new Date();
    await gateway!.kill();
    const answeredBeforeKill = answers;
    gateway = await startGateway();
    const restartedInMs = Date.now() - killedAt.getTime();

    await Promise.all(clients);
    const failedOnNetwork = logs.filter((l) => l.networkFailures > 0);
    const rows = await h.db.db.select().from(applications);
    const cutOffKeys = new Set(failedOnNetwork.map((l) => l.key));
    const recordedThenCutOff = rows.filter((r) => cutOffKeys.has(r.idempotencyKey!) && r.createdAt <= killedAt).length;
    console.log(`[gateway-restart] killed after ${answeredBeforeKill} answers, restarted in ${restartedInMs} ms; `
      + `${failedOnNetwork.length}/${CLIENTS} clients lost a connection (${recordedThenCutOff} of them after their application was recorded), `
      + `${logs.filter((l) => l.inProgress > 0).length} waited out an in-progress key; statuses: ${logs.map((l) => l.statuses.join('/')).join(' ')}`);
    expect(failedOnNetwork.length, 'requests cut off by the kill').toBeGreaterThan(0);
    expect(recordedThenCutOff, 'requests cut off after recording their application').toBeGreaterThan(0);
    expect(await jwks()).toEqual(publishedKeys);

    expect(rows).toHaveLength(CLIENTS);
    const byKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
    expect(byKey.size).toBe(CLIENTS);
    for (const log of logs) {
      const row = byKey.get(log.key);
      expect(row, log.key).toBeDefined();
      expect(log.applicationId, log.key).toBe(row!.id);
      expect(row!.applicantNationalCode).toBe(log.nationalCode);
    }
    expect(new Set(rows.map((r) => r.applicantNationalCode)).size).toBe(CLIENTS);

    const states = await Promise.all(rows.map(async (r) => (await h.client.workflow.getHandle(workflowIdFor(r.id)).describe()).status.name));
    expect(states.filter((s) => s === 'RUNNING' || s === 'COMPLETED')).toHaveLength(CLIENTS);

    // A deliberate stop is clean: SIGTERM closes the gateway and it exits 0.
    expect(await gateway!.stop()).toBe(0);
    gateway = undefined;
  }, 90_000);
});
