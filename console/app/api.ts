/**
 * The console's only way to the API: requests go to `/console/api` + the API path (the
 * backend-for-frontend adds the officer's token), and every response is verified here, in the
 * browser, against the gateway's JWKS before anything reads it: a detached-payload ES256 JWS over
 * the exact body bytes whose protected header says `typ: parvaneh-response+jws` and binds the
 * method (`htm`), the path with query (`htu`), the status and this request's own id (`rid`, so an
 * answer signed for an earlier request cannot be replayed). A response that does not verify
 * throws `UnverifiedResponse`; its body is never parsed.
 */
import createClient from 'openapi-fetch';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { components, paths } from '../../api-spec/generated/schema.js';

export type Schemas = components['schemas'];
export const API_PREFIX = '/console/api';
const RESPONSE_TYP = 'parvaneh-response+jws';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A response whose signature is missing or wrong: shown as an error, never as data. */
export class UnverifiedResponse extends Error {
  override name = 'UnverifiedResponse';
}

/** The officer's session ended (401 from the proxy): the page is on its way to the sign-in. */
export class SignedOut extends Error {
  override name = 'SignedOut';
}

let keySet: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;
function jwks() {
  keySet ??= fetch('/.well-known/jwks.json', { credentials: 'omit' })
    .then((res) => {
      if (!res.ok) throw new UnverifiedResponse(`the JWKS could not be read (${res.status})`);
      return res.json() as Promise<JSONWebKeySet>;
    })
    .then((set) => createLocalJWKSet(set))
    .catch((error: unknown) => {
      keySet = undefined;
      throw error;
    });
  return keySet;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Checks one response's signature; throws `UnverifiedResponse` on any failure. */
export async function verifyResponse(method: string, htu: string, status: number, signature: string | null, body: Uint8Array, rid: string): Promise<void> {
  if (!signature) throw new UnverifiedResponse('the response is not signed');
  const parts = signature.split('.');
  if (parts.length !== 3 || parts[1] !== '') throw new UnverifiedResponse('the signature is not a detached compact JWS');
  let header: Record<string, unknown>;
  try {
    ({ protectedHeader: header } = await compactVerify(`${parts[0]}.${base64url(body)}.${parts[2]}`, await jwks(), { algorithms: ['ES256'] }));
  } catch (error) {
    // A key the cached set does not know (a rotation since the page loaded): read the JWKS once more.
    if ((error as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY') {
      keySet = undefined;
      try {
        ({ protectedHeader: header } = await compactVerify(`${parts[0]}.${base64url(body)}.${parts[2]}`, await jwks(), { algorithms: ['ES256'] }));
      } catch (again) {
        throw new UnverifiedResponse(`the signature does not verify: ${(again as Error).message}`);
      }
    } else {
      throw new UnverifiedResponse(`the signature does not verify: ${(error as Error).message}`);
    }
  }
  // `rid` is this request's own id: an answer signed for an earlier request (replayed) does not pass.
  const expected: Record<string, unknown> = { typ: RESPONSE_TYP, htm: method, htu, status, rid };
  for (const [name, value] of Object.entries(expected)) {
    if (header[name] !== value) throw new UnverifiedResponse(`the signature's ${name} is ${JSON.stringify(header[name])}, expected ${JSON.stringify(value)}`);
  }
}

/** Where the console sends an officer whose session is gone. */
export function goToLogin(): void {
  const here = `${location.pathname}${location.search}`;
  location.assign(`/console/login?return=${encodeURIComponent(here.startsWith('/console/') ? here : '/console/')}`);
}

/**
 * `fetch` for the API: adds the console's headers (and a fresh Idempotency-Key to unsafe methods
 * unless one is given), sends the officer to sign in on 401, and verifies the response; returns a
 * new Response over the verified bytes.
 */
export async function verifiedFetch(request: Request): Promise<Response> {
  const url = new URL(request.url, location.origin);
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw new TypeError(`not an API path: ${url.pathname}`);
  const headers = new Headers(request.headers);
  const method = request.method.toUpperCase();
  // A fresh id per request, which the gateway binds into the signature as `rid`.
  const rid = crypto.randomUUID();
  headers.set('x-request-id', rid);
  if (UNSAFE.has(method)) {
    headers.set('x-parvaneh-console', '1');
    if (!headers.has('idempotency-key')) headers.set('idempotency-key', crypto.randomUUID());
  }
  const body = UNSAFE.has(method) ? await request.arrayBuffer() : undefined;
  const res = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  const bytes = new Uint8Array(await res.arrayBuffer());
  // The proxy's own 401 (no session) is not the API's and is not signed: it only sends us to sign in.
  if (res.status === 401 && !res.headers.has('x-jws-signature')) {
    goToLogin();
    throw new SignedOut('signed out');
  }
  const htu = `${url.pathname.slice(API_PREFIX.length)}${url.search}`;
  await verifyResponse(method, htu, res.status, res.headers.get('x-jws-signature'), bytes, rid);
  if (res.status === 401) {
    goToLogin();
    throw new SignedOut('signed out');
  }
  return new Response(res.status === 204 || bytes.byteLength === 0 ? null : bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** The typed client of the public API, through the console's proxy, every response verified. */
export const api = createClient<paths>({ baseUrl: API_PREFIX, fetch: verifiedFetch });

/** A problem+json body, as far as the console reads one. */
export interface Problem { type?: string; title?: string; title_fa?: string; detail?: string; field?: string; status?: number; requestId?: string }

/** Thrown for an API answer that is a problem: a verified, signed refusal. */
export class ApiProblem extends Error {
  override name = 'ApiProblem';
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.title ?? `HTTP ${status}`);
  }
}

/** The header an unsafe operation declares: a fresh Idempotency-Key for one intended change. */
export const freshKey = () => ({ 'Idempotency-Key': crypto.randomUUID() });

/** Unwraps an openapi-fetch result: the data, or an `ApiProblem` for an error answer. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) throw new ApiProblem(result.response.status, (result.error ?? {}) as Problem);
  return result.data;
}

/** A verified binary GET (a document's content) as a Blob of the type the API gives. */
export async function blobOf(path: string): Promise<Blob> {
  const res = await verifiedFetch(new Request(new URL(`${API_PREFIX}${path}`, location.origin)));
  if (!res.ok) {
    const text = await res.text();
    throw new ApiProblem(res.status, (text ? JSON.parse(text) : {}) as Problem);
  }
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  return new Blob([await res.arrayBuffer()], { type });
}

/** The BFF's session: who is signed in (not an API response: the console's own server says it). */
export interface Session { subject: string; name?: string | null; role: string; county?: string | null; province?: string | null; expiresAt?: string }

export async function session(): Promise<Session | undefined> {
  const res = await fetch('/console/session', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.status === 401) return undefined;
  if (!res.ok) throw new Error(`session: ${res.status}`);
  return (await res.json()) as Session;
}

export async function signOut(): Promise<void> {
  const res = await fetch('/console/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-parvaneh-console': '1' } });
  const body = res.ok ? ((await res.json()) as { endSessionUrl?: string }) : {};
  location.assign(body.endSessionUrl ?? '/console/signed-out');
}
