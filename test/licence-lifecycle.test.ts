/**
 * Changes to issued licences, each a lifecycle process in the DSL (renewal, in its window, is in
 * licence-renewal.test.ts): what a change's rules can judge is refused at once, nothing started;
 * closure needs 3 months' notice; suspension and revocation follow due process
 * and revocation ends the manager licence; one centre licence per person; a manager's leave;
 * a successor's nomination that passes the licence on; supervision findings.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, licenceHoldings, licences, outbox, tasks } from '../db/schema/index.js';
import type { Actor } from '../services/context.js';
import { startLicenceChange } from '../services/licence-changes.js';
import { addDays, addMonths, tehranDay } from '../platform/dates/time-functions.js';
import { standingRulesChecked } from './support/checklist.js';
import { api, applicationFor, decide, eventually, generatedApplication, sandboxInquiries, taskInInbox, processEnded } from './support/api.js';
import { advance } from './support/clock.js';
import { startHarness, type Harness } from './support/harness.js';
import { passManagerInterviewAndCertificate, throughToActivityLicence, type Applicant } from './support/journeys.js';
import { officeTokens, tokenFor, type OfficeTokens } from './support/tokens.js';

const DAY_MS = 86_400_000;

let h: Harness;
let tokens: OfficeTokens;
const ahvazOffice: Actor = { subject: 'county-office:ahvaz', role: 'county-office', county: 'ahvaz', province: 'khuzestan' };
const khuzestanOffice: Actor = { subject: 'province-office:khuzestan', role: 'province-office', province: 'khuzestan' };
const arakOffice: Actor = { subject: 'county-office:arak', role: 'county-office', county: 'arak', province: 'markazi' };

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

const ended = (applicationId: string) => processEnded(h, applicationId);

/** A real activity licence, through the whole application process, for a fixture or a generated person. */
const activityLicence = async (applicant: Applicant) => (await throughToActivityLicence(h, { tokens, applicant })).activityLicence;

const licenceRow = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!;
const ctx = (actor: Actor) => ({ deps: h.deps, actor });
const stepReached = (applicationId: string, step: string) => eventually(async () => {
  const [row] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId));
  return row?.currentStep === step ? true : undefined;
}, `${applicationId} at ${step}`);
const told = async (number: string, event: string) => h.db.db.select().from(outbox).where(and(eq(outbox.subject, number), eq(outbox.event, event)));
/** The changes started on a licence (its lifecycle processes' applications). */
const changesOf = (number: string) => h.db.db.select().from(applications).where(sql`${applications.facts}->'licence'->>'number' = ${number} and ${applications.facts}->'change' is not null`);
const isoDay = (monthsAgo: number) => { const d = new Date(); d.setUTCMonth(d.getUTCMonth() - monthsAgo); return d.toISOString().slice(0, 10); };

