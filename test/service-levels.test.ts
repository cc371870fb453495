/**
 * The service-level statement of seed 003, kept: planned maintenance announced in advance and
 * listed for anyone (the portal told, the announcement audited); each service's fee published in
 * the catalogue; and the export an operator takes before a service is terminated, complete and
 * readable back.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { and, eq, getTableName, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, documents, licences, maintenanceWindows, outbox } from '../db/schema/index.js';
import { queryOne } from '../db/query.js';
import { documentUpload } from '../gateway/schemas/examples.js';
import { exportData, exportedTables, NOT_EXPORTED, readExportedTable, schemaTables, verifyExport } from '../scripts/export/data-export.js';
import { api, eventually, generatedApplication, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, tokenFor, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
let national: string;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
  national = await tokenFor(h, 'national');
});
afterAll(async () => h?.close());

const HOUR = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const notice = { fa: 'به‌روزرسانی پایگاه داده؛ ثبت درخواست در این بازه در دسترس نیست.', en: 'Database upgrade: applications are unavailable meanwhile.' };
const windowsInDb = () => h.db.db.select().from(maintenanceWindows);
const maintenanceOutbox = () => h.db.db.select().from(outbox).where(eq(outbox.subject, 'service-maintenance'));
const maintenanceAudit = () => h.db.db.select().from(auditLog).where(eq(auditLog.action, 'maintenance.announced'));

type Problem = { type: string; status: number; reason?: string; field?: string; title: string; title_fa: string };

describe('planned maintenance (seed 003)', () => {
  it('§sla.maintenance-notice: refuses a window that starts in the past, ends before it starts, or comes under 48 hours ahead (422 naming the field, fa+en; nothing written)', async () => {
    const refusals = [
      [{ startsAt: inHours(-1), endsAt: inHours(3) }, 'MAINTENANCE_STARTS_IN_PAST', 'startsAt', 'شروع دوره نگهداری گذشته است'],
      [{ startsAt: inHours(72), endsAt: inHours(71) }, 'MAINTENANCE_ENDS_BEFORE_START', 'endsAt', 'پایان دوره نگهداری پیش از شروع آن است'],
      [{ startsAt: inHours(72), endsAt: inHours(72) }, 'MAINTENANCE_ENDS_BEFORE_START', 'endsAt', 'پایان دوره نگهداری پیش از شروع آن است'],
      // sla.maintenance.notice-period: 48 hours, an assumption the authority sets.
      [{ startsAt: inHours(47), endsAt: inHours(50) }, 'MAINTENANCE_NOTICE_TOO_SHORT', 'startsAt', 'دوره نگهداری باید دست‌کم ۴۸ ساعت پیش از شروع اعلام شود'],
    ] as const;
    for (const [times, reason, field, titleFa] of refusals) {
      const res = await api<Problem>(h, 'POST', '/v1/maintenance-windows', { token: national, body: { ...times, services: ['all'], notice } });
      expect(res.status, res.text).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/maintenance-window-refused', status: 422, reason, field, title_fa: titleFa });
      expect(res.body.title).toMatch(/maintenance window/);
    }
    const unknown = await api<Problem>(h, 'POST', '/v1/maintenance-windows', { token: national, body: { startsAt: inHours(72), endsAt: inHours(74), services: ['no-such-licence'], notice } });
    expect(unknown.status, unknown.text).toBe(400);
    expect(unknown.body).toMatchObject({ field: 'services.0', title: 'unknown service', title_fa: 'خدمت ناشناخته' });
    const malformed = await api<Problem>(h, 'POST', '/v1/maintenance-windows', { token: national, body: { startsAt: 'tomorrow', endsAt: inHours(74), services: ['all'], notice } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.field).toBe('startsAt');
    expect(await windowsInDb()).toEqual([]);
    expect(await maintenanceOutbox()).toEqual([]);
    expect(await maintenanceAudit()).toEqual([]);
  });

  it('§sla.maintenance-notice: only the national office announces; a county office is refused (403)', async () => {
    const res = await api<Problem>(h, 'POST', '/v1/maintenance-windows', { token: tokens.ahvaz, body: { startsAt: inHours(72), endsAt: inHours(74), services: ['all'], notice } });
    expect(res.status).toBe(403);
    expect(await windowsInDb()).toEqual([]);
  });

  it('§sla.maintenance-notice §sla.availability-notice: an announced window is listed for anyone, the national portal is told and the announcement audited', async () => {
    const body = { startsAt: inHours(72), endsAt: inHours(76), services: ['welfare-services-centre', 'centre-manager'], notice };
    const announced = await api<{ id: string; state: string; startsAtJalali: string; services: string[] }>(h, 'POST', '/v1/maintenance-windows', { token: national, body });
    expect(announced.status, announced.text).toBe(201);
    expect(announced.body).toMatchObject({ state: 'announced', services: body.services, notice });
    expect(announced.body.startsAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d$/);

    // The public list, without a token.
    const listed = await api<{ items: { id: string; startsAt: string; endsAt: string; state: string }[] }>(h, 'GET', '/v1/maintenance-windows');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: announced.body.id, state: 'announced', startsAt: new Date(body.startsAt).toISOString(), endsAt: new Date(body.endsAt).toISOString() })]);

    // The portal is told through the outbox, and acknowledges it.
    const [queued] = await maintenanceOutbox();
    expect(queued).toMatchObject({ event: 'maintenance-announced', sequence: 1, payload: { windowId: announced.body.id, services: body.services, notice } });
    const accepted = await eventually(async () => {
      const log = await (await fetch(`${h.sandboxUrl}/control/portal/notifications?subject=service-maintenance`)).json() as { accepted: { event: string; payload: { windowId: string } }[] };
      return log.accepted.length > 0 ? log.accepted : undefined;
    }, 'the portal to receive the maintenance notice');
    expect(accepted).toEqual([expect.objectContaining({ event: 'maintenance-announced', payload: expect.objectContaining({ windowId: announced.body.id }) })]);

    const [entry] = await maintenanceAudit();
    expect(entry).toMatchObject({ actor: 'national-office', subjectType: 'maintenance-window', subjectId: announced.body.id, detail: { services: body.services } });
  });

  it('§sla.availability-notice: a window in progress is listed as such, and one that has ended is no longer listed', async () => {
    // Written as if announced days ago: the rules judge an announcement, not what the list shows.
    const id = 'c0a80101-0000-4000-8000-000000000001';
    await h.db.db.insert(maintenanceWindows).values([
      { id, startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR), services: ['all'], notice, announcedBy: 'national-office' },
      { id: 'c0a80101-0000-4000-8000-000000000002', startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - HOUR), services: ['all'], notice, announcedBy: 'national-office' },
    ]);
    const listed = await api<{ items: { id: string; state: string }[] }>(h, 'GET', '/v1/maintenance-windows');
    expect(listed.body.items.map((w) => [w.id, w.state])).toEqual([[id, 'in-progress'], [expect.any(String), 'announced']]);
  });
});

describe('fees (seed 003, §5)', () => {
  type Fee = { status: string; amount: number | null; currency: string | null; text: { fa: string; en: string } };
  it('§sla.fees-published: the public catalogue publishes every service with its fee or an explicit "no fee set"', async () => {
    const res = await api<{ items: { id: string; kind: string; fee: Fee }[] }>(h, 'GET', '/v1/licence-types');
    expect(res.status, res.text).toBe(200);
    const byId = new Map(res.body.items.map((i) => [i.id, i]));
    for (const item of res.body.items) {
      expect(item.fee, item.id).toBeDefined();
      if (item.kind === 'application' || item.kind === 'call') expect(['set', 'not-set'], item.id).toContain(item.fee.status);
      if (item.kind === 'standing') expect(item.fee.status, item.id).toBe('not-applicable');
    }
    expect(byId.get('welfare-services-centre')!.fee).toMatchObject({ status: 'set', amount: 322000, currency: 'IRR', text: { fa: '۳۲۲٬۰۰۰ ریال', en: '322,000 rials' } });
    expect(byId.get('centre-manager')!.fee).toMatchObject({ status: 'not-set', amount: null, text: { fa: 'هزینه‌ای تعیین نشده است', en: 'no fee set' } });
    expect(byId.get('welfare-activity-licence-renewal')!.fee.status).toBe('not-set');
    expect(byId.get('licence-suspension')!.fee.status).toBe('not-applicable');
    const detail = await api<{ fee: Fee }>(h, 'GET', '/v1/licence-types/welfare-services-centre');
    expect(detail.body.fee).toMatchObject({ status: 'set', amount: 322000 });
  });
});

describe('the export before termination (seed 003, §7)', () => {
  it('§sla.export-before-termination: exports every table (applications, licences, tasks, audit, documents, outbox…) with counts that match the database, and reads it back whole', async () => {
    // Data in every part: a licence through the whole process (tasks, inquiries, timeline, outbox, audit,
    // standing processes), an application with a document, a supervision record and a maintenance window.
    const { activityLicence } = await throughToActivityLicence(h, { tokens, applicant: 8801 });
    const pending = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await generatedApplication(8802) });
    await taskInInbox(h, tokens.ahvaz, pending.body.applicationId, 'initial-interview');
    const attached = await api(h, 'POST', `/v1/applications/${pending.body.applicationId}/documents`, { token: tokens.portal, body: documentUpload });
    expect(attached.status, attached.text).toBe(201);
    const inspected = await api(h, 'POST', `/v1/licences/${activityLicence}/supervision`, { token: tokens.portal, body: { kind: 'self-assessment', visitedOn: new Date().toISOString().slice(0, 10), result: 'compliant' } });
    expect(inspected.status, inspected.text).toBe(201);
    // What an operator does: stop the workers, then export.
    await h.stopWorker();

    const outDir = mkdtempSync(join(tmpdir(), 'ops-export-'));
    const { directory, manifest } = await exportData({ db: h.db.db, outDir, calendar: h.deps.calendar });
    expect(directory).toMatch(/parvaneh-export-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    // Every table of the schema is exported, or named as not exported with its reason.
    expect([...schemaTables().keys()].sort()).toEqual([...exportedTables().map(([n]) => n), ...Object.keys(NOT_EXPORTED)].sort());
    expect(Object.keys(manifest.tables)).toEqual(expect.arrayContaining(['applications', 'application_events', 'licences', 'tasks', 'inquiries', 'audit_log', 'documents', 'outbox', 'supervision_records', 'maintenance_windows', 'definitions']));
    for (const [name, table] of exportedTables()) {
      const { n } = await queryOne<{ n: number }>(h.db.db, sql`select count(*)::int as n from ${table}`);
      expect(manifest.tables[name]!.rows, `${getTableName(table)} rows`).toBe(n);
    }
    expect(manifest.tables.licences!.rows).toBeGreaterThanOrEqual(2);
    // The licensed centre's documents of Art. 6, attached as the portal does, and the pending application's one.
    expect(manifest.tables.documents!.rows).toBe((await h.db.db.select({ id: documents.id }).from(documents)).length);
    expect(manifest.tables.documents!.rows).toBeGreaterThan(1);

    // Read back: every line parses, the hashes and counts match, the document's content is its sha256's.
    const check = await verifyExport(directory);
    expect(check.problems).toEqual([]);
    expect(check.rows).toEqual(Object.fromEntries(Object.entries(manifest.tables).map(([t, e]) => [t, e.rows])));
    const exportedLicences = await readExportedTable(directory, 'licences');
    expect(exportedLicences.map((l) => l.number)).toContain(activityLicence);
    const [doc] = await h.db.db.select().from(documents).where(eq(documents.applicationId, pending.body.applicationId));
    const exportedDoc = (await readExportedTable(directory, 'documents')).find((d) => d.id === doc!.id);
    expect(exportedDoc).toMatchObject({ id: doc!.id, sha256: doc!.sha256, fileName: doc!.fileName });
    expect(exportedDoc).not.toHaveProperty('content');
    expect(readFileSync(join(directory, 'documents', doc!.id)).equals(doc!.content)).toBe(true);
    const [licenceRow] = await h.db.db.select().from(licences).where(eq(licences.number, activityLicence));
    expect(exportedLicences.find((l) => l.number === activityLicence)).toMatchObject({ holderNationalCode: licenceRow!.holderNationalCode, validUntil: licenceRow!.validUntil.toISOString() });

    // A damaged export does not read back whole.
    const tasksFile = join(directory, 'tasks.ndjson');
    writeFileSync(tasksFile, readFileSync(tasksFile, 'utf8').split('\n').slice(1).join('\n'));
    expect((await verifyExport(directory)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^tasks\.ndjson: /)]));
  });

  it('§sla.export-before-termination: the operator\'s script (tsx scripts/export.ts) writes a dated export and verifies it', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'ops-export-cli-'));
    const run = (args: string[]) => spawnSync(resolve('node_modules/.bin/tsx'), ['scripts/export.ts', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: h.db.url }, timeout: 120_000 });
    const exported = run(['--out', outDir]);
    expect(exported.status, `${exported.stdout}${exported.stderr}`).toBe(0);
    expect(exported.stdout).toMatch(/read back whole/);
    const [name] = readdirSync(outDir);
    expect(name).toMatch(/^parvaneh-export-/);
    const verified = run(['--verify', join(outDir, name!)]);
    expect(verified.status, `${verified.stdout}${verified.stderr}`).toBe(0);
    expect(verified.stdout).toMatch(/audit_log\s+\d+ rows/);
  }, 150_000);
});

// The audit entries a maintenance announcement wrote still chain with the rest.
it('keeps the audit chain whole after the announcements', async () => {
  const { verifyAuditChain } = await import('../domain/audit.js');
  expect(await verifyAuditChain(h.db.db)).toMatchObject({ ok: true });
  expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'maintenance.announced')))).toHaveLength(1);
});
