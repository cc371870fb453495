/**
 * Signed responses: every response carries `x-jws-signature`, a detached-payload ES256 JWS over
 * its exact body bytes, of kind `typ: parvaneh-response+jws`, that binds the request's method
 * (`htm`), path with query (`htu`), request id (`rid`) and the response's status (`status`). Integrators verify it against `GET /.well-known/jwks.json`.
 *
 * The body is buffered to be signed, so this suits whole responses, not endless streams. Mount it
 * inside any compression middleware so the signature covers the bytes before content coding.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { RESPONSE_TYP, signDetachedAsync } from '../platform/jws.js';
import type { SigningKeyStore } from '../platform/signing-keys.js';
import type { SignBytes } from '../platform/signing-thread.js';

export const SIGNATURE_HEADER = 'x-jws-signature';

export interface SignResponsesOptions {
  keys: Pick<SigningKeyStore, 'active'>;
  /** The context variable holding the request id (hono's `requestId` middleware sets `requestId`). */
  requestIdVar?: string;
  /** What computes the signatures (the gateway's signing thread); default libuv's thread pool. */
  signBytes?: SignBytes;
}

/** A response as signed: what the idempotency middleware stores to replay byte for byte. */
export interface SignedResponse { status: number; headers: Headers; body: Uint8Array }

/**
 * Context variables this middleware reads, set by inner middleware (`middleware/idempotency.ts`):
 * `idempotentReplay` marks a stored response that was signed when first sent (left untouched), as
 * `signedWithin` marks one forwarded from this gateway's own `/v1` by the console's proxy;
 * `onSigned` is called with the response once signed.
 */
export type SigningVariables = {
  idempotentReplay?: boolean;
  /** An answer this gateway gave itself in process (the console's proxy) and signed then, for the path it was asked at: kept as signed. */
  signedWithin?: boolean;
  onSigned?: (response: SignedResponse) => Promise<void>;
};

/** Statuses whose responses cannot carry a body (Fetch "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The symbol under which node-server's light `Response` holds what it was made from, once seen. */
let cacheSymbol: symbol | undefined;

/**
 * The body bytes of a response made by @hono/node-server's light `Response` (what `c.json()` and
 * `c.body()` make under `serve()`) from a string or bytes, read from what it holds, without
 * building an undici Response and reading its body through a web stream (about 40 µs a response,
 * and a tenth of the gateway's time on a signed GET). Anything else (a stream, another Response
 * class, a future node-server that holds something else): undefined, and the body is read as any
 * Response's is. `test/edge-requests.test.ts` and the unit tests verify the signatures over the
 * bytes received.
 */
export function heldBytes(res: Response): Uint8Array<ArrayBuffer> | undefined {
  if (cacheSymbol === undefined || !(cacheSymbol in res)) {
    const found = Object.getOwnPropertySymbols(res).find((symbol) => symbol.description === 'cache');
    if (!found) return undefined;
    cacheSymbol = found;
  }
  const cache = (res as unknown as Record<symbol, unknown>)[cacheSymbol];
  if (!Array.isArray(cache) || cache.length !== 3 || cache[0] !== res.status) return undefined;
  const body: unknown = cache[1];
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body as Uint8Array<ArrayBuffer>;
  if (body === null) return new Uint8Array();
  return undefined;
}

/** Signs the final response of every request passing through it; the empty body signs as the empty byte string. */
export function signResponses({ keys, requestIdVar = 'requestId', signBytes }: SignResponsesOptions): MiddlewareHandler {
  return async function signResponse(c, next) {
    await next();
    if (c.get('idempotentReplay' as never) || c.get('signedWithin' as never)) return;
    const res = c.res;
    const held = heldBytes(res);
    // Otherwise the response is replaced below, so it is read directly rather than cloned (no tee, one copy).
    const body = held ?? new Uint8Array(await res.arrayBuffer());
    const url = new URL(c.req.url);
    const requestId = c.get(requestIdVar as never) as string | undefined;
    const claims: Record<string, unknown> = { typ: RESPONSE_TYP, htm: c.req.method, htu: `${url.pathname}${url.search}`, status: res.status };
    if (requestId !== undefined) claims.rid = requestId;
    const signature = await signDetachedAsync(keys.active(), body, claims, signBytes);
    if (held) {
      // The light response keeps its bytes and status, and now this header: the server sends what
      // it holds. Nothing else of it is read (its statusText or body would build an undici Response
      // and a web stream for each request, a tenth of a signed GET's time).
      res.headers.set(SIGNATURE_HEADER, signature);
    } else {
      const headers = new Headers(res.headers);
      headers.set(SIGNATURE_HEADER, signature);
      // Cleared first: Hono would otherwise re-wrap the new response around its body *stream* to merge
      // the old one's headers (all already in `headers`), and the server would then write it by
      // reading that stream instead of sending the bytes at once.
      c.res = undefined;
      c.res = new Response(NULL_BODY.has(res.status) || body.byteLength === 0 ? null : body, {
        status: res.status, statusText: res.statusText, headers,
      });
    }
    const onSigned = c.get('onSigned' as never) as SigningVariables['onSigned'];
    if (onSigned) await onSigned({ status: c.res.status, headers: c.res.headers, body });
  };
}

/** `GET /.well-known/jwks.json`: the active and retired public keys, cacheable for five minutes. */
export function jwksRoute(keys: Pick<SigningKeyStore, 'jwks'>): Hono {
  const app = new Hono();
  app.get('/.well-known/jwks.json', (c) => c.json(keys.jwks(), 200, { 'cache-control': 'public, max-age=300' }));
  return app;
}
