import { Logger } from '@nestjs/common';
import { Cache, createCache } from 'cache-manager';
import { Keyv, KeyvStoreAdapter } from 'keyv';
import type { LRUCache } from 'lru-cache';
import { ResponseCache } from './response-cache.port';

/**
 * cache-manager over Keyv, on the Keyv store the store module chose (Redis through
 * cache-manager-redis-yet, or an in-process LRU). Keyv's own `keyv:` prefix is disabled so keys
 * are exactly the caller's (`cache:*`). While the store is not `ready` (Redis down) the cache is
 * skipped: a miss, not a wait.
 */
export class CacheManagerResponseCache implements ResponseCache {
  private readonly cache: Cache;
  private readonly logger = new Logger('ResponseCache');

  constructor(
    store: KeyvStoreAdapter | LRUCache<string, object | string>,
    private readonly ready: () => boolean = () => true,
  ) {
    const keyv = new Keyv({ store, useKeyPrefix: false, namespace: undefined });
    keyv.on('error', () => undefined);
    this.cache = createCache({ stores: [keyv] });
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!this.ready()) return undefined;
    try {
      return (await this.cache.get<T>(key)) ?? undefined;
    } catch (e) {
      this.logger.warn({ event: 'response_cache_error', op: 'get', error: (e as Error).message });
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (!this.ready()) return;
    try {
      await this.cache.set(key, value, ttlSeconds * 1000);
    } catch (e) {
      this.logger.warn({ event: 'response_cache_error', op: 'set', error: (e as Error).message });
    }
  }

  async del(key: string): Promise<void> {
    try {
      await this.cache.del(key);
    } catch {
      /* a failed delete only means the entry expires by TTL */
    }
  }
}
