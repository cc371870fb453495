/**
 * Renewal of an activity licence, and its window as the renewal's definition declares it: from 3
 * Jalali months before expiry until expiry. Outside it the request is refused at once (422, its
 * reason code), nothing started; the process judges the window again as it starts. Inside it the
 * licence keeps its number and gains 60 months. One timeline: three licences issued together (one
 * passed to a successor), then time moved into their window.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, inquiries, licences, outbox } from '../db/schema/index.js';
import { addMonths } from '../platform/dates/time-functions.js';
import type { Actor } from '../services/context.js';
import { startLicenceChange } from '../services/licence-changes.js';
import { api, decide, eventually, generatedApplication, processEnded, taskInInbox, verificationPath } from './support/api.js';
import { skipTo } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
const ahvazOffice: Actor = { subject: 'county-office:ahvaz', role: 'county-office', county: 'ahvaz', province: 'khuzestan' };
/** Renewed by the county office (A), through the portal (B), after passing to a successor (C). */
const centre: Record<'a' | 'b' | 'c', { number: string; validUntil: Date }> = {} as never;
const successor = async () => (await generatedApplication(6104)).applicant;

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const renewalsOf = (number: string) => h.db.db.select().from(applications).where(and(
  eq(applications.licenceType, 'welfare-activity-licence-renewal'), sql`${applications.facts}->'licence'->>'number' = ${number}`,
));
const told = (number: string, event: string) => h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, event)));
const jalaliMonthsLater = (at: Date, months: number) => addMonths(at.toISOString(), months);

async function activityLicence(seed: number): Promise<{ number: string; validUntil: Date }> {
  const { activityLicence: number } = await throughToActivityLicence(h, { tokens, applicant: seed });
  return { number, validUntil: (await licenceRow(number)).validUntil };
}

/** Passes the licence to a successor: the holder absent for 4 months, the province approves. */
async function passToSuccessor(number: string) {
  const absentSince = new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10);
  const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/changes/successor-nomination`, {
    token: tokens.ahvaz, body: { cause: 'absence', absentSince, successor: await successor() },
  });
  expect(res.status, res.text).toBe(202);
  await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, res.body.applicationId, 'province-decision')).id, 'approve');
  expect(await processEnded(h, res.body.applicationId)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED' });
}

beforeAll(async () => {
  h = await startHarness({ outboxDelivery: false });
  tokens = await officeTokens(h);
  const [a, b, c] = await Promise.all([6101, 6102, 6103].map(activityLicence));
  Object.assign(centre, { a, b, c });
  await passToSuccessor(centre.c.number);
}, 120_000);
afterAll(async () => h?.close());

describe('renewal and its window', () => {
  it('refuses a renewal requested more than 3 months before expiry at once: 422 RENEWAL_TOO_EARLY, nothing started or written §welfare.activity-licence.renewal', async () => {
    const { number } = centre.a;
    for (const path of [`/v1/licences/${number}/renewals`, `/v1/licences/${number}/changes/renewal`]) {
      const res = await api<{ type: string }>(h, 'POST', path, { token: tokens.ahvaz, body: { requestedBy: 'county-office' } });
      expect(res.status, res.text).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://parvaneh.example/problems/change-refused', status: 422, reason: 'RENEWAL_TOO_EARLY',
        title: 'a renewal may be requested from 3 months before expiry', title_fa: expect.stringContaining('سه ماه'),
      });
    }
    expect(await renewalsOf(number)).toEqual([]);
    expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, number), eq(auditLog.action, 'licence.renewal-started')))).toEqual([]);
  });

  it('judges the window again as the process starts: a renewal let through by a gateway whose clock is wrong ends RENEWAL_TOO_EARLY', async () => {
    const { number, validUntil } = centre.a;
    const wrongClock = Date.parse(jalaliMonthsLater(validUntil, -1));
    const started = await startLicenceChange({ ctx: { deps: { ...h.deps, now: () => wrongClock }, actor: ahvazOffice }, licenceNumber: number, change: 'renewal', input: {} });
    expect(await processEnded(h, started.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'RENEWAL_TOO_EARLY' });
    expect(await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, started.applicationId))).toEqual([]);
    expect((await licenceRow(number)).validUntil).toEqual(validUntil);
  });

  it('renews a licence in its window under the same number and extends its validity by 60 Jalali months from the old expiry §welfare.activity-licence.renewal', async () => {
    const opens = Math.max(...Object.values(centre).map((c) => Date.parse(jalaliMonthsLater(c.validUntil, -3))));
    await skipTo(h, opens + 3_600_000);
    const { number, validUntil } = centre.a;
    const started = await startLicenceChange({ ctx: { deps: h.deps, actor: ahvazOffice }, licenceNumber: number, change: 'renewal', input: { requestedBy: 'county-office' } });
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, started.applicationId, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, started.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const after = await licenceRow(number);
    expect(after).toMatchObject({ number, status: 'active' });
    expect(after.validUntil.toISOString()).toBe(jalaliMonthsLater(validUntil, 60));
    expect(await told(number, 'licence-renewed')).toHaveLength(1);
  });

  it('renews through the national portal end to end: the same number, a longer validity, the portal told §welfare.activity-licence.renewal', async () => {
    const { number, validUntil } = centre.b;
    const requested = await api<{ applicationId: string; change: string }>(h, 'POST', `/v1/licences/${number}/renewals`, { token: tokens.portal, body: { requestedBy: 'holder' } });
    expect(requested.status, requested.text).toBe(202);
    expect(requested.body.change).toBe('renewal');
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, requested.body.applicationId, 'site-visit', 60_000)).id, 'compliant');
    expect(await processEnded(h, requested.body.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const seen = await api<{ number: string; status: string; validUntil: string }>(h, 'GET', `/v1/licences/${number}`, { token: tokens.portal });
    expect(seen.body).toMatchObject({ number, status: 'active', validUntil: jalaliMonthsLater(validUntil, 60) });
    expect((await api(h, 'GET', await verificationPath(h, number))).body).toMatchObject({ number, status: 'active', valid: true });
    expect(await told(number, 'licence-renewed')).toHaveLength(1);
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, requested.body.applicationId));
    expect((row!.facts as { change: { requestedBy: string } }).change.requestedBy).toBe('holder');
  });

  it('vets the successor, not the holder who left, when a licence passed on is renewed', async () => {
    const { number } = centre.c;
    const { nationalCode } = await successor();
    const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/changes/renewal`, { token: tokens.ahvaz, body: {} });
    expect(res.status, res.text).toBe(202);
    const vetted = await eventually(async () => {
      const rows = await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, res.body.applicationId));
      return rows.length >= 3 ? rows : undefined;
    }, 'the renewal\'s inquiries');
    expect([...new Set(vetted.map((r) => r.subjectNationalCode))]).toEqual([nationalCode]);
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, res.body.applicationId));
    expect((row!.facts as { applicant: { nationalCode: string } }).applicant.nationalCode).toBe(nationalCode);
  });
});
