/**
 * Supervision at every level seed 004 plans (self-assessment; county, province and national;
 * guild, stakeholder and expert, recorded by the office that received the report), and the
 * standing rules of Art. 8 of seed 002 as the checklist a visit records item by item: a failed
 * item is visible, and a county's goes to the province as a violation report.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, supervisionRecords } from '../db/schema/index.js';
import { STANDING_RULE_ITEMS, standingRulesChecked } from './support/checklist.js';
import { api, decide, eventually, processEnded, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { throughToActivityLicence } from './support/journeys.js';
import { officeTokens, tokenFor, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;
let national: string;
let dezful: string;
/** One activity licence in Ahvaz, Khuzestan. */
let number: string;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
  national = await tokenFor(h, 'national');
  dezful = await tokenFor(h, 'dezful');
  number = (await throughToActivityLicence(h, { tokens, applicant: 8901 })).activityLicence;
}, 180_000);
afterAll(async () => h?.close());

const today = () => new Date().toISOString().slice(0, 10);
const checklist = standingRulesChecked;
const inspection = (extra: Record<string, unknown> = {}) => ({ kind: 'inspection', visitedOn: today(), result: 'compliant', checklist: checklist(), ...extra });

type Recorded = { id: string; level: string; kind: string; recordedBy: string; failedItems: string[]; opened: string | null; source: { name: string } | null; change: { applicationId: string; change: string } | null };
const record = (token: string, body: unknown) => api<Recorded>(h, 'POST', `/v1/licences/${number}/supervision`, { token, body });
const recordsOf = () => h.db.db.select().from(supervisionRecords).where(eq(supervisionRecords.licenceNumber, number));

describe('supervision levels (seed 002 Art. 10, 15; seed 004)', () => {
  it('§supervision.levels: records self-assessment, county, province and national inspections, and guild, stakeholder and expert reports, each at its level', async () => {
    const self = await record(tokens.portal, { kind: 'self-assessment', visitedOn: today(), result: 'compliant', checklist: [{ item: 'welfare.standing.signage', result: 'pass' }] });
    expect(self.status, self.text).toBe(201);
    expect(self.body).toMatchObject({ level: 'self', recordedBy: 'portal' });
    for (const [token, level] of [[tokens.ahvaz, 'county'], [tokens.khuzestan, 'province'], [national, 'national']] as const) {
      const inspected = await record(token, inspection());
      expect(inspected.status, inspected.text).toBe(201);
      expect(inspected.body).toMatchObject({ level, kind: 'inspection', failedItems: [], opened: null, change: null });
    }
    const external = [
      ['guild-review', 'guild', tokens.ahvaz, { name: 'انجمن صنفی مراکز مثبت زندگی استان خوزستان', reference: '1405/ص/118' }],
      ['stakeholder-report', 'stakeholder', tokens.ahvaz, { name: 'شورای اسلامی محله کیان‌پارس' }],
      ['expert-review', 'expert', tokens.khuzestan, { name: 'Dr. Karimi, social work faculty', reference: 'review 7' }],
    ] as const;
    for (const [kind, level, token, source] of external) {
      const reported = await record(token, { kind, visitedOn: today(), result: 'compliant', source, findings: [{ code: 'well-run', description: 'records kept in order' }] });
      expect(reported.status, reported.text).toBe(201);
      expect(reported.body).toMatchObject({ kind, level, source, recordedBy: token === tokens.ahvaz ? 'county-office:ahvaz' : 'province-office:khuzestan' });
    }
    const listed = await api<{ items: { level: string }[] }>(h, 'GET', `/v1/licences/${number}/supervision`, { token: tokens.khuzestan });
    expect(listed.body.items.map((r) => r.level).sort()).toEqual(['county', 'expert', 'guild', 'national', 'province', 'self', 'stakeholder']);
    const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'supervision.recorded'), eq(auditLog.subjectId, number)));
    expect(trail.map((t) => (t.detail as { level: string }).level).sort()).toEqual(['county', 'expert', 'guild', 'national', 'province', 'self', 'stakeholder']);
  });

  it('§supervision.levels: a guild, stakeholder or expert report is recorded by an office in scope on its author\'s behalf, naming who reported', async () => {
    const before = (await recordsOf()).length;
    const guild = { kind: 'guild-review', visitedOn: today(), result: 'compliant', source: { name: 'انجمن صنفی مراکز' } };
    expect((await record(tokens.portal, guild)).status).toBe(403);
    expect((await record(national, guild)).status).toBe(403);
    expect((await record(dezful, guild)).status).toBe(403);
    const unnamed = await record(tokens.ahvaz, { ...guild, source: undefined });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toMatchObject({ field: 'source' });
    const misplaced = await record(tokens.ahvaz, inspection({ source: { name: 'someone else' } }));
    expect(misplaced.status).toBe(400);
    expect(misplaced.body).toMatchObject({ field: 'source' });
    expect(await recordsOf()).toHaveLength(before);
  });
});

