/**
 * A task that follows up a late inquiry ends by itself once the late answer is applied: the
 * province's "follow up the late security clearance" of the Welfare Services Centre closes
 * `resolved` (answered meanwhile), audited and on the timeline, a decision posted afterwards gets
 * `409 task-closed`, and the application goes on as if the clearance had come in time. Real
 * Temporal (time-skipping: the clearance's 20 days pass in seconds), real PostgreSQL, the sandbox
 * registries and the gateway over HTTP.
 */
import { Worker } from '@temporalio/worker';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, auditLog, tasks } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { bundleWorkflows } from '../worker/create-worker.js';
import { api, applicationFor, decide, eventually, personNamed, sandboxInquiries, taskInInbox } from './support/api.js';
import { advance } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens } from './support/tokens.js';

let h: Harness;
let tokens: Awaited<ReturnType<typeof officeTokens>>;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

const DAY_MS = 24 * 3600 * 1000;
const timeline = (applicationId: string) =>
  h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.seq));

describe('a task that follows up a late inquiry', () => {
  it('closes by itself when the late security clearance is applied, and the application goes on as if it had come in time', async () => {
    // 0045678911: the security office answers "clear" only after 10 days of sandbox time.
    // The centre's manager is asked after the sandbox's clock has moved: one whose birth date does not move with it.
    const body = await applicationFor(h, '0045678911', 'welfare-services-centre', 'ahvaz', { kind: 'nominee', person: await personNamed(h, '0012345679') });
    const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
    expect(submitted.status, submitted.text).toBe(202);
    const { applicationId } = submitted.body;
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
    const clearance = await eventually(async () => (await sandboxInquiries(h, '0045678911')).find((i) => i.registry === 'security-clearance'), 'the security-clearance inquiry');
    // The other vetting inquiries answer at once; only the clearance is left waiting.
    await eventually(async () => {
      const answered = (await timeline(applicationId)).filter((e) => e.kind === 'inquiry-answered').map((e) => e.stepId);
      return answered.includes('criminal-record') && answered.includes('addiction') ? true : undefined;
    }, 'the criminal-record and addiction answers');

    // Its 20 days pass: the province is asked to follow it up.
    await advance(h, 21 * DAY_MS);
    const followUp = await taskInInbox(h, tokens.khuzestan, applicationId, 'security-clearance-overdue');

    // The clearance arrives late, and is applied: nothing is left for the province to decide.
    await fetch(`${h.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10 * DAY_MS }) });
    const resolved = await eventually(async () => {
      const [task] = await h.db.db.select().from(tasks).where(eq(tasks.id, followUp.id));
      return task?.status === 'open' ? undefined : task;
    }, 'the follow-up task to close');
    expect(resolved).toMatchObject({ status: 'resolved', outcome: null, decidedBy: null });
    expect(resolved.decidedAt).not.toBeNull();

    const events = await timeline(applicationId);
    const applied = events.find((e) => e.kind === 'late-answer-applied');
    const closed = events.find((e) => e.kind === 'task-resolved');
    expect(applied).toMatchObject({ stepId: 'security-clearance', detail: { inquiryId: clearance.inquiryId } });
    expect(closed).toMatchObject({ stepId: 'security-clearance-overdue', detail: { taskId: followUp.id, because: 'answered-meanwhile', inquiryId: clearance.inquiryId } });
    expect(closed!.seq).toBeGreaterThan(applied!.seq);
    const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.resolved'), eq(auditLog.subjectId, followUp.id)));
    expect(trail.map((a) => a.detail)).toEqual([{ applicationId, stepId: 'security-clearance-overdue', because: 'answered-meanwhile' }]);

    const inbox = await api<{ items: { id: string }[] }>(h, 'GET', '/v1/tasks', { token: tokens.khuzestan });
    expect(inbox.body.items.map((t) => t.id)).not.toContain(followUp.id);
    const late = await api<{ type: string }>(h, 'POST', `/v1/tasks/${encodeURIComponent(followUp.id)}/decision`, { token: tokens.khuzestan, body: { outcome: 'ask-again' } });
    expect(late.status, late.text).toBe(409);
    expect(late.body.type).toMatch(/\/task-closed$/);

    // The vetting goes on with the clearance applied: the province decides, the centre is visited.
    const { result } = await throughToActivityLicence(h, { tokens, applicationId, from: 'province-decision' });
    expect(result).toMatchObject({ outcome: 'approved', reason: 'ACTIVITY_LICENCE_ISSUED' });
    expect((await sandboxInquiries(h, '0045678911')).filter((i) => i.registry === 'security-clearance')).toHaveLength(1);

    const history = await h.client.workflow.getHandle(workflowIdFor(applicationId)).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows(), replayName: 'follow-up', dataConverter: h.dataConverter }, history, workflowIdFor(applicationId));
  });
});
