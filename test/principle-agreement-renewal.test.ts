/**
 * The principle agreement's renewal (seed 002 Art. 7 and Art. 9(19); seed 004): requested by the
 * county office or by the holder through the national portal from 3 Jalali months before expiry,
 * vetted again, the county's review of progress towards the premises, the same number with 6 more
 * months; its reminder texting the holder and telling the portal when the window opens, starting
 * the renewal a month before expiry, and letting an agreement not renewed expire. One timeline:
 * an agreement issued under version 2 of the centre's definition, then version 3 deployed (the
 * renewal extended to earlier agreements), agreements issued under it, and time moved into their window.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, inquiries, licences, tasks } from '../db/schema/index.js';
import { formatJalali } from '../dsl/calendar.js';
import { addMonths } from '../platform/dates/time-functions.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { ensureOutboxDelivery } from '../worker/outbox-delivery.js';
import { api, attachDocuments, decide, eventually, generatedApplication, processEnded, taskInInbox } from './support/api.js';
import { skipTo } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { changesRunOn, portalNotices, timelineEvents } from './support/records.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'parenew-processes-'));
let h: Harness;
let tokens: OfficeTokens;
interface Agreement { number: string; validUntil: Date; applicationId: string }
/**
 * Renewed by the county office (county), through the portal (portal), left to its reminder and
 * refused (lapsing), issued under version 2 (v2), and one whose centre has its activity licence (licensed).
 */
const agreement: Record<'county' | 'portal' | 'lapsing' | 'v2' | 'licensed', Agreement> = {} as never;

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const applicationRow = async (id: string) => (await h.db.db.select().from(applications).where(eq(applications.id, id)))[0]!;
const termOf = (number: string) => `licence-${number}.principle-agreement-term`;
const jalaliOf = (at: Date | string) => formatJalali(new Date(at).getTime(), h.deps.calendar);
const monthsFrom = (at: Date, months: number) => addMonths(at.toISOString(), months);
const eventsOf = (applicationId: string, kind: string) => timelineEvents(h, applicationId, kind);
const told = (number: string, event: string) => portalNotices(h, number, event);
const renewalsOf = (number: string) => changesRunOn(h, number, 'principle-agreement-renewal');
const audited = (number: string, action: string) => h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, number), eq(auditLog.action, action)));

/** A centre application through the interview and the province's approval: its principle agreement, the site visit still ahead. */
async function principleAgreement(seed: number): Promise<Agreement> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await generatedApplication(seed) });
  expect(res.status, res.text).toBe(202);
  const { applicationId } = res.body;
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview')).id, 'accept');
  await attachDocuments(h, applicationId);
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, applicationId, 'province-decision', 60_000)).id, 'approve');
  await taskInInbox(h, tokens.ahvaz, applicationId, 'site-visit');
  const [row] = await h.db.db.select().from(licences).where(and(eq(licences.applicationId, applicationId), eq(licences.kind, 'principle-agreement')));
  return { number: row!.number, validUntil: row!.validUntil, applicationId };
}

/** Decides the renewal's progress review as Ahvaz county, once the inquiries have passed. */
async function reviewProgress(renewalId: string, outcome: 'progressing' | 'no-progress', reason?: string) {
  await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, renewalId, 'progress-review', 60_000)).id, outcome, reason);
}

async function expectRefusedAtOnce(number: string, reason: string, title: string) {
  for (const path of [`/v1/licences/${number}/renewals`, `/v1/licences/${number}/changes/renewal`]) {
    const res = await api<Record<string, unknown>>(h, 'POST', path, { token: tokens.ahvaz, body: { requestedBy: 'county-office' } });
    expect(res.status, res.text).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-refused', status: 422, reason, title, title_fa: expect.stringContaining('موافقت اصولی') });
  }
  expect(await renewalsOf(number)).toEqual([]);
  expect(await audited(number, 'licence.renewal-started')).toEqual([]);
}

