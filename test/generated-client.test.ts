/**
 * An integrator's client generated from the OpenAPI document (openapi-typescript types +
 * openapi-fetch) drives a whole application from submission to an issued, publicly verifiable
 * licence. A middleware verifies every response's signature, as integrators are told to.
 */
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { applications, licences } from '../db/schema/index.js';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOpenApi } from '../gateway/openapi/spec.js';
import type { components, paths } from '../api-spec/generated/schema.js';
import { addMonths } from '../platform/dates/time-functions.js';
import { attachDocuments, eventually, fixturePerson, verifyResponse } from './support/api.js';
import { skipTo } from './support/clock.js';
import { compliantVisit } from './support/site-visit.js';
import { startHarness, type Harness } from './support/harness.js';
import { officeTokens } from './support/tokens.js';

type Task = components['schemas']['Task'];

let h: Harness;
let verified = 0;
let issuedLicence: string;
const clients: Record<'portal' | 'ahvaz' | 'khuzestan' | 'public', Client<paths>> = {} as never;

/** Verifies the detached JWS of every response against the served JWKS, bound to this request. */
const verifySignatures: Middleware = {
  async onResponse({ request, response }) {
    const url = new URL(request.url);
    const bytes = new Uint8Array(await response.clone().arrayBuffer());
    await verifyResponse(h, request.method, `${url.pathname}${url.search}`, { status: response.status, headers: response.headers, bytes });
    verified += 1;
  },
};

