/** Small helpers to drive the gateway over real HTTP, as the portal and the offices do. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { JSONWebKeySet } from 'jose';
import { applications, documents } from '../../db/schema/index.js';
import { workflowIdFor, type ProcessResult } from '../../domain/workflow-interfaces/licence-process.js';
import { RESPONSE_TYP, verifyDetached } from '../../platform/jws.js';
import type { Harness } from './harness.js';

const jwksOf = new WeakMap<Harness, JSONWebKeySet>();

/**
 * Verifies a response's detached JWS with jose against the gateway's published JWKS, as an
 * integrator would; every call through `api()` does this, so every route is checked.
 */
export async function verifyResponse(h: Harness, method: string, path: string, res: { status: number; headers: Headers; bytes: Uint8Array }) {
  let jwks = jwksOf.get(h);
  if (!jwks) {
    jwks = (await (await fetch(`${h.gatewayUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    jwksOf.set(h, jwks);
  }
  const signature = res.headers.get('x-jws-signature');
  if (!signature) throw new Error(`${method} ${path}: response is not signed`);
  // A response's kind and status are in the signature: a notification's signature, or a changed status, fails here.
  const header = await verifyDetached(signature, res.bytes, jwks, { typ: RESPONSE_TYP, status: res.status });
  if (header.htm !== method || header.htu !== path || header.rid !== res.headers.get('x-request-id')) {
    throw new Error(`${method} ${path}: signature bound to ${String(header.htm)} ${String(header.htu)} ${String(header.rid)}`);
  }
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * Calls the gateway over HTTP and verifies the response's signature. Every POST carries a fresh
 * `Idempotency-Key` unless the caller gives one (or sets it to '' to send none).
 */
export async function api<T = Record<string, unknown>>(h: Harness, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (method === 'POST') headers['idempotency-key'] ??= randomUUID();
  if (headers['idempotency-key'] === '') delete headers['idempotency-key'];
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${h.gatewayUrl}${path}`, {
    method, headers, body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  await verifyResponse(h, method, path, { status: res.status, headers: res.headers, bytes });
  const text = new TextDecoder().decode(bytes);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface FixturePerson {
  nationalCode: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: 'male' | 'female';
  county: string;
}

/** The sandbox's fixture person, as the portal would describe them in an application. */
export async function fixturePerson(h: Harness, nationalCode: string): Promise<FixturePerson> {
  const persons = (await (await fetch(`${h.sandboxUrl}/fixtures/persons`)).json()) as FixturePerson[];
  const person = persons.find((p) => p.nationalCode === nationalCode);
  if (!person) throw new Error(`no sandbox fixture ${nationalCode}`);
  return person;
}

/**
 * An application for a sandbox fixture person. A welfare-services-centre application names its
 * centre's manager (version 3 waits for a licensed one): a generated person, eligible as a
 * manager, derived from the holder's code, unless `manager` says otherwise.
 */
export async function applicationFor(h: Harness, nationalCode: string, licenceType = 'welfare-services-centre', county = 'ahvaz', manager?: CentreManager) {
  const p = await fixturePerson(h, nationalCode);
  return {
    licenceType, county,
    applicant: { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, sex: p.sex, religionRecognised: true },
    ...(await managerFor(licenceType, Number(nationalCode.slice(2, 9)), manager, await sandboxNow(h))),
  };
}

/** The sandbox's clock (tests move it): the day generated persons' birth dates are reckoned from. */
async function sandboxNow(h: Harness): Promise<number> {
  return Date.parse(((await (await fetch(`${h.sandboxUrl}/control/clock`)).json()) as { now: string }).now);
}

/**
 * A fixture person as an application names one (its applicant, or its centre's nominee), with
 * the birth date the civil registry records today.
 */
export async function personNamed(h: Harness, nationalCode: string) {
  return (await applicationFor(h, nationalCode, 'centre-manager')).applicant;
}

/** Who manages a welfare centre: the holder himself, or a person he names. */
export type CentreManager = { kind: 'holder' } | { kind: 'nominee'; person: Record<string, unknown> };

/** Seeds of the generated persons the tests' applications name as their centre's manager, clear of the seeds tests use. */
const NOMINEE_SEEDS = 30_000_000;

/**
 * A generated person as the portal names one: eligible everywhere, with a master's in a field a
 * centre manager may hold; the birth date as the civil registry records it at `nowMs`.
 */
async function generatedPerson(seed: number, nowMs = Date.now()) {
  const { generateNationalCode, personFor } = await import('../../sandbox/persons.js');
  const p = personFor(generateNationalCode(seed), nowMs)!;
  return { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, sex: p.sex, religionRecognised: true };
}

/**
 * The `manager` a welfare-services-centre application names (nothing for other licence types): a
 * generated nominee per seed, unless given. A generated person's birth date moves with the sandbox's
 * clock: a test that moves it before the manager's process asks the civil registry names a fixture
 * whose birth date does not move (0012345679), as `personNamed` gives him.
 */
async function managerFor(licenceType: string, seed: number, manager?: CentreManager, nowMs?: number): Promise<{ manager?: CentreManager }> {
  if (licenceType !== 'welfare-services-centre') return {};
  return { manager: manager ?? { kind: 'nominee', person: await generatedPerson(NOMINEE_SEEDS + seed, nowMs) } };
}

/** Inquiries the sandbox registries received for a person. */
export async function sandboxInquiries(h: Harness, nationalCode: string): Promise<{ inquiryId: string; registry: string; attempts: number }[]> {
  return (await fetch(`${h.sandboxUrl}/control/inquiries?nationalCode=${nationalCode}`)).json() as Promise<{ inquiryId: string; registry: string; attempts: number }[]>;
}

export interface TaskRow {
  id: string;
  applicationId: string;
  stepId: string;
  status: string;
  outcomes: { name: string }[];
}

/** Waits for an open task of `stepId` for the application in the office's inbox. */
export function taskInInbox(h: Harness, token: string, applicationId: string, stepId: string, timeoutMs?: number): Promise<TaskRow> {
  return eventually(async () => {
    const res = await api<{ items: TaskRow[] }>(h, 'GET', '/v1/tasks', { token });
    if (res.status !== 200) throw new Error(`inbox answered ${res.status}: ${res.text}`);
    return res.body.items.find((t) => t.applicationId === applicationId && t.stepId === stepId);
  }, `task ${stepId} of ${applicationId}`, timeoutMs);
}

/** Decides a task as an office does; `recorded`: what an outcome that declares fields records (a site visit's findings). */
/** The documents Art. 6 of the welfare centre instruction lists (the military-service card is a man's). */
export const ART6_DOCUMENTS = [
  'birth-certificate', 'national-id-card', 'photo', 'degree', 'military-service-card',
  'no-criminal-record', 'no-addiction', 'icdl', 'non-disclosure-form',
] as const;

/**
 * Attaches documents to a running application as the national portal does, a small PDF scan each:
 * those of `types` it does not have yet.
 */
export async function attachDocuments(h: Harness, applicationId: string, types: readonly string[] = ART6_DOCUMENTS): Promise<void> {
  const portal = await h.issuer.mint({ role: 'portal' });
  const contentBase64 = Buffer.from('%PDF-1.4\n% a scan\n').toString('base64');
  const attached = new Set((await h.db.db.select({ type: documents.type }).from(documents).where(eq(documents.applicationId, applicationId))).map((d) => d.type));
  for (const type of types.filter((t) => !attached.has(t))) {
    const res = await api(h, 'POST', `/v1/applications/${applicationId}/documents`, {
      token: portal, body: { type, fileName: `${type}.pdf`, mediaType: 'application/pdf', contentBase64 },
    });
    if (res.status !== 201) throw new Error(`attaching ${type} answered ${res.status}: ${res.text}`);
  }
}

export async function decide(h: Harness, token: string, taskId: string, outcome: string, reason?: string, recorded?: Record<string, unknown>) {
  const res = await api(h, 'POST', `/v1/tasks/${encodeURIComponent(taskId)}/decision`, { token, body: { outcome, reason, recorded } });
  if (res.status !== 202) throw new Error(`decision answered ${res.status}: ${res.text}`);
}

/**
 * An application for a generated (valid, eligible) sandbox person: a new applicant per seed; for a
 * welfare centre, naming a generated manager of its own (see `applicationFor`).
 */
export async function generatedApplication(seed: number, licenceType = 'welfare-services-centre', county = 'ahvaz', manager?: CentreManager) {
  return { licenceType, county, applicant: await generatedPerson(seed), ...(await managerFor(licenceType, seed, manager)) };
}

/**
 * The process result, once the database says the application ended. Awaiting `result()` at once
 * would let the time-skipping server jump ahead while a registry is still answering in real time.
 */
export async function processEnded(h: Harness, applicationId: string): Promise<ProcessResult> {
  await eventually(async () => {
    const [row] = await h.db.db.select({ status: applications.status }).from(applications).where(eq(applications.id, applicationId));
    return row && row.status !== 'running' ? true : undefined;
  }, `application ${applicationId} to end`);
  return h.client.workflow.getHandle(workflowIdFor(applicationId)).result() as Promise<ProcessResult>;
}

/**
 * The public verification URL of a licence (the one its QR code carries): the number and the
 * verification code printed with it, read here as the national office.
 */
export async function verificationPath(h: Harness, number: string): Promise<string> {
  const res = await api<{ verificationCode: string }>(h, 'GET', `/v1/licences/${encodeURIComponent(number)}`, { token: await h.issuer.mint({ role: 'national-office' }) });
  if (res.status !== 200) throw new Error(`licence ${number}: ${res.status} ${res.text}`);
  return `/v1/licences/${encodeURIComponent(number)}/verification/${res.body.verificationCode}`;
}
