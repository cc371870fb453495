/**
 * Two registries asked at once with the same deadline, neither answering in time: both deadlines
 * pass, usually in one workflow task: each branch records its inquiry as timed out, the first to
 * end the application cancels the other, and the application ends rejected, once, with no workflow
 * task failed. The two timeout writes finish in the same moment; a cancellation that asked the worker to
 * cancel the second one just as it finished used to fail the task ("Invalid transition in state
 * machine") and leave the application stuck (timeline.ts, `whole`). The race needs a busy worker,
 * so the test repeats it; `npm test` runs it beside another test file. Real Temporal (time-skipping:
 * the 20 days pass in seconds), real PostgreSQL, the sandbox registries (answering only after 40
 * days) and the gateway over HTTP.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, processEnded } from './support/api.js';
import { advance } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';

const DAY_MS = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'parvaneh-processes-'));
let h: Harness;

beforeAll(async () => {
  cpSync('processes', dir, { recursive: true });
  cpSync('test/fixtures/processes', join(dir, 'fixtures'), { recursive: true });
  h = await startHarness({ processesDir: dir, sandboxDelayMs: 40 * 86_400_000, outboxDelivery: false });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parallel inquiries whose deadlines pass together', () => {
  it('ends the application once, rejected for want of an answer, with no workflow task failed', async () => {
    const portal = await h.issuer.mint({ role: 'portal' });
    for (let round = 0; round < 20; round += 1) {
      const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0012345679', 'test-silent-registries') });
      expect(res.status, res.text).toBe(202);
      const { applicationId } = res.body;
      await advance(h, 21 * DAY_MS);
      expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'rejected', reason: 'INQUIRY_NOT_ANSWERED', stepId: 'no-answer' });
      const timedOut = await h.db.db.select().from(applicationEvents)
        .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'inquiry-timed-out')));
      // One or both: when the two deadlines come to the worker in separate tasks, the first ends the application before the second passes.
      const steps = timedOut.map((e) => e.stepId);
      expect(steps.length).toBeGreaterThan(0);
      expect(new Set(steps).size).toBe(steps.length);
      expect(steps.every((s) => s === 'security-clearance' || s === 'criminal-record')).toBe(true);
      const history = await h.client.workflow.getHandle(workflowIdFor(applicationId)).fetchHistory();
      expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes)).toEqual([]);
    }
  });
});
