/**
 * Determinism: the histories real processes leave behind replay against the workflow code
 * without a nondeterminism error. A worker that loses its cache (a restart, an eviction) replays
 * exactly so, and a process that cannot replay is stuck for good. The run below covers the
 * application with its parallel inquiries and tasks, issue, standing processes, a lifecycle change
 * with due process, and the outbox delivery.
 */
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../db/schema/index.js';
import { bundleWorkflows } from '../worker/create-worker.js';
import { api, decide, processEnded, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

describe('workflow determinism', () => {
  it('replays the history of every process it ran without a nondeterminism error', async () => {
    const numbers = await Promise.all([7301, 7302, 7303].map(async (seed) => (await throughToActivityLicence(h, { tokens, applicant: seed })).activityLicence));
    const revocation = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${numbers[0]}/revocations`, {
      token: tokens.khuzestan, body: { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' },
    });
    expect(revocation.status, revocation.text).toBe(202);
    await h.env.sleep('10 days');
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, revocation.body.applicationId, 'decision')).id, 'confirm', 'violations confirmed');
    expect(await processEnded(h, revocation.body.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_REVOKED' });
    // A quarter and more: the standing processes wake, inquire and wait again.
    await h.env.sleep('120 days');

    const rows = await h.db.db.select({ workflowId: applications.workflowId }).from(applications);
    const ids = [...new Set([...rows.map((r) => r.workflowId), h.outboxWorkflowId])];
    const histories = await Promise.all(ids.map(async (workflowId) => ({ workflowId, history: await h.client.workflow.getHandle(workflowId).fetchHistory() })));
    const results: { workflowId: string; error?: string }[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await bundleWorkflows(), replayName: 'determinism', dataConverter: h.dataConverter }, histories)) {
      results.push({ workflowId: result.workflowId, ...(result.error ? { error: result.error.message } : {}) });
    }
    // Applications, standing processes (two per licence), the revocation and the outbox delivery.
    expect(results.length).toBeGreaterThanOrEqual(3 + 6 + 1 + 1);
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
