/**
 * The Welfare Services Centre, version 4: a legal person's centres are counted (seed 002, Art. 8(5):
 * "تعداد مجوز تاسیس مرکز برای اشخاص حقوقی با نظر ستاد مراکز بهزیستی کشور مشخص میگردد"). A legal
 * person names itself by its national identifier, and holds at most the number of centres the
 * headquarters sets (3, the authority's assumption until it does), applications under way counted.
 */
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, licenceHoldings } from '../db/schema/index.js';
import { api, generatedApplication, processEnded, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens, type OfficeTokens } from './support/tokens.js';

let h: Harness;
let tokens: OfficeTokens;

beforeAll(async () => {
  h = await startHarness();
  tokens = await officeTokens(h);
});
afterAll(async () => h?.close());

type Problem = { type: string; title: string; title_fa: string; field?: string };

/** Two legal persons with valid identifiers (شناسه ملی), and the headquarters' number of centres (assumption welfare.legal-person.centres). */
const INSTITUTE = { nationalId: '14100158389', name: 'مؤسسه نیکوکاری امید' };
const OTHER_INSTITUTE = { nationalId: '14100237575', name: 'شرکت تعاونی مهر' };
const LEGAL_PERSON_CENTRES = 3;

/** A legal person's application as the portal submits it: a new (generated) representative per seed. */
async function legalApplication(seed: number, legalPerson?: object) {
  return { ...(await generatedApplication(seed)), holderType: 'legal', ...(legalPerson ? { legalPerson } : {}) };
}

async function submit(body: object): Promise<string> {
  const res = await api<{ applicationId: string; definitionVersion: number }>(h, 'POST', '/v1/applications', { token: tokens.portal, body });
  expect(res.status, res.text).toBe(202);
  expect(res.body.definitionVersion).toBe(4);
  return res.body.applicationId;
}

/** The places of the legal person's holding, by application. */
const placesOf = (nationalId: string) => h.db.db.select({ holding: licenceHoldings.holding, applicationId: licenceHoldings.applicationId })
  .from(licenceHoldings).where(and(eq(licenceHoldings.holderNationalCode, nationalId), like(licenceHoldings.holding, 'welfare-services-centre-legal-person#%')))
  .orderBy(asc(licenceHoldings.holding));

const claimEvents = (applicationId: string) => h.db.db.select({ kind: applicationEvents.kind, detail: applicationEvents.detail }).from(applicationEvents)
  .where(and(eq(applicationEvents.applicationId, applicationId), like(applicationEvents.kind, 'holding-%')));

describe('a legal person\'s centres (seed 002, Art. 8(5))', () => {
  it('§welfare.legal-person.centres: the legal person is named by a valid national identifier, and only with holderType legal (400 naming the field)', async () => {
    const badDigit = await api<Problem>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await legalApplication(24001, { ...INSTITUTE, nationalId: '14100158380' }) });
    expect(badDigit.status, badDigit.text).toBe(400);
    expect(badDigit.body.field).toBe('legalPerson.nationalId');
    expect(badDigit.body.title_fa).toBeTruthy();

    const natural = await api<Problem>(h, 'POST', '/v1/applications', { token: tokens.portal, body: { ...(await generatedApplication(24001)), legalPerson: INSTITUTE } });
    expect(natural.status, natural.text).toBe(400);
    expect(natural.body).toMatchObject({ field: 'legalPerson', title: 'a legal person is named only when holderType is legal' });
    expect(await h.db.db.select().from(applications).where(sql`${applications.facts}::text like ${`%${INSTITUTE.nationalId}%`}`)).toEqual([]);
  });

  it('§welfare.legal-person.centres: a legal person\'s application that does not name the legal person is refused LEGAL_PERSON_NOT_IDENTIFIED', async () => {
    const applicationId = await submit(await legalApplication(24002));
    expect(await processEnded(h, applicationId)).toMatchObject({ outcome: 'rejected', reason: 'LEGAL_PERSON_NOT_IDENTIFIED', stepId: 'one-centre-per-person' });
  });

  it('§welfare.legal-person.centres: a legal person holds at most the headquarters\' number of centres, applications under way counted; a place let go of is free again', async () => {
    const held: string[] = [];
    for (let i = 0; i < LEGAL_PERSON_CENTRES; i++) {
      const applicationId = await submit(await legalApplication(24010 + i, INSTITUTE));
      await taskInInbox(h, tokens.ahvaz, applicationId, 'initial-interview');
      held.push(applicationId);
    }
    expect(await placesOf(INSTITUTE.nationalId)).toEqual(held.map((applicationId, i) => ({ holding: `welfare-services-centre-legal-person#${i + 1}`, applicationId })));
    expect(await claimEvents(held[0]!)).toEqual([{ kind: 'holding-claimed', detail: expect.objectContaining({ holding: 'welfare-services-centre-legal-person#1', of: 'welfare-services-centre-legal-person', limit: 3 }) }]);

    // One more for the same legal person: refused, whoever its representative is.
    const fourth = await submit(await legalApplication(24020, INSTITUTE));
    expect(await processEnded(h, fourth)).toMatchObject({ outcome: 'rejected', reason: 'LEGAL_PERSON_CENTRE_LIMIT', stepId: 'one-centre-per-person' });
    expect((await claimEvents(fourth)).map((e) => e.kind)).toEqual(['holding-refused']);
    // Another legal person is not counted with it.
    const other = await submit(await legalApplication(24021, OTHER_INSTITUTE));
    await taskInInbox(h, tokens.ahvaz, other, 'initial-interview');
    expect((await placesOf(OTHER_INSTITUTE.nationalId)).map((p) => p.holding)).toEqual(['welfare-services-centre-legal-person#1']);

    // The second application is withdrawn: its place is let go of, and the next application takes it.
    const withdrawn = await api(h, 'POST', `/v1/applications/${held[1]}/withdrawal`, { token: tokens.portal, body: { reason: 'the institute chose another site' } });
    expect(withdrawn.status, withdrawn.text).toBe(202);
    expect(await processEnded(h, held[1]!)).toMatchObject({ outcome: 'withdrawn' });
    const next = await submit(await legalApplication(24022, INSTITUTE));
    await taskInInbox(h, tokens.ahvaz, next, 'initial-interview');
    expect(await placesOf(INSTITUTE.nationalId)).toEqual([
      { holding: 'welfare-services-centre-legal-person#1', applicationId: held[0] },
      { holding: 'welfare-services-centre-legal-person#2', applicationId: next },
      { holding: 'welfare-services-centre-legal-person#3', applicationId: held[2] },
    ]);
  });

  it('§welfare.legal-person.centres: two applications racing for the last place: exactly one gets it', async () => {
    const racing = '14100316761';
    for (let i = 0; i < LEGAL_PERSON_CENTRES - 1; i++) {
      await taskInInbox(h, tokens.ahvaz, await submit(await legalApplication(24030 + i, { nationalId: racing, name: 'مؤسسه رقابت' })), 'initial-interview');
    }
    const [a, b] = await Promise.all([24040, 24041].map(async (seed) => submit(await legalApplication(seed, { nationalId: racing, name: 'مؤسسه رقابت' }))));
    const kinds = await Promise.all([a!, b!].map(async (id) => {
      await expect.poll(async () => (await claimEvents(id)).length, { timeout: 30_000 }).toBe(1);
      return (await claimEvents(id))[0]!.kind;
    }));
    expect(kinds.sort()).toEqual(['holding-claimed', 'holding-refused']);
    expect(await placesOf(racing)).toHaveLength(LEGAL_PERSON_CENTRES);
  });
});
