/**
 * Language features beyond the shipped processes: long histories continue as new without losing
 * a step or a decision, and a subprocess runs as a child application whose outcome leads on.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, licences } from '../db/schema/index.js';
import { stateQuery, workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, applicationFor, decide, eventually, taskInInbox, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'parvaneh-processes-'));
let h: Harness;
let portal: string;
let ahvaz: string;

beforeAll(async () => {
  cpSync('processes', dir, { recursive: true });
  cpSync('test/fixtures/processes', join(dir, 'fixtures'), { recursive: true });
  h = await startHarness({ processesDir: dir, historyLimit: 60 });
  portal = await h.issuer.mint({ role: 'portal' });
  ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function submit(nationalCode: string, licenceType = 'test-loop-with-child'): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, nationalCode, licenceType) });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

const ended = (applicationId: string) => processEnded(h, applicationId);

describe('the interpreter', () => {
  it('continues as new on a long history without losing a step, a decision or the timeline order', async () => {
    const applicationId = await submit('0091234565');
    for (let round = 0; round < 25; round += 1) {
      const task = await taskInInbox(h, ahvaz, applicationId, 'inspect');
      await decide(h, ahvaz, task.id, 'again');
      await eventually(async () => {
        const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
        const events = await h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId));
        return events.some((e) => e.kind === 'task-decided' && (e.detail as { taskId: string }).taskId === task.id) && row ? true : undefined;
      }, `round ${round}`);
    }
    const state = await h.client.workflow.getHandle(workflowIdFor(applicationId)).query(stateQuery);
    expect(state.runs).toBeGreaterThan(2);
    const last = await taskInInbox(h, ahvaz, applicationId, 'inspect');
    expect(last.id).toBe(`${applicationId}.inspect.26`);
    await decide(h, ahvaz, last.id, 'finish');
    expect(await ended(applicationId)).toMatchObject({ outcome: 'approved', reason: 'CHILD_APPROVED' });
    const timeline = await h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.seq));
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    expect(timeline.filter((e) => e.kind === 'task-decided')).toHaveLength(26);
  });

  it('runs a subprocess as a child application and follows its outcome', async () => {
    const approvedId = await submit('0091234565');
    await decide(h, ahvaz, (await taskInInbox(h, ahvaz, approvedId, 'inspect')).id, 'finish');
    expect(await ended(approvedId)).toMatchObject({ outcome: 'approved' });
    const [child] = await h.db.db.select().from(applications).where(eq(applications.parentApplicationId, approvedId));
    expect(child).toMatchObject({ licenceType: 'test-child', status: 'approved', applicantNationalCode: '0091234565' });
    expect(await h.db.db.select().from(licences).where(eq(licences.applicationId, child!.id))).toHaveLength(1);

    // 0012345679 is 40: the child's rule (under 35) refuses, and the parent's onFail leads on.
    const refusedId = await submit('0012345679');
    await decide(h, ahvaz, (await taskInInbox(h, ahvaz, refusedId, 'inspect')).id, 'finish');
    expect(await ended(refusedId)).toMatchObject({ outcome: 'rejected', reason: 'CHILD_REFUSED' });
    const [refusedChild] = await h.db.db.select().from(applications).where(eq(applications.parentApplicationId, refusedId));
    expect(refusedChild).toMatchObject({ status: 'rejected', outcomeReason: 'CHILD_AGE_RULE' });
  });

  it('passes a rule whose `when` does not hold, and judges it where it does', async () => {
    // 0091234565 is a woman of 31: the men's rule is not hers. 0012345679 is a man of 40: it is, and he is under 50.
    expect(await ended(await submit('0091234565', 'test-guarded-rule'))).toMatchObject({ outcome: 'approved', reason: 'GUARD_PASSED' });
    expect(await ended(await submit('0012345679', 'test-guarded-rule'))).toMatchObject({ outcome: 'rejected', reason: 'MAN_UNDER_50', stepId: 'age' });
  });
});