function clientFor(token?: string): Client<paths> {
  const client = createClient<paths>({ baseUrl: h.gatewayUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
  client.use(verifySignatures);
  return client;
}

const licenceValidUntil = async (number: string) => (await h.db.db.select().from(licences).where(eq(licences.number, number)))[0]!.validUntil;

/** Every POST carries a fresh Idempotency-Key, as the document requires. */
const idempotent = () => ({ header: { 'Idempotency-Key': randomUUID() } });

beforeAll(async () => {
  // No outbox delivery: its daily poll would wake some 1,800 times as the renewal example moves years ahead.
  h = await startHarness({ outboxDelivery: false });
  const tokens = await officeTokens(h);
  for (const office of ['portal', 'ahvaz', 'khuzestan'] as const) clients[office] = clientFor(tokens[office]);
  clients.public = clientFor();
});
afterAll(async () => h?.close());

async function openTask(office: Client<paths>, applicationId: string, stepId: string): Promise<Task> {
  return eventually(async () => {
    const { data, error } = await office.GET('/v1/tasks');
    if (error) throw new Error(`inbox: ${error.title}`);
    return data.items.find((t) => t.applicationId === applicationId && t.stepId === stepId);
  }, `task ${stepId}`);
}

async function decide(office: Client<paths>, task: Task, outcome: string, recorded?: Record<string, unknown>) {
  expect(task.allowedOutcomes.map((o) => o.name)).toContain(outcome);
  const { data, error } = await office.POST('/v1/tasks/{taskId}/decision', { params: { path: { taskId: task.id }, ...idempotent() }, body: { outcome, recorded } });
  expect(error).toBeUndefined();
  expect(data).toMatchObject({ status: 'decision-delivered', outcome });
}

describe('a client generated from the OpenAPI document', () => {
  it('takes an application from submission to an issued, verifiable licence', async () => {
    // Not the document's example applicant: one person holds one centre licence, and the next test submits the example.
    const person = await fixturePerson(h, '0013579134');
    const submitted = await clients.portal.POST('/v1/applications', {
      params: idempotent(),
      body: {
        licenceType: 'welfare-services-centre', county: 'ahvaz',
        applicant: { nationalCode: person.nationalCode, firstName: person.firstName, lastName: person.lastName, birthDate: person.birthDate, sex: person.sex, religionRecognised: true },
        // Her PhD in rehabilitation lets her manage the centre herself.
        manager: { kind: 'holder' },
      },
    });
    expect(submitted.response.status).toBe(202);
    const { applicationId, trackingCode } = submitted.data!;
    expect(submitted.response.headers.get('location')).toBe(`/v1/applications/${applicationId}`);

    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const attached = await clients.portal.POST('/v1/applications/{applicationId}/documents', {
      params: { path: { applicationId }, ...idempotent() },
      body: { type: 'degree', fileName: 'master-social-work.pdf', mediaType: 'application/pdf', contentBase64: pdf.toString('base64') },
    });
    expect(attached.response.status).toBe(201);
    expect(attached.data).toMatchObject({ size: pdf.byteLength, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await decide(clients.ahvaz, await openTask(clients.ahvaz, applicationId, 'initial-interview'), 'accept');
    // The rest of Art. 6's documents, which the province's approval and the site visit check.
    await attachDocuments(h, applicationId);
    await decide(clients.khuzestan, await openTask(clients.khuzestan, applicationId, 'province-decision'), 'approve');
    const visit = await openTask(clients.ahvaz, applicationId, 'site-visit');
    expect(visit.dueAtJalali).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d$/);
    const visited = visit.allowedOutcomes.find((o) => o.name === 'visited')!;
    expect(visited.fields?.area).toMatchObject({ type: 'integer', min: 0 });
    await decide(clients.ahvaz, visit, 'visited', compliantVisit);
    // The holder's own manager licence comes first: its process's two tasks.
    const manager = `${applicationId}.holder-as-manager.1`;
    await decide(clients.khuzestan, await openTask(clients.khuzestan, manager, 'specialist-interview'), 'pass');
    await decide(clients.ahvaz, await openTask(clients.ahvaz, manager, 'training-certificate'), 'verified');

    const approved = await eventually(async () => {
      const { data } = await clients.portal.GET('/v1/applications/{applicationId}', { params: { path: { applicationId } } });
      return data?.application.status === 'approved' ? data : undefined;
    }, 'the application to be approved');
    expect(approved.application.outcomeReason).toBe('ACTIVITY_LICENCE_ISSUED');
    expect(approved.documents.map((d) => d.fileName)).toEqual(['master-social-work.pdf', ...['birth-certificate', 'national-id-card', 'photo', 'military-service-card', 'no-criminal-record', 'no-addiction', 'icdl', 'non-disclosure-form'].map((t) => `${t}.pdf`)]);
    expect(approved.licences.map((l) => l.kind).sort()).toEqual(['activity-licence', 'principle-agreement']);
    const activity = approved.licences.find((l) => l.kind === 'activity-licence')!;
    issuedLicence = activity.number;

    const licence = await clients.ahvaz.GET('/v1/licences/{licenceNumber}', { params: { path: { licenceNumber: activity.number } } });
    expect(licence.data).toMatchObject({ number: activity.number, status: 'active', valid: true, holderName: `${person.firstName} ${person.lastName}` });
    const listed = await clients.khuzestan.GET('/v1/licences', { params: { query: { licenceType: 'welfare-services-centre', status: 'active' } } });
    expect(listed.data!.items.map((l) => l.number)).toContain(activity.number);

    const verification = await clients.public.GET('/v1/licences/{licenceNumber}/verification/{verificationCode}', { params: { path: { licenceNumber: activity.number, verificationCode: licence.data!.verificationCode! } } });
    expect(verification.data).toMatchObject({ number: activity.number, valid: true, status: 'active', county: { id: 'ahvaz' } });
    expect(verification.data!.validUntilJalali).toMatch(/^14\d\d\/\d\d\/\d\d$/);
    const tracked = await clients.public.GET('/v1/tracking/{code}', { params: { path: { code: trackingCode } } });
    expect(tracked.data).toMatchObject({ trackingCode, status: 'approved' });

    // Years before its window, a renewal is refused at once: the typed 422 names the rule's reason.
    const renewal = await clients.ahvaz.POST('/v1/licences/{licenceNumber}/renewals', {
      params: { path: { licenceNumber: activity.number }, ...idempotent() }, body: { requestedBy: 'county-office' },
    });
    expect(renewal.response.status).toBe(422);
    expect(renewal.error).toMatchObject({ type: 'https://parvaneh.example/problems/change-refused', reason: 'RENEWAL_TOO_EARLY', title_fa: expect.any(String) });

    const refused = await clients.public.GET('/v1/licences/{licenceNumber}', { params: { path: { licenceNumber: activity.number } } });
    expect(refused.response.status).toBe(401);
    expect(refused.error).toMatchObject({ type: 'https://parvaneh.example/problems/unauthenticated', title_fa: 'احراز هویت نشد' });
    expect(verified).toBeGreaterThan(10);
  });

  it('sends every request example of the document as it is, and the sandbox accepts each', async () => {
    const { document } = gatewayOpenApi();
    const example = (path: string) => (document.paths![path]!.post!.requestBody as { content: Record<string, { example: never }> }).content['application/json']!.example;
    // Into the licence's renewal window (from 3 Jalali months before expiry), so the renewal example is taken too.
    // First: after a withdrawal the time-skipping server no longer skips ahead.
    expect(issuedLicence).toBeTruthy();
    await skipTo(h, Date.parse(addMonths((await licenceValidUntil(issuedLicence)).toISOString(), -3)) + 3_600_000);
    const submitted = await clients.portal.POST('/v1/applications', { params: idempotent(), body: example('/v1/applications') });
    expect(submitted.response.status, JSON.stringify(submitted.error)).toBe(202);
    const applicationId = submitted.data!.applicationId;
    // The example applicant passes eligibility (age ≥ 25) and reaches the county's interview.
    const interview = await openTask(clients.ahvaz, applicationId, 'initial-interview');
    const attached = await clients.portal.POST('/v1/applications/{applicationId}/documents', {
      params: { path: { applicationId }, ...idempotent() }, body: example('/v1/applications/{applicationId}/documents'),
    });
    expect(attached.response.status).toBe(201);
    const decided = await clients.ahvaz.POST('/v1/tasks/{taskId}/decision', { params: { path: { taskId: interview.id }, ...idempotent() }, body: example('/v1/tasks/{taskId}/decision') });
    expect(decided.response.status).toBe(202);
    const withdrawn = await clients.portal.POST('/v1/applications/{applicationId}/withdrawal', {
      params: { path: { applicationId }, ...idempotent() }, body: example('/v1/applications/{applicationId}/withdrawal'),
    });
    expect(withdrawn.response.status).toBe(202);

    const licenceNumber = issuedLicence;
    expect(licenceNumber).toBeTruthy();
    const changes = [
      [clients.portal, '/v1/licences/{licenceNumber}/renewals'],
      [clients.portal, '/v1/licences/{licenceNumber}/closure-notices'],
      [clients.khuzestan, '/v1/licences/{licenceNumber}/suspensions'],
      [clients.khuzestan, '/v1/licences/{licenceNumber}/revocations'],
    ] as const;
    // One change runs at a time on a licence: each example's change is withdrawn before the next.
    const settle = async () => {
      const running = await h.db.db.select({ id: applications.id }).from(applications)
        .where(and(eq(applications.status, 'running'), sql`${applications.facts}->'licence'->>'number' = ${licenceNumber}`, sql`${applications.facts}->'change' is not null`));
      for (const { id } of running) {
        const stop = await clients.portal.POST('/v1/applications/{applicationId}/withdrawal', { params: { path: { applicationId: id }, ...idempotent() }, body: { reason: 'example run' } });
        expect(stop.response.status).toBe(202);
        await eventually(async () => {
          const [row] = await h.db.db.select({ status: applications.status }).from(applications).where(eq(applications.id, id));
          return row?.status === 'withdrawn' ? true : undefined;
        }, `change ${id} withdrawn`);
      }
    };
    for (const [office, path] of changes) {
      await settle();
      const started = await office.POST(path, { params: { path: { licenceNumber }, ...idempotent() }, body: example(path) });
      expect(started.response.status, `${path}: ${JSON.stringify(started.error)}`).toBe(202);
    }
  });
});
