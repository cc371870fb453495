/**
 * Migrating running applications to a newer definition version, as a national supervisor orders
 * it, end to end: the Temporal dev server, PostgreSQL, the sandbox registries and the gateway over
 * HTTP. Applications start on v1 of the welfare centre by submitting them on a day before v2 took
 * effect (1405/09/10); v2 compares the civil registry's record with the application, v1 did not.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, definitions, inquiries, licences, tasks } from '../db/schema/index.js';
import { verifyAuditChain } from '../domain/audit.js';
import { stateQuery, workflowIdFor } from '../domain/workflow-interfaces/licence-process.js';
import { api, eventually, generatedApplication, processEnded, taskInInbox, type ApiResponse } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { tokensFor } from './support/tokens.js';
import { bundleWorkflows } from '../worker/create-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'parvaneh-migration-'));
let h: Harness;
let tokens: Record<'portal' | 'ahvaz' | 'khuzestan' | 'national', string>;

/** 1405/09/08 in Tehran: v1 is the version in effect. */
const BEFORE_V2 = Date.parse('2026-11-29T08:00:00Z');

type Problem = { type: string; title: string; title_fa: string; reason?: string; field?: string };
type Migrated = { from: { version: number; hash: string }; to: { version: number; hash: string }; moves: { from: string; to: string }[]; resumeAt: string; cancelledTasks: string[]; reaskedInquiries: string[] };

beforeAll(async () => {
  cpSync('processes', dir, { recursive: true });
  const v2 = readFileSync(join(dir, 'welfare-services-centre/v2.yaml'), 'utf8');
  // v3 renames the interview step; v4 is not in effect until 1406.
  writeFileSync(join(dir, 'welfare-services-centre/v3.yaml'), v2.replace('version: 2', 'version: 3').replaceAll('initial-interview', 'county-interview'));
  writeFileSync(join(dir, 'welfare-services-centre/v4.yaml'), v2.replace('version: 2', 'version: 4').replace('effectiveFrom: 1405/09/10', 'effectiveFrom: 1406/01/01'));
  h = await startHarness({ temporal: 'dev-server', processesDir: dir });
  tokens = await tokensFor(h, ['portal', 'ahvaz', 'khuzestan', 'national']);
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Submits an application as the portal on a day v1 was in effect. */
async function submitOnV1(body: Awaited<ReturnType<typeof generatedApplication>>): Promise<string> {
  h.deps.now = () => BEFORE_V2;
  try {
    const res = await api<{ applicationId: string; definitionVersion: number }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
    expect(res.status, res.text).toBe(202);
    expect(res.body.definitionVersion).toBe(1);
    return res.body.applicationId;
  } finally {
    h.deps.now = undefined;
  }
}

const migrate = <T = Problem>(applicationId: string, body: unknown, opts: { token?: string; key?: string } = {}): Promise<ApiResponse<T>> =>
  api<T>(h, 'POST', `/v1/applications/${applicationId}/migrations`, { token: opts.token ?? tokens.national, body, headers: opts.key ? { 'idempotency-key': opts.key } : {} });

/** Migrates, retrying while the process is between two steps (`409 application-busy`). */
async function migrated(applicationId: string, body: unknown, key?: string): Promise<ApiResponse<Migrated>> {
  return eventually(async () => {
    const res = await migrate<Migrated>(applicationId, body, { key });
    return res.status === 409 && (res.body as unknown as Problem).type.endsWith('/application-busy') ? undefined : res;
  }, `migration of ${applicationId}`);
}

const row = async (applicationId: string) => (await h.db.db.select().from(applications).where(eq(applications.id, applicationId)))[0]!;
const migrationsAudited = (applicationId: string) => h.db.db.select().from(auditLog)
  .where(and(eq(auditLog.subjectId, applicationId), eq(auditLog.action, 'application.migrated')));
const timeline = (applicationId: string) => h.db.db.select().from(applicationEvents)
  .where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.seq));
const liveDefinition = async (applicationId: string) => (await h.client.workflow.getHandle(workflowIdFor(applicationId)).query(stateQuery)).definition;