beforeAll(async () => {
  // Deployed first without versions 3 and 4: the agreement issued then is pinned to version 2.
  cpSync('processes', dir, { recursive: true });
  for (const v of ['v3', 'v4']) rmSync(join(dir, `welfare-services-centre/${v}.yaml`));
  h = await startHarness({ processesDir: dir, outboxDelivery: false });
  tokens = await officeTokens(h);
  agreement.v2 = await principleAgreement(8101);
  // Versions 3 and 4 deployed: the gateway loads them, and new applications take the newest (4, version 3's agreement with a legal person's centres counted).
  for (const v of ['v3', 'v4']) cpSync(`processes/welfare-services-centre/${v}.yaml`, join(dir, `welfare-services-centre/${v}.yaml`));
  h.reloadDefinitions();
  const [county, portal, lapsing] = await Promise.all([8102, 8103, 8104].map(principleAgreement));
  const licensed = await throughToActivityLicence(h, { tokens, applicant: 8105 });
  Object.assign(agreement, {
    county, portal, lapsing,
    licensed: { number: licensed.principleAgreement, validUntil: (await licenceRow(licensed.principleAgreement)).validUntil, applicationId: licensed.applicationId },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the renewal of a principle agreement', () => {
  it('§welfare.principle-agreement.renewal: offers the renewal to an agreement of the newest version and to one issued under version 2, which keeps its own definition', async () => {
    const pinned = async (number: string) => h.catalogue.pinned((await licenceRow(number)).definitionHash)!.definition.version;
    expect(await pinned(agreement.v2.number)).toBe(2);
    expect(await pinned(agreement.county.number)).toBe(4);
    for (const { number } of [agreement.v2, agreement.county]) {
      const res = await api<{ items: { change: string; process: string; startedBy: string[] }[] }>(h, 'GET', `/v1/licences/${number}/changes`, { token: tokens.ahvaz });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.map((c) => c.change).sort()).toEqual(['renewal', 'revocation', 'suspension']);
      expect(res.body.items.find((c) => c.change === 'renewal')).toMatchObject({ process: 'principle-agreement-renewal', startedBy: ['county-office', 'portal'] });
    }
    // The agreement of version 2 keeps the standing process it was issued with; version 3's stands with its reminder.
    expect((await applicationRow(`licence-${agreement.v2.number}.licence-expiry`)).status).toBe('running');
    expect((await applicationRow(termOf(agreement.county.number))).status).toBe('running');
  });

  it('§welfare.principle-agreement.renewal: refuses a renewal requested before its window opens, 3 months before expiry: 422 RENEWAL_TOO_EARLY, nothing started', async () => {
    await expectRefusedAtOnce(agreement.county.number, 'RENEWAL_TOO_EARLY', 'a principle agreement\'s renewal may be requested from 3 months before expiry');
    expect((await licenceRow(agreement.county.number)).validUntil).toEqual(agreement.county.validUntil);
  });

  it('§welfare.principle-agreement.renewal: when the window opens, texts the holder and tells the portal, on the Jalali date 3 months before expiry', async () => {
    const opens = Math.max(...Object.values(agreement).map((a) => Date.parse(monthsFrom(a.validUntil, -3))));
    await skipTo(h, opens + 3_600_000);
    for (const { number, validUntil } of [agreement.county, agreement.portal, agreement.lapsing]) {
      const texted = await eventually(async () => (await eventsOf(termOf(number), 'sms-sent'))[0], `the reminder SMS of ${number}`);
      expect(texted).toMatchObject({ stepId: 'holder-reminder', detail: expect.objectContaining({ event: 'licence-renewal-due' }) });
      expect(jalaliOf(texted.occurredAt)).toBe(jalaliOf(monthsFrom(validUntil, -3)));
      const notice = await eventually(async () => (await told(number, 'licence-renewal-due'))[0], `the portal's notice of ${number}`);
      expect(notice.payload).toMatchObject({ licenceNumber: number });
      expect(await eventsOf(termOf(number), 'portal-notified')).toHaveLength(1);
    }
    // A centre with its activity licence has no use for the agreement: no reminder, it only waits for its end.
    const { number } = agreement.licensed;
    await eventually(async () => (await eventsOf(termOf(number), 'waiting')).find((e) => e.stepId === 'until-expiry'), 'the licensed centre\'s term to wait for the expiry');
    expect(await eventsOf(termOf(number), 'sms-sent')).toEqual([]);
    expect(await told(number, 'licence-renewal-due')).toEqual([]);
  });

  it('§welfare.principle-agreement.renewal: renews at the county office\'s request: inquiries again, the county\'s progress review, the same number, 6 more months, the portal told', async () => {
    const { number, validUntil } = agreement.county;
    const res = await api<{ applicationId: string; change: string; definitionVersion: number }>(h, 'POST', `/v1/licences/${number}/renewals`, { token: tokens.ahvaz, body: { requestedBy: 'county-office' } });
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ change: 'renewal', definitionVersion: 1 });
    const renewalId = res.body.applicationId;
    await reviewProgress(renewalId, 'progressing');
    expect(await processEnded(h, renewalId)).toMatchObject({ outcome: 'approved', reason: 'PRINCIPLE_AGREEMENT_RENEWED' });
    const asked = await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, renewalId));
    expect(asked.map((i) => i.registry).sort()).toEqual(['addiction', 'criminal-record', 'security-clearance']);
    const renewed = await licenceRow(number);
    expect(renewed).toMatchObject({ number, status: 'active' });
    expect(renewed.validUntil.toISOString()).toBe(monthsFrom(validUntil, 6));
    const notices = await told(number, 'licence-renewed');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload).toMatchObject({ licenceNumber: number, status: 'active', validUntil: renewed.validUntil.toISOString() });
    expect((await eventsOf(renewalId, 'sms-sent')).map((e) => (e.detail as { event: string }).event)).toEqual(['licence-renewed']);
    expect(await audited(number, 'licence.renewal-started')).toHaveLength(1);
    expect(await audited(number, 'licence.renewed')).toHaveLength(1);
  });

  it('§welfare.principle-agreement.renewal: renews at the holder\'s request through the national portal, and the portal is told of the renewal', async () => {
    const { number, validUntil } = agreement.portal;
    const res = await api<{ applicationId: string; change: string }>(h, 'POST', `/v1/licences/${number}/renewals`, { token: tokens.portal, body: { requestedBy: 'holder' } });
    expect(res.status, res.text).toBe(202);
    const renewalId = res.body.applicationId;
    expect(((await applicationRow(renewalId)).facts as { change: { requestedBy: string; startedBy: string } }).change).toMatchObject({ requestedBy: 'holder', startedBy: 'portal' });
    await reviewProgress(renewalId, 'progressing');
    expect(await processEnded(h, renewalId)).toMatchObject({ outcome: 'approved', reason: 'PRINCIPLE_AGREEMENT_RENEWED' });
    const seen = await api<{ number: string; status: string; validUntil: string }>(h, 'GET', `/v1/licences/${number}`, { token: tokens.portal });
    expect(seen.body).toMatchObject({ number, status: 'active', validUntil: monthsFrom(validUntil, 6) });
    // The portal simulator receives the notice, signed with our key, in order after the reminder's.
    h.outboxWorkflowId = await ensureOutboxDelivery(h.client, h.taskQueue);
    const accepted = await eventually(async () => {
      const log = json<{ accepted: { subject: string; event: string; sequence: number }[] }>(await control(h.sandboxUrl, 'GET', `/control/portal/notifications?subject=${number}`));
      const events = log.accepted.filter((n) => n.subject === number).sort((a, b) => a.sequence - b.sequence).map((n) => n.event);
      return events.includes('licence-renewed') ? events : undefined;
    }, 'the renewal at the portal');
    expect(accepted.slice(-2)).toEqual(['licence-renewal-due', 'licence-renewed']);
  });

  it('§welfare.principle-agreement.renewal: renews an agreement issued under version 2, whose standing expiry then honours the new date', async () => {
    const { number, validUntil } = agreement.v2;
    const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/changes/renewal`, { token: tokens.ahvaz, body: {} });
    expect(res.status, res.text).toBe(202);
    expect((await applicationRow(res.body.applicationId)).definitionVersion).toBe(1);
    await reviewProgress(res.body.applicationId, 'progressing');
    expect(await processEnded(h, res.body.applicationId)).toMatchObject({ outcome: 'approved', reason: 'PRINCIPLE_AGREEMENT_RENEWED' });
    const renewed = await licenceRow(number);
    expect(renewed).toMatchObject({ number, status: 'active' });
    expect(h.catalogue.pinned(renewed.definitionHash)!.definition.version).toBe(2);
    expect(renewed.validUntil.toISOString()).toBe(monthsFrom(validUntil, 6));
    expect(await told(number, 'licence-renewed')).toHaveLength(1);
  });

  it('§welfare.licence.two-stages: does not renew the agreement of a centre that has its activity licence', async () => {
    const { number, validUntil } = agreement.licensed;
    const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/renewals`, { token: tokens.ahvaz, body: {} });
    expect(res.status, res.text).toBe(202);
    expect(await processEnded(h, res.body.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'PRINCIPLE_AGREEMENT_FULFILLED' });
    expect(await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, res.body.applicationId))).toEqual([]);
    expect(await licenceRow(number)).toMatchObject({ status: 'active', validUntil });
    expect(await told(number, 'licence-renewed')).toEqual([]);
  });

  it('§welfare.principle-agreement.renewal: starts the renewal itself a month before expiry; one refused lets the agreement expire, the portal told', async () => {
    const { number, validUntil } = agreement.lapsing;
    await skipTo(h, Date.parse(monthsFrom(validUntil, -1)) + 60_000);
    const renewal = await eventually(async () => (await renewalsOf(number)).find((r) => (r.facts as { change: { requestedBy: string } }).change.requestedBy === 'reminder'), 'the renewal the reminder starts');
    expect(renewal).toMatchObject({ parentApplicationId: termOf(number), status: 'running' });
    const last = (await eventsOf(termOf(number), 'sms-sent')).map((e) => (e.detail as { event: string }).event);
    expect(last).toEqual(['licence-renewal-due', 'licence-renewal-last-reminder']);
    // The agreements renewed in their window get no last reminder and no second renewal.
    for (const renewed of [agreement.county, agreement.portal]) {
      await eventually(async () => (await eventsOf(termOf(renewed.number), 'waiting')).find((e) => e.stepId === 'until-renewal-window'
        && jalaliOf(String((e.detail as { until: string }).until)) === jalaliOf(monthsFrom(renewed.validUntil, 3))), 'the next window from the new expiry');
      expect((await eventsOf(termOf(renewed.number), 'step-started')).map((e) => e.stepId)).not.toContain('last-reminder');
      expect(await renewalsOf(renewed.number)).toHaveLength(1);
    }

    await reviewProgress(renewal.id, 'no-progress', 'no premises found yet');
    expect(await processEnded(h, renewal.id)).toMatchObject({ outcome: 'rejected', reason: 'RENEWAL_REFUSED' });
    await skipTo(h, validUntil.getTime() + 3_600_000);
    await eventually(async () => ((await licenceRow(number)).status === 'expired' ? true : undefined), 'the agreement to expire');
    expect(await told(number, 'licence-expired')).toHaveLength(1);
    expect(await processEnded(h, termOf(number))).toMatchObject({ outcome: 'approved', reason: 'LICENCE_EXPIRED' });
    // The renewed agreements, of version 3 and of version 2, outlive their first expiry; a licensed centre's expires quietly.
    for (const renewed of [agreement.county, agreement.portal, agreement.v2]) expect((await licenceRow(renewed.number)).status).toBe('active');
    expect((await applicationRow(`licence-${agreement.v2.number}.licence-expiry`)).status).toBe('running');
    const licensed = agreement.licensed.number;
    expect(await processEnded(h, termOf(licensed))).toMatchObject({ outcome: 'approved', reason: 'LICENCE_EXPIRED' });
    expect(await told(licensed, 'licence-expired')).toHaveLength(1);
    expect(await told(licensed, 'licence-renewal-due')).toEqual([]);
  });

  it('§welfare.principle-agreement.renewal: refuses a renewal requested once the agreement has expired: 422 RENEWAL_TOO_LATE, nothing started', async () => {
    const { number } = agreement.lapsing;
    const before = await renewalsOf(number);
    for (const path of [`/v1/licences/${number}/renewals`, `/v1/licences/${number}/changes/renewal`]) {
      const res = await api<Record<string, unknown>>(h, 'POST', path, { token: tokens.portal, body: { requestedBy: 'holder' } });
      expect(res.status, res.text).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-refused', reason: 'RENEWAL_TOO_LATE', title_fa: expect.stringContaining('موافقت اصولی') });
    }
    expect(await renewalsOf(number)).toEqual(before);
    expect((await licenceRow(number)).status).toBe('expired');
  });

  it('§welfare.principle-agreement.renewal: an application whose site visit outlives the agreement\'s first term waits for the visit again when the agreement was renewed, and lapses when it was not', async () => {
    const visitOf = async (applicationId: string) => (await h.db.db.select().from(tasks).where(and(eq(tasks.applicationId, applicationId), eq(tasks.stepId, 'site-visit'))).orderBy(tasks.createdAt));
    const lastDue = Math.max(...(await Promise.all([agreement.county, agreement.lapsing].map(async (a) => (await visitOf(a.applicationId))[0]!.dueAt.getTime()))));
    await skipTo(h, lastDue + 3_600_000);
    // Not renewed: the agreement has expired, and the application with it.
    expect(await processEnded(h, agreement.lapsing.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'PRINCIPLE_AGREEMENT_LAPSED' });
    expect((await eventsOf(agreement.lapsing.applicationId, 'licence-read')).map((e) => e.stepId)).toEqual(['agreement-in-force']);
    // Renewed: read again, in force, so the county's visit opens again within the renewed term.
    const visits = await eventually(async () => {
      const all = await visitOf(agreement.county.applicationId);
      return all.length === 2 ? all : undefined;
    }, 'the site visit to open again');
    expect(visits[0]!.status).not.toBe('open');
    expect(visits[1]).toMatchObject({ status: 'open', stepId: 'site-visit' });
    expect((await applicationRow(agreement.county.applicationId)).status).toBe('running');
    const read = await eventsOf(agreement.county.applicationId, 'licence-read');
    expect(read.map((e) => e.stepId)).toEqual(['agreement-in-force']);
  });
});
