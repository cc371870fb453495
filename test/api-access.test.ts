/**
 * Who may do what, over real HTTP: each role's allowed and forbidden calls, offices kept to their
 * county or province, the public kept to the public operations, and licence verification that
 * shows no personal data.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../db/schema/index.js';
import { api, applicationFor, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';
import { recordIssuedLicence } from './support/records.js';
import { tokensFor } from './support/tokens.js';

let h: Harness;
const tokens: Record<string, string | undefined> = { public: undefined };
const app: Record<'ahvaz' | 'arak', { applicationId: string; licence: string }> = {} as never;
let interviewTaskId: string;

beforeAll(async () => {
  h = await startHarness();
  Object.assign(tokens, await tokensFor(h, ['portal', 'integrator', 'examOrganiser', 'ahvaz', 'dezful', 'arak', 'khuzestan', 'markazi']));
  for (const [county, nationalCode, number] of [['ahvaz', '0012345679', 'WSC-AL-1405-900001'], ['arak', '0091234565', 'WSC-AL-1405-900002']] as const) {
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: tokens.portal, body: await applicationFor(h, nationalCode, 'welfare-services-centre', county) });
    expect(res.status, res.text).toBe(202);
    app[county] = { applicationId: res.body.applicationId, licence: number };
    await recordIssuedLicence(h, res.body.applicationId, number);
  }
  interviewTaskId = (await taskInInbox(h, tokens.ahvaz!, app.ahvaz.applicationId, 'initial-interview')).id;
});
afterAll(async () => h?.close());

type Who = keyof typeof tokens;
const call = (who: Who, method: string, path: string, body?: unknown) => api(h, method, path, { token: tokens[who], body });

/** Expects each caller's status for one call. */
async function matrix(method: string, path: (who: Who) => string, expected: Partial<Record<Who, number>>, body?: unknown) {
  const seen: Record<string, number> = {};
  for (const who of Object.keys(expected) as Who[]) {
    const res = await call(who, method, path(who), body);
    seen[who] = res.status;
    if (res.status >= 400) {
      expect(res.headers.get('content-type'), `${who} ${method}`).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: res.status, requestId: res.headers.get('x-request-id') });
      expect(typeof (res.body as { title_fa: unknown }).title_fa).toBe('string');
    }
  }
  expect(seen).toEqual(expected);
}

