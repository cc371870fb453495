import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { control, inquire, json, sendInquiry } from './sandbox-client.js';
import { startSandbox, type RunningSandbox } from './server.js';

let sandbox: RunningSandbox;
let url: string;
let seq = 0;
const nextId = () => `inq-${++seq}`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  url = sandbox.url;
});
afterAll(() => sandbox.close());
beforeEach(() => control(url, 'POST', '/control/reset'));

/** The `answer` of a sync inquiry, asserting it was answered with 200. */
async function answerOf(registry: string, nationalCode: string) {
  const res = await inquire(url, registry, nextId(), nationalCode);
  expect(res.status).toBe(200);
  const body = json(res);
  expect(body.status).toBe('answered');
  return body.answer;
}

describe('sync registries answer per fixture', () => {
  it('civil registry returns identity of a living fixture and marks the deceased one', async () => {
    const ali = await answerOf('civil-registry', '0012345679');
    expect(ali).toMatchObject({ nationalCode: '0012345679', sex: 'male', alive: true, citizenship: 'IR' });
    expect(ali.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const persons = json(await control(url, 'GET', '/fixtures/persons'));
    expect(persons.find((p: { nationalCode: string }) => p.nationalCode === '0012345679')).toMatchObject({
      firstName: ali.firstName, lastName: ali.lastName, birthDate: ali.birthDate, county: 'ahvaz',
    });
    expect((await answerOf('civil-registry', '0089123451')).alive).toBe(false);
  });

  it('civil registry answers found:false for an unknown national code', async () => {
    expect(await answerOf('civil-registry', '0012345678')).toEqual({ nationalCode: '0012345678', found: false });
  });

  it('addiction registry reports the positive fixture and a future certificate date', async () => {
    expect((await answerOf('addiction', '0067891233')).status).toBe('positive');
    const clean = await answerOf('addiction', '0012345679');
    expect(clean.status).toBe('negative');
    expect(clean.certificateValidUntil > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it('military service registry distinguishes served, liable and women', async () => {
    expect((await answerOf('military-service', '0012345679')).status).toBe('served');
    expect((await answerOf('military-service', '0078912342')).status).toBe('liable');
    expect((await answerOf('military-service', '0056789122')).status).toBe('not-applicable');
  });

  it('higher education registry lists degrees and the highest one', async () => {
    const ali = await answerOf('higher-education', '0012345679');
    expect(ali.highest).toEqual({ level: 'master', field: 'social-work' });
    expect(ali.degrees.map((d: { level: string }) => d.level)).toEqual(['bachelor', 'master']);
    expect((await answerOf('higher-education', '0091234565')).highest).toEqual({ level: 'bachelor', field: 'psychology' });
    expect((await answerOf('higher-education', '0013579134')).highest).toEqual({ level: 'phd', field: 'rehabilitation' });
  });

  it('sms registry queues a message to a mobile without keeping its text', async () => {
    const res = await sendInquiry(url, 'sms', { inquiryId: 'sms-1', subject: { mobile: '09121234567' }, message: 'کد شما ۱۲۳۴' }, 'sms-1');
    expect(res.status).toBe(200);
    expect(json(res).answer).toMatchObject({ status: 'queued', messageId: expect.any(String) });
    expect((await control(url, 'GET', '/control/inquiries')).text).not.toContain('۱۲۳۴');
  });
});

describe('idempotency', () => {
  it('replays the first response for a repeated inquiryId and counts one inquiry with two attempts', async () => {
    const first = await inquire(url, 'sms', 'rep-1', '0012345679', { extra: { message: 'hello' } });
    const again = await inquire(url, 'sms', 'rep-1', '0012345679', { extra: { message: 'hello' } });
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    const listed = json(await control(url, 'GET', '/control/inquiries?registry=sms'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ inquiryId: 'rep-1', attempts: 2 });
  });

  it('rejects a reused inquiryId with a different body (422)', async () => {
    await inquire(url, 'civil-registry', 'rep-2', '0012345679');
    const res = await inquire(url, 'civil-registry', 'rep-2', '0023456787');
    expect(res.status).toBe(422);
    expect(res.contentType).toBe('application/problem+json');
  });
});

describe('request validation', () => {
  it('answers 400 problem+json when the Idempotency-Key header is missing or differs', async () => {
    for (const key of [null, 'other-key']) {
      const res = await inquire(url, 'civil-registry', 'v-1', '0012345679', { idempotencyKey: key });
      expect(res.status).toBe(400);
      expect(res.contentType).toBe('application/problem+json');
      expect(json(res)).toMatchObject({ type: expect.any(String), title: expect.any(String), status: 400, detail: expect.any(String) });
    }
  });

  it('answers 400 problem+json for a malformed national code or missing subject', async () => {
    const res = await inquire(url, 'civil-registry', 'v-2', '12345');
    expect(res.status).toBe(400);
    expect(json(res).detail).toContain('subject.nationalCode');
    expect((await sendInquiry(url, 'addiction', { inquiryId: 'v-3' }, 'v-3')).status).toBe(400);
  });

  it('answers 404 problem+json for an unknown registry', async () => {
    const res = await inquire(url, 'tax-office', 'v-4', '0012345679');
    expect(res.status).toBe(404);
    expect(res.contentType).toBe('application/problem+json');
  });
});

describe('control api', () => {
  it('reports health and moves the sandbox clock', async () => {
    expect(json(await control(url, 'GET', '/health'))).toEqual({ status: 'ok' });
    const before = json(await control(url, 'GET', '/control/clock'));
    const after = json(await control(url, 'POST', '/control/clock', { advanceMs: 86_400_000 }));
    expect(after.offsetMs).toBe(before.offsetMs + 86_400_000);
    expect(json(await control(url, 'POST', '/control/clock', { offsetMs: 0 })).offsetMs).toBe(0);
    expect((await control(url, 'POST', '/control/clock', { advanceMs: 'soon' })).status).toBe(400);
  });

  it('filters recorded inquiries by registry and national code', async () => {
    await inquire(url, 'civil-registry', nextId(), '0012345679');
    await inquire(url, 'civil-registry', nextId(), '0023456787');
    await inquire(url, 'addiction', nextId(), '0012345679');
    const listed = json(await control(url, 'GET', '/control/inquiries?registry=civil-registry&nationalCode=0012345679'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ registry: 'civil-registry', nationalCode: '0012345679', delivered: true });
  });
});
