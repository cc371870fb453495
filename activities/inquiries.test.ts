/**
 * The inquiry and SMS activities against the sandbox registries over real HTTP on loopback and a real
 * PostgreSQL, run inside Temporal's mock activity context so each call knows its attempt.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applications, inquiries } from '../db/schema/index.js';
import { quarterEnd } from '../platform/dates/time-functions.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { freshDatabase } from '../test/support/database.js';
import { createInquiryActivities, type InquiryConfig, type InquiryRequest } from './inquiries.js';
import { createSmsActivities } from './sms.js';

let sandbox: RunningSandbox;
let handle: Awaited<ReturnType<typeof freshDatabase>>;
let seq = 0;
const APPLICATION = 'app-registries-1';
const ALI = '0012345679';

beforeAll(async () => {
  [sandbox, handle] = await Promise.all([startSandbox({ port: 0 }), freshDatabase()]);
  await handle.db.insert(applications).values({
    id: APPLICATION, trackingCode: 'T-REG-1', workflowId: 'wf-registries-1', licenceType: 'welfare-services-centre',
    definitionVersion: 1, definitionHash: 'h', applicantNationalCode: ALI, county: 'ahvaz', province: 'khuzestan',
    facts: {}, submittedBy: 'portal',
  });
});
afterAll(async () => { await Promise.all([sandbox?.close(), handle?.close()]); });
beforeEach(() => control(sandbox.url, 'POST', '/control/reset'));

const activities = (config: Partial<InquiryConfig> = {}) => createInquiryActivities({ baseUrl: sandbox.url, db: handle.db, ...config });
const request = (registry: string, extra: Partial<InquiryRequest> = {}): InquiryRequest => ({
  inquiryId: `inq-${++seq}`, applicationId: APPLICATION, stepId: 'step', registry, nationalCode: ALI,
  purpose: { fa: 'احراز صلاحیت متقاضی', en: 'eligibility of the applicant' },
  deadlineAt: new Date(Date.now() + 86_400_000).toISOString(), ...extra,
});
/** Runs `fn` as attempt `attempt` of an activity; the failures these tests provoke are not worth a log line. */
const asAttempt = <T>(attempt: number, fn: () => Promise<T>) => new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('ERROR') }).run<[], T, () => Promise<T>>(fn);
const failure = async (run: Promise<unknown>): Promise<ApplicationFailure> => {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
};
const row = async (id: string) => (await handle.db.select().from(inquiries).where(eq(inquiries.id, id)))[0]!;
const registryLog = async (registry: string) => json<Array<{ inquiryId: string; attempts: number }>>(await control(sandbox.url, 'GET', `/control/inquiries?registry=${registry}`));
const fault = (body: Record<string, unknown>) => control(sandbox.url, 'POST', '/control/faults', body);
const ceiling = (attempt: number) => Math.min(600_000, 5_000 * 2 ** (attempt - 1));