describe('the standing rules of Art. 8 as the supervision checklist', () => {
  it('§welfare.standing.insurance: the checklist names each standing rule by its id; the insurance rule cites the standing process that follows it between visits', async () => {
    const res = await api<{ items: { id: string; source: string; followedBy: string | null; title: { fa: string; en: string } }[] }>(h, 'GET', `/v1/licences/${number}/supervision/checklist`, { token: tokens.ahvaz });
    expect(res.status, res.text).toBe(200);
    expect(res.body.items.map((i) => i.id)).toEqual([...STANDING_RULE_ITEMS]);
    expect(res.body.items.find((i) => i.id === 'welfare.standing.insurance')).toMatchObject({ source: 'seed 002, Art. 8(6)', followedBy: 'centre-staff-insurance' });
    expect(res.body.items.find((i) => i.id === 'welfare.standing.working-hours')!.source).toBe('seed 002, Art. 8(3) and Art. 15');
    // The standing process the item cites runs beside this licence.
    const [standing] = await h.db.db.select().from(applications).where(eq(applications.id, `licence-${number}.centre-staff-insurance`));
    expect(standing).toMatchObject({ licenceType: 'centre-staff-insurance', status: 'running' });
  });

  it('§welfare.standing.licence-displayed: an inspection records every item; a missing, unknown, repeated or unexplained one is refused naming it, and nothing is written', async () => {
    const before = (await recordsOf()).length;
    const refusals = [
      [{ checklist: checklist().filter((e) => e.item !== 'welfare.standing.licence-displayed') }, 'checklist', /welfare\.standing\.licence-displayed/],
      [{ checklist: [...checklist(), { item: 'welfare.standing.parking', result: 'pass' }] }, 'checklist.6.item', /not on the checklist/],
      [{ checklist: [...checklist(), { item: 'welfare.standing.signage', result: 'pass' }] }, 'checklist.6.item', /twice/],
      [{ checklist: checklist('welfare.standing.licence-displayed').map((e) => ({ item: e.item, result: e.result })) }, 'checklist.0.note', /required/],
      [{ checklist: checklist('welfare.standing.licence-displayed', 'the licence was in a drawer') }, 'result', /welfare\.standing\.licence-displayed failed/],
    ] as const;
    for (const [change, field, detail] of refusals) {
      const res = await api<{ field: string; detail: string; title: string; title_fa: string }>(h, 'POST', `/v1/licences/${number}/supervision`, { token: tokens.ahvaz, body: inspection(change) });
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.field).toBe(field);
      expect(res.body.detail).toMatch(detail);
      expect(res.body.title_fa).toBeTruthy();
    }
    expect(await recordsOf()).toHaveLength(before);
  });

  // Art. 15: the county reports the centre's violations to the province; the province decides (violation-report).
  const rules = [
    ['welfare.standing.licence-displayed', 'Art. 8(2)', 'the activity licence is kept in a drawer, not on the wall'],
    ['welfare.standing.working-hours', 'Art. 8(3) and Art. 15', 'open 10:00-13:00 only; no approval of the county office for the change'],
    ['welfare.standing.insurance', 'Art. 8(6)', 'two of five staff not on the insured list'],
    ['welfare.standing.hygiene-safety', 'Art. 8(8)', 'the fire extinguisher expired in 1404'],
    ['welfare.standing.staff-training', 'Art. 8(9)', 'the admission clerk has not taken the approved course'],
    ['welfare.standing.signage', 'Art. 8(10)', 'the sign does not follow the organisation\'s model'],
  ] as const;
  // The titles are built per item; the describe names every item for the table of the law (npm run rules).
  describe('§welfare.standing.licence-displayed §welfare.standing.working-hours §welfare.standing.insurance §welfare.standing.hygiene-safety §welfare.standing.staff-training §welfare.standing.signage: each item failed in a county inspection', () => {
    for (const [item, article, note] of rules) {
      it(`§${item}: a county inspection that fails it (${article}) shows the failed item and reports the violation to the province, which decides`, async () => {
        const res = await record(tokens.ahvaz, inspection({ result: 'minor-violation', checklist: checklist(item, note) }));
        expect(res.status, res.text).toBe(201);
        expect(res.body).toMatchObject({ level: 'county', failedItems: [item], opened: 'violation-report', change: { change: 'violation-report' } });
        const report = res.body.change!.applicationId;
        const [started] = await h.db.db.select().from(applications).where(eq(applications.id, report));
        const change = (started!.facts as { change: { grounds: string; legalBasis: string } }).change;
        expect(change.grounds).toContain(`${item}: ${note}`);
        expect(change.legalBasis).toContain(`${item} (seed 002, ${article})`);
        // Visible to the province in the licence's records, and in its inbox.
        const listed = await api<{ items: { id: string; failedItems: string[]; checklist: { item: string; result: string; note?: string }[] }[] }>(h, 'GET', `/v1/licences/${number}/supervision`, { token: tokens.khuzestan });
        const shown = listed.body.items.find((r) => r.id === res.body.id)!;
        expect(shown.failedItems).toEqual([item]);
        expect(shown.checklist.find((e) => e.item === item)).toEqual({ item, result: 'fail', note });
        const [trail] = await h.db.db.select().from(auditLog).where(and(eq(auditLog.action, 'supervision.recorded'), eq(auditLog.subjectId, number))).orderBy(auditLog.id).then((rows) => rows.slice(-1));
        expect(trail!.detail).toMatchObject({ recordId: res.body.id, failedItems: [item], opens: 'violation-report', changeApplicationId: report });
        await decide(h, tokens.khuzestan, (await taskInInbox(h, tokens.khuzestan, report, 'province-review')).id, 'dismiss', 'put right at the follow-up visit');
        expect(await processEnded(h, report)).toMatchObject({ outcome: 'rejected', reason: 'REPORT_DISMISSED' });
      });
    }
  });

  it('§welfare.standing.signage: a failed item in a province\'s inspection or in the holder\'s self-assessment is recorded and visible, and opens nothing by itself', async () => {
    const province = await record(tokens.khuzestan, inspection({ result: 'minor-violation', checklist: checklist('welfare.standing.signage', 'old sign') }));
    expect(province.status, province.text).toBe(201);
    expect(province.body).toMatchObject({ level: 'province', failedItems: ['welfare.standing.signage'], opened: null, change: null });
    const self = await record(tokens.portal, { kind: 'self-assessment', visitedOn: today(), result: 'minor-violation', checklist: [{ item: 'welfare.standing.signage', result: 'fail', note: 'new sign ordered' }] });
    expect(self.body).toMatchObject({ level: 'self', failedItems: ['welfare.standing.signage'], opened: null });
    // The province may still open a suspension on its finding, with due process.
    const suspension = await record(tokens.khuzestan, inspection({ result: 'major-violation', checklist: checklist('welfare.standing.hygiene-safety', 'no fire suppression'), opens: 'suspension' }));
    expect(suspension.status, suspension.text).toBe(201);
    expect(suspension.body).toMatchObject({ opened: 'suspension', change: { change: 'suspension' } });
    await eventually(async () => {
      const [row] = await h.db.db.select().from(applications).where(eq(applications.id, suspension.body.change!.applicationId));
      return row?.currentStep === 'response-period' ? true : undefined;
    }, 'the suspension\'s response period');
  });

  it('§welfare.standing.working-hours: a guild report recorded by the county with a failed rule goes to the province as the county\'s inspection does', async () => {
    const guild = await record(tokens.ahvaz, {
      kind: 'guild-review', visitedOn: today(), result: 'minor-violation', source: { name: 'انجمن صنفی مراکز مثبت زندگی استان خوزستان', reference: '1405/ص/131' },
      checklist: [{ item: 'welfare.standing.working-hours', result: 'fail', note: 'closed on Thursdays without the county\'s approval' }],
    });
    expect(guild.status, guild.text).toBe(201);
    expect(guild.body).toMatchObject({ level: 'guild', failedItems: ['welfare.standing.working-hours'], opened: 'violation-report' });
    const review = await taskInInbox(h, tokens.khuzestan, guild.body.change!.applicationId, 'province-review');
    expect(review).toBeTruthy();
  });
});
