/**
 * Callbacks from the asynchronous registries as they misbehave in reality: delivered twice, out of
 * order, and forged. Real processes on the time-skipping server, the sandbox over HTTP.
 */
import { and, eq } from 'drizzle-orm';
import { CompactSign, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationEvents, applications, auditLog, inquiries } from '../db/schema/index.js';
import { createRegistrySigner, signCallback } from '../sandbox/signing.js';
import { control, json } from '../sandbox/sandbox-client.js';
import { api, decide, eventually, generatedApplication, taskInInbox } from './support/api.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let portal: string;
let ahvaz: string;

const setFault = (fault: Record<string, unknown>) => control(h.sandboxUrl, 'POST', '/control/faults', fault);

beforeAll(async () => {
  h = await startHarness({ sandboxDelayMs: 200 });
  portal = await h.issuer.mint({ role: 'portal' });
  ahvaz = await h.issuer.mint({ role: 'county-office', county: 'ahvaz' });
});
afterAll(async () => h?.close());

/** Submits generated applicants and passes their interviews, so their vetting inquiries go out. */
async function toVetting(seeds: number[]): Promise<string[]> {
  return Promise.all(seeds.map(async (seed) => {
    const res = await api<{ applicationId: string }>(h, 'POST', '/v1/applications', { token: portal, body: await generatedApplication(seed) });
    expect(res.status, res.text).toBe(202);
    const interview = await taskInInbox(h, ahvaz, res.body.applicationId, 'initial-interview');
    await decide(h, ahvaz, interview.id, 'accept');
    return res.body.applicationId;
  }));
}

/** The application's criminal-record inquiry, once it is written. */
const criminalRecordInquiry = (applicationId: string) => eventually(async () => {
  const [row] = await h.db.db.select().from(inquiries).where(and(eq(inquiries.applicationId, applicationId), eq(inquiries.registry, 'criminal-record')));
  return row;
}, 'the criminal-record inquiry');

/** A callback body claiming a criminal record for the inquiry's subject (the generated applicants have none). */
const claimedRecord = (inquiry: typeof inquiries.$inferSelect) => JSON.stringify({
  inquiryId: inquiry.id, registry: 'criminal-record', nationalCode: inquiry.subjectNationalCode, answer: { status: 'record' }, answeredAt: new Date().toISOString(),
});

