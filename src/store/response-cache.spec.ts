import { MEMORY_CACHE_MAX_ENTRIES, memoryResponseCache } from './memory/memory-adapters';

describe('in-memory response cache', () => {
  it('keeps at most its bound, forgetting the least recently used entries', async () => {
    const cache = memoryResponseCache(3);
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) await cache.set(k, i, 60);
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((k) => cache.get(k)))).toEqual([undefined, 1, 2, 3]);
    await cache.set('c', 9, 60);
    expect(await Promise.all(['b', 'c', 'd'].map((k) => cache.get(k)))).toEqual([1, 9, 3]);
  });

  it('serves what it stored until the TTL, through cache-manager', async () => {
    const cache = memoryResponseCache();
    await cache.set('cache:t:1', { verdict: 'send' }, 60);
    expect(await cache.get('cache:t:1')).toEqual({ verdict: 'send' });
    await cache.set('cache:t:2', 'x', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await cache.get('cache:t:2')).toBeUndefined();
  });

  it('does not grow past its bound under many distinct keys', async () => {
    const cache = memoryResponseCache();
    for (let i = 0; i < MEMORY_CACHE_MAX_ENTRIES + 50; i++) await cache.set(`cache:n:${i}`, i, 600);
    expect(await cache.get('cache:n:0')).toBeUndefined();
    expect(await cache.get(`cache:n:${MEMORY_CACHE_MAX_ENTRIES + 49}`)).toBe(MEMORY_CACHE_MAX_ENTRIES + 49);
  });
});
