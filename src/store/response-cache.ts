import { Logger } from '@nestjs/common';
import { Cache, createCache, KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import { Keyv } from 'keyv';
import type { RedisClientType } from 'redis';
import { ResponseCache } from './store.port';

/** Most entries the in-memory cache keeps (Keyv's Map only drops expired entries when read). */
export const MEMORY_CACHE_MAX_ENTRIES = 5000;

/** A Map that forgets its oldest entry beyond `max`, so an embedded-mode process cannot grow without bound. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/**
 * cache-manager over Keyv. With Redis: cache-manager-redis-yet's store wrapped by KeyvAdapter,
 * sharing the store's node-redis client; Keyv's own `keyv:` prefix is disabled so keys are exactly
 * the caller's (`cache:*`). Without Redis: Keyv's in-memory map.
 */
export class CacheManagerResponseCache implements ResponseCache {
  private readonly cache: Cache;
  private readonly logger = new Logger('ResponseCache');

  constructor(client?: RedisClientType) {
    const keyv = client
      ? new Keyv({ store: new KeyvAdapter(redisInsStore(client)), useKeyPrefix: false, namespace: undefined })
      : new Keyv({ store: new BoundedMap(MEMORY_CACHE_MAX_ENTRIES), useKeyPrefix: false, namespace: undefined });
    keyv.on('error', () => undefined);
    this.cache = createCache({ stores: [keyv] });
    this.client = client;
  }

  private readonly client?: RedisClientType;

  async get<T>(key: string): Promise<T | undefined> {
    if (this.client && !this.client.isReady) return undefined;
    try {
      return (await this.cache.get<T>(key)) ?? undefined;
    } catch (e) {
      this.logger.warn({ event: 'response_cache_error', op: 'get', error: (e as Error).message });
      return undefined;
    }
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    if (this.client && !this.client.isReady) return;
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