/** Starts a change through the gateway, as the portal or an office does. */
async function change(token: string, number: string, name: string, body: unknown): Promise<string> {
  const res = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/changes/${name}`, { token, body });
  expect(res.status, res.text).toBe(202);
  return res.body.applicationId;
}

/** Starts a change the change's rules refuse at once: 422 with the reason, nothing started. */
async function refusedChange(token: string, number: string, name: string, body: unknown, reason: string, field?: string) {
  const before = (await changesOf(number)).length;
  const res = await api(h, 'POST', `/v1/licences/${number}/changes/${name}`, { token, body });
  expect(res.status, res.text).toBe(422);
  expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/change-refused', reason, ...(field ? { field } : {}) });
  expect(await changesOf(number)).toHaveLength(before);
}

/**
 * The manager licences a person holds standing on a centre's licence. Every centre has had one
 * since its activity licence (version 3 waits for it): the manager its application named.
 */
const managerLicencesOf = (number: string, nationalCode: string) => h.db.db.select().from(licences)
  .where(and(eq(licences.dependsOn, number), eq(licences.holderNationalCode, nationalCode)));

/** The centre manager licence process of a named person: interview and certificate. */
const managerLicensed = (childId: string) => passManagerInterviewAndCertificate(h, tokens, childId);

/** Appoints `manager` to the centre through the portal's change and licenses them: their manager licence, active on the centre's. */
async function appointed(number: string, manager: { nationalCode: string }) {
  const appointment = await change(tokens.portal, number, 'manager-appointment', { manager, managerEmployedDuringCentreShift: false });
  await managerLicensed(`${appointment}.manager-licence.1`);
  expect(await ended(appointment)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_APPOINTED' });
  const [licence] = await managerLicencesOf(number, manager.nationalCode);
  expect(licence).toMatchObject({ kind: 'manager-licence', holderNationalCode: manager.nationalCode, status: 'active' });
  return licence!;
}

describe('licence lifecycle', () => {
  it('refuses a closure notice under 3 Jalali months at once (422 naming effectiveDate, nothing started or written) and accepts one on the same Jalali day 3 months ahead (seed 002, Art. 8(11)) §welfare.closure.notice', async () => {
    const number = await activityLicence('0013579134');
    // Art. 8(11): at least 3 months' written notice, counted in Jalali months from the Tehran day the notice is received.
    const threeMonths = addMonths(tehranDay(Date.now()), 3);
    const short = await api<{ type: string; reason: string; field: string; title: string; title_fa: string }>(h, 'POST', `/v1/licences/${number}/closure-notices`, {
      token: tokens.ahvaz, body: { kind: 'permanent', effectiveDate: addDays(threeMonths, -1) },
    });
    expect(short.status, short.text).toBe(422);
    expect(short.headers.get('content-type')).toContain('application/problem+json');
    expect(short.body).toMatchObject({
      type: 'https://parvaneh.example/problems/change-refused', status: 422, reason: 'CLOSURE_NOTICE_TOO_SHORT', field: 'effectiveDate',
      title: "closure needs at least 3 months' written notice", title_fa: 'اعلام تعطیلی باید دست‌کم سه ماه پیش باشد',
    });
    expect(await changesOf(number)).toEqual([]);
    expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, number), eq(auditLog.action, 'licence.closure-notice-started')))).toEqual([]);
    expect((await licenceRow(number)).status).toBe('active');

    // The same Jalali day three months ahead is enough, through the same endpoint.
    const accepted = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/closure-notices`, {
      token: tokens.ahvaz, body: { kind: 'permanent', effectiveDate: threeMonths },
    });
    expect(accepted.status, accepted.text).toBe(202);
    const enough = accepted.body;
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, enough.applicationId, 'acknowledge')).id, 'recorded');
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, enough.applicationId));
      return row?.currentStep === 'until-effective' ? true : undefined;
    }, 'the closure to wait for its date');
    expect((await licenceRow(number)).status).toBe('active');
    await advance(h, 95 * DAY_MS);
    expect(await ended(enough.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_CLOSED' });
    expect((await licenceRow(number)).status).toBe('closed');
  });

  it('suspends a licence only after the holder\'s response period and the province\'s decision §welfare.revocation', async () => {
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
    await advance(h, 10 * DAY_MS);
    const decision = await taskInInbox(h, tokens.khuzestan, started.applicationId, 'decision');
    await decide(h, tokens.khuzestan, decision.id, 'confirm', 'no evidence of insurance was sent');
    expect(await ended(started.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_SUSPENDED' });
    expect((await licenceRow(number)).status).toBe('suspended');
    const told = await h.db.db.select().from(outbox).where(eq(outbox.subject, number));
    expect(told.map((n) => n.event)).toEqual(expect.arrayContaining(['licence-suspension-started', 'licence-suspended']));
  });

  it('runs one change at a time on a licence, and never renews a revoked one', async () => {
    const number = await activityLicence(5101);
    const revocation = await startLicenceChange({ ctx: ctx(khuzestanOffice), licenceNumber: number, change: 'revocation', input: { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' } });
    await expect(startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'renewal', input: {} }))
      .rejects.toMatchObject({ kind: 'conflict', code: 'change-in-progress' });
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, revocation.applicationId));
      return row?.currentStep === 'response-period' ? true : undefined;
    }, 'the response period');
    await advance(h, 10 * DAY_MS);
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, revocation.applicationId, 'decision')).id, 'confirm', 'violations confirmed');
    expect(await ended(revocation.applicationId)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_REVOKED' });
    await expect(startLicenceChange({ ctx: ctx(ahvazOffice), licenceNumber: number, change: 'renewal', input: {} }))
      .rejects.toMatchObject({ kind: 'refused', code: 'change-refused', reason: 'LICENCE_NOT_ACTIVE' });
    expect((await changesOf(number)).map((c) => c.licenceType)).toEqual(['licence-revocation']);
    expect((await licenceRow(number)).status).toBe('revoked');
  });

  it('revokes after due process: the holder is notified, the province decides, and the manager licence ends with the centre\'s §welfare.revocation', async () => {
    const number = await activityLicence(5201);
    // The manager the application named first stands on the licence too, closed now: a centre has one manager.
    const managerLicence = await appointed(number, (await generatedApplication(5202)).applicant);

    const revocation = await api<{ applicationId: string }>(h, 'POST', `/v1/licences/${number}/revocations`, {
      token: tokens.khuzestan, body: { grounds: 'repeated violations found on inspection', legalBasis: 'Art. 26 regulation' },
    });
    expect(revocation.status, revocation.text).toBe(202);
    const id = revocation.body.applicationId;
    await stepReached(id, 'response-period');
    const notices = await h.db.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, id), eq(applicationEvents.kind, 'sms-sent')));
    expect(notices.map((e) => e.stepId)).toEqual(['notice']);
    expect(await told(number, 'licence-revocation-started')).toHaveLength(1);
    expect((await licenceRow(number)).status).toBe('active');
    await advance(h, 10 * DAY_MS);
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, id, 'decision')).id, 'confirm', 'violations confirmed after the holder\'s answer');
    expect(await ended(id)).toMatchObject({ outcome: 'approved', reason: 'LICENCE_REVOKED' });
    expect((await licenceRow(number)).status).toBe('revoked');
    expect((await licenceRow(managerLicence.number)).status).toBe('revoked');
    for (const n of [number, managerLicence.number]) expect(await told(n, 'licence-revoked')).toHaveLength(1);
    const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.revoked'), inArray(auditLog.subjectId, [number, managerLicence.number])));
    expect(trail).toHaveLength(2);
  });

  it('gives one licence to two simultaneous applications by one person, refusing the other with its reason §welfare.one-centre-per-person', async () => {
    const body = await generatedApplication(5301);
    const submitted = await Promise.all([1, 2].map(() => api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body })));
    expect(submitted.map((r) => r.status)).toEqual([202, 202]);
    const ids = submitted.map((r) => r.body.applicationId);
    const refused = await eventually(async () => (await h.db.db.select().from(applications).where(and(inArray(applications.id, ids), eq(applications.status, 'rejected'))))[0], 'one application refused');
    expect(refused.outcomeReason).toBe('ONE_CENTRE_LICENCE_PER_PERSON');
    const winner = ids.find((id) => id !== refused.id)!;
    const number = (await throughToActivityLicence(h, { tokens, applicationId: winner })).activityLicence;
    const held = await h.db.db.select().from(licences).where(eq(licences.holderNationalCode, body.applicant.nationalCode));
    expect(held.map((l) => l.kind).sort()).toEqual(['activity-licence', 'principle-agreement']);
    expect(new Set(held.map((l) => l.applicationId))).toEqual(new Set([winner]));
    expect(number).toMatch(/^WSC-AL-/);
    const later = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
    expect(await ended(later.body.applicationId)).toMatchObject({ outcome: 'rejected', reason: 'ONE_CENTRE_LICENCE_PER_PERSON' });
  });

  it('starts a manager replacement for a leave of 6 months while the centre keeps operating; a shorter leave records a substitute §manager.leave.replacement §manager.leave.substitute', async () => {
    const number = await activityLicence(5401);
    const short = await change(tokens.portal, number, 'manager-leave', { startDate: isoDay(0), months: 2, substitute: (await generatedApplication(5402)).applicant });
    await decide(h, tokens.ahvaz, (await taskInInbox(h, tokens.ahvaz, short, 'record-substitute')).id, 'recorded');
    expect(await ended(short)).toMatchObject({ outcome: 'approved', reason: 'SUBSTITUTE_RECORDED' });
    await refusedChange(tokens.ahvaz, number, 'manager-leave', { startDate: isoDay(0), months: 6 }, 'NEW_MANAGER_NOT_NAMED', 'newManager');
    await refusedChange(tokens.ahvaz, number, 'manager-leave', { startDate: isoDay(0), months: 2 }, 'SUBSTITUTE_NOT_NAMED', 'substitute');

    const oldManager = await appointed(number, (await generatedApplication(5407)).applicant);

    const newManager = (await generatedApplication(5403)).applicant;
    // Art. 5(b): the nomination declares whether the new manager works elsewhere during the centre's shift.
    await refusedChange(tokens.ahvaz, number, 'manager-leave', { startDate: isoDay(0), months: 6, newManager }, 'EMPLOYMENT_NOT_DECLARED', 'newManagerEmployedDuringCentreShift');
    const long = await change(tokens.portal, number, 'manager-leave', { startDate: isoDay(0), months: 6, newManager, newManagerEmployedDuringCentreShift: false });
    const childId = `${long}.replacement.1`;
    const child = await eventually(async () => (await h.db.db.select().from(applications).where(eq(applications.id, childId)))[0], 'the new manager\'s process');
    expect(child).toMatchObject({ licenceType: 'centre-manager', applicantNationalCode: newManager.nationalCode, status: 'running' });
    expect((await licenceRow(number)).status).toBe('active');
    // The centre goes on: another change to its licence is taken meanwhile.
    await refusedChange(tokens.ahvaz, number, 'closure-notice', { kind: 'temporary', effectiveDate: isoDay(-1) }, 'CLOSURE_NOTICE_TOO_SHORT', 'effectiveDate');
    await managerLicensed(childId);
    expect(await ended(long)).toMatchObject({ outcome: 'approved', reason: 'MANAGER_REPLACED' });
    // The new manager's licence ends the old manager's: closed, the portal told why.
    const managers = await h.db.db.select().from(licences).where(eq(licences.dependsOn, number));
    expect(managers.filter((m) => m.status === 'active').map((m) => m.holderNationalCode)).toEqual([newManager.nationalCode]);
    const newLicence = managers.find((m) => m.holderNationalCode === newManager.nationalCode)!;
    expect((await licenceRow(oldManager.number)).status).toBe('closed');
    const closedNotice = await told(oldManager.number, 'licence-closed');
    expect(closedNotice).toHaveLength(1);
    expect(closedNotice[0]!.payload).toMatchObject({ licenceNumber: oldManager.number, status: 'closed', because: newLicence.number });
    expect(await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.closed'), eq(auditLog.subjectId, oldManager.number)))).toHaveLength(1);
    expect((await licenceRow(number)).status).toBe('active');
  });

  it('takes a successor\'s nomination only for an absence over 3 months, and the province decides §welfare.successor.causes', async () => {
    const number = await activityLicence(5701);
    const successor = (await generatedApplication(5702)).applicant;
    await refusedChange(tokens.portal, number, 'successor-nomination', { cause: 'absence', absentSince: isoDay(2), successor }, 'ABSENCE_UNDER_3_MONTHS', 'absentSince');
    const nominated = await change(tokens.ahvaz, number, 'successor-nomination', { cause: 'absence', absentSince: isoDay(4), successor });
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'approve');
    expect(await ended(nominated)).toMatchObject({ outcome: 'approved', reason: 'SUCCESSOR_APPROVED' });
    expect(await told(number, 'licence-successor-approved')).toHaveLength(1);
    // The licence, and its one-centre-licence holding, pass to the successor.
    const seen = await api<{ number: string; holderNationalCode: string }>(h, 'GET', `/v1/licences/${number}`, { token: tokens.khuzestan });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.body).toMatchObject({ number, holderNationalCode: successor.nationalCode });
    const transferred = await told(number, 'licence-holder-transferred');
    expect(transferred).toHaveLength(1);
    expect(transferred[0]!.payload).toMatchObject({ licenceNumber: number, holderNationalCode: successor.nationalCode, status: 'active' });
    const previousHolder = (await generatedApplication(5701)).applicant.nationalCode;
    const holdings = await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.applicationId, (await licenceRow(number)).applicationId));
    expect(holdings.map((x) => x.holderNationalCode)).toEqual([successor.nationalCode]);
    expect(holdings.map((x) => x.holderNationalCode)).not.toContain(previousHolder);
    const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'licence.holder-transferred'), eq(auditLog.subjectId, number)));
    expect(trail).toHaveLength(1);
    expect(JSON.stringify(trail[0]!.detail)).not.toContain(successor.nationalCode);
  });

  it('refuses a successor whose name differs from the civil registry\'s record, before the province decides §welfare.successor.qualified', async () => {
    const number = await activityLicence(5730);
    const successor = { ...(await generatedApplication(5731)).applicant, lastName: 'نام دیگر' };
    const nominated = await change(tokens.ahvaz, number, 'successor-nomination', { cause: 'absence', absentSince: isoDay(4), successor });
    // Version 3 refuses it with the holder's reason (seed 002, Art. 8(4): vetted as a holder is).
    expect(await ended(nominated)).toMatchObject({ outcome: 'rejected', reason: 'CIVIL_REGISTRY_NAME_MISMATCH', stepId: 'successor-identity' });
    expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, nominated))).toEqual([]);
    expect(await told(number, 'licence-holder-transferred')).toHaveLength(0);
  });

  // Seed 002, Art. 8(4): the family or partners nominate a *qualified* (واجد شرایط) successor, that is one
  // who meets every condition Art. 4 sets for a holder, and the holder's military-service card (Art. 6).
  describe('a successor is vetted for every holder condition (seed 002, Art. 8(4) with Art. 4 and 6) §welfare.successor.qualified', () => {
    let number: string;
    beforeAll(async () => { number = await activityLicence(5740); }, 180_000);
    const nominate = (body: unknown) => change(tokens.ahvaz, number, 'successor-nomination', body);
    const absentFourMonths = () => addMonths(tehranDay(Date.now()), -4);
    const fixtureSuccessor = async (nationalCode: string) => (await applicationFor(h, nationalCode)).applicant;
    // One change at a time on a licence: a nomination a case let through to an office is refused there, so one
    // failing case does not fail the next with 409 change-in-progress.
    afterEach(async () => {
      const ids = (await changesOf(number)).map((c) => c.id);
      if (ids.length === 0) return;
      const open = await h.db.db.select().from(tasks).where(and(inArray(tasks.applicationId, ids), eq(tasks.status, 'open')));
      for (const t of open) await decide(h, tokens.khuzestan, t.id, t.stepId === 'incapacity-decision' ? 'not-established' : 'refuse', 'closing what the case left open');
      for (const id of ids) await ended(id);
    }, 60_000);

    const holderConditions = [
      ['0056789122', 'SECURITY_CLEARANCE_DENIED', 'the security office did not clear (Art. 4(a))'],
      ['0034567895', 'CRIMINAL_RECORD', 'with a criminal record (Art. 4(a))'],
      ['0067891233', 'ADDICTION_TEST_POSITIVE', 'whose addiction test is positive (Art. 4(a))'],
      ['0023456787', 'AGE_BELOW_MINIMUM', 'younger than 25 (Art. 4(a))'],
      ['0035792469', 'NOT_IRANIAN_CITIZEN', 'who is not an Iranian citizen (Art. 4(a))'],
      ['0078912342', 'MILITARY_SERVICE_UNRESOLVED', 'a man who has neither served nor been exempted (Art. 6)'],
    ] as const;
    for (const [nationalCode, reason, who] of holderConditions) {
      it(`refuses a successor ${who} with the holder's reason ${reason}, before the province decides`, async () => {
        const nominated = await nominate({ cause: 'absence', absentSince: absentFourMonths(), successor: await fixtureSuccessor(nationalCode) });
        expect(await ended(nominated)).toMatchObject({ outcome: 'rejected', reason });
        expect(await h.db.db.select().from(tasks).where(eq(tasks.applicationId, nominated))).toEqual([]);
        expect(await told(number, 'licence-holder-transferred')).toHaveLength(0);
      });
    }

    it('refuses a successor of no officially recognised religion at once, RELIGION_NOT_RECOGNISED (Art. 4(a)) §welfare.successor.qualified', async () => {
      const successor = { ...(await generatedApplication(5741)).applicant, religionRecognised: false };
      await refusedChange(tokens.ahvaz, number, 'successor-nomination', { cause: 'absence', absentSince: absentFourMonths(), successor }, 'RELIGION_NOT_RECOGNISED', 'successor');
    });

    it('takes an absence as grounds only when more than 3 Jalali months (Art. 8(4)): exactly 3 is refused, a day more goes on §welfare.successor.causes', async () => {
      const successor = (await generatedApplication(5746)).applicant;
      // The same Jalali day three months back: 3 months, not more than 3.
      const exactlyThree = addMonths(tehranDay(Date.now()), -3);
      expect(addMonths(exactlyThree, 3)).toBe(tehranDay(Date.now()));
      await refusedChange(tokens.portal, number, 'successor-nomination', { cause: 'absence', absentSince: exactlyThree, successor }, 'ABSENCE_UNDER_3_MONTHS', 'absentSince');
      const nominated = await nominate({ cause: 'absence', absentSince: addDays(exactlyThree, -1), successor });
      await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'refuse', 'the family are still settling the estate');
      expect(await ended(nominated)).toMatchObject({ outcome: 'rejected', reason: 'SUCCESSOR_REFUSED' });
    });

    it('takes incapacity as grounds only once the province records its decision (Art. 8(4)): nothing is vetted before it §welfare.successor.causes', async () => {
      const successor = (await generatedApplication(5745)).applicant;
      const unproven = await nominate({ cause: 'incapacity', successor });
      const recording = await taskInInbox(h, tokens.khuzestan, unproven, 'incapacity-decision');
      expect(await sandboxInquiries(h, successor.nationalCode)).toEqual([]);
      await decide(h, tokens.khuzestan, recording.id, 'not-established', 'no court ruling of incapacity was produced');
      expect(await ended(unproven)).toMatchObject({ outcome: 'rejected', reason: 'INCAPACITY_NOT_ESTABLISHED' });
      expect(await sandboxInquiries(h, successor.nationalCode)).toEqual([]);

      const proven = await nominate({ cause: 'incapacity', successor });
      await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, proven, 'incapacity-decision')).id, 'established', 'ruling 1405-0412 of the Ahvaz family court');
      const decision = await taskInInbox(h, tokens.khuzestan, proven, 'province-decision');
      // The province's record of the incapacity: who decided, the outcome and the ruling it rests on.
      const [recorded] = await h.db.db.select().from(tasks).where(and(eq(tasks.applicationId, proven), eq(tasks.stepId, 'incapacity-decision')));
      expect(recorded).toMatchObject({ status: 'decided', role: 'province-office', outcome: 'established', reason: 'ruling 1405-0412 of the Ahvaz family court' });
      expect(recorded!.decidedBy).toBeTruthy();
      await decide(h, tokens.khuzestan, decision.id, 'refuse', 'the successor withdrew');
      expect(await ended(proven)).toMatchObject({ outcome: 'rejected', reason: 'SUCCESSOR_REFUSED' });
    });
  });

  it('refuses to pass a licence to a successor who already holds a centre licence §welfare.one-centre-per-person', async () => {
    const number = await activityLicence(5711);
    await activityLicence(5712);
    const successor = (await generatedApplication(5712)).applicant;
    const before = await licenceRow(number);
    const nominated = await change(tokens.ahvaz, number, 'successor-nomination', { cause: 'absence', absentSince: isoDay(4), successor });
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, nominated, 'province-decision')).id, 'approve');
    expect(await ended(nominated)).toMatchObject({ outcome: 'rejected', reason: 'SUCCESSOR_HOLDS_A_CENTRE_LICENCE' });
    expect((await licenceRow(number)).holderNationalCode).toBe(before.holderNationalCode);
    expect(await told(number, 'licence-holder-transferred')).toHaveLength(0);
    const holdings = await h.db.db.select().from(licenceHoldings).where(eq(licenceHoldings.applicationId, before.applicationId));
    expect(holdings.map((x) => x.holderNationalCode)).toEqual([before.holderNationalCode]);
  });

  it('records self-assessments and inspections; a county finding goes to the province, which may open a suspension §welfare.violations', async () => {
    const number = await activityLicence(5601);
    const self = await api<{ level: string }>(h, 'POST', `/v1/licences/${number}/supervision`, { token: tokens.portal, body: { kind: 'self-assessment', visitedOn: isoDay(0), result: 'compliant' } });
    expect(self.status, self.text).toBe(201);
    expect(self.body.level).toBe('self');
    const finding = {
      kind: 'inspection', visitedOn: isoDay(0), result: 'major-violation', findings: [{ code: 'staff-not-insured', description: 'three staff members are not insured' }],
      checklist: standingRulesChecked('welfare.standing.insurance', 'three staff members are not insured'), legalBasis: 'Art. 8 of the instruction',
    };
    const tooFar = await api(h, 'POST', `/v1/licences/${number}/supervision`, { token: tokens.ahvaz, body: { ...finding, opens: 'suspension' } });
    expect(tooFar.status).toBe(403);
    const inspected = await api<{ level: string; change: { applicationId: string; change: string } }>(h, 'POST', `/v1/licences/${number}/supervision`, { token: tokens.ahvaz, body: { ...finding, opens: 'violation-report' } });
    expect(inspected.status, inspected.text).toBe(201);
    expect(inspected.body).toMatchObject({ level: 'county', change: { change: 'violation-report' } });
    const report = inspected.body.change.applicationId;
    await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, report, 'province-review')).id, 'suspend', 'insurance is a standing rule');
    await stepReached(`${report}.suspension.1`, 'response-period');
    expect(await told(number, 'licence-suspension-started')).toHaveLength(1);
    const listed = await api<{ items: { kind: string }[] }>(h, 'GET', `/v1/licences/${number}/supervision`, { token: tokens.khuzestan });
    expect(listed.body.items.map((r) => r.kind).sort()).toEqual(['inspection', 'self-assessment']);
  });

  it('lets the national office inspect any province and report to the licence\'s province, which decides', async () => {
    const number = await activityLicence(5602);
    const national = await tokenFor(h, 'national');
    const finding = {
      kind: 'inspection', visitedOn: isoDay(0), result: 'major-violation', findings: [{ code: 'unqualified-staff', description: 'two carers without the required certificate' }],
      checklist: standingRulesChecked('welfare.standing.staff-training', 'two carers without the required certificate'), legalBasis: 'Art. 10 of the instruction',
    };
    // It reports; suspending is the province's.
    const tooFar = await api(h, 'POST', `/v1/licences/${number}/supervision`, { token: national, body: { ...finding, opens: 'suspension' } });
    expect(tooFar.status).toBe(403);
    const inspected = await api<{ id: string; level: string; recordedBy: string; change: { applicationId: string } }>(h, 'POST', `/v1/licences/${number}/supervision`, { token: national, body: { ...finding, opens: 'violation-report' } });
    expect(inspected.status, inspected.text).toBe(201);
    expect(inspected.body).toMatchObject({ level: 'national', recordedBy: 'national-office' });
    const report = inspected.body.change.applicationId;
    // The report waits in the licence's province (Khuzestan), and the national office decides none of it.
    const review = await taskInInbox(h, tokens.khuzestan, report, 'province-review');
    expect((await api(h, 'POST', `/v1/tasks/${review.id}/decision`, { token: national, body: { outcome: 'dismiss', reason: 'not ours to decide' } })).status).toBe(403);
    expect((await api(h, 'GET', '/v1/tasks', { token: national })).status).toBe(403);
    await decide(h, tokens.khuzestan, review.id, 'dismiss', 'certificates were shown at the follow-up visit');
    expect(await ended(report)).toMatchObject({ outcome: 'rejected', reason: 'REPORT_DISMISSED' });
    const listed = await api<{ items: { id: string; level: string }[] }>(h, 'GET', `/v1/licences/${number}/supervision`, { token: national });
    expect(listed.body.items.find((r) => r.id === inspected.body.id)).toMatchObject({ level: 'national' });
    expect((await api<{ items: { number: string }[] }>(h, 'GET', '/v1/licences', { token: national })).body.items.map((l) => l.number)).toContain(number);
    // Applications (with their personal data) stay with the offices and the portal.
    expect((await api(h, 'GET', `/v1/applications/${report}`, { token: national })).status).toBe(403);
    const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'supervision.recorded'), eq(auditLog.subjectId, number)));
    expect(trail.map((t) => t.actor)).toEqual(['national-office']);
  });
});
