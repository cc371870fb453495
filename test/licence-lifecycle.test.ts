/**
 * Changes to issued licences, each a lifecycle process in the DSL: renewal keeps the number and
 * extends validity; closure needs 3 months' notice; suspension follows due process.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, licences, outbox } from '../db/schema/index.js';
import type { Actor } from '../services/context.js';
import { startLicenceChange } from '../services/licence-changes.js';
import { api, applicationFor, decide, eventually, taskInInbox, processEnded } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
const tokens: Record<string, string> = {};
const ahvazOffice: Actor = { subject: 'county-office:ahvaz', role: 'county-office', county: 'ahvaz', province: 'khuzestan' };
const khuzestanOffice: Actor = { subject: 'province-office:khuzestan', role: 'province-office', province: 'khuzestan' };
const arakOffice: Actor = { subject: 'county-office:arak', role: 'county-office', county: 'arak', province: 'markazi' };

beforeAll(async () => {
  h = await startHarness();
  tokens.portal = await h.issuer.mint({ role: 'portal' });
  tokens.ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
  tokens.khuzestan = await h.issuer.mint({ role: 'province-office', province: 'khuzestan' });
});
afterAll(async () => h?.close());

const ended = (applicationId: string) => processEnded(h, applicationId);

/** A real activity licence, through the whole application process. */
async function activityLicence(nationalCode: string): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode) });
  const id = res.body.applicationId;
  await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, id, 'initial-interview')).id, 'accept');
  await decide(h, tokens.khuzestan!, (await taskInInbox(h, tokens.khuzestan!, id, 'province-decision')).id, 'approve');
  await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, id, 'site-visit')).id, 'compliant');
  return (await ended(id)).licences['activity-licence']!.number;
}

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const ctx = (actor: Actor) => ({ deps: h.deps, actor });

describe('licence lifecycle', () => {
  it('renews a licence under the same number and extends its validity from the old expiry', async () => {
    const number = await activityLicence('0012345679');
    const before = await licenceRow(number);
    const started = await startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'renewal', input: { requestedBy: 'county-office' } });
    await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, started.applicationId, 'site-visit')).id, 'compliant');
    expect(await ended(started.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_RENEWED' });
    const after = await licenceRow(number);
    expect(after.number).toBe(before.number);
    expect(after.status).toBe('active');
    const extendedMonths = (after.validUntil.getUTCFullYear() - before.validUntil.getUTCFullYear()) * 12 + after.validUntil.getUTCMonth() - before.validUntil.getUTCMonth();
    expect(extendedMonths).toBeGreaterThanOrEqual(59);
    expect(extendedMonths).toBeLessThanOrEqual(61);
    const told = await h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, 'licence-renewed')));
    expect(told).toHaveLength(1);
  });

  it('refuses a closure notice of 2 months and accepts one of 3 months', async () => {
    const number = await activityLicence('0013579134');
    const inMonths = (m: number) => { const d = new Date(); d.setUTCMonth(d.getUTCMonth() + m); return d.toISOString().slice(0, 10); };
    const short = await startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'closure-notice', input: { kind: 'permanent', effectiveDate: inMonths(2) } });
    expect(await ended(short.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'CLOSURE_NOTICE_TOO_SHORT' });
    expect((await licenceRow(number)).status).toBe('active');

    const enough = await startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'closure-notice', input: { kind: 'permanent', effectiveDate: inMonths(3) } });
    await decide(h, tokens.ahvaz!, (await taskInInbox(h, tokens.ahvaz!, enough.applicationId, 'acknowledge')).id, 'recorded');
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, enough.applicationId));
      return row?.currentStep === 'until-effective' ? true : undefined;
    }, 'the closure to wait for its date');
    expect((await licenceRow(number)).status).toBe('active');
    await h.env.sleep('95 days');
    expect(await ended(enough.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_CLOSED' });
    expect((await licenceRow(number)).status).toBe('closed');
  });

  it('suspends a licence only after the holder\'s response period and the province\'s decision', async () => {
    const number = await activityLicence('0091234565');
    await expect(startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'suspension', input: { grounds: 'x'.repeat(10), legalBasis: 'Art. 26' } }))
      .rejects.toMatchObject({ kind: 'forbidden' });
    await expect(startLicenceChange({ ctx: ctx(arakOffice), licenceNumber: number, change: 'renewal', input: {} }))
      .rejects.toMatchObject({ kind: 'forbidden' });
    await expect(startLicenceChange({ ctx: ctx(khuzestanOffice), licenceNumber: number, change: 'suspension', input: { grounds: 'staff not insured' } }))
      .rejects.toMatchObject({ kind: 'invalid-input', field: 'legalBasis' });
    const started = await startLicenceChange({ ctx: ctx(khuzestanOffice), licenceNumber: number, change: 'suspension', input: { grounds: 'staff not insured for two quarters', legalBasis: 'Art. 8 of the instruction' } });
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, started.applicationId));
      return row?.currentStep === 'response-period' ? true : undefined;
    }, 'the response period');
    expect((await licenceRow(number)).status).toBe('active');
    await h.env.sleep('10 days');
    const decision = await taskInInbox(h, tokens.khuzestan!, started.applicationId, 'decision');
    await decide(h, tokens.khuzestan!, decision.id, 'confirm', 'no evidence of insurance was sent');
    expect(await ended(started.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_SUSPENDED' });
    expect((await licenceRow(number)).status).toBe('suspended');
    const told = await h.db.db.select().from(outbox).where(eq(outbox.subject, number));
    expect(told.map((n) => n.event)).toEqual(expect.arrayContaining(['licence-suspension-started', 'licence-suspended']));
  });

  it('runs one change at a time on a licence, and never renews a revoked one', async () => {
    const number = await activityLicence('0012345679');
    const revocation = await startLicenceChange({ ctx: ctx(khuzestanOffice), licenceNumber: number, change: 'revocation', input: { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' } });
    await expect(startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'renewal', input: {} }))
      .rejects.toMatchObject({ kind: 'conflict', code: 'change-in-progress' });
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, revocation.applicationId));
      return row?.currentStep === 'response-period' ? true : undefined;
    }, 'the response period');
    await h.env.sleep('10 days');
    await decide(h, tokens.khuzestan!, (await taskInInbox(h, tokens.khuzestan!, revocation.applicationId, 'decision')).id, 'confirm', 'violations confirmed');
    expect(await ended(revocation.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_REVOKED' });
    const renewal = await startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'renewal', input: {} });
    expect(await ended(renewal.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'LICENCE_NOT_ACTIVE' });
    expect((await licenceRow(number)).status).toBe('revoked');
  });
});
