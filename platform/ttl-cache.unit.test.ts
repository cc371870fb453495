import { describe, expect, it } from 'vitest';
import { ttlCache } from './ttl-cache.js';

describe('ttlCache', () => {
  it('answers a value until its time to live has passed, then forgets it', () => {
    const cache = ttlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    cache.set('a', 'one', 5000);
    expect(cache.get('a', 5999)).toBe('one');
    expect(cache.get('a', 6000)).toBeUndefined();
    expect(cache.get('a', 5500)).toBeUndefined();
  });

  it('does not answer an entry stored in its future (a clock set back)', () => {
    const cache = ttlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    cache.set('a', 'one', 5000);
    expect(cache.get('a', 4000)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = ttlCache<number>({ ttlMs: 1000, maxEntries: 2 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    expect(cache.get('a', 1)).toBe(1);
    cache.set('c', 3, 2);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)).toBe(1);
    expect(cache.get('c', 3)).toBe(3);
  });

  it('keeps nothing when its time to live or its size is zero', () => {
    const none = ttlCache<number>({ ttlMs: 0, maxEntries: 10 });
    none.set('a', 1, 0);
    expect(none.get('a', 0)).toBeUndefined();
    const empty = ttlCache<number>({ ttlMs: 1000, maxEntries: 0 });
    empty.set('a', 1, 0);
    expect(empty.get('a', 0)).toBeUndefined();
  });
});
