/**
 * A small in-process cache whose entries live `ttlMs` and of which at most `maxEntries` are kept
 * (the least recently used go first). The caller passes the time, so a service's clock (or a
 * test's) decides expiry, not the wall clock.
 *
 * @example
 * const answers = ttlCache<Answer>({ ttlMs: 5_000, maxEntries: 10_000 });
 * answers.set('WSC-AL-1405-000123', answer, Date.now());
 * answers.get('WSC-AL-1405-000123', Date.now()); // answer, for five seconds
 */
export interface TtlCache<V> {
  /** The value stored under `key`, unless it is older than the cache's time to live at `nowMs`. */
  get(key: string, nowMs: number): V | undefined;
  set(key: string, value: V, nowMs: number): void;
}

export function ttlCache<V>({ ttlMs, maxEntries }: { ttlMs: number; maxEntries: number }): TtlCache<V> {
  const entries = new Map<string, { value: V; storedAt: number }>();
  return {
    get(key, nowMs) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      // An entry from the future (a clock set back) is as suspect as an old one.
      if (nowMs - entry.storedAt >= ttlMs || nowMs < entry.storedAt) return undefined;
      entries.set(key, entry); // the most recently used last
      return entry.value;
    },
    set(key, value, nowMs) {
      if (maxEntries <= 0 || ttlMs <= 0) return;
      entries.delete(key);
      entries.set(key, { value, storedAt: nowMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
