/**
 * Minimal HTTP client for the sandbox, used by tests and demo scripts.
 */

/** Raw outcome of an HTTP call: status, content type and body text. */
export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
}

/** Parses the body of a RawResponse as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: callers name the shape they expect
export function json<T = any>(res: RawResponse): T {
  return JSON.parse(res.text) as T;
}

async function call(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text(), headers: res.headers };
}

/**
 * Makes an inquiry to `registry` about `nationalCode`. The Idempotency-Key
 * defaults to the inquiryId; pass `idempotencyKey: null` to omit it.
 */
export function inquire(
  baseUrl: string,
  registry: string,
  inquiryId: string,
  nationalCode: string,
  opts: { idempotencyKey?: string | null; extra?: Record<string, unknown> } = {},
): Promise<RawResponse> {
  const key = opts.idempotencyKey === undefined ? inquiryId : opts.idempotencyKey;
  return sendInquiry(baseUrl, registry, { inquiryId, subject: { nationalCode }, ...opts.extra }, key);
}

/** Posts an arbitrary inquiry body (for validation tests). */
export function sendInquiry(baseUrl: string, registry: string, body: unknown, idempotencyKey: string | null): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
  return call(`${baseUrl}/registries/${registry}/inquiries`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** GET or POST/DELETE a control endpoint with an optional JSON body. */
export function control(baseUrl: string, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return call(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * The sandbox's listing of `inquiryId` (GET /control/inquiries), once `ready` accepts it: the
 * sandbox records a delivery only after it has read the receiver's answer, a moment after the
 * receiver has seen the callback. Fails after `timeoutMs` with the last listing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: callers name the shape they expect
export async function listedWhen<T = any>(baseUrl: string, registry: string, inquiryId: string, ready: (listed: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = json<(T & { inquiryId: string })[]>(await control(baseUrl, 'GET', `/control/inquiries?registry=${encodeURIComponent(registry)}`)).find((i) => i.inquiryId === inquiryId);
    if (listed && ready(listed)) return listed;
    if (Date.now() > deadline) throw new Error(`inquiry ${inquiryId} not as expected after ${timeoutMs} ms: ${JSON.stringify(listed)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
