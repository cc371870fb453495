/** Retry delays: exponential ceilings, jitter within [50 %, 100 %] of them, never less than Retry-After. */
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelayMs, type BackoffPolicy } from './backoff.js';

const policy = (random: () => number): BackoffPolicy => ({ initialIntervalMs: 5_000, maximumIntervalMs: 600_000, random });
const ceiling = (attempt: number) => Math.min(600_000, 5_000 * 2 ** (attempt - 1));

describe('retry delay', () => {
  it('doubles its ceiling per attempt up to the maximum, and jitters between half and all of it', () => {
    expect([1, 2, 3, 4, 8, 20].map((a) => retryDelayMs(a, policy(() => 0)))).toEqual([2_500, 5_000, 10_000, 20_000, 300_000, 300_000]);
    expect(retryDelayMs(3, policy(() => 0.999_999))).toBe(20_000);
    expect(retryDelayMs(500, policy(() => 0.5))).toBe(450_000);
  });

  it('keeps random delays within their bounds and growing with the attempt', () => {
    const means: number[] = [];
    // Up to attempt 7 the ceiling (320 s) is still under the cap, so each attempt's range lies above the last.
    for (let attempt = 1; attempt <= 7; attempt += 1) {
      const delays = Array.from({ length: 200 }, () => retryDelayMs(attempt, policy(Math.random)));
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(ceiling(attempt) / 2);
        expect(d).toBeLessThanOrEqual(ceiling(attempt));
      }
      expect(new Set(delays).size).toBeGreaterThan(100); // jittered, not one value for everyone
      means.push(delays.reduce((a, b) => a + b, 0) / delays.length);
    }
    for (let i = 1; i < means.length; i += 1) expect(means[i]!).toBeGreaterThan(means[i - 1]!);
  });

  it('waits at least as long as the registry asked', () => {
    expect(retryDelayMs(1, policy(() => 0), 120_000)).toBe(120_000);
    expect(retryDelayMs(9, policy(() => 0), 1_000)).toBe(300_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs('60', now)).toBe(60_000);
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