describe('registry activities', () => {
  it('answers a synchronous inquiry and records who asked, why, one attempt and no error', async () => {
    const inquiry = request('civil-registry', { requestedBy: 'welfare-services-centre@v1#identity' });
    const outcome = await asAttempt(1, () => activities().sendInquiry(inquiry));
    expect(outcome).toMatchObject({ status: 'answered', answer: { nationalCode: ALI, lastName: 'رضایی', alive: true } });
    expect(await row(inquiry.inquiryId)).toMatchObject({
      status: 'answered', requestedBy: 'welfare-services-centre@v1#identity', purpose: inquiry.purpose, attempts: 1, lastError: null,
      answer: outcome.status === 'answered' ? outcome.answer : null,
    });
  });

  it('turns a truncated reply into a retryable MalformedReply saying so, and keeps one inquiry across retries', async () => {
    await fault({ registry: 'addiction', malformed: true });
    const inquiry = request('addiction');
    for (const attempt of [1, 2]) {
      const error = await failure(asAttempt(attempt, () => activities().sendInquiry(inquiry)));
      expect(error).toMatchObject({ type: 'MalformedReply', nonRetryable: false });
      expect(error.message).toMatch(/^addiction sent a malformed reply: not JSON, probably cut short \(\d+ bytes: /);
      expect(Number(error.nextRetryDelay)).toBeGreaterThanOrEqual(ceiling(attempt) / 2);
      expect(Number(error.nextRetryDelay)).toBeLessThanOrEqual(ceiling(attempt));
      expect(await row(inquiry.inquiryId)).toMatchObject({ status: 'sent', attempts: attempt, lastError: `MalformedReply: ${error.message}` });
    }
    await control(sandbox.url, 'DELETE', '/control/faults?registry=addiction');
    expect(await asAttempt(3, () => activities().sendInquiry(inquiry))).toMatchObject({ status: 'answered', answer: { status: 'negative' } });
    expect(await row(inquiry.inquiryId)).toMatchObject({ status: 'answered', attempts: 3, lastError: null });
    // The inquiry id went as idempotency key every time: the registry saw one inquiry, asked three times.
    expect(await registryLog('addiction')).toEqual([expect.objectContaining({ inquiryId: inquiry.inquiryId, attempts: 3 })]);
  });

  it('turns an outage into RegistryUnavailable that waits at least as long as Retry-After asks', async () => {
    const { now } = json<{ now: string }>(await control(sandbox.url, 'GET', '/control/clock'));
    await fault({ registry: 'civil-registry', outageUntilMs: Date.parse(now) + 120_000 });
    const inquiry = request('civil-registry');
    const error = await failure(asAttempt(1, () => activities({ random: () => 0 }).sendInquiry(inquiry)));
    expect(error).toMatchObject({ type: 'RegistryUnavailable', nonRetryable: false });
    expect(error.message).toMatch(/^civil-registry is unavailable: HTTP 503 registry-outage: .*asked us to wait 120 s$/);
    // Without Retry-After the first retry would come after 2.5 s (half of 5 s, random fixed at 0).
    expect(Number(error.nextRetryDelay)).toBeGreaterThanOrEqual(120_000);
    expect((await row(inquiry.inquiryId)).lastError).toBe(`RegistryUnavailable: ${error.message}`);
  });

  it('backs off with jitter: delays grow with the attempt and stay within [50 %, 100 %] of the ceiling', async () => {
    await fault({ registry: 'military-service', errorRate: 1 });
    const inquiry = request('military-service');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      const error = await failure(asAttempt(attempt, () => activities().sendInquiry(inquiry)));
      expect(error.message).toMatch(/HTTP 503 registry-error/);
      delays.push(Number(error.nextRetryDelay));
      expect(delays[attempt - 1]).toBeGreaterThanOrEqual(ceiling(attempt) / 2);
      expect(delays[attempt - 1]).toBeLessThanOrEqual(ceiling(attempt));
    }
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect((await row(inquiry.inquiryId)).attempts).toBe(6);
  });

  it('turns a 4xx into a non-retryable InquiryRefused naming the problem', async () => {
    const inquiry = request('addiction', { nationalCode: '12345' });
    const error = await failure(asAttempt(1, () => activities().sendInquiry(inquiry)));
    expect(error).toMatchObject({ type: 'InquiryRefused', nonRetryable: true, nextRetryDelay: undefined });
    expect(error.message).toBe('addiction refused the inquiry: HTTP 400 invalid-body: subject.nationalCode: must be exactly 10 digits');
    expect((await row(inquiry.inquiryId)).lastError).toBe(`InquiryRefused: ${error.message}`);
  });

  it('gives up a call after its timeout, and on an unreachable registry, as RegistryUnavailable', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((closed) => probe.close(closed));
    await fault({ registry: 'higher-education', latencyMs: 1_000 });
    const slow = await failure(asAttempt(1, () => activities({ requestTimeoutMs: 200 }).sendInquiry(request('higher-education'))));
    expect(slow).toMatchObject({ type: 'RegistryUnavailable', message: 'higher-education did not answer within 200 ms' });
    const down = await failure(asAttempt(1, () => activities({ baseUrl: `http://127.0.0.1:${closedPort}` }).sendInquiry(request('civil-registry'))));
    expect(down).toMatchObject({ type: 'RegistryUnavailable', nonRetryable: false });
    expect(down.message).toMatch(/^civil-registry is unreachable: fetch failed \(.*ECONNREFUSED/);
  });

  it('records an async inquiry as accepted, but never over an answer its callback recorded first', async () => {
    const first = request('security-clearance');
    expect(await asAttempt(1, () => activities().sendInquiry(first))).toEqual({ status: 'accepted' });
    expect(await row(first.inquiryId)).toMatchObject({ status: 'accepted', attempts: 1 });
    // The callback wins the race, then the activity is retried (its result was lost).
    await handle.db.update(inquiries).set({ status: 'answered', answer: { status: 'clear' } }).where(eq(inquiries.id, first.inquiryId));
    expect(await asAttempt(2, () => activities().sendInquiry(first))).toEqual({ status: 'accepted' });
    expect(await row(first.inquiryId)).toMatchObject({ status: 'answered', answer: { status: 'clear' }, attempts: 2 });
  });

  it('validates social-insurance answers, and names the licence process when no requester is given', async () => {
    const insured = request('social-insurance');
    const outcome = await asAttempt(1, () => activities().sendInquiry(insured));
    expect(outcome).toEqual({ status: 'answered', answer: {
      nationalCode: ALI, found: true, insured: true, workshopCode: '1410020011', insuredStaff: 7, paidThrough: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    } });
    // Filings are by Jalali quarter: the date paid through is the last day of one.
    const paidThrough = outcome.status === 'answered' ? String((outcome.answer as { paidThrough?: unknown }).paidThrough) : '';
    expect(quarterEnd(paidThrough)).toBe(paidThrough);
    expect((await row(insured.inquiryId)).requestedBy).toBe('parvaneh-licence-process');
    const unknown = await asAttempt(1, () => activities().sendInquiry(request('social-insurance', { nationalCode: '0012345678' })));
    expect(unknown).toEqual({ status: 'answered', answer: { nationalCode: '0012345678', found: false } });
  });

  it('sends an SMS once however often it is retried', async () => {
    const sms = { messageId: `sms-${++seq}`, nationalCode: ALI, message: 'پرونده شما تشکیل شد' };
    expect(await asAttempt(1, () => createSmsActivities({ baseUrl: sandbox.url }).sendSms(sms))).toEqual({ status: 'queued' });
    expect(await asAttempt(2, () => createSmsActivities({ baseUrl: sandbox.url }).sendSms(sms))).toEqual({ status: 'queued' });
    expect(await registryLog('sms')).toEqual([expect.objectContaining({ inquiryId: sms.messageId, attempts: 2 })]);
  });
});
