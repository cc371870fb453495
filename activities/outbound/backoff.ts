/**
 * When to try a registry again. Temporal's own retry intervals are the same for every caller, so
 * many inquiries failing together (a registry outage) would all come back together; each failure
 * therefore carries its own jittered delay, and never less than the registry asked for.
 */

/** Exponential backoff with jitter; the workflow's retry policy still bounds the total by the deadline. */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  initialIntervalMs: number;
  /** No ceiling grows past this. */
  maximumIntervalMs: number;
  /** A number in [0, 1); tests pass a fixed one. */
  random: () => number;
}

/** Five seconds doubling up to ten minutes: a registry outage is usually minutes, sometimes hours. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialIntervalMs: 5_000, maximumIntervalMs: 10 * 60_000, random: Math.random };

/**
 * Delay before the attempt after `attempt` (1 for the first call): a ceiling of
 * `min(maximum, initial · 2^(attempt−1))`, a random point in [50 %, 100 %] of it, and at least
 * `retryAfterMs` when the registry sent Retry-After.
 * @example retryDelayMs(3, { initialIntervalMs: 5000, maximumIntervalMs: 600000, random: () => 0 }) // 10000
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maximumIntervalMs, policy.initialIntervalMs * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling * (0.5 + 0.5 * policy.random());
  return Math.ceil(Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Milliseconds a Retry-After header asks for: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * @example retryAfterMs('60', Date.now()) // 60000
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
