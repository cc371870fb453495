/**
 * `/console/api/<rest>` → the gateway's own `/<rest>` (only `/v1/…`), called in process as an
 * integrator would call it over HTTP, with the officer's access token. The gateway's answer comes
 * back as it was signed (status, body bytes, `x-jws-signature` and the headers the app needs), so
 * the browser verifies it against the JWKS exactly as an integrator would.
 */
import type { Context } from 'hono';
import { DomainError } from '../../services/errors.js';

/** Request headers passed on; everything else (cookies first of all) stays behind. */
const REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key', 'accept-language'];
/** Response headers passed back. */
const RESPONSE_HEADERS = ['x-jws-signature', 'content-type', 'content-disposition', 'x-content-type-options', 'x-request-id', 'retry-after', 'allow'];

/** The context variable telling the gateway's response signing that this answer is signed already (by the inner call). */
export const FORWARDED_SIGNED = 'signedWithin';

export async function forwardToApi(c: Context, opts: { accessToken: string; forward(request: Request, env: unknown): Promise<Response> }): Promise<Response> {
  const incoming = new URL(c.req.url);
  const rest = incoming.pathname.replace(/^\/console\/api/, '');
  if (!rest.startsWith('/v1/')) {
    throw new DomainError('not-found', 'no-such-route', { fa: 'مسیر یافت نشد', en: 'no such route' }, 'the console forwards /console/api/v1/… only');
  }
  const headers = new Headers({ authorization: `Bearer ${opts.accessToken}` });
  for (const name of REQUEST_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  // The same request id inside and out: the officer's request is one request in the logs.
  const requestId = c.get('requestId' as never) as string | undefined;
  if (requestId) headers.set('x-request-id', requestId);
  const method = c.req.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
  const answer = await opts.forward(new Request(`${incoming.origin}${rest}${incoming.search}`, { method, headers, body }), c.env);
  const bytes = new Uint8Array(await answer.arrayBuffer());
  const out = new Headers({ 'cache-control': 'no-store' });
  for (const name of RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  c.set(FORWARDED_SIGNED as never, true as never);
  return new Response(bytes.byteLength === 0 || [204, 304].includes(answer.status) ? null : bytes, { status: answer.status, headers: out });
}