describe('migrating a running application to a newer definition version', () => {
  it('refuses what it may not do, changing nothing: another role, an older or unknown version, a step the target lacks, a decision on its way', async () => {
    const applicationId = await submitOnV1(await generatedApplication(9101));
    const interview = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
    const before = await row(applicationId);
    const reason = 'circular 1405/112';

    const county = await migrate(applicationId, { toVersion: 2, reason }, { token: tokens.ahvaz });
    expect(county.status).toBe(403);
    expect(county.body.type).toMatch(/\/role-not-allowed$/);

    const older = await migrate(applicationId, { toVersion: 1, reason });
    expect(older.status, older.text).toBe(422);
    expect(older.body).toMatchObject({ reason: 'NOT_A_NEWER_VERSION', field: 'toVersion' });
    expect(older.body.type).toMatch(/\/migration-refused$/);

    const renamed = await migrate(applicationId, { toVersion: 3, reason });
    expect(renamed.status, renamed.text).toBe(422);
    expect(renamed.body).toMatchObject({ reason: 'STEP_NOT_IN_TARGET', field: 'mapping' });
    expect(renamed.body.title).toBe('step "initial-interview" does not exist in version 3; map it to a step that does');
    expect(renamed.body.title_fa).toContain('initial-interview');

    const wrongKind = await migrate(applicationId, { toVersion: 2, mapping: { 'initial-interview': 'civil-registry' }, reason });
    expect(wrongKind.body).toMatchObject({ reason: 'INCOMPATIBLE_STEP', field: 'mapping.initial-interview' });

    const notYet = await migrate(applicationId, { toVersion: 4, reason });
    expect(notYet.body).toMatchObject({ reason: 'TARGET_NOT_IN_EFFECT', field: 'toVersion' });

    expect((await migrate(applicationId, { toVersion: 9, reason })).body).toMatchObject({ type: expect.stringMatching(/\/unknown-version$/), field: 'toVersion' });
    expect((await migrate(applicationId, { toVersion: 2 })).body).toMatchObject({ type: expect.stringMatching(/\/missing-field$/), field: 'reason' });

    // Nothing changed: the pin, the process's definition, the open task, the trail.
    const after = await row(applicationId);
    expect(after).toMatchObject({ definitionVersion: 1, definitionHash: before.definitionHash, currentStep: 'initial-interview' });
    expect(await liveDefinition(applicationId)).toMatchObject({ version: 1, hash: before.definitionHash });
    const [task] = await h.db.db.select().from(tasks).where(eq(tasks.id, interview.id));
    expect(task!.status).toBe('open');
    expect(await migrationsAudited(applicationId)).toEqual([]);
    expect((await timeline(applicationId)).map((e) => e.kind)).not.toContain('definition-migrated');

    // A decision an office has taken is on its way to the process (here: its delivery failed): the migration waits for it.
    const decisionOnItsWay = { decisionDelivery: 'undelivered' as const, outcome: 'accept', decidedBy: 'county-office:ahvaz' };
    await h.db.db.update(tasks).set(decisionOnItsWay).where(eq(tasks.id, interview.id));
    const busy = await migrate(applicationId, { toVersion: 2, reason });
    expect(busy.status, busy.text).toBe(409);
    expect(busy.body.type).toMatch(/\/application-busy$/);
    const [held] = await h.db.db.select().from(tasks).where(eq(tasks.id, interview.id));
    expect(held).toMatchObject({ status: 'open', ...decisionOnItsWay });
    expect(await row(applicationId)).toMatchObject({ definitionVersion: 1, definitionHash: before.definitionHash });
    expect(await liveDefinition(applicationId)).toMatchObject({ version: 1 });
    await h.db.db.update(tasks).set({ decisionDelivery: null, outcome: null, decidedBy: null }).where(eq(tasks.id, interview.id));

    // With the renamed step mapped, v3 takes it.
    const mapped = await migrated(applicationId, { toVersion: 3, mapping: { 'initial-interview': 'county-interview' }, reason });
    expect(mapped.status, mapped.text).toBe(200);
    expect(mapped.body).toMatchObject({ from: { version: 1 }, to: { version: 3 }, resumeAt: 'county-interview' });
    await taskInInbox(h, tokens.ahvaz, applicationId, 'county-interview');
  });

  it('moves an application waiting at its interview from v1 to v2, audited, and takes it to its licence under v2', async () => {
    const applicationId = await submitOnV1(await generatedApplication(9102));
    const interview = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
    const v1Hash = (await row(applicationId)).definitionHash;
    const v2 = h.catalogue.versions('welfare-services-centre').find((v) => v.definition.version === 2)!;
    const order = { toVersion: 2, reason: 'Circular 1405/112: applications waiting at a step go on under version 2' };

    const res = await migrated(applicationId, order, 'migration-9102');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      applicationId, from: { version: 1, hash: v1Hash }, to: { version: 2, hash: v2.hash },
      moves: [{ from: 'initial-interview', to: 'initial-interview' }], resumeAt: 'initial-interview',
      cancelledTasks: [interview.id], reaskedInquiries: [],
    });
    // A retry with the same key gets the same answer, and migrates nothing twice.
    const retried = await migrate<Migrated>(applicationId, order, { key: 'migration-9102' });
    expect(retried.status).toBe(200);
    expect(retried.text).toBe(res.text);

    // Recorded: the pin, the definition kept by hash, the audit entry, the timeline.
    expect(await row(applicationId)).toMatchObject({ definitionVersion: 2, definitionHash: v2.hash, status: 'running' });
    const [kept] = await h.db.db.select().from(definitions).where(eq(definitions.hash, v2.hash));
    expect(kept).toMatchObject({ id: 'welfare-services-centre', version: 2, source: v2.source });
    const audited = await migrationsAudited(applicationId);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor: 'national-office', subjectType: 'application',
      detail: { from: { version: 1, hash: v1Hash }, to: { version: 2, hash: v2.hash }, moves: [{ from: 'initial-interview', to: 'initial-interview' }], reason: order.reason },
    });
    expect(await verifyAuditChain(h.db.db)).toMatchObject({ ok: true });
    const events = await timeline(applicationId);
    const migratedEvent = events.find((e) => e.kind === 'definition-migrated');
    expect(migratedEvent).toMatchObject({ stepId: 'initial-interview', detail: { from: { version: 1 }, to: { version: 2 }, requestedBy: 'national-office', reason: order.reason } });
    expect(events.map((e) => e.kind)).toContain('task-cancelled');

    // The old task left the inbox; the step opened its own under v2.
    const [old] = await h.db.db.select().from(tasks).where(eq(tasks.id, interview.id));
    expect(old!.status).toBe('cancelled');
    const reopened = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
    expect(reopened.id).toBe(`${applicationId}.initial-interview.2`);
    expect(await liveDefinition(applicationId)).toMatchObject({ version: 2, hash: v2.hash });
    const view = await api<{ application: { definitionVersion: number; definitionHash: string } }>(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.portal });
    expect(view.body.application).toMatchObject({ definitionVersion: 2, definitionHash: v2.hash });
    const decided = await api(h, 'POST', `/v1/tasks/${encodeURIComponent(interview.id)}/decision`, { token: tokens.ahvaz, body: { outcome: 'accept' } });
    expect(decided.status).toBe(409);

    // Carried on to its end under v2: its licences are issued by v2.
    const { activityLicence, result } = await throughToActivityLicence(h, { tokens, applicationId });
    const [licence] = await h.db.db.select().from(licences).where(eq(licences.number, activityLicence));
    expect(licence!.definitionHash).toBe(v2.hash);
    expect(result).toMatchObject({ outcome: 'approved', reason: 'ACTIVITY_LICENCE_ISSUED' });

    const ended = await migrate(applicationId, { toVersion: 3, mapping: { 'initial-interview': 'county-interview' }, reason: 'too late' });
    expect(ended.status).toBe(409);
    expect(ended.body.type).toMatch(/\/application-ended$/);
  });

  it('applies v2\'s civil-registry record check to an application migrated while it waited for the registry', async () => {
    const misnamed = async (seed: number) => {
      const body = await generatedApplication(seed);
      return { ...body, applicant: { ...body.applicant, firstName: 'X', lastName: 'Y' } };
    };
    // Under v1 a name the registry does not know goes on to the interview.
    const letThrough = await submitOnV1(await misnamed(9103));
    await taskInInbox(h, tokens.ahvaz, letThrough, 'initial-interview');

    const fault = await fetch(`${h.sandboxUrl}/control/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ registry: 'civil-registry', outageUntilMs: Date.now() + 3_600_000 }),
    });
    expect(fault.status).toBe(200);
    const applicationId = await submitOnV1(await misnamed(9104));

    await eventually(async () => {
      const [asked] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, `${applicationId}.civil-registry.1`));
      return asked?.lastError ? true : undefined;
    }, 'an attempt refused by the outage');
    // The registry is back; the refused attempt asked to be retried in an hour, so only the migrated step asks it now.
    await fetch(`${h.sandboxUrl}/control/faults?registry=civil-registry`, { method: 'DELETE' });
    const res = await migrated(applicationId, { toVersion: 2, reason: 'circular 1405/112' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ resumeAt: 'civil-registry', cancelledTasks: [], reaskedInquiries: [`${applicationId}.civil-registry.1`] });

    expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'rejected', reason: 'CIVIL_REGISTRY_NAME_MISMATCH', stepId: 'identity' });
    const kinds = (await timeline(applicationId)).map((e) => e.kind);
    expect(kinds.indexOf('definition-migrated')).toBeGreaterThan(-1);
    expect(kinds.indexOf('rule-failed')).toBeGreaterThan(kinds.indexOf('definition-migrated'));
    expect(await row(applicationId)).toMatchObject({ definitionVersion: 2, status: 'rejected', outcomeReason: 'CIVIL_REGISTRY_NAME_MISMATCH' });
    // The one left on v1 still waits at its interview, on v1.
    expect(await row(letThrough)).toMatchObject({ definitionVersion: 1, status: 'running', currentStep: 'initial-interview' });
  });

  it('replays the histories of the migrated applications, every run, without a nondeterminism error', async () => {
    const rows = await h.db.db.select({ workflowId: applications.workflowId }).from(applications);
    const runs = await eventually(async () => {
      const listed: { workflowId: string; runId: string }[] = [];
      for (const { workflowId } of rows) {
        for await (const run of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) listed.push({ workflowId, runId: run.runId });
      }
      // Every migration closed a run (continued as new): more runs than applications.
      return listed.length >= rows.length + 3 ? listed : undefined;
    }, 'every run in the visibility store');
    const histories = await Promise.all(runs.map(async ({ workflowId, runId }) => ({ workflowId, history: await h.client.workflow.getHandle(workflowId, runId).fetchHistory() })));
    const failed: { workflowId: string; error: string }[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await bundleWorkflows(), replayName: 'migrations', dataConverter: h.dataConverter }, histories)) {
      if (result.error) failed.push({ workflowId: result.workflowId, error: result.error.message });
    }
    expect(failed).toEqual([]);
  });
});
