/**
 * Seed 002, Art. 8(4): an activity licence does not pass from one person to another, from one city
 * to another, or between natural and legal persons; the one exception is the successor of a natural
 * holder who died, is incapacitated or has been absent more than 3 months. Every way a licence's
 * holder or county could change is tried here: the changes its definition offers, the fields of a
 * change's request, and the successor's nomination.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, licenceHoldings, licences, outbox } from '../db/schema/index.js';
import { addMonths, tehranDay } from '../platform/dates/time-functions.js';
import { api, decide, generatedApplication, processEnded, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
/** A natural person's activity licence, and a legal person's. */
let natural: string;
let legal: string;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
  natural = (await throughToActivityLicence(h, { tokens, applicant: 9101 })).activityLicence;
  const body = { ...(await generatedApplication(9102)), holderType: 'legal', legalPerson: { nationalId: '14100079192', name: 'مؤسسه خیریه نمونه' } };
  const submitted = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
  expect(submitted.status, submitted.text).toBe(202);
  legal = (await throughToActivityLicence(h, { tokens, applicationId: submitted.body.applicationId })).activityLicence;
}, 240_000);
afterAll(async () => h?.close());

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const changesOf = (number: string) => h.db.db.select().from(applications).where(sql`${applications.facts}->'licence'->>'number' = ${number} and ${applications.facts}->'change' is not null`);
const absentFourMonths = () => addMonths(tehranDay(Date.now()), -4);

/** The licence as the register has it, and what could have been written about it. */
async function stateOf(number: string) {
  const row = await licenceRow(number);
  return {
    holder: row.holderNationalCode, county: row.county, province: row.province, status: row.status,
    changes: (await changesOf(number)).length,
    told: (await h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, 'licence-holder-transferred')))).length,
    transferred: (await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, number), eq(auditLog.action, 'licence.holder-transferred')))).length,
  };
}

type Problem = { type: string; status: number; field?: string; reason?: string; title: string; title_fa: string };

describe('a licence is not transferable (seed 002, Art. 8(4))', () => {
  it('§welfare.licence.non-transferable: no change the licence offers moves it to another person, county or kind of person, but the successor\'s nomination', async () => {
    const offered = await api<{ items: { change: string; input: Record<string, { type: string }> }[] }>(h, 'GET', `/v1/licences/${natural}/changes`, { token: tokens.ahvaz });
    expect(offered.status, offered.text).toBe(200);
    // A field that could name another holder or place: a person, a county, a holder type.
    const naming = offered.body.items.flatMap((c) => Object.entries(c.input)
      .filter(([name, field]) => field.type === 'person' || /county|city|province|holder/i.test(name))
      .map(([name]) => `${c.change}.${name}`));
    // A manager, a substitute or a new manager is the centre's manager (a licence of their own), not its holder.
    expect(naming.sort()).toEqual([
      'manager-appointment.manager', 'manager-leave.newManager', 'manager-leave.substitute',
      'successor-nomination.manager', 'successor-nomination.substitute', 'successor-nomination.successor',
    ]);
  });

  it('§welfare.licence.non-transferable: a transfer or a move is no change the licence offers (409 change-not-offered), and nothing changes', async () => {
    const before = await stateOf(natural);
    const successor = (await generatedApplication(9103)).applicant;
    for (const [change, body] of [['transfer', { holder: successor }], ['holder-transfer', { successor }], ['relocation', { county: 'dezful' }]] as const) {
      const res = await api<Problem>(h, 'POST', `/v1/licences/${natural}/changes/${change}`, { token: tokens.ahvaz, body });
      expect(res.status, res.text).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-not-offered', title_fa: 'این تغییر برای این پروانه تعریف نشده است' });
    }
    expect(await stateOf(natural)).toEqual(before);
  });

  it('§welfare.licence.non-transferable: a change\'s request that names another county, holder or holder type is refused naming the field (400), and nothing changes', async () => {
    const before = await stateOf(natural);
    const successor = (await generatedApplication(9104)).applicant;
    const attempts = [
      ['closure-notice', { kind: 'temporary', effectiveDate: addMonths(tehranDay(Date.now()), 4), county: 'dezful' }, 'county'],
      ['manager-appointment', { manager: successor, managerEmployedDuringCentreShift: false, holder: successor }, 'holder'],
      ['successor-nomination', { cause: 'absence', absentSince: absentFourMonths(), successor, county: 'dezful' }, 'county'],
      ['successor-nomination', { cause: 'absence', absentSince: absentFourMonths(), successor: { ...successor, holderType: 'legal' } }, 'successor.holderType'],
    ] as const;
    for (const [change, body, field] of attempts) {
      const res = await api<Problem>(h, 'POST', `/v1/licences/${natural}/changes/${change}`, { token: tokens.ahvaz, body });
      expect(res.status, res.text).toBe(400);
      expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/unknown-field', field, title: 'unknown field', title_fa: 'فیلد ناشناخته' });
    }
    expect(await stateOf(natural)).toEqual(before);
  });

  it('§welfare.licence.non-transferable: a legal person\'s licence is refused a successor at once (422 LEGAL_PERSON_LICENCE_NOT_TRANSFERABLE, fa+en), nothing started or changed', async () => {
    expect((await licenceRow(legal)).applicationId).toBeTruthy();
    const before = await stateOf(legal);
    const successor = (await generatedApplication(9105)).applicant;
    for (const cause of ['death', 'incapacity', 'absence'] as const) {
      const res = await api<Problem>(h, 'POST', `/v1/licences/${legal}/changes/successor-nomination`, {
        token: tokens.ahvaz, body: { cause, ...(cause === 'absence' ? { absentSince: absentFourMonths() } : {}), successor },
      });
      expect(res.status, res.text).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        type: 'https://parvaneh.example/problems/change-refused', status: 422, reason: 'LEGAL_PERSON_LICENCE_NOT_TRANSFERABLE',
        title: 'a legal person\'s licence does not pass to a natural person; a successor is nominated only for a natural holder',
        title_fa: 'پروانه شخص حقوقی به شخص حقیقی منتقل نمی‌شود؛ جانشینی فقط برای صاحب امتیاز حقیقی است',
      });
    }
    expect(await stateOf(legal)).toEqual(before);
    // No holding was moved either: the successor may still apply for a centre of their own.
    expect(await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.holderNationalCode, successor.nationalCode))).toEqual([]);
  });

  it('§welfare.licence.non-transferable: the one exception, a natural holder\'s successor, takes the same licence in the same county, still a natural person\'s', async () => {
    const before = await licenceRow(natural);
    const successor = (await generatedApplication(9106)).applicant;
    const nominated = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${natural}/changes/successor-nomination`, {
      token: tokens.ahvaz, body: { cause: 'absence', absentSince: absentFourMonths(), successor },
    });
    expect(nominated.status, nominated.text).toBe(202);
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated.body.applicationId, 'province-decision')).id, 'approve');
    expect(await processEnded(h, nominated.body.applicationId)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED' });
    const after = await licenceRow(natural);
    expect(after).toMatchObject({ number: before.number, holderNationalCode: successor.nationalCode, county: before.county, province: before.province, status: 'active', applicationId: before.applicationId });
    const [origin] = await h.db.db.select().from(applications).where(eq(applications.id, after.applicationId));
    expect((origin!.facts as { application: { holderType: string } }).application.holderType).toBe('natural');
  });
});