describe('role matrix', () => {
  it('reads one licence in scope: a county office of another county gets 403, the public 401', async () => {
    await matrix('GET', () => `/v1/licences/${app.ahvaz.licence}`, {
      portal: 200, integrator: 200, ahvaz: 200, khuzestan: 200, dezful: 403, arak: 403, markazi: 403, public: 401,
    });
    const refused = await call('dezful', 'GET', `/v1/licences/${app.ahvaz.licence}`);
    expect(refused.body).toMatchObject({ type: 'https://parvaneh.example/problems/out-of-scope', title_fa: 'خارج از حوزه دسترسی شما' });
  });

  it('lists licences by scope: the portal and integrators all, an office its own', async () => {
    const numbers = async (who: Who) => (await call(who, 'GET', '/v1/licences')).body as { items: { number: string }[] };
    for (const who of ['portal', 'integrator'] as const) {
      expect((await numbers(who)).items.map((l) => l.number).sort()).toEqual([app.ahvaz.licence, app.arak.licence]);
    }
    expect((await numbers('ahvaz')).items.map((l) => l.number)).toEqual([app.ahvaz.licence]);
    expect((await numbers('markazi')).items.map((l) => l.number)).toEqual([app.arak.licence]);
    expect((await numbers('dezful')).items).toEqual([]);
    expect((await call('public', 'GET', '/v1/licences')).status).toBe(401);
  });

  it('shows a licence to its office with the holder and both calendars', async () => {
    const res = await call('ahvaz', 'GET', `/v1/licences/${app.ahvaz.licence.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      number: app.ahvaz.licence, status: 'active', valid: true, holderNationalCode: '0012345679', holderName: 'علی رضایی', county: 'ahvaz',
      licenceTypeTitle: { en: 'Welfare Services Centre ("Mosbat-e Zendegi")' },
    });
    expect(res.body.validUntilJalali).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    expect(new Date(res.body.validUntil as string).getTime()).toBeGreaterThan(Date.now());
  });

  it('verifies a licence for anyone, with Persian digits in the number, without personal data §sla.confidentiality', async () => {
    const persian = app.ahvaz.licence.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const code = (await call('portal', 'GET', `/v1/licences/${app.ahvaz.licence}`)).body.verificationCode as string;
    const res = await api(h, 'GET', `/v1/licences/${encodeURIComponent(persian)}/verification/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      number: app.ahvaz.licence, valid: true, status: 'active', holderName: 'ع*** ر***',
      licenceType: { id: 'welfare-services-centre' }, county: { id: 'ahvaz', title: { fa: 'اهواز', en: 'Ahvaz' } },
    });
    expect(res.body.validFromJalali).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    expect(res.text).not.toContain('0012345679');
    expect(res.text).not.toContain('رضایی');
    expect((await api(h, 'GET', `/v1/licences/WSC-AL-1405-999999/verification/${code}`)).status).toBe(404);
  });

  it('§sla.confidentiality: public verification needs the code printed with the number: the sequential numbers alone do not list the register; integrators see no one\'s national code', async () => {
    const code = (await call('portal', 'GET', `/v1/licences/${app.ahvaz.licence}`)).body.verificationCode as string;
    expect(code).toMatch(/^[0-9A-F]{12}$/);
    const other = (await call('portal', 'GET', `/v1/licences/${app.arak.licence}`)).body.verificationCode as string;
    expect(other).not.toBe(code);
    // The number alone is no route at all; a wrong code, another licence's code: the same not-found as an unknown number.
    const alone = await api(h, 'GET', `/v1/licences/${app.ahvaz.licence}/verification`);
    expect(alone.status).toBe(404);
    expect(alone.text).not.toContain('رضایی');
    const unknown = await api(h, 'GET', `/v1/licences/WSC-AL-1405-999999/verification/${code}`);
    for (const path of [`/v1/licences/${app.ahvaz.licence}/verification/000000000000`, `/v1/licences/${app.ahvaz.licence}/verification/${other}`]) {
      const res = await api<{ title?: string }>(h, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('رضایی');
      expect(res.body.title).toBe((unknown.body as { title?: string }).title);
    }
    // Those who print the licence read its code; an integrator only what the public verification needs.
    expect((await call('ahvaz', 'GET', `/v1/licences/${app.ahvaz.licence}`)).body.verificationCode).toBe(code);
    const integrator = await call('integrator', 'GET', `/v1/licences/${app.ahvaz.licence}`);
    expect(integrator.status).toBe(200);
    expect(integrator.body).not.toHaveProperty('verificationCode');
    // Nor the people in the register: no national code, the name masked, and no look-up by a national code.
    expect(integrator.body).not.toHaveProperty('holderNationalCode');
    expect(integrator.body.holderName).toBe('ع*** ر***');
    expect(integrator.text).not.toContain('0012345679');
    const listed = await api<{ items: Record<string, unknown>[] }>(h, 'GET', '/v1/licences', { token: tokens.integrator });
    expect(listed.body.items.length).toBeGreaterThan(0);
    for (const item of listed.body.items) {
      expect(item).not.toHaveProperty('verificationCode');
      expect(item).not.toHaveProperty('holderNationalCode');
    }
    const byPerson = await api<{ type: string }>(h, 'GET', '/v1/licences?holderNationalCode=0012345679', { token: tokens.integrator });
    expect(byPerson.status).toBe(403);
  });

  it('lets only the portal and offices list applications, each in its scope', async () => {
    await matrix('GET', () => '/v1/applications', { portal: 200, ahvaz: 200, khuzestan: 200, markazi: 200, integrator: 403, public: 401 });
    const ids = async (who: Who) => ((await call(who, 'GET', '/v1/applications')).body as { items: { id: string }[] }).items.map((a) => a.id);
    expect(await ids('ahvaz')).toEqual([app.ahvaz.applicationId]);
    expect(await ids('markazi')).toEqual([app.arak.applicationId]);
  });

  it('reads one application in scope', async () => {
    await matrix('GET', () => `/v1/applications/${app.ahvaz.applicationId}`, {
      portal: 200, integrator: 403, ahvaz: 200, khuzestan: 200, dezful: 403, markazi: 403, public: 401,
    });
  });

  it('lets the portal and county offices submit, a county office only for its county', async () => {
    const body = await applicationFor(h, '0045678911', 'welfare-services-centre', 'ahvaz');
    await matrix('POST', () => '/v1/applications', { integrator: 403, khuzestan: 403, public: 401, dezful: 403 }, body);
    expect((await call('ahvaz', 'POST', '/v1/applications', body)).status).toBe(202);
  });

  it('keeps decisions with the task\'s own office, inbox reading with offices and the portal', async () => {
    await matrix('POST', () => `/v1/tasks/${interviewTaskId}/decision`, { portal: 403, integrator: 403, public: 401, dezful: 403, khuzestan: 403 }, { outcome: 'accept' });
    await matrix('GET', () => '/v1/tasks', { portal: 200, ahvaz: 200, khuzestan: 200, integrator: 403, public: 401 });
  });

  it('lets only the portal attach documents and withdraw §health.registration.online', async () => {
    const document = { type: 'photo', fileName: 'photo.png', mediaType: 'image/png', contentBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]).toString('base64') };
    await matrix('POST', () => `/v1/applications/${app.arak.applicationId}/documents`, { ahvaz: 403, arak: 403, integrator: 403, public: 401, portal: 201 }, document);
    await matrix('POST', () => `/v1/applications/${app.arak.applicationId}/withdrawal`, { arak: 403, markazi: 403, integrator: 403, public: 401 }, { reason: 'moved' });
  });

  it('keeps licence changes with their offices: renewals and closures county or portal, suspensions and revocations the province', async () => {
    const licence = app.ahvaz.licence;
    const dueProcess = { grounds: 'staff insurance not filed for two quarters', legalBasis: 'Art. 8 of the instruction', responseDays: 10 };
    await matrix('POST', () => `/v1/licences/${licence}/renewals`, { khuzestan: 403, integrator: 403, public: 401, dezful: 403 }, {});
    await matrix('POST', () => `/v1/licences/${licence}/closure-notices`, { khuzestan: 403, integrator: 403, dezful: 403 }, { kind: 'temporary', effectiveDate: '2027-03-21' });
    await matrix('POST', () => `/v1/licences/${licence}/suspensions`, { ahvaz: 403, portal: 403, integrator: 403, markazi: 403, public: 401 }, dueProcess);
    await matrix('POST', () => `/v1/licences/${licence}/revocations`, { ahvaz: 403, portal: 403, markazi: 403 }, dueProcess);
    const started = await call('khuzestan', 'POST', `/v1/licences/${licence}/suspensions`, dueProcess);
    expect(started.status, started.text).toBe(202);
    expect(started.body).toMatchObject({ licenceNumber: licence, change: 'suspension', trackingCode: expect.stringMatching(/^PRV-/) });
  });

  it('takes exam results from the exam organiser alone: the portal no longer may, nor may the exam organiser submit applications', async () => {
    const results = { results: [{ applicationId: '0b6a3c1e-3f55-4c59-9a0e-4f2f7c1d2e11', score: 72.5 }] };
    // The exam organiser passes the role check and meets the missing call (404); everyone else stops at the role.
    await matrix('POST', () => '/v1/calls/no-such-call/exam-results', { examOrganiser: 404, portal: 403, integrator: 403, ahvaz: 403, khuzestan: 403, public: 401 }, results);
    await matrix('POST', () => '/v1/applications', { examOrganiser: 403 }, await applicationFor(h, '0012345679', 'welfare-services-centre', 'ahvaz'));
  });

  it('keeps the public operations public and the rest behind a token', async () => {
    await matrix('GET', () => '/v1/licence-types', { public: 200, integrator: 200 });
    const [row] = await h.db.db.select().from(applications).where(eq(applications.id, app.ahvaz.applicationId));
    await matrix('GET', () => `/v1/tracking/${row!.trackingCode.toLowerCase()}`, { public: 200, portal: 200 });
    for (const path of ['/health', '/.well-known/jwks.json', '/openapi.json', '/docs']) expect((await api(h, 'GET', path)).status, path).toBe(200);
    const badToken = await api(h, 'GET', '/v1/licence-types', { token: 'not-a-jwt' });
    expect(badToken.status).toBe(401);
  });
});
