/**
 * The audit trail written by the services, end to end: a submission, an office's decision, the
 * registries' late answers and a withdrawal each leave one chained entry, and no national code.
 */
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { verifyAuditChain } from '../domain/audit.js';
import { api, applicationFor, decide, eventually, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens } from './support/tokens.js';
import { queryOne } from '../db/query.js';

let h: Harness;

beforeAll(async () => { h = await startHarness(); });
afterAll(async () => h?.close());

describe('audit trail of state changes', () => {
  it('records submission, decision, registry answers and withdrawal as one valid chain', async () => {
    const { portal, ahvaz, khuzestan } = await officeTokens(h);
    const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', {
      token: portal, body: await applicationFor(h, '0012345679'), headers: { 'idempotency-key': 'audit-trail-1' },
    });
    expect(submitted.status, submitted.text).toBe(202);
    const { applicationId } = submitted.body;
    const interview = await taskInInbox(h, ahvaz, applicationId, 'initial-interview');
    await decide(h, ahvaz, interview.id, 'accept');
    // The province decides once the vetting inquiries have answered through their callbacks.
    await taskInInbox(h, khuzestan, applicationId, 'province-decision');
    const withdrawn = await api(h, 'POST', `/v1/applications/${applicationId}/withdrawal`, {
      token: portal, body: { reason: 'به درخواست متقاضی 0012345679' }, headers: { 'idempotency-key': 'audit-trail-2' },
    });
    expect(withdrawn.status, withdrawn.text).toBe(202);

    const entries = await eventually(async () => {
      const rows = await h.db.db.select().from(auditLog).orderBy(asc(auditLog.id));
      return rows.some((r) => r.action === 'application.withdrawal-requested') ? rows : undefined;
    }, 'the withdrawal in the audit trail');
    expect(entries.find((e) => e.action === 'application.submitted')).toMatchObject({
      actor: 'portal', subjectType: 'application', subjectId: applicationId, detail: { licenceType: 'welfare-services-centre', county: 'ahvaz' },
    });
    expect(entries.find((e) => e.action === 'task.decided')).toMatchObject({
      actor: 'county-office:ahvaz', subjectType: 'task', subjectId: interview.id, detail: { applicationId, outcome: 'accept', stepId: 'initial-interview' },
    });
    const answered = entries.filter((e) => e.action === 'inquiry.answered').map((e) => e.actor).sort();
    expect(answered).toEqual(expect.arrayContaining(['registry:criminal-record', 'registry:security-clearance']));
    expect(entries.find((e) => e.action === 'application.withdrawal-requested')).toMatchObject({ actor: 'portal', subjectId: applicationId });

    expect(await verifyAuditChain(h.db.db)).toMatchObject({ ok: true, entries: entries.length });
    const { dump } = await queryOne<{ dump: string }>(h.db.db, sql`select string_agg(audit_log::text, ' ') as dump from audit_log`);
    expect(dump).not.toContain('0012345679');
  });
});
