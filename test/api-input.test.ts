/**
 * What the gateway accepts, over real HTTP: malformed JSON, wrong types, unknown fields, missing
 * fields and oversized bodies are refused as problem+json naming the field; identifiers typed
 * with Persian digits are normalised; documents are checked and hashed; lists filter; people
 * read dates in both calendars.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJalali } from '../dsl/calendar.js';
import { api, applicationFor, taskInInbox, type ApiResponse } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let portal: string;
let ahvaz: string;
let applicationId: string;
let trackingCode: string;

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const toPersian = (text: string) => text.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)]!);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

beforeAll(async () => {
  h = await startHarness();
  portal = await h.issuer.mint({ role: 'portal' });
  ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
  const res = await api<{ applicationId: string; trackingCode: string }>(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0012345679') });
  expect(res.status, res.text).toBe(202);
  ({ applicationId, trackingCode } = res.body);
});
afterAll(async () => h?.close());

function expectProblem(res: ApiResponse, status: number, type: string, field: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: `https://parvaneh.example/problems/${type}`, status, field, requestId: res.headers.get('x-request-id') });
  const { title, title_fa: titleFa } = res.body as { title: string; title_fa: string };
  expect(title).toMatch(/^[a-zA-Z]/);
  expect(titleFa).toMatch(/[\u0600-\u06FF]/);
}

const submit = (body: unknown, headers?: Record<string, string>) => api(h, 'POST', '/v1/applications', { token: portal, body, headers });

describe('request validation', () => {
  it('refuses malformed JSON, and a body that is not JSON', async () => {
    expectProblem(await submit('{"licenceType": "welfare-services-centre",'), 400, 'malformed-json', '(body)');
    expectProblem(await submit('licenceType=x', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'unsupported-media-type', '(body)');
  });

  it('refuses a wrong type, an unknown field and a missing field by name', async () => {
    const good = await applicationFor(h, '0012345679');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, birthDate: 19851211 } }), 400, 'wrong-type', 'applicant.birthDate');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, age: 40 } }), 400, 'unknown-field', 'applicant.age');
    expectProblem(await submit({ ...good, priority: 'high' }), 400, 'unknown-field', 'priority');
    const { county: _county, ...withoutCounty } = good;
    expectProblem(await submit(withoutCounty), 400, 'missing-field', 'county');
    expectProblem(await submit({ ...good, county: 'atlantis' }), 400, 'invalid-field', 'county');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, sex: 'other' } }), 400, 'invalid-field', 'applicant.sex');
  });

  it('refuses a national code with a wrong check digit by name', async () => {
    const good = await applicationFor(h, '0012345679');
    const res = await submit({ ...good, applicant: { ...good.applicant, nationalCode: '0012345678' } });
    expectProblem(res, 400, 'national-code', 'applicant.nationalCode');
    expect(res.body).toMatchObject({ title: 'invalid national code', title_fa: 'کد ملی نامعتبر است' });
    expect((res.body as { detail: string }).detail).toContain('check digit');
  });

  it('normalises a national code typed with Persian digits', async () => {
    const good = await applicationFor(h, '0013579134');
    const res = await submit({ ...good, applicant: { ...good.applicant, nationalCode: toPersian('0013579134'), firstName: 'علي' } });
    expect(res.status, res.text).toBe(202);
    const view = await api<{ application: { applicantNationalCode: string; facts: { applicant: { nationalCode: string; firstName: string } } } }>(h, 'GET', `/v1/applications/${(res.body as { applicationId: string }).applicationId}`, { token: portal });
    expect(view.body.application.applicantNationalCode).toBe('0013579134');
    expect(view.body.application.facts.applicant).toMatchObject({ nationalCode: '0013579134', firstName: 'علی' });
  });

  it('refuses a body larger than the limit before reading it', async () => {
    const good = await applicationFor(h, '0012345679');
    const huge = { ...good, applicant: { ...good.applicant, firstName: 'x'.repeat(1024 * 1024 + 10) } };
    expectProblem(await submit(huge), 400, 'body-too-large', '(body)');
  });

  it('validates path and query parameters by name', async () => {
    expectProblem(await api(h, 'GET', '/v1/applications/not-a-uuid', { token: portal }), 400, 'invalid-field', 'applicationId');
    expectProblem(await api(h, 'GET', '/v1/applications?status=pending', { token: portal }), 400, 'invalid-field', 'status');
    expectProblem(await api(h, 'GET', '/v1/applications?licencetype=x', { token: portal }), 400, 'unknown-field', 'licencetype');
    expectProblem(await api(h, 'GET', '/v1/licences?limit=1000', { token: portal }), 400, 'invalid-field', 'limit');
    expectProblem(await api(h, 'GET', '/v1/tasks?page=2', { token: portal }), 400, 'unknown-field', 'page');
  });

  it('refuses a decision with an unknown field, and one without its required reason', async () => {
    const task = await taskInInbox(h, ahvaz, applicationId, 'initial-interview');
    expectProblem(await api(h, 'POST', `/v1/tasks/${task.id}/decision`, { token: ahvaz, body: { outcome: 'accept', comment: 'ok' } }), 400, 'unknown-field', 'comment');
    expectProblem(await api(h, 'POST', `/v1/tasks/${task.id}/decision`, { token: ahvaz, body: { outcome: 42 } }), 400, 'wrong-type', 'outcome');
    expectProblem(await api(h, 'POST', `/v1/tasks/${task.id}/decision`, { token: ahvaz, body: { outcome: 'reject' } }), 400, 'reason-required', 'reason');
  });

  it('refuses control characters in names and reasons by field, before anything reaches the database', async () => {
    const good = await applicationFor(h, '0012345679');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, firstName: 'علی\u0000' } }), 400, 'invalid-field', 'applicant.firstName');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, lastName: 'رضایی\u001b[2J' } }), 400, 'invalid-field', 'applicant.lastName');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, lastName: 'رضایی\u009b' } }), 400, 'invalid-field', 'applicant.lastName');
    expectProblem(await submit({ ...good, applicant: { ...good.applicant, firstName: 'علی\nرضا' } }), 400, 'invalid-field', 'applicant.firstName');
    const named = await submit({ ...good, applicant: { ...good.applicant, firstName: 'علی\u0000' } });
    expect((named.body as { detail: string }).detail).toMatch(/control character/);
    const task = await taskInInbox(h, ahvaz, applicationId, 'initial-interview');
    expectProblem(await api(h, 'POST', `/v1/tasks/${task.id}/decision`, { token: ahvaz, body: { outcome: 'reject', reason: 'no\u0000need' } }), 400, 'invalid-field', 'reason');
    expectProblem(await api(h, 'POST', `/v1/applications/${applicationId}/withdrawal`, { token: portal, body: { reason: 'moved\u007f' } }), 400, 'invalid-field', 'reason');
    expectProblem(await api(h, 'GET', `/v1/tracking/${encodeURIComponent('PRV-\u0000ABC')}`), 400, 'invalid-field', 'code');
  });

  it('checks a registry callback\'s signature before reading its body', async () => {
    const res = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body: '{not json', headers: { 'x-registry-signature': 'e30..c2ln' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: 'https://parvaneh.example/problems/bad-signature' });
  });
});

describe('documents', () => {
  const upload = (body: unknown) => api<Record<string, unknown>>(h, 'POST', `/v1/applications/${applicationId}/documents`, { token: portal, body });
  const pdf = { type: 'degree', fileName: 'degree.pdf', mediaType: 'application/pdf', contentBase64: PDF.toString('base64') };

  it('stores a document with its sha256 and lists its metadata, never its content', async () => {
    const res = await upload(pdf);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ type: 'degree', size: PDF.byteLength, sha256: createHash('sha256').update(PDF).digest('hex'), uploadedBy: 'portal' });
    const view = await api<{ documents: { id: string }[] }>(h, 'GET', `/v1/applications/${applicationId}`, { token: ahvaz });
    expect(view.body.documents).toEqual([expect.objectContaining({ id: res.body.id, fileName: 'degree.pdf', mediaType: 'application/pdf' })]);
    expect(view.text).not.toContain(pdf.contentBase64);
  });

  it('refuses content that is not of its media type, bad base64, an unknown type and more than 5 MB', async () => {
    expectProblem(await upload({ ...pdf, mediaType: 'image/png' }), 400, 'content-not-media-type', 'contentBase64');
    expectProblem(await upload({ ...pdf, contentBase64: 'not base64!' }), 400, 'invalid-field', 'contentBase64');
    expectProblem(await upload({ ...pdf, type: 'passport' }), 400, 'invalid-field', 'type');
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    expectProblem(await upload({ ...pdf, contentBase64: big.toString('base64') }), 400, 'document-too-large', 'contentBase64');
    const huge = Buffer.alloc(7 * 1024 * 1024);
    expectProblem(await upload({ ...pdf, contentBase64: huge.toString('base64') }), 400, 'body-too-large', '(body)');
  });
});

describe('reading', () => {
  it('lists applications filtered by licence type and status', async () => {
    // A manager licence is asked for by a centre's holder, not applied for directly (seed 002, Art. 1): refused, nothing written.
    const manager = await api(h, 'POST', '/v1/applications', { token: portal, body: await applicationFor(h, '0091234565', 'centre-manager') });
    expectProblem(manager, 422, 'application-refused', 'licenceType');
    const list = async (query: string) => ((await api<{ items: { id: string; licenceType: string; status: string }[] }>(h, 'GET', `/v1/applications${query}`, { token: portal })).body.items);
    expect(await list('?licenceType=centre-manager')).toEqual([]);
    const centres = await list('?licenceType=welfare-services-centre&status=running');
    expect(centres.map((a) => a.id)).toContain(applicationId);
    expect(centres.every((a) => a.licenceType === 'welfare-services-centre' && a.status === 'running')).toBe(true);
    expect(await list('?status=approved')).toEqual([]);
    expect((await list('?limit=1')).length).toBe(1);
  });

  it('gives each task its allowed outcomes and its due date in both calendars', async () => {
    await taskInInbox(h, ahvaz, applicationId, 'initial-interview');
    const inbox = await api<{ items: { applicationId: string; stepId: string; dueAt: string; dueAtJalali: string; allowedOutcomes: unknown[] }[] }>(h, 'GET', '/v1/tasks', { token: ahvaz });
    const task = inbox.body.items.find((t) => t.applicationId === applicationId && t.stepId === 'initial-interview')!;
    expect(task.allowedOutcomes).toEqual([
      { name: 'accept', title: expect.objectContaining({ fa: expect.any(String), en: expect.any(String) }), requiresReason: false },
      { name: 'reject', title: expect.objectContaining({ fa: expect.any(String), en: expect.any(String) }), requiresReason: true },
    ]);
    expect(task.dueAtJalali).toBe(formatJalali(Date.parse(task.dueAt), h.deps.calendar, true));
    expect(task.dueAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d$/);
  });

  it('tracks an application by a code typed in lower case with Persian digits, in both calendars §sla.tracking-code', async () => {
    const res = await api(h, 'GET', `/v1/tracking/${encodeURIComponent(toPersian(trackingCode.toLowerCase()))}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ trackingCode, status: 'running', licenceType: 'welfare-services-centre', licenceTypeTitle: { fa: 'مرکز خدمات بهزیستی (مثبت زندگی)' } });
    expect(res.body.submittedAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d$/);
    expect(res.text).not.toContain('0012345679');
  });

  it('serves a diagram of a given version and refuses an unknown one', async () => {
    const diagram = await api(h, 'GET', '/v1/licence-types/welfare-services-centre/diagram?version=1');
    expect(diagram.status).toBe(200);
    expect(diagram.headers.get('content-type')).toContain('text/vnd.mermaid');
    expect((await api(h, 'GET', '/v1/licence-types/welfare-services-centre/diagram?version=99')).status).toBe(404);
  });
});
