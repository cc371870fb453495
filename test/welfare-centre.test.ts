/**
 * The Welfare Services Centre licence end to end: real Temporal (time-skipping), real
 * PostgreSQL, the sandbox registries and the gateway over HTTP on loopback.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, licences, tasks } from '../db/schema/index.js';
import { api, applicationFor, decide, eventually, generatedApplication, personNamed, sandboxInquiries, taskInInbox, processEnded } from './support/api.js';
import { advance } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { tokensFor } from './support/tokens.js';

const DAY_MS = 86_400_000;

let h: Harness;
let tokens: Record<'portal' | 'ahvaz' | 'dezful' | 'khuzestan', string>;

beforeAll(async () => {
  h = await startHarness();
  tokens = await tokensFor(h, ['portal', 'ahvaz', 'dezful', 'khuzestan']);
});
afterAll(async () => h?.close());

async function submit(nationalCode: string) {
  const res = await api<{ applicationId: string; trackingCode: string; definitionVersion: number }>(h, 'POST', '/v1/applications', {
    token: tokens.portal, body: await applicationFor(h, nationalCode),
  });
  expect(res.status, res.text).toBe(202);
  return res.body;
}

const result = (applicationId: string) => processEnded(h, applicationId);

async function passInterview(applicationId: string) {
  const interview = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
  await decide(h, tokens.ahvaz, interview.id, 'accept');
}

describe('Welfare Services Centre licence', () => {
  it('gives an eligible applicant a principle agreement, then an activity licence §welfare.licence.two-stages §welfare.county.interview §welfare.province.decision §sla.tracking-code', async () => {
    const { applicationId, trackingCode } = await submit('0012345679');
    const { result: ending } = await throughToActivityLicence(h, { tokens, applicationId });
    expect(ending).toMatchObject({ outcome: 'approved', reason: 'ACTIVITY_LICENCE_ISSUED' });
    expect(Object.keys(ending.licences)).toEqual(['principle-agreement', 'activity-licence']);
    expect(ending.licences['activity-licence']!.number).toMatch(/^WSC-AL-14\d\d-\d{6}$/);

    const issued = await h.db.db.select().from(licences).where(eq(licences.applicationId, applicationId));
    expect(issued.map((l) => l.kind).sort()).toEqual(['activity-licence', 'principle-agreement']);
    const timeline = await h.db.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(applicationEvents.seq);
    const issuedKinds = timeline.filter((e) => e.kind === 'licence-issued').map((e) => (e.detail as { kind: string }).kind);
    expect(issuedKinds).toEqual(['principle-agreement', 'activity-licence']);
    expect(timeline.at(-1)!.kind).toBe('application-approved');
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));

    const tracked = await api(h, 'GET', `/v1/tracking/${trackingCode}`);
    expect(tracked.body).toMatchObject({ status: 'approved', licenceType: 'welfare-services-centre' });
    expect(tracked.text).not.toContain('0012345679');
  });

  it('rejects an applicant aged 24 with the age reason before any inquiry is sent §welfare.holder.age', async () => {
    const { applicationId } = await submit('0023456787');
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'AGE_BELOW_MINIMUM', stepId: 'eligibility' });
    expect(await sandboxInquiries(h, '0023456787')).toEqual([]);
    const view = await api<{ application: { status: string; outcomeReason: string }; inquiries: unknown[] }>(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.ahvaz });
    expect(view.body.application).toMatchObject({ status: 'rejected', outcomeReason: 'AGE_BELOW_MINIMUM' });
    expect(view.body.inquiries).toEqual([]);
  });

  it('rejects an applicant with a criminal record §welfare.holder.criminal-record', async () => {
    const { applicationId } = await submit('0034567895');
    await passInterview(applicationId);
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'CRIMINAL_RECORD', stepId: 'vetting-result' });
  });

  // Seed 002, Art. 4 (the holder's conditions) and Art. 6 (the military-service card): the fixture
  // persons for a denied clearance, an unresolved military service and a foreign citizen.
  it('rejects a holder the security office does not clear (seed 002, Art. 4: SECURITY_CLEARANCE_DENIED) §welfare.holder.security-clearance', async () => {
    const { applicationId } = await submit('0056789122');
    await passInterview(applicationId);
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'SECURITY_CLEARANCE_DENIED', stepId: 'vetting-result' });
  });

  it('rejects a man who has neither served nor been exempted, before the interview (seed 002, Art. 6: MILITARY_SERVICE_UNRESOLVED) §welfare.holder.military-service', async () => {
    const { applicationId } = await submit('0078912342');
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'MILITARY_SERVICE_UNRESOLVED', stepId: 'military-status' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId))).toEqual([]);
  });

  it('rejects an applicant the civil registry records as a foreign citizen (seed 002, Art. 4: NOT_IRANIAN_CITIZEN) §welfare.holder.citizenship', async () => {
    const { applicationId } = await submit('0035792469');
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'NOT_IRANIAN_CITIZEN', stepId: 'identity' });
  });

  it('rejects an applicant of no officially recognised religion at once, before any inquiry (seed 002, Art. 4(a): RELIGION_NOT_RECOGNISED) §welfare.holder.religion', async () => {
    const body = await generatedApplication(7101);
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', {
      token: tokens.portal, body: { ...body, applicant: { ...body.applicant, religionRecognised: false } },
    });
    expect(res.status, res.text).toBe(202);
    expect(await result(res.body.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'RELIGION_NOT_RECOGNISED', stepId: 'eligibility' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, res.body.applicationId))).toEqual([]);
  });

  it('rejects an applicant whose addiction test is positive, after the interview with the other vetting answers (seed 002, Art. 4(a): ADDICTION_TEST_POSITIVE) §welfare.holder.addiction', async () => {
    const { applicationId } = await submit('0067891233');
    await passInterview(applicationId);
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'ADDICTION_TEST_POSITIVE', stepId: 'vetting-result' });
  });

  it('rejects a deceased applicant on the civil registry answer §welfare.holder.identity', async () => {
    const { applicationId } = await submit('0089123451');
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'APPLICANT_DECEASED' });
  });

  /**
   * Submits a generated person with some details changed, and expects the civil registry's answer
   * to refuse it at the identity check: no further inquiry, no interview, the reason told to the
   * portal and shown in the application's view.
   */
  async function refusedOnCivilRecord(seed: number, changed: (record: { firstName: string; lastName: string; birthDate: string }) => object, reason: string) {
    const body = await generatedApplication(seed);
    const record = body.applicant;
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: { ...body, applicant: { ...record, ...changed(record) } } });
    expect(res.status, res.text).toBe(202);
    const { applicationId } = res.body;
    // Whichever comes first, the end or a task: an application let through waits at its interview.
    const settled = await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
      const created = await h.db.db.select().from(tasks).where(eq(tasks.applicationId, applicationId));
      return row && (row.status !== 'running' || created.length > 0) ? { status: row.status, tasks: created.map((t) => t.stepId) } : undefined;
    }, `application ${applicationId} to end or wait for a task`);
    expect(settled).toEqual({ status: 'rejected', tasks: [] });
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason, stepId: 'identity' });
    expect((await sandboxInquiries(h, record.nationalCode)).map((i) => i.registry)).toEqual(['civil-registry']);
    const view = await api<{ application: { status: string; outcomeReason: string }; timeline: { kind: string; stepId: string; detail: { reason?: string; message?: { fa: string; en: string } } }[] }>(
      h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.ahvaz });
    expect(view.body.application).toMatchObject({ status: 'rejected', outcomeReason: reason });
    const failed = view.body.timeline.find((e) => e.kind === 'rule-failed');
    expect(failed).toMatchObject({ stepId: 'identity', detail: { reason } });
    expect(failed!.detail.message!.fa.length).toBeGreaterThan(0);
    const told = await eventually(async () => {
      const log = await (await fetch(`${h.sandboxUrl}/control/portal/notifications?subject=${applicationId}`)).json() as { accepted: { event: string; payload: { reason: string } }[] };
      return log.accepted.find((n) => n.event === 'application-rejected');
    }, 'the refusal at the portal');
    expect(told.payload.reason).toBe(reason);
  }

  it('refuses an applicant whose name and birth date differ from the civil registry\'s record, before the interview §welfare.holder.identity', async () => {
    await refusedOnCivilRecord(8101, (record) => {
      expect(record.birthDate).not.toBe('1990-01-01');
      return { firstName: 'X', lastName: 'Y', birthDate: '1990-01-01' };
    }, 'CIVIL_REGISTRY_NAME_MISMATCH');
  });

  it('refuses an applicant whose birth date alone differs from the civil registry\'s record by a day §welfare.holder.identity', async () => {
    const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await refusedOnCivilRecord(8102, (record) => ({ birthDate: dayBefore(record.birthDate) }), 'CIVIL_REGISTRY_BIRTH_DATE_MISMATCH');
  });

  it('ends the application when the county officer rejects it at the interview §welfare.county.interview', async () => {
    const { applicationId } = await submit('0013579134');
    const interview = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
    const withoutReason = await api(h, 'POST', `/v1/tasks/${interview.id}/decision`, { token: tokens.ahvaz, body: { outcome: 'reject' } });
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body).toMatchObject({ field: 'reason' });
    await decide(h, tokens.ahvaz, interview.id, 'reject', 'needs assessment: the county already has enough centres');
    expect(await result(applicationId)).toMatchObject({ outcome: 'rejected', reason: 'REJECTED_AT_INTERVIEW', stepId: 'rejected-at-interview' });
    const [task] = await h.db.db.select().from(tasks).where(eq(tasks.id, interview.id));
    expect(task).toMatchObject({ status: 'decided', outcome: 'reject', decidedBy: 'county-office:ahvaz' });
  });

  it('completes when the security clearance answers only after 10 days', async () => {
    // The manager is asked after the sandbox's clock has moved 10 days: one whose birth date does not move with it.
    const body = await applicationFor(h, '0045678911', 'welfare-services-centre', 'ahvaz', { kind: 'nominee', person: await personNamed(h, '0012345679') });
    const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
    expect(submitted.status, submitted.text).toBe(202);
    const { applicationId } = submitted.body;
    await passInterview(applicationId);
    const pending = await eventually(async () => {
      const mine = await sandboxInquiries(h, '0045678911');
      return mine.find((i) => i.registry === 'security-clearance');
    }, 'the security-clearance inquiry');
    await advance(h, 10 * DAY_MS);
    await fetch(`${h.sandboxUrl}/control/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 10 * 24 * 3600 * 1000 }) });
    const { result: ending } = await throughToActivityLicence(h, { tokens, applicationId, from: 'province-decision' });
    expect(ending).toMatchObject({ outcome: 'approved' });
    expect((await sandboxInquiries(h, '0045678911')).filter((i) => i.inquiryId === pending.inquiryId)).toHaveLength(1);
  });

  it('keeps a county office out of another county\'s tasks', async () => {
    const { applicationId } = await submit('0091234565');
    const interview = await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
    const inbox = await api<{ items: { id: string }[] }>(h, 'GET', '/v1/tasks', { token: tokens.dezful });
    expect(inbox.body.items.map((t) => t.id)).not.toContain(interview.id);
    const refused = await api(h, 'POST', `/v1/tasks/${interview.id}/decision`, { token: tokens.dezful, body: { outcome: 'accept' } });
    expect(refused.status).toBe(403);
    expect((await api(h, 'GET', `/v1/applications/${applicationId}`, { token: tokens.dezful })).status).toBe(403);
    const withdrawn = await api(h, 'POST', `/v1/applications/${applicationId}/withdrawal`, { token: tokens.portal, body: { reason: 'the applicant moved' } });
    expect(withdrawn.status).toBe(202);
    expect(await result(applicationId)).toMatchObject({ outcome: 'withdrawn', reason: 'WITHDRAWN_BY_APPLICANT' });
    const [task] = await h.db.db.select().from(tasks).where(eq(tasks.id, interview.id));
    expect(task!.status).toBe('cancelled');
  });
});