describe('callbacks from the asynchronous registries', () => {
  it('takes each answer once when every callback comes twice and out of order', async () => {
    for (const registry of ['security-clearance', 'criminal-record']) {
      expect((await setFault({ registry, duplicateCallbacks: true, reorderCallbacks: true })).status).toBe(200);
    }
    const ids = await toVetting([7101, 7102, 7103, 7104]);
    const answered = async (applicationId: string) => {
      const rows = await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, applicationId));
      const vetting = rows.filter((r) => r.registry === 'security-clearance' || r.registry === 'criminal-record');
      return vetting.length === 2 && vetting.every((r) => r.status === 'answered') ? vetting : undefined;
    };
    for (const applicationId of ids) {
      const vetting = await eventually(() => answered(applicationId), `vetting answers of ${applicationId}`);
      for (const inquiry of vetting) {
        // The sandbox sent the answer at least twice; the timeline and the audit trail hold it once.
        await eventually(async () => {
          const seen = json<{ inquiryId: string; deliveries: number }[]>(await control(h.sandboxUrl, 'GET', `/control/inquiries?registry=${inquiry.registry}`));
          return (seen.find((s) => s.inquiryId === inquiry.id)?.deliveries ?? 0) >= 2 ? true : undefined;
        }, `the second delivery of ${inquiry.id}`);
        // Both deliveries are in by now; the row is written before the process records its event.
        const events = await eventually(async () => {
          const rows = await h.db.db.select().from(applicationEvents)
            .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'inquiry-answered'), eq(applicationEvents.stepId, inquiry.stepId)));
          return rows.length > 0 ? rows : undefined;
        }, `the process taking ${inquiry.id}`);
        expect(events).toHaveLength(1);
        const trail = await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, inquiry.id), eq(auditLog.action, 'inquiry.answered')));
        expect(trail).toHaveLength(1);
      }
    }
    await control(h.sandboxUrl, 'DELETE', '/control/faults');
  });

  it('refuses a callback signed with a key the registry does not publish, and the registry\'s own answer stands', async () => {
    const [applicationId] = await toVetting([7201]);
    const pending = await criminalRecordInquiry(applicationId!);
    // A forger claims a record under the registry's own key id; the generated applicant has none.
    const { privateKey } = await generateKeyPair('ES256');
    const body = claimedRecord(pending);
    const attached = await new CompactSign(new TextEncoder().encode(body)).setProtectedHeader({ alg: 'ES256', kid: 'sandbox-criminal-record', typ: 'registry-callback+jws', iat: Math.floor(Date.now() / 1000), jti: 'forged-1' }).sign(privateKey);
    const [header, , signature] = attached.split('.');
    const forged = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body, headers: { 'x-registry-signature': `${header}..${signature}` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/problem\+json/);

    const answered = await eventually(async () => {
      const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, pending.id));
      return row?.status === 'answered' ? row : undefined;
    }, 'the registry\'s own answer');
    expect(answered.answer).toEqual({ status: 'clear' });
    // The trail entry follows the row's update: wait for it, then there must be exactly one.
    const trail = await eventually(async () => {
      const rows = await h.db.db.select().from(auditLog).where(and(eq(auditLog.subjectId, pending.id), eq(auditLog.action, 'inquiry.answered')));
      return rows.length > 0 ? rows : undefined;
    }, 'the answer in the audit trail');
    expect(trail).toHaveLength(1);
    const failures = await h.db.db.select().from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, applicationId!), eq(applicationEvents.kind, 'rule-failed')));
    expect(failures.map((f) => (f.detail as { reason?: string }).reason)).not.toContain('CRIMINAL_RECORD');
  });

  it('refuses registry A\'s key signing a callback for registry B, and a stale one signed by B itself', async () => {
    const [applicationId] = await toVetting([7301]);
    const pending = await criminalRecordInquiry(applicationId!);
    const body = claimedRecord(pending);
    const bytes = new TextEncoder().encode(body);
    // The security-clearance registry's real key, its signature otherwise perfect.
    const other = await signCallback(createRegistrySigner(h.registryKeys.privateKeys['security-clearance']!.privateJwk), 'criminal-record', bytes);
    const crossed = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body, headers: { 'x-registry-signature': other } });
    expect(crossed.status, crossed.text).toBe(401);
    expect(crossed.body).toMatchObject({ type: expect.stringMatching(/bad-signature$/), detail: 'the signature does not verify with the key of criminal-record' });
    // The criminal-record registry's own key, ten minutes ago: stale.
    const own = createRegistrySigner(h.registryKeys.privateKeys['criminal-record']!.privateJwk);
    const stale = await own.signDetached(bytes, { typ: 'registry-callback+jws', iat: Math.floor(Date.now() / 1000) - 600, jti: 'stale-1' });
    const refused = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body, headers: { 'x-registry-signature': stale } });
    expect(refused.status, refused.text).toBe(401);
    expect(refused.body).toMatchObject({ detail: expect.stringMatching(/iat/) });
    const answered = await eventually(async () => {
      const [row] = await h.db.db.select().from(inquiries).where(eq(inquiries.id, pending.id));
      return row?.status === 'answered' ? row : undefined;
    }, 'the registry\'s own answer');
    expect(answered.answer).toEqual({ status: 'clear' });
  });

  it('answers a replayed callback from the record: sent in a loop, it never signals the process again', async () => {
    const [applicationId] = await toVetting([7401]);
    const [app] = await h.db.db.select().from(applications).where(eq(applications.id, applicationId!));
    const handle = h.client.workflow.getHandle(app!.workflowId);
    const answerSignals = async () => ((await handle.fetchHistory()).events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'registryAnswer').length;
    // Both vetting registries have answered and signalled: no answer of theirs is still on its way.
    const answered = await eventually(async () => {
      const rows = await h.db.db.select().from(inquiries).where(eq(inquiries.applicationId, applicationId!));
      const vetting = rows.filter((r) => r.registry === 'security-clearance' || r.registry === 'criminal-record');
      return vetting.length === 2 && vetting.every((r) => r.status === 'answered') && await answerSignals() >= 2
        ? vetting.find((r) => r.registry === 'criminal-record') : undefined;
    }, 'both vetting answers');
    // A callback the registry really signed (as if captured on the wire), for the answer already recorded.
    const body = JSON.stringify({ inquiryId: answered.id, registry: 'criminal-record', nationalCode: answered.subjectNationalCode, answer: answered.answer, answeredAt: new Date().toISOString() });
    const signature = await signCallback(createRegistrySigner(h.registryKeys.privateKeys['criminal-record']!.privateJwk), 'criminal-record', new TextEncoder().encode(body));
    const before = await answerSignals();
    const first = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body, headers: { 'x-registry-signature': signature } });
    expect(first.body).toEqual({ inquiryId: answered.id, status: 'duplicate' });
    // Its first arrival is a registry's retry, delivered to the process once more (the process ignores it). A signal
    // that comes while a workflow task runs is written to the history when that task ends: wait for it.
    const once = await eventually(async () => ((await answerSignals()) === before + 1 ? before + 1 : undefined), 'the first arrival\'s signal');
    for (let i = 0; i < 5; i += 1) {
      const replay = await api(h, 'POST', '/v1/callbacks/registries/criminal-record', { body, headers: { 'x-registry-signature': signature } });
      expect(replay.status, replay.text).toBe(200);
      expect(replay.body).toEqual({ inquiryId: answered.id, status: 'duplicate' });
    }
    // Any signal the replays had sent would be in the history by now (a workflow task ends within milliseconds here).
    await new Promise((settle) => setTimeout(settle, 1500));
    expect(await answerSignals()).toBe(once);
  });
});
