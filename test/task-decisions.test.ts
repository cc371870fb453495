/**
 * A task is decided exactly once, over the real gateway, Temporal and PostgreSQL: of two
 * decisions the first taken wins and the other is refused at once with `409 task-closed`, whether
 * they arrive together or one right after the other; a replay with the same Idempotency-Key gets
 * the first answer; a decision whose delivery failed is kept for its retry.
 */
import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, tasks } from '../db/schema/index.js';
import { api, eventually, generatedApplication, taskInInbox, type ApiResponse } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let portal: string;
/** Two officers of the same county office. */
let officerA: string;
let officerB: string;

beforeAll(async () => {
  // The dev server, not the time-skipping one: a test stops the worker and starts another, which only the real server hands the workflow on to.
  h = await startHarness({ temporal: 'dev-server' });
  portal = await h.issuer.mint({ role: 'portal' });
  officerA = await h.issuer.mint({ role: 'county-office', county: 'ahvaz', sub: 'officer-a' });
  officerB = await h.issuer.mint({ role: 'county-office', county: 'ahvaz', sub: 'officer-b' });
});
afterAll(async () => h?.close());

let seed = 7_100;
async function interviewTask(): Promise<{ applicationId: string; taskId: string }> {
  const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body: await generatedApplication(seed++) });
  expect(submitted.status, submitted.text).toBe(202);
  const { applicationId } = submitted.body;
  return { applicationId, taskId: (await taskInInbox(h, officerA, applicationId, 'initial-interview')).id };
}

const decisionOf = (token: string, taskId: string, body: { outcome: string; reason?: string }, key?: string) =>
  api<{ type?: string; outcome?: string }>(h, 'POST', `/v1/tasks/${encodeURIComponent(taskId)}/decision`, { token, body, headers: key ? { 'idempotency-key': key } : {} });

const ACCEPT = { outcome: 'accept' };
const REJECT = { outcome: 'reject', reason: 'the county already has enough centres' };

function expectTaskClosed(res: ApiResponse<{ type?: string }>) {
  expect(res.status, res.text).toBe(409);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.type).toMatch(/\/task-closed$/);
}

/** The task once the workflow has closed it. */
const closedTask = (taskId: string) => eventually(async () => {
  const [task] = await h.db.db.select().from(tasks).where(eq(tasks.id, taskId));
  return task?.status === 'decided' ? task : undefined;
}, `task ${taskId} to be decided`);

const decisionsAudited = (taskId: string) =>
  h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'task.decided'), eq(auditLog.subjectId, taskId)));

describe('a task is decided exactly once', () => {
  it('accepts one of two decisions sent at the same moment and refuses the other with 409 task-closed', async () => {
    const { taskId } = await interviewTask();
    const answers = await Promise.all([decisionOf(officerA, taskId, ACCEPT), decisionOf(officerB, taskId, REJECT)]);
    const accepted = answers.filter((a) => a.status === 202);
    expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join('\n')).toEqual([202, 409]);
    expectTaskClosed(answers.find((a) => a.status === 409)!);
    const task = await closedTask(taskId);
    expect(task.outcome).toBe(accepted[0]!.body.outcome);
    expect(task.decidedBy).toBe(accepted[0] === answers[0] ? 'officer-a' : 'officer-b');
    expect(await decisionsAudited(taskId)).toHaveLength(1);
  });

  it('refuses a second decision sent right after the first, before the process has taken the first', async () => {
    const { taskId } = await interviewTask();
    // No worker: the first decision is signalled but the workflow cannot process it yet.
    await h.stopWorker();
    try {
      expect((await decisionOf(officerA, taskId, REJECT)).status).toBe(202);
      expectTaskClosed(await decisionOf(officerB, taskId, ACCEPT));
      expectTaskClosed(await decisionOf(officerA, taskId, ACCEPT));
      const inbox = await api<{ items: { id: string }[] }>(h, 'GET', '/v1/tasks', { token: officerB });
      expect(inbox.body.items.map((t) => t.id)).not.toContain(taskId);
    } finally {
      await h.startWorker();
    }
    expect(await closedTask(taskId)).toMatchObject({ outcome: 'reject', decidedBy: 'officer-a' });
    expect(await decisionsAudited(taskId)).toHaveLength(1);
  });

  it('answers a replay with the same Idempotency-Key with the first 202, byte for byte', async () => {
    const { taskId } = await interviewTask();
    const first = await decisionOf(officerA, taskId, ACCEPT, `decide-${taskId}`);
    const replay = await decisionOf(officerA, taskId, ACCEPT, `decide-${taskId}`);
    expect(first.status, first.text).toBe(202);
    expect(replay.status, replay.text).toBe(202);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('x-jws-signature')).toBe(first.headers.get('x-jws-signature'));
    expect(await closedTask(taskId)).toMatchObject({ outcome: 'accept' });
    expect(await decisionsAudited(taskId)).toHaveLength(1);
  });

  it('keeps a decision whose delivery to the process failed: others are refused, its retry delivers it', async () => {
    const { taskId } = await interviewTask();
    const temporal = h.deps.temporal;
    h.deps.temporal = {
      workflow: { getHandle: () => ({ signal: () => Promise.reject(new Error('the process engine is not answering')) }) },
    } as unknown as Client;
    let failed: ApiResponse;
    try {
      failed = await decisionOf(officerA, taskId, REJECT, `decide-${taskId}`);
    } finally {
      h.deps.temporal = temporal;
    }
    expect(failed.status, failed.text).toBe(503);
    expect((failed.body as { type: string }).type).toMatch(/\/workflow-unavailable$/);
    expectTaskClosed(await decisionOf(officerB, taskId, ACCEPT));
    expectTaskClosed(await decisionOf(officerA, taskId, ACCEPT));
    const retried = await decisionOf(officerA, taskId, REJECT, `decide-${taskId}`);
    expect(retried.status, retried.text).toBe(202);
    expect(await closedTask(taskId)).toMatchObject({ outcome: 'reject', decidedBy: 'officer-a' });
    expect(await decisionsAudited(taskId)).toHaveLength(1);
  });
});
