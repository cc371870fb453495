/**
 * A small in-process cache whose entries live `ttlMs` and of which at most `maxEntries` are kept
 * (the least recently used go first, by lru-cache). The caller passes the time, so a service's
 * clock (or a test's) decides expiry, not the wall clock.
 *
 * @example
 * const answers = ttlCache<Answer>({ ttlMs: 5_000, maxEntries: 10_000 });
 * answers.set('WSC-AL-1405-000123', answer, Date.now());
 * answers.get('WSC-AL-1405-000123', Date.now()); // answer, for five seconds
 */
import { LRUCache } from 'lru-cache';

export interface TtlCache<V> {
  /** The value stored under `key`, unless it is older than the cache's time to live at `nowMs`. */
  get(key: string, nowMs: number): V | undefined;
  set(key: string, value: V, nowMs: number): void;
}

export function ttlCache<V>({ ttlMs, maxEntries }: { ttlMs: number; maxEntries: number }): TtlCache<V> {
  if (maxEntries <= 0 || ttlMs <= 0) return { get: () => undefined, set: () => {} };
  const entries = new LRUCache<string, { value: V; storedAt: number }>({ max: maxEntries });
  return {
    get(key, nowMs) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      // An entry from the future (a clock set back) is as suspect as an old one.
      if (nowMs - entry.storedAt >= ttlMs || nowMs < entry.storedAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, nowMs) {
      entries.set(key, { value, storedAt: nowMs });
    },
  };
}
