/**
 * Registry answers arriving by callback, whatever state their inquiry is in: accepted or still
 * marked sent (the answer overtook the registry's own acknowledgement), timed out, or answered.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatement } from '../db/query.js';
import { applications, auditLog, inquiries, registryCallbackIds } from '../db/schema/index.js';
import { receiveRegistryAnswer } from '../services/registry-callbacks.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let applicationId: string;

beforeAll(async () => {
  h = await startHarness({ startWorker: false });
  applicationId = randomUUID();
  await h.db.db.insert(applications).values({
    id: applicationId, trackingCode: `T-${applicationId}`, workflowId: `application-${applicationId}`, licenceType: 'welfare-services-centre',
    definitionVersion: 1, definitionHash: 'x', applicantNationalCode: '0012345679', county: 'ahvaz', province: 'khuzestan',
    facts: {}, submittedBy: 'test', status: 'rejected',
  });
});
afterAll(async () => h?.close());

async function inquiryIn(status: 'sent' | 'accepted' | 'timed-out' | 'answered') {
  const id = `${applicationId}.security-clearance.${randomUUID().slice(0, 8)}`;
  await h.db.db.insert(inquiries).values({
    id, applicationId, stepId: 'security-clearance', registry: 'security-clearance', subjectNationalCode: '0012345679',
    requestedBy: 'test', status, ...(status === 'answered' ? { answer: { status: 'clear' } } : {}),
  });
  return id;
}

/** A callback as its verified signature names it: a fresh `jti` each time unless one is given (a replay). */
const deliver = (inquiryId: string, answer: Record<string, unknown> = { status: 'clear' }, jti = randomUUID()) =>
  receiveRegistryAnswer({
    deps: h.deps, registry: 'security-clearance', body: { inquiryId, registry: 'security-clearance', answer, answeredAt: new Date().toISOString() },
    signed: { jti, keepUntil: new Date(Date.now() + 600_000) },
  });

describe('registry callbacks', () => {
  it('records an answer that arrives before or after the registry acknowledged the inquiry', async () => {
    for (const status of ['sent', 'accepted'] as const) {
      const id = await inquiryIn(status);
      expect(await deliver(id)).toEqual({ inquiryId: id, status: 'delivered' });
      const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, id));
      expect(row).toMatchObject({ status: 'answered', late: false, answer: { status: 'clear' } });
    }
  });

  it('records an answer after the deadline as late', async () => {
    const id = await inquiryIn('timed-out');
    expect(await deliver(id)).toEqual({ inquiryId: id, status: 'late' });
    const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, id));
    expect(row).toMatchObject({ status: 'late-answered', late: true });
  });

  it('records no answer its audit entry could not go with; the registry\'s retry records and audits it once', async () => {
    const id = await inquiryIn('accepted');
    // The trail refuses this inquiry's entry, as a write that fails halfway would.
    await runStatement(h.db.db, sql.raw(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused by the test'; end $$;
      create trigger refuse_audit before insert on audit_log for each row when (new.subject_id = '${id}') execute function refuse_audit();`));
    try {
      await expect(deliver(id)).rejects.toThrow();
      const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, id));
      expect(row).toMatchObject({ status: 'accepted', answer: null });
    } finally {
      await runStatement(h.db.db, sql.raw('drop trigger refuse_audit on audit_log; drop function refuse_audit();'));
    }
    expect(await deliver(id)).toEqual({ inquiryId: id, status: 'delivered' });
    expect(await deliver(id)).toEqual({ inquiryId: id, status: 'duplicate' });
    const audited = await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, id), eq(auditLog.action, 'inquiry.answered')));
    expect(audited).toHaveLength(1);
  });

  it('changes nothing on a duplicate answer, even one that says something else', async () => {
    const id = await inquiryIn('accepted');
    await deliver(id);
    expect(await deliver(id, { status: 'denied' })).toEqual({ inquiryId: id, status: 'duplicate' });
    const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, id));
    expect(row!.answer).toEqual({ status: 'clear' });
  });

  it('answers a replayed callback (a jti taken before) from the record, and keeps the id in PostgreSQL until it expires', async () => {
    const id = await inquiryIn('accepted');
    const jti = randomUUID();
    expect(await deliver(id, { status: 'clear' }, jti)).toEqual({ inquiryId: id, status: 'delivered' });
    expect(await deliver(id, { status: 'clear' }, jti)).toEqual({ inquiryId: id, status: 'duplicate' });
    const [kept] = await h.db.db.select().from(registryCallbackIds).where(eq(registryCallbackIds.jti, jti));
    expect(kept).toMatchObject({ registry: 'security-clearance', inquiryId: id });
    // An id refused with its callback (an unknown inquiry) is not kept: the registry's retry may go through.
    const lost = randomUUID();
    await expect(deliver('no-such-inquiry', { status: 'clear' }, lost)).rejects.toMatchObject({ kind: 'not-found' });
    expect(await h.db.db.select().from(registryCallbackIds).where(eq(registryCallbackIds.jti, lost))).toHaveLength(0);
    // Expired ids are swept as new callbacks arrive.
    await h.db.db.update(registryCallbackIds).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(registryCallbackIds.jti, jti));
    await deliver(await inquiryIn('accepted'));
    expect(await h.db.db.select().from(registryCallbackIds).where(eq(registryCallbackIds.jti, jti))).toHaveLength(0);
  });

  it('refuses an unknown inquiry and a malformed answer', async () => {
    await expect(deliver('no-such-inquiry')).rejects.toMatchObject({ kind: 'not-found' });
    const id = await inquiryIn('accepted');
    await expect(deliver(id, { status: 'maybe' })).rejects.toMatchObject({ kind: 'invalid-input', field: 'answer' });
  });
});
