/**
 * The one HTTP caller the registry and SMS adapters share: a timeout on every call, the idempotency key
 * on every call (so a retry is the same inquiry, never a second one), and every way a call can
 * go wrong turned into a typed failure that says what happened and when to try again.
 */
import { cancellationSignal, currentAttempt, currentRetryIntervals } from './activity-context.js';
import { DEFAULT_BACKOFF, retryAfterMs, retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { InquiryEndpoint } from '../../domain/registries/endpoint.js';
import { isRetryable, registryFailure, type RegistryFailureType } from './failures.js';
import { readReply, type RegistryReply } from '../../domain/registries/reply.js';
import { traceHeaders } from '../../platform/tracing.js';

/** What the caller needs; tests pass the sandbox's URL and a fixed random. */
export interface CallerConfig {
  baseUrl: string;
  /** Per call (default 10 s); the activity's startToCloseTimeout is the outer bound. */
  timeoutMs?: number;
  /** Default `DEFAULT_BACKOFF`; the activity's retry policy, when it has one, sets the intervals. */
  backoff?: Partial<BackoffPolicy>;
  fetch?: typeof fetch;
}

/** One call: which system, under which idempotency key, with which body. */
export interface EndpointCall {
  endpoint: InquiryEndpoint;
  idempotencyKey: string;
  body: Record<string, unknown>;
}

/** A problem+json body's type and detail, or the start of whatever else came back. */
function summarise(text: string): string {
  try {
    const problem = JSON.parse(text) as { type?: unknown; detail?: unknown; title?: unknown };
    const type = typeof problem.type === 'string' ? problem.type.split(/[/:#]/).pop() : undefined;
    const detail = typeof problem.detail === 'string' ? problem.detail : problem.title;
    if (type || typeof detail === 'string') return [type, detail].filter(Boolean).join(': ');
  } catch { /* not JSON: quote it */ }
  return text.slice(0, 200);
}

/** Builds `callEndpoint`, which resolves with a checked reply or throws a registry failure. */
export function createEndpointCaller(options: CallerConfig) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const given = options.backoff ?? {};
  const config = {
    timeoutMs: options.timeoutMs ?? 10_000,
    fetch: options.fetch ?? fetch,
    backoff: {
      initialIntervalMs: given.initialIntervalMs ?? DEFAULT_BACKOFF.initialIntervalMs,
      maximumIntervalMs: given.maximumIntervalMs ?? DEFAULT_BACKOFF.maximumIntervalMs,
      random: given.random ?? DEFAULT_BACKOFF.random,
    },
  };

  return async function callEndpoint({ endpoint, idempotencyKey, body }: EndpointCall): Promise<RegistryReply> {
    const attempt = currentAttempt();
    const intervals = currentRetryIntervals();
    const backoff: BackoffPolicy = {
      ...config.backoff,
      initialIntervalMs: intervals?.initialIntervalMs ?? config.backoff.initialIntervalMs,
      maximumIntervalMs: intervals?.maximumIntervalMs ?? config.backoff.maximumIntervalMs,
    };
    const fail = (type: RegistryFailureType, message: string, waitAtLeastMs?: number) =>
      registryFailure(type, `${endpoint.name} ${message}`, isRetryable(type) ? retryDelayMs(attempt, backoff, waitAtLeastMs) : undefined);

    const cancelled = cancellationSignal();
    const timeout = AbortSignal.timeout(config.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await config.fetch(`${baseUrl}${endpoint.path}`, {
        method: 'POST',
        // The activity's trace goes with the call (W3C traceparent; nothing when tracing is off).
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...traceHeaders() },
        body: JSON.stringify(body),
        signal: cancelled ? AbortSignal.any([timeout, cancelled]) : timeout,
      });
      text = await res.text();
    } catch (error) {
      // Temporal cancelled us: end as cancelled, not as a registry fault to retry.
      if (cancelled?.aborted) throw cancelled.reason;
      if (timeout.aborted) throw fail('RegistryUnavailable', `did not answer within ${config.timeoutMs} ms`);
      const cause = (error as Error & { cause?: Error }).cause?.message;
      throw fail('RegistryUnavailable', `is unreachable: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    }

    if (res.status >= 500 || res.status === 408 || res.status === 429) {
      const waitMs = retryAfterMs(res.headers.get('retry-after'), Date.now());
      const asked = waitMs !== undefined ? `; asked us to wait ${Math.ceil(waitMs / 1000)} s` : '';
      throw fail('RegistryUnavailable', `is unavailable: HTTP ${res.status} ${summarise(text)}${asked}`, waitMs);
    }
    if (res.status >= 400) throw fail('InquiryRefused', `refused the inquiry: HTTP ${res.status} ${summarise(text)}`);
    if (!res.ok) throw fail('RegistryUnavailable', `answered an unexpected HTTP ${res.status}`);

    // The idempotency key is the inquiry id, so it is also the id the reply must be for.
    const read = readReply(endpoint, idempotencyKey, text);
    if (!read.ok) throw fail('MalformedReply', `sent a malformed reply: ${read.reason}`);
    return read.reply;
  };
}
