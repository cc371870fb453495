/**
 * An expression of a process file that fails at run time (the validator cannot see it) ends the
 * application `failed` with `PROCESS_FAULT`, over the real gateway, the Temporal dev server and
 * PostgreSQL, instead of failing the workflow task and being retried forever with no reason given.
 * The timeline names the step, the field and the problem; the audit trail keeps it; the operators
 * get an error log line and `parvaneh_process_faults_total`; none of them carries the applicant's data.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { createLogger } from '../gateway/middleware/logging.js';
import { bundleWorkflows } from '../worker/create-worker.js';
import { api, applicationFor, eventually, fixturePerson, processEnded, sandboxInquiries } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { tokensFor } from './support/tokens.js';

const LICENCE_TYPE = 'test-faulty-expressions';
const dir = mkdtempSync(join(tmpdir(), 'parvaneh-processes-'));
const workerLines: string[] = [];
let h: Harness;
let tokens: Record<'portal' | 'ahvaz' | 'dezful', string>;

beforeAll(async () => {
  cpSync('processes', dir, { recursive: true });
  cpSync('test/fixtures/faults', join(dir, 'fixtures'), { recursive: true });
  h = await startHarness({
    temporal: 'dev-server', processesDir: dir,
    workerLogger: createLogger({ name: 'parvaneh-worker', level: 'info' }, { write: (line: string) => { workerLines.push(line); } }),
  });
  tokens = await tokensFor(h, ['portal', 'ahvaz', 'dezful']);
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface TimelineEntry { kind: string; stepId: string | null; detail: Record<string, unknown> }
interface ApplicationView { application: { status: string; outcomeReason: string; trackingCode: string }; timeline: TimelineEntry[] }

async function submit(nationalCode: string, county: string): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode, LICENCE_TYPE, county) });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

/** The operators' alert lines for an application, parsed. */
const alertsFor = (applicationId: string) => workerLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.applicationId === applicationId);

async function faultCount(step: string): Promise<string | undefined> {
  const text = await (await fetch(`${h.gatewayUrl}/metrics`)).text();
  return new RegExp(`^parvaneh_process_faults_total\\{definition="${LICENCE_TYPE}",step="${step}"\\} (\\d+)$`, 'm').exec(text)?.[1];
}

/** The application's workflow history replays against the current code without a nondeterminism error. */
async function replays(applicationId: string): Promise<void> {
  const history = await h.client.workflow.getHandle(workflowIdFor(applicationId)).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows(), replayName: 'process-faults', dataConverter: h.dataConverter }, history, workflowIdFor(applicationId));
}

describe('an expression that fails at run time', () => {
  it('ends the application failed, naming the step, the field and the problem, when an inquiry\'s subject names a missing fact', async () => {
    const applicationId = await submit('0012345679', 'ahvaz');
    expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'failed', reason: 'PROCESS_FAULT', stepId: 'guardian-record' });
    expect(await sandboxInquiries(h, '0012345679')).toEqual([]);

    const view = await api<ApplicationView>(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.ahvaz });
    expect(view.status, view.text).toBe(200);
    expect(view.body.application).toMatchObject({ status: 'failed', outcomeReason: 'PROCESS_FAULT' });
    expect(view.body.timeline.find((e) => e.kind === 'expression-failed')).toEqual(expect.objectContaining({
      stepId: 'guardian-record',
      detail: { field: 'subject', expression: 'applicant.guardian.nationalCode', problem: 'No such key: guardian' },
    }));
    expect(view.body.timeline.at(-1)).toMatchObject({ kind: 'application-failed', stepId: 'guardian-record', detail: { reason: 'PROCESS_FAULT' } });

    const trail = await h.db.db.select().from(auditLog).where(eq(auditLog.subjectId, applicationId));
    expect(trail.find((a) => a.action === 'application.process-fault')?.detail).toEqual({
      definition: LICENCE_TYPE, version: 1, stepId: 'guardian-record', field: 'subject', problem: 'No such key: guardian',
    });
    expect(trail.map((a) => a.action)).toContain('application.failed');

    const [alert, ...more] = alertsFor(applicationId);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ level: 50, alert: 'process-fault', definition: LICENCE_TYPE, version: 1, stepId: 'guardian-record', field: 'subject' });
    expect(await faultCount('guardian-record')).toBe('1');

    const told = await eventually(async () => {
      const log = await (await fetch(`${h.sandboxUrl}/control/portal/notifications?subject=${applicationId}`)).json() as { accepted: { event: string; payload: { reason: string } }[] };
      return log.accepted.find((n) => n.event === 'application-failed');
    }, 'the failure at the portal');
    expect(told.payload.reason).toBe('PROCESS_FAULT');
    const tracked = await api(h, 'GET', `/v1/tracking/${view.body.application.trackingCode}`);
    expect(tracked.body).toMatchObject({ status: 'failed' });
    await replays(applicationId);
  });

  it('ends the application failed when a wait\'s until gives no date, with none of the applicant\'s data in the timeline, the trail or the log', async () => {
    const person = await fixturePerson(h, '0023456787');
    const applicationId = await submit(person.nationalCode, 'dezful');
    expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'failed', reason: 'PROCESS_FAULT', stepId: 'cooling-off' });

    const view = await api<ApplicationView>(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.dezful });
    const fault = view.body.timeline.find((e) => e.kind === 'expression-failed');
    expect(fault).toEqual(expect.objectContaining({ stepId: 'cooling-off', detail: { field: 'until', expression: 'applicant.firstName', problem: 'gives a string, not a date' } }));
    const trail = await h.db.db.select().from(auditLog).where(eq(auditLog.subjectId, applicationId));
    const alerts = alertsFor(applicationId);
    expect(alerts).toHaveLength(1);
    expect(await faultCount('cooling-off')).toBe('1');
    const told = JSON.stringify([fault, trail.map((a) => a.detail), alerts]);
    for (const value of [person.firstName, person.lastName, person.birthDate, person.nationalCode]) expect(told).not.toContain(value);
    await replays(applicationId);
  });
});
